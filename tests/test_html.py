"""HTML pages: any charset and declaration, the report inside the portal chrome, bad pages."""

import random

import lxml.etree
import pytest

from tests.roundtrip import assert_roundtrip, extracted, report
from xxgk.samples.legacy import build_legacy_layout, random_legacy
from xxgk.samples.render import render, render_layout


@pytest.mark.parametrize("charset", ["utf-8", "gbk", "gb2312", "gb18030"])
@pytest.mark.parametrize("declare", ["meta", "http-equiv", "none"])
def test_any_charset_declared_or_not(charset, declare):
    spec = report("2021")
    assert_roundtrip(render(spec, "html", charset=charset, declare=declare), spec)


def test_a_charset_declared_only_in_the_http_header():
    from xxgk.extractors.extract import extract

    spec = report("2021")
    extraction = extract(render(spec, "html", charset="gbk", declare="none"), "page.html", charset="GBK")
    assert extraction.value("applications", "granted", "total") == spec.value("applications", "granted", "total")


def test_a_wrong_declaration_does_not_garble_the_page():
    spec = report("2021")
    page = render(spec, "html", charset="utf-8", declare="none").replace(b"<head>", b'<head><meta charset="gb2312">')
    assert_roundtrip(page, spec)


@pytest.mark.parametrize("chrome", [True, False])
def test_the_report_is_found_inside_the_portal_chrome(chrome):
    spec = report("2021")
    extraction = assert_roundtrip(render(spec, "html", chrome=chrome), spec)
    assert extraction.title == spec.title and extraction.year == spec.year


@pytest.mark.parametrize("wording", ["2012年政府信息公开工作报告", "2012年度政府信息公开报告",
                                     "二〇一二年政府信息公开工作年度报告"])
def test_a_report_title_in_any_wording_bounds_the_report_inside_the_chrome(wording):
    """The sidebar's links to other years' reports are chrome, never the title."""
    spec = random_legacy(random.Random(3), year=2012)
    page = render_layout(build_legacy_layout(spec, table=False), "html").replace(
        "2012年政府信息公开工作年度报告".encode(), wording.encode())
    extraction = extracted(page, "page.html")
    assert extraction.title == spec.organ + wording and "year_conflict" not in {i.check for i in extraction.issues}


def test_word_exported_cells_with_paragraphs_and_breaks_inside_words():
    spec = report("2019")
    assert_roundtrip(render(spec, "html", br_in_labels=True), spec)


def test_a_cell_whose_text_is_wrapped_in_one_element_reads_as_a_bare_cell():
    from xxgk.extractors.html import read_html

    cells = ["1&#160;234", "<p>1&#160;234</p>", " <p>1&#160;234</p>\n ", "<span>第一行\n  第二行</span>",
             "<p>第一行<br>第二行</p>", "&#12288;<p>62</p>", "<p>6</p>2"]
    page = "<html><body><table><tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr></table></body></html>"
    row = read_html(page.encode()).grids[0].rows[0]
    assert [cell.text for cell in row] == ["1 234", "1 234", "1 234", "第一行\n第二行", "第一行\n第二行",
                                           "62", "6\n2"]


def test_a_title_nested_in_a_container_before_the_table_bounds_the_report():
    from xxgk.extractors.html import read_html

    page = ("<html><body><div><p>首页</p><a href='/2011'>某县2011年政府信息公开工作年度报告</a></div><div>"
            "<div><h2><span>某县2012年政府信息公开工作年度报告</span></h2></div><div><p><span>一、总体情况</span></p>"
            "<p>全年主动公开信息<span>120</span>条。</p></div><table><tr><td>规章</td><td>1</td></tr></table></div>"
            "</body></html>")
    blocks = read_html(page.encode()).blocks
    assert [getattr(block, "text", "grid") for block in blocks] == [
        "某县2012年政府信息公开工作年度报告", "一、总体情况", "全年主动公开信息120条。", "grid"]


@pytest.mark.parametrize("figures, title_found", [("1", True), ("12345678" * 10, False)])
def test_an_element_holding_the_first_table_is_its_title_only_while_its_text_is_a_titles_length(figures,
                                                                                                 title_found):
    """The title search skips the table's ancestors only when the table's own text is too long for a title."""
    from xxgk.extractors.html import _content_root, _title_element

    page = (f"<html><body><div><p>导航</p><div>某县2023年政府信息公开工作年度报告"
            f"<table><tr><td>{figures}</td></tr></table></div></div></body></html>")
    root = lxml.etree.fromstring(page, lxml.etree.HTMLParser())
    table = root.find(".//table")
    title = _title_element(root, table)
    assert (title is not None and title.tag == "div" and title.find("table") is not None) == title_found
    assert _content_root(root, [table]).tag == ("div" if title_found else "table")


def test_noncharacters_in_a_page_do_not_cut_its_cells():
    from xxgk.extractors.html import read_html

    row = "<tr><td>行政\ufdd0许可</td><td rowspan='\ufdd21'>1\ufdd12</td></tr>"
    page = f"<html><body><table>{row}</table></body></html>"
    assert [cell.text for cell in read_html(page.encode()).grids[0].rows[0]] == ["行政许可", "12"]


def test_cells_carry_their_table_row_and_column():
    spec = report("2021")
    extraction = assert_roundtrip(render(spec, "html"), spec)
    cell = next(c for c in extraction.cells if (c.row, c.col) == ("regulations", "issued"))
    assert cell.position == "table 1, row 3, col 2" and cell.page is None


def test_malformed_spans_are_tolerated():
    page = ("<html><body><h1>某县人民政府2023年政府信息公开工作年度报告</h1><table>"
            "<tr><td colspan='x'>信息内容</td><td>本年处理决定数量</td></tr>"
            "<tr><td rowspan='0'>行政许可</td><td colspan='99999'>12</td></tr>"
            "<tr><td>34</td></tr></table></body></html>")
    extraction = extracted(page.encode(), "page.html")
    assert extraction.value("active_disclosure", "licensing", "decisions") == 12


def test_narrative_figures_are_never_read_as_cells():
    spec = report("2021")
    page = render(spec, "html").replace("（三）政府信息管理。".encode(), "（三）全年行政许可99999件。".encode())
    assert_roundtrip(page, spec)


def test_binary_bytes_named_html_are_unreadable():
    extraction = extracted(bytes(range(256)) * 16, "page.html")
    assert extraction.unreadable_reason and extraction.issues[0].check == "unsupported_format"


def test_text_that_is_no_html_at_all_is_read_as_text():
    extraction = extracted("这不是网页".encode(), "page.html")
    assert extraction.unreadable_reason is None and extraction.kind == "text"


@pytest.mark.parametrize("cell, layout", [
    ("<p>12</p>", False),
    ("字" * 601, False),  # a long cell of bare text: no markup, not looked into
    ("<p>" + "字" * 601 + "</p>", True),  # a page of text
    ("<p>一</p>" * 4 + "<span>二</span>", False),
    ("<div><p>一</p><p>二</p><h2>三</h2><ul><li>四</li></ul></div>", True),  # a run of five paragraphs
])
def test_a_table_is_layout_when_a_cell_holds_a_page_of_text_or_a_run_of_paragraphs(cell, layout):
    from xxgk.extractors.html import _is_layout

    table = lxml.etree.fromstring(f"<table><tr><th><p>一</p>{'<p>段</p>' * 5}</th><td>{cell}</td></tr></table>",
                                  lxml.etree.HTMLParser()).find(".//table")
    assert _is_layout(table) == layout


@pytest.mark.parametrize("table, layout", [
    (f"<table><td><p>{'字' * 601}</p></td></table>", True),  # a cell outside any row
    (f"<table><tr>{'<td><p>' + '字' * 100 + '</p></td>' * 7}</tr></table>", False),  # a long row, short cells
    (f"<table><tr><td><p>{'字' * 300}</p><span>{'字' * 301}</span></td></tr></table>", True),  # text in parts
    ("<table><tr><td><div><p>一</p><p>二</p><p>三</p><p>四</p><p>五</p></div></td></tr></table>", True),
])
def test_a_cell_is_judged_by_its_own_text_and_blocks_wherever_it_stands(table, layout):
    from xxgk.extractors.html import _is_layout

    assert _is_layout(lxml.etree.fromstring(table, lxml.etree.HTMLParser()).find(".//table")) == layout
