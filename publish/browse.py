"""The warehouse in Datasette (`xxgk serve`): metadata from the warehouse's own dictionary,
facets, canned queries, and links between Datasette and the static site.

Datasette serves the read-only SQLite snapshot (snapshot.py). Its metadata is read from
the lake when the server starts: each table's and view's comment, each column's comment
(a column the warehouse leaves undescribed takes the comment of the same column in the
table it comes from), and for the wide views each figure column's Chinese label and unit
from `dictionary_columns`. Any page, table or query is also CSV and JSON (Datasette's
`.csv` and `.json`). When the static site is mounted beside it, a `report_key` in any
table links to that report's page, and the report pages link back here.
"""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path

import duckdb
from datasette import hookimpl
from markupsafe import Markup, escape

from xxgk.publish import paths
from xxgk.publish.snapshot import ADDED, SOURCE_TABLE
from xxgk.schemas.errors import XxgkError
from xxgk.warehouse.dictionary import DescribedObject, described
from xxgk.warehouse.queries import FINDINGS

TITLE = "政府信息公开工作年度报告 · xxgk"
# Columns faceted wherever a table has them, in this order.
FACETS = ("province_name", "jurisdiction_code", "year", "template", "check_name", "severity", "status", "table_name")
# Where a column no comment describes takes its meaning from, in this order.
_ORIGINS = ("quality_issues", "reports", "documents", "jurisdictions", "cells", "report_summary")
_PLUGIN = "xxgk"

# The common questions, in SQLite's SQL over the snapshot (:name is a form field).
QUERIES: dict[str, dict[str, str]] = {
    "national_series": {
        "title": "全国时间序列（2008 年起）",
        "description": "Per year: reports, requests received and answered, shares granted and denied, reviews, "
                       "lawsuits; legacy (2008–2018) and template reports alike (headline_series).",
        "sql": """SELECT year, count(*) AS reports, sum(requests_received) AS requests_received,
  sum(requests_processed) AS requests_processed,
  round(1.0 * sum(granted_or_partly) / nullif(sum(requests_processed), 0), 4) AS granted_share,
  round(1.0 * sum(denied) / nullif(sum(requests_processed), 0), 4) AS denied_share,
  sum(reviews) AS reviews, sum(lawsuits) AS lawsuits
FROM headline_series GROUP BY year ORDER BY year""",
    },
    "jurisdiction_series": {
        "title": "一个地区各机关的时间序列",
        "description": "Every report of a jurisdiction (a GB/T 2260 code such as 330100), year by year.",
        "sql": """SELECT h.year, h.organ, h.template, h.requests_received, h.requests_processed, h.granted_or_partly,
  h.denied, h.reviews, h.lawsuits, s.errors, s.warnings, h.report_key
FROM headline_series h JOIN report_summary s USING (report_key)
WHERE h.jurisdiction_code = :jurisdiction_code ORDER BY h.organ, h.year""",
    },
    "findings_by_check": {
        "title": "各项检查发现的问题数",
        "description": "How many findings each check made, of which severity, in how many reports, per year.",
        "sql": """SELECT check_name, severity, year, count(*) AS findings, count(DISTINCT report_key) AS reports
FROM findings GROUP BY check_name, severity, year ORDER BY year DESC, findings DESC""",
    },
    "reports_with_most_errors": {
        "title": "某年错误最多的年报",
        "description": "The reports of a year with the most errors, with their warnings.",
        "sql": """SELECT report_key, jurisdiction_name, organ, template, errors, warnings FROM report_summary
WHERE year = CAST(:year AS INTEGER) AND errors > 0 ORDER BY errors DESC, warnings DESC LIMIT 100""",
    },
    "province_coverage": {
        "title": "各省覆盖率",
        "description": "Per province and year: divisions, those with a report, and the share.",
        "sql": """SELECT province_code, province_name, year, sum(divisions) AS divisions,
  sum(loaded + loaded_with_errors) AS with_a_report,
  round(1.0 * sum(loaded + loaded_with_errors) / sum(divisions), 4) AS share
FROM coverage_by_province GROUP BY province_code, province_name, year ORDER BY province_code, year""",
    },
    "report_figures": {
        "title": "一份年报的全部数字",
        "description": "Every figure of one report (its report_key) with its Chinese row and column labels and unit.",
        "sql": """SELECT table_name, row_key, row_label, col_key, col_label, unit, value, amount, raw, page
FROM cells WHERE report_key = :report_key ORDER BY table_name, rowid""",
    },
}


def metadata(con: duckdb.DuckDBPyConnection, *, site_mounted: bool) -> dict:
    """Datasette's metadata for the snapshot of the warehouse `con` reads."""
    objects = described(con)
    labels = _column_labels(con)
    origins = {o.name: {c.name: c.comment for c in o.columns if c.comment} for o in objects if o.name in _ORIGINS}
    tables = {o.name: _table(o, labels, origins) for o in objects}
    findings_columns = con.execute(f"DESCRIBE SELECT * FROM ({FINDINGS})").fetchall()
    tables["findings"] = {
        "description": ADDED["findings"],
        "columns": {name: _origin(name, origins) or "" for name, *_ in findings_columns},
        "facets": [f for f in FACETS if f in {name for name, *_ in findings_columns}],
    }
    for name, text in ADDED.items():
        table, _, column = name.partition(".")
        if column:
            tables[table]["columns"][column] = text
    for shown in tables.values():
        shown["columns"] = {name: text for name, text in shown["columns"].items() if text}
    tables[SOURCE_TABLE] = {"hidden": True}
    about = {"about": "静态网站", "about_url": f"/{paths.SITE_MOUNT}/{paths.NATIONAL}"} if site_mounted else {}
    return {
        "title": TITLE,
        "description": "A read-only copy of the warehouse: every table and view, with its columns described. "
                       "Facets filter, any table or query downloads as CSV or JSON, and the SQL box runs SELECTs.",
        **about,
        "databases": {paths.DATASETTE_DATABASE: {"tables": tables, "queries": QUERIES}},
        "plugins": {_PLUGIN: {"site": f"/{paths.SITE_MOUNT}/" if site_mounted else None}},
    }


def _table(o: DescribedObject, labels: dict[tuple[str, str], str], origins: dict[str, dict[str, str]]) -> dict:
    names = [c.name for c in o.columns]
    figures_of = o.name.removesuffix("_wide") if o.name.endswith("_wide") else None
    columns = {}
    for column in o.columns:
        text = column.comment or _origin(column.name, origins) or ""
        label = labels.get((figures_of, column.name)) if figures_of else None
        columns[column.name] = f"{label}. {text}".strip(". ") if label else text
    return {"description": o.comment or "", "columns": columns, "facets": [f for f in FACETS if f in names]}


def _origin(column: str, origins: dict[str, dict[str, str]]) -> str | None:
    return next((origins[t][column] for t in _ORIGINS if column in origins.get(t, {})), None)


def _column_labels(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    """(table, column key) → its Chinese label(s) across templates and its unit: 自然人 (count)."""
    rows = con.execute("SELECT table_name, col_key, string_agg(DISTINCT label, ' / ' ORDER BY label), "
                       "string_agg(DISTINCT unit, ' / ') FROM dictionary_columns GROUP BY ALL").fetchall()
    return {(table, key): f"{label} ({unit})" if unit else label for table, key, label, unit in rows}


# ── the Datasette plugin: report keys link to the site's pages ──────────────────────


@hookimpl
def render_cell(value: object, column: str, datasette) -> Markup | None:
    """A `report_key` shows as a link to its page on the mounted site."""
    site = (datasette.plugin_config(_PLUGIN) or {}).get("site")
    if not site or column != "report_key" or not isinstance(value, str):
        return None
    page = paths.report_page_of_key(value)
    return Markup(f'<a href="{escape(site + page)}">{escape(value)}</a>') if page else None


class CannotListen(XxgkError):
    """The address cannot be listened on (in use, not this machine's, not allowed)."""


def check_address(host: str, port: int) -> None:
    """Refuse an address the server could not listen on, before any work is done."""
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as error:
        raise CannotListen(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


def serve(snapshot: Path, meta: dict, *, host: str, port: int, site: Path | None = None) -> None:
    """Serve the snapshot (read-only) until interrupted."""
    import uvicorn
    from datasette.app import Datasette
    from datasette.plugins import pm

    if not pm.is_registered(sys.modules[__name__]):
        pm.register(sys.modules[__name__], name=_PLUGIN)
    mounts = [(paths.SITE_MOUNT, str(site))] if site is not None else []
    ds = Datasette(immutables=[str(snapshot)], metadata=meta, static_mounts=mounts,
                   settings={"sql_time_limit_ms": 5000, "facet_time_limit_ms": 1000, "max_returned_rows": 5000})
    asyncio.run(ds.invoke_startup())
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning")
