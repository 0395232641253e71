"""A report's tables as files to download: one CSV per table, one XLSX with a sheet each.

Both carry the figures as the warehouse holds them (exact, 340 not 340.0000) in the
template's rows; the XLSX writes numbers as numbers so a spreadsheet can sum them.
"""

from __future__ import annotations

import csv
import io
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


def write_downloads(template: Template, cells: dict[CellKey, PublishedCell], stem: Path) -> dict[str, Path]:
    """stem-<table>.csv for each table and stem.xlsx; returns the files by table key (and "xlsx")."""
    files: dict[str, Path] = {}
    workbook = xlsxwriter.Workbook(str(stem.with_suffix(".xlsx")), {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    for table in template.tables:
        header, rows = download_rows(table, cells)
        path = stem.parent / f"{stem.name}-{table.key}.csv"
        path.write_text(csv_text(header, rows), encoding="utf-8-sig")
        files[table.key] = path
        sheet = workbook.add_worksheet(f"表{table.number}")
        sheet.write_row(0, 0, header, bold)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row):
                if isinstance(value, (int, Decimal)):
                    sheet.write_number(r, c, float(value))
                elif value is not None:
                    sheet.write_string(r, c, str(value))
        sheet.set_column(1, 1, 36)
    workbook.close()
    files["xlsx"] = stem.with_suffix(".xlsx")
    return files
