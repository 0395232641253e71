"""Word (.docx) reports → paragraphs and grids, in body order, with python-docx.

The body is walked element by element (`w:p`, `w:tbl`) rather than through
`document.paragraphs` and `document.tables`, so section headings reach the normalizer
between the grids they introduce. The walk goes through what wraps content without being
content: content controls (`w:sdt`), text boxes, and layout tables (a table holding
tables is read as the blocks of its cells, its leaf tables as grids).

Merges are resolved row by row: a cell spanning grid columns (`w:gridSpan`) fills them
all, and a vertical continuation (`w:vMerge`) takes the cell in its column of the row
above, so a merged cell's first slot is its origin and every other slot a copy carrying
its origin's position, as the contract asks. (python-docx's `row.cells` does the same by
recursing up through the rows of a merge, which costs rows² and overflows the stack on
a merge of a thousand rows.) The package's declared sizes are checked before python-docx
inflates anything (extractors/bounds.py).
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

from xxgk.extractors.bounds import check_cells, check_grids, check_zip
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
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            check_zip(package)
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
            index = next(numbers)
            check_grids(index + 1)
            blocks.append(_grid(item, index))
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


def _grid(table: CT_Tbl, index: int) -> Grid:
    """The table as a full matrix; slots a row leaves out before or after its cells are empty.
    A vertical continuation with nothing to continue (a table cut by hand, whose first row
    continues a merge from the part cut off) is read as written, with its own text."""
    rows: list[list[GridCell]] = []
    above: dict[int, GridCell] = {}  # grid column -> the origin of the cell there in the row above
    cells = 0
    for r, tr in enumerate(table.tr_lst):
        position = f"table {index + 1}, row {r + 1}, col {{}}"
        cells += tr.grid_before + tr.grid_after
        check_cells(cells)
        line = [GridCell("", position=position.format(c + 1)) for c in range(tr.grid_before)]
        here: dict[int, GridCell] = {}
        for tc in tr.tc_lst:
            column, span = len(line), tc.grid_span
            cells += span
            check_cells(cells)
            continued = above.get(column) if tc.vMerge == "continue" else None
            origin = continued or GridCell(_cell_text(tc), position=position.format(column + 1))
            for offset in range(span):
                first = offset == 0 and continued is None
                line.append(origin if first else GridCell(origin.text, position=origin.position, spanned=True))
                here[column + offset] = origin
        line += [GridCell("", position=position.format(len(line) + c + 1)) for c in range(tr.grid_after)]
        rows.append(line)
        above = here
    return Grid(rows, index=index)


def _cell_text(tc: CT_Tc) -> str:
    """The cell's paragraphs (content controls and text boxes included) joined by line
    breaks, as a label broken over lines ("商业企\\n业") is published."""
    return "\n".join(line for item in _items(tc) if isinstance(item, str) for line in _lines(item))
