"""The warehouse: reports replaced whole, nothing lost, read-only queries."""

import json
import subprocess
import sys
from decimal import Decimal

import pytest

from tests.roundtrip import report
from xxgk.cli import main
from xxgk.extractors.extract import extract
from xxgk.samples.figures import empty_report
from xxgk.samples.render import render
from xxgk.schemas.identity import ReportIdentity
from xxgk.warehouse import load as loader
from xxgk.warehouse import migrate as migrations
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.load import DocumentInfo, load_extraction


@pytest.fixture
def path(tmp_path):
    return str(tmp_path / "warehouse.lake")


@pytest.fixture
def con(path):
    with open_warehouse(path) as connection:
        yield connection


def extraction(spec=None, kind="html"):
    spec = spec or report("2021")
    return extract(render(spec, kind), f"report.{kind}")


def rows(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def snapshot(con):
    return {table: sorted(rows(con, f"SELECT * EXCLUDE ({skip}) FROM {table}"), key=str)
            for table, skip in (("reports", "extracted_at"), ("cells", "page"), ("quality_issues", "message"),
                                ("documents", "fetched_at"))}


@pytest.mark.slow
def test_loading_the_same_report_twice_changes_nothing(con):
    document = extraction()
    load_extraction(con, document)
    before = snapshot(con)
    load_extraction(con, document)
    assert snapshot(con) == before and rows(con, "SELECT count(*) FROM reports") == [(1,)]


@pytest.mark.slow
def test_every_cell_is_loaded_with_its_published_value(con):
    spec = report("2021")
    load_extraction(con, extraction(spec))
    loaded = {(t, r, c): v
              for t, r, c, v in rows(con, "SELECT table_name, row_key, col_key, coalesce(value, amount) FROM cells")}
    assert loaded == {key: None if value is None else Decimal(value) for key, value in spec.values.items()}


@pytest.mark.slow
def test_a_corrected_document_replaces_the_old_figures_and_findings(con):
    spec = report("2021")
    broken = spec.with_values({("applications", "granted", "total"): 99999})
    load_extraction(con, extraction(broken))
    assert rows(con, "SELECT status FROM reports") == [("issues",)]
    load_extraction(con, extraction(spec))
    assert rows(con, "SELECT status FROM reports") == [("ok",)]
    assert rows(con, "SELECT value FROM cells WHERE row_key = 'granted' AND col_key = 'total'") == [
        (Decimal(spec.value("applications", "granted", "total")),)]
    assert rows(con, "SELECT count(*) FROM quality_issues WHERE severity = 'error'") == [(0,)]


@pytest.mark.slow
def test_reports_with_errors_are_loaded_as_published(con):
    spec = report("2021").with_values({("applications", "granted", "total"): 99999})
    load_extraction(con, extraction(spec))
    assert rows(con, "SELECT value FROM cells WHERE row_key = 'granted' AND col_key = 'total'") == [(Decimal(99999),)]
    assert ("row_total",) in rows(con, "SELECT check_name FROM quality_issues WHERE severity = 'error'")


@pytest.mark.slow
def test_cells_lead_back_to_their_document_and_page(con):
    document = extraction(kind="pdf")
    load_extraction(con, document)
    [(sha, page)] = rows(con, "SELECT r.document_sha256, c.page FROM cells c JOIN reports r USING (report_key) "
                              "WHERE row_key = 'new_received' AND col_key = 'total'")
    assert sha == document.sha256 and page == 1
    assert rows(con, "SELECT status FROM documents") == [("ok",)]


@pytest.mark.slow
def test_an_unreadable_document_is_recorded_with_its_reason(con):
    load_extraction(con, extract(b"", "empty.pdf"))
    assert rows(con, "SELECT status, reason FROM documents") == [("unreadable", "the document is empty")]
    assert rows(con, "SELECT count(*) FROM reports") == [(0,)]


@pytest.mark.slow
def test_a_report_without_a_key_is_recorded_not_dropped(con):
    document = extraction()
    document.jurisdiction_code = None
    assert load_extraction(con, document) == "unkeyed"
    [(status, reason)] = rows(con, "SELECT status, reason FROM documents")
    assert status == "unkeyed" and "jurisdiction_code" in reason


@pytest.mark.slow
def test_the_listing_keys_a_report_whose_document_leaves_a_part_open(con):
    document = extraction()
    document.jurisdiction_code = document.jurisdiction_name = None
    assert load_extraction(con, document, DocumentInfo(listing=ReportIdentity("630202", year=document.year))) == "ok"
    assert rows(con, "SELECT jurisdiction_code, jurisdiction_name FROM reports") == [("630202", "乐都区")]


@pytest.mark.slow
def test_an_unreadable_documents_bare_listed_department_is_kept_qualified_with_its_place(con):
    load_extraction(con, extract(b"", "empty.pdf"), DocumentInfo(listing=ReportIdentity("630202", "教育局", 2023)))
    assert rows(con, "SELECT jurisdiction_code, organ, year FROM documents") == [("630202", "乐都区教育局", 2023)]


@pytest.mark.slow
def test_a_failure_mid_load_leaves_the_previous_state(con, monkeypatch):
    spec = report("2021")
    load_extraction(con, extraction(spec))
    before = snapshot(con)

    def fail(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(loader, "insert", fail)
    with pytest.raises(RuntimeError):
        load_extraction(con, extraction(spec.with_values({("applications", "granted", "total"): 1})))
    assert snapshot(con) == before


@pytest.mark.slow
def test_jurisdictions_come_from_the_division_data(con):
    assert rows(con, "SELECT name, level, parent_code, province_code FROM jurisdictions WHERE code = '630223'") == [
        ("互助土族自治县", "county", "630200", "630000")]
    assert rows(con, "SELECT level FROM jurisdictions WHERE code IN ('630000', '630200') ORDER BY code") == [
        ("province",), ("prefecture",)]


@pytest.mark.slow
def test_an_older_warehouse_is_upgraded_in_place(path, monkeypatch):
    with open_warehouse(path) as con:
        load_extraction(con, extraction())
    shipped = migrations.migrations()
    following = shipped[-1][0] + 1
    monkeypatch.setattr(migrations, "migrations",
                        lambda: shipped + [(following, "notes", "ALTER TABLE reports ADD COLUMN note VARCHAR")])
    with open_warehouse(path) as con:
        assert rows(con, "SELECT max(version) FROM schema_version") == [(following,)]
        assert rows(con, "SELECT count(*), count(note) FROM reports") == [(1, 0)]


@pytest.mark.slow
def test_load_and_query_from_the_command_line(path, tmp_path, capsys):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.html").write_bytes(render(report("2021"), "html"))
    (tmp_path / "docs" / "b.pdf").write_bytes(b"%PDF-1.4 truncated")
    assert main(["load", str(tmp_path / "docs"), "--warehouse", path]) == 0
    assert "loaded 1 (0 with errors, 1 unreadable" in capsys.readouterr().out
    assert main(["query", "SELECT year, template FROM reports", "--warehouse", path, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"year": 2023, "template": "2021"}]


@pytest.mark.slow
def test_query_refuses_writes(path, capsys):
    open_warehouse(path).close()
    assert main(["query", "DELETE FROM jurisdictions", "--warehouse", path]) == 1
    assert "read-only" in capsys.readouterr().err
    with open_warehouse(path, read_only=True) as con:
        assert rows(con, "SELECT count(*) > 3000 FROM jurisdictions") == [(True,)]


@pytest.mark.slow
def test_the_warehouse_path_comes_from_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XXGK_WAREHOUSE", str(tmp_path / "env.lake"))
    (tmp_path / "report.html").write_bytes(render(report("2021"), "html"))
    assert main(["load", str(tmp_path / "report.html")]) == 0
    assert (tmp_path / "env.lake").is_dir() and "env.lake" in capsys.readouterr().out


def applications(spec, row, total, **columns):
    """Set one row of table 3: its total and some applicant columns (others blank)."""
    values = {("applications", row, c): None for c in ("natural_person", "commercial", "research", "social_org",
                                                      "legal_service", "other_org")}
    values.update({("applications", row, c): v for c, v in columns.items()})
    values[("applications", row, "total")] = total
    return spec.with_values(values)


def year_of(year, carried_over=None, carried_forward=None):
    """A blank report of one organ for `year` with the carry-over figures given."""
    spec = empty_report(year=year)
    if carried_over is not None:
        spec = applications(spec, "carried_over", carried_over, natural_person=carried_over)
    if carried_forward is not None:
        spec = applications(spec, "carried_forward", carried_forward, natural_person=carried_forward)
    return spec


def chain_findings(con):
    return rows(con, "SELECT r.year, q.check_name, q.severity, q.col_key, q.expected, q.actual FROM quality_issues q "
                     "JOIN reports r USING (report_key) WHERE q.check_name = 'carry_chain' ORDER BY 1, 4")


@pytest.mark.slow
@pytest.mark.parametrize("order", [(2022, 2023), (2023, 2022)])
def test_carry_chain_is_checked_whichever_year_loads_first(con, order):
    specs = {2022: year_of(2022, carried_forward=5), 2023: year_of(2023, carried_over=3)}
    for year in order:
        load_extraction(con, extract(render(specs[year], "html"), f"{year}.html"))
    assert chain_findings(con) == [(2023, "carry_chain", "error", "natural_person", Decimal(5), Decimal(3)),
                                   (2023, "carry_chain", "error", "total", Decimal(5), Decimal(3))]


@pytest.mark.slow
def test_a_matching_carry_chain_is_no_finding_and_a_correction_clears_it(con):
    load_extraction(con, extract(render(year_of(2022, carried_forward=5), "html"), "2022.html"))
    load_extraction(con, extract(render(year_of(2023, carried_over=3), "html"), "2023.html"))
    load_extraction(con, extract(render(year_of(2023, carried_over=5), "html"), "2023-fixed.html"))
    assert chain_findings(con) == []


@pytest.mark.slow
def test_in_force_chain_warns_when_the_documents_in_force_do_not_follow(con):
    def active(year, issued, repealed, in_force):
        spec = year_of(year)
        return spec.with_values({("active_disclosure", "regulations", "issued"): issued,
                                 ("active_disclosure", "regulations", "repealed"): repealed,
                                 ("active_disclosure", "regulations", "in_force"): in_force})
    load_extraction(con, extract(render(active(2022, 1, 0, 10), "html"), "2022.html"))
    load_extraction(con, extract(render(active(2023, 2, 1, 20), "html"), "2023.html"))
    assert rows(con, "SELECT severity, row_key, expected, actual FROM quality_issues "
                     "WHERE check_name = 'in_force_chain'") == [
        ("warning", "regulations", Decimal(11), Decimal(20))]


@pytest.mark.slow
def test_the_wide_views_have_one_column_per_column_key(con):
    spec = report("2021")
    load_extraction(con, extraction(spec))
    [(natural_person, total)] = rows(con, "SELECT natural_person, total FROM applications_wide "
                                          "WHERE row_key = 'granted'")
    assert (natural_person, total) == tuple(
        None if v is None else Decimal(v) for v in (spec.value("applications", "granted", "natural_person"),
                                                    spec.value("applications", "granted", "total")))


@pytest.mark.slow
def test_report_summary_shares_and_counts(con):
    spec = applications(applications(applications(empty_report(), "total_processed", 10), "granted", 4),
                        "partially_granted", 1)
    spec = applications(spec, "denied_state_secret", 2)
    load_extraction(con, extraction(spec))
    [(processed, granted_share, denied_share)] = rows(
        con, "SELECT requests_processed, granted_share, denied_share FROM report_summary")
    assert (processed, granted_share, denied_share) == (Decimal(10), 0.5, 0.2)


@pytest.mark.slow
def test_coverage_shows_which_jurisdictions_lack_a_report(con):
    load_extraction(con, extraction())
    assert rows(con, "SELECT status FROM coverage WHERE jurisdiction_code = '630200' AND year = 2023") == [("loaded",)]
    assert (rows(con, "SELECT status FROM coverage WHERE jurisdiction_code = '630100' AND year = 2023")
            == [("no_portal",)])


@pytest.mark.slow
def test_rollups_add_counties_to_their_prefecture_and_province(con):
    county = report("2021")
    county = type(county)("互助土族自治县人民政府", 2023, "630223", "2021", dict(county.values))
    load_extraction(con, extraction(report("2021")))
    load_extraction(con, extraction(county))
    assert rows(con, "SELECT reports FROM summary_by_prefecture WHERE prefecture_code = '630200'") == [(2,)]
    assert rows(con, "SELECT reports FROM summary_by_province WHERE province_code = '630000'") == [(2,)]


@pytest.mark.slow
def test_issues_are_listed_with_filters(path, capsys):
    with open_warehouse(path) as con:
        load_extraction(con, extraction(report("2021").with_values({("applications", "granted", "total"): 99999})))
    assert main(["issues", "--severity", "error", "--year", "2023", "--jurisdiction", "630200", "--warehouse", path,
                 "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert {(i["check_name"], i["row_key"]) for i in found} >= {("row_total", "granted")}
    assert all(i["severity"] == "error" for i in found)
    assert main(["issues", "--year", "2019", "--warehouse", path, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.slow
def test_export_round_trips_through_parquet(path, tmp_path, capsys):
    import duckdb

    with open_warehouse(path) as con:
        load_extraction(con, extraction())
        original = sorted(rows(con, "SELECT report_key, table_name, row_key, col_key, value FROM cells"), key=str)
    assert main(["export", "--parquet", str(tmp_path / "out"), "--warehouse", path]) == 0
    exported = duckdb.sql(f"SELECT year, report_key, table_name, row_key, col_key, value FROM "
                          f"read_parquet('{tmp_path}/out/cells/*/*.parquet', hive_partitioning = true)").fetchall()
    assert {row[0] for row in exported} == {2023}
    assert sorted((row[1:] for row in exported), key=str) == original


_KILLED_MID_LOAD = """
import sys, time
from xxgk.extractors.extract import extract
from xxgk.warehouse import load as loader
from xxgk.warehouse.connect import open_warehouse

def stall(*args):
    print("inside the transaction", flush=True)
    time.sleep(60)

loader.insert = stall
with open_warehouse(sys.argv[1]) as con:
    loader.load_extraction(con, extract(open(sys.argv[2], "rb").read(), "corrected.html"))
"""


@pytest.mark.slow
def test_a_loader_killed_mid_load_leaves_the_previous_state_and_a_rerun_completes(path, tmp_path):
    spec = report("2021")
    corrected = spec.with_values({("applications", "granted", "total"): 12345})
    (tmp_path / "corrected.html").write_bytes(render(corrected, "html"))
    with open_warehouse(path) as con:
        load_extraction(con, extraction(spec))
        before = snapshot(con)
    loader_process = subprocess.Popen([sys.executable, "-c", _KILLED_MID_LOAD, path, str(tmp_path / "corrected.html")],
                                      stdout=subprocess.PIPE, text=True)
    assert loader_process.stdout.readline().strip() == "inside the transaction"
    loader_process.kill()
    loader_process.wait()
    with open_warehouse(path) as con:
        assert snapshot(con) == before
        load_extraction(con, extract((tmp_path / "corrected.html").read_bytes(), "corrected.html"))
        assert (rows(con, "SELECT value FROM cells WHERE row_key = 'granted' AND col_key = 'total'")
                == [(Decimal(12345),)])


@pytest.mark.slow
def test_two_writer_processes_at_once_both_load(path, tmp_path):
    for name, organ in (("a", "海东市人民政府"), ("b", "海东市教育局")):
        spec = report("2021")
        spec = type(spec)(organ, 2023, "630200", "2021", dict(spec.values))
        (tmp_path / name).mkdir()
        (tmp_path / name / "report.html").write_bytes(render(spec, "html"))
    writers = [subprocess.Popen([sys.executable, "-m", "xxgk", "load", str(tmp_path / name), "--warehouse", path],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
    assert [w.wait(timeout=120) for w in writers] == [0, 0], [w.stderr.read() for w in writers]
    with open_warehouse(path, read_only=True) as con:
        assert rows(con, "SELECT organ FROM reports ORDER BY organ") == [("海东市人民政府",), ("海东市教育局",)]
