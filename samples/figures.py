"""Figures of a report to generate: identity, template and every cell's value.

Generated figures satisfy FORMAT.md's identities unless a test breaks one on purpose, so
that a round trip (figures → document → extraction) has one right answer: the figures.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from decimal import Decimal

from xxgk.schemas.catalog import ACTIVE, APPLICATIONS, REVIEW, TEMPLATES, Template
from xxgk.schemas.records import Number

CellKey = tuple[str, str, str]  # (table, row, col)


@dataclass(frozen=True)
class ReportSpec:
    organ: str
    year: int
    jurisdiction_code: str
    template: str  # "2019" or "2021"
    values: dict[CellKey, Number | None] = field(default_factory=dict)

    @property
    def catalog(self) -> Template:
        return TEMPLATES[self.template]

    @property
    def title(self) -> str:
        return f"{self.organ}{self.year}年政府信息公开工作年度报告"

    def value(self, table: str, row: str, col: str) -> Number | None:
        return self.values.get((table, row, col))

    def with_values(self, changes: dict[CellKey, Number | None]) -> ReportSpec:
        return replace(self, values={**self.values, **changes})


def empty_report(organ: str = "海东市人民政府", year: int = 2023, jurisdiction_code: str = "630200",
                 template: str = "2021") -> ReportSpec:
    """Every cell of the template blank: the starting point for figures written by hand."""
    cells: dict[CellKey, Number | None] = {(t.key, r, c): None
                                           for t in TEMPLATES[template].tables for r, c in t.cells()}
    return ReportSpec(organ, year, jurisdiction_code, template, cells)


def random_report(rng: random.Random, organ: str = "海东市人民政府", year: int = 2023,
                  jurisdiction_code: str = "630200", template: str | None = None,
                  blank_zeros: float = 0.5, scale: int = 60, previous: ReportSpec | None = None) -> ReportSpec:
    """Consistent random figures. A zero is published blank with probability `blank_zeros`,
    as many publishers do; blanking a zero never breaks an identity (null counts as 0).
    Given the same organ's `previous` report, the figures continue it (documents in force,
    applications carried over), so a series of reports passes the cross-year checks too."""
    template = template or ("2021" if year >= 2021 else "2019")
    spec = empty_report(organ, year, jurisdiction_code, template)
    values: dict[CellKey, Number] = {}
    values.update(_active(rng, spec.catalog, scale))
    values.update(_applications(rng, spec.catalog, scale))
    if previous is not None:
        values.update(_continued(values, previous))
    values.update(_review(rng, scale))
    published: dict[CellKey, Number | None] = dict(values)
    for key, value in values.items():
        if value == 0 and rng.random() < blank_zeros:
            published[key] = None
    return spec.with_values(published)


def with_other_handling_as_one_row(spec: ReportSpec) -> ReportSpec:
    """A 2021 report that prints （六）其他处理 as the 2019 template's single row: its
    figures are the sums of the three sub-rows, which are then not printed (null)."""
    sub_rows = spec.catalog.table(APPLICATIONS).row("other_handling").replaces
    columns = [c.key for c in spec.catalog.table(APPLICATIONS).columns]
    changes: dict[CellKey, Number | None] = {(APPLICATIONS, row, col): None for row in sub_rows for col in columns}
    for col in columns:
        parts = [spec.value(APPLICATIONS, row, col) for row in sub_rows]
        changes[(APPLICATIONS, "other_handling", col)] = (None if all(p is None for p in parts)
                                                          else sum(p or 0 for p in parts))
    return spec.with_values(changes)


def _count(rng: random.Random, scale: int, zero: float = 0.4) -> int:
    return 0 if rng.random() < zero else rng.randint(1, scale)


def _active(rng: random.Random, template: Template, scale: int) -> dict[CellKey, Number]:
    table = template.table(ACTIVE)
    values: dict[CellKey, Number] = {}
    for row in table.rows:
        for col in row.columns:
            unit = table.column(col).unit
            if unit == "10k_yuan":
                value: Number = Decimal(rng.randint(0, 900000)) / 100
            elif unit == "yuan":
                value = Decimal(rng.randint(0, 90000000)) / 100
            elif table.column(col).signed:
                value = rng.randint(-scale // 4, scale // 4)
            else:
                value = _count(rng, scale * (50 if row.key in ("licensing", "penalty") else 1), zero=0.2)
            values[(ACTIVE, row.key, col)] = value
    return values


def _applications(rng: random.Random, template: Template, scale: int) -> dict[CellKey, Number]:
    table = template.table(APPLICATIONS)
    applicants = [c.key for c in table.columns if c.key != "total"]
    results = [r.key for r in table.rows if r.result]
    values: dict[CellKey, Number] = {}
    for col in applicants:
        active = col == "natural_person" or rng.random() < 0.5
        per_result = {r: _count(rng, scale // 4 or 1, zero=0.6) if active else 0 for r in results}
        processed = sum(per_result.values())
        carried_forward = _count(rng, scale // 6 or 1, zero=0.6) if active else 0
        carried_over = rng.randint(0, processed + carried_forward) if active and rng.random() < 0.4 else 0
        column = {**per_result, "total_processed": processed, "carried_forward": carried_forward,
                  "carried_over": carried_over, "new_received": processed + carried_forward - carried_over}
        values.update({(APPLICATIONS, row, col): value for row, value in column.items()})
    for row in table.rows:
        values[(APPLICATIONS, row.key, "total")] = sum(values[(APPLICATIONS, row.key, c)] for c in applicants)
    return values


def _continued(values: dict[CellKey, Number], previous: ReportSpec) -> dict[CellKey, Number]:
    """Changes that continue last year's figures: documents in force are last year's plus
    issued minus repealed (repealed capped at what there was), and each applicant column
    carries over what last year carried forward. More carried over is processed this year
    as granted; less means more newly received; either way the balance and the row totals
    still hold."""
    changes: dict[CellKey, Number] = {}
    for (table, row, col), value in values.items():
        if table == ACTIVE and col == "in_force" and (ACTIVE, row, "issued") in values:
            before = previous.value(ACTIVE, row, "in_force") or 0
            issued = values[(ACTIVE, row, "issued")]
            repealed = min(values.get((ACTIVE, row, "repealed"), 0), before + issued)
            changes[(ACTIVE, row, "repealed")] = repealed
            changes[(ACTIVE, row, col)] = before + issued - repealed
        elif table == APPLICATIONS and row == "carried_over" and col != "total":
            extra = (previous.value(APPLICATIONS, "carried_forward", col) or 0) - value
            grows = ("granted", "total_processed") if extra >= 0 else ("new_received",)
            changes[(APPLICATIONS, row, col)] = value + extra
            for key in grows:
                changes[(APPLICATIONS, key, col)] = values[(APPLICATIONS, key, col)] + (extra if extra >= 0 else -extra)
    merged: dict[CellKey, Number] = {**values, **changes}
    for row in ("carried_over", "granted", "total_processed", "new_received"):
        changes[(APPLICATIONS, row, "total")] = sum(v for (t, r, c), v in merged.items()
                                                    if t == APPLICATIONS and r == row and c != "total")
    return changes


def _review(rng: random.Random, scale: int) -> dict[CellKey, Number]:
    table = TEMPLATES["2021"].table(REVIEW)
    values: dict[CellKey, Number] = {}
    for row in table.rows:
        parts = {c: _count(rng, scale // 10 or 1, zero=0.5) for c in ("upheld", "corrected", "other", "pending")}
        values.update({(REVIEW, row.key, c): v for c, v in parts.items()})
        values[(REVIEW, row.key, "total")] = sum(parts.values())
    return values
