"""Export through fsspec: a local folder, a file:// URL or a remote filesystem (memory://
here), every table and view, every year named, and the types read back as they are
stored, through pyarrow, pandas and polars."""

import dataclasses
from decimal import Decimal

import fsspec
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

from tests.lake_loads import built
from xxgk.schemas.records import Extraction, Issue
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.export import MACHINERY, export_parquet
from xxgk.warehouse.load import DocumentInfo, load_many


def with_findings(i: int) -> tuple[Extraction, DocumentInfo]:
    """Report i with a finding on a count cell and one on a money cell."""
    extraction, info = built(i)
    findings = [Issue("row_total", "error", "granted total is 12 but its parts are 10", table="applications",
                      row="granted", col="total", expected=Decimal(10), actual=Decimal(12)),
                Issue("narrative_mismatch", "warning", "收费 3.5 万元 in the text", table="active_disclosure",
                      row="fees", col="amount_10k_yuan", expected=Decimal("2.25"), actual=Decimal("3.5"))]
    return dataclasses.replace(extraction, issues=findings), info


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    where = str(tmp_path_factory.mktemp("export") / "lake")
    nameless = Extraction(source="x.xls", sha256="e" * 64, issues=[Issue("unsupported_format", "error", "an .xls")])
    with open_warehouse(where) as con:
        load_many(con, [built(i) for i in range(5)] + [with_findings(5)]
                  + [(nameless, DocumentInfo(url="https://example.gov.cn/x.xls"))])
    return where


@pytest.fixture(scope="module")
def exported(lake, tmp_path_factory):
    out = tmp_path_factory.mktemp("exported") / "out"
    with open_warehouse(lake, read_only=True) as con:
        written = export_parquet(con, str(out))
    return out, written


def read(filesystem, path):
    """Every row of a Parquet file or hive-partitioned folder, with the partition column."""
    return pq.read_table(path, filesystem=filesystem, partitioning="hive").to_pylist()


@pytest.mark.slow
def test_an_export_to_memory_round_trips(lake):
    url = "memory://exports/round-trip"
    with open_warehouse(lake, read_only=True) as con:
        export_parquet(con, url)
        cells = con.execute("SELECT report_key, table_name, row_key, col_key, value, amount FROM cells").fetchall()
        counts = {name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                  for name in ("documents", "crawl_log", "dictionary_rows", "report_summary", "coverage")}
    memory = fsspec.filesystem("memory")
    exported = read(memory, "/exports/round-trip/cells")
    assert sorted((r["report_key"], r["table_name"], r["row_key"], r["col_key"], r["value"], r["amount"])
                  for r in exported) == sorted(cells)
    for name, count in counts.items():
        path = f"/exports/round-trip/{name}" + ("" if name == "report_summary" else ".parquet")
        assert len(read(memory, path)) == count, name


def test_a_finding_without_a_year_is_exported_under_a_named_year(lake, tmp_path):
    with open_warehouse(lake, read_only=True) as con:
        export_parquet(con, str(tmp_path / "out"))
    years = {p.name for p in (tmp_path / "out" / "quality_issues").iterdir()}
    assert "year=unknown" in years and not any("HIVE_DEFAULT" in y for y in years)


def test_a_file_url_is_a_folder_not_a_folder_named_file(lake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open_warehouse(lake, read_only=True) as con:
        export_parquet(con, f"file://{tmp_path}/by-url")
    assert (tmp_path / "by-url" / "documents.parquet").is_file() and not (tmp_path / "file:").exists()


def test_every_table_and_view_is_exported_but_the_lakes_machinery(lake, exported):
    out, written = exported
    with open_warehouse(lake, read_only=True) as con:
        relations = {name for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'lake' "
            "UNION SELECT view_name FROM duckdb_views() WHERE database_name = 'lake'").fetchall()}
    assert {name.removesuffix(".parquet") for name in written} == relations - set(MACHINERY)
    assert {"headline_series", "runs", "portal_crawls", "column_comments"} <= relations - set(MACHINERY)
    assert all((out / name).exists() for name in written)


def test_pandas_reads_counts_as_integers_even_beside_blanks(lake, exported):
    out, _ = exported
    cells, summary = pd.read_parquet(out / "cells"), pd.read_parquet(out / "report_summary")
    runs = pd.read_parquet(out / "runs.parquet")
    assert cells["value"].isna().any() and str(cells["value"].dtype) == "Int64"
    assert str(summary["requests_received"].dtype) == "Int64" and str(runs["loaded"].dtype) in ("Int32", "Int64")
    with open_warehouse(lake, read_only=True) as con:
        stored = sorted(v for (v,) in con.execute("SELECT value FROM cells WHERE value IS NOT NULL").fetchall())
    assert sorted(int(v) for v in cells["value"].dropna()) == stored


def test_money_reads_back_as_a_decimal_in_its_unit(lake, exported):
    out, _ = exported
    with open_warehouse(lake, read_only=True) as con:
        stored = sorted(a for (a,) in con.execute("SELECT amount FROM cells WHERE amount IS NOT NULL").fetchall())
    assert stored and sorted(pd.read_parquet(out / "cells")["amount"].dropna()) == stored
    assert pl.read_parquet(out / "cells" / "**" / "*.parquet")["amount"].dtype == pl.Decimal(24, 4)


def test_a_findings_figures_are_integers_for_a_count_and_a_decimal_for_money(exported):
    out, _ = exported
    findings = pd.read_parquet(out / "quality_issues")
    count = findings[findings["check_name"] == "row_total"].iloc[0]
    money = findings[findings["check_name"] == "narrative_mismatch"].iloc[0]
    assert str(findings["expected"].dtype) == "Int64" and (count["expected"], count["actual"]) == (10, 12)
    assert pd.isna(count["expected_amount"]) and pd.isna(money["expected"])
    assert (money["expected_amount"], money["actual_amount"]) == (Decimal("2.25"), Decimal("3.5"))


def test_polars_reads_every_file_with_integer_counts(exported):
    out, written = exported
    for name in written:
        frame = pl.read_parquet(out / name / "**" / "*.parquet" if not name.endswith(".parquet") else out / name,
                                hive_partitioning=not name.endswith(".parquet"))
        assert frame.height >= 0
    cells = pl.read_parquet(out / "cells" / "**" / "*.parquet", hive_partitioning=True)
    assert cells["value"].dtype == pl.Int64 and cells["value"].null_count() > 0
