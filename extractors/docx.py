"""Word (.docx) reports → paragraphs and grids, in body order, with python-docx.

Paragraphs and tables are read in the order the body holds them, so section headings
sit between the grids. Merged cells are resolved by python-docx itself (a vertically
merged cell's continuation points at the cell above, a horizontal span repeats its
cell); a slot whose XML cell repeats the one to its left or above is a span copy. A
table holding other tables is read through its inner tables.
"""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph as WordParagraph

from xxgk.extractors.grid import Block, Grid, GridCell, Paragraph, ParsedDocument, ReadError


def read_docx(data: bytes) -> ParsedDocument:
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ReadError("corrupt_document", f"the Word document cannot be opened: {error}") from None
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, WordParagraph):
            blocks += [Paragraph(line.strip()) for line in item.text.splitlines() if line.strip()]
        else:
            blocks += _tables(item, blocks)
    title = (document.core_properties.title or "").strip() or None
    return ParsedDocument("docx", blocks, title_hint=title)


def _tables(table: Table, blocks: list[Block]) -> list[Grid]:
    inner = [t for row in table.rows for cell in row.cells for t in cell.tables]
    if inner:
        return [grid for t in inner for grid in _tables(t, blocks)]
    return [_grid(table, sum(isinstance(b, Grid) for b in blocks))]


def _grid(table: Table, index: int) -> Grid:
    rows: list[list[GridCell]] = []
    elements: list[list[object]] = []
    for r, row in enumerate(table.rows):
        cells = [None] * row.grid_cols_before + list(row.cells)
        grid_row, tcs = [], []
        for c, cell in enumerate(cells):
            tc = cell._tc if cell is not None else None
            copy = tc is not None and ((c > 0 and tcs[c - 1] is tc) or (r > 0 and c < len(elements[r - 1]) and elements[r - 1][c] is tc))
            text = "\n".join(p.text for p in cell.paragraphs).strip() if cell is not None else ""
            grid_row.append(GridCell(text, position=f"table {index + 1}, row {r + 1}, col {c + 1}", spanned=copy))
            tcs.append(tc)
        rows.append(grid_row)
        elements.append(tcs)
    return Grid(rows, index=index)
