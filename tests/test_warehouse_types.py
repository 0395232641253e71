"""Types and words: counts are integers, money a decimal named with its unit, one status
vocabulary on every table, and a document keeps the identity its listing gave it."""

import json

import pytest

from tests.lake_loads import built
from xxgk.cli import main
from xxgk.schemas.catalog import TEMPLATES
from xxgk.schemas.identity import ReportIdentity
from xxgk.schemas.legacy import legacy_row
from xxgk.schemas.records import Extraction, Issue
from xxgk.schemas.status import Status
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.load import DocumentInfo, load_many
from xxgk.warehouse.rows import MONEY_COLUMNS, MONEY_LEGACY_ROWS


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    where = str(tmp_path_factory.mktemp("types") / "lake")
    unreadable = Extraction(source="海东/old.xls", sha256="f" * 64,
                            issues=[Issue("unsupported_format", "error", "a legacy .xls")])
    with open_warehouse(where) as con:
        load_many(con, [built(i) for i in range(8)]
                  + [(unreadable, DocumentInfo(url="https://example.gov.cn/old.xls",
                                               listing=ReportIdentity("630200", "海东市人民政府", 2023)))],
                  run_id="types-run")
    return where


def column_types(con, relation):
    return dict(con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?",
                            [relation]).fetchall())


def test_money_keys_name_their_unit():
    units = {(t.key, c.key): c.unit for template in TEMPLATES.values() for t in template.tables for c in t.columns}
    assert MONEY_COLUMNS and all(col == f"amount_{units[(table, col)]}" for table, col in MONEY_COLUMNS)
    assert MONEY_LEGACY_ROWS and all(row.endswith(f"_{legacy_row(row).unit}") for row in MONEY_LEGACY_ROWS)


@pytest.mark.slow
def test_counts_are_integers_and_money_a_decimal(lake):
    with open_warehouse(lake, read_only=True) as con:
        cells = column_types(con, "cells")
        wide = column_types(con, "active_disclosure_wide")
        assert (cells["value"], cells["amount"]) == ("BIGINT", "DECIMAL(24,4)")
        assert wide["amount_10k_yuan"].startswith("DECIMAL") and wide["issued"] == "BIGINT"
        assert con.execute("SELECT count(*) FROM cells WHERE col_key LIKE 'amount_%' AND value IS NOT NULL "
                           "OR col_key NOT LIKE 'amount_%' AND amount IS NOT NULL").fetchone() == (0,)


@pytest.mark.parametrize("view", ["report_summary", "summary_by_prefecture", "summary_by_province"])
def test_counters_in_views_are_integers(lake, view):
    with open_warehouse(lake, read_only=True) as con:
        types = column_types(con, view)
    counters = {name: kind for name, kind in types.items()
                if name in ("reports", "requests_received", "requests_processed", "reviews", "lawsuits", "errors",
                            "warnings", "reports_with_errors")}
    assert counters and set(counters.values()) == {"BIGINT"}


@pytest.mark.slow
def test_csv_and_json_print_counts_without_decimals(lake, capsys):
    sql = "SELECT value FROM cells WHERE value > 1 LIMIT 1"
    assert main(["query", sql, "--warehouse", lake, "--format", "json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert isinstance(row["value"], int)
    assert main(["query", sql, "--warehouse", lake, "--format", "csv"]) == 0
    assert "." not in capsys.readouterr().out.splitlines()[1]


def test_documents_and_reports_share_one_status_vocabulary(lake):
    with open_warehouse(lake, read_only=True) as con:
        statuses = {s for (s,) in con.execute("SELECT status FROM documents UNION SELECT status FROM reports")
                    .fetchall()}
        assert statuses <= set(Status) and Status.UNREADABLE in statuses
        assert con.execute("SELECT count(*) FROM documents d JOIN reports r ON r.document_sha256 = d.sha256 "
                           "WHERE d.status <> r.status").fetchone() == (0,)


def test_an_unreadable_document_keeps_the_identity_its_listing_gave(lake):
    with open_warehouse(lake, read_only=True) as con:
        assert con.execute("SELECT jurisdiction_code, organ, year, status FROM documents WHERE status = 'unreadable'"
                           ).fetchall() == [("630200", "海东市人民政府", 2023, "unreadable")]


def test_every_row_written_names_its_run(lake):
    with open_warehouse(lake, read_only=True) as con:
        for table in ("documents", "reports", "quality_issues"):
            assert con.execute(f"SELECT DISTINCT run_id FROM {table}").fetchall() == [("types-run",)], table


def test_an_unreadable_document_is_found_by_its_listing_jurisdiction_and_year(lake, capsys):
    assert main(["issues", "--jurisdiction", "630200", "--year", "2023", "--warehouse", lake,
                 "--format", "json"]) in (0, None)
    found = json.loads(capsys.readouterr().out)
    assert any(f["document"] == "https://example.gov.cn/old.xls" and f["organ"] == "海东市人民政府" for f in found)
