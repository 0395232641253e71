"""What one run left in the warehouse, as `xxgk demo` shows it: reports per year, what
the run could not load and why, and the errors the checks found."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from xxgk.schemas.status import Status


@dataclass(frozen=True)
class RunOverview:
    per_year: list[tuple[int, int, int, int]]           # year, reports, with errors, legacy reports
    not_loaded: list[tuple[str, str, str]]              # outcome or status, URL, reason
    errors: list[tuple[str, int, str, str, str, str, str]]  # organ, year, check, table, row, column, message


def run_overview(con: duckdb.DuckDBPyConnection, run_id: str) -> RunOverview:
    per_year = con.execute(
        "SELECT year, count(*), count(*) FILTER (WHERE status = ?), count(*) FILTER (WHERE template = 'legacy') "
        "FROM reports GROUP BY year ORDER BY year", [Status.ISSUES.value]).fetchall()
    not_loaded = con.execute(
        "SELECT outcome, url, coalesce(error, '') FROM crawl_log WHERE run_id = ? AND outcome IN ('refused', 'failed') "
        "UNION ALL SELECT status, url, reason FROM documents WHERE status = ? ORDER BY 1, 2",
        [run_id, Status.UNREADABLE.value]).fetchall()
    errors = con.execute(
        "SELECT r.organ, r.year, q.check_name, q.table_name, q.row_key, q.col_key, q.message "
        "FROM quality_issues q JOIN reports r USING (report_key) WHERE q.severity = 'error' "
        "ORDER BY r.jurisdiction_code, r.year, q.check_name, q.row_key, q.col_key").fetchall()
    return RunOverview(per_year, not_loaded, errors)
