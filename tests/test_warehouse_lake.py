"""The warehouse as a DuckLake: readers never block writers, several processes load one
lake at once and end as a sequential load would, every write is a snapshot to read
again, and a single-file warehouse of the previous version converts without a loss."""

import gzip
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pytest

from tests.lake_loads import built, load
from xxgk import connect
from xxgk.warehouse import extensions
from xxgk.warehouse.connect import WarehouseUnavailable, open_warehouse
from xxgk.warehouse.convert import convert_file
from xxgk.warehouse.load import load_many
from xxgk.warehouse.queries import QueryError

REPO = Path(__file__).resolve().parent.parent
REPORTS = 24  # six organs × four years


def contents(con):
    """Everything loaded, as sets of rows (timestamps of the load left out)."""
    return {table: sorted(con.execute(f"SELECT * EXCLUDE ({skip}) FROM {table}").fetchall(), key=str)
            for table, skip in (("reports", "extracted_at"), ("cells", "page"), ("quality_issues", "message"),
                                ("documents", "fetched_at"))}


def loaders(warehouse: str, processes: int = 2, batch: int = 2) -> list[subprocess.Popen]:
    """Loader processes started together, each loading every `processes`-th report."""
    return [subprocess.Popen([sys.executable, "-m", "tests.lake_loads", warehouse, str(first), str(REPORTS),
                              str(processes), str(batch)], cwd=REPO, stderr=subprocess.PIPE, text=True)
            for first in range(processes)]


def finished(processes: list[subprocess.Popen]) -> None:
    codes = [p.wait(timeout=300) for p in processes]
    assert codes == [0] * len(processes), [p.stderr.read() for p in processes]


@pytest.fixture(scope="module")
def sequential(tmp_path_factory):
    """The reference: the same reports loaded by one process, in order."""
    where = str(tmp_path_factory.mktemp("sequential") / "lake")
    load(where, range(REPORTS), 2)
    with open_warehouse(where, read_only=True) as con:
        return contents(con)


@pytest.mark.slow
def test_a_new_warehouse_is_a_lake_folder_of_catalog_and_parquet(tmp_path):
    with open_warehouse(str(tmp_path / "lake")) as con:
        load_many(con, [built(0)])
    assert (tmp_path / "lake" / "catalog.sqlite").is_file()
    assert list((tmp_path / "lake" / "data").rglob("*.parquet"))


@pytest.mark.slow
def test_extensions_never_install_or_load_on_their_own(tmp_path):
    with open_warehouse(str(tmp_path / "lake")) as con:
        settings = dict(con.execute("SELECT name, value FROM duckdb_settings() WHERE name IN "
                                    "('autoinstall_known_extensions', 'autoload_known_extensions')").fetchall())
    assert settings == {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}


def test_an_extension_signature_is_checked_once_per_process(monkeypatch):
    monkeypatch.setattr(extensions, "_CHECKED", set())
    first, second = extensions.connection("ducklake"), extensions.connection("ducklake")
    unsigned = "SELECT current_setting('allow_unsigned_extensions')"
    assert (first.execute(unsigned).fetchone(), second.execute(unsigned).fetchone()) == ((False,), (True,))


@pytest.mark.slow
def test_a_notebook_connection_held_open_never_blocks_loaders(tmp_path, sequential):
    where = str(tmp_path / "lake")
    open_warehouse(where).close()
    with connect(where) as notebook:
        notebook.begin()
        seen_before = notebook.execute("SELECT count(*) FROM reports").fetchone()
        finished(loaders(where))
        assert notebook.execute("SELECT count(*) FROM reports").fetchone() == seen_before == (0,)
        notebook.commit()
        assert notebook.execute("SELECT count(*) FROM reports").fetchone() == (REPORTS,)
    with connect(where) as con:
        assert contents(con) == sequential


@pytest.mark.slow
def test_a_notebook_connection_is_read_only(tmp_path):
    where = str(tmp_path / "lake")
    open_warehouse(where).close()
    with connect(where) as notebook, pytest.raises(QueryError, match="read-only: one SELECT, not a DELETE"):
        notebook.execute("DELETE FROM jurisdictions")


@pytest.mark.slow
def test_two_loader_processes_at_once_end_as_a_sequential_load(tmp_path, sequential):
    where = str(tmp_path / "lake")
    finished(loaders(where))
    with open_warehouse(where, read_only=True) as con:
        assert contents(con) == sequential


@pytest.mark.slow
def test_the_lake_reads_as_it_was_after_a_run(tmp_path):
    where = str(tmp_path / "lake")
    with open_warehouse(where) as con:
        load_many(con, [built(0), built(1)], run_id="first-run")
        load_many(con, [built(2)], run_id="second-run")
        [(after_first,)] = con.execute(
            "SELECT max(snapshot_id) FROM lake.snapshots() WHERE commit_extra_info = 'first-run'").fetchall()
        [(first_written,)] = con.execute(
            "SELECT snapshot_time FROM lake.snapshots() WHERE snapshot_id = ?", [after_first]).fetchall()
    for at in ("first-run", after_first, str(after_first), first_written.isoformat()):
        with connect(where, at=at) as con:
            assert con.execute("SELECT count(*) FROM reports").fetchone() == (2,)
    with connect(where) as con:
        assert con.execute("SELECT count(*) FROM reports").fetchone() == (3,)


@pytest.mark.slow
def test_xxgk_query_at_a_run_reads_what_it_left(tmp_path, capsys):
    from xxgk.cli import main

    where = str(tmp_path / "lake")
    with open_warehouse(where) as con:
        load_many(con, [built(0)], run_id="first-run")
        load_many(con, [built(1)], run_id="second-run")
    assert main(["query", "SELECT count(*) AS n FROM reports", "--at", "first-run", "--warehouse", where,
                 "--format", "csv"]) in (0, None)
    assert capsys.readouterr().out.split() == ["n", "1"]


@pytest.mark.slow
def test_reading_as_of_an_unknown_run_says_so(tmp_path):
    where = str(tmp_path / "lake")
    open_warehouse(where).close()
    with pytest.raises(WarehouseUnavailable, match="nightly-42"):
        connect(where, at="nightly-42")


def test_a_lake_whose_first_load_has_not_committed_reads_as_unavailable(tmp_path):
    where = str(tmp_path / "lake")
    open_warehouse(where, prepared=True).close()  # the catalog made, the schema not yet
    with pytest.raises(WarehouseUnavailable, match="holds no tables yet"):
        connect(where)


def test_a_single_file_warehouse_is_refused_with_the_way_to_convert_it(tmp_path):
    old = tmp_path / "xxgk.duckdb"
    duckdb.connect(str(old)).close()
    with pytest.raises(WarehouseUnavailable, match="single-file warehouse .* convert"):
        open_warehouse(str(old))


def single_file_warehouse(tmp_path) -> Path:
    """A warehouse made by the last single-file version (commit ad197e8): three reports over
    two years with a carry-chain finding, an unreadable and an unkeyed document, a crawl."""
    old = tmp_path / "old.duckdb"
    old.write_bytes(gzip.decompress((REPO / "tests" / "data" / "single_file_warehouse.duckdb.gz").read_bytes()))
    return old


@pytest.mark.slow
def test_a_single_file_warehouse_converts_into_a_lake_without_losing_a_row(tmp_path):
    old = single_file_warehouse(tmp_path)
    copied = convert_file(str(old), str(tmp_path / "lake"))
    # Migrations after the file's version changed two columns' form: a figure is a count
    # (value) or money (amount), and a loaded document's status is its report's.
    changed = {"cells": ("value", "value"),
               "documents": ("status", "CASE WHEN status = 'loaded' THEN 'ok|issues' ELSE status END")}
    with duckdb.connect(str(old), read_only=True) as before, connect(str(tmp_path / "lake")) as after:
        for table in ("reports", "cells", "quality_issues", "documents", "crawl_log", "fetch_state", "jurisdictions"):
            columns = [name for (name,) in before.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table]).fetchall()]
            column, old_form = changed.get(table, (None, None))
            old_rows = before.execute(f"SELECT {', '.join(old_form if c == column else c for c in columns)} "
                                      f"FROM {table}").fetchall()
            new_form = "CASE WHEN status IN ('ok', 'issues') THEN 'ok|issues' ELSE status END" \
                if table == "documents" else "coalesce(value, amount)"
            new_rows = after.execute(f"SELECT {', '.join(new_form if c == column else c for c in columns)} "
                                     f"FROM {table}").fetchall()
            assert sorted(new_rows, key=str) == sorted(old_rows, key=str), table
            assert copied[table] == len(old_rows)
        assert after.execute("SELECT count(*) FROM report_summary").fetchone() == (3,)
        assert after.execute("SELECT d.status = r.status FROM documents d JOIN reports r "
                             "ON r.document_sha256 = d.sha256").fetchall() == [(True,)] * 3


@pytest.mark.slow
def test_a_converted_lake_loads_on(tmp_path):
    lake = str(tmp_path / "lake")
    convert_file(str(single_file_warehouse(tmp_path)), lake)
    with open_warehouse(lake) as con:
        load_many(con, [built(0)])
        assert con.execute("SELECT count(*) FROM reports").fetchone() == (4,)


@pytest.mark.slow
def test_xxgk_convert_copies_a_single_file_warehouse(tmp_path, capsys):
    from xxgk.cli import main

    assert main(["convert", str(single_file_warehouse(tmp_path)), str(tmp_path / "lake")]) in (0, None)
    assert "reports 3" in capsys.readouterr().out
    with connect(str(tmp_path / "lake")) as con:
        assert con.execute("SELECT count(*) FROM cells").fetchone() == (600,)


@pytest.mark.slow
def test_converting_into_an_existing_lake_is_refused(tmp_path):
    lake = str(tmp_path / "lake")
    open_warehouse(lake).close()
    with pytest.raises(WarehouseUnavailable, match="holds a warehouse already"):
        convert_file(str(single_file_warehouse(tmp_path)), lake)


# PostgreSQL: the catalog of a lake that several machines load.

def _postgres_binaries() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return versions[-1].parent if versions else None


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server on loopback in a temporary folder, run as an unprivileged user
    (the `postgres` account when the tests run as root); yields its URL without a database."""
    binaries = _postgres_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql; .ci/run does)")
    folder = Path(tempfile.mkdtemp(prefix="xxgk-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    quiet = {"stdout": subprocess.DEVNULL, "check": True}
    subprocess.run([*run_as, binaries / "initdb", "-D", folder / "data", "-A", "trust", "-U", "xxgk"], **quiet)
    subprocess.run([*run_as, binaries / "pg_ctl", "-D", folder / "data", "-l", folder / "log", "-w", "-o",
                    f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "start"], **quiet)
    try:
        yield f"postgresql://xxgk@127.0.0.1:{port}"
    finally:
        subprocess.run([*run_as, binaries / "pg_ctl", "-D", folder / "data", "-m", "immediate", "stop"], **quiet)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_lake(postgres, tmp_path, request):
    name = "lake_" + request.node.name.lower().replace("[", "_").replace("]", "")[-40:]
    subprocess.run([str(_postgres_binaries() / "createdb"), "-h", "127.0.0.1", "-p", postgres.rsplit(":", 1)[1],
                    "-U", "xxgk", name], check=True)
    return f"{postgres}/{name}?data={tmp_path / 'data'}"


@pytest.mark.slow
def test_two_loader_processes_at_once_on_a_postgresql_catalog(postgres_lake, sequential):
    open_warehouse(postgres_lake).close()
    with connect(postgres_lake) as notebook:
        notebook.begin()
        assert notebook.execute("SELECT count(*) FROM reports").fetchone() == (0,)
        finished(loaders(postgres_lake))
        assert notebook.execute("SELECT count(*) FROM reports").fetchone() == (0,)
        notebook.commit()
    with connect(postgres_lake) as con:
        assert contents(con) == sequential


def test_a_postgresql_url_without_the_data_place_is_refused():
    with pytest.raises(WarehouseUnavailable, match="data"):
        open_warehouse("postgresql://xxgk@127.0.0.1:5432/lake")


@pytest.mark.slow
def test_a_lake_folder_moves_whole(tmp_path):
    with open_warehouse(str(tmp_path / "lake")) as con:
        load_many(con, [built(0)])
    (tmp_path / "lake").rename(tmp_path / "moved")
    with connect(str(tmp_path / "moved")) as con:
        assert con.execute("SELECT count(*) FROM reports").fetchone() == (1,)
    with open_warehouse(str(tmp_path / "moved")) as con:
        load_many(con, [built(1)])
        assert con.execute("SELECT count(*) FROM reports").fetchone() == (2,)
