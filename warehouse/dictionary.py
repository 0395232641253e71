"""The warehouse explains itself: the canonical keys with their Chinese labels, as tables
generated from the template catalog, and a comment on every table, view and column.

`dictionary_rows` and `dictionary_columns` hold one row per key per template, so a query
can label any figure (`JOIN dictionary_rows USING (table_name, row_key)`); `dictionary`
is what `xxgk dictionary` prints. docs/format.md describes the same keys in prose.

DuckLake keeps the comments of tables, of their columns and of views, but not of a view's
columns; `column_comments` holds the comment of every column of every table and view, so
one query describes them all.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from xxgk.schemas.catalog import TEMPLATES
from xxgk.schemas.findings import CHECKS
from xxgk.schemas.legacy import LEGACY, LEGACY_COLUMNS, LEGACY_ROWS
from xxgk.schemas.status import Coverage, Status
from xxgk.warehouse.rows import sql_literal

_STATUS = " | ".join(Status)

# table → (what a row is, {column: meaning}); views → what a row is.
TABLE_COMMENTS: dict[str, tuple[str, dict[str, str]]] = {
    "jurisdictions": ("One administrative division (GB/T 2260), from the cpca package's data.", {
        "code": "6-digit GB/T 2260 code", "name": "the division's name", "level": "province | prefecture | county",
        "parent_code": "the division above it", "province_code": "its province"}),
    "documents": ("One document read (by SHA-256), with what became of it.", {
        "sha256": "SHA-256 of the document's bytes",
        "url": "where it was fetched, or the local path it was loaded from",
        "kind": "html | pdf | docx | doc | text (null when unreadable)", "size": "bytes",
        "fetched_at": "when it was fetched",
        "stored_at": "where the raw store keeps its bytes", "status": f"{_STATUS} (schemas/status.py)",
        "reason": "why the document gave no report", "jurisdiction_code": "its jurisdiction, as read or as listed",
        "organ": "its publishing organ, as read or as listed", "year": "its reporting year, as read or as listed",
        "run_id": "the run that loaded it (runs.run_id)"}),
    "reports": ("One annual report, keyed by jurisdiction, organ and year (report_key spells the key).", {
        "report_key": "jurisdiction_code/year/organ", "jurisdiction_code": "6-digit GB/T 2260 code",
        "organ": "the publishing organ", "year": "the reporting year (统计期限), not the publishing year",
        "title": "the title as published",
        "template": "2019 | 2021 (the national template it follows) | legacy (a report before 2019: legacy_summary)",
        "jurisdiction_name": "the jurisdiction as the report names it",
        "document_sha256": "the document it was read from",
        "extracted_at": "when it was extracted", "status": "ok | issues (errors found; figures kept as published)",
        "run_id": "the run that loaded it"}),
    "cells": ("One figure of a report's tables: the long form of every table (see the *_wide views).", {
        "report_key": "the report",
        "table_name": "active_disclosure | applications | review_litigation | legacy_summary",
        "row_key": "row key (dictionary_rows)", "col_key": "column key (dictionary_columns)",
        "value": "the figure when it counts (null when blank or not found; never 0 for blank)",
        "amount": "the figure when it is money, in the unit its key names (amount_yuan: 元, amount_10k_yuan: 万元, "
                  "legacy fees_yuan: 元)",
        "is_blank": "published blank", "raw": "the published text; null when the row was not found",
        "page": "PDF page", "position": "where in the document (table/row, or line)"}),
    "quality_issues": ("One finding of a check about a report or a document.", {
        "report_key": "the report (null for a document that gave no report)", "document_sha256": "the document",
        "check_name": "the check (docs/reading.md: what the checks mean)", "severity": "error | warning",
        "table_name": "the table of the cell", "row_key": "the row of the cell", "col_key": "the column of the cell",
        "expected": "what the identity computes", "actual": "the published figure", "message": "the finding in words",
        "run_id": "the run that found it"}),
    "crawl_log": ("One URL a crawl asked for, and what came of it.", {
        "url": "the URL", "outcome": "fetched | unchanged | refused | failed | absent (no robots.txt)",
        "http_status": "the HTTP status",
        "error": "why it failed or was refused; for a robots.txt, what of it was not taken",
        "run_id": "the crawl's run", "logged_at": "when"}),
    "discovery_log": ("One link discovery met on a portal's listing pages, and why it was taken or not.", {
        "run_id": "the run", "portal": "the registry's name for the portal",
        "listed_on": "the listing page or list-API request (URL POST form)", "url": "the link",
        "reason": "taken, year not asked, not a report title, page limit, a declared total not reached",
        "title": "the link's title", "year": "the year its title names",
        "jurisdiction": "whose report discovery took it for (report titles only)", "logged_at": "when"}),
    "fetch_state": ("What each URL's last successful fetch left, for the next crawl's conditional request.", {
        "url": "the URL", "etag": "its ETag", "last_modified": "its Last-Modified", "sha256": "its content's hash",
        "moved_to": "target of a permanent redirect", "updated_at": "when"}),
    "runs": ("One run that wrote to the warehouse (connect(at=run_id) reads the warehouse as it left it).", {
        "run_id": "the run", "command": "crawl (xxgk crawl) | load (xxgk load) | the flow: nightly, backfill, demo",
        "started_at": "when it began (UTC)", "ended_at": "when it ended (UTC)", "portals": "portals crawled",
        "portals_failed": "portals that failed", "found": "reports the crawl found", "extracted": "documents extracted",
        "loaded": "reports loaded (ok or issues)", "with_errors": "reports loaded with errors (issues)",
        "unreadable": "documents unreadable", "unkeyed": "documents without a report key",
        "failures": "portals, URLs and documents that failed"}),
    "portal_crawls": ("One crawl of one portal: what it found, or why it could not be crawled.", {
        "run_id": "the run", "portal": "the registry's name for it", "jurisdiction_code": "its jurisdiction",
        "organ": "its organ", "reports_found": "reports listed in its annual-report column",
        "error": "why it could not be crawled (null: crawled)", "crawled_at": "when"}),
    "schema_version": ("The migrations applied to this warehouse.", {
        "version": "migration number", "name": "migration name", "applied_at": "when"}),
    "writer_turn": ("One row every write transaction updates, so concurrent writes conflict and retry (turn.py).", {
        "turn": "writes so far"}),
    "lake_identity": ("The lake's identity, made with it (also in data/xxgk-lake beside its data files).", {
        "lake_id": "a UUID", "created_at": "when the identity was made"}),
    "derived_objects": ("Fingerprints of what the code derives (views, dictionary), to rewrite them only on change.", {
        "name": "what", "fingerprint": "SHA-256 of its statements"}),
    "dictionary_rows": ("One row key of a table in a template, with its Chinese label.", {
        "template": "2019 | 2021 | legacy", "table_name": "the table", "row_key": "the key",
        "label": "the published label",
        "group_key": "the group of rows it belongs to", "group_label": "the group's published label",
        "columns": "its column keys, comma-separated",
        "unit": "the row's unit where the row sets it (legacy: count | yuan); else the column's"}),
    "dictionary_columns": ("One column key of a table in a template, with its Chinese label and unit.", {
        "template": "2019 | 2021 | legacy", "table_name": "the table", "col_key": "the key",
        "label": "the published label", "unit": "count | yuan | 10k_yuan (null: the row's unit)"}),
    "dictionary_checks": ("One check that reports findings (quality_issues.check_name), from schemas/findings.py.", {
        "check_name": "the check", "severities": "the severities its findings carry, comma-separated",
        "scope": "what it looks at: a table, the metadata, the document", "meaning": "what a finding of it means",
        "unreadable": "its finding means nothing could be read from the document"}),
    "column_comments": ("The comment of every column of every table and view (DuckLake keeps no comment on a "
                        "view's column).", {
        "table_name": "the table or view", "column_name": "the column", "comment": "what it holds"}),
}

# What the views' columns of the same name hold wherever they occur.
_REPORT_COLUMNS = {
    "report_key": "the report (reports.report_key: jurisdiction_code/year/organ)",
    "jurisdiction_code": "6-digit GB/T 2260 code of the report's jurisdiction",
    "jurisdiction_name": "the jurisdiction as the report names it",
    "organ": "the publishing organ", "year": "the reporting year (统计期限)",
    "template": "2019 | 2021 | legacy (the template the report follows)",
    "status": "ok | issues (errors found; figures kept as published)",
}
_SUMMED = {
    "year": "the reporting year", "reports": "reports loaded",
    "requests_received": "requests received, summed over its reports (report_summary)",
    "requests_processed": "requests processed, summed over its reports",
    "reviews": "administrative reviews, summed over its reports", "lawsuits": "lawsuits, summed over its reports",
    "errors": "findings of severity error in its reports", "reports_with_errors": "reports with such findings (issues)",
}
_UNITS = {"count": "a count", "yuan": "元", "10k_yuan": "万元"}


def _wide_columns(table: str) -> dict[str, str]:
    """A wide view's columns: the report's identity, the row key, then one column per
    column key of either template, described by its published label and unit."""
    described = {key: _REPORT_COLUMNS[key] for key in ("report_key", "jurisdiction_code", "organ", "year", "template")}
    described["row_key"] = "the row of the table (dictionary_rows)"
    labels: dict[str, tuple[list[str], str]] = {}
    for template in TEMPLATES.values():
        for column in template.table(table).columns:
            names, _ = labels.setdefault(column.key, ([], column.unit))
            if column.label not in names:
                names.append(column.label)
    for key, (names, unit) in labels.items():
        label = " / ".join(" ".join(name.split()) for name in names)
        described[key] = f"{label} ({_UNITS[unit]})"
    return described


def _summary_columns(level: str) -> dict[str, str]:
    return {f"{level}_code": f"6-digit GB/T 2260 code of the {level}", f"{level}_name": f"the {level}'s name",
            **_SUMMED}


# view → (what a row is, {column: meaning}).
VIEW_COMMENTS: dict[str, tuple[str, dict[str, str]]] = {
    **{f"{table.key}_wide": (f"{table.number}、{table.heading} ({table.key}): one row per report and row key, one "
                             "column per column key (dictionary_columns).", _wide_columns(table.key))
       for table in TEMPLATES["2021"].tables},
    "report_summary": ("One row per report, legacy and template alike (from headline_series): requests, shares "
                       "granted and denied, reviews, lawsuits, findings.", {
        **_REPORT_COLUMNS,
        "requests_received": "requests received this year (table 3, new_received, total; legacy: applications_total)",
        "requests_processed": "requests processed (table 3, total_processed, total; legacy: replies_total)",
        "granted_share": "granted in full or in part ÷ processed, to 4 places (null when none was processed)",
        "denied_share": "denied (the denied_* rows) ÷ processed, to 4 places",
        "reviews": "administrative reviews (table 4, review, total)",
        "reviews_corrected_share": "reviews whose decision was corrected ÷ reviews, to 4 places",
        "lawsuits": "lawsuits, brought directly and after review (table 4, total)",
        "lawsuits_corrected_share": "lawsuits whose decision was corrected ÷ lawsuits, to 4 places",
        "errors": "findings of severity error (quality_issues)", "warnings": "findings of severity warning"}),
    "coverage": ("Every real division × year the warehouse knows of, with its outcome: " + " | ".join(Coverage)
                 + " (schemas/status.py); placeholder divisions (市辖区 …) left out.", {
        "jurisdiction_code": "6-digit GB/T 2260 code", "jurisdiction_name": "the division's name",
        "level": "province | prefecture | county", "province_code": "its province",
        "province_name": "its province's name", "year": "the reporting year",
        "reports": "reports loaded", "reports_with_errors": "of them, reports with findings of severity error",
        "unreadable_documents": "documents of it and that year that gave no report (unreadable or unkeyed)",
        "templates": "the templates of its reports, comma-separated",
        "status": "the best outcome: " + " | ".join(Coverage)}),
    "coverage_by_province": ("Divisions per province, level and year at each coverage outcome.", {
        "province_code": "6-digit GB/T 2260 code of the province", "province_name": "the province's name",
        "level": "province | prefecture | county", "year": "the reporting year",
        "divisions": "real divisions of that level in the province",
        **{outcome: f"of them, divisions whose coverage status is {outcome}" for outcome in Coverage}}),
    "summary_by_prefecture": ("Reports of a prefecture and its counties, summed per year.",
                              _summary_columns("prefecture")),
    "summary_by_province": ("Reports of a province and everything below it, summed per year.",
                            _summary_columns("province")),
    "headline_series": ("One row a report, legacy (2008–2018) and template alike: requests received, answered, "
                        "granted in full or in part, denied, carried forward, reviews, lawsuits.", {
        **{key: _REPORT_COLUMNS[key] for key in ("report_key", "jurisdiction_code", "organ", "year", "template")},
        "requests_received": "requests received this year (legacy: applications_total; template: new_received)",
        "requests_processed": "requests answered (legacy: replies_total; template: total_processed)",
        "denied": "requests denied (legacy: replies_denied; template: the denied_* rows)",
        "carried_forward": "requests carried into next year (legacy: null, the legacy table has none; template: "
                           "carried_forward)",
        "granted_or_partly": "requests granted in full or in part (legacy: replies_granted + "
                             "replies_partially_granted; template: granted + partially_granted)",
        "reviews": "administrative reviews (legacy: reviews; template: table 4's review total)",
        "lawsuits": "lawsuits (legacy: lawsuits; template: table 4's litigation totals)"}),
    "dictionary": ("Every row and column key of every template, with label, group, unit and templates.", {
        "kind": "row | column", "table_name": "the table",
        "row_key": "the row key (a row; null for a column)", "col_key": "the column key (a column; null for a row)",
        "label": "the published label", "group": "the group's published label (rows in a group)",
        "unit": "count | yuan | 10k_yuan (a row's, where the row sets it; else the column's)",
        "templates": "the templates having the key, comma-separated"}),
}

# The legacy table's two figure columns, as its headers print them (FORMAT.md).
_LEGACY_COLUMN_LABELS = {"year_value": "本年度", "cumulative": "历年累计"}

_DICTIONARY_VIEW = """CREATE OR REPLACE VIEW dictionary AS
SELECT * FROM (
    SELECT 'row' AS kind, table_name, row_key, NULL AS col_key, label, group_label AS "group", unit,
        string_agg(template, ',' ORDER BY template) AS templates
    FROM dictionary_rows GROUP BY ALL
    UNION ALL
    SELECT 'column', table_name, NULL, col_key, label, NULL, unit, string_agg(template, ',' ORDER BY template)
    FROM dictionary_columns GROUP BY ALL)
ORDER BY table_name, kind DESC, coalesce(row_key, col_key), templates"""


def dictionary_statements() -> list[str]:
    """The dictionary tables filled from the catalog (the 2019 and 2021 templates, and the
    legacy statistics table, whose rows carry their own unit), and the view that merges
    templates."""
    rows: list[tuple[str | None, ...]] = []
    columns: list[tuple[str | None, ...]] = []
    for template in TEMPLATES.values():
        for table in template.tables:
            groups: dict[str | None, str] = {g.key: g.label for g in table.groups}
            rows += [(template.name, table.key, r.key, r.label, r.group, groups.get(r.group), ",".join(r.columns), None)
                     for r in table.rows]
            columns += [(template.name, table.key, c.key, c.label, c.unit) for c in table.columns]
    rows += [("legacy", LEGACY, r.key, r.label, None, None, ",".join(LEGACY_COLUMNS), r.unit) for r in LEGACY_ROWS]
    columns += [("legacy", LEGACY, key, label, None) for key, label in _LEGACY_COLUMN_LABELS.items()]
    return ["DROP TABLE IF EXISTS dictionary_rows", "DROP TABLE IF EXISTS dictionary_columns",
            "CREATE TABLE dictionary_rows (template VARCHAR, table_name VARCHAR, row_key VARCHAR, label VARCHAR, "
            "group_key VARCHAR, group_label VARCHAR, columns VARCHAR, unit VARCHAR)",
            "CREATE TABLE dictionary_columns (template VARCHAR, table_name VARCHAR, col_key VARCHAR, label VARCHAR, "
            "unit VARCHAR)",
            f"INSERT INTO dictionary_rows VALUES {_values(rows)}",
            f"INSERT INTO dictionary_columns VALUES {_values(columns)}",
            _DICTIONARY_VIEW, *_checks_statements()]


def _checks_statements() -> list[str]:
    """`dictionary_checks`: the registry of checks, so a finding can be joined to its meaning."""
    rows = [(c.name, ",".join(c.severities), c.scope, c.meaning, str(c.unreadable).lower()) for c in CHECKS]
    return ["DROP TABLE IF EXISTS dictionary_checks",
            "CREATE TABLE dictionary_checks (check_name VARCHAR, severities VARCHAR, scope VARCHAR, meaning VARCHAR, "
            "unreadable BOOLEAN)",
            f"INSERT INTO dictionary_checks VALUES {_values(rows)}"]


def comment_statements() -> list[str]:
    """The comments DuckLake keeps (tables, their columns, views), and `column_comments`
    with every column's, views' included."""
    statements = ["DROP TABLE IF EXISTS column_comments",
                  "CREATE TABLE column_comments (table_name VARCHAR, column_name VARCHAR, comment VARCHAR)",
                  "INSERT INTO column_comments VALUES " + _values(
                      [(name, column, text) for name, (_, columns) in {**TABLE_COMMENTS, **VIEW_COMMENTS}.items()
                       for column, text in columns.items()])]
    for table, (about, columns) in TABLE_COMMENTS.items():
        statements.append(f"COMMENT ON TABLE {table} IS {sql_literal(about)}")
        statements += [f"COMMENT ON COLUMN {table}.{column} IS {sql_literal(text)}" for column, text in columns.items()]
    statements += [f"COMMENT ON VIEW {view} IS {sql_literal(about)}" for view, (about, _) in VIEW_COMMENTS.items()]
    return statements


def dictionary(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[tuple]]:
    """What `xxgk dictionary` prints: (column names, rows) of every key's meaning."""
    result = con.execute("SELECT * FROM dictionary")
    return [d[0] for d in result.description], result.fetchall()


def _values(rows: list[tuple]) -> str:
    return ", ".join("(" + ", ".join("NULL" if v is None else sql_literal(str(v)) for v in row) + ")" for row in rows)



@dataclass(frozen=True)
class DescribedColumn:
    name: str
    type: str  # DuckDB's type: BIGINT, DECIMAL(24,4), VARCHAR …
    comment: str | None


@dataclass(frozen=True)
class DescribedObject:
    """A table or view of the warehouse as its own catalog describes it."""

    name: str
    kind: str  # table | view
    comment: str | None
    columns: tuple[DescribedColumn, ...]


def described(con: duckdb.DuckDBPyConnection) -> list[DescribedObject]:
    """Every table and view of the warehouse `con` uses, with its columns and the comments
    the warehouse holds, by name: what a data-dictionary page shows, read from the warehouse
    so that a comment added there shows everywhere. A column's comment is DuckDB's
    (COMMENT ON COLUMN), else the one a `column_comments` table gives it, where the
    warehouse keeps the comments of view columns (DuckLake stores none)."""
    [(database,)] = con.execute("SELECT current_database()").fetchall()
    objects = con.execute(
        "SELECT table_name, 'table', comment FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' "
        "UNION ALL SELECT view_name, 'view', comment FROM duckdb_views() WHERE database_name = ? "
        "AND schema_name = 'main' AND NOT internal ORDER BY 1", [database, database]).fetchall()
    kept = {}
    if "column_comments" in {name for name, _, _ in objects}:
        kept = {(table, column): text for table, column, text in
                con.execute("SELECT table_name, column_name, comment FROM column_comments").fetchall()}
    columns: dict[str, list[DescribedColumn]] = {}
    for table, column, kind, comment in con.execute(
            "SELECT table_name, column_name, data_type, comment FROM duckdb_columns() "
            "WHERE database_name = ? AND schema_name = 'main' ORDER BY table_name, column_index",
            [database]).fetchall():
        columns.setdefault(table, []).append(DescribedColumn(column, kind, comment or kept.get((table, column))))
    return [DescribedObject(name, kind, comment, tuple(columns.get(name, ()))) for name, kind, comment in objects]
