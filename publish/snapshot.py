"""A read-only SQLite copy of the warehouse, for tools that read SQLite (Datasette, `xxgk serve`).

Every table and every view of the lake is written as a table of the same name and
columns (a view's rows as they are when the copy is made), plus `findings`: every finding
with the identity of its report or document (warehouse/queries.py). Counts stay integers;
money, stored as DECIMAL, becomes a REAL in its unit (SQLite has no decimal); times are
ISO text. `cells` gains its report's year and jurisdiction and the Chinese labels and unit
of its row and column, so it can be browsed without a join.

The copy records the lake snapshot it was made from and a fingerprint of this code, so an
unchanged lake is not copied again; a new copy is written beside the old one and moved in
place whole, so a reader never sees half of one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import duckdb

from xxgk.schemas.errors import XxgkError
from xxgk.warehouse.connect import LAKE
from xxgk.warehouse.dictionary import described
from xxgk.warehouse.extensions import extension_file
from xxgk.warehouse.queries import FINDINGS

# Columns the copy adds to the warehouse's own, with what they mean.
ADDED = {
    "findings": "Every finding (quality_issues) with the identity of its report, or of its document when it gave "
                "no report: place, province, organ, year, template.",
    "cells.year": "the report's reporting year (reports.year)",
    "cells.jurisdiction_code": "the report's jurisdiction (reports.jurisdiction_code)",
    "cells.row_label": "the row's Chinese label in the report's template (dictionary_rows.label)",
    "cells.col_label": "the column's Chinese label in the report's template (dictionary_columns.label)",
    "cells.unit": "the figure's unit: count | yuan | 10k_yuan (dictionary)",
}
_CELLS = f"""SELECT c.*, r.year, r.jurisdiction_code, dr.label AS row_label, dc.label AS col_label,
    coalesce(dr.unit, dc.unit) AS unit
FROM {LAKE}.cells c JOIN {LAKE}.reports r USING (report_key)
LEFT JOIN {LAKE}.dictionary_rows dr ON dr.template = r.template AND dr.table_name = c.table_name
    AND dr.row_key = c.row_key
LEFT JOIN {LAKE}.dictionary_columns dc ON dc.template = r.template AND dc.table_name = c.table_name
    AND dc.col_key = c.col_key"""
# Columns indexed wherever they occur: what facets and links filter on.
INDEXED = ("report_key", "jurisdiction_code", "year", "template", "check_name", "severity", "table_name", "status")
SOURCE_TABLE = "_xxgk_source"  # where the copy came from: lake snapshot / code fingerprint


class SnapshotUnwritable(XxgkError):
    """The snapshot's folder cannot be written (permissions, a file in the way, a full disk)."""


@dataclass(frozen=True)
class SnapshotSummary:
    path: Path
    written: bool  # False: the copy already matched the lake
    tables: int


def write_snapshot(con: duckdb.DuckDBPyConnection, path: str | Path) -> SnapshotSummary:
    """Copy the warehouse `con` reads (read-only is enough) into the SQLite file `path`,
    unless it already holds this lake snapshot."""
    path = Path(path)
    source = f"{_lake_snapshot(con)}/{_code_version()}"
    if _source_of(path) == source:
        return SnapshotSummary(path, False, len(_tables(path)))
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")  # two servers starting at once write apart
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        _write(con, partial, source)
        os.replace(partial, path)
    except (OSError, sqlite3.Error, duckdb.IOException, duckdb.PermissionException) as error:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise SnapshotUnwritable(f"cannot write the snapshot {path}: {str(error).splitlines()[0]}") from None
    return SnapshotSummary(path, True, len(_tables(path)))


def _write(con: duckdb.DuckDBPyConnection, partial: Path, source: str) -> None:
    con.execute(f"LOAD '{_quoted(str(extension_file('sqlite_scanner')))}'")
    con.execute(f"ATTACH '{_quoted(str(partial))}' AS xxgk_snapshot (TYPE sqlite)")
    try:
        con.execute("BEGIN")  # one transaction: SQLite syncs once, not once a table
        try:
            for name, query in _copies(con).items():
                con.execute(f"CREATE TABLE xxgk_snapshot.{_identifier(name)} AS {_sqlite_types(con, query)}")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
    finally:
        con.execute("DETACH xxgk_snapshot")
    with sqlite3.connect(partial) as db:
        _index(db)
        db.execute(f"CREATE TABLE {SOURCE_TABLE} (source TEXT)")
        db.execute(f"INSERT INTO {SOURCE_TABLE} VALUES (?)", [source])
    db.close()


def _copies(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Name → the query whose rows it holds."""
    copies = {o.name: f"SELECT * FROM {LAKE}.{o.name}" for o in described(con)}
    copies["cells"] = _CELLS
    copies["findings"] = f"SELECT * FROM ({FINDINGS})"
    return copies


def _sqlite_types(con: duckdb.DuckDBPyConnection, query: str) -> str:
    """The query with DECIMAL as DOUBLE and HUGEINT as BIGINT (SQLite would hold them as text)."""
    replaced = [f"CAST({_identifier(name)} AS {'DOUBLE' if kind.startswith('DECIMAL') else 'BIGINT'}) "
                f"AS {_identifier(name)}"
                for name, kind, *_ in con.execute(f"DESCRIBE {query}").fetchall()
                if kind.startswith("DECIMAL") or kind == "HUGEINT"]
    return f"SELECT * REPLACE ({', '.join(replaced)}) FROM ({query})" if replaced else query


def _index(db: sqlite3.Connection) -> None:
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        present = {row[1] for row in db.execute(f"PRAGMA table_info({_identifier(table)})")}
        for column in INDEXED:
            if column in present:
                db.execute(f"CREATE INDEX {_identifier(f'{table}_{column}')} "
                           f"ON {_identifier(table)} ({_identifier(column)})")


def _lake_snapshot(con: duckdb.DuckDBPyConnection) -> int:
    [(snapshot,)] = con.execute(f"SELECT max(snapshot_id) FROM {LAKE}.snapshots()").fetchall()
    return snapshot


def _source_of(path: Path) -> str | None:
    if not path.is_file():
        return None
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            row = db.execute(f"SELECT source FROM {SOURCE_TABLE}").fetchone()
        db.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def _tables(path: Path) -> list[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        names = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    db.close()
    return [name for name in names if name != SOURCE_TABLE]


def _code_version() -> str:
    """A fingerprint of what decides the copy's content besides the lake: this code and the findings query."""
    return hashlib.sha256(Path(__file__).read_bytes() + FINDINGS.encode()).hexdigest()[:16]


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quoted(text: str) -> str:
    return text.replace("'", "''")
