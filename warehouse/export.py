"""Exporting the warehouse as Parquet for Spark, Trino, pandas or polars users, to any
fsspec URL (a local folder, `file://…`, `s3://…`, `memory://…`).

Every table and view is written, but the two rows of the lake's own machinery (the write
turn, the derived objects' fingerprints). Reports, cells, findings, the wide views, the
report summary and the headline series are hive-partitioned by year (`cells/year=2023/…`),
each row carrying its report's key fields so a partition can be read alone; a finding of
a document whose year nobody knows lands in `year=unknown`, never in
`__HIVE_DEFAULT_PARTITION__`. Everything else is one file each.

Types survive the trip: counts are Parquet integers, and the files carry pandas metadata
naming them nullable integers (`Int64`), so pandas does not turn a count column with a
blank into float64; money is a Parquet DECIMAL in the unit its column names. A finding's
`expected` and `actual` are integers when its cell is a count, and `expected_amount` and
`actual_amount` when its cell is money, as `cells` splits `value` and `amount`.

DuckDB writes into a local folder (the target itself when it is local, else a temporary
folder then uploaded file by file), so a remote export needs no DuckDB filesystem
extension. A read-only connection suffices: nothing in the warehouse changes.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import duckdb
import fsspec
from fsspec.implementations.local import LocalFileSystem

from xxgk.schemas.legacy import LEGACY
from xxgk.warehouse.rows import MONEY_COLUMNS, MONEY_LEGACY_ROWS, sql_literal

UNKNOWN_YEAR = "unknown"
MACHINERY = ("writer_turn", "derived_objects")

# Is the finding's cell money? (False, not null, for a finding about no cell.)
_MONEY_CELL = "coalesce(" + " OR ".join(
    [f"(q.table_name, q.col_key) = ('{table}', '{col}')" for table, col in sorted(MONEY_COLUMNS)]
    + [f"(q.table_name, q.row_key) = ('{LEGACY}', '{row}')" for row in sorted(MONEY_LEGACY_ROWS)]) + ", false)"
_FINDING_FIGURES = ", ".join(
    f"CASE WHEN NOT ({_MONEY_CELL}) AND q.{name} = trunc(q.{name}) THEN CAST(q.{name} AS BIGINT) END AS {name}, "
    f"CASE WHEN {_MONEY_CELL} OR q.{name} <> trunc(q.{name}) THEN q.{name} END AS {name}_amount"
    for name in ("expected", "actual"))

_PARTITIONED = {
    "reports": "SELECT * FROM reports",
    "cells": "SELECT r.year, r.jurisdiction_code, r.organ, c.* FROM cells c JOIN reports r USING (report_key)",
    "quality_issues": "SELECT coalesce(r.year, d.year) AS year, coalesce(r.jurisdiction_code, d.jurisdiction_code) "
                      f"AS jurisdiction_code, coalesce(r.organ, d.organ) AS organ, q.* EXCLUDE (expected, actual), "
                      f"{_FINDING_FIGURES} FROM quality_issues q "
                      "LEFT JOIN reports r USING (report_key) LEFT JOIN documents d ON d.sha256 = q.document_sha256",
    "applications_wide": "SELECT * FROM applications_wide",
    "active_disclosure_wide": "SELECT * FROM active_disclosure_wide",
    "review_litigation_wide": "SELECT * FROM review_litigation_wide",
    "report_summary": "SELECT * FROM report_summary",
    "headline_series": "SELECT * FROM headline_series",
}
# DuckDB's integer types → pandas' nullable integer dtypes.
_NULLABLE_INTEGERS = {"TINYINT": "Int8", "SMALLINT": "Int16", "INTEGER": "Int32", "BIGINT": "Int64",
                      "UTINYINT": "UInt8", "USMALLINT": "UInt16", "UINTEGER": "UInt32", "UBIGINT": "UInt64"}


def exported_relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table and view of the lake but its machinery, the partitioned ones first."""
    names = [name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "UNION SELECT view_name FROM duckdb_views() WHERE database_name = current_database() ORDER BY 1").fetchall()]
    return [*_PARTITIONED, *(name for name in names if name not in _PARTITIONED and name not in MACHINERY)]


def export_parquet(con: duckdb.DuckDBPyConnection, url: str) -> list[str]:
    """Write the warehouse under `url`; returns what was written, relative to it."""
    filesystem, root = fsspec.core.url_to_fs(url)
    if isinstance(filesystem, LocalFileSystem):
        return _write(con, Path(root))
    with tempfile.TemporaryDirectory(prefix="xxgk-export-") as staging:
        written = _write(con, Path(staging))
        _upload(filesystem, Path(staging), root)
    return written


def _write(con: duckdb.DuckDBPyConnection, root: Path) -> list[str]:
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for name in exported_relations(con):
        if name in _PARTITIONED:
            query = (f"SELECT * REPLACE (coalesce(CAST(year AS VARCHAR), '{UNKNOWN_YEAR}') AS year) "
                     f"FROM ({_PARTITIONED[name]})")
            target, options = name, "PARTITION_BY (year), OVERWRITE_OR_IGNORE true"
        else:
            query, target, options = f"SELECT * FROM {name}", f"{name}.parquet", ""
        metadata = sql_literal(json.dumps(_pandas_metadata(con, query), ensure_ascii=False))
        con.execute(f"COPY ({query}) TO {sql_literal(str(root / target))} "
                    f"(FORMAT parquet, KV_METADATA {{pandas: {metadata}}}{', ' + options if options else ''})")
        written.append(target)
    return written


def _pandas_metadata(con: duckdb.DuckDBPyConnection, query: str) -> dict:
    """The pandas metadata naming the integer columns nullable integers (pyarrow's
    `to_pandas` reads it; other readers ignore it and see Parquet's integers anyway)."""
    integers = [(name, _NULLABLE_INTEGERS[kind]) for name, kind, *_ in con.execute(f"DESCRIBE {query}").fetchall()
                if kind in _NULLABLE_INTEGERS]
    return {"index_columns": [], "column_indexes": [], "creator": {"library": "xxgk"},
            "columns": [{"name": name, "field_name": name, "pandas_type": dtype.lower(), "numpy_type": dtype,
                         "metadata": None} for name, dtype in integers]}


def _upload(filesystem: fsspec.AbstractFileSystem, staging: Path, root: str) -> None:
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        target = f"{root.rstrip('/')}/{path.relative_to(staging).as_posix()}"
        filesystem.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
        filesystem.put_file(str(path), target)

