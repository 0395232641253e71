"""What the commands print: rows as a table, CSV or JSON, and an extraction laid out as
published. Tables go through rich, which knows that a Chinese character takes two
terminal columns."""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable
from rich.text import Text

from xxgk.schemas.catalog import TEMPLATES, Table
from xxgk.schemas.legacy import LEGACY, LEGACY_ROWS
from xxgk.schemas.records import Extraction, Number

_LABEL_WIDTH = 40  # terminal columns; longer labels (the 六 sub-items) are cut with …


_UNBOUNDED = 1_000_000  # terminal columns: wider than any row, so nothing is cut


def console() -> Console:
    """A console on the current stdout (not one fixed at import, so output can be captured).
    A terminal's width bounds a table; a file or a pipe has no width, so rows are written
    whole rather than cut to the 80 columns rich would assume."""
    out = Console(soft_wrap=True, highlight=False)
    return out if out.is_terminal else Console(soft_wrap=True, highlight=False, width=_UNBOUNDED)


def error_console() -> Console:
    return Console(stderr=True, soft_wrap=True, highlight=False)


def print_rows(columns: list[str], rows: list[tuple], fmt: str) -> None:
    if fmt == "json":
        print(json.dumps([dict(zip(columns, row, strict=True)) for row in rows], ensure_ascii=False,
                         default=_json_value))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_text(v) for v in row] for row in rows])
        print(buffer.getvalue().rstrip("\n"))
    else:
        table = RichTable(*columns, box=None, header_style="bold", pad_edge=False)
        for row in rows:
            table.add_row(*_plain(*(_text(v) for v in row)))
        out = console()
        out.print(table)
        out.print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f").rstrip("0")
    return str(value)


def print_extraction(extraction: Extraction) -> None:
    """The tables laid out as published, then the issues."""
    out = console()
    out.print(extraction.title or extraction.source, markup=False)
    out.print(_identity(extraction), markup=False)
    template = TEMPLATES.get(extraction.format or "")
    if template is not None:
        values = {(c.table, c.row, c.col): c for c in extraction.cells}
        for table in template.tables:
            if any(key[0] == table.key for key in values):
                out.print(f"\n{table.number}、{table.heading}", markup=False)
                for block in _table(table, values):
                    out.print(block)
    elif extraction.format == "legacy":
        out.print("\n政府信息公开情况统计表", markup=False)
        out.print(_legacy_table({(c.row, c.col): c for c in extraction.cells if c.table == LEGACY}))
    out.print()
    _print_issues(out, extraction)


def _identity(extraction: Extraction) -> str:
    fields = [
        ("organ", extraction.organ),
        ("jurisdiction", " ".join(filter(None, [extraction.jurisdiction_code, extraction.jurisdiction_name])) or None),
        ("year", extraction.year),
        ("template", extraction.format),
        ("kind", extraction.kind),
        ("source", extraction.source),
    ]
    return " · ".join(f"{name} {value if value is not None else '?'}" for name, value in fields)


def _table(table: Table, values: dict) -> list[RichTable]:
    """One block per run of rows with the same columns (table 2 changes columns); a
    variant row (（六）其他处理 printed as one row) where the report printed it."""
    variants = [row for row in table.variants if any((table.key, row.key, c) in values for c in row.columns)]
    replaced = {key for row in variants for key in row.replaces}
    printed = [row for row in table.printable_rows
               if (row in table.rows and row.key not in replaced) or row in variants]
    blocks: list[RichTable] = []
    for columns, rows in itertools.groupby(printed, key=lambda row: row.columns):
        block = RichTable("", *(table.column(c).label for c in columns), box=None, pad_edge=False)
        label = block.columns[0]
        label.max_width, label.overflow, label.no_wrap = _LABEL_WIDTH, "ellipsis", True
        for column in block.columns[1:]:
            column.justify = "right"
        for row in rows:
            block.add_row(*_plain(row.label.replace("\n", ""), *(_figure(values.get((table.key, row.key, c)))
                                                                  for c in columns)))
        blocks.append(block)
    return blocks


def _legacy_table(values: dict) -> RichTable:
    """A legacy report's figures: this year's, the running total, and where each came from
    (a table cell, or the sentence that states it)."""
    block = RichTable("", "本年度", "历年累计", "source", box=None, pad_edge=False)
    block.columns[0].max_width, block.columns[3].max_width = _LABEL_WIDTH, 60
    block.columns[1].justify = block.columns[2].justify = "right"
    for row in LEGACY_ROWS:
        year, cumulative = values.get((row.key, "year_value")), values.get((row.key, "cumulative"))
        source = year.position or "" if year is not None and year.raw else ""
        if year is not None and year.raw and "paragraph" in source:
            source = year.raw
        block.add_row(*_plain(row.label, _figure(year), _figure(cumulative), source))
    return block


def _plain(*texts: str) -> list[Text]:
    """Cells as plain text: a published label or message is never read as rich markup."""
    return [Text(text) for text in texts]


def _figure(cell) -> str:
    if cell is None or cell.raw is None:
        return "?"
    value: Number | None = cell.value
    if value is None:
        return "·" if not cell.raw else f"({cell.raw})"
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def _print_issues(out: Console, extraction: Extraction) -> None:
    if not extraction.issues:
        out.print("No issues.")
        return
    counts = {s: sum(i.severity == s for i in extraction.issues) for s in ("error", "warning", "info")}
    out.print("Issues: " + ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n))
    issues = RichTable(box=None, show_header=False, pad_edge=False)
    for issue in extraction.issues:
        where = "/".join(filter(None, [issue.table, issue.row, issue.col]))
        issues.add_row(*_plain(issue.severity, issue.check, where, issue.message))
    out.print(issues)


@contextlib.contextmanager
def progress_bars() -> Iterator[Callable[[str, int, int | None], None]]:
    """The pipeline's progress callback, drawn as bars on a terminal's stderr (nothing
    when stderr is a file or a pipe)."""
    bars = Progress(TextColumn("{task.description:<8}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=error_console(), transient=False, disable=not error_console().is_terminal)
    tasks: dict[str, TaskID] = {}

    def advance(stage: str, done: int, total: int | None) -> None:
        if stage not in tasks:
            tasks[stage] = bars.add_task(stage, total=total)
        bars.update(tasks[stage], completed=done, total=total)

    with bars:
        yield advance
