"""Plain-text reports: tab-separated dumps (like the seed), pipe tables (as HTML-to-text and
HTML-to-Markdown conversions write a page's tables) and space-aligned text.

A text dump keeps no cell geometry: a merged label is written once or repeated, and the
number of leading tabs (or empty fields between pipes) varies from row to row. Such
grids are marked `loose` so that the
normalizer places figures by their order and the row's width rather than by their slot.
Space-aligned text (pdftotext -layout) keeps positions instead: a table's columns are
recovered from where its tokens start, counted in display columns (CJK is two wide), so
a blank cell stays a blank slot in its column, and a label fills the label columns to
its right as a merged cell would; such grids are exact, not loose.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable

from xxgk.extractors.bounds import check_cells, check_grids
from xxgk.extractors.grid import Block, Grid, GridCell, Paragraph, ParsedDocument
from xxgk.extractors.values import is_value_like

_CELL_GAP = re.compile(r" {2,}")
_PIPE_RULE = re.compile(r"\s*(?P<lead>\|)?(?:\s*:?-{3,}:?\s*\|)*\s*:?-{3,}:?\s*(?P<trail>\|)?\s*")  # |---|:--:|
_DUMP_ROWS = 3  # rows of figures between separators: a header line's tab or a navigation's pipes make no table


def read_text(text: str) -> ParsedDocument:
    lines = text.splitlines()
    if _is_dump(lines, "\t"):
        blocks = _dump_blocks(lines, "\t", _tab_fields)
    elif _is_dump(lines, "|"):
        blocks = _dump_blocks(lines, "|", _pipe_fields)
    else:
        blocks = _aligned_blocks(lines)
    return ParsedDocument("text", blocks)


# ── dumps: tab-separated fields, or fields between pipes ────────────────────────────


def _dump_blocks(lines: list[str], separator: str,
                 fields_of: Callable[[list[str]], list[list[str]]]) -> list[Block]:
    """Lines holding the separator are table rows (consecutive ones form a grid, split
    into fields by `fields_of`); others are paragraphs."""
    blocks: list[Block] = []
    run: list[tuple[int, str]] = []
    grids = cells = 0
    for number, line in enumerate([*lines, ""], start=1):
        if separator in line:
            cells += line.count(separator) + 1
            check_cells(cells)
            run.append((number, line))
            continue
        if rows := [[GridCell(field, position=f"line {at}, field {i + 1}") for i, field in enumerate(fields)]
                    for (at, _), fields in zip(run, fields_of([text for _, text in run]), strict=True) if fields]:
            grids += 1
            check_grids(grids)
            blocks.append(Grid(rows, index=grids - 1, loose=True))
        run, cells = [], 0
        if line.strip():
            blocks.append(Paragraph(line.strip()))
    return blocks


def _is_dump(lines: list[str], separator: str) -> bool:
    """Rows of figures between separators, enough for a table: a text is read as a dump only
    then, so that a stray tab or a navigation line of pipes leaves a report's text to the
    readers of aligned and running text."""
    rows = (line for line in lines if line.count(separator) >= (2 if separator == "|" else 1))
    return sum(any(is_value_like(field.strip()) for field in row.split(separator)) for row in rows) >= _DUMP_ROWS


def _tab_fields(lines: list[str]) -> list[list[str]]:
    """Each row's fields, padded with blanks to the widest row's count: a dump writes its
    rows as wide as the table (a merged cell written once pads its row at the end), and a
    row found narrower lost its trailing tabs to an editor's or a converter's trimming of
    trailing white space, which would otherwise end the row before its last columns."""
    rows = [line.split("\t") for line in lines]
    width = max(map(len, rows), default=0)
    check_cells(width * len(rows))  # one wide row must not multiply the others
    return [row + [""] * (width - len(row)) for row in rows]


def _pipe_fields(lines: list[str]) -> list[list[str]]:
    """Each row's fields between its pipes; a Markdown rule under the header row is part
    of the table and no row (its fields are none). Whether a table's rows begin and end
    with a border pipe is the rule's style where it has one (HTML-to-Markdown converters
    write borders, html2text none), else most rows': a row without borders whose first or
    last cell is blank begins or ends with a pipe too, so a row alone cannot tell."""
    rule = next((found for line in lines if (found := _PIPE_RULE.fullmatch(line))), None)
    stripped = [line.strip() for line in lines]
    if rule is not None:
        lead, trail = rule["lead"] is not None, rule["trail"] is not None
    else:
        lead = sum(line.startswith("|") for line in stripped) * 2 > len(lines)
        trail = sum(line.endswith("|") for line in stripped) * 2 > len(lines)
    fields: list[list[str]] = []
    for line, body in zip(lines, stripped, strict=True):
        if _PIPE_RULE.fullmatch(line):
            fields.append([])
            continue
        body = body.removeprefix("|") if lead else body
        body = body.removesuffix("|") if trail else body
        fields.append([field.strip() for field in body.split("|")])
    return fields


# ── space-aligned text ──────────────────────────────────────────────────────────────


def _aligned_blocks(lines: list[str]) -> list[Block]:
    """Runs of lines between blank lines; a run where some line has two or more cells is
    a table, any other run is paragraphs."""
    blocks: list[Block] = []
    run: list[tuple[int, str]] = []
    grids = 0
    for number, line in enumerate([*lines, ""], start=1):
        if line.strip():
            run.append((number, line))
            continue
        if run and any(len(_tokens(text)) > 1 for _, text in run):
            grids += 1
            check_grids(grids)
            blocks.append(_aligned_grid(run, grids - 1))
        else:
            blocks += [Paragraph(text.strip()) for _, text in run]
        run = []
    return blocks


def _aligned_grid(run: list[tuple[int, str]], index: int) -> Grid:
    tokens = [(number, _tokens(text)) for number, text in run]
    starts = sorted({start for _, line_tokens in tokens for start, _ in line_tokens})
    check_cells(len(starts) * len(tokens))
    rows = []
    for _, line_tokens in tokens:
        slots = [""] * len(starts)
        for start, text in line_tokens:
            column = bisect_right(starts, start) - 1
            slots[column] = f"{slots[column]} {text}".strip()
        rows.append(slots)
    figures = {i for row in rows for i, text in enumerate(row) if text and is_value_like(text)}
    return Grid([_spread_labels(row, figures, [f"line {number}, col {s + 1}" for s in starts])
                 for (number, _), row in zip(tokens, rows, strict=True)], index=index)


def _spread_labels(slots: list[str], figure_columns: set[int], positions: list[str]) -> list[GridCell]:
    """A label's text also fills the empty label-column slots to its right, as a merged
    cell's copies do in the other readers; columns that ever hold a figure are not filled."""
    cells: list[GridCell] = []
    for i, text in enumerate(slots):
        previous = cells[-1] if cells else None
        if not text and previous is not None and previous.text and i not in figure_columns:
            cells.append(GridCell(previous.text, position=positions[i], spanned=True))
        else:
            cells.append(GridCell(text, position=positions[i]))
    return cells


def _tokens(line: str) -> list[tuple[int, str]]:
    """(display column, text) of each run of text separated by two or more spaces."""
    found = []
    position = width = 0
    for piece in _CELL_GAP.split(line.rstrip()):
        at = line.index(piece, position)
        width += _width(line[position:at])
        if piece.strip():
            found.append((width + len(piece) - len(piece.lstrip(" ")), piece.strip()))
        width += _width(piece)
        position = at + len(piece)
    return found


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
