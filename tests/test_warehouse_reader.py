"""The notebook's reader (`xxgk.connect()`): the lake's tables and views, read with
parameters, at a snapshot, as rows, DataFrames or Arrow, under the bounds of `xxgk query`
(tests/faults/test_lake.py runs the catalogue of escape attempts through it)."""

import datetime
import uuid

import duckdb
import pytest

from tests.lake_loads import built
from xxgk import connect
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.gates import QueryLimits
from xxgk.warehouse.load import load_many
from xxgk.warehouse.queries import QueryError
from xxgk.warehouse.reader import open_reader

MiB = 1024 ** 2


@pytest.fixture(scope="module")
def lake(tmp_path_factory) -> str:
    """A lake of three reports: two from run `first-run`, one from `second-run`."""
    where = str(tmp_path_factory.mktemp("reader") / "lake")
    with open_warehouse(where) as con:
        load_many(con, [built(0), built(1)], run_id="first-run")
        load_many(con, [built(2)], run_id="second-run")
    return where


def test_a_notebook_reads_the_lakes_tables_and_views(lake):
    with connect(lake) as con:
        assert con.sql("SELECT count(*) FROM reports").fetchall() == [(3,)]
        assert con.execute("SELECT count(*) FROM report_summary").fetchone() == (3,)
        assert con.sql("SELECT count(*) > 3000 FROM jurisdictions").fetchone() == (True,)


def test_the_rows_a_notebook_reads_are_the_ones_duckdb_gives(lake):
    tables = ("reports", "cells", "documents", "quality_issues", "runs", "report_summary")
    with open_warehouse(lake, read_only=True) as raw:
        expected = {t: raw.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
    with connect(lake) as con:
        assert {t: con.sql(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables} == expected


def test_values_keep_duckdbs_own_python_types(lake):
    """HUGEINT, UUID, MAP and INTERVAL have no Arrow twin; they come back as DuckDB gives them."""
    sql = ("SELECT sum(range) AS total, '00000000-0000-0000-0000-000000000001'::UUID AS id, "
           "map([1], ['a']) AS m, INTERVAL 1 DAY AS i FROM range(3)")
    with connect(lake) as con:
        assert con.sql(sql).fetchall() == [(3, uuid.UUID(int=1), {1: "a"}, datetime.timedelta(days=1))]


def test_placeholders_take_a_list_or_named_values(lake):
    with connect(lake) as con:  # 机关0 of 海东市 (630200) is keyed with its place
        assert con.sql("SELECT count(*) FROM reports WHERE year = ? AND organ = ?",
                       [2020, "海东市机关0"]).fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM reports WHERE year >= $year", {"year": 2021}).fetchone() == (2,)


def test_a_query_with_values_passes_the_gates_before_it_runs(lake):
    """Had it run first, the time bound would have stopped it before the plan's gate."""
    with open_reader(lake, limits=QueryLimits(2, 256 * MiB, 10, MiB)) as con, pytest.raises(
            QueryError, match="would read through SQLITE_SCAN, which reaches beyond the lake"):
        con.sql("SELECT count(*) FROM range(10000000000) a, __ducklake_metadata_lake.ducklake_snapshot "
                "WHERE snapshot_id = ?", [1])


def test_a_result_gives_its_rows_one_at_a_time_then_the_rest(lake):
    with connect(lake) as con:
        result = con.sql("SELECT range AS n FROM range(5)")
    assert (result.fetchone(), result.fetchmany(2), result.fetchall(), result.fetchone()) == (
        (0,), [(1,), (2,)], [(3,), (4,)], None)
    assert result.columns == ["n"] and result.description[0][:2] == ("n", "BIGINT") and len(result) == 5


def test_df_and_arrow_are_the_whole_result_as_duckdb_converts_it(lake):
    with connect(lake) as con:
        result = con.sql("SELECT r.year, count(*) AS n, sum(d.size) AS bytes FROM reports r JOIN documents d "
                         "ON d.sha256 = r.document_sha256 GROUP BY r.year ORDER BY r.year")
        raw = con.sql("SELECT 1")  # a second result does not disturb the first
    frame = result.df()
    assert list(frame.columns) == ["year", "n", "bytes"] and frame["n"].tolist() == [1, 1, 1]
    assert str(frame["bytes"].dtype) == "float64"  # a HUGEINT sum, as DuckDB's own df() gives it
    table = result.arrow()
    assert table.column_names == ["year", "n", "bytes"] and str(table.schema.field("bytes").type) == "decimal128(38, 0)"
    assert raw.fetchall() == [(1,)]


def test_a_result_may_repeat_a_column_name(lake):
    with connect(lake) as con:
        result = con.sql("SELECT 1 AS a, 2 AS a, 3 AS A")
    assert result.columns == ["a", "a", "A"] and result.fetchall() == [(1, 2, 3)]
    assert list(result.df().columns) == result.arrow().column_names == ["a", "a", "A"]


def test_at_reads_the_lake_as_a_run_left_it(lake):
    with connect(lake, at="first-run") as con:
        assert con.sql("SELECT count(*) FROM reports").fetchone() == (2,)
    with connect(lake) as con:
        assert con.sql("SELECT count(*) FROM reports").fetchone() == (3,)


@pytest.mark.slow
def test_begin_holds_the_snapshot_its_first_query_saw_until_commit(tmp_path):
    where = str(tmp_path / "lake")
    with open_warehouse(where) as writer:
        load_many(writer, [built(0)])
        with connect(where) as notebook:
            notebook.begin()
            assert notebook.sql("SELECT count(*) FROM reports").fetchone() == (1,)
            load_many(writer, [built(1)])
            assert notebook.sql("SELECT count(*) FROM reports").fetchone() == (1,)
            notebook.commit()
            assert notebook.sql("SELECT count(*) FROM reports").fetchone() == (2,)


def test_a_refused_statement_leaves_the_reader_answering(lake):
    with connect(lake) as con:
        with pytest.raises(QueryError, match="read-only: one SELECT, not a COPY statement"):
            con.sql(f"COPY reports TO '{lake}/data/x.parquet'")
        assert con.sql("SELECT count(*) FROM reports").fetchone() == (3,)


def test_a_failing_query_shows_duckdbs_whole_message(lake):
    with connect(lake) as con, pytest.raises(QueryError, match='(?s)Binder Error.*Candidate bindings.*"report_key"'):
        con.sql("SELECT report_ky FROM reports")


@pytest.mark.slow
def test_the_writable_connection_is_the_loaders_own(tmp_path):
    where = str(tmp_path / "lake")
    with open_warehouse(where) as writer:
        load_many(writer, [built(0)])
    with connect(where, read_only=False) as con:
        assert isinstance(con, duckdb.DuckDBPyConnection)
        con.execute("DELETE FROM quality_issues")
        assert con.execute("SELECT count(*) FROM quality_issues").fetchone() == (0,)


# ── bounds: those of `xxgk query`, from the same variables ──────────────────────────


def test_a_result_past_its_rows_is_refused_not_cut(lake, monkeypatch):
    monkeypatch.setenv("XXGK_QUERY_ROWS", "1000")
    with connect(lake) as con:
        with pytest.raises(QueryError, match=r"^the query returns more than 1,000 rows \(XXGK_QUERY_ROWS\)"):
            con.sql("SELECT * FROM range(5000)")
        assert len(con.sql("SELECT * FROM range(1000)")) == 1000


def test_a_result_past_its_bytes_is_refused_not_cut(lake, monkeypatch):
    monkeypatch.setenv("XXGK_QUERY_RESULT_MB", "1")
    with connect(lake) as con, pytest.raises(QueryError, match=r"more than 1 MiB \(XXGK_QUERY_RESULT_MB\)"):
        con.sql("SELECT repeat('x', 1000) FROM range(5000)")


def test_a_query_past_its_time_is_interrupted_and_the_reader_goes_on(lake, monkeypatch):
    monkeypatch.setenv("XXGK_QUERY_SECONDS", "1")
    with connect(lake) as con:
        with pytest.raises(QueryError, match=r"^the query ran longer than 1 s and was stopped \(XXGK_QUERY_SECONDS\)$"):
            con.sql("SELECT count(*) FROM range(10000000000) a")
        assert con.sql("SELECT count(*) FROM reports").fetchone() == (3,)


def test_a_query_past_its_memory_is_stopped_with_the_bound_to_raise(lake):
    with open_reader(lake, limits=QueryLimits(120, 64 * MiB, 10, MiB)) as con, pytest.raises(
            QueryError, match=r"more memory than its bound \(XXGK_QUERY_MEMORY_MB\)"):
        con.sql("SELECT count(*) FROM range(50000000) a JOIN range(50000000) b ON a.range = b.range")


def test_a_time_bound_longer_than_python_can_wait_is_as_good_as_none(lake, monkeypatch):
    monkeypatch.setenv("XXGK_QUERY_SECONDS", "1e300")
    with connect(lake) as con:
        assert con.sql("SELECT count(*) FROM reports").fetchone() == (3,)


@pytest.mark.parametrize("variable", ["XXGK_QUERY_SECONDS", "XXGK_QUERY_ROWS", "XXGK_QUERY_RESULT_MB",
                                      "XXGK_QUERY_MEMORY_MB"])
def test_a_bound_that_would_turn_off_is_refused_before_opening(lake, monkeypatch, variable):
    from xxgk.schemas.errors import UsageError

    monkeypatch.setenv(variable, "0")
    with pytest.raises(UsageError, match=f"{variable}='0': not a positive number"):
        connect(lake)
