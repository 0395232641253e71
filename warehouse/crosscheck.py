"""FORMAT.md's cross-year identities, checked when a report meets its neighbours.

`carry_chain`: what a report carries over must be what the same organ carried forward
the year before. `in_force_chain` (2021 template, warning only): the documents in force
should be last year's plus this year's issued minus repealed. A finding belongs to the
later year's report; when a year is loaded, its own findings and those of the year after
are recomputed, so backfills may load years in any order.
"""

from __future__ import annotations

from decimal import Decimal

import duckdb

from xxgk.schemas.catalog import ACTIVE, APPLICATIONS, TEMPLATE_2021
from xxgk.warehouse.rows import insert_issue_rows

CROSS_YEAR = ("carry_chain", "in_force_chain")
_APPLICANT_COLUMNS = [c.key for c in TEMPLATE_2021.table(APPLICATIONS).columns]


def check_neighbours(con: duckdb.DuckDBPyConnection, jurisdiction_code: str, organ: str, year: int) -> None:
    """Recompute the cross-year findings of this report and of the next year's."""
    for later in (year, year + 1):
        _recheck(con, jurisdiction_code, organ, later)


def _recheck(con, code: str, organ: str, year: int) -> None:
    later, earlier = _report(con, code, organ, year), _report(con, code, organ, year - 1)
    if later is None:
        return
    con.execute(f"DELETE FROM quality_issues WHERE report_key = ? AND check_name IN {CROSS_YEAR}", [later[0]])
    if earlier is None:
        return
    findings = _carry_chain(con, later, earlier) + _in_force_chain(con, later, earlier)
    insert_issue_rows(con, [(later[0], later[1], *finding) for finding in findings])


def _report(con, code: str, organ: str, year: int) -> tuple[str, str] | None:
    found = con.execute("SELECT report_key, document_sha256 FROM reports WHERE jurisdiction_code = ? AND organ = ? "
                        "AND year = ?", [code, organ, year]).fetchall()
    return found[0] if found else None


def _values(con, report_key: str, table: str) -> dict[tuple[str, str], Decimal | None]:
    return {(row, col): value for row, col, value in con.execute(
        "SELECT row_key, col_key, value FROM cells WHERE report_key = ? AND table_name = ?", [report_key, table]).fetchall()}


def _carry_chain(con, later: tuple[str, str], earlier: tuple[str, str]) -> list[tuple]:
    now, before = _values(con, later[0], APPLICATIONS), _values(con, earlier[0], APPLICATIONS)
    findings = []
    for col in _APPLICANT_COLUMNS:
        carried_over, carried_forward = now.get(("carried_over", col)), before.get(("carried_forward", col))
        if (carried_over or 0) == (carried_forward or 0):
            continue
        severity = "error" if carried_over is not None and carried_forward is not None else "warning"
        findings.append(("carry_chain", severity, APPLICATIONS, "carried_over", col, carried_forward, carried_over,
                         f"carried over {carried_over} in {col}, but the year before carried forward {carried_forward}"))
    return findings


def _in_force_chain(con, later: tuple[str, str], earlier: tuple[str, str]) -> list[tuple]:
    now, before = _values(con, later[0], ACTIVE), _values(con, earlier[0], ACTIVE)
    findings = []
    for row in ("regulations", "normative_documents"):
        in_force, previous = now.get((row, "in_force")), before.get((row, "in_force"))
        if in_force is None or previous is None:
            continue  # the 2019 template has no in_force; a blank is not a finding here
        expected = previous + (now.get((row, "issued")) or 0) - (now.get((row, "repealed")) or 0)
        if expected != in_force:
            findings.append(("in_force_chain", "warning", ACTIVE, row, "in_force", expected, in_force,
                             f"{in_force} in force, but last year's {previous} + issued − repealed is {expected}"))
    return findings
