"""PDF reports → paragraphs and grids, all through pypdfium2.

A cheap text pass picks the pages that print table labels (the catalog's needles); on
those, ruled tables are found by pdfplumber's table finder fed with pdfium's path objects
and characters (`pdf_tables.py`: the same cells as pdfplumber's own pass, without
pdfminer parsing every content stream in Python, which cost 20–35× pdfium's text
extraction on real reports); the text around the tables is read through pdfium too.
Ruled tables are read from their cells' bounding boxes, so a merged cell's span is known
exactly and resolved into the grid.
A table continued on the next page is simply the next grid; text outside the tables
becomes paragraphs in reading order, so section headings sit between the grids. A page
without a text layer (a scan) is read by OCR (ocr.py) into the same paragraphs and grids.
"""

from __future__ import annotations

import threading
import time
from bisect import bisect_left
from functools import cache

import pypdfium2

from xxgk.extractors import ocr
from xxgk.extractors.bounds import check_cells, check_grids, check_pdf_streams
from xxgk.extractors.grid import Block, Grid, GridCell, Paragraph, ParsedDocument, ReadError
from xxgk.extractors.labels import squash
from xxgk.extractors.pdf_tables import cell_texts, find_tables
from xxgk.schemas.catalog import TEMPLATES
from xxgk.schemas.records import Issue

MAX_OCR_PAGES = 30  # a scan's pages cost seconds each: bounds on one document's OCR
OCR_SECONDS = 120  # within the pipeline's 180 s per document, so the rest is still read

# pdfium is not thread-safe: concurrent calls from two threads crash the process (seen as
# SIGTRAP when a flow extracts PDFs on a thread pool). One PDF at a time per process;
# the table finder's Python work holds the GIL anyway, so threads lose nothing by it. Worker
# processes (flows/isolation.py) extract one document at a time and never contend for
# it; the lock stays for the callers that extract on threads.
_PDFIUM = threading.Lock()


def read_pdf(data: bytes) -> ParsedDocument:
    warnings = check_pdf_streams(data)
    with _PDFIUM:
        document = _read_pdf(data)
    document.issues += warnings
    return document


def _read_pdf(data: bytes) -> ParsedDocument:
    pdf = _open(data)
    try:
        texts = [_page_text(page) for page in pdf]
        if not any(text.strip() for text in texts) and not ocr.available():
            raise ReadError("no_text_layer",
                            "the PDF has no text layer (a scan?); it needs OCR before its tables can be read")
        title = (pdf.get_metadata_dict().get("Title") or "").strip() or None
        blocks, unread = _blocks(pdf, texts)
        document = ParsedDocument("pdf", blocks, title_hint=title)
        notes = _ocr_notes(texts, unread)
        if not document.text.strip():
            raise ReadError("no_text_layer", "the PDF has no text layer, and OCR recognised no text in its pages"
                            + "".join(f"; {note.message}" for note in notes if note.check == "ocr_truncated"))
        document.issues += notes
        return document
    finally:
        pdf.close()


def page_texts(data: bytes) -> list[str]:
    """Every page's text through pdfium (fast): what the table-page filter reads."""
    with _PDFIUM:
        pdf = _open(data)
        try:
            return [_page_text(page) for page in pdf]
        finally:
            pdf.close()


def _open(data: bytes) -> pypdfium2.PdfDocument:
    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        if "password" in str(error).lower():
            raise ReadError("encrypted_document",
                            "the PDF is encrypted and cannot be opened without its password") from None
        raise ReadError("corrupt_document", f"the PDF cannot be opened: {error}") from None


def _page_text(page) -> str:
    return page.get_textpage().get_text_range().replace("\r\n", "\n").replace("\r", "\n")


def _blocks(pdf: pypdfium2.PdfDocument, texts: list[str]) -> tuple[list[Block], list[int]]:
    """Table pages' tables and the text around them, pages without a text layer through
    OCR (within its page and time bounds), every other page's lines as paragraphs; and
    the scanned pages left unread for want of time or pages."""
    table_pages = set(table_page_numbers(texts))
    blocks: list[Block] = []
    grids = 0
    scanned = [number for number, text in enumerate(texts, start=1) if not text.strip()]
    unread = scanned[MAX_OCR_PAGES:]
    deadline = time.monotonic() + OCR_SECONDS
    for number, text in enumerate(texts, start=1):
        if number in scanned[:MAX_OCR_PAGES]:
            if time.monotonic() > deadline:
                unread.append(number)
                continue
            image, dpi = ocr.render_page(pdf[number - 1])
            page_blocks = ocr.page_blocks(image, number, grids, always=number == scanned[0], dpi=dpi)
        elif number in table_pages:
            page_blocks = _page_blocks(pdf[number - 1], number, grids)
        else:
            blocks += _lines(text, number)
            continue
        grids += sum(isinstance(b, Grid) for b in page_blocks)
        check_grids(grids)
        blocks += page_blocks
    return blocks, sorted(unread)


def _ocr_notes(texts: list[str], unread: list[int]) -> list[Issue]:
    """Which pages were read by OCR, and which scanned pages were over its bounds."""
    scanned = [number for number, text in enumerate(texts, start=1) if not text.strip()]
    if not scanned:
        return []
    notes = [Issue("ocr", "info", f"{len(scanned) - len(unread)} page(s) without a text layer were read by OCR; "
                                  "pages without a ruled table after the first were skipped")]
    if unread:
        notes.append(Issue("ocr_truncated", "warning",
                           f"{len(unread)} of {len(scanned)} pages without a text layer were not read by OCR "
                           f"(bounds: {MAX_OCR_PAGES} pages, {OCR_SECONDS} s): pages {', '.join(map(str, unread[:10]))}"
                           + (" …" if len(unread) > 10 else "")))
    return notes


def table_page_numbers(texts: list[str]) -> list[int]:
    """1-based numbers of the pages that print any table label of any template."""
    return [number for number, text in enumerate(texts, start=1) if any(n in squash(text) for n in _needles())]


@cache
def _needles() -> tuple[str, ...]:
    """Labels of rows and columns long enough not to occur by chance in prose."""
    found = {n for template in TEMPLATES.values() for table in template.tables
             for needles in [r.needles for r in table.rows] + [c.needles for c in table.columns]
             for n in needles if len(n) >= 4}
    return tuple(sorted(found))


def _page_blocks(page: pypdfium2.PdfPage, number: int, first_index: int) -> list[Block]:
    """The page's tables as grids, and the text in the bands above, between and below them
    as paragraphs."""
    textpage = page.get_textpage()
    height = page.get_size()[1]
    tables = sorted(find_tables(page, textpage), key=lambda table: table.bbox[1])
    blocks: list[Block] = []
    edge = 0.0
    for offset, table in enumerate(tables):
        blocks += _band(textpage, page, number, edge, table.bbox[1])
        blocks.append(_grid(table, number, first_index + offset))
        edge = table.bbox[3]
    return blocks + _band(textpage, page, number, edge, height)


def _band(textpage, page, number: int, top: float, bottom: float) -> list[Paragraph]:
    """Text between two heights (counted from the top; pdfium counts up)."""
    if bottom - top < 1:
        return []
    width, height = page.get_size()
    text = textpage.get_text_bounded(left=0, bottom=height - bottom, right=width, top=height - top)
    return _lines(text.replace("\r\n", "\n").replace("\r", "\n"), number)


def _lines(text: str, page: int) -> list[Paragraph]:
    return [Paragraph(line.strip(), page=page) for line in text.splitlines() if line.strip()]


def _grid(table, page_number: int, index: int) -> Grid:
    """Spans from the cells' boxes: a cell covers every column edge and row top inside it."""
    table_rows = table.rows
    xs = sorted({round(cell[0], 1) for cell in table.cells})
    tops = sorted(round(row.bbox[1], 1) for row in table_rows)
    check_cells(len(xs) * len(tops))
    texts = cell_texts(table, table_rows)
    slots: dict[tuple[int, int], GridCell] = {}
    for r, row in enumerate(table_rows):
        for c, bbox in enumerate(row.cells):
            if bbox is None:
                continue
            col = bisect_left(xs, round(bbox[0], 1) - 0.05)
            colspan = max(1, _count_within(xs, bbox[0] - 0.5, bbox[2] - 0.5))
            rowspan = max(1, _count_within(tops, bbox[1] - 0.5, bbox[3] - 0.5))
            text = (texts[r][c] or "").strip()
            for dr in range(rowspan):
                for dc in range(colspan):
                    slots.setdefault((r + dr, col + dc), GridCell(
                        text, page=page_number,
                        position=f"page {page_number}, table {index + 1}, row {r + 1}, col {col + 1}",
                        spanned=(dr, dc) != (0, 0)))
    width = len(xs)
    rows = [[slots.get((r, c), GridCell("", page=page_number)) for c in range(width)] for r in range(len(table_rows))]
    return Grid(rows, index=index)


def _count_within(edges: list[float], low: float, high: float) -> int:
    """How many of the sorted edges lie in [low, high)."""
    return bisect_left(edges, high) - bisect_left(edges, low)
