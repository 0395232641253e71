"""Generated reports as PDF: ruled tables with merged cells, in reportlab's CID font.

`STSong-Light` is built into reportlab and read back by pdfplumber without a font file.
Table 3 can be cut by a page break mid-way through its result rows, as long tables are:
the continuation starts with an empty first cell where the merged group label was cut,
and repeats the header rows or not. `scanned` draws pages without any text layer.
"""

from __future__ import annotations

import io
from html import escape
from typing import Literal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

from xxgk.samples.layout import Heading, Layout, LTable, Para, split_table
from xxgk.schemas.catalog import APPLICATIONS

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
_BODY = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, firstLineIndent=21)
_HEADING = ParagraphStyle("heading", fontName=FONT, fontSize=12, leading=20)
_TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=24, alignment=1)
_CELL = ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=9, alignment=1)
_WIDTH = A4[0] - 100
_FILLER = ("全年围绕法治政府建设要求，持续推进政务公开标准化规范化建设，完善公开目录，"
           "加强政策解读和回应关切，优化政务服务，推动公开工作提质增效。") * 3


def render_pdf(layout: Layout, *, continuation: Literal["none", "split"] = "none", repeat_header: bool = False,
               scanned: bool = False, pages: int | None = None) -> bytes:
    if scanned:
        return _scanned(pages or 2)
    story = _story(layout, continuation, repeat_header, filler_pages=0)
    if pages:
        missing = pages - _page_count(story)
        story = _story(layout, continuation, repeat_header, filler_pages=max(missing, 0))
    return _build(story)


def _story(layout: Layout, continuation: str, repeat_header: bool, filler_pages: int) -> list:
    story: list = []
    for block in layout.blocks:
        if isinstance(block, Heading):
            story.append(Paragraph(escape(block.text), _TITLE if block.level == 1 else _HEADING))
        elif isinstance(block, Para):
            story.append(Paragraph(escape(block.text), _BODY))
            if block.text.startswith("（三）"):  # narrative padding: each filler opens a page
                story += [part for _ in range(filler_pages) for part in (PageBreak(), Paragraph(_FILLER, _BODY))]
        elif continuation == "split" and block.section == APPLICATIONS:
            first, second = split_table(block, repeat_header)
            story += [_table(first), PageBreak(), _table(second)]
        else:
            story.append(_table(block))
    return story


def _table(table: LTable) -> Table:
    dense = table.dense()
    width = len(dense[0])
    data = [[Paragraph("<br/>".join(escape(line) for line in cell.text.split("\n")), _CELL) if cell else ""
             for cell in row] for row in dense]
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for r, row in enumerate(dense):
        for c, cell in enumerate(row):
            if cell is not None and (cell.rowspan > 1 or cell.colspan > 1):
                style.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
    return Table(data, colWidths=_widths(table, width), style=TableStyle(style))


def _widths(table: LTable, width: int) -> list[float]:
    if table.section == APPLICATIONS:  # three label columns, seven figure columns
        labels = [0.08, 0.1, 0.22]
        return [_WIDTH * share for share in labels] + [_WIDTH * 0.6 / (width - 3)] * (width - 3)
    if width > 8:
        return [_WIDTH / width] * width
    return [_WIDTH * 0.3] + [_WIDTH * 0.7 / (width - 1)] * (width - 1)


def _build(story: list) -> bytes:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=50, rightMargin=50, topMargin=50, bottomMargin=50).build(story)
    return buffer.getvalue()


def _page_count(story: list) -> int:
    import pypdfium2

    return len(pypdfium2.PdfDocument(_build(list(story))))


def _scanned(pages: int) -> bytes:
    """Pages of grey bars and ruled boxes, as an image-only scan looks to a text extractor."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    for _ in range(pages):
        page.setFillColor(colors.lightgrey)
        for line in range(30):
            page.rect(60, 780 - line * 22, 460 - (line % 4) * 40, 9, stroke=0, fill=1)
        page.grid([60, 200, 300, 400, 520], [120, 160, 200, 240])
        page.showPage()
    page.save()
    return buffer.getvalue()
