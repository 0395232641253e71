"""Reading the warehouse: a query's columns and rows, and the findings an operator filters."""

from __future__ import annotations

import duckdb

from xxgk.schemas.errors import XxgkError


class QueryError(XxgkError):
    """The SQL was refused, failed or overran a bound; the message says which and why."""


def run_query(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple[list[str], list[tuple]]:
    """The columns and rows of our own SQL (anyone's goes through warehouse/sandbox.py)."""
    try:
        result = con.execute(sql, params or [])
        columns = [d[0] for d in result.description or []]
        return columns, result.fetchall() if columns else []
    except duckdb.Error as error:
        raise QueryError(str(error).strip()) from None


# Every finding with the identity of what it is about: its report's, or for a document that
# gave no report the one its listing gave it; with the place's name, its province and the
# report's template. `xxgk issues`, the site's findings page and the browsable snapshot
# read it.
FINDINGS = """SELECT q.report_key, coalesce(r.jurisdiction_code, d.jurisdiction_code) AS jurisdiction_code,
    j.name AS jurisdiction_name, j.province_code, p.name AS province_name,
    coalesce(r.organ, d.organ) AS organ, coalesce(r.year, d.year) AS year, r.template, q.severity, q.check_name,
    q.table_name, q.row_key, q.col_key, q.expected, q.actual, q.message, d.url AS document
FROM quality_issues q LEFT JOIN reports r USING (report_key)
LEFT JOIN documents d ON d.sha256 = q.document_sha256
LEFT JOIN jurisdictions j ON j.code = coalesce(r.jurisdiction_code, d.jurisdiction_code)
LEFT JOIN jurisdictions p ON p.code = j.province_code"""


def findings(con: duckdb.DuckDBPyConnection, *, severity: str | None = None, jurisdiction_code: str | None = None,
             year: int | None = None) -> tuple[list[str], list[tuple]]:
    """Findings with their report and document, filtered. A document that gave no report
    is found by the identity its listing gave it."""
    filters = [("severity = ?", severity), ("jurisdiction_code = ?", jurisdiction_code), ("year = ?", year)]
    where = " AND ".join(["TRUE"] + [clause for clause, value in filters if value is not None])
    sql = ("SELECT jurisdiction_code, organ, year, severity, check_name, table_name, row_key, col_key, expected, "
           f"actual, message, document FROM ({FINDINGS}) q "
           f"WHERE {where} ORDER BY jurisdiction_code, organ, year, severity, check_name")
    return run_query(con, sql, [value for _, value in filters if value is not None])
