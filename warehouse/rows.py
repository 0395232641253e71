"""Bulk inserts: rows go to DuckDB as Arrow tables, never one statement per row, matched to
the table's columns by name (migrations add columns at the end); and the two values every
writer spells the same way: a quoted SQL literal, and now as the warehouse stores times."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import duckdb
import pyarrow as pa

from xxgk.schemas.catalog import TEMPLATES
from xxgk.schemas.legacy import LEGACY, LEGACY_ROWS
from xxgk.schemas.records import Number

DECIMAL = pa.decimal128(24, 4)
# Money figures are stored as a DECIMAL `amount` in the unit their key names: template
# columns amount_yuan and amount_10k_yuan, the legacy row fees_yuan; every other figure is
# a count, a BIGINT `value`.
MONEY_COLUMNS = frozenset((table.key, column.key) for template in TEMPLATES.values() for table in template.tables
                          for column in table.columns if not column.is_count)
MONEY_LEGACY_ROWS = frozenset(row.key for row in LEGACY_ROWS if row.unit != "count")


def sql_literal(text: str) -> str:
    """`text` as a quoted SQL string literal (for statements that take no parameters:
    ATTACH, SET, COMMENT ON, DDL)."""
    return "'" + text.replace("'", "''") + "'"


def utc_now() -> datetime:
    """Now, as the warehouse stores times: naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


def is_money(table: str, row: str, col: str) -> bool:
    return (table, col) in MONEY_COLUMNS or (table == LEGACY and row in MONEY_LEGACY_ROWS)
_QUANTUM = Decimal("0.0001")
# quality_issues' columns, as insert_issue_rows takes them.
_ISSUE_FIELDS = ("report_key", "document_sha256", "check_name", "severity", "table_name", "row_key", "col_key",
                 "expected", "actual", "message")


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    con.register("incoming_rows", rows)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming_rows")
    finally:
        con.unregister("incoming_rows")


def insert_issue_rows(con: duckdb.DuckDBPyConnection, rows: list[tuple], run_id: str | None = None) -> None:
    """Rows of _ISSUE_FIELDS (expected and actual as numbers or None), written by run `run_id`."""
    if not rows:
        return
    columns = list(zip(*rows, strict=True))
    arrays = {name: pa.array([decimal(v) for v in values], type=DECIMAL) if name in ("expected", "actual")
              else pa.array(values, type=pa.string()) for name, values in zip(_ISSUE_FIELDS, columns, strict=True)}
    arrays["run_id"] = pa.array([run_id] * len(rows), type=pa.string())
    insert(con, "quality_issues", pa.table(arrays))


def decimal(value: Number | None) -> Number | None:
    """A value Arrow's decimal type takes: counts as they are, amounts at the column's scale."""
    return value if value is None or isinstance(value, int) else Decimal(value).quantize(_QUANTUM)
