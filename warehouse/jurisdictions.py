"""The `jurisdictions` table, filled from the cpca package's administrative-division data.

The divisions come from a maintained package rather than a table typed here: the same
data the extractor resolves organs with, so every code a report carries is in the table.
"""

from __future__ import annotations

from dataclasses import astuple

import duckdb
import pandas as pd

from xxgk.schemas.divisions import divisions as all_divisions


def divisions() -> pd.DataFrame:
    """code, name, level, parent_code, province_code of every division cpca knows."""
    return pd.DataFrame([astuple(d) for d in all_divisions()],
                        columns=["code", "name", "level", "parent_code", "province_code"])


def fill_jurisdictions(con: duckdb.DuckDBPyConnection) -> None:
    """Fill the table once; a warehouse that has it keeps it."""
    [(count,)] = con.execute("SELECT count(*) FROM jurisdictions").fetchall()
    if count:
        return
    frame = divisions()
    con.register("incoming_divisions", frame)
    try:
        con.execute("INSERT INTO jurisdictions SELECT * FROM incoming_divisions")
    finally:
        con.unregister("incoming_divisions")
