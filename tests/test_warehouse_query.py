"""`xxgk query` runs anyone's SQL read-only, reaching nothing but the lake, for a bounded
time; a warehouse that is not one of ours, or newer than the code, is refused untouched."""

import duckdb
import pytest

from xxgk.cli import main
from xxgk.warehouse.connect import WarehouseUnavailable, open_warehouse
from xxgk.warehouse.gates import QueryLimits
from xxgk.warehouse.queries import QueryError
from xxgk.warehouse.sandbox import query

MiB = 1024 ** 2


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    where = str(tmp_path_factory.mktemp("query") / "lake")
    open_warehouse(where).close()
    return where


@pytest.mark.parametrize("sql", [
    "SELECT * FROM read_csv('/etc/passwd')", "COPY (SELECT 1) TO 'out.csv'", "ATTACH 'other.duckdb'",
    "INSTALL httpfs", "LOAD 'evil.duckdb_extension'", "SET enable_external_access = true",
    "SET allow_unsigned_extensions = false", "DELETE FROM jurisdictions"])
@pytest.mark.slow
def test_query_reaches_nothing_but_the_lake(lake, sql, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["query", sql, "--warehouse", lake]) not in (0, None)
    assert capsys.readouterr().err.strip()
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "other.duckdb").exists()


def test_the_locked_connection_still_reads_the_lake(lake):
    with open_warehouse(lake, read_only=True, locked=True) as con:
        assert con.execute("SELECT count(*) > 3000 FROM jurisdictions").fetchone() == (True,)


@pytest.mark.slow
def test_a_query_past_its_time_is_stopped(lake):
    with pytest.raises(QueryError, match="longer than 3 s"):
        # 10¹³ rows: DuckDB counts 10¹⁰ in under 3 s on a quiet 2-core host, and then nothing overran
        query(lake, "SELECT count(*) FROM range(10000000000000) a", limits=QueryLimits(3, 256 * MiB, 10, MiB))


def test_a_query_past_its_memory_is_stopped_with_the_bound_to_raise(lake):
    with pytest.raises(QueryError, match="more memory than its bound .XXGK_QUERY_MEMORY_MB"):
        query(lake, "SELECT count(*) FROM range(50000000) a JOIN range(50000000) b ON a.range = b.range",
              limits=QueryLimits(120, 64 * MiB, 10, MiB))


def test_a_result_past_its_rows_is_refused_not_cut(lake):
    with pytest.raises(QueryError, match="more than 1,000 rows .XXGK_QUERY_ROWS"):
        query(lake, "SELECT * FROM range(5000)", limits=QueryLimits(120, 256 * MiB, 1000, 64 * MiB))


def test_a_result_past_its_bytes_is_refused_not_cut(lake):
    with pytest.raises(QueryError, match="more than 1 MiB .XXGK_QUERY_RESULT_MB"):
        query(lake, "SELECT repeat('x', 1000) FROM range(5000)", limits=QueryLimits(120, 256 * MiB, 10 ** 6, MiB))


def test_a_result_within_its_bounds_comes_back_whole(lake):
    columns, rows = query(lake, "SELECT range AS n, 'x' || range AS s FROM range(3000)",
                          limits=QueryLimits(120, 256 * MiB, 3000, MiB))
    assert columns == ["n", "s"] and len(rows) == 3000 and rows[-1] == (2999, "x2999")


@pytest.mark.parametrize("timeout", ["0", "-1", "nan", "inf", "-inf"])
def test_a_timeout_that_would_turn_the_bound_off_is_refused(lake, timeout, capsys):
    assert main(["query", "SELECT 1", "--timeout", timeout, "--warehouse", lake]) == 2
    assert "not a positive number" in capsys.readouterr().err


def test_a_timeout_longer_than_python_can_wait_is_as_good_as_none(lake, capsys):
    assert main(["query", "SELECT 1 AS n", "--timeout", "1e300", "--format", "csv", "--warehouse", lake]) == 0
    assert capsys.readouterr().out.split() == ["n", "1"]


def test_a_failing_query_shows_duckdbs_whole_message(lake, capsys):
    assert main(["query", "SELECT report_ky FROM reports", "--warehouse", lake]) == 1
    err = capsys.readouterr().err
    assert "Binder Error" in err and "Candidate bindings" in err and '"report_key"' in err


def test_reading_at_a_time_before_the_lake_says_so_plainly(lake, capsys):
    assert main(["query", "SELECT 1", "--at", "2000-01-01", "--warehouse", lake]) == 1
    assert "has no snapshot at or before 2000-01-01" in capsys.readouterr().err


def test_a_locked_connection_writes_nothing_beside_the_data(lake):
    with open_warehouse(lake, read_only=True, locked=True) as con:
        for sql in (f"COPY (SELECT 1) TO '{lake}/catalog.sqlite'", "SET memory_limit = '100GB'",
                    "SELECT * FROM read_csv('/etc/passwd')"):
            with pytest.raises(duckdb.Error):
                con.execute(sql)


@pytest.mark.slow
def test_a_warehouse_newer_than_the_code_is_refused_untouched(tmp_path):
    where = str(tmp_path / "lake")
    with open_warehouse(where) as con:
        con.execute("INSERT INTO schema_version VALUES (999, 'from the future', now())")
    before = sorted(p.stat().st_mtime_ns for p in (tmp_path / "lake").rglob("*") if p.is_file())
    with pytest.raises(WarehouseUnavailable, match="newer than this xxgk"):
        open_warehouse(where)
    assert sorted(p.stat().st_mtime_ns for p in (tmp_path / "lake").rglob("*") if p.is_file()) == before


def test_a_folder_that_is_not_a_lake_is_refused(tmp_path):
    (tmp_path / "lake").mkdir()
    (tmp_path / "lake" / "catalog.sqlite").write_text("not a database")
    with pytest.raises(WarehouseUnavailable, match="is damaged: file is not a database"):
        open_warehouse(str(tmp_path / "lake"), read_only=True)


@pytest.mark.slow
def test_compact_merges_the_files_of_small_loads(tmp_path, capsys):
    from tests.lake_loads import built
    from xxgk.warehouse.load import load_many

    where = str(tmp_path / "lake")
    cell_files = "SELECT count(*) FROM ducklake_list_files('lake', 'cells')"
    with open_warehouse(where) as con:
        for i in range(6):
            load_many(con, [built(i)])
        assert con.execute(cell_files).fetchone() == (6,)
    assert main(["compact", "--warehouse", where, "--keep-days", "0"]) in (0, None)
    with open_warehouse(where, read_only=True) as con:
        assert con.execute(cell_files).fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM reports").fetchone() == (6,)
