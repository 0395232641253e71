"""Coverage that tells why: each real division and year at its best outcome, placeholder
divisions left out, counted by province and level."""

import pytest

from tests.lake_loads import built
from xxgk.schemas.identity import ReportIdentity
from xxgk.schemas.records import Extraction, Issue
from xxgk.schemas.status import Coverage
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.crawl_state import PortalOutcome, record_crawl
from xxgk.warehouse.load import DocumentInfo, load_many


def report_of(i, code, year, errors=False):
    extraction, info = built(i)
    extraction.jurisdiction_code, extraction.year = code, year
    if errors:
        extraction.issues.append(Issue("balance", "error", "does not add up"))
    return extraction, info


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    where = str(tmp_path_factory.mktemp("coverage") / "lake")
    unreadable = Extraction(source="old.xls", sha256="d" * 64, issues=[Issue("unsupported_format", "error", "an .xls")])
    with open_warehouse(where) as con:
        load_many(con, [report_of(1, "630200", 2023), report_of(2, "630202", 2023, errors=True),
                        (unreadable, DocumentInfo(listing=ReportIdentity("630223", "互助县人民政府", 2023)))])
        record_crawl(con, "run", [], {}, portals=[
            PortalOutcome("西宁", "630100", "西宁市人民政府", 0, "no annual-report column"),
            PortalOutcome("城东", "630102", "城东区人民政府", 0, None)])
    with open_warehouse(where, read_only=True) as reader:
        yield reader


@pytest.mark.parametrize("code, outcome", [
    ("630200", Coverage.LOADED), ("630202", Coverage.LOADED_WITH_ERRORS), ("630223", Coverage.UNREADABLE),
    ("630102", Coverage.NO_REPORT_FOUND), ("630100", Coverage.COLUMN_NOT_FOUND), ("630121", Coverage.NO_PORTAL)])
@pytest.mark.slow
def test_each_division_and_year_says_why(con, code, outcome):
    assert con.execute("SELECT status FROM coverage WHERE jurisdiction_code = ? AND year = 2023",
                       [code]).fetchall() == [(outcome,)]


def test_placeholder_divisions_are_left_out(con):
    assert con.execute("SELECT count(*) FROM coverage WHERE jurisdiction_name IN ('市辖区', '县') "
                       "OR jurisdiction_name LIKE '%直辖县级行政区划'").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM coverage WHERE year = 2023").fetchone()[0] == \
        con.execute("SELECT count(*) - 292 FROM jurisdictions").fetchone()[0]


def test_coverage_counts_by_province_and_level(con):
    [row] = con.execute("SELECT divisions, loaded, loaded_with_errors, unreadable, no_report_found, column_not_found "
                        "FROM coverage_by_province WHERE province_code = '630000' AND level = 'county' "
                        "AND year = 2023").fetchall()
    divisions, *outcomes = row
    assert outcomes == [0, 1, 1, 1, 0] and divisions > 30


def test_explain_names_a_listed_document_that_gave_no_report(con):
    from xxgk.warehouse.explain import explain

    told = "\n".join(explain(con, "630223", 2023, []).lines())
    assert "unreadable, an .xls [互助县人民政府]" in told
