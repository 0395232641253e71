"""The lake without xxgk: a lake folder copied or moved elsewhere opens with plain DuckDB
and the extensions the installed packages ship, by the lines docs/warehouse.md shows."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.lake_loads import built
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.load import load_many

DOC = Path(__file__).resolve().parents[1] / "docs" / "warehouse.md"
PLAIN = {k: v for k, v in os.environ.items() if not k.startswith("XXGK_")}


def documented(language: str) -> list[str]:
    """The code blocks of a language in the doc's section on plain DuckDB."""
    section = DOC.read_text(encoding="utf-8").split("## Plain DuckDB", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, flags=re.S)


def data_path(lake: Path) -> str:
    with sqlite3.connect(lake / "catalog.sqlite") as db:
        return db.execute("SELECT value FROM ducklake_metadata WHERE key = 'data_path'").fetchone()[0]


@pytest.fixture(scope="module")
def moved(tmp_path_factory):
    """A lake made in one folder, then moved to another (the first no longer exists)."""
    made = tmp_path_factory.mktemp("made") / "xxgk.lake"
    with open_warehouse(str(made)) as con:
        load_many(con, [built(i) for i in range(4)])
        [(total,)] = con.execute("SELECT sum(value) FROM report_summary JOIN cells USING (report_key)").fetchall()
    there = tmp_path_factory.mktemp("moved")
    shutil.move(made, there / "xxgk.lake")
    return there, total


@pytest.mark.slow
def test_the_catalog_names_its_data_folder_relative_to_the_lake_folder(moved):
    there, _ = moved
    assert data_path(there / "xxgk.lake") == "data/"


def test_the_documented_python_lines_open_a_moved_lake_with_plain_duckdb(moved):
    there, total = moved
    [code] = documented("python")
    check = "\nprint(con.sql('SELECT sum(value) FROM report_summary JOIN cells USING (report_key)').fetchone()[0])"
    result = subprocess.run([sys.executable, "-c", code + check], cwd=there, env=PLAIN, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "report_summary" not in result.stderr and int(result.stdout.split()[-1]) == total


def test_the_documented_command_line_opens_a_moved_lake_from_inside_it(moved, tmp_path):
    """The CLI's lines, run by the same engine: the LOAD lines the shell line writes, then the SQL."""
    there, total = moved
    [shell] = documented("sh")
    [sql] = documented("sql")
    write_loads = shell.split(" > load.sql")[0]
    assert subprocess.run(["sh", "-c", f"{write_loads} > {tmp_path / 'load.sql'}"], env=PLAIN,
                          timeout=120).returncode == 0
    statements = [*(tmp_path / "load.sql").read_text().splitlines(), *sql.strip().splitlines()]
    lake = there / "xxgk.lake"
    here = os.getcwd()
    os.chdir(lake)
    try:
        con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
        for statement in statements:
            con.execute(statement)
        [(found,)] = con.execute("SELECT sum(value) FROM report_summary JOIN cells USING (report_key)").fetchall()
    finally:
        os.chdir(here)
    assert found == total


@pytest.mark.slow
def test_a_lake_that_stored_its_absolute_data_path_stores_it_relative_once_a_writer_opens_it(tmp_path):
    lake = tmp_path / "old.lake"
    open_warehouse(str(lake)).close()
    with sqlite3.connect(lake / "catalog.sqlite") as db:
        db.execute("UPDATE ducklake_metadata SET value = ? WHERE key = 'data_path'", [f"{lake}/data/"])
    db.close()
    open_warehouse(str(lake)).close()
    assert data_path(lake) == "data/"
