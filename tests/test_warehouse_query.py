"""`xxgk query` runs anyone's SQL read-only, reaching nothing but the lake, for a bounded
time; a warehouse that is not one of ours, or newer than the code, is refused untouched."""

import pytest

from xxgk.cli import main
from xxgk.warehouse.connect import WarehouseUnavailable, open_warehouse
from xxgk.warehouse.queries import QueryError, run_query


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    where = str(tmp_path_factory.mktemp("query") / "lake")
    open_warehouse(where).close()
    return where


@pytest.mark.parametrize("sql", [
    "SELECT * FROM read_csv('/etc/passwd')", "COPY (SELECT 1) TO 'out.csv'", "ATTACH 'other.duckdb'",
    "INSTALL httpfs", "LOAD 'evil.duckdb_extension'", "SET enable_external_access = true",
    "SET allow_unsigned_extensions = false", "DELETE FROM jurisdictions"])
def test_query_reaches_nothing_but_the_lake(lake, sql, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["query", sql, "--warehouse", lake]) not in (0, None)
    assert capsys.readouterr().err.strip()
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "other.duckdb").exists()


def test_the_locked_connection_still_reads_the_lake(lake):
    with open_warehouse(lake, read_only=True, locked=True) as con:
        assert con.execute("SELECT count(*) > 3000 FROM jurisdictions").fetchone() == (True,)


def test_a_query_past_its_time_is_stopped(lake):
    with open_warehouse(lake, read_only=True, locked=True) as con, pytest.raises(QueryError, match="longer than"):
        run_query(con, "SELECT count(*) FROM range(10000000000) a", timeout_seconds=0.2)


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
    with pytest.raises(WarehouseUnavailable, match="cannot open the warehouse"):
        open_warehouse(str(tmp_path / "lake"), read_only=True)


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
