"""Discovery by CMS family, detected from the page: what each family's listing pages and
list-API answers yield, on the markup samples/cms.py writes as the real sites do, and on
the real pages in ../shared/real/portals/."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.shared import shared, shared_cases
from xxgk.crawler.discover import listing, page_text
from xxgk.crawler.families import PageRequest
from xxgk.crawler.registry import Profile
from xxgk.samples import cms

REAL = shared("real", "portals")
COLUMN = "http://portal.test/zwgk/ndbg/index.html"


def items(count: int, start: int = 1, report_every: int = 2) -> list[cms.Item]:
    """List items, every `report_every`-th an annual report (the n-th of the year 2008 + n // 2)."""
    return [(f"某某县人民政府{2008 + n // 2}年政府信息公开工作年度报告" if n % report_every == 0
             else f"关于第{n}批项目的公示公告",
             f"/art/2024/1/1/art_1_{n}.html", "2024-01-01") for n in range(start, start + count)]


def html(body: str) -> str:
    return f"<html><body>{body}</body></html>"


def query(request: PageRequest) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(request.url).query))


# ---------------------------------------------------------------- TRS WCM

def test_a_six_argument_trs_pager_gives_its_shtml_pages_and_declares_its_records():
    url = "http://portal.test/zwgk/ndbg/list.shtml"
    found = listing(html(cms.trs_pager("createPageHTML6", 3, 0, "list", "shtml", total=25)), url)
    assert (found.family, found.declared_total, found.declared_pages) == ("trs", 25, 3)
    assert [r.url for r in found.next] == ["http://portal.test/zwgk/ndbg/list_1.shtml",
                                           "http://portal.test/zwgk/ndbg/list_2.shtml"]


def test_a_count_page_script_with_a_document_write_pager_gives_every_page():
    found = listing(html(cms.trs_pager("countPage", 3, 0, "index", "shtml")), "http://portal.test/zwgk/ndbg/index.shtml")
    assert [r.url for r in found.next] == ["http://portal.test/zwgk/ndbg/index_1.shtml",
                                           "http://portal.test/zwgk/ndbg/index_2.shtml"]


def test_a_declared_page_count_is_capped_before_pages_are_generated():
    found = listing(html(cms.trs_pager("createPageHTML", 10**12, 0)), COLUMN, Profile(max_pages=5))
    assert len(found.next) == 4 and found.declared_pages == 10**12


@pytest.mark.parametrize("call, pages", [
    ('createPageHTML("3", "0", "index", "html");', 3),
    ("createPageHTML('page_div', 3, 0, 'index', 'html', 25);", 3),
    ("createPageHTML(3, 0, 'index', 'html', 25);", 3),
])
def test_create_page_html_is_read_in_each_of_its_forms(call, pages):
    found = listing(html(f"<script>{call}</script>"), COLUMN)
    assert found.declared_pages == pages
    assert [r.url for r in found.next] == ["http://portal.test/zwgk/ndbg/index_1.html", "http://portal.test/zwgk/ndbg/index_2.html"]


def test_the_definition_of_create_page_html_is_not_taken_for_its_call():
    script = ("function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {}\n"
              "createPageHTML(2, 0, 'index', 'htm');")
    assert [r.url for r in listing(html(f"<script>{script}</script>"), COLUMN).next] == [
        "http://portal.test/zwgk/ndbg/index_1.htm"]


def test_a_pager_object_gives_the_pages_after_the_current_one():
    found = listing(html(cms.trs_pager("Pager", 4, 0, "index", "html")), COLUMN)
    assert (found.family, found.declared_pages) == ("trs", 4)
    assert [r.url.rsplit("/", 1)[1] for r in found.next] == ["index_1.html", "index_2.html", "index_3.html"]


def test_a_script_pager_on_a_later_page_does_not_give_the_pages_before_it():
    found = listing(html(cms.trs_pager("createPageHTML", 4, 2, "index", "html")), "http://portal.test/zwgk/ndbg/index_2.html")
    assert [r.url.rsplit("/", 1)[1] for r in found.next] == ["index_3.html"]


# ---------------------------------------------------------------- static pagers

@pytest.mark.parametrize("variant, pages", [("empire", None), ("count", 7), ("records", 7)])
def test_a_static_pager_declares_the_columns_records_and_pages(variant, pages):
    found = listing(html(cms.static_pager(variant, 1, 7, 99)), COLUMN)
    assert (found.declared_total, found.declared_pages) == (99, pages)
    assert "http://portal.test/zwgk/ndbg/index_2.html" in [r.url for r in found.next]


@pytest.mark.parametrize("variant", ["empire", "count", "records"])
def test_on_the_last_page_the_links_back_are_not_further_pages(variant):
    found = listing(html(cms.static_pager(variant, 7, 7, 99)), "http://portal.test/zwgk/ndbg/index_7.html")
    assert found.next == []


def test_a_next_link_without_a_page_number_is_followed_from_a_numbered_page():
    found = listing(html('<a href="more.jsp?start=40">下一页</a>'), "http://portal.test/zwgk/list.jsp?page=3")
    assert [r.url for r in found.next] == ["http://portal.test/zwgk/more.jsp?start=40"]


@pytest.mark.parametrize("pager, total, pages", [
    ("共 <b>42</b> 条记录 第1/5页", 42, None), ("总记录数：42 | 共<span>5</span>页", 42, 5), ("页次：1/5", None, 5),
    ("<p>中共某某县委2023年工作条例</p>", None, None),
])
def test_the_size_a_pager_prints_is_read_whatever_markup_surrounds_it(pager, total, pages):
    found = listing(html(pager), COLUMN)
    assert (found.declared_total, found.declared_pages) == (total, pages)


# ---------------------------------------------------------------- Hanweb jpage

def hanweb_page(listed: list[cms.Item], total: int | None = None) -> str:
    return html(cms.hanweb_column(listed, 1229, 5891, 63, "某某县人民政府", per_page=5, total=total))


def test_hanweb_records_are_read_from_the_datastore_cdata():
    found = listing(hanweb_page(items(10)), "http://portal.test/col/col1229/index.html")
    assert found.family == "hanweb"
    assert [link.year for link in found.reports] == [2009, 2010, 2011, 2012, 2013]
    assert len(found.others) == 5


def test_hanweb_further_groups_are_dataproxy_posts_with_the_columns_own_settings():
    [request] = listing(hanweb_page(items(10)), "http://portal.test/col/col1229/index.html").next
    assert (request.method, urlsplit(request.url).path) == ("POST", cms.HANWEB_PROXY)
    assert query(request) == {"startrecord": "11", "endrecord": "20", "perpage": "5"}
    assert {k: v for k, v in request.form if k in ("columnid", "unitid", "webid", "webname")} == {
        "columnid": "1229", "unitid": "5891", "webid": "63", "webname": "某某县人民政府"}


def test_a_declared_hanweb_total_gives_every_group_at_once():
    found = listing(hanweb_page(items(10), total=35), "http://portal.test/col/col1229/index.html")
    assert found.declared_total == 35
    assert [query(r)["startrecord"] for r in found.next] == ["11", "21", "31"]


def test_a_full_dataproxy_answer_asks_for_the_next_group_and_a_short_one_ends():
    [request] = listing(hanweb_page(items(10)), "http://portal.test/col/col1229/index.html").next
    full = listing(cms.hanweb_answer(items(10, 11), 1229, 5891, 63, "x").decode(), request.url, request=request)
    assert [query(r)["startrecord"] for r in full.next] == ["21"] and full.next[0].form == request.form
    short = listing(cms.hanweb_answer(items(3, 11), 1229, 5891, 63, "x").decode(), request.url, request=request)
    assert short.next == [] and len(short.reports) + len(short.others) == 3


# ---------------------------------------------------------------- Fujian's unified platform

FUJIAN = "http://portal.test/zwgk/zfxxgk/zfxxgknb/"


def test_fujian_page_one_is_read_and_the_rest_asked_of_its_list_api():
    found = listing(html(cms.fujian_list(items(10), 1813, 200210, record_count=35, per_page=10)), FUJIAN)
    assert (found.family, len(found.reports), found.declared_total) == ("fujian", 5, 35)
    assert [dict(r.form)["page"] for r in found.next] == ["2", "3", "4"]
    assert {r.url for r in found.next} == {"http://portal.test" + cms.FUJIAN_API}
    assert dict(found.next[0].form) | {"page": "-"} == {"channelid": "200210", "classsql": "chnlid=1813",
                                                         "sortfield": "-docorderpri,-docreltime", "prepage": "10",
                                                         "page": "-"}


def test_a_fujian_list_api_answer_gives_its_items():
    request = listing(html(cms.fujian_list(items(10), 1813, 200210, 20, 10)), FUJIAN).next[0]
    found = listing(cms.fujian_answer(items(10, 11), 2, 20).decode(), request.url, request=request)
    assert [link.year for link in found.reports] == [2014, 2015, 2016, 2017, 2018]


# ---------------------------------------------------------------- Guangdong's gkmlpt

def test_a_gkmlpt_shell_leads_to_its_json_api_with_the_sid_and_the_fragments_category():
    found = listing(html(cms.gkmlpt_shell(757)), "http://portal.test/gkmlpt/annualreport#2629")
    assert found.family == "gkmlpt"
    assert [r.url for r in found.next] == ["http://portal.test" + cms.gkmlpt_api(2629, 757, 1)]


def test_the_first_gkmlpt_answer_pages_the_api_to_its_total():
    request = PageRequest("http://portal.test" + cms.gkmlpt_api(2629, 757, 1), reads="gkmlpt")
    found = listing(cms.gkmlpt_answer(items(10), total=25).decode(), request.url, request=request)
    assert (len(found.reports), found.declared_total) == (5, 25)
    assert [r.url for r in found.next] == ["http://portal.test" + cms.gkmlpt_api(2629, 757, n) for n in (2, 3)]


def test_a_profile_may_name_the_family_the_page_hides():
    answer = cms.gkmlpt_answer(items(4), total=4).decode()
    assert listing(answer, "http://portal.test/api/list", Profile(family="gkmlpt")).family == "gkmlpt"


# ---------------------------------------------------------------- the real pages

EXPECTED = json.loads((REAL / "expected.json").read_text(encoding="utf-8")) if REAL.is_dir() else {}


def real(name: str):
    return listing(page_text((REAL / name).read_bytes(), None), EXPECTED[name]["url"], Profile(max_pages=1000))


@pytest.mark.parametrize("name", shared_cases(sorted(EXPECTED)))
def test_a_real_listing_page_gives_its_reports_items_and_next_page(name):
    found, expected = real(name), EXPECTED[name]
    assert len(found.reports) == expected["reports"]
    assert len(found.others) >= expected["other_links_at_least"]
    assert any(expected["next_mentions"] in json.dumps(r.to_json(), ensure_ascii=False) for r in found.next)


@pytest.mark.parametrize("name", shared_cases(sorted(EXPECTED)))
def test_a_real_listing_page_gives_the_size_its_column_declares(name):
    assert real(name).declared_total == EXPECTED[name]["declared_total"]


def test_a_full_dataproxy_answer_at_the_declared_total_asks_for_nothing_more():
    [request] = listing(hanweb_page(items(10), total=20), "http://portal.test/col/col1229/index.html").next
    answer = listing(cms.hanweb_answer(items(10, 11), 1229, 5891, 63, "x").decode(), request.url, request=request)
    assert answer.next == []
