"""The readable form of an extraction: the tables laid out as published, then the issues."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from xxgk.schemas.catalog import TEMPLATES, Table
from xxgk.schemas.records import Extraction, Number

_LABEL_WIDTH = 40  # display columns; longer labels (the 六 sub-items) are cut with …


def summary(extraction: Extraction) -> str:
    lines = [extraction.title or extraction.source, _identity(extraction), ""]
    template = TEMPLATES.get(extraction.format or "")
    if template is not None:
        values = {(c.table, c.row, c.col): c for c in extraction.cells}
        for table in template.tables:
            if any(key[0] == table.key for key in values):
                lines += [f"{table.number}、{table.heading}", *_table(table, values), ""]
    lines += _issues(extraction)
    return "\n".join(lines)


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


def _table(table: Table, values: dict) -> list[str]:
    """One block per set of columns (table 2 changes columns from row to row)."""
    lines: list[str] = []
    columns: tuple[str, ...] | None = None
    label_width = min(max(_width(r.label) for r in table.rows), _LABEL_WIDTH) + 2
    for row in table.rows:
        if row.columns != columns:
            columns = row.columns
            width = max(12, *(_width(table.column(c).label) for c in columns)) + 2 if len(columns) < 4 else 14
            lines.append("  " + _pad("", label_width) + "".join(_pad(table.column(c).label, width, right=True) for c in columns))
        texts = [_figure(values.get((table.key, row.key, c))) for c in columns]
        lines.append("  " + _pad(row.label, label_width) + "".join(_pad(t, width, right=True) for t in texts))
    return lines


def _figure(cell) -> str:
    if cell is None or cell.raw is None:
        return "?"
    value: Number | None = cell.value
    if value is None:
        return "·" if not cell.raw else f"({cell.raw})"
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def _issues(extraction: Extraction) -> list[str]:
    if not extraction.issues:
        return ["No issues."]
    counts = {s: sum(i.severity == s for i in extraction.issues) for s in ("error", "warning", "info")}
    lines = ["Issues: " + ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n)]
    for issue in extraction.issues:
        where = "/".join(filter(None, [issue.table, issue.row, issue.col]))
        lines.append(f"  {issue.severity:<7} {issue.check:<18} {where}  {issue.message}")
    return lines


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    text = text.replace("\n", "")
    if _width(text) > width - 1:
        while _width(text) > width - 2:
            text = text[:-1]
        text += "…"
    space = " " * (width - _width(text))
    return space + text if right else text + space
