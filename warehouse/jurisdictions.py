"""The `jurisdictions` table, filled from the cpca package's administrative-division data.

The divisions come from a maintained package rather than a table typed here: the same
data the extractor resolves organs with, so every code a report carries is in the table.
"""

from __future__ import annotations

from dataclasses import astuple

import duckdb
import pandas as pd
import pyarrow as pa

from xxgk.schemas.divisions import divisions as all_divisions
from xxgk.warehouse.rows import insert
from xxgk.warehouse.turn import write


def divisions() -> pd.DataFrame:
    """code, name, level, parent_code, province_code of every division cpca knows."""
    return pd.DataFrame([astuple(d) for d in all_divisions()],
                        columns=["code", "name", "level", "parent_code", "province_code"])


def fill_jurisdictions(con: duckdb.DuckDBPyConnection) -> None:
    """Fill the table once; a warehouse that has it keeps it."""
    def fill() -> None:
        [(count,)] = con.execute("SELECT count(*) FROM jurisdictions").fetchall()
        if not count:
            insert(con, "jurisdictions", pa.Table.from_pandas(divisions(), preserve_index=False))

    [(count,)] = con.execute("SELECT count(*) FROM jurisdictions").fetchall()
    if not count:
        write(con, fill)
