"""What the site reads from the warehouse, as plain records, through its public tables only.

The time series' figures come from `headline_series`, the one definition of the figures
that mean the same in legacy (2008–2018) and template reports; a report's cells and
findings come from `cells` and `quality_issues` directly. Every count is read as a number
and summed in Python, so the site holds while count types change (DECIMAL or BIGINT).
Report details are read in chunks, so a build's memory stays bounded whatever the size
of the warehouse.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import duckdb
import pyarrow as pa

from xxgk.schemas.divisions import Division

Number = int | Decimal
CellKey = tuple[str, str, str]


@dataclass(frozen=True)
class Report:
    """A report as the site lists it: not a row of the warehouse's `reports` table but a
    projection over four tables, what one line of a listing and the head of a report
    page show: the report's identity and template, its jurisdiction's current name (from
    `jurisdictions`, else the one loaded), its document's URL and kind (`documents`), and
    the counts of its error and warning findings (`quality_issues`). The warehouse has
    no row type for a report (its loader writes Extractions), so this is the one."""

    key: str
    jurisdiction_code: str
    jurisdiction_name: str
    organ: str
    year: int
    title: str | None
    template: str | None
    document_sha256: str
    extracted_at: datetime
    url: str | None
    kind: str | None
    errors: int
    warnings: int


@dataclass(frozen=True)
class Figures:
    """The figures of a report the time series show (None: not published); a legacy
    report's `processed` are its replies (对申请的答复总数), and it states no `carried_forward`."""

    received: float | None = None
    processed: float | None = None
    granted: float | None = None
    denied: float | None = None
    carried_forward: float | None = None
    reviews: float | None = None
    lawsuits: float | None = None


@dataclass(frozen=True)
class PublishedCell:
    value: Number | None
    raw: str | None
    page: int | None
    position: str | None = None  # a table's cell, or "paragraph N" for a sentence of the prose


@dataclass(frozen=True)
class Finding:
    check: str
    severity: str
    table: str | None
    row: str | None
    col: str | None
    expected: Number | None
    actual: Number | None
    message: str


@dataclass
class ReportDetail:
    cells: dict[CellKey, PublishedCell]
    findings: list[Finding]


def jurisdictions(con: duckdb.DuckDBPyConnection) -> dict[str, Division]:
    """The divisions of the warehouse's `jurisdictions` table (those of the GB/T 2260 data
    it was last filled from), by code."""
    rows = con.execute("SELECT code, name, level, parent_code, province_code FROM jurisdictions "
                       "ORDER BY code").fetchall()
    return {row[0]: Division(*row) for row in rows}


_REPORTS = """WITH findings AS (
    SELECT report_key, count(*) FILTER (WHERE severity = 'error') AS errors,
        count(*) FILTER (WHERE severity = 'warning') AS warnings
    FROM quality_issues WHERE report_key IS NOT NULL GROUP BY report_key
)
SELECT r.report_key, r.jurisdiction_code, coalesce(j.name, r.jurisdiction_name, r.jurisdiction_code), r.organ,
    r.year, r.title, r.template, r.document_sha256, r.extracted_at, d.url, d.kind,
    coalesce(f.errors, 0), coalesce(f.warnings, 0)
FROM reports r
LEFT JOIN documents d ON d.sha256 = r.document_sha256
LEFT JOIN jurisdictions j ON j.code = r.jurisdiction_code
LEFT JOIN findings f ON f.report_key = r.report_key
ORDER BY r.jurisdiction_code, r.organ, r.year"""


def reports(con: duckdb.DuckDBPyConnection) -> list[Report]:
    return [Report(*row[:11], *map(int, row[11:13])) for row in con.execute(_REPORTS).fetchall()]


_FIGURES = """SELECT report_key, CAST(requests_received AS DOUBLE), CAST(requests_processed AS DOUBLE),
    CAST(granted_or_partly AS DOUBLE), CAST(denied AS DOUBLE), CAST(carried_forward AS DOUBLE), CAST(reviews AS DOUBLE),
    CAST(lawsuits AS DOUBLE)
FROM headline_series"""


def figures(con: duckdb.DuckDBPyConnection) -> dict[str, Figures]:
    return {row[0]: Figures(*row[1:]) for row in con.execute(_FIGURES).fetchall()}


def details(con: duckdb.DuckDBPyConnection, keys: Sequence[str], chunk: int = 500
            ) -> Iterator[tuple[str, ReportDetail]]:
    """Cells and findings of the given reports, `chunk` reports per query."""
    for start in range(0, len(keys), chunk):
        part = keys[start:start + chunk]
        con.register("site_keys", pa.table({"report_key": pa.array(part, type=pa.string())}))
        try:
            cells = con.execute(
                "SELECT c.report_key, c.table_name, c.row_key, c.col_key, c.value, c.amount, c.raw, c.page, c.position "
                "FROM cells c JOIN site_keys k USING (report_key)").fetchall()
            issues = con.execute(
                "SELECT q.report_key, q.check_name, q.severity, q.table_name, q.row_key, q.col_key, q.expected, "
                "q.actual, q.message FROM quality_issues q JOIN site_keys k USING (report_key) "
                "ORDER BY q.report_key, q.severity, q.table_name, q.row_key, q.col_key, q.check_name").fetchall()
        finally:
            con.unregister("site_keys")
        found: dict[str, ReportDetail] = defaultdict(lambda: ReportDetail({}, []))
        for key, table, row, col, count, amount, raw, page, position in cells:  # a count is an int, money a Decimal
            found[key].cells[(table, row, col)] = PublishedCell(count if amount is None else amount, raw, page,
                                                                position)
        for key, *issue in issues:
            found[key].findings.append(Finding(*issue))
        for key in part:
            yield key, found[key]
