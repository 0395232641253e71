"""A report's three tables laid out as the national template prints them, from the catalog.

Table 2 in blocks of rows that share columns, table 3 under its two-level applicant
header with the result groups as merged labels, table 4 as the header block over one
line of fifteen figures. Each figure cell shows the published text and carries the
findings located on it (numbered as in the page's list of findings); a finding on a
whole row sits on the row's label, one on a whole table on its heading.
The same catalog walk gives the download tables (one row per template row).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from xxgk.publish.queries import CellKey, Finding, Number, PublishedCell
from xxgk.schemas.catalog import ACTIVE, APPLICATIONS, REVIEW, Row, Table, Template

_APPLICATIONS_CAPTION = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_APPLICANTS, _ORGANISATIONS = "申请人情况", "法人或其他组织"
_ITEM = "信息内容"


@dataclass
class Slot:
    """One printed table cell; `cell` is the canonical cell it shows (None for labels)."""

    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    cell: CellKey | None = None
    page: int | None = None
    absent: bool = False  # the row was not found in the document
    findings: list[int] = field(default_factory=list)  # numbers in the page's list of findings


@dataclass
class LaidOutTable:
    key: str
    number: str
    heading: str
    rows: list[list[Slot]]
    findings: list[int] = field(default_factory=list)  # findings on the table as a whole


@dataclass(frozen=True)
class NumberedFinding:
    number: int
    finding: Finding
    where: str  # the location in Chinese labels


def figure_text(value: Number | None) -> str:
    """A figure as a reader expects it: 340, 12.5 (never 340.0000)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        return f"{value:f}" if value != value.to_integral_value() else str(int(value))
    return str(value)


def lay_out(template: Template, cells: dict[CellKey, PublishedCell], findings: list[Finding]
            ) -> tuple[list[LaidOutTable], list[NumberedFinding]]:
    """The tables with their findings marked, and the findings numbered in that order."""
    numbered = [NumberedFinding(i, f, location(template, f)) for i, f in enumerate(_ordered(template, findings), 1)]
    tables = []
    for table in template.tables:
        labels: dict[str, Slot] = {}
        rows = _LAYOUTS[table.key](table, lambda r, c, table=table: _figure_slot(table, r, c, cells), labels)
        laid = LaidOutTable(table.key, table.number, table.heading, rows)
        slots = {slot.cell: slot for row in rows for slot in row if slot.cell}
        for item in numbered:
            f = item.finding
            if f.table != table.key:
                continue
            target = (slots.get((f.table, f.row, f.col)) if f.row and f.col else None) or labels.get(f.row or "")
            (target.findings if target else laid.findings).append(item.number)
        tables.append(laid)
    return tables, numbered


def location(template: Template, finding: Finding) -> str:
    """表三 · （一）予以公开 · 总计, as far as the finding is located."""
    if finding.table is None:
        return "全文"
    try:
        table = template.table(finding.table)
    except StopIteration:
        return finding.table
    parts = [f"表{table.number} {table.heading}"]
    if finding.row:
        parts.append(next((r.label for r in table.rows if r.key == finding.row), finding.row))
    if finding.col:
        parts.append(table.column(finding.col).label if finding.col in {c.key for c in table.columns} else finding.col)
    return " · ".join(parts)


def _ordered(template: Template, findings: list[Finding]) -> list[Finding]:
    """Findings in reading order: by table, then row and column as printed; errors first within a cell."""
    order: dict[tuple[str | None, str | None, str | None], int] = {(None, None, None): 0}
    for table in template.tables:
        order[(table.key, None, None)] = len(order)
        for row in table.rows:
            order[(table.key, row.key, None)] = len(order)
            for col in row.columns:
                order[(table.key, row.key, col)] = len(order)

    def rank(f: Finding) -> tuple[int, int, str]:
        return (order.get((f.table, f.row, f.col), len(order)), f.severity != "error", f.check)

    return sorted(findings, key=rank)


def _figure_slot(table: Table, row: str, col: str, cells: dict[CellKey, PublishedCell]) -> Slot:
    cell = cells.get((table.key, row, col))
    if cell is None or cell.raw is None:
        return Slot("—", cell=(table.key, row, col), absent=True)
    return Slot(cell.raw.strip() or figure_text(cell.value), cell=(table.key, row, col), page=cell.page)


def _spread(slots: list[Slot], width: int) -> list[Slot]:
    """Slots filling `width`; the last spans what is left (本年处理决定数量 over three columns)."""
    slots[-1].colspan = width - len(slots) + 1
    return slots


def _active(table: Table, figure, labels: dict[str, Slot]) -> list[list[Slot]]:
    width = max(len(r.columns) for r in table.rows)
    rows: list[list[Slot]] = []
    for columns, block in groupby(table.rows, key=lambda r: r.columns):
        rows.append([Slot(_ITEM, header=True)]
                    + _spread([Slot(table.column(c).label, header=True) for c in columns], width))
        for row in block:
            labels[row.key] = Slot(row.label)
            rows.append([labels[row.key]] + _spread([figure(row.key, c) for c in columns], width))
    return rows


def _applications(table: Table, figure, labels: dict[str, Slot]) -> list[list[Slot]]:
    columns = [c.key for c in table.columns]
    organisations = [Slot(table.column(c).label, header=True) for c in columns[1:-1]]
    rows: list[list[Slot]] = [
        [Slot(_APPLICATIONS_CAPTION, rowspan=3, colspan=3, header=True),
         Slot(_APPLICANTS, colspan=len(columns), header=True)],
        [Slot(table.column(columns[0]).label, rowspan=2, header=True),
         Slot(_ORGANISATIONS, colspan=len(organisations), header=True),
         Slot(table.column(columns[-1]).label, rowspan=2, header=True)],
        organisations,
    ]
    results = [r for r in table.rows if r.result or r.key == "total_processed"]
    group_labels = {g.key: g.label for g in table.groups}
    members = {key: len(list(rows_)) for key, rows_ in groupby(table.rows, key=lambda r: r.group)}
    started: set[str | None] = set()
    for row in table.rows:
        label_slots: list[Slot] = []
        labels[row.key] = Slot(row.label)
        if row not in results:
            labels[row.key].colspan = 3
        else:
            if row is results[0]:
                label_slots.append(Slot(group_labels["results"], rowspan=len(results)))
            if row.group in group_labels and members[row.group] > 1:
                if row.group not in started:
                    label_slots.append(Slot(group_labels[row.group], rowspan=members[row.group]))
                    started.add(row.group)
            else:
                labels[row.key].colspan = 2
        rows.append(label_slots + [labels[row.key]] + [figure(row.key, c) for c in row.columns])
    return rows


def _review(table: Table, figure, labels: dict[str, Slot]) -> list[list[Slot]]:
    """行政复议 | 行政诉讼 (未经复议直接起诉 | 复议后起诉), each over the table's columns."""
    columns = [c.key for c in table.columns]
    parents = [(parent, list(rows)) for parent, rows in groupby(table.rows, key=lambda r: r.label.split("·")[0])]
    top, middle, bottom = [], [], []
    for parent, rows in parents:
        top.append(Slot(parent, colspan=len(columns) * len(rows), header=True))
        if len(rows) == 1:
            labels[rows[0].key] = top[-1]
            middle += [Slot(table.column(c).label, rowspan=2, header=True) for c in columns]
            continue
        for row in rows:
            labels[row.key] = Slot(row.label.split("·")[-1], colspan=len(columns), header=True)
            middle.append(labels[row.key])
            bottom += [Slot(table.column(c).label, header=True) for c in columns]
    figures = [figure(row.key, c) for _, rows in parents for row in rows for c in columns]
    return [top, middle, bottom, figures]


_LAYOUTS = {ACTIVE: _active, APPLICATIONS: _applications, REVIEW: _review}


def download_rows(table: Table, cells: dict[CellKey, PublishedCell]) -> tuple[list[str], list[list[object]]]:
    """A table for CSV and XLSX: a header of column labels, then per template row its key,
    its label and its figures (exact numbers; empty where blank or not in the row)."""
    header = ["row_key", "项目"] + [c.label for c in table.columns]

    def value(row: Row, col: str) -> object:
        cell = cells.get((table.key, row.key, col))
        return None if cell is None or cell.value is None or col not in row.columns else cell.value

    return header, [[row.key, row.label] + [value(row, c.key) for c in table.columns] for row in table.rows]
