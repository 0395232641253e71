"""Legacy reports (2008–2018) → table `legacy_summary`: the statistics table, else the prose.

The 政府信息公开情况统计表 prints one indicator per row: label, unit (条/件/元), this
year, running total. A row is recognised by the longest needle of the legacy catalog
its label holds; the header row (本年度 / 2016年度 … 历年累计) tells which slot is which
where positions are exact, else the figures are taken in order (this year, then the
running total), the unit word skipped. A figure the table lacks is read from the prose,
each keeping its sentence as the cell's raw text. The table wins over the prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xxgk.extractors.grid import Block, Grid, GridCell, Paragraph
from xxgk.extractors.labels import item, squash
from xxgk.extractors.prose import Statement, Subject, read_statements, sentences
from xxgk.extractors.values import is_value_like, parse_value
from xxgk.schemas.legacy import LEGACY, LEGACY_ROWS, LegacyRow, check_legacy, legacy_row
from xxgk.schemas.records import Cell, Issue

_UNIT_WORDS = frozenset({"条", "件", "元", "万元", "次", "个", "项", "场", "期", "宗", "起", "人次", "单位"})
_YEAR_HEADER = re.compile(r"本年|年度|当年|本期")
_CUMULATIVE_HEADER = re.compile(r"累计")
_MAX_LABEL = 30  # a longer cell is a sentence, not an indicator
_REQUEST_KEYS = ("applications_", "replies_")
_BREAKDOWN = re.compile(r"其中|占[^，。；]{0,8}?\d+(?:\.\d+)?%")
_REQUESTS = re.compile(r"信息公开申请|依申请|信息公开的申请")
_HEADING = re.compile(r"(?<![\d一二三四五六七八九十])[一二三四五六七八九十]{1,2}、[^。；，\d]{2,40}")


def _subject(key: str, pattern: str) -> Subject:
    return Subject(key, re.compile(pattern))


# What the prose calls each figure. A phrase inside a longer one of another key (同意公开
# in 不同意公开) gives way to it; one naming two keys at once (予以公开及部分公开) is its
# own subject, so that it is reported instead of read as either.
PROSE_SUBJECTS = (
    _subject("active_total", r"主动公开(?:各类|政府)?(?:政府)?信息|公开(?:各类)?政府信息"),
    _subject("active_website", r"(?:政府)?(?:门户)?网站(?:上)?(?:公开|发布)(?:各类)?(?:政府)?(?:信息)?"),
    _subject("active_gazette", r"(?:政府)?公报(?:上)?(?:公开|刊登|发布)(?:各类)?(?:政府)?(?:信息|文件)?"),
    _subject("active_press", r"(?:召开|举办|举行)?新闻发布会"),
    _subject("active_social_media", r"政务微博|微博微信|政务微信"),
    _subject("applications_total",
             r"(?:受理|收到|接到|接收)[^，。；\d]{0,12}?申请"
             r"|申请(?:总数|总量|数量)"),
    _subject("applications_in_person", r"当面(?:提出)?申请|现场申请"),
    _subject("applications_online", r"(?:网上|网络|在线)(?:提出)?申请"),
    _subject("applications_mail_fax", r"信函(?:、|和|及)?传真(?:方式)?(?:提出)?申请"
                                      r"|信函(?:方式)?(?:提出)?申请|传真(?:方式)?(?:提出)?申请"),
    _subject("applications_email", r"电子邮件(?:方式)?(?:提出)?申请"),
    _subject("applications_other_channel", r"其[它他](?:形式|方式)(?:提出)?申请"),
    _subject("replies_total", r"(?:已)?(?:全部)?(?:答复|办结|办理完毕)(?:申请)?"),
    _subject("replies_granted", r"(?:同意|予以)公开(?:答复)?|全部公开"),
    _subject("replies_partially_granted", r"(?:同意)?部分公开(?:答复)?"),
    _subject("replies_combined", r"(?:同意|予以)公开(?:及|和|与|、|或)(?:同意)?部分公开"),
    _subject("replies_denied", r"不予公开(?:答复)?|不同意公开(?:答复)?|否决公开"),
    _subject("replies_other", r"其[他它]类型(?:答复)?"),
    _subject("fees_yuan", r"收取(?:了)?(?:[^，。；]{0,12}?)费用?|收费(?:金额)?|减免(?:[^，。；]{0,6}?)费用?"),
    _subject("complaints", r"举报|投诉|申诉"),
    _subject("reviews", r"行政复议"),
    _subject("lawsuits", r"行政诉讼"),
)
_COMBINED = {"replies_combined": ("replies_granted", "replies_partially_granted")}


@dataclass
class _Read:
    """Per key: the year's and the running total's cell, and where they came from."""

    year: dict[str, list[GridCell]] = field(default_factory=dict)
    cumulative: dict[str, list[GridCell]] = field(default_factory=dict)
    units: dict[str, str | None] = field(default_factory=dict)
    whole: set[str] = field(default_factory=set)  # keys printed as one row (not added from parts)
    issues: list[Issue] = field(default_factory=list)


def is_legacy(year: int | None, grids: list[Grid]) -> bool:
    """A report without a template table is legacy when it reports on a year before the
    template, or, its year unknown, prints the legacy statistics table."""
    return (year is not None and year < 2019) or (year is None and has_legacy_table(grids))


def has_legacy_table(grids: list[Grid]) -> bool:
    """Do the grids hold at least three rows of the legacy statistics table?"""
    keys = {found[0].key for grid in grids for row in grid.rows if (found := _row_label(row)) is not None}
    return len(keys) >= 3


def extract_legacy(blocks: list[Block]) -> tuple[list[Cell], list[Issue]]:
    """The legacy figures and every finding about them: what reading met, then the checks."""
    cells, issues = read_legacy(blocks)
    if all(cell.value is None for cell in cells):
        issues.append(Issue("legacy_figures_missing", "warning",
                            "the report predates the national template, and neither a statistics table nor a "
                            "sentence stating its figures was found"))
    return cells, issues + check_legacy(cells)


def read_legacy(blocks: list[Block]) -> tuple[list[Cell], list[Issue]]:
    """Every key of `legacy_summary` (None where the report states nothing), with issues."""
    read = _Read()
    for block in blocks:
        if isinstance(block, Grid):
            _read_grid(block, read)
    cells: dict[str, tuple[Cell, Cell]] = {}
    for row in LEGACY_ROWS:
        if row.key in read.year or row.key in read.cumulative:
            cells[row.key] = (_table_cell(row, "year_value", read.year.get(row.key, []), read.units.get(row.key)),
                              _table_cell(row, "cumulative", read.cumulative.get(row.key, []), read.units.get(row.key)))
    issues = read.issues
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    about_requests = _about_requests(paragraphs)
    statements = [s for s in read_statements(paragraphs, PROSE_SUBJECTS)
                  if s.key not in cells and not set(_COMBINED.get(s.key, ())) & set(cells)
                  and (not s.key.startswith(_REQUEST_KEYS) or about_requests.get((s.paragraph, s.sentence), False))]
    for key, statement in _prose_figures(statements, issues).items():
        cells[key] = (_prose_cell(key, statement), Cell(LEGACY, key, "cumulative", None, None))
    out: list[Cell] = []
    for row in LEGACY_ROWS:
        out += cells.get(row.key, (Cell(LEGACY, row.key, "year_value", None, None),
                                   Cell(LEGACY, row.key, "cumulative", None, None)))
    return out, issues


# ── the table ────────────────────────────────────────────────────────────────────────


def _read_grid(grid: Grid, read: _Read) -> None:
    slots: dict[str, int] = {}
    for row in grid.rows:
        header = _header_slots(row)
        if header:
            slots = header
            continue
        found = _row_label(row)
        if found is None:
            continue
        catalog_row, is_part, label_end = found
        if catalog_row.key in read.whole and not is_part:
            read.issues.append(Issue("duplicate_row", "warning",
                                     f"{catalog_row.label} is printed twice; the first is kept",
                                     table=LEGACY, row=catalog_row.key))
            continue
        if is_part and catalog_row.key in read.whole:
            continue  # the parts printed under their own total
        year, cumulative, unit = _figures(row, label_end, slots if not grid.loose else {})
        if not is_part:
            read.whole.add(catalog_row.key)
            read.year[catalog_row.key], read.cumulative[catalog_row.key] = [], []
        read.units[catalog_row.key] = unit or read.units.get(catalog_row.key)
        if year is not None:
            read.year.setdefault(catalog_row.key, []).append(year)
        if cumulative is not None:
            read.cumulative.setdefault(catalog_row.key, []).append(cumulative)


def _header_slots(row: list[GridCell]) -> dict[str, int]:
    """Slots of the year and running-total columns, when the row is the table's header."""
    slots: dict[str, int] = {}
    for index, cell in enumerate(row):
        text = squash(cell.text)
        if not text or is_value_like(cell.text) or len(text) > 12:
            continue
        if _CUMULATIVE_HEADER.search(text):
            slots.setdefault("cumulative", index)
        elif _YEAR_HEADER.search(text) and "指标" not in text:
            slots.setdefault("year_value", index)
    return slots if "year_value" in slots else {}


def _row_label(row: list[GridCell]) -> tuple[LegacyRow, bool, int] | None:
    """(catalog row, is it a part, slot after the label) of the label the row prints."""
    best: tuple[int, LegacyRow, bool, int] | None = None
    for index, cell in enumerate(row):
        label = item(cell.text).replace("、", "")
        if not label or len(label) > _MAX_LABEL or is_value_like(cell.text):
            continue
        for catalog_row in LEGACY_ROWS:
            for needles, is_part in ((catalog_row.needles, False), (catalog_row.parts, True)):
                length = max((len(n) for n in needles if n in label), default=0)
                if length and (best is None or length > best[0]):
                    best = (length, catalog_row, is_part, index + 1)
    if best is None:
        return None
    end = best[3]
    while end < len(row) and row[end].spanned and not is_value_like(row[end].text):
        end += 1
    return best[1], best[2], end


def _figures(row: list[GridCell], start: int, slots: dict[str, int]
             ) -> tuple[GridCell | None, GridCell | None, str | None]:
    """This year's figure, the running total and the printed unit of one indicator row."""
    unit = next((squash(c.text) for c in row[start:] if squash(c.text) in _UNIT_WORDS), None)
    if slots and all(index < len(row) for index in slots.values()) and slots["year_value"] >= start:
        year = row[slots["year_value"]]
        cumulative = row[slots["cumulative"]] if "cumulative" in slots else None
        return _figure(year), _figure(cumulative), unit
    figures = [c for c in row[start:] if not c.spanned and is_value_like(c.text) and squash(c.text) not in _UNIT_WORDS]
    return (figures[0] if figures else None), (figures[1] if len(figures) > 1 else None), unit


def _figure(cell: GridCell | None) -> GridCell | None:
    return cell if cell is not None and not cell.spanned and is_value_like(cell.text) else None


def _table_cell(row: LegacyRow, col: str, sources: list[GridCell], unit: str | None) -> Cell:
    """One figure, or the sum of the parts printed apart (their raw texts joined by +)."""
    if not sources:
        return Cell(LEGACY, row.key, col, None, "")
    stated = {"万元": "10k_yuan", "元": "yuan"}.get(unit or "")
    parsed = [parse_value(c.text, row.unit, stated if row.unit != "count" else None) for c in sources]
    values = [p.value for p in parsed if p.value is not None]
    raw = " + ".join(c.text.strip() for c in sources)
    value = sum(values) if values else None
    return Cell(LEGACY, row.key, col, value, raw, sources[0].page, sources[0].position)


# ── the prose ────────────────────────────────────────────────────────────────────────


def _about_requests(paragraphs: list[Paragraph]) -> dict[tuple[int, str], bool]:
    """Per (paragraph number, sentence): does the sentence, or the section heading over it
    (一、… as a paragraph of its own or run into the text), speak of disclosure requests?
    A service hall's 共受理申请136437件 is not about them."""
    about: dict[tuple[int, str], bool] = {}
    section = ""
    for sentence, _, number in sentences(paragraphs):
        headings = _HEADING.findall(sentence)
        if headings:
            section = headings[-1]
        about[(number, sentence)] = bool(_REQUESTS.search(sentence) or _REQUESTS.search(section))
    return about


def _prose_figures(statements: list[Statement], issues: list[Issue]) -> dict[str, Statement]:
    """The first clear statement of each key; the open ones and contradictions reported."""
    chosen: dict[str, Statement] = {}
    for statement in statements:
        if statement.key in _COMBINED:
            issues.append(Issue("prose_ambiguous", "warning",
                                f"one figure for {' and '.join(_COMBINED[statement.key])} together: "
                                f"{statement.sentence}",
                                table=LEGACY, row=_COMBINED[statement.key][0]))
            continue
        if statement.problem:
            issues.append(Issue("prose_ambiguous", "warning", f"{statement.problem}: {statement.sentence}",
                                table=LEGACY, row=statement.key))
            continue
        value = _in_row_unit(statement)
        first = chosen.get(statement.key)
        if first is None:
            chosen[statement.key] = statement
        elif _in_row_unit(first) != value and not _a_part(statement.sentence, value, _in_row_unit(first)):
            issues.append(Issue("prose_ambiguous", "warning",
                                f"{statement.key} is stated as {_in_row_unit(first)} and as {value}; "
                                f"the first is kept: "
                                f"{statement.sentence}", table=LEGACY, row=statement.key,
                                expected=_in_row_unit(first), actual=value))
    return chosen


def _a_part(sentence: str, value, whole) -> bool:
    """A smaller figure in a sentence that breaks the whole down (其中…, 占77%) is a part of
    it (区直各部门主动公开政府信息2275条), not a second statement of it."""
    return value is not None and whole is not None and value < whole and bool(_BREAKDOWN.search(sentence))


def _in_row_unit(statement: Statement):
    if statement.value is not None and statement.unit == "万元" and legacy_row(statement.key).unit == "yuan":
        return statement.value * 10000
    return statement.value


def _prose_cell(key: str, statement: Statement) -> Cell:
    position = f"paragraph {statement.paragraph}" if statement.page is None else \
        f"page {statement.page}, paragraph {statement.paragraph}"
    return Cell(LEGACY, key, "year_value", _in_row_unit(statement), statement.sentence, statement.page, position)
