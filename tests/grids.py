"""Grids written as text for normalizer tests: one string a row, cells split by `|`;
a cell written `~text` is a span copy of a merged cell."""

from __future__ import annotations

from xxgk.extractors.grid import Grid, GridCell, Paragraph


def grid(*rows: str, loose: bool = False) -> Grid:
    return Grid([[_cell(text, r, c) for c, text in enumerate(row.split("|"))] for r, row in enumerate(rows)],
                loose=loose)


def heading(text: str) -> Paragraph:
    return Paragraph(text)


def _cell(text: str, row: int, col: int) -> GridCell:
    spanned = text.startswith("~")
    return GridCell(text.lstrip("~"), position=f"row {row + 1}, col {col + 1}", spanned=spanned)
