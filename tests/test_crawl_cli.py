"""`xxgk crawl`, `xxgk portals add|check` against the demo portal."""

from __future__ import annotations

import json

import pytest

from tests.conftest import DEMO_RATE
from xxgk import connect
from xxgk.cli import main
from xxgk.crawler.registry import Portal, load_registry, write_registry
from xxgk.samples import cms
from xxgk.samples.portal import YEARS


@pytest.mark.slow
def test_crawl_loads_every_report_and_a_second_run_loads_nothing(demo_portal, tmp_path, capsys):
    registry, warehouse = tmp_path / "portals.json", tmp_path / "w.lake"
    write_registry(registry, demo_portal.registry(rate=DEMO_RATE))
    arguments = ["crawl", "--registry", str(registry), "--warehouse", str(warehouse),
                 "--store", str(tmp_path / "store"), "--allow-private", "--years", "2022-2024"]
    assert main(arguments) == 0
    first = capsys.readouterr().out
    assert main(arguments) == 0
    second = capsys.readouterr().out
    expected = [m for m in demo_portal.manifest() if m["year"] >= 2022]
    readable = sum(m["readable"] for m in expected)
    assert f"found {len(expected)} reports, {len(expected)} new" in first
    assert (f"extracted {len(expected)}, loaded {readable} (" in first
            and f"{len(expected) - readable} unreadable" in first)
    assert f"0 new, 0 changed, {len(expected)} unchanged" in second and "extracted 0, loaded 0 (" in second
    with connect(str(warehouse)) as con:
        assert con.execute("SELECT count(*) FROM reports WHERE year >= 2022").fetchall() == [(readable,)]
        assert con.execute("SELECT count(DISTINCT run_id) FROM crawl_log").fetchall() == [(2,)]


@pytest.mark.slow
def test_portals_add_finds_the_annual_report_column_from_the_home_page(demo_portal, tmp_path):
    site = demo_portal.sites[0]
    registry = tmp_path / "portals.json"
    assert main(["portals", "add", demo_portal.base_url(site) + "/", "--jurisdiction", site.jurisdiction,
                 "--registry", str(registry), "--allow-private"]) == 0
    [portal] = load_registry(registry)
    assert (portal.entry, portal.organ) == (demo_portal.base_url(site) + site.entry, "青海省人民政府")


@pytest.mark.slow
def test_portals_add_refuses_a_page_without_a_column_link(demo_portal, tmp_path, capsys):
    site = demo_portal.sites[0]
    assert main(["portals", "add", demo_portal.base_url(site) + "/robots.txt", "--jurisdiction", site.jurisdiction,
                 "--registry", str(tmp_path / "portals.json"), "--allow-private"]) == 1
    assert "no link to an annual-report column" in capsys.readouterr().err


def test_portals_check_names_the_malformed_entry(tmp_path, capsys):
    registry = tmp_path / "portals.json"
    registry.write_text('{"portals": [{"name": "x", "jurisdiction": "1", "organ": "o", "entry": "http://a.cn/"}]}')
    assert main(["portals", "check", "--registry", str(registry)]) == 1
    assert "portals[0] (x): jurisdiction '1' is not a 6-digit" in capsys.readouterr().err


def test_run_without_a_registry_says_so_in_one_line_before_any_flow_starts(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("XXGK_REGISTRY", raising=False)
    assert main(["run"]) == 1
    assert capsys.readouterr().err.strip() == "xxgk: portals.json: No such file or directory"


@pytest.mark.slow
def test_discover_a_demo_column_prints_its_family_reports_and_post_requests(demo_portal, capsys):
    site = next(s for s in demo_portal.sites if s.style == "hanweb")
    assert main(["discover", demo_portal.base_url(site) + site.entry, "--json", "--allow-private"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert (found["family"], {r["year"] for r in found["reports"]} <= set(YEARS)) == ("hanweb", True)
    assert found["reports"] and {r["method"] for r in found["next"]} == {"POST"}
    assert set(found) >= {"family", "reports", "other_links", "next", "declared_total"}


def test_discover_a_saved_page_reads_it_as_served_at_its_url(tmp_path, capsys):
    saved = tmp_path / "column.html"
    saved.write_text(f"<html><body>{cms.trs_pager('createPageHTML', 3, 0)}</body></html>", encoding="utf-8")
    assert main(["discover", str(saved), "--url", "http://www.example.gov.cn/ndbg/index.html", "--json"]) == 0
    assert [r["url"] for r in json.loads(capsys.readouterr().out)["next"]] == [
        "http://www.example.gov.cn/ndbg/index_1.html", "http://www.example.gov.cn/ndbg/index_2.html"]


@pytest.mark.slow
def test_explain_shows_a_link_the_year_filter_rejected(demo_portal, tmp_path, capsys):
    site = next(s for s in demo_portal.sites if s.jurisdiction == "330000")
    registry, warehouse = tmp_path / "portals.json", tmp_path / "w.lake"
    write_registry(registry, [p for p in demo_portal.registry(rate=DEMO_RATE) if p.jurisdiction == "330000"])
    assert main(["crawl", "--registry", str(registry), "--warehouse", str(warehouse), "--store",
                 str(tmp_path / "store"), "--allow-private", "--years", "2024"]) == 0
    capsys.readouterr()
    assert main(["explain", "330000", "2021", "--registry", str(registry), "--warehouse", str(warehouse)]) == 0
    told = capsys.readouterr().out
    assert f"year not asked: {site.organ}2021年政府信息公开工作年度报告" in told
    assert "no report of this jurisdiction and year is in the warehouse" in told
    assert main(["explain", "330000", "2021", "--registry", str(tmp_path / "none.json"),
                 "--warehouse", str(warehouse)]) == 0
    unregistered = capsys.readouterr().out
    assert "registered now: none" not in unregistered and "registry not read" in unregistered
    assert f"crawled {site.organ}" in unregistered and f"year not asked: {site.organ}2021年" in unregistered


@pytest.mark.slow
def test_portals_discover_writes_the_demo_portals_it_finds(demo_portal, tmp_path, capsys):
    registry = tmp_path / "portals.json"
    start = demo_portal.base_url(demo_portal.sites[0]) + "/"
    assert main(["portals", "discover", "--from", start, "--write", "--registry", str(registry),
                 "--allow-private"]) == 0
    assert {p.jurisdiction for p in load_registry(registry)} == {s.jurisdiction for s in demo_portal.sites[1:]}
    assert main(["portals", "coverage", "--registry", str(registry)]) == 0
    assert "county" in capsys.readouterr().out


@pytest.mark.slow
def test_portals_add_on_a_heading_only_report_menu_writes_an_entry_per_sub_column(demo_portal, tmp_path, capsys):
    site = next(s for s in demo_portal.sites if s.columns)
    registry = tmp_path / "portals.json"
    assert main(["portals", "add", demo_portal.base_url(site) + "/", "--jurisdiction", site.jurisdiction,
                 "--organ", site.organ, "--registry", str(registry), "--allow-private"]) == 0
    portals = load_registry(registry)
    assert [(p.name, p.entry) for p in portals] == [(f"{site.organ} ({name})", demo_portal.base_url(site) + path)
                                                     for name, path in site.columns]
    assert {(p.jurisdiction, p.organ) for p in portals} == {(site.jurisdiction, site.organ)}
    assert "split under the heading 信息公开年报 (which links nowhere)" in capsys.readouterr().out


@pytest.mark.slow
def test_a_crawl_of_a_site_without_robots_txt_ends_with_no_failure_and_credits_each_publisher(demo_portal, tmp_path,
                                                                                              capsys):
    site = next(s for s in demo_portal.sites if s.robots is None)
    registry, warehouse = tmp_path / "portals.json", tmp_path / "w.lake"
    write_registry(registry, [p for p in demo_portal.registry(rate=DEMO_RATE) if p.jurisdiction == site.jurisdiction])
    assert main(["crawl", "--registry", str(registry), "--warehouse", str(warehouse),
                 "--store", str(tmp_path / "store"), "--allow-private", "--years", "2022-2024"]) == 0
    told = capsys.readouterr().out
    assert f"found {len(site.reports)} reports" in told and "0 URLs refused, 0 failed" in told and "failed:" not in told
    with connect(str(warehouse)) as con:
        assert con.execute("SELECT outcome, error FROM crawl_log WHERE url LIKE '%/robots.txt'").fetchall() == [
            ("absent", "no robots.txt (HTTP 404): everything allowed")]
        loaded = set(con.execute("SELECT organ, year FROM reports").fetchall())
    assert loaded == {(r.organ, r.year) for r in site.reports}


@pytest.mark.slow
def test_portals_add_again_replaces_what_an_earlier_add_wrote_for_the_organ(demo_portal, tmp_path):
    site = next(s for s in demo_portal.sites if s.columns)
    registry = tmp_path / "portals.json"
    other = Portal("杭州市人民政府", "330100", "杭州市人民政府", "http://www.hangzhou.gov.cn/ndbg/")
    write_registry(registry, [Portal(site.organ, site.jurisdiction, site.organ, "http://old.test/ndbg/"), other])
    assert main(["portals", "add", demo_portal.base_url(site) + "/", "--jurisdiction", site.jurisdiction,
                 "--organ", site.organ, "--registry", str(registry), "--allow-private"]) == 0
    assert ([p.name for p in load_registry(registry)]
            == ["杭州市人民政府"] + [f"{site.organ} ({n})" for n, _ in site.columns])
