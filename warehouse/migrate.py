"""The schema as ordered migrations: numbered SQL files applied once each, in order.

`schema_version` records what a warehouse file has; opening an older file applies what it
lacks, each migration in its own transaction, so a file is always at some whole version.
"""

from __future__ import annotations

from importlib import resources

import duckdb

from xxgk.warehouse.transaction import transaction


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration shipped with the package, in order."""
    found = []
    for entry in resources.files("xxgk.warehouse").joinpath("migrations").iterdir():
        if entry.name.endswith(".sql"):
            version, _, name = entry.name.removesuffix(".sql").partition("_")
            found.append((int(version), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    [(exists,)] = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'").fetchall()
    if not exists:
        return 0
    [(version,)] = con.execute("SELECT max(version) FROM schema_version").fetchall()
    return version or 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the warehouse to the latest version; returns the version it is at."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)")
    version = current_version(con)
    for number, name, sql in migrations():
        if number <= version:
            continue
        with transaction(con):
            con.execute(sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [number, name])
        version = number
    return version
