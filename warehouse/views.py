"""The views analysts query instead of the long `cells` table.

The wide views are generated from the catalog (one column per column key of either
template), so they follow the catalog without a hand-written list; all views are
recreated whenever a writer opens the warehouse, so they never lag behind the code.
"""

from __future__ import annotations

import duckdb

from xxgk.schemas.catalog import TABLE_KEYS, TEMPLATES
from xxgk.warehouse.headlines import HEADLINE_SERIES


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    for table in TABLE_KEYS:
        con.execute(_wide(table))
    for sql in (_REPORT_SUMMARY, _COVERAGE, _rollup("prefecture"), _rollup("province"), HEADLINE_SERIES):
        con.execute(sql)


def _columns(table: str) -> list[str]:
    """Column keys of the table in either template, in catalog order."""
    keys: list[str] = []
    for template in TEMPLATES.values():
        keys += [c.key for c in template.table(table).columns if c.key not in keys]
    return keys


def _wide(table: str) -> str:
    pivots = ",\n    ".join(f"max(c.value) FILTER (WHERE c.col_key = '{key}') AS {key}" for key in _columns(table))
    return f"""CREATE OR REPLACE VIEW {table}_wide AS
SELECT r.report_key, r.jurisdiction_code, r.organ, r.year, r.template, c.row_key,
    {pivots}
FROM cells c JOIN reports r USING (report_key)
WHERE c.table_name = '{table}'
GROUP BY ALL"""


def _total(row: str) -> str:
    return f"max(value) FILTER (WHERE table_name = 'applications' AND row_key = '{row}' AND col_key = 'total')"


_REPORT_SUMMARY = f"""CREATE OR REPLACE VIEW report_summary AS
WITH figures AS (
    SELECT report_key,
        {_total('new_received')} AS requests_received,
        {_total('total_processed')} AS requests_processed,
        coalesce({_total('granted')}, 0) + coalesce({_total('partially_granted')}, 0) AS granted_or_partly,
        sum(value) FILTER (WHERE table_name = 'applications' AND row_key LIKE 'denied_%' AND col_key = 'total') AS denied,
        max(value) FILTER (WHERE table_name = 'review_litigation' AND row_key = 'review' AND col_key = 'total') AS reviews,
        max(value) FILTER (WHERE table_name = 'review_litigation' AND row_key = 'review' AND col_key = 'corrected')
            AS reviews_corrected,
        sum(value) FILTER (WHERE table_name = 'review_litigation' AND row_key LIKE 'litigation_%' AND col_key = 'total')
            AS lawsuits,
        sum(value) FILTER (WHERE table_name = 'review_litigation' AND row_key LIKE 'litigation_%' AND col_key = 'corrected')
            AS lawsuits_corrected
    FROM cells GROUP BY report_key
), findings AS (
    SELECT report_key, count(*) FILTER (WHERE severity = 'error') AS errors,
        count(*) FILTER (WHERE severity = 'warning') AS warnings
    FROM quality_issues WHERE report_key IS NOT NULL GROUP BY report_key
)
SELECT r.report_key, r.jurisdiction_code, r.jurisdiction_name, r.organ, r.year, r.template, r.status,
    f.requests_received, f.requests_processed,
    round(f.granted_or_partly / nullif(f.requests_processed, 0), 4) AS granted_share,
    round(f.denied / nullif(f.requests_processed, 0), 4) AS denied_share,
    f.reviews, round(f.reviews_corrected / nullif(f.reviews, 0), 4) AS reviews_corrected_share,
    f.lawsuits, round(f.lawsuits_corrected / nullif(f.lawsuits, 0), 4) AS lawsuits_corrected_share,
    coalesce(q.errors, 0) AS errors, coalesce(q.warnings, 0) AS warnings
FROM reports r LEFT JOIN figures f USING (report_key) LEFT JOIN findings q USING (report_key)"""

# Every jurisdiction × every year the warehouse holds reports for: is there a report?
_COVERAGE = """CREATE OR REPLACE VIEW coverage AS
WITH years AS (SELECT DISTINCT year FROM reports)
SELECT j.code AS jurisdiction_code, j.name AS jurisdiction_name, j.level, y.year,
    count(r.report_key) AS reports,
    string_agg(DISTINCT r.template, ',') AS templates,
    CASE WHEN count(r.report_key) = 0 THEN 'missing'
         WHEN bool_or(r.status = 'issues') THEN 'issues' ELSE 'ok' END AS status
FROM jurisdictions j CROSS JOIN years y
LEFT JOIN reports r ON r.jurisdiction_code = j.code AND r.year = y.year
GROUP BY ALL"""


def _rollup(level: str) -> str:
    """Reports of a prefecture (or province) and everything below it, summed per year."""
    area = "j.province_code" if level == "province" else \
        "CASE WHEN j.level = 'county' THEN j.parent_code WHEN j.level = 'prefecture' THEN j.code END"
    return f"""CREATE OR REPLACE VIEW summary_by_{level} AS
SELECT a.code AS {level}_code, a.name AS {level}_name, s.year,
    count(*) AS reports, sum(s.requests_received) AS requests_received,
    sum(s.requests_processed) AS requests_processed, sum(s.reviews) AS reviews, sum(s.lawsuits) AS lawsuits,
    sum(s.errors) AS errors, count(*) FILTER (WHERE s.status = 'issues') AS reports_with_errors
FROM report_summary s
JOIN jurisdictions j ON j.code = s.jurisdiction_code
JOIN jurisdictions a ON a.code = {area}
GROUP BY ALL"""
