"""PDF reports → paragraphs and grids: pypdfium2 to find the table pages, pdfplumber to read them.

pdfplumber's table pass is the expensive part (tens of milliseconds a page), so a cheap
pypdfium2 text pass first picks the pages that print table labels (the catalog's
needles) and pdfplumber opens only those. Ruled tables are read from their cells'
bounding boxes, so a merged cell's span is known exactly and resolved into the grid.
A table continued on the next page is simply the next grid; text outside the tables
becomes paragraphs in reading order, so section headings sit between the grids.
"""

from __future__ import annotations

import io
from bisect import bisect_left
from functools import cache

import pdfplumber
import pypdfium2
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException

from xxgk.extractors.grid import Block, Grid, GridCell, Paragraph, ParsedDocument, ReadError
from xxgk.extractors.labels import squash
from xxgk.schemas.catalog import TEMPLATES

_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def read_pdf(data: bytes) -> ParsedDocument:
    texts, title = page_texts(data)
    if not any(text.strip() for text in texts):
        raise ReadError("no_text_layer", "the PDF has no text layer (a scan?); it needs OCR before its tables can be read")
    table_pages = table_page_numbers(texts)
    blocks: list[Block] = []
    try:
        with pdfplumber.open(io.BytesIO(data), pages=table_pages or None) as pdf:
            read = {page.page_number: page for page in pdf.pages} if table_pages else {}
            for number, text in enumerate(texts, start=1):
                if number in read:
                    blocks += _page_blocks(read[number], len([b for b in blocks if isinstance(b, Grid)]))
                else:
                    blocks += [Paragraph(line.strip(), page=number) for line in text.splitlines() if line.strip()]
    except (PDFSyntaxError, PSException, ValueError, KeyError) as error:
        raise ReadError("corrupt_document", f"the PDF cannot be parsed: {error}") from None
    return ParsedDocument("pdf", blocks, title_hint=title)


def page_texts(data: bytes) -> tuple[list[str], str | None]:
    """Every page's text through pdfium (fast), and the document's info title."""
    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        if "password" in str(error).lower():
            raise ReadError("encrypted_document", "the PDF is encrypted and cannot be opened without its password") from None
        raise ReadError("corrupt_document", f"the PDF cannot be opened: {error}") from None
    try:
        texts = [page.get_textpage().get_text_range() for page in pdf]
        title = (pdf.get_metadata_dict().get("Title") or "").strip() or None
    finally:
        pdf.close()
    return [text.replace("\r\n", "\n").replace("\r", "\n") for text in texts], title


def table_page_numbers(texts: list[str]) -> list[int]:
    """1-based numbers of the pages that print any table label of any template."""
    return [number for number, text in enumerate(texts, start=1) if any(n in squash(text) for n in _needles())]


@cache
def _needles() -> tuple[str, ...]:
    """Labels of rows and columns long enough not to occur by chance in prose."""
    found = {n for template in TEMPLATES.values() for table in template.tables
             for part in (*table.rows, *table.columns) for n in part.needles if len(n) >= 4}
    return tuple(sorted(found))


def _page_blocks(page, first_index: int) -> list[Block]:
    """The page's tables as grids and its other text as paragraphs, ordered top to bottom."""
    tables = page.find_tables(_TABLE_SETTINGS)
    placed: list[tuple[float, Block]] = []
    for offset, table in enumerate(tables):
        placed.append((table.bbox[1], _grid(table, page.page_number, first_index + offset)))
    outside = page.filter(lambda obj: not any(_inside(obj, t.bbox) for t in tables)) if tables else page
    for line in outside.extract_text_lines(return_chars=False):
        placed.append((line["top"], Paragraph(line["text"].strip(), page=page.page_number)))
    return [block for _, block in sorted(placed, key=lambda pair: pair[0])]


def _inside(obj: dict, bbox: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = bbox
    return obj.get("x0", -1) >= x0 - 1 and obj.get("x1", 1e9) <= x1 + 1 and obj.get("top", -1) >= top - 1 \
        and obj.get("bottom", 1e9) <= bottom + 1


def _grid(table, page_number: int, index: int) -> Grid:
    """Spans from the cells' boxes: a cell covers every column edge and row top inside it."""
    texts = table.extract()
    xs = sorted({round(cell[0], 1) for cell in table.cells})
    tops = [round(row.bbox[1], 1) for row in table.rows]
    slots: dict[tuple[int, int], GridCell] = {}
    for r, row in enumerate(table.rows):
        for c, bbox in enumerate(row.cells):
            if bbox is None:
                continue
            col = bisect_left(xs, round(bbox[0], 1) - 0.05)
            colspan = max(1, sum(1 for x in xs if bbox[0] - 0.5 <= x < bbox[2] - 0.5))
            rowspan = max(1, sum(1 for top in tops if bbox[1] - 0.5 <= top < bbox[3] - 0.5))
            text = (texts[r][c] or "").strip()
            for dr in range(rowspan):
                for dc in range(colspan):
                    slots.setdefault((r + dr, col + dc), GridCell(
                        text, page=page_number, position=f"page {page_number}, table {index + 1}, row {r + 1}, col {col + 1}",
                        spanned=(dr, dc) != (0, 0)))
    width = len(xs)
    rows = [[slots.get((r, c), GridCell("", page=page_number)) for c in range(width)] for r in range(len(table.rows))]
    return Grid(rows, index=index)
