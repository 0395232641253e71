"""A backfill reaching before the national template, against the demo portal: its legacy
reports (2015–2018) crawled, extracted and loaded beside the template ones, by the
pipeline every flow runs (flows/pipeline.py's `crawl_and_load`), here in this process."""

from __future__ import annotations

import pytest

from tests.conftest import DEMO_RATE
from xxgk import config, connect
from xxgk.crawler.http import Settings
from xxgk.flows.executors import in_process
from xxgk.flows.pipeline import crawl_and_load
from xxgk.samples.legacy import LegacySpec
from xxgk.samples.portal import YEARS
from xxgk.schemas.legacy import LEGACY


def backfill(portal, years: str, folder) -> str:
    """The warehouse a backfill of `years` over the demo portal leaves in `folder`."""
    warehouse = str(folder / "w.lake")
    crawl_and_load(portal.registry(rate=DEMO_RATE), warehouse=warehouse, store=str(folder / "store"),
                   years=config.parse_years(years), settings=Settings(allow_private=True), command="backfill",
                   map_extract=in_process)
    return warehouse


def legacy_reports(portal):
    return [(site, report) for site in portal.sites for report in site.reports if isinstance(report.spec, LegacySpec)]


@pytest.fixture(scope="module")
def since_2008(demo_portal, tmp_path_factory) -> str:
    return backfill(demo_portal, "2008-2024", tmp_path_factory.mktemp("since-2008"))


@pytest.mark.slow
def test_a_backfill_over_2008_to_2024_loads_every_readable_report_the_demo_publishes(demo_portal, since_2008):
    with connect(since_2008) as con:
        keys = {key for (key,) in con.execute("SELECT report_key FROM reports").fetchall()}
    assert keys == {m["key"] for m in demo_portal.manifest() if m["readable"]}


def test_each_legacy_report_is_loaded_as_legacy_under_its_jurisdiction_and_year_with_its_figures(
        demo_portal, since_2008):
    reports = legacy_reports(demo_portal)
    assert reports
    with connect(since_2008) as con:
        for _, report in reports:
            [(key, template)] = con.execute("SELECT report_key, template FROM reports WHERE jurisdiction_code = ? "
                                            "AND year = ? AND organ = ?",
                                            [report.jurisdiction_code, report.year, report.organ]).fetchall()
            cells = con.execute("SELECT table_name, row_key, col_key, coalesce(value, amount) FROM cells "
                                "WHERE report_key = ? AND table_name = ? AND coalesce(value, amount) IS NOT NULL",
                                [key, LEGACY]).fetchall()
            stated = {cell: value for cell, value in report.spec.values.items() if value is not None}
            assert (template, {(t, r, c): v for t, r, c, v in cells}) == ("legacy", stated), key


def test_a_jurisdictions_headline_series_runs_from_its_first_legacy_year_with_the_requests_its_reports_state(
        demo_portal, since_2008):
    site = demo_portal.sites[0]
    legacy = {report.year: report.spec for s, report in legacy_reports(demo_portal) if s is site}
    with connect(since_2008) as con:
        series = con.execute("SELECT year, template, requests_received FROM headline_series "
                             "WHERE jurisdiction_code = ? AND organ = ? ORDER BY year",
                             [site.jurisdiction, site.organ]).fetchall()
    assert [year for year, _, _ in series] == list(range(min(legacy), max(YEARS) + 1))
    assert {year: received for year, template, received in series if template == "legacy"} == {
        year: spec.value("applications_total") for year, spec in legacy.items()}


@pytest.mark.slow
def test_a_backfill_of_2019_to_2024_lists_the_legacy_reports_but_fetches_none_of_their_documents(
        demo_portal, tmp_path):
    first = len(demo_portal.requests)
    warehouse = backfill(demo_portal, "2019-2024", tmp_path)
    requested = {(r.port, r.path) for r in demo_portal.requests[first:]}
    legacy = {(int(demo_portal.base_url(site).rsplit(":", 1)[1]), path)
              for site, report in legacy_reports(demo_portal) for path in (report.page_path, report.document_path)}
    with connect(warehouse) as con:
        passed_over = con.execute("SELECT year FROM (SELECT DISTINCT url, year FROM discovery_log "
                                  "WHERE reason = 'year not asked') ORDER BY year").fetchall()
    assert [year for (year,) in passed_over] == sorted(report.year for _, report in legacy_reports(demo_portal))
    assert requested & legacy == set()
