"""The `jurisdictions` table, filled from the cpca package's administrative-division data.

The divisions come from a maintained package rather than a table typed here: the same
data the extractor resolves organs with, so every code a report carries is in the table.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from xxgk.extractors.metadata import division_names


def divisions() -> pd.DataFrame:
    """code, name, level, parent_code, province_code of every division cpca knows."""
    names = division_names()
    rows = []
    for code, name in sorted(names.items()):
        province = code[:2] + "0000"
        if code.endswith("0000"):
            level, parent = "province", None
        elif code.endswith("00"):
            level, parent = "prefecture", province
        else:
            level = "county"
            parent = code[:4] + "00" if code[:4] + "00" in names else province
        rows.append((code, name, level, parent, province))
    return pd.DataFrame(rows, columns=["code", "name", "level", "parent_code", "province_code"])


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
