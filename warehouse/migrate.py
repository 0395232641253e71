"""The schema as ordered migrations: numbered SQL files applied once each, in order.

`schema_version` records what a warehouse has; opening an older one applies what it
lacks, each migration in its own transaction, so a lake is always at some whole version
(and its snapshots show each step). Two processes opening a new lake at once both try
the first migration; the later commit conflicts, is rolled back, and finds it applied.
A lake newer than this code is refused rather than written with an older schema.
"""

from __future__ import annotations

import contextlib
import time
from importlib import resources

import duckdb

from xxgk.warehouse.errors import WarehouseUnavailable
from xxgk.warehouse.turn import retryable


class NewerWarehouse(WarehouseUnavailable):
    """The warehouse was written by a newer version of xxgk."""


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration shipped with the package, in order."""
    found = []
    for entry in resources.files("xxgk.warehouse").joinpath("migrations").iterdir():
        if entry.name.endswith(".sql"):
            version, _, name = entry.name.removesuffix(".sql").partition("_")
            found.append((int(version), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def latest_version() -> int:
    return migrations()[-1][0]


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    [(exists,)] = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = current_schema() AND table_name = 'schema_version'").fetchall()
    if not exists:
        return 0
    [(version,)] = con.execute("SELECT max(version) FROM schema_version").fetchall()
    return version or 0


def migrate(con: duckdb.DuckDBPyConnection, up_to: int | None = None, wait_seconds: float = 60.0) -> int:
    """Bring the warehouse to the latest version (or `up_to`); returns the version it is at."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return _migrate(con, up_to)
        except duckdb.Error as error:
            if not retryable(error) and "already exists" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(0.1)


def _migrate(con: duckdb.DuckDBPyConnection, up_to: int | None) -> int:
    version = current_version(con)
    if version > latest_version():
        raise NewerWarehouse(f"the warehouse is at schema version {version}, newer than this xxgk "
                             f"({latest_version()}): upgrade xxgk to use it")
    for number, name, sql in migrations():
        if number <= version or (up_to is not None and number > up_to):
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("CREATE TABLE IF NOT EXISTS schema_version "
                        "(version INTEGER, name VARCHAR, applied_at TIMESTAMP)")
            if current_version(con) >= number:
                con.execute("ROLLBACK")
                continue
            con.execute(sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [number, name])
            con.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.TransactionException):
                con.execute("ROLLBACK")
            raise
        version = number
    return current_version(con)
