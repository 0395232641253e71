"""Word reports: merged cells, tables split by a page break, damaged and legacy files."""

import pytest

from tests.roundtrip import assert_roundtrip, extracted, report
from xxgk.extractors.extract import is_readable
from xxgk.samples.render import render


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_table_3_split_by_a_page_break_into_two_tables(template):
    spec = report(template)
    assert_roundtrip(render(spec, "docx", split_table3=True), spec)


def test_merged_cells_are_read_as_copies_of_their_origin():
    from xxgk.extractors.docx import read_docx

    document = read_docx(render(report("2021"), "docx"))
    table3 = next(g for g in document.grids if any("申请人情况" in c.text for c in g.rows[0]))
    group = [row[0] for row in table3.rows if row[0].text == "三、本年度办理结果"]
    assert len(group) == 22 and not group[0].spanned  # 21 result rows and （七）总计 and all(c.spanned for c in group[1:])


def test_cells_carry_their_table_and_row():
    spec = report("2021")
    extraction = assert_roundtrip(render(spec, "docx"), spec)
    cell = next(c for c in extraction.cells if (c.row, c.col) == ("licensing", "decisions"))
    assert cell.position == "table 2, row 3, col 2"


def test_a_truncated_docx_is_corrupt_not_a_crash():
    data = render(report("2021"), "docx")
    extraction = extracted(data[: len(data) // 2], "cut.docx")
    assert not is_readable(extraction) and extraction.issues[0].check == "corrupt_document"


@pytest.mark.parametrize("name, kind", [("report.doc", "Word 97-2003 (.doc)"), ("report.wps", "WPS Office (.wps)")])
def test_a_legacy_word_file_is_unsupported_and_says_which_kind(name, kind):
    extraction = extracted(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048), name)
    assert not is_readable(extraction) and kind in extraction.issues[0].message
