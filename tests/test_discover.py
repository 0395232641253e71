"""Recognising reports, list pages and attachments on the pages CMS families write."""

from __future__ import annotations

import pytest

from xxgk.crawler.discover import column_links, listing, page_text, report_document, report_year
from xxgk.crawler.registry import Profile

COLUMN = "http://portal.test/zwgk/ndbg/index.html"


def next_urls(found) -> list[str]:
    return [request.url for request in found.next]


def page(*anchors: str, script: str = "") -> str:
    return f"<html><body><ul>{''.join(f'<li>{a}</li>' for a in anchors)}</ul>{script}</body></html>"


@pytest.mark.parametrize("title, year", [
    ("海东市人民政府2023年政府信息公开工作年度报告", 2023),
    ("2022年度政府信息公开工作报告", 2022),
    ("杭州市财政局2021年政府信息公开年报", 2021),
    ("政府信息公开工作年度报告（2020年）", 2020),
    ("2023年 政府信息公开 工作年度报告", 2023),
])
def test_report_titles_give_their_year(title, year):
    assert report_year(title) == year


@pytest.mark.parametrize("title", ["2023年政府信息公开工作要点", "政府信息公开指南（2023年修订）", "政府信息公开工作年度报告",
                                   "关于做好2023年政务公开工作的通知"])
def test_other_titles_are_not_reports(title):
    assert report_year(title) is None


def test_a_truncated_anchor_text_is_read_from_the_title_attribute():
    html = page('<a href="t1.html" title="青海省人民政府2023年政府信息公开工作年度报告">青海省人民政府2023年政府信息…</a>')
    [link] = listing(html, COLUMN).reports
    assert (link.year, link.url) == (2023, "http://portal.test/zwgk/ndbg/t1.html")


@pytest.mark.parametrize("title, organ", [
    ("四川省统计局2023年政府信息公开工作年度报告", "四川省统计局"),
    ("青海省人民政府2023年政府信息公开工作年度报告", "青海省人民政府"),
    ("2023年度政府信息公开工作报告", None),
    ("关于2023年政府信息公开工作年度报告", None),
])
def test_a_report_title_names_its_organ_before_the_year(title, organ):
    [link] = listing(page(f'<a href="t.html">{title}</a>'), COLUMN).reports
    assert link.organ == organ


def test_a_report_linked_twice_on_a_page_is_listed_once():
    anchor = '<a href="t1.html">2023年政府信息公开工作年度报告</a>'
    assert len(listing(page(anchor, anchor), COLUMN).reports) == 1


def test_trs_page_counts_in_script_give_every_list_page():
    html = page(script='<script>createPageHTML(3, 0, "index", "html");</script>')
    assert next_urls(listing(html, COLUMN)) == ["http://portal.test/zwgk/ndbg/index_1.html",
                                                "http://portal.test/zwgk/ndbg/index_2.html"]


def test_next_page_and_numbered_query_links_are_followed():
    html = page('<a href="index.html?pageNum=2">2</a>', '<a href="index.html?pageNum=3">下一页</a>', '<a href="/about">3</a>')
    assert next_urls(listing(html, COLUMN)) == ["http://portal.test/zwgk/ndbg/index.html?pageNum=2",
                                                "http://portal.test/zwgk/ndbg/index.html?pageNum=3"]


def test_pages_on_another_host_are_not_pagination():
    assert next_urls(listing(page('<a href="http://elsewhere.test/list_2.html">下一页</a>'), COLUMN)) == []


def test_a_profile_xpath_replaces_the_generic_rules():
    html = page('<a class="r" href="a.html">2023年度报告</a>', '<a href="b.html">2022年政府信息公开工作年度报告</a>',
                '<a class="more" href="more_2.html">更多</a>')
    profile = Profile(list_item="//a[@class='r']", next_page="//a[@class='more']")
    found = listing(html, COLUMN, profile)
    assert [link.url for link in found.reports] == []  # "2023年度报告" is not a report title
    assert next_urls(found) == ["http://portal.test/zwgk/ndbg/more_2.html"]


def test_a_detail_page_with_an_attachment_points_to_it():
    html = page('<a href="P0.jpg">图解</a>', '<a href="P01.pdf">2023年政府信息公开工作年度报告.pdf</a>')
    assert report_document(html, COLUMN) == "http://portal.test/zwgk/ndbg/P01.pdf"


def test_among_several_attachments_the_one_titled_as_a_report_is_chosen():
    html = page('<a href="a.xls">附表</a>', '<a href="b.docx">年度报告全文</a>')
    assert report_document(html, COLUMN) == "http://portal.test/zwgk/ndbg/b.docx"


def test_a_detail_page_without_attachments_is_the_report_itself():
    assert report_document(page('<a href="/">首页</a>'), COLUMN) is None


def test_an_undeclared_gbk_page_is_decoded():
    html = page('<a href="t.html">2023年政府信息公开工作年度报告</a>').encode("gbk")
    assert listing(page_text(html, None), COLUMN).reports[0].year == 2023


def test_the_annual_report_column_is_found_by_its_link_text():
    html = page('<a href="/xxgk/">信息公开</a>', '<a href="/xxgk/ndbg/">政府信息公开年报</a>')
    assert column_links(html, "http://portal.test/") == (["http://portal.test/xxgk/ndbg/"], ["http://portal.test/xxgk/"])
