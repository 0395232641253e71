"""Generated reports as Word documents: merged cells, line breaks in labels, and table 3
optionally split by a page break into two Word tables."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn

from xxgk.samples.layout import Heading, Layout, LTable, Para, split_table
from xxgk.schemas.catalog import APPLICATIONS


def render_docx(layout: Layout, *, split_table3: bool = False) -> bytes:
    document = Document()
    _chinese_font(document)
    document.core_properties.title = layout.spec.title
    for block in layout.blocks:
        if isinstance(block, Heading):
            document.add_paragraph().add_run(block.text).bold = True
        elif isinstance(block, Para):
            document.add_paragraph(block.text)
        elif split_table3 and block.section == APPLICATIONS:
            first, second = split_table(block, repeat_header=False)
            _table(document, first)
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            _table(document, second)
        else:
            _table(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _chinese_font(document) -> None:
    style = document.styles["Normal"]
    style.font.name = "宋体"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")


def _table(document, table: LTable) -> None:
    dense = table.dense()
    word = document.add_table(rows=len(dense), cols=len(dense[0]))
    word.style = "Table Grid"
    for r, row in enumerate(dense):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            target = word.cell(r, c)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(word.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
            target.text = cell.text  # python-docx writes "\n" as a line break
