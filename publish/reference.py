"""The site's two reference pages: the data dictionary and the national list of findings.

The dictionary shows every table and view of the warehouse with every column, its type
and its description, read from the warehouse's own comments (COMMENT ON …), so a comment
added there shows here on the next build; then every row and column key of the report
tables with its Chinese label and unit (the dictionary tables). The findings page lists
every finding of every report, filtered in the browser by check, province, year and
severity; the rows travel as a script beside the page (assets/findings.js), so the page
stays small and works from a file:// folder, with no script from elsewhere.
"""

from __future__ import annotations

import json
from collections import defaultdict

import duckdb

from xxgk.publish import legacy, paths
from xxgk.publish.pages import render
from xxgk.publish.queries import Finding
from xxgk.publish.tables import figure_text, location
from xxgk.schemas.catalog import TEMPLATE_2021, TEMPLATES, template_for_year
from xxgk.warehouse.dictionary import described
from xxgk.warehouse.queries import FINDINGS

# What the findings page's rows hold, in order (assets/findings.js).
FINDING_FIELDS = ("province", "jurisdiction", "organ", "year", "severity", "check", "where", "expected", "actual",
                  "message", "page")
_KINDS = {"table": "表", "view": "视图"}
# Every row and column key with its labels and the templates having it, from the dictionary tables.
_KEYS = """SELECT * FROM (
    SELECT 'row' AS kind, table_name, row_key AS key, label, group_label, unit,
        string_agg(template, ',' ORDER BY template) AS templates FROM dictionary_rows GROUP BY ALL
    UNION ALL
    SELECT 'column', table_name, col_key, label, NULL, unit, string_agg(template, ',' ORDER BY template)
    FROM dictionary_columns GROUP BY ALL)
ORDER BY table_name, kind DESC, key, templates"""


def dictionary_page(con: duckdb.DuckDBPyConnection, built_at: str, browse_url: str | None) -> str:
    objects = described(con)
    keys: dict[str, list[tuple]] = defaultdict(list)
    for kind, table, key, label, group, unit, templates in con.execute(_KEYS).fetchall():
        keys[table].append((kind, key, label, group, unit, templates))
    links = {o.name: paths.browse_link(browse_url, o.name) for o in objects} if browse_url is not None else {}
    return render("dictionary.html.j2", root="", built_at=built_at, objects=objects, kinds=_KINDS,
                  keys=sorted(keys.items()), links=links)


def findings_page(con: duckdb.DuckDBPyConnection, built_at: str, browse_url: str | None) -> str:
    """The page with its filters' choices; the rows come from findings_data's script."""
    checks, provinces, years, severities = (
        [value for (value,) in con.execute(
            f"SELECT DISTINCT {column} FROM ({FINDINGS}) WHERE {column} IS NOT NULL ORDER BY 1").fetchall()]
        for column in ("check_name", "province_name", "year", "severity"))
    browse = paths.browse_link(browse_url, "findings") if browse_url is not None else None
    return render("findings.html.j2", root="", built_at=built_at, checks=checks, provinces=provinces, years=years,
                  severities=severities, fields=FINDING_FIELDS, data=paths.FINDINGS_DATA, browse=browse)


def findings_data(con: duckdb.DuckDBPyConnection) -> str:
    """Every finding as a row of FINDING_FIELDS, as a script that sets window.XXGK_FINDINGS."""
    rows = []
    for (key, code, name, province, organ, year, template, severity, check, table, row, col, expected, actual,
         message) in con.execute(
            "SELECT report_key, jurisdiction_code, jurisdiction_name, province_name, organ, year, template, severity, "
            f"check_name, table_name, row_key, col_key, expected, actual, message FROM ({FINDINGS}) "
            "ORDER BY year DESC NULLS LAST, province_code, jurisdiction_code, organ, severity, check_name").fetchall():
        finding = Finding(check, severity, table, row, col, expected, actual, message)
        page = paths.report_page_of_key(key) if key else None
        rows.append([province, name or code, organ, year, severity, check, _where(finding, template, year),
                     figure_text(expected), figure_text(actual), message, page])
    return "window.XXGK_FINDINGS = " + json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + ";\n"


def _where(finding: Finding, template: str | None, year: int | None) -> str:
    if template == "legacy":
        return legacy.location(finding)
    return location(TEMPLATES.get(template or "") or template_for_year(year) or TEMPLATE_2021, finding)
