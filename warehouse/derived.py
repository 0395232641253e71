"""Objects the code derives (views, the dictionary): written once per definition.

Recreating them on every writer's start would add a snapshot per start and make
concurrent writers conflict for nothing; a fingerprint of the statements says whether
the lake already has what this code would write.
"""

from __future__ import annotations

import hashlib

import duckdb

from xxgk.warehouse.turn import write


def replace_if_changed(con: duckdb.DuckDBPyConnection, name: str, statements: list[str]) -> bool:
    """Run `statements` in one write transaction unless the lake has them already."""
    fingerprint = hashlib.sha256("\n;\n".join(statements).encode()).hexdigest()
    if _stored(con, name) == fingerprint:
        return False

    def replace() -> None:
        if _stored(con, name) == fingerprint:
            return
        for sql in statements:
            con.execute(sql)
        con.execute("DELETE FROM derived_objects WHERE name = ?", [name])
        con.execute("INSERT INTO derived_objects VALUES (?, ?)", [name, fingerprint])

    write(con, replace)
    return True


def _stored(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    row = con.execute("SELECT fingerprint FROM derived_objects WHERE name = ?", [name]).fetchone()
    return row[0] if row else None
