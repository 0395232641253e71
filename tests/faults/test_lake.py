"""The lake as a vault: `xxgk query` reads the lake and nothing else, and a lake notices
damage (tests/faults/escapes.py is the catalogue of escape attempts)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from tests.faults.escapes import ESCAPES
from tests.lake_loads import built
from xxgk.cli import main
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.load import load_many


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


@pytest.mark.parametrize("escape", ESCAPES)
def test_an_escape_attempt_fails_in_one_line_and_leaves_everything_as_it_was(vault, escape, capsys):
    lake, outside = Path(vault["lake"]), Path(vault["outside"])
    before, beside = digest(lake), digest(outside)
    assert main(["query", escape.format(**vault), "--warehouse", str(lake)]) not in (0, None)
    message = capsys.readouterr().err.strip()
    assert message.startswith("xxgk: ") and "\n" not in message, message
    assert digest(lake) == before and digest(outside) == beside


@pytest.mark.parametrize("sql", [
    "SELECT count(*) FROM reports", "SELECT count(*) FROM report_summary", "DESCRIBE cells", "SHOW TABLES",
    "SUMMARIZE reports", "SELECT count(*) FROM information_schema.tables", "SELECT count(*) FROM lake.snapshots()",
    "SELECT count(*) FROM cells AT (VERSION => 3)", "PRAGMA version", "SELECT sum(x) FROM range(10) t(x)",
    "WITH r AS (SELECT * FROM reports) SELECT count(*) FROM r JOIN cells USING (report_key)",
    "SELECT count(*) FROM ducklake_list_files('lake', 'cells')"])
def test_a_query_that_only_reads_the_lake_is_answered(vault, sql, capsys):
    lake = Path(vault["lake"])
    before = digest(lake)
    assert main(["query", sql, "--warehouse", str(lake), "--format", "csv"]) in (0, None), capsys.readouterr().err
    assert capsys.readouterr().out.strip()
    assert digest(lake) == before
