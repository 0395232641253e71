"""A legacy report (2008–2018) laid out: the 政府信息公开情况统计表 its figures fill, one
line per legacy key (FORMAT.md), with this year's figure, the running total, and where the
figure came from: a cell of the report's own table, or the sentence of its prose that
states it. The same walk gives the download table. Findings sit on their row's cells as
on a template report's tables, numbered in reading order.
"""

from __future__ import annotations

from xxgk.publish.queries import CellKey, Finding, PublishedCell
from xxgk.publish.tables import LaidOutTable, NumberedFinding, Slot, figure_text
from xxgk.schemas.legacy import LEGACY, LEGACY_COLUMNS, LEGACY_ROWS

HEADING = "政府信息公开情况统计表"
COLUMN_LABELS = {"year_value": "本年度", "cumulative": "历年累计"}
UNIT_LABELS = {"count": "件/条/次", "yuan": "元"}
_LABELS = {row.key: row.label for row in LEGACY_ROWS}
_ORDER: dict[tuple[str | None, str | None], int] = {
    (row.key, col): i for i, (row, col) in enumerate((r, c) for r in LEGACY_ROWS for c in (None, *LEGACY_COLUMNS))}


def source(cell: PublishedCell | None) -> str:
    """Where a figure came from: the sentence stating it, or the report's table."""
    if cell is None or not cell.raw:
        return ""
    if "paragraph" in (cell.position or ""):
        return cell.raw.strip()
    return "统计表" + (f"（第{cell.page}页）" if cell.page else "")


def lay_out(cells: dict[CellKey, PublishedCell], findings: list[Finding]
            ) -> tuple[list[LaidOutTable], list[NumberedFinding]]:
    """The statistics table with its findings marked, and the findings numbered."""
    ordered = sorted(findings, key=lambda f: (_ORDER.get((f.row, f.col), len(_ORDER)) if f.table == LEGACY
                                              else -1, f.severity != "error", f.check))
    numbered = [NumberedFinding(i, f, location(f)) for i, f in enumerate(ordered, 1)]
    header = [Slot(text, header=True) for text in ("指标", "单位", *COLUMN_LABELS.values(), "出处")]
    rows, labels, slots = [header], {}, {}
    for row in LEGACY_ROWS:
        labels[row.key] = Slot(row.label)
        figures = [_figure_slot(row.key, col, cells) for col in LEGACY_COLUMNS]
        slots.update({slot.cell: slot for slot in figures})
        rows.append([labels[row.key], Slot(UNIT_LABELS[row.unit]), *figures,
                     Slot(source(cells.get((LEGACY, row.key, "year_value"))))])
    table = LaidOutTable(LEGACY, "", HEADING, rows)
    for item in numbered:
        f = item.finding
        target = ((slots.get((f.table, f.row, f.col)) if f.table and f.row and f.col else None)
                  or (labels.get(f.row or "") if f.table == LEGACY else None))
        (target.findings if target else table.findings).append(item.number)
    return [table], numbered


def location(finding: Finding) -> str:
    """统计表 · 行政复议数 · 本年度, as far as the finding is located."""
    if finding.table != LEGACY:
        return finding.table or "全文"
    parts = [HEADING]
    if finding.row:
        parts.append(_LABELS.get(finding.row, finding.row))
    if finding.col:
        parts.append(COLUMN_LABELS.get(finding.col, finding.col))
    return " · ".join(parts)


def download_rows(cells: dict[CellKey, PublishedCell]) -> tuple[list[str], list[list[object]]]:
    """row_key, 指标, 单位, 本年度, 历年累计, 出处: exact figures, empty where not stated."""
    def value(key: str, col: str) -> object:
        cell = cells.get((LEGACY, key, col))
        return None if cell is None else cell.value

    header = ["row_key", "指标", "单位", *COLUMN_LABELS.values(), "出处"]
    return header, [[row.key, row.label, UNIT_LABELS[row.unit], *(value(row.key, c) for c in LEGACY_COLUMNS),
                     source(cells.get((LEGACY, row.key, "year_value")))] for row in LEGACY_ROWS]


def _figure_slot(key: str, col: str, cells: dict[CellKey, PublishedCell]) -> Slot:
    cell = cells.get((LEGACY, key, col))
    if cell is None or not cell.raw:
        return Slot("—", cell=(LEGACY, key, col), absent=True)
    text = figure_text(cell.value) if "paragraph" in (cell.position or "") else cell.raw.strip()
    return Slot(text or figure_text(cell.value), cell=(LEGACY, key, col), page=cell.page)
