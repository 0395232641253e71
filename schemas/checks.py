"""FORMAT.md's accounting identities over one report's cells.

Each identity is data: a total cell and the cells that should add up to it. In a sum a
blank addend counts as 0; a blank total beside non-zero figures is a warning ("total not
reported"); a blank total over blank or zero parts is the blank-zero convention, no finding; a
published total over parts all blank is a warning too ("parts not reported"). A broken
identity is an error carrying the computed sum (expected) and the published total
(actual). Figures are never changed.

A cell the reader left null because it could not read it (a finding of `schemas.findings.
UNREAD` names it, or its whole row) is no blank of the publisher's: an identity over it is
not checked, since counting it as 0 would report the publisher's figures as broken.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from xxgk.schemas.catalog import APPLICATIONS, REVIEW, TEMPLATES, Table
from xxgk.schemas.findings import UNREAD
from xxgk.schemas.records import Cell, Issue, Number

CellKey = tuple[str, str, str]


@dataclass(frozen=True)
class Identity:
    check: str
    total: CellKey
    addends: tuple[CellKey, ...]
    subtract: tuple[CellKey, ...] = ()  # balance: total_processed = new + carried over − carried forward
    location: tuple[str | None, str | None] = (None, None)  # (row, col) the issue names


def identities(table: Table) -> Iterator[Identity]:
    """The identities of one table, derived from the catalog."""
    if table.key == APPLICATIONS:
        applicants = tuple(c.key for c in table.columns if c.key != "total")
        results = tuple(r.key for r in table.printable_rows if r.result)
        for col in (c.key for c in table.columns):
            yield Identity("balance", (APPLICATIONS, "total_processed", col),
                           ((APPLICATIONS, "new_received", col), (APPLICATIONS, "carried_over", col)),
                           ((APPLICATIONS, "carried_forward", col),), ("total_processed", col))
            yield Identity("results_sum", (APPLICATIONS, "total_processed", col),
                           tuple((APPLICATIONS, r, col) for r in results), location=("total_processed", col))
        for row in table.rows:
            yield Identity("row_total", (APPLICATIONS, row.key, "total"),
                           tuple((APPLICATIONS, row.key, c) for c in applicants), location=(row.key, "total"))
    elif table.key == REVIEW:
        for row in table.rows:
            parts = tuple((REVIEW, row.key, c.key) for c in table.columns if c.key != "total")
            yield Identity("rl_total", (REVIEW, row.key, "total"), parts, location=(row.key, "total"))


_LABELS = {"balance": "new received + carried over − carried forward", "results_sum": "the sum of the result rows",
           "row_total": "the sum of the six applicant columns", "rl_total": "upheld + corrected + other + pending"}
IDENTITY_CHECKS = frozenset(_LABELS)  # the checks an identity's finding is reported under


@cache
def _identities(template_name: str) -> tuple[tuple[str, tuple[Identity, ...]], ...]:
    return tuple((table.key, tuple(identities(table))) for table in TEMPLATES[template_name].tables)


def check_identities(cells: list[Cell], template_name: str, reading: list[Issue] | None = None) -> list[Issue]:
    """The findings on the identities of the tables the cells are of; `reading` is what the
    reader found, which names the cells it left unread."""
    values = {(c.table, c.row, c.col): c.value for c in cells}
    tables = {c.table for c in cells}
    unread = unread_cells(reading or [])
    issues: list[Issue] = []
    for table, checks in _identities(template_name):
        if table in tables:
            issues.extend(filter(None, (_evaluate(identity, values, table) for identity in checks
                                        if not (unread and _over(identity, unread)))))
    return issues


UnreadKey = tuple[str | None, str | None, str | None]


def unread_cells(reading: list[Issue]) -> set[UnreadKey]:
    """The cells the reader left null because it could not read them, as the findings of
    `UNREAD` name them: (table, row, col), or (table, row, None) for a whole row."""
    return {(i.table, i.row, i.col) for i in reading if i.check in UNREAD}


def is_unread(key: CellKey, unread: set[UnreadKey]) -> bool:
    """Whether unread_cells names the cell, or its whole row."""
    return key in unread or (key[0], key[1], None) in unread


def _over(identity: Identity, unread: set[UnreadKey]) -> bool:
    """Whether the identity takes in an unread cell."""
    return any(is_unread(key, unread) for key in (identity.total, *identity.addends, *identity.subtract))


def _evaluate(identity: Identity, values: dict[CellKey, Number | None], table: str) -> Issue | None:
    total = values.get(identity.total)
    added = [values.get(key) for key in identity.addends]
    subtracted = [values.get(key) for key in identity.subtract]
    parts = added + subtracted
    row, col = identity.location
    if total is None:
        if _sum(parts) == 0:  # a blank row, or zeros printed beside a blank zero total
            return None
        return Issue(identity.check, "warning", f"total not reported: {row} {col} is blank while its parts are not",
                     table=table, row=row, col=col)
    if total != 0 and parts.count(None) == len(parts):  # a column left blank under a published total
        return Issue(identity.check, "warning", f"parts not reported: {row} {col} is {total} while its parts are blank",
                     table=table, row=row, col=col, actual=total)
    expected = _sum(added) - _sum(subtracted)
    if expected == total:
        return None
    return Issue(identity.check, "error",
                 f"{row} {col} is {total} but {_LABELS[identity.check]} is {expected}",
                 table=table, row=row, col=col, expected=expected, actual=total)


def _sum(figures: list[Number | None]) -> Number:
    """The figures added, a blank counting as 0: filter(None, …) leaves out the blanks (and
    the zeros) without a Python frame per figure, as a generator putting 0 for them has."""
    present: Iterator[Number] = filter(None, figures)
    return sum(present, 0)
