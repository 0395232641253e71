"""Annual-report columns recognised by what their names say and the menus they sit in, and
links read from jump menus, image maps and script jumps, on generated pages."""

from __future__ import annotations

import pytest

from tests.fake_http import FakeClient
from xxgk.crawler.columns import heading_context, page_columns, read_name
from xxgk.crawler.families import parse_html
from xxgk.crawler.http import Fetcher, Settings
from xxgk.crawler.links import page_links
from xxgk.crawler.portal_finder import government_links
from xxgk.crawler.portal_search import ColumnNotFound, find_columns
from xxgk.crawler.store import RawStore
from xxgk.samples import cms
from xxgk.schemas.divisions import divisions

HOME = "http://portal.test/"
SUBS = (("政府年报", "/xxgk/zfnb/"), ("部门年报", "/xxgk/bmnb/"), ("乡镇（街道）年报", "/xxgk/xznb/"))


def page(*body: str) -> str:
    return f"<html><head><title>政府信息公开</title></head><body>{''.join(body)}</body></html>"


def subs(names=SUBS, item="<li><a href=\"{path}\">{name}</a></li>") -> str:
    return "".join(item.format(name=name, path=path) for name, path in names)


@pytest.mark.parametrize("name", ["信息公开年报", "政府信息公开年报", "政府信息公开年度报告",
                                  "政府信息公开工作年度报告", "政务公开年报", "信息公开年度报告专栏",
                                  "县政府信息公开年报", "【政府信息公开年报】", "政府信息公开工作报告"])
def test_a_name_for_all_the_annual_reports_is_a_combined_column(name):
    naming = read_name(name)
    assert naming.column and naming.scope is None


@pytest.mark.parametrize("name, scope", [("政府年报", "本级"), ("本级年报", "本级"), ("部门年报", "部门"),
                                         ("区直部门年报", "部门"), ("乡镇年报", "乡镇街道"), ("街道年报", "乡镇街道"),
                                         ("乡镇（街道）年报", "乡镇街道"),
                                         ("镇街信息公开年报", "乡镇街道"), ("部门信息公开年度报告", "部门")])
def test_a_name_for_part_of_the_reports_is_a_sub_column_with_its_scope(name, scope):
    naming = read_name(name)
    assert naming.column and naming.scope == scope


@pytest.mark.parametrize("name", ["政府工作报告", "统计年报", "企业年报公示", "部门预决算", "政府信息公开指南",
                                  "政府网站年度报表", "2023年政府信息公开工作年度报告", "二〇二三年度报告",
                                  "国民经济和社会发展统计公报", "政府信息公开",
                                  "年度报告", "本级", "机关党建", "依申请公开"])
def test_names_of_other_things_and_bare_words_alone_are_no_column(name):
    assert not read_name(name).column


@pytest.mark.parametrize("name", ["本级", "部门", "镇街", "乡镇（街道）", "区直部门"])
def test_a_bare_scope_is_a_sub_column_under_an_annual_report_heading_only(name):
    assert read_name(name, "reports").column and not read_name(name, "disclosure").column


def test_a_bare_annual_report_name_is_a_column_under_a_disclosure_heading():
    assert read_name("年度报告", "disclosure").column and not read_name("年度报告").column
    assert (heading_context("政府信息公开"), heading_context("信息公开年报"), heading_context("部门年报")) == \
        ("disclosure", "reports", None)


@pytest.mark.parametrize("menu", [
    # the heading an <a> without href, the sub-columns in a list below it
    '<ul class="nav"><li><a class="a1" href="/zn/">政府信息公开指南</a></li>'
    '<li><a class="a1">信息公开年报</a><ul>{subs}</ul></li>'
    '<li><a class="a1" href="/zd/">政府信息公开制度</a></li></ul>',
    # a definition list: the heading a <dt>, then another group
    '<dl><dt>信息公开年报</dt>{dd}<dt>政策文件</dt><dd><a href="/zc/bj/">本级文件</a></dd></dl>',
    # a heading block, then a block of links
    '<div class="box"><div class="title"><span>政府信息公开年报</span></div>'
    '<div class="list"><ul>{subs}</ul></div></div>',
    # a heading that links nowhere by script
    '<div><h3><a href="javascript:void(0)">信息公开年报</a></h3><p>{plain}</p></div>',
    # flat: headings and their blocks side by side, the other headings linked
    '<div class="menu"><a class="a1" href="/zn/">政府信息公开指南</a><a class="a1">信息公开年报</a>'
    '<div class="sub">{plain}</div>'
    '<a class="a1" href="/zc/">政策文件</a><div class="sub"><a href="/zc/bj/">本级</a></div></div>',
    # a jump menu whose placeholder is the heading
    '<select onchange="location.href=this.value"><option value="">信息公开年报</option>{options}</select>',
])
def test_sub_columns_under_a_heading_that_links_nowhere_are_each_found(menu):
    html = page(menu.format(subs=subs(), dd=subs(item='<dd><a href="{path}">{name}</a></dd>'),
                            plain=subs(item='<a href="{path}">{name}</a> '),
                            options=subs(item='<option value="{path}">{name}</option>')))
    found = page_columns(html, HOME).columns
    assert [(c.url, c.heading, c.heading_linked) for c in found] == [
        (HOME.rstrip("/") + path, found[0].heading, False) for _, path in SUBS]
    assert "年报" in found[0].heading and [c.scope for c in found] == ["本级", "部门", "乡镇街道"]


def test_bare_scopes_under_an_annual_report_heading_are_sub_columns_and_the_next_group_is_not():
    html = page('<ul><li><a class="a1">年度报告</a><ul>',
                subs((("本级", "/nb/bj/"), ("部门", "/nb/bm/"), ("镇街", "/nb/zj/"))),
                '</ul></li><li><a class="a1">政策文件</a><ul>', subs((("本级", "/zc/bj/"), ("部门", "/zc/bm/"))),
                "</ul></li></ul>")
    assert [c.url for c in page_columns(html, HOME).columns] == [f"{HOME}nb/bj/", f"{HOME}nb/bm/", f"{HOME}nb/zj/"]


def test_a_column_named_only_年度报告_is_found_under_a_disclosure_heading():
    html = page('<div class="menu"><h2>政府信息公开</h2><ul>',
                subs((("政府信息公开指南", "/zn/"), ("年度报告", "/ndbg/"))),
                "</ul></div>")
    [column] = page_columns(html, HOME).columns
    assert (column.url, column.combined, column.heading) == (f"{HOME}ndbg/", True, "政府信息公开")


def test_a_page_reached_as_a_disclosure_page_reads_年度报告_as_its_column():
    html = page('<a href="/ndbg/">年度报告</a> <a href="/zn/">指南</a>')
    assert page_columns(html, HOME).columns == []
    assert [c.url for c in page_columns(html, HOME, "disclosure").columns] == [f"{HOME}ndbg/"]


def test_links_are_read_from_jump_menus_image_maps_and_script_jumps():
    html = page('<select onchange="window.open(this.value)"><option value="">请选择</option>'
                '<option value="http://www.a.gov.cn/">甲市</option><option value="/b/">乙区</option>'
                '<option value="www.c.gov.cn">丙县</option><option value="3">三</option></select>',
                '<map><area shape="rect" href="http://www.d.gov.cn/" alt="丁县"></map>',
                '<li onclick="window.location.href=\'http://www.e.gov.cn/\'">戊县</li>',
                '<a href="javascript:window.open(\'http://www.f.gov.cn/\')">己县</a>',
                '<a href="mailto:x@y.cn">信箱</a>',
                '<a href="javascript:void(0)" onclick="window.open(\'http://www.g.gov.cn/\')">庚县</a>')
    links = page_links(parse_html(html, HOME), HOME)
    assert [(link.url, link.titles[-1]) for link in links] == [
        ("http://www.a.gov.cn/", "甲市"), (f"{HOME}b/", "乙区"), ("http://www.c.gov.cn", "丙县"),
        ("http://www.d.gov.cn/", "丁县"), ("http://www.e.gov.cn/", "戊县"), ("http://www.f.gov.cn/", "己县"),
        ("http://www.g.gov.cn/", "庚县")]


def test_a_provincial_jump_menu_of_forty_portals_gives_forty_governments():
    counties = [d for d in divisions() if d.code.startswith("51") and d.level == "county"]
    names = {d.name: d for d in counties}
    unique = [d for d in counties if sum(1 for c in counties if c.name == d.name) == 1
              and sum(1 for other in names if other != d.name and d.name.endswith(other)) == 0][:40]
    options = "".join(f'<option value="http://www.p{i}.gov.cn/">{d.name}人民政府</option>'
                      for i, d in enumerate(unique))
    html = page(f'<select onchange="window.open(this.value)"><option value="">市州政府网站</option>{options}</select>')
    found = government_links(html, "http://www.sc.gov.cn/", "510000")
    assert len(unique) == 40 and {link.jurisdiction for link in found} == {d.code for d in unique}


def _search(answers: dict[str, str]) -> tuple[Fetcher, FakeClient]:
    html = {"Content-Type": "text/html; charset=utf-8"}
    client = FakeClient({"http://portal.test/robots.txt": [(404, {}, b"")],
                         **{HOME.rstrip("/") + path: [(200, html, text.encode())] for path, text in answers.items()}})
    return Fetcher(RawStore("memory://columns-test"), {}, Settings(), client=client,
                   resolver=lambda host: ["93.184.216.34"]), client


HOME_PAGE = page('<a href="/xxgk/">信息公开</a>')
DISCLOSURE = page('<ul><li><a class="a1">信息公开年报</a><ul>', subs(), "</ul></li></ul>")


def test_split_reports_without_a_combined_column_give_one_entry_per_sub_column_and_say_why():
    fetcher, _ = _search({"/": HOME_PAGE, "/xxgk/": DISCLOSURE})
    choice = find_columns(HOME, fetcher=fetcher, interval=0.0)
    assert [c.url for c in choice.columns] == [HOME.rstrip("/") + path for _, path in SUBS]
    assert "split under the heading 信息公开年报 (which links nowhere)" in choice.reason
    portals = choice.portals("某某县人民政府", "510121")
    assert [p.name for p in portals] == [f"某某县人民政府 ({name})" for name, _ in SUBS]
    assert {(p.jurisdiction, p.organ) for p in portals} == {("510121", "某某县人民政府")}


def test_a_combined_column_that_lists_reports_is_chosen_over_the_sub_columns():
    listed = page("<ul>", cms.list_items([("某某县2023年政府信息公开工作年度报告", "t1.html", "2024-01-15")]), "</ul>")
    fetcher, _ = _search({"/": page('<a href="/xxgk/">信息公开</a> <a href="/nb/">政府信息公开年报</a>', DISCLOSURE),
                          "/nb/": listed})
    choice = find_columns(HOME, fetcher=fetcher, interval=0.0)
    assert [c.url for c in choice.columns] == [f"{HOME}nb/"]
    assert choice.reason.startswith("the combined column 政府信息公开年报 lists the reports, "
                                    "so its sub-columns 政府年报")


def test_a_combined_column_that_lists_nothing_gives_way_to_the_sub_columns():
    fetcher, _ = _search({"/": page('<a href="/nb/">政府信息公开年报</a>', DISCLOSURE), "/nb/": page("<p>建设中</p>")})
    choice = find_columns(HOME, fetcher=fetcher, interval=0.0)
    assert len(choice.columns) == 3 and choice.reason.startswith("the combined column 政府信息公开年报 lists no report")


def test_a_portal_without_any_report_column_is_refused_with_the_pages_it_read():
    fetcher, client = _search({"/": HOME_PAGE, "/xxgk/": page('<a href="/zn/">政府信息公开指南</a>')})
    with pytest.raises(ColumnNotFound, match="no link to an annual-report column"):
        find_columns(HOME, fetcher=fetcher, interval=0.0)
    assert client.sent == ["http://portal.test/robots.txt", HOME, f"{HOME}xxgk/"]
