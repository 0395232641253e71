"""Bulk inserts: rows go to DuckDB as Arrow tables, never one statement per row."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pyarrow as pa

from xxgk.schemas.records import Number

DECIMAL = pa.decimal128(24, 4)
_QUANTUM = Decimal("0.0001")
# quality_issues' columns, in table order.
_ISSUE_FIELDS = ("report_key", "document_sha256", "check_name", "severity", "table_name", "row_key", "col_key",
                 "expected", "actual", "message")


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    con.register("incoming_rows", rows)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM incoming_rows")
    finally:
        con.unregister("incoming_rows")


def insert_issue_rows(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    """Rows in quality_issues' column order (expected and actual as numbers or None)."""
    if not rows:
        return
    columns = list(zip(*rows))
    arrays = {name: pa.array([decimal(v) for v in values], type=DECIMAL) if name in ("expected", "actual")
              else pa.array(values, type=pa.string()) for name, values in zip(_ISSUE_FIELDS, columns)}
    insert(con, "quality_issues", pa.table(arrays))


def decimal(value: Number | None) -> Number | None:
    """A value Arrow's decimal type takes: counts as they are, amounts at the column's scale."""
    return value if value is None or isinstance(value, int) else Decimal(value).quantize(_QUANTUM)
