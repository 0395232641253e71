"""Reading the warehouse: a query's columns and rows, and the findings an operator filters."""

from __future__ import annotations

import duckdb

from xxgk.schemas.errors import XxgkError


class QueryError(XxgkError):
    """The SQL failed; the message is DuckDB's first line."""


def run_query(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple[list[str], list[tuple]]:
    try:
        result = con.execute(sql, params or [])
        columns = [d[0] for d in result.description or []]
        return columns, result.fetchall() if columns else []
    except duckdb.Error as error:
        raise QueryError(f"{type(error).__name__}: {str(error).splitlines()[0]}") from None


def findings(con: duckdb.DuckDBPyConnection, *, severity: str | None = None, jurisdiction: str | None = None,
             year: int | None = None) -> tuple[list[str], list[tuple]]:
    """Findings with their report and document, filtered."""
    filters = [("q.severity = ?", severity), ("r.jurisdiction_code = ?", jurisdiction), ("r.year = ?", year)]
    where = " AND ".join(["TRUE"] + [clause for clause, value in filters if value is not None])
    sql = ("SELECT r.jurisdiction_code, r.organ, r.year, q.severity, q.check_name, q.table_name, q.row_key, q.col_key, "
           "q.expected, q.actual, q.message, d.url AS document FROM quality_issues q "
           "LEFT JOIN reports r USING (report_key) LEFT JOIN documents d ON d.sha256 = q.document_sha256 "
           f"WHERE {where} ORDER BY r.jurisdiction_code, r.organ, r.year, q.severity, q.check_name")
    return run_query(con, sql, [value for _, value in filters if value is not None])
