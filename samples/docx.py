"""Generated reports as Word documents, drawn as publishers' Word files are: title and
headings as plain paragraphs in Chinese fonts, tables with merged cells (vertical and
horizontal), labels broken over lines inside their cell, and optionally table 3 cut by a
page break into two Word tables, as happens when it runs over a page."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph as WordParagraph

from xxgk.samples.layout import Heading, Layout, LTable, Para, split_table
from xxgk.schemas.catalog import APPLICATIONS

Font = tuple[str, float]  # name, size in points
# As government documents set them (GB/T 9704): 小标宋 title, 黑体 headings, 仿宋 text.
_TITLE: Font = ("方正小标宋简体", 22)
_HEADING: Font = ("黑体", 16)
_TEXT: Font = ("仿宋_GB2312", 16)
_CELL: Font = ("宋体", 10.5)


def render_docx(layout: Layout, *, split_table3: bool = False) -> bytes:
    """The layout as a .docx, its title in the core properties. `split_table3` cuts table 3
    mid-way through its result rows into two Word tables with a page break between."""
    document = Document()
    document.core_properties.title = layout.spec.title
    for block in layout.blocks:
        if isinstance(block, Heading):
            _heading(document, block)
        elif isinstance(block, Para):
            _run(document.add_paragraph(), block.text, _TEXT)
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


def _heading(document: WordDocument, heading: Heading) -> None:
    paragraph = document.add_paragraph()
    if heading.level == 1:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, heading.text, _TITLE if heading.level == 1 else _HEADING)


def _table(document: WordDocument, table: LTable) -> None:
    """Each origin cell merged over the slots it spans, then written: python-docx's merge
    keeps the paragraphs of every merged cell, so text is written into the origin only.
    The cells are looked up once, before any merge (`Table.cell` walks the whole table on
    every call); spans never overlap, so no merge touches a cell another one uses."""
    dense = table.dense()
    word = document.add_table(rows=len(dense), cols=len(dense[0]))
    word.style = "Table Grid"
    slots = [list(row.cells) for row in word.rows]
    for r, row in enumerate(dense):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            target = slots[r][c]
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(slots[r + cell.rowspan - 1][c + cell.colspan - 1])
            _run(target.paragraphs[0], cell.text, _CELL)


def _run(paragraph: WordParagraph, text: str, font: Font) -> None:
    """Text in a Chinese font ("\\n" becomes a line break). Word draws CJK characters in the
    eastAsia font, which `font.name` does not set, so it is set on the run's rFonts."""
    name, size = font
    run = paragraph.add_run(text)
    run.font.name = name
    run.font.size = Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
