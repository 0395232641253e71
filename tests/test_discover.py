"""Recognising reports, list pages and attachments on the pages CMS families write."""

from __future__ import annotations

import pytest

from tests.shared import needs_shared, shared
from xxgk.crawler.columns import page_columns
from xxgk.crawler.discover import credit, listing, page_text, report_document
from xxgk.crawler.portal_finder import government_links
from xxgk.crawler.registry import Profile
from xxgk.samples import cms
from xxgk.schemas.identity import ReportIdentity
from xxgk.schemas.titles import report_title

COLUMN = "http://portal.test/zwgk/ndbg/index.html"


def report_year(title: str) -> int | None:
    """The year discovery takes a link titled so for, or None where it is no report."""
    reading = report_title(title)
    return reading.year if reading else None


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


@pytest.mark.parametrize("title", ["2023年政府信息公开工作要点", "政府信息公开指南（2023年修订）",
                                   "政府信息公开工作年度报告", "关于做好2023年政务公开工作的通知"])
def test_other_titles_are_not_reports(title):
    assert report_year(title) is None


def test_a_truncated_anchor_text_is_read_from_the_title_attribute():
    html = page('<a href="t1.html" title="青海省人民政府2023年政府信息公开工作年度报告">'
                '青海省人民政府2023年政府信息…</a>')
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
    html = page('<a href="index.html?pageNum=2">2</a>', '<a href="index.html?pageNum=3">下一页</a>',
                '<a href="/about">3</a>')
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
    found = page_columns(html, "http://portal.test/")
    assert [c.url for c in found.columns] == ["http://portal.test/xxgk/ndbg/"]
    assert found.disclosure == ["http://portal.test/xxgk/"]


@pytest.mark.parametrize("title, year", [
    ("鄂尔多斯市地方税务局2013年信息公开年度报告", 2013),
    ("某某县统计局2019年信息公开年报", 2019),
    ("某某市教育局2020年信息公开工作年度报告", 2020),
])
def test_reports_without_government_in_their_title_are_reports(title, year):
    assert report_year(title) == year


@pytest.mark.parametrize("title", ["2021年度政府网站年度工作报表",
                                   "定西市人民政府办公室关于2021年度履行教育职责自查自评的报告",
                                   "关于2019年政府信息公开工作要点落实情况的函",
                                   "关于2019年政府信息公开工作要点落实情况的报告"])
def test_near_misses_are_not_reports(title):
    assert report_year(title) is None


@pytest.mark.parametrize("title, portal, credited", [
    ("鄂尔多斯市2019年政府信息公开工作年度报告", ("150000", "内蒙古自治区人民政府"), ("150600", "鄂尔多斯市人民政府")),
    ("内蒙古自治区2018年政府信息公开工作年度报告", ("150600", "鄂尔多斯市人民政府"),
     ("150000", "内蒙古自治区人民政府")),
    ("鄂尔多斯市2019年政府信息公开工作年度报告", ("150600", "鄂尔多斯市人民政府"), ("150600", "鄂尔多斯市人民政府")),
    ("鄂尔多斯市地方税务局2013年信息公开年度报告", ("150000", "内蒙古自治区人民政府"),
     ("150600", "鄂尔多斯市地方税务局")),
    ("2023年度政府信息公开工作报告", ("150600", "鄂尔多斯市人民政府"), ("150600", "鄂尔多斯市人民政府")),
])
def test_a_place_led_title_names_its_own_jurisdiction_and_a_department_keeps_its_organ(title, portal, credited):
    [link] = listing(page(f'<a href="t.html">{title}</a>'), COLUMN).reports
    assert credit(link, *portal) == ReportIdentity(*credited, link.year)


def test_a_place_name_shared_by_divisions_is_read_as_the_one_near_the_portal():
    [link] = listing(page('<a href="t.html">西湖区2023年政府信息公开工作年度报告</a>'), COLUMN).reports
    assert credit(link, "330100", "杭州市人民政府").jurisdiction_code == "330106"


def test_an_attachment_bound_by_an_avalon_attribute_is_the_report():
    html = page('<a href="/">首页</a>',
                script=cms.fujian_detail("2023年政府信息公开工作年度报告", "正文", "./P020240301.pdf"))
    assert report_document(html, COLUMN) == "http://portal.test/zwgk/ndbg/P020240301.pdf"


def test_an_attachment_bound_by_a_data_attribute_or_a_script_variable_is_the_report():
    assert report_document(page('<span data-href="/files/nb.pdf">下载</span>'), COLUMN) == "http://portal.test/files/nb.pdf"
    assert report_document(page(script='<script>var fileUrl = "./nb2023.docx";</script>'), COLUMN) == \
        "http://portal.test/zwgk/ndbg/nb2023.docx"


def test_a_binding_left_to_an_expression_is_no_attachment_and_the_page_stays_the_report():
    assert report_document(page('<a ms-attr-href="el.fileurl">全真版</a>'), COLUMN) is None


def test_links_titled_with_a_government_or_a_place_are_matched_to_divisions():
    html = page('<a href="http://www.fuzhou.gov.cn/">福州市人民政府</a>', '<a href="http://www.xm.gov.cn/">厦门市</a>',
                '<a href="http://www.gl.gov.cn/">鼓楼区政府门户网站</a>', '<a href="http://www.fjrb.cn/">福建日报</a>',
                '<a href="/zwgk/">政府信息公开</a>')
    found = {(link.organ, link.jurisdiction) for link in government_links(html, "http://www.fuzhou.gov.cn/", "350100")}
    assert found == {("福州市人民政府", "350100"), ("厦门市人民政府", "350200"), ("鼓楼区人民政府", "350102")}


@needs_shared
def test_the_real_fujian_pages_footer_links_its_provinces_portal():
    real = shared("real", "portals", "fujian-pingtan-zfxxgknb-list.html")
    links = government_links(page_text(real.read_bytes(), None), "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/")
    assert [(link.organ, link.jurisdiction, link.url) for link in links] == [
        ("福建省人民政府", "350000", "http://www.fj.gov.cn/")]


@pytest.mark.parametrize("title, year", [
    ("某某市地方税务局2013年信息公开年度报告", 2013),
    ("关于2008年政府信息公开工作情况的报告", 2008),
    ("某某县统计局2009年度信息公开工作报告", 2009),
    ("某某县人民政府二〇一二年政府信息公开工作年度报告", 2012),
])
def test_the_titles_of_2008_to_2018_reports_are_reports(title, year):
    assert report_year(title) == year
