"""Word (.docx) reports → paragraphs and grids, in body order, with python-docx.

The body is walked element by element (`w:p`, `w:tbl`) rather than through
`document.paragraphs` and `document.tables`, so section headings reach the normalizer
between the grids they introduce. The walk goes through what wraps content without being
content: content controls (`w:sdt`), text boxes, and layout tables (a table holding
tables is read as the blocks of its cells, its leaf tables as grids).

Merges are resolved by python-docx: `row.cells` repeats a horizontally spanned cell and
hands a vertical continuation the cell it continues, so an XML cell met again is a span
copy; the copy carries its origin's position, as the contract asks.
"""

from __future__ import annotations

import io
import itertools
import zipfile
import zlib
from collections.abc import Iterator

import lxml.etree
from docx import Document
from docx.document import Document as WordDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl, CT_Tc
from docx.oxml.text.run import CT_R
from docx.table import Table, _Cell, _Row

from xxgk.extractors.grid import Block, Grid, GridCell, Paragraph, ParsedDocument, ReadError

_P, _R, _TBL, _TEXT_BOX = qn("w:p"), qn("w:r"), qn("w:tbl"), qn("w:txbxContent")
# A drawing's VML fallback repeats the text box of the drawing; deleted text is not the text.
_NOT_READ = frozenset({"{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback", qn("w:del")})
# What a damaged package raises from python-docx, zipfile, zlib and lxml, opening or walking
# it (a truncated member, a missing part, unparsable XML, a non-numeric span).
_DAMAGED = (PackageNotFoundError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError,
            lxml.etree.LxmlError)

Item = str | CT_Tbl  # a paragraph's text, or a leaf table


def read_docx(data: bytes) -> ParsedDocument:
    """The document's paragraphs and grids in reading order; the core title as a hint.
    Raises ReadError(corrupt_document) for a package python-docx cannot open or walk."""
    try:
        document = Document(io.BytesIO(data))
        blocks = _blocks(document)
        title = (document.core_properties.title or "").strip() or None
    except _DAMAGED as error:
        raise ReadError("corrupt_document",
                        f"the Word document is damaged: {type(error).__name__}: {error}") from None
    return ParsedDocument("docx", blocks, title_hint=title)


def _blocks(document: WordDocument) -> list[Block]:
    """One Paragraph per line, since a heading may share a paragraph with a soft line break
    and the normalizer matches headings line by line; grids numbered in body order."""
    blocks: list[Block] = []
    numbers = itertools.count()
    for item in _items(document.element.body):
        if isinstance(item, str):
            blocks += [Paragraph(line) for line in _lines(item)]
        else:
            blocks.append(_grid(Table(item, document), next(numbers)))
    return blocks


# ── the walk ────────────────────────────────────────────────────────────────────────


def _items(container: lxml.etree._Element) -> Iterator[Item]:
    """Paragraph texts and leaf tables under `container`, in reading order. Anything that
    is neither is walked through (content controls, rows and cells of layout tables)."""
    for child in container:
        if child.tag == _P:
            yield _paragraph_text(child)
            for box in _text_boxes(child):
                yield from _items(box)
        elif child.tag == _TBL and child.find(f".//{_TBL}") is None:
            yield child
        elif child.tag not in _NOT_READ:
            yield from _items(child)


def _paragraph_text(paragraph: lxml.etree._Element) -> str:
    """The paragraph's runs, also those inside hyperlinks, inline content controls, fields
    and tracked insertions (python-docx's `Paragraph.text` reads direct runs only). A run's
    text boxes are not part of its text: they are read as blocks of their own."""
    return "".join(run.text for run in _runs(paragraph))


def _runs(element: lxml.etree._Element) -> Iterator[CT_R]:
    for child in element:
        if child.tag == _R:
            yield child
        elif child.tag not in _NOT_READ:
            yield from _runs(child)


def _text_boxes(paragraph: lxml.etree._Element) -> list[lxml.etree._Element]:
    """The text boxes anchored in this paragraph; a box inside a box is read with the
    paragraph of the outer box that anchors it, and a VML fallback copy not at all."""
    return [box for box in paragraph.iter(_TEXT_BOX) if _anchor(box) is paragraph]


def _anchor(box: lxml.etree._Element) -> lxml.etree._Element | None:
    for ancestor in box.iterancestors():
        if ancestor.tag in _NOT_READ:
            return None
        if ancestor.tag == _P:
            return ancestor
    return None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


# ── tables ──────────────────────────────────────────────────────────────────────────


def _grid(table: Table, index: int) -> Grid:
    """The table as a full matrix; slots a row leaves out before or after its cells are empty."""
    origins: dict[CT_Tc, GridCell] = {}
    rows: list[list[GridCell]] = []
    for r, row in enumerate(table.rows):
        slots = [None] * row.grid_cols_before + _row_cells(row) + [None] * row.grid_cols_after
        position = f"table {index + 1}, row {r + 1}, col {{}}"
        rows.append([_slot(cell, position.format(c + 1), origins) for c, cell in enumerate(slots)])
    return Grid(rows, index=index)


def _row_cells(row: _Row) -> list[_Cell]:
    """The row's cell per grid column. A vertical continuation with nothing to continue (a
    table cut by hand, whose first row continues a merge from the part cut off) makes
    python-docx raise; the row is then read as written, each cell with its own text."""
    try:
        return list(row.cells)
    except ValueError:
        return [_Cell(tc, row.table) for tc in row._tr.tc_lst for _ in range(tc.grid_span)]


def _slot(cell: _Cell | None, position: str, origins: dict[CT_Tc, GridCell]) -> GridCell:
    """The slot's cell: where a merged cell is met again, a copy pointing to its origin."""
    if cell is None:
        return GridCell("", position=position)
    origin = origins.get(cell._tc)
    if origin is not None:
        return GridCell(origin.text, position=origin.position, spanned=True)
    origins[cell._tc] = GridCell(_cell_text(cell._tc), position=position)
    return origins[cell._tc]


def _cell_text(tc: CT_Tc) -> str:
    """The cell's paragraphs (content controls and text boxes included) joined by line
    breaks, as a label broken over lines ("商业企\\n业") is published."""
    return "\n".join(line for item in _items(tc) if isinstance(item, str) for line in _lines(item))
