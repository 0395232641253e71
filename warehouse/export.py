"""Exporting the warehouse as Parquet for Spark, Trino or DuckLake users.

Reports, cells and issues are hive-partitioned by year (`cells/year=2023/…`), each row
carrying its report's key fields so a partition can be read alone; documents and
jurisdictions are single files. A read-only connection suffices: nothing in the
warehouse changes.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

_PARTITIONED = {
    "reports": "SELECT * FROM reports",
    "cells": "SELECT r.year, r.jurisdiction_code, r.organ, c.* FROM cells c JOIN reports r USING (report_key)",
    "quality_issues": "SELECT r.year, r.jurisdiction_code, r.organ, q.* FROM quality_issues q "
                      "LEFT JOIN reports r USING (report_key)",
}
_WHOLE = ("documents", "jurisdictions")


def export_parquet(con: duckdb.DuckDBPyConnection, folder: str) -> list[str]:
    """Write the warehouse under `folder`; returns what was written, relative to it."""
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    for name, query in _PARTITIONED.items():
        con.execute(f"COPY ({query}) TO '{_quoted(root / name)}' "
                    "(FORMAT parquet, PARTITION_BY (year), OVERWRITE_OR_IGNORE true)")
    for name in _WHOLE:
        con.execute(f"COPY {name} TO '{_quoted(root / f'{name}.parquet')}' (FORMAT parquet)")
    return [*_PARTITIONED, *(f"{name}.parquet" for name in _WHOLE)]


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
