"""A report's tables as files to download: one CSV per table, one XLSX with a sheet each
(a template report's three tables, or a legacy report's statistics table).

Both carry the figures as the warehouse holds them (exact, 340 not 340.0000) in the
template's rows; the XLSX writes numbers as numbers so a spreadsheet can sum them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from xxgk.publish.queries import CellKey, PublishedCell
from xxgk.publish.tables import download_rows, figure_text
from xxgk.schemas.catalog import Template


def csv_text(header: list[str], rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[figure_text(v) if isinstance(v, (int, Decimal)) else (v or "") for v in row] for row in rows])
    return buffer.getvalue()


@dataclass(frozen=True)
class Sheet:
    """One table to download: its key names the CSV, its title the XLSX sheet."""

    key: str
    title: str
    header: list[str]
    rows: list[list[object]]


def template_sheets(template: Template, cells: dict[CellKey, PublishedCell]) -> list[Sheet]:
    return [Sheet(t.key, f"表{t.number}", *download_rows(t, cells)) for t in template.tables]


def write_downloads(sheets: list[Sheet], stem: Path) -> dict[str, Path]:
    """stem-<key>.csv for each sheet and stem.xlsx; returns the files by sheet key (and "xlsx")."""
    files: dict[str, Path] = {}
    workbook = xlsxwriter.Workbook(str(stem.with_suffix(".xlsx")), {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    for table in sheets:
        path = stem.parent / f"{stem.name}-{table.key}.csv"
        path.write_text(csv_text(table.header, table.rows), encoding="utf-8-sig")
        files[table.key] = path
        sheet = workbook.add_worksheet(table.title)
        sheet.write_row(0, 0, table.header, bold)
        for r, row in enumerate(table.rows, 1):
            for c, value in enumerate(row):
                if isinstance(value, (int, Decimal)):
                    sheet.write_number(r, c, float(value))
                elif value is not None:
                    sheet.write_string(r, c, str(value))
        sheet.set_column(1, 1, 36)
    workbook.close()
    files["xlsx"] = stem.with_suffix(".xlsx")
    return files
