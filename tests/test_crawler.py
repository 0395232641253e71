"""Crawling the demo portal on loopback: what is found, what is asked, what is refused."""

from __future__ import annotations

import hashlib
from collections import defaultdict

import pytest

from tests.conftest import DEMO_RATE, crawl_demo
from tests.fake_http import FakeClient
from xxgk.crawler.columns import Column
from xxgk.crawler.crawl import crawl, crawl_portal
from xxgk.crawler.http import Fetcher, Settings
from xxgk.crawler.portal_finder import ProposedPortal, discover_portals, merge
from xxgk.crawler.portal_search import ColumnChoice
from xxgk.crawler.registry import Portal, Profile
from xxgk.crawler.store import RawStore
from xxgk.samples import cms
from xxgk.schemas.identity import ReportIdentity
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.crawl_state import record_crawl
from xxgk.warehouse.explain import explain


def _log(crawled, outcome: str) -> dict[str, str]:
    return {e.url: e.error for e in crawled.fetcher.log if e.outcome == outcome}


def _served(crawled):
    return crawled.portal.requests[crawled.first_request:crawled.last_request]


@pytest.mark.slow
def test_every_report_in_the_manifest_is_found_exactly_once_and_nothing_else(first_crawl):
    found = [r.url for p in first_crawl.results for r in p.reports]
    assert sorted(found) == sorted(m["url"] for m in first_crawl.portal.manifest())


def test_found_reports_carry_the_portal_jurisdiction_and_the_organ_and_year_of_their_listing(first_crawl):
    """The organ is the one the link title names (a department's report listed in its
    government's column is the department's), else the portal's."""
    manifest = {m["url"]: m for m in first_crawl.portal.manifest()}
    for report in (r for p in first_crawl.results for r in p.reports):
        expected = manifest[report.url]
        assert report.identity == ReportIdentity(expected["jurisdiction_code"], expected["organ"], expected["year"])


def test_no_portal_fails(first_crawl):
    assert [p.error for p in first_crawl.results if p.error] == []


def test_requests_to_one_host_are_never_closer_than_the_configured_rate(first_crawl):
    arrivals = defaultdict(list)
    for request in _served(first_crawl):
        arrivals[request.port].append(request.at)
    gaps = [b - a for times in arrivals.values() for a, b in zip(sorted(times), sorted(times)[1:], strict=False)]
    assert gaps and min(gaps) >= 1 / DEMO_RATE - 0.01


def test_robots_txt_is_obeyed_and_the_refusal_logged(first_crawl):
    assert not [r for r in _served(first_crawl) if r.path.startswith("/col/internal/")]
    assert any("robots.txt" in error and "/col/internal/" in error for error in _log(first_crawl, "refused").values())


def test_a_page_failing_once_with_a_500_is_retried_and_its_report_found(first_crawl):
    portal = first_crawl.portal
    site = next(s for s in portal.sites if any(p.behaviour == "flaky" for p in s.pages.values()))
    path = next(path for path, page in site.pages.items() if page.behaviour == "flaky")
    port = int(portal.base_url(site).rsplit(":", 1)[1])
    assert [r.status for r in _served(first_crawl) if (r.port, r.path) == (port, path)][:2] == [500, 200]
    assert ({r.identity.year for p in first_crawl.results for r in p.reports if r.identity.organ == site.organ}
            == {r.year for r in site.reports})


def test_a_broken_link_is_recorded_as_failed_with_its_status(first_crawl):
    failed = _log(first_crawl, "failed")
    assert [error for url, error in failed.items() if url.endswith("/P0missing.pdf")] == ["HTTP 404"]


def test_a_link_to_another_domain_is_refused_without_a_request(first_crawl):
    refused = _log(first_crawl, "refused")
    assert "outside the portal's allowed domains" in refused["http://www.gov.cn/zhengce/2024-03/ndbg.html"]


def test_gbk_pages_are_decoded_reports_found_on_them(first_crawl):
    gbk = {s.organ for s in first_crawl.portal.sites if s.charset == "gbk"}
    found = {r.identity.organ for p in first_crawl.results for r in p.reports}
    assert gbk <= found


@pytest.mark.slow
def test_a_second_crawl_sends_only_conditional_requests_and_stores_nothing_new(first_crawl, tmp_path):
    files_before = sorted(first_crawl.store.fs.find(first_crawl.store.root))
    second = crawl_demo(first_crawl.portal, first_crawl.store, known=first_crawl.fetcher.state)
    missing_before = {*_log(first_crawl, "failed"), *_log(first_crawl, "absent")}  # nothing to ask conditionally
    unconditional = [r for r in _served(second) if not r.conditional]
    assert all(any(url.endswith(r.path) for url in missing_before) for r in unconditional)
    assert {r.status for p in second.results for r in p.reports} == {"unchanged"}
    assert sorted(first_crawl.store.fs.find(first_crawl.store.root)) == files_before


def test_private_addresses_are_refused_unless_the_run_allows_them(demo_portal, tmp_path):
    before = len(demo_portal.requests)
    fetcher = Fetcher(RawStore(str(tmp_path)), {}, Settings(allow_private=False))
    results = list(crawl(demo_portal.registry(), fetcher))
    assert len(demo_portal.requests) == before
    assert all(p.error for p in results)
    assert {e.outcome for e in fetcher.log} == {"refused"}
    assert all("loopback" in e.error for e in fetcher.log)


def test_each_demo_column_is_read_as_its_cms_family_without_a_profile(first_crawl):
    demo = first_crawl.portal
    families = {p.portal: p.family for p in first_crawl.results}
    site_of = {p.name: next(s for s in demo.sites if p.entry.startswith(demo.base_url(s) + "/"))
               for p in demo.registry()}
    assert families == {name: ("static" if s.style in ("plain", "split") else s.family) for name, s in site_of.items()}


def test_hanweb_and_fujian_pages_beyond_the_first_are_form_posts_the_sites_answer(first_crawl):
    posts = {(r.path.split("?")[0], r.status) for r in _served(first_crawl) if r.method == "POST"}
    assert posts == {("/module/web/jpage/dataproxy.jsp", 200), ("/fjdzapp/search", 200)}


def test_no_demo_column_falls_short_of_what_it_declares(first_crawl):
    assert {p.portal: p.shortfall for p in first_crawl.results if p.shortfall} == {}


def test_demo_reports_worded_as_real_columns_word_them_are_all_taken(first_crawl):
    titles = {c.title for p in first_crawl.results for c in p.candidates if c.reason == "taken"}
    for wording in ("人民政府2019政府信息公开工作年度报告", "2019年度四川省人民政府政务信息公开报告",
                    "二〇一九年政府信息年度报告", "2019年度信息公开工作总结报告"):
        assert any(wording in title for title in titles), wording


def test_demo_columns_declare_their_size_in_static_pagers_and_pager_objects(first_crawl):
    declared = {p.portal.split(" ")[0]: (p.family, p.declared_total, p.declared_pages, p.pages_read)
                for p in first_crawl.results}
    sites = {s.jurisdiction: s for s in first_crawl.portal.sites}
    for code in ("630202", "510000"):   # EmpireCMS's Total record; 记录数 and 页次
        family, total, pages, read = next(v for k, v in declared.items() if k.startswith(sites[code].organ))
        assert family == "static" and total is not None and total >= len(sites[code].reports) and read >= 2
    family, total, pages, read = next(v for k, v in declared.items() if k.startswith(sites["630000"].organ))
    assert (family, pages) == ("trs", read)


def test_a_column_whose_declared_total_is_not_reached_says_so(tmp_path):
    column = "http://portal.test/zwgk/zfxxgknb/"
    listed = [(f"某某县人民政府{2010 + n}年政府信息公开工作年度报告", f"./t{n}.htm", "2024-01-01") for n in range(10)]
    page = f"<html><body>{cms.fujian_list(listed, 1813, 200210, record_count=20, per_page=10)}</body></html>"
    transport = FakeClient({"http://portal.test/robots.txt": [(404, {}, b"")],
                            column: [(200, {"Content-Type": "text/html; charset=utf-8"}, page.encode())]})
    fetcher = Fetcher(RawStore(str(tmp_path)), {}, Settings(backoff=0.01), client=transport,
                      resolver=lambda host: ["93.184.216.34"])
    portal = Portal("某某县", "630202", "某某县人民政府", column, profile=Profile(rate=50))
    result = crawl_portal(portal, fetcher, years={1990})
    assert result.shortfall == ("column declares 20 records, 10 read as reports and 0 as other pages "
                                "(10 list items reached)")
    assert {c.reason for c in result.candidates} == {"year not asked"}


def static_column(tmp_path, titles: list[str], pager: str):
    """A portal whose column is one static page listing `titles` above `pager`, and its fetcher."""
    column = "http://portal.test/xxgk/ndbg/index.html"
    rows = "".join(f'<li><a href="t{n}.html">{title}</a></li>' for n, title in enumerate(titles))
    page = f"<html><body><ul>{rows}</ul>{pager}</body></html>"
    transport = FakeClient({"http://portal.test/robots.txt": [(404, {}, b"")],
                            column: [(200, {"Content-Type": "text/html; charset=utf-8"}, page.encode())]})
    fetcher = Fetcher(RawStore(str(tmp_path)), {}, Settings(backoff=0.01), client=transport,
                      resolver=lambda host: ["93.184.216.34"])
    return Portal("某某县", "630202", "某某县人民政府", column, profile=Profile(rate=50)), fetcher


def test_a_column_whose_titles_are_not_all_read_as_reports_or_as_other_pages_is_short(tmp_path):
    titles = ["某某县2022年政府信息公开工作年度报告", "某某县2021年政府信息公开工作年度报告",
              "某某县二〇二〇年信息公开情况汇编"]
    portal, fetcher = static_column(tmp_path, titles, '<div><a title="Total record">&nbsp;<b>3</b> </a></div>')
    result = crawl_portal(portal, fetcher, years={1990})
    assert result.shortfall == ("column declares 3 records, 2 read as reports and 0 as other pages "
                                "(3 list items reached)")


def test_a_column_whose_other_titles_name_what_they_are_is_not_short(tmp_path):
    titles = ["某某县2022年政府信息公开工作年度报告", "某某县2021年政府信息公开工作年度报告",
              "某某县2023年政务公开工作要点"]
    portal, fetcher = static_column(tmp_path, titles, "<div>共3条记录 共1页</div>")
    assert crawl_portal(portal, fetcher, years={1990}).shortfall is None


@pytest.mark.slow
def test_explain_shows_each_candidate_of_a_jurisdiction_year_with_its_reason(first_crawl, tmp_path):
    site = next(s for s in first_crawl.portal.sites if s.jurisdiction == "330000")
    result = next(p for p in first_crawl.results if p.portal.startswith(site.organ))
    with open_warehouse(str(tmp_path / "w.lake")) as con:
        record_crawl(con, "run1", first_crawl.fetcher.log, {}, [r for p in first_crawl.results
                                                                 for r in p.discovery_records()])
        told = explain(con, "330000", 2022, [(result.portal, result.entry)])
    reasons = {(title, reason) for _, title, _, reason in told.candidates}
    assert (f"{site.organ}2022年政府信息公开工作年度报告", "taken") in reasons
    assert any(reason == "not a report title" and "2022年" in title for title, reason in reasons)
    assert told.pages and all(outcome in ("fetched", "unchanged") for _, outcome, _ in told.pages)
    assert any("no report of this jurisdiction and year is in the warehouse" in line for line in told.lines())


def test_undated_links_naming_other_pages_do_not_account_for_a_columns_records(tmp_path):
    titles = ["某某县2022年政府信息公开工作年度报告", "政府信息公开指南", "政府信息公开制度"]
    portal, fetcher = static_column(tmp_path, titles, "<div>共3条</div>")
    assert crawl_portal(portal, fetcher, years={1990}).shortfall == \
        "column declares 3 records, 1 read as reports and 0 as other pages (3 list items reached)"


@pytest.mark.slow
def test_explain_without_a_registry_names_the_crawled_portals_and_what_their_listing_gave(first_crawl, tmp_path):
    site = next(s for s in first_crawl.portal.sites if s.jurisdiction == "330000")
    result = next(p for p in first_crawl.results if p.portal.startswith(site.organ))
    with open_warehouse(str(tmp_path / "w.lake")) as con:
        record_crawl(con, "run1", first_crawl.fetcher.log, {}, result.discovery_records())
        lines = explain(con, "330000", 2022, None).lines()
    assert not any("registered now: none" in line for line in lines)
    assert "  registry not read (give `--registry` to see which portals are registered now)" in lines
    assert any(line.startswith(f"  crawled {result.portal} in run run1: listing gave ") and " taken" in line
               for line in lines)


@pytest.mark.slow
def test_explain_says_why_a_title_naming_the_year_was_passed_by(first_crawl, tmp_path):
    result = next(p for p in first_crawl.results if p.portal.startswith("浙江省"))
    passed = next(c for c in result.candidates if c.reason == "not a report title" and "2022年" in (c.title or ""))
    with open_warehouse(str(tmp_path / "w.lake")) as con:
        record_crawl(con, "run1", first_crawl.fetcher.log, {}, result.discovery_records())
        lines = explain(con, "330000", 2022, None).lines()
    [line] = [line for line in lines if passed.url in line]
    assert line.startswith(f"  not a report title: {passed.title}") and "not a report (score" in line


@pytest.mark.slow
def test_explain_names_a_short_column(tmp_path):
    titles = ["某某县2022年政府信息公开工作年度报告", "某某县2022年信息公开情况汇编"]
    portal, fetcher = static_column(tmp_path, titles, "<div>共5条</div>")
    result = crawl_portal(portal, fetcher, years={2022})
    with open_warehouse(str(tmp_path / "w.lake")) as con:
        record_crawl(con, "run1", fetcher.log, {}, result.discovery_records())
        lines = explain(con, "630202", 2022, [(portal.name, portal.entry)]).lines()
    assert ("    short: column declares 5 records, 1 read as reports and 0 as other pages (2 list items reached)"
            in lines)
    assert f"  registered now: {portal.name}: {portal.entry}" in lines


@pytest.mark.slow
def test_explain_shows_a_link_robots_txt_refused(first_crawl, tmp_path):
    result = next(p for p in first_crawl.results if p.portal.startswith("浙江省"))
    with open_warehouse(str(tmp_path / "w.lake")) as con:
        record_crawl(con, "run1", first_crawl.fetcher.log, {}, result.discovery_records())
        told = explain(con, "330000", 2021, [(result.portal, result.entry)])
    assert [error for url, outcome, error in told.fetches if "/col/internal/" in url][0].startswith("robots.txt")


@pytest.mark.slow
def test_portals_discover_finds_every_demo_portal_with_its_code_and_column(demo_portal, tmp_path):
    fetcher = Fetcher(RawStore(str(tmp_path)), {}, Settings(allow_private=True))
    start = demo_portal.base_url(demo_portal.sites[0]) + "/"
    proposed = discover_portals(start, fetcher, depth=1, interval=1 / DEMO_RATE)
    expected = {(s.jurisdiction, s.organ,
                 tuple(demo_portal.base_url(s) + path for _, path in s.columns or [("", s.entry)]))
                for s in demo_portal.sites[1:]}
    assert {(p.jurisdiction, p.organ, p.columns) for p in proposed} == expected


def test_portals_discover_writes_only_new_entries(demo_portal):
    registered = demo_portal.registry()[:2]
    proposed = [ProposedPortal(p.organ, p.jurisdiction, "province", p.entry,
                               ColumnChoice((Column("年报", p.entry, None, 9),), ""))
                for p in demo_portal.registry()]
    merged, added = merge(registered, proposed)
    assert merged[:2] == registered
    assert {p.jurisdiction for p in added} == {s.jurisdiction for s in demo_portal.sites[2:]}


def test_portals_discover_writes_every_sub_column_of_a_new_jurisdiction():
    split = ColumnChoice(tuple(Column(name, f"http://p.test/{name}/", scope, 12) for name, scope in
                               (("政府年报", "本级"), ("部门年报", "部门"))), "split")
    merged, added = merge([], [ProposedPortal("某某县人民政府", "510121", "county", "http://p.test/", split)])
    assert [(p.name, p.entry, p.organ) for p in added] == [
        ("某某县人民政府 (政府年报)", "http://p.test/政府年报/", "某某县人民政府"),
        ("某某县人民政府 (部门年报)", "http://p.test/部门年报/", "某某县人民政府")]


@pytest.mark.slow
def test_a_portal_over_its_time_budget_keeps_what_it_found_and_says_what_it_left(demo_portal, tmp_path):
    fetcher = Fetcher(RawStore(str(tmp_path / "part")), {}, Settings(allow_private=True))
    portal = demo_portal.registry(rate=DEMO_RATE)[0]
    whole = crawl_portal(portal, Fetcher(RawStore(str(tmp_path / "whole")), {}, Settings(allow_private=True)))
    result = crawl_portal(portal, fetcher, budget=2.5)  # the list pages take about 1 s at the demo's rate
    assert 0 < len(result.reports) < len(whole.reports)
    assert "time budget of 2 s spent" in result.error and "left for the next run" in result.error


def test_a_report_its_store_could_not_write_is_dropped_and_the_portal_says_why(tmp_path):
    column, report = "http://portal.test/ndbg/", b"<html><body>report</body></html>"
    listed = '<ul><li><a href="t1.htm">某某县人民政府2023年政府信息公开工作年度报告</a></li></ul>'
    html = {"Content-Type": "text/html; charset=utf-8"}
    client = FakeClient({"http://portal.test/robots.txt": [(404, {}, b"")], column: [(200, html, listed.encode())],
                         column + "t1.htm": [(200, html, report)]})
    (tmp_path / hashlib.sha256(report).hexdigest()[:2]).write_bytes(b"")  # a file where its folder should be
    fetcher = Fetcher(RawStore(str(tmp_path), write_behind=True), {}, Settings(backoff=0.01), client=client,
                      resolver=lambda host: ["93.184.216.34"])
    [result] = crawl([Portal("某某县", "630202", "某某县人民政府", column, profile=Profile(rate=50))], fetcher)
    assert result.reports == [] and result.error.startswith("1 of its documents could not be stored: FileExistsError")
