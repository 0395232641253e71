"""Word reports: every publishing trait, merged and split tables, content wrapped in layout
tables, content controls and text boxes, provenance, and files that cannot be read."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest
from docx import Document
from docx.document import Document as WordDocument
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement

from tests.roundtrip import assert_roundtrip, extracted, report
from xxgk.extractors.docx import read_docx
from xxgk.extractors.grid import Grid, Paragraph, ReadError
from xxgk.samples.docx import render_docx
from xxgk.samples.figures import empty_report
from xxgk.samples.layout import Layout, LCell, LTable, Traits
from xxgk.samples.render import render
from xxgk.schemas.catalog import APPLICATIONS

TEMPLATES = ["2019", "2021"]


def _only_table(*rows: list[LCell]) -> Grid:
    """A Word document holding one table of these cells, read back."""
    layout = Layout(empty_report(), Traits(), [LTable(list(rows), APPLICATIONS)])
    return read_docx(render_docx(layout)).grids[0]


def _saved(document: WordDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _edited(data: bytes, edit: Callable[[WordDocument], None]) -> bytes:
    """A rendered report changed the way publishers' files differ from the generator's."""
    document = Document(io.BytesIO(data))
    edit(document)
    return _saved(document)


def _in_content_control(element: BaseOxmlElement) -> None:
    """Wrap `element` where it stands in a content control (w:sdt/w:sdtContent)."""
    control, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    element.addprevious(control)
    control.append(content)
    content.append(element)


# A floating text box as Word writes it: the drawing, and a VML copy for older readers
# (the shape's anchor and geometry elements left out: the reader does not look at them).
_TEXT_BOX = (f'<w:r {nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
             ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
             ' xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>'
             '<mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>{0}</w:t></w:r></w:p>'
             '</w:txbxContent></wps:txbx></w:drawing></mc:Choice>'
             '<mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>{0}</w:t></w:r></w:p>'
             '</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>')


# ── every cell comes back ───────────────────────────────────────────────────────────


@pytest.mark.parametrize("template", TEMPLATES)
def test_table_3_split_by_a_page_break_into_two_tables_comes_back_whole(template):
    spec = report(template)
    data = render(spec, "docx", split_table3=True)
    grids = read_docx(data).grids
    first = next(i for i, grid in enumerate(grids) if "申请人情况" in grid.rows[0][-1].text)
    assert len(grids) == len(read_docx(render(spec, "docx")).grids) + 1
    assert grids[first + 1].rows[0][0].text == ""  # the cut group label is not written again
    assert_roundtrip(data, spec)


# ── merged cells and cell text ──────────────────────────────────────────────────────


def test_a_vertically_merged_cell_stands_in_every_row_it_covers_as_a_copy_of_its_origin():
    grid = _only_table([LCell("三、本年度办理结果", rowspan=3), LCell("1")], [LCell("2")], [LCell("3")])
    assert [(row[0].text, row[0].spanned, row[0].position) for row in grid.rows] == [
        ("三、本年度办理结果", False, "table 1, row 1, col 1"),
        ("三、本年度办理结果", True, "table 1, row 1, col 1"),
        ("三、本年度办理结果", True, "table 1, row 1, col 1"),
    ]


def test_a_horizontally_merged_cell_stands_in_every_column_it_covers_as_a_copy_of_its_origin():
    grid = _only_table([LCell("法人或其他组织", colspan=3)], [LCell("商业企业"), LCell("科研机构"), LCell("其他")])
    assert [cell.text for cell in grid.rows[0]] == ["法人或其他组织"] * 3
    assert [cell.spanned for cell in grid.rows[0]] == [False, True, True]


def test_a_cell_joins_its_line_breaks_and_paragraphs_with_newlines():
    document = Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "商业企\n业"
    cell.add_paragraph("（家）")
    assert read_docx(_saved(document)).grids[0].rows[0][0].text == "商业企\n业\n（家）"


# ── reading order and what wraps the content ────────────────────────────────────────


def test_headings_reach_the_normalizer_between_the_tables_they_introduce():
    blocks = read_docx(render(report("2021"), "docx")).blocks
    heading = blocks.index(Paragraph("三、收到和处理政府信息公开申请情况"))
    assert isinstance(blocks[heading - 1], Grid) and isinstance(blocks[heading + 1], Grid)


def test_a_report_inside_a_layout_table_is_read_through_its_leaf_tables():
    def inside_a_layout_table(document: WordDocument) -> None:
        content = [e for e in document.element.body if e.tag != qn("w:sectPr")]
        cell = document.add_table(rows=1, cols=1).cell(0, 0)._tc
        for element in content:
            cell.insert(len(cell) - 1, element)

    spec = report("2021")
    assert_roundtrip(_edited(render(spec, "docx"), inside_a_layout_table), spec)


def test_tables_and_cell_text_inside_content_controls_are_read():
    def in_content_controls(document: WordDocument) -> None:
        for element in document.element.body.xpath("./w:tbl | .//w:tc/w:p"):
            _in_content_control(element)

    spec = report("2021")
    assert_roundtrip(_edited(render(spec, "docx"), in_content_controls), spec)


def test_text_in_a_text_box_is_read_once_after_its_paragraph():
    document = Document()
    document.add_paragraph("本报告根据条例编制。")._p.append(parse_xml(_TEXT_BOX.format("一、总体情况")))
    assert [b.text for b in read_docx(_saved(document)).blocks] == ["本报告根据条例编制。", "一、总体情况"]


def test_a_merge_continuing_from_above_the_table_is_read_as_written():
    """A table cut by hand can start with a cell continuing a merge of the part cut off."""
    def continue_from_above(document: WordDocument) -> None:
        continuation = next(t for t in document.tables if not t.rows[0].cells[0].text)
        continuation._tbl.tr_lst[0].tc_lst[0].vMerge = "continue"

    spec = report("2021")
    assert_roundtrip(_edited(render(spec, "docx", split_table3=True), continue_from_above), spec)


# ── provenance and identity ─────────────────────────────────────────────────────────


def test_cells_carry_their_table_row_and_column():
    spec = report("2021")
    extraction = assert_roundtrip(render(spec, "docx"), spec)
    cell = next(c for c in extraction.cells if (c.row, c.col) == ("licensing", "decisions"))
    assert cell.position == "table 2, row 3, col 2"


def test_the_core_properties_title_is_the_title_hint():
    spec = report("2021")
    assert read_docx(render(spec, "docx")).title_hint == spec.title


# ── files that cannot be read ───────────────────────────────────────────────────────


def _document_xml_cut_short(data: bytes) -> bytes:
    """The package with its main part cut short: the ZIP directory intact, the XML not."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for member in source.namelist():
            content = source.read(member)
            target.writestr(member, content[: len(content) // 2] if member == "word/document.xml" else content)
    return buffer.getvalue()


DAMAGES = {"truncated file": lambda data: data[: len(data) // 2], "document.xml cut short": _document_xml_cut_short}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_docx_is_an_unreadable_corrupt_document_not_a_crash(damage):
    extraction = extracted(DAMAGES[damage](render(report("2021"), "docx")), "report.docx")
    assert extraction.unreadable_reason and [i.check for i in extraction.issues] == ["corrupt_document"]


@pytest.mark.parametrize("damage", DAMAGES)
def test_the_reader_itself_raises_read_error_for_a_damaged_package(damage):
    with pytest.raises(ReadError) as raised:
        read_docx(DAMAGES[damage](render(report("2021"), "docx")))
    assert raised.value.check == "corrupt_document"


@pytest.mark.parametrize("part, kind", [("OFD.xml", "OFD"), ("content.xml", "OpenDocument"),
                                        ("xl/workbook.xml", "Excel"), ("notes.txt", "ZIP archive")])
def test_a_zip_package_that_is_no_word_document_is_unsupported_and_names_its_kind(part, kind):
    with io.BytesIO() as buffer:
        with zipfile.ZipFile(buffer, "w") as package:
            package.writestr(part, "<x/>")
        extraction = extracted(buffer.getvalue(), "report.zip")
    assert [i.check for i in extraction.issues] == ["unsupported_format"] and kind in extraction.unreadable_reason


def test_a_macro_enabled_word_file_is_unsupported_and_says_so():
    docx = render(report("2021"), "docx")
    with zipfile.ZipFile(io.BytesIO(docx)) as source, io.BytesIO() as buffer:
        with zipfile.ZipFile(buffer, "w") as docm:
            for item in source.infolist():
                data = source.read(item)
                if item.filename == "[Content_Types].xml":
                    data = data.replace(b"document.main+xml", b"document.macroEnabled.main+xml")
                docm.writestr(item, data)
        extraction = extracted(buffer.getvalue(), "report.docm")
    assert extraction.unreadable_reason and ".docm" in extraction.issues[0].message
