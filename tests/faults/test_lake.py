"""The lake as a vault: `xxgk query` and the notebook's reader (`xxgk.connect()`) read the
lake and nothing else (tests/faults/escapes.py is the catalogue of escape attempts), and a
lake notices damage: each damage is refused or
reported in one line, and nothing the lake held is replaced."""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.faults.escapes import ESCAPES
from tests.lake_loads import built
from xxgk import connect
from xxgk.cli import main
from xxgk.samples.figures import random_report
from xxgk.samples.render import render
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.load import load_many
from xxgk.warehouse.queries import QueryError


def digest(folder: Path) -> dict[str, str]:
    """Every file of a folder with the hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def vault(tmp_path_factory) -> dict[str, str]:
    """A lake of four reports, a folder beside it with a SQLite database, and one data file."""
    root = tmp_path_factory.mktemp("vault")
    lake = root / "lake"
    with open_warehouse(str(lake)) as con:
        for i in range(0, 4, 2):
            load_many(con, [built(i), built(i + 1)])
        [(data,)] = con.execute("SELECT data_file FROM ducklake_list_files('lake', 'cells') LIMIT 1").fetchall()
    open_warehouse(str(lake), read_only=True).close()  # a reader's share in SQLite's locking (-wal, -shm) made
    outside = root / "outside"
    outside.mkdir()
    shutil.copy(lake / "catalog.sqlite", outside / "other.sqlite")
    return {"lake": str(lake), "outside": str(outside), "data": data}


@pytest.mark.slow
@pytest.mark.parametrize("escape", ESCAPES)
def test_an_escape_attempt_fails_in_one_line_and_leaves_everything_as_it_was(vault, escape, capsys):
    lake, outside = Path(vault["lake"]), Path(vault["outside"])
    before, beside = digest(lake), digest(outside)
    assert main(["query", escape.format(**vault), "--warehouse", str(lake)]) not in (0, None)
    message = capsys.readouterr().err.strip()
    assert message.startswith("xxgk: ") and "\n" not in message, message
    assert digest(lake) == before and digest(outside) == beside


@pytest.mark.parametrize("escape", ESCAPES)
def test_an_escape_attempt_through_the_notebook_reader_is_refused_in_one_line(vault, escape):
    lake, outside = Path(vault["lake"]), Path(vault["outside"])
    before, beside = digest(lake), digest(outside)
    with connect(str(lake)) as notebook:
        for run in (notebook.sql, notebook.execute):
            with pytest.raises(QueryError) as refused:
                run(escape.format(**vault))
            assert str(refused.value) and "\n" not in str(refused.value), refused.value
    assert digest(lake) == before and digest(outside) == beside


@pytest.mark.parametrize(("escape", "values"), [
    ("SELECT * FROM sqlite_scan(?, 'ducklake_snapshot')", ["{outside}/other.sqlite"]),
    ("SELECT * FROM read_text($path)", {"path": "{lake}/catalog.sqlite"}),
    ("SELECT * FROM __ducklake_metadata_lake.ducklake_snapshot WHERE snapshot_id = ?", [1]),
    ("COPY (SELECT ?) TO '{lake}/data/x.csv'", [1]),
    ("SELECT ?; DELETE FROM reports", [1])])
def test_an_escape_attempt_with_values_through_the_notebook_reader_is_refused(vault, escape, values):
    lake = Path(vault["lake"])
    before = digest(lake)
    filled = ({k: v.format(**vault) for k, v in values.items()} if isinstance(values, dict)
              else [v.format(**vault) if isinstance(v, str) else v for v in values])
    with connect(str(lake)) as notebook, pytest.raises(QueryError) as refused:
        notebook.sql(escape.format(**vault), filled)
    assert "\n" not in str(refused.value), refused.value
    assert digest(lake) == before


def test_the_notebook_reader_and_its_results_offer_no_way_to_write():
    """No relation, connection or write method (`to_csv`, `write_parquet`, `create`,
    `insert_into`, `register`, `cursor`…) is reachable: adding one must be a decision."""
    from xxgk.warehouse.reader import LakeReader, Result

    def public(kind: type) -> set[str]:
        return {name for name in dir(kind) if not name.startswith("_")}

    assert public(LakeReader) == {"sql", "execute", "begin", "commit", "rollback", "close"}
    assert public(Result) == {"fetchall", "fetchmany", "fetchone", "df", "arrow"}


READS = [
    "SELECT count(*) FROM reports", "SELECT count(*) FROM report_summary", "DESCRIBE cells", "SHOW TABLES",
    "SUMMARIZE reports", "SELECT count(*) FROM information_schema.tables", "SELECT count(*) FROM lake.snapshots()",
    "SELECT count(*) FROM cells AT (VERSION => 3)", "PRAGMA version", "SELECT sum(x) FROM range(10) t(x)",
    "WITH r AS (SELECT * FROM reports) SELECT count(*) FROM r JOIN cells USING (report_key)",
    "SELECT count(*) FROM ducklake_list_files('lake', 'cells')"]


@pytest.mark.parametrize("sql", READS)
def test_a_query_that_only_reads_the_lake_is_answered_by_the_notebook_reader(vault, sql):
    lake = Path(vault["lake"])
    before = digest(lake)
    with connect(str(lake)) as notebook:
        assert notebook.sql(sql).fetchall()
    assert digest(lake) == before


@pytest.mark.parametrize("sql", READS)
@pytest.mark.slow
def test_a_query_that_only_reads_the_lake_is_answered(vault, sql, capsys):
    lake = Path(vault["lake"])
    before = digest(lake)
    assert main(["query", sql, "--warehouse", str(lake), "--format", "csv"]) in (0, None), capsys.readouterr().err
    assert capsys.readouterr().out.strip()
    assert digest(lake) == before


# ── damage ──────────────────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A lake of eight reports in four loads, with data files in every table they wrote."""
    lake = tmp_path_factory.mktemp("template") / "lake"
    with open_warehouse(str(lake)) as con:
        for i in range(0, 8, 2):
            load_many(con, [built(i), built(i + 1)])
    return lake


@pytest.fixture
def lake(template, tmp_path) -> Path:
    copy = tmp_path / "lake"
    shutil.copytree(template, copy)
    return copy


def cells_file(lake: Path, n: int = 0) -> Path:
    return sorted((lake / "data" / "main" / "cells").glob("*.parquet"))[n]


def flip_a_bit(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x10  # inside the column chunks, before the footer
    path.write_bytes(bytes(data))


def one_line(capsys, *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and "\n" not in err, err
    return status, err


DATA_DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "a truncated data file": (lambda lake: cells_file(lake).write_bytes(cells_file(lake).read_bytes()[:100]),
                              "100 bytes, the catalog says"),
    "a deleted data file": (lambda lake: cells_file(lake).unlink(), "missing"),
    "a data file swapped for another": (lambda lake: shutil.copy(cells_file(lake, 1), cells_file(lake)),
                                        "the catalog says"),
    "a flipped bit in a data file": (lambda lake: flip_a_bit(cells_file(lake)), "SHA-256 differs"),
}


@pytest.mark.slow
@pytest.mark.parametrize("damage", DATA_DAMAGE)
def test_xxgk_verify_names_a_damaged_data_file(lake, damage, capsys):
    harm, problem = DATA_DAMAGE[damage]
    harm(lake)
    assert main(["verify", "--warehouse", str(lake)]) == 1
    out, err = capsys.readouterr()
    assert out.count("\n") == 1 and cells_file(lake, 0).name in out or "missing" in out, out
    assert problem in out and err.strip() == f"xxgk: 1 problem(s) in the lake at {lake}"


@pytest.mark.parametrize("damage", [d for d in DATA_DAMAGE if d != "a flipped bit in a data file"])
def test_a_load_on_a_damaged_lake_is_refused_in_one_line_and_writes_nothing(lake, damage, capsys):
    DATA_DAMAGE[damage][0](lake)
    before = digest(lake)
    status, err = one_line(capsys, "compact", "--warehouse", str(lake))
    assert status == 1 and "damaged" in err and "xxgk verify" in err
    assert digest(lake) == before


CATALOG_DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "emptied": (lambda lake: (lake / "catalog.sqlite").write_bytes(b""), "is empty but its data is still there"),
    "removed": (lambda lake: (lake / "catalog.sqlite").unlink(), "is missing but its data is still there"),
    "replaced by a SQLite file of something else": (
        lambda lake: _foreign(lake / "catalog.sqlite"), "not a lake's catalog"),
    "replaced by another lake's": (lambda lake: _swapped(lake), "does not describe the data beside it"),
    "missing its latest snapshot": (
        lambda lake: _sql(lake / "catalog.sqlite", "DELETE FROM ducklake_snapshot WHERE snapshot_id = "
                                                   "(SELECT max(snapshot_id) FROM ducklake_snapshot)"),
        "lost its latest snapshot"),
    "overwritten with bytes that are no database": (
        lambda lake: (lake / "catalog.sqlite").write_bytes(bytes(range(256)) * 64), "is damaged"),
}


def _sql(catalog: Path, sql: str) -> None:
    with sqlite3.connect(catalog) as db:
        db.execute(sql)
    db.close()


def _foreign(catalog: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{catalog}{suffix}").unlink(missing_ok=True)
    _sql(catalog, "CREATE TABLE flows (id INTEGER)")


def _swapped(lake: Path) -> None:
    other = lake.parent / "other"
    open_warehouse(str(other)).close()
    for suffix in ("-wal", "-shm"):
        Path(f"{lake}/catalog.sqlite{suffix}").unlink(missing_ok=True)
    shutil.copy(other / "catalog.sqlite", lake / "catalog.sqlite")


@pytest.mark.slow
@pytest.mark.parametrize("damage", CATALOG_DAMAGE)
def test_a_damaged_catalog_is_refused_in_one_line_and_never_replaced(lake, damage, document, capsys):
    harm, problem = CATALOG_DAMAGE[damage]
    harm(lake)
    before = digest(lake)
    status, err = one_line(capsys, "load", str(document), "--warehouse", str(lake))
    assert status == 1 and problem in err, err
    assert digest(lake) == before
    status, err = one_line(capsys, "query", "SELECT count(*) FROM reports", "--warehouse", str(lake))
    assert status == 1 and problem in err, err


def test_data_that_is_a_file_is_refused_in_one_line(lake, capsys):
    shutil.rmtree(lake / "data")
    (lake / "data").write_text("not a folder")
    status, err = one_line(capsys, "verify", "--warehouse", str(lake))
    assert status == 1 and "is a file where the lake's data folder should be" in err


@pytest.mark.slow
def test_an_orphan_file_is_found_and_reclaimed_by_compact(lake, capsys):
    orphan = lake / "data" / "main" / "cells" / "ducklake-left-by-a-killed-load.parquet"
    orphan.write_bytes(cells_file(lake).read_bytes())
    assert main(["verify", "--warehouse", str(lake)]) == 1
    assert f"main/cells/{orphan.name}: not in the catalog" in capsys.readouterr().out
    assert main(["compact", "--warehouse", str(lake), "--grace-hours", "0"]) == 0
    assert not orphan.exists()
    assert main(["verify", "--warehouse", str(lake)]) == 0


FAILING_WRITES = {  # injected at the third document's insert, as DuckDB reports each
    "a full disk": ("IO Error: Could not write file: No space left on device", "DiskFull"),
    "a file system turned read-only": ('IO Error: Cannot open file "data/main/documents/x.parquet": Read-only '
                                       "file system", "Unwritable"),
}


@pytest.mark.slow
@pytest.mark.parametrize("failure", FAILING_WRITES)
def test_a_write_failing_under_a_load_names_what_earlier_batches_of_the_load_kept(lake, tmp_path, monkeypatch,
                                                                                  failure):
    import duckdb

    import xxgk.warehouse.load as load
    from xxgk.flows import pipeline
    from xxgk.flows.executors import in_process
    from xxgk.warehouse import turn

    message, kind = FAILING_WRITES[failure]
    for n in range(3):
        (tmp_path / f"{n}.html").write_bytes(render(random_report(random.Random(n), organ=f"机关{n}", year=2022,
                                                                  jurisdiction_code="630200"), "html"))
    real_insert, calls = load.insert, []

    def insert_until_it_fails(con, table, rows):
        calls.append(table)
        if table == "documents" and calls.count("documents") == 3:
            raise duckdb.IOException(message)
        return real_insert(con, table, rows)

    monkeypatch.setattr(load, "insert", insert_until_it_fails)
    monkeypatch.setattr(pipeline, "LOAD_EVERY", 1)
    with pytest.raises(getattr(turn, kind)) as failed:
        pipeline.load_files([str(tmp_path / f"{n}.html") for n in range(3)], warehouse=str(lake),
                            map_extract=in_process)
    assert message.split(": ")[-1] in str(failed.value) and "\n" not in str(failed.value)
    assert "this batch of 1 document(s) was not kept" in str(failed.value)
    assert "the 2 document(s) of earlier batches of run" in str(failed.value)
    with open_warehouse(str(lake), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents WHERE url LIKE '%.html' AND url NOT LIKE 'https:%'"
                           ).fetchall() == [(2,)]


def test_a_new_lakes_catalog_is_in_wal_mode_and_leaves_no_draft(tmp_path):
    from xxgk.warehouse.connect import _create_folder
    from xxgk.warehouse.location import CATALOG_FILE

    _create_folder(tmp_path / "lake")
    assert [path.name for path in (tmp_path / "lake").iterdir()] == [CATALOG_FILE]
    assert sqlite3.connect(tmp_path / "lake" / CATALOG_FILE).execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_catalog_another_loader_made_meanwhile_is_used_as_it_is(tmp_path, monkeypatch):
    """Two loaders starting a lake at once: the other one links its catalog first and is
    writing it (a lock held) when this one would link its own."""
    import os

    from xxgk.warehouse.connect import _create_folder
    from xxgk.warehouse.location import CATALOG_FILE

    catalog, held = tmp_path / "lake" / CATALOG_FILE, []

    def the_other_loader_first(draft, target):
        held.append(sqlite3.connect(catalog, isolation_level=None))
        held[0].execute("CREATE TABLE ducklake_metadata (key TEXT)")
        held[0].execute("BEGIN EXCLUSIVE")
        raise FileExistsError(target)

    monkeypatch.setattr(os, "link", the_other_loader_first)
    _create_folder(tmp_path / "lake")
    held[0].execute("COMMIT")
    assert [path.name for path in (tmp_path / "lake").iterdir()] == [CATALOG_FILE]
    assert sqlite3.connect(catalog).execute("SELECT name FROM sqlite_master").fetchall() == [("ducklake_metadata",)]


def test_a_new_lakes_catalog_is_made_on_a_file_system_without_hard_links(tmp_path, monkeypatch):
    import os

    from xxgk.warehouse.connect import _create_folder
    from xxgk.warehouse.location import CATALOG_FILE

    def refused(draft, target):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", refused)
    _create_folder(tmp_path / "lake")
    assert [path.name for path in (tmp_path / "lake").iterdir()] == [CATALOG_FILE]
    assert sqlite3.connect(tmp_path / "lake" / CATALOG_FILE).execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_reader_during_a_first_load_is_told_to_wait_in_one_line(tmp_path, capsys):
    from xxgk.warehouse.connect import _create_folder

    _create_folder(tmp_path / "lake")  # the first moment of a first load: a catalog with no lake in it yet
    for command in (["query", "SELECT count(*) FROM reports"], ["issues"], ["verify"]):
        status, err = one_line(capsys, *command, "--warehouse", str(tmp_path / "lake"))
        assert status == 1 and "its first load has not finished, try again when it has" in err


def test_a_lake_folder_that_cannot_be_made_is_one_line(tmp_path, document, capsys):
    (tmp_path / "a file").write_text("in the way")
    status, err = one_line(capsys, "load", str(document), "--warehouse", str(tmp_path / "a file" / "lake"))
    assert status == 1 and "cannot write the warehouse" in err and "Not a directory" in err
