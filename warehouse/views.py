"""The views analysts query instead of the long `cells` table.

The wide views are generated from the catalog (one column per column key of either
template), so they follow the catalog without a hand-written list; all views are
recreated when a writer opens a warehouse whose views differ from the code's, so they
never lag behind it.
"""

from __future__ import annotations

import duckdb

from xxgk.schemas.catalog import TABLE_KEYS, TEMPLATES
from xxgk.schemas.divisions import PLACEHOLDER_NAMES
from xxgk.schemas.status import Coverage, Status
from xxgk.warehouse.derived import replace_if_changed
from xxgk.warehouse.dictionary import comment_statements, dictionary_statements
from xxgk.warehouse.headlines import HEADLINE_SERIES
from xxgk.warehouse.rows import MONEY_COLUMNS, sql_literal


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """The views, the dictionary and every comment, rewritten together when any differs
    (recreating a view drops its comment)."""
    replace_if_changed(con, "views", [*(_wide(table) for table in TABLE_KEYS),
                                      HEADLINE_SERIES, _REPORT_SUMMARY, _COVERAGE, _COVERAGE_BY_PROVINCE,
                                      _rollup("prefecture"), _rollup("province"),
                                      *dictionary_statements(), *comment_statements()])


def _columns(table: str) -> list[str]:
    """Column keys of the table in either template, in catalog order."""
    keys: list[str] = []
    for template in TEMPLATES.values():
        keys += [c.key for c in template.table(table).columns if c.key not in keys]
    return keys


def _wide(table: str) -> str:
    """Counts as BIGINT columns, money as DECIMAL ones named with their unit (amount_yuan)."""
    pivots = ",\n    ".join(
        f"max(c.{'amount' if (table, key) in MONEY_COLUMNS else 'value'}) FILTER (WHERE c.col_key = '{key}') AS {key}"
        for key in _columns(table))
    return f"""CREATE OR REPLACE VIEW {table}_wide AS
SELECT r.report_key, r.jurisdiction_code, r.organ, r.year, r.template, c.row_key,
    {pivots}
FROM cells c JOIN reports r USING (report_key)
WHERE c.table_name = '{table}'
GROUP BY ALL"""


def _corrected(row: str) -> str:
    return (f"CAST(sum(value) FILTER (WHERE table_name = 'review_litigation' AND row_key LIKE '{row}' "
            f"AND col_key = 'corrected') AS BIGINT)")


# The figures come from headline_series, so legacy and template reports are summed alike;
# only the template states how many reviews and lawsuits corrected the organ.
_REPORT_SUMMARY = f"""CREATE OR REPLACE VIEW report_summary AS
WITH corrections AS (
    SELECT report_key, {_corrected('review')} AS reviews_corrected, {_corrected('litigation_%')} AS lawsuits_corrected
    FROM cells WHERE table_name = 'review_litigation' GROUP BY report_key
), findings AS (
    SELECT report_key, count(*) FILTER (WHERE severity = 'error') AS errors,
        count(*) FILTER (WHERE severity = 'warning') AS warnings
    FROM quality_issues WHERE report_key IS NOT NULL GROUP BY report_key
)
SELECT r.report_key, r.jurisdiction_code, r.jurisdiction_name, r.organ, r.year, r.template, r.status,
    h.requests_received, h.requests_processed,
    round(h.granted_or_partly / nullif(h.requests_processed, 0), 4) AS granted_share,
    round(h.denied / nullif(h.requests_processed, 0), 4) AS denied_share,
    h.reviews, round(c.reviews_corrected / nullif(h.reviews, 0), 4) AS reviews_corrected_share,
    h.lawsuits, round(c.lawsuits_corrected / nullif(h.lawsuits, 0), 4) AS lawsuits_corrected_share,
    coalesce(q.errors, 0) AS errors, coalesce(q.warnings, 0) AS warnings
FROM reports r JOIN headline_series h USING (report_key) LEFT JOIN corrections c USING (report_key)
LEFT JOIN findings q USING (report_key)"""

# Placeholder divisions of the GB/T 2260 data (市辖区, 县, 省直辖县级行政区划 …) publish nothing.
_REAL_DIVISION = f"j.name NOT IN ({', '.join(map(sql_literal, sorted(PLACEHOLDER_NAMES)))})"

# Every real division × every year the warehouse knows of: the best outcome (Coverage).
_COVERAGE = f"""CREATE OR REPLACE VIEW coverage AS
WITH years AS (
    SELECT DISTINCT year FROM reports UNION SELECT DISTINCT year FROM documents WHERE year IS NOT NULL
), found AS (
    SELECT jurisdiction_code, year, count(*) AS reports,
        count(*) FILTER (WHERE status = '{Status.ISSUES}') AS with_errors,
        string_agg(DISTINCT template, ',') AS templates
    FROM reports GROUP BY ALL
), unread AS (
    SELECT jurisdiction_code, year, count(*) AS unreadable FROM documents
    WHERE status IN ('{Status.UNREADABLE}', '{Status.UNKEYED}') AND jurisdiction_code IS NOT NULL GROUP BY ALL
), portals AS (
    SELECT jurisdiction_code, bool_or(error IS NULL) AS column_found FROM portal_crawls GROUP BY ALL
)
SELECT j.code AS jurisdiction_code, j.name AS jurisdiction_name, j.level, j.province_code,
    p.name AS province_name, y.year,
    coalesce(f.reports, 0) AS reports, coalesce(f.with_errors, 0) AS reports_with_errors,
    coalesce(u.unreadable, 0) AS unreadable_documents, f.templates,
    CASE WHEN f.reports > f.with_errors THEN '{Coverage.LOADED}'
         WHEN f.reports > 0 THEN '{Coverage.LOADED_WITH_ERRORS}'
         WHEN u.unreadable > 0 THEN '{Coverage.UNREADABLE}'
         WHEN c.column_found THEN '{Coverage.NO_REPORT_FOUND}'
         WHEN c.column_found IS NOT NULL THEN '{Coverage.COLUMN_NOT_FOUND}'
         ELSE '{Coverage.NO_PORTAL}' END AS status
FROM jurisdictions j CROSS JOIN years y
JOIN jurisdictions p ON p.code = j.province_code
LEFT JOIN found f ON f.jurisdiction_code = j.code AND f.year = y.year
LEFT JOIN unread u ON u.jurisdiction_code = j.code AND u.year = y.year
LEFT JOIN portals c ON c.jurisdiction_code = j.code
WHERE {_REAL_DIVISION}"""

# Coverage counted per province, level and year: how many divisions stand at each outcome.
_COVERAGE_BY_PROVINCE = f"""CREATE OR REPLACE VIEW coverage_by_province AS
SELECT province_code, province_name, level, year, count(*) AS divisions,
    {", ".join(f"count(*) FILTER (WHERE status = '{c}') AS {c}" for c in Coverage)}
FROM coverage GROUP BY ALL"""


def _rollup(level: str) -> str:
    """Reports of a prefecture (or province) and everything below it, summed per year."""
    area = "j.province_code" if level == "province" else \
        "CASE WHEN j.level = 'county' THEN j.parent_code WHEN j.level = 'prefecture' THEN j.code END"
    return f"""CREATE OR REPLACE VIEW summary_by_{level} AS
SELECT a.code AS {level}_code, a.name AS {level}_name, s.year,
    count(*) AS reports, CAST(sum(s.requests_received) AS BIGINT) AS requests_received,
    CAST(sum(s.requests_processed) AS BIGINT) AS requests_processed, CAST(sum(s.reviews) AS BIGINT) AS reviews,
    CAST(sum(s.lawsuits) AS BIGINT) AS lawsuits, CAST(sum(s.errors) AS BIGINT) AS errors,
    count(*) FILTER (WHERE s.status = '{Status.ISSUES}') AS reports_with_errors
FROM report_summary s
JOIN jurisdictions j ON j.code = s.jurisdiction_code
JOIN jurisdictions a ON a.code = {area}
GROUP BY ALL"""
