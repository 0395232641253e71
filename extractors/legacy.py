"""Legacy reports (2008–2018) → table `legacy_summary`: the statistics table, else the prose.

The 政府信息公开情况统计表 prints one indicator per row: label, unit (条/件/元), this
year, running total. A row is recognised by the longest needle of the legacy catalog
its label holds, in a grid or in running text (extractors/legacy_text.py). The header
(本年度, 2016年, 年末统计 … 历年累计, in either order, any year) tells which column is
which; without one, the running total is the column never below the other. A digit run
holding both cells is split where the prose's figure, the parts within their whole and
the running total above the year leave one reading, else left blank and reported. A
figure no table gives is read from the prose, only where its clause is about the key,
each keeping its sentence as the cell's raw text. The table wins over the prose.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import cast

from xxgk.extractors.grid import Block, Grid, GridCell, Paragraph
from xxgk.extractors.guard import guarded
from xxgk.extractors.labels import item, squash
from xxgk.extractors.legacy_text import (
    UNIT_WORDS,
    TextRow,
    TextTable,
    text_tables,
    without_tables,
)
from xxgk.extractors.prose import (
    Sentence,
    Statement,
    Subject,
    classes_information,
    outside_titles,
    read_statements,
    sentences,
)
from xxgk.extractors.values import is_value_like, parse_value
from xxgk.schemas.legacy import (
    LEGACY,
    LEGACY_ROWS,
    PARTS_OF,
    WHOLE_OF,
    LegacyRow,
    check_legacy,
    legacy_row,
    named_row,
)
from xxgk.schemas.records import Cell, Issue, Number

_UNIT_WORDS = frozenset({*UNIT_WORDS, "单位"})
_YEAR_HEADER = re.compile(r"本年|年度|当年|本期|年末|统计数|(?:19|20)\d{2}年")
_CUMULATIVE_HEADER = re.compile(r"累计")
_MAX_LABEL = 30  # a longer cell is a sentence, not an indicator
_REQUEST_KEYS = ("applications_", "replies_")
_BREAKDOWN = re.compile(r"其中|类别|分类|占[^，,。；;]{0,8}?\d+(?:\.\d+)?%")
_REQUESTS = re.compile(r"信息公开申请|依申请|信息公开的申请|申请公开|要求公开|申请(?:政府)?信息公开")
_HEADING = guarded(re.compile(r"(?<![\d一二三四五六七八九十])[一二三四五六七八九十]{1,2}、[^。；，\d]{2,40}"))


def _subject(key: str, pattern: str) -> Subject:
    narrows = (WHOLE_OF[key],) if key in WHOLE_OF else ("active_social_media",) if key in _SOCIAL else ()
    return Subject(key, re.compile(pattern), narrows)


_SOCIAL = ("social_weibo", "social_weixin")  # 微博 and 微信 stated apart: active_social_media is their sum
_ACCOUNTS = r"(?:政务|政府|官方)?"
# What the prose calls each figure. A phrase inside a longer one of another key (同意公开
# in 不同意公开) gives way to it; one naming two keys at once (予以公开及部分公开) is its
# own subject, so that it is reported instead of read as either; a channel named with
# its whole (通过网站主动公开政府信息) owns the figure; information classed as 依申请公开
# or 不予公开 (作为依申请公开信息数46条) is a subject of its own that no key takes.
PROSE_SUBJECTS = (
    _subject("active_total", r"(?<!申请)(?<!不予)(?:主动)?公开(?:的)?(?:各类|各项)?(?:政府|政务)?信息(?:数)?"
                             r"|主动公开[^，。；\d]{1,8}?的(?:各类|各项)?(?:政府|政务)?信息"  # …当年生成的各类…
                             r"|主动公开(?=\s*(?:\d|$))"),  # 制作政府信息200条，其中主动公开150条
    _subject("active_website", r"(?:政府|门户)?网站[”」》\"]?(?:上)?(?:共|累计)?(?:主动)?(?:公开|发布)(?:的)?(?:各类)?"
                               r"(?:政府|政务)?(?:信息)?"),
    _subject("active_gazette", r"(?:政府)?公报(?:上)?(?:主动)?(?:公开|刊登|发布)(?:的)?(?:各类)?(?:政府)?"
                               r"(?:信息|文件)?"),
    _subject("active_press", r"(?:召开|举办|举行)?新闻发布会"),
    _subject("active_social_media", rf"{_ACCOUNTS}微博(?:、|和|及|与)?{_ACCOUNTS}微信"
                                    rf"|{_ACCOUNTS}微信(?:、|和|及|与)?{_ACCOUNTS}微博"),
    _subject("social_weibo", rf"{_ACCOUNTS}微博"),
    _subject("social_weixin", rf"{_ACCOUNTS}微信(?:公众号|公众平台)?"),
    _subject("classed", r"(?:作为|属于|列为|界定为)(?:依申请公开|不予公开|免予公开)(?:的)?(?:政府)?信息(?:数)?"
                        r"|(?:不予|免予)公开(?:的)?(?:政府)?信息数"),  # …不予公开信息数1658条: items, not replies
    _subject("applications_total",
             r"(?:受理|收到|接到|接收)(?:(?!复议|诉讼)[^，。；\d]){0,20}?申请"  # not 收到…行政复议申请
             r"|申请(?:总数|总量|数量|数)"
             r"|依申请公开(?:的)?(?:政府)?(?:信息)?"
             r"|(?:要求|申请)公开(?:政府)?信息(?:的申请)?"),
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
    _subject("fees_yuan", r"收取(?:了)?(?:[^，。；]{0,20}?)费用?|(?:依申请公开)?收费(?:金额)?"
                          r"|减免(?:[^，。；]{0,6}?)费用?"),
    _subject("complaints", r"举报|投诉|申诉"),
    _subject("reviews", r"行政复议|复议"),
    _subject("lawsuits", r"行政诉讼|诉讼"),
)
_COMBINED = {"replies_combined": ("replies_granted", "replies_partially_granted")}
# Words that put a figure on another matter than disclosure: a hotline's or a petition
# office's cases, consultations, online comments.
_OTHER_MATTER = re.compile(r"热线|12315|12345|信访|来信|来访|咨询|消费者|便民|舆情|留言|诉求")
_DISCLOSURE = re.compile(r"信息公开|政务公开|公开信息|依申请")
_ACCOUNT_COUNT = "个"  # 开通政务微博29个: accounts, not posts
_WITHHELD = re.compile(r"不予公开(?:的)?(?:政府)?信息")
_CLASSES = ("applications_total", "replies_denied")  # what a class of the information made reads as
# Channels other than the website, in print and on air.
_PRINT_AND_AIR = "公开栏|公示栏|宣传栏|公告栏|报纸|报刊|时报|日报|媒体|电视|电台|广播|手册|简报"
# 通过公开栏公开信息20条: what one channel other than the website carried, no total; 通过网站、
# 公开栏、报纸等形式公开…150条, or 在门户网站和政务公开栏公开…86条, names the channels of the total.
_OTHER_CHANNEL = re.compile(rf"(?:通过|在|利用|依托|借助)[^，,。；]{{0,12}}?"
                            rf"(?:{_PRINT_AND_AIR}|橱窗|展板|晚报|查阅点|查阅室|显示屏|触摸屏|短信|会议)(?![^，,。；]*等)")
_WEB = re.compile(r"网站|门户|网上|网络")
# 通过报纸、电视、网站主动公开政府信息150条: the website last in a list of channels, the total.
_LISTED_WEB = re.compile(rf"(?:{_PRINT_AND_AIR}|微博|微信)[^，,。；\d]{{0,8}}?[、和及与]\s*(?:政府|门户)?网站")
# 截至12月14日…共发布1288条 may count since the channel opened, 自2008年5月1日《条例》施行以来…
# 共受理申请56件 since the regulation took effect; 截至12月31日，全年… and 今年以来 are the year's.
_AS_OF = re.compile(r"截至|截止|(?P<since>至今|(?<!长期|一直)以来)")
_RUNNING = re.compile(r"历年|累计至今|至今累计|以来累计")  # 历年累计主动公开政府信息1176条: the running total
# 《条例》实施以来，累计主动公开政府信息2841340条: since then, in the clause before, and 累计 in its own.
_SINCE_THEN = re.compile(r"(?:以来|至今)[，,]\s*累计[^，,。；;]*$")
# 其它方式公开信息16条，占总数的53%: a figure given with its share of a total is a part of it.
_SHARE = re.compile(r"[^，,。；;]*?[，,]?\s*(?:约)?占[^，,。；;%％]{0,8}?\d+(?:\.\d+)?[%％]")
_WHOLES = frozenset(WHOLE_OF.values())
_HEADLINES = ("active_total", "applications_total", "reviews", "lawsuits")  # checked against the prose
_YEAR_NAMED = re.compile(r"((?:19|20)\d{2})\s*年")
_THE_YEAR = re.compile(r"全年|本年|年度|当年|年初|(?:今|(?:19|20)\d{2})年(?!\d{0,2}月)")


@dataclass
class _Read:
    """Per key: the year's and the running total's cell, and where they came from."""

    year: dict[str, list[GridCell]] = field(default_factory=dict)
    cumulative: dict[str, list[GridCell]] = field(default_factory=dict)
    units: dict[str, str | None] = field(default_factory=dict)
    whole: set[str] = field(default_factory=set)  # keys printed as one row (not added from parts)
    issues: list[Issue] = field(default_factory=list)


def is_legacy(year: int | None, blocks: list[Block]) -> bool:
    """A report without a template table is legacy when it reports on a year before the
    template, or, its year unknown, prints the legacy statistics table (as a grid or in
    its text)."""
    return (year is not None and year < 2019) or (year is None and has_legacy_table(blocks))


def has_legacy_table(blocks: list[Block]) -> bool:
    """Do the grids hold at least three rows of the legacy statistics table, or does the
    text carry such a table?"""
    keys = {found[0].key for block in blocks if isinstance(block, Grid)
            for row in block.rows if (found := _row_label(row)) is not None}
    return len(keys) >= 3 or bool(text_tables([b for b in blocks if isinstance(b, Paragraph)]))


def extract_legacy(blocks: list[Block], year: int | None = None) -> tuple[list[Cell], list[Issue]]:
    """The legacy figures and every finding about them: what reading met, then the checks.
    `year`: the report's, where known."""
    cells, issues = read_legacy(blocks, year)
    if all(cell.value is None for cell in cells):
        issues.append(Issue("legacy_figures_missing", "warning",
                            "the report predates the national template, and neither a statistics table nor a "
                            "sentence stating its figures was found"))
    return cells, issues + check_legacy(cells)


def read_legacy(blocks: list[Block], year: int | None = None) -> tuple[list[Cell], list[Issue]]:
    """Every key of `legacy_summary` (None where the report states nothing), with issues.
    The tables come first (grids, then tables carried in the text, whose digit runs the
    prose's figures help to split); the prose gives only the keys no table has. `year`:
    the report's, where known (a prose figure said to be another year's is put in doubt)."""
    read = _Read()
    for block in blocks:
        if isinstance(block, Grid):
            _read_grid(block, read)
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    tables = text_tables(paragraphs)
    paragraphs = without_tables(paragraphs, tables)
    said = list(sentences(paragraphs))
    statements = read_statements(said, PROSE_SUBJECTS)
    years = _years_figures(statements)
    statements = _about_disclosure(statements, _contexts(said), years, year)
    stated: dict[str, set] = {}
    for statement in statements:
        if statement.problem is None and statement.value is not None:
            stated.setdefault(statement.key, set()).add(_in_row_unit(statement))
    in_grids = set(read.year) | set(read.cumulative)
    for table in tables:
        _read_text_table(table, read, stated, in_grids)
    cells: dict[str, tuple[Cell, Cell]] = {}
    for row in LEGACY_ROWS:
        if row.key in read.year or row.key in read.cumulative:
            cells[row.key] = (_table_cell(row, "year_value", read.year.get(row.key, []), read.units.get(row.key)),
                              _table_cell(row, "cumulative", read.cumulative.get(row.key, []), read.units.get(row.key)))
    totals = [_running(s, years) for s in statements]
    of_the_year = [s for s, total in zip(statements, totals, strict=True) if not total]
    issues = read.issues + _table_against_prose(cells, of_the_year)
    running: dict[str, Statement] = {}
    for statement in [s for s, total in zip(statements, totals, strict=True) if total and _untabled(s, cells)]:
        if statement.problem is None and statement.value is not None:
            running.setdefault(statement.key, statement)
    statements = [s for s in of_the_year if _untabled(s, cells)]
    for key, statement in _social_summed(_prose_figures(statements, issues), paragraphs, issues).items():
        cells[key] = (_prose_cell(key, statement, "year_value"), Cell(LEGACY, key, "cumulative", None, None))
    for key, statement in running.items():
        this_year = cells.get(key, (Cell(LEGACY, key, "year_value", None, None),))[0]
        cells[key] = (this_year, _prose_cell(key, statement, "cumulative"))
    out: list[Cell] = []
    for row in LEGACY_ROWS:
        out += cells.get(row.key, (Cell(LEGACY, row.key, "year_value", None, None),
                                   Cell(LEGACY, row.key, "cumulative", None, None)))
    return out, issues


def _untabled(statement: Statement, cells: dict[str, tuple[Cell, Cell]]) -> bool:
    """Whether the table leaves the statement's key (and, for a combined one, its parts) to the prose."""
    return statement.key not in cells and not set(_COMBINED.get(statement.key, ())) & set(cells)


def _years_figures(statements: list[Statement]) -> set[tuple[str, str]]:
    """(key, sentence) of each figure its words give as the year's (本年度新增…2110条)."""
    return {(s.key, s.sentence) for s in statements if _THE_YEAR.search(s.clause)}


def _running(statement: Statement, years: set[tuple[str, str]]) -> bool:
    """Whether the figure is a running total: said so (历年累计, 累计至今, …以来，累计), or
    said 累计 with no year while its sentence gives the same key's figure of the year
    (到年底累计主动公开政府信息5928条，其中本年度新增…2110条). 全年累计 is the year's."""
    if _RUNNING.search(statement.clause) or _SINCE_THEN.search(statement.sentence, 0, _figure_at(statement)):
        return True
    return ("累计" in statement.clause and not _THE_YEAR.search(statement.clause)
            and (statement.key, statement.sentence) in years)


def _table_against_prose(cells: dict[str, tuple[Cell, Cell]], statements: list[Statement]) -> list[Issue]:
    """The table's figures stand, but where the prose states a headline figure of the year
    one way only and the table prints another, the report says two things: a warning with
    both (`narrative_mismatch`, expected the table's, actual the prose's). Channels and
    reply kinds are left out: the prose breaks them down by other lines than the table."""
    said: dict[str, list[Statement]] = {}
    for statement in statements:
        if statement.problem is None and statement.value is not None:
            said.setdefault(statement.key, []).append(statement)
    issues = []
    for key, (year, _) in ((key, cells[key]) for key in _HEADLINES if key in cells):
        values = {_in_row_unit(s) for s in said.get(key, [])}
        if year.value is not None and len(values) == 1 and year.value not in values:
            prose = said[key][0]
            issues.append(Issue("narrative_mismatch", "warning",
                                f"the prose states {key} as {_in_row_unit(prose)}, the table as {year.value}: "
                                f"{prose.sentence}", table=LEGACY, row=key, col="year_value",
                                expected=year.value, actual=_in_row_unit(prose)))
    return issues


# ── the table ────────────────────────────────────────────────────────────────────────


def _read_grid(grid: Grid, read: _Read) -> None:
    slots: dict[str, int] = {}
    printed: list[tuple[LegacyRow, bool, list[GridCell | None], str | None]] = []
    for row in grid.rows:
        header = _header_slots(row)
        if header:
            slots = header
            continue
        found = _row_label(row)
        if found is None:
            continue
        catalog_row, is_part, label_end = found
        figures, unit = _figures(row, label_end, slots if not grid.loose else {})
        printed.append((catalog_row, is_part, figures, unit))
    order = _column_order(slots, [figures for _, _, figures, _ in printed])
    for catalog_row, is_part, figures, unit in printed:
        cells = dict(zip(order, figures, strict=False))
        _store(read, catalog_row, is_part, cells.get("year_value"), cells.get("cumulative"), unit)


def _column_order(slots: dict[str, int], rows: list[list[GridCell | None]]) -> tuple[str, ...]:
    """The figure columns in printed order: as the header names them (any year heads the
    year's column: a header may carry the wrong year); without a header naming both, the
    running total is the column never below the other, the year's first where no figure
    tells them apart."""
    if len(slots) == 2:
        return tuple(sorted(slots, key=slots.__getitem__))
    if len(slots) == 1 and all(len(figures) < 2 for figures in rows):
        return tuple(slots)
    if len(slots) == 1:
        return ("year_value", "cumulative") if "year_value" in slots else ("cumulative", "year_value")
    pairs = [(_number(figures[0]), _number(figures[1])) for figures in rows if len(figures) == 2]
    pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
    if pairs and all(a >= b for a, b in pairs) and any(a > b for a, b in pairs):
        return ("cumulative", "year_value")
    return ("year_value", "cumulative")


def _number(cell: GridCell | None):
    return None if cell is None else parse_value(cell.text).value


def _store(read: _Read, catalog_row: LegacyRow, is_part: bool, year: GridCell | None, cumulative: GridCell | None,
           unit: str | None) -> None:
    """One row's figures: a row printed twice keeps the first; parts printed apart (信函
    申请数, 传真申请数) add up unless their whole is printed too."""
    if catalog_row.key in read.whole and not is_part:
        read.issues.append(Issue("duplicate_row", "warning", f"{catalog_row.label} is printed twice; the first is kept",
                                 table=LEGACY, row=catalog_row.key))
        return
    if is_part and catalog_row.key in read.whole:
        return  # the parts printed under their own total
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
    return slots


def _row_label(row: list[GridCell]) -> tuple[LegacyRow, bool, int] | None:
    """(catalog row, is it a part, slot after the label) of the label the row prints."""
    best: tuple[int, LegacyRow, bool, int] | None = None
    for index, cell in enumerate(row):
        label = item(cell.text).replace("、", "")
        if not label or len(label) > _MAX_LABEL or is_value_like(cell.text):
            continue
        if (found := named_row(label)) is not None and (best is None or found[3] > best[0]):
            best = (found[3], found[0], found[1], index + 1)
    if best is None:
        return None
    end = best[3]
    while end < len(row) and row[end].spanned and not is_value_like(row[end].text):
        end += 1
    return best[1], best[2], end


def _figures(row: list[GridCell], start: int, slots: dict[str, int]) -> tuple[list[GridCell | None], str | None]:
    """The figures of one indicator row in column order, and its printed unit: from the
    header's slots where they fit the row, else the figures in the order printed."""
    unit = next((squash(c.text) for c in row[start:] if squash(c.text) in _UNIT_WORDS), None)
    if slots and all(start <= index < len(row) for index in slots.values()):
        return [_figure(row[index]) for index in sorted(slots.values())], unit
    figures = [c for c in row[start:] if not c.spanned and is_value_like(c.text) and squash(c.text) not in _UNIT_WORDS]
    return list(figures[:2]), unit


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


# ── a table carried in the text ─────────────────────────────────────────────────────


def _read_text_table(table: TextTable, read: _Read, stated: dict[str, set], in_grids: set[str]) -> None:
    """Each row's figures into the table's columns. A digit run holding both columns
    (4251516) is split where the evidence leaves one reading: a whole equal to the sum of
    its parts (read after them, as they are printed below it), the figure the prose states
    for the key, then a part never above its whole (其中 rows), then a running total never
    below the year's figure; each constraint is used only if some reading keeps it, since
    a published table may break it. More than one reading left: blank, with a finding."""
    if table.skipped:  # one finding a table, however many rows a form the catalog lacks has
        read.issues.append(Issue("legacy_row_unknown", "warning",
                                 f"rows of the statistics table naming no indicator were skipped "
                                 f"({len(table.skipped)}): {'; '.join(table.skipped)}", table=LEGACY))
    columns = table.columns or _columns_by_figures(table, stated)
    if columns is not None and len(columns) == 2 and _one_figure_a_row(table):
        columns = ("year_value",)
        read.issues.append(Issue("legacy_one_column", "info",
                                 "the statistics table's header names this year and the running total, but every row "
                                 "prints one figure, some a lone 0: each is read as this year's figure",
                                 table=LEGACY))
    if columns is None:
        read.issues.append(Issue("legacy_split_ambiguous", "warning",
                                 "a statistics table without a header runs its figures together: how many columns it "
                                 "has, and in which order, neither its figures nor the prose tell; "
                                 "its rows are left blank",
                                 table=LEGACY))
        return
    wholes_in_doubt = []
    for row in table.rows:
        if row.row.key in in_grids:
            continue
        readings = _readings(row, columns)
        if len(readings) > 1:
            readings = _settle(readings, row.row.key, read, stated)
        if len(readings) > 1 and row.row.key in PARTS_OF:
            wholes_in_doubt.append((row, readings))  # the parts printed below it may settle it
            continue
        _store_reading(row, readings, len(columns), read)
    for row, readings in wholes_in_doubt:
        _store_reading(row, _settle(readings, row.row.key, read, stated), len(columns), read)


def _store_reading(row: TextRow, readings: list[dict[str, str]], columns: int, read: _Read) -> None:
    """The row's one reading stored, or its doubt reported and the row left blank."""
    if len(readings) != 1:
        if row.figures:
            shown = "; ".join(" / ".join(f"{col} {text}" for col, text in r.items()) for r in readings)
            doubt = f"read as {shown}" if readings else f"do not fit the table's {columns} column(s)"
            read.issues.append(Issue("legacy_split_ambiguous", "warning",
                                     f"{row.label}: the figures {' '.join(row.figures)} {doubt}; left blank",
                                     table=LEGACY, row=row.row.key))
        readings = [{}]
    reading = readings[0]
    split = len(row.figures) == 1 and len(reading) > 1
    where = f"{row.position}, split of {row.figures[0]}" if split else row.position
    cells = {col: GridCell(text, position=where) for col, text in reading.items()}
    _store(read, row.row, row.is_part, cells.get("year_value"), cells.get("cumulative"), row.unit)


def _one_figure_a_row(table: TextTable) -> bool:
    """Does every row print one figure, some a lone 0 and none a run opening with 0? Then
    the running-total column is empty: two zero cells run together would print 00, and no
    figure is two cut apart (148 is not 1 / 48)."""
    runs = [row.figures[0] for row in table.rows if row.figures]
    return (all(len(row.figures) <= 1 for row in table.rows) and "0" in runs
            and not any(len(run) > 1 and run[0] == "0" for run in runs))


def _columns_by_figures(table: TextTable, stated: dict[str, set]) -> tuple[str, ...] | None:
    """The columns of a table without a header: where rows print two figures apart, the
    running total is the column never below the other; where every cell stands apart, one
    figure a row is one column. Figures run together vote: a run equal to the prose's figure
    for one column, a cut whose part equals it (and stays below the other) for that order,
    a run opening with 0 (00, 03) for two columns. None where the votes leave it open."""
    apart: list[list[GridCell | None]] = [[GridCell(f) for f in row.figures] for row in table.rows
                                          if len(row.figures) == 2]
    if apart:
        return _column_order({}, apart)
    if not any(row.glued for row in table.rows):
        return ("year_value",)
    votes: Counter[tuple[str, ...] | str] = Counter()
    for row in table.rows:
        run = row.figures[0] if len(row.figures) == 1 else ""
        if not run.isdigit():
            continue
        known = stated.get(row.row.key, set())
        votes["two"] += len(run) > 1 and run[0] == "0"
        votes[("year_value",)] += int(run) in known
        for reading in _readings(row, ("year_value", "cumulative")):
            year, other = int(reading["year_value"]), int(reading["cumulative"])
            votes[("year_value", "cumulative")] += year in known and year <= other
            votes[("cumulative", "year_value")] += other in known and other <= year
    orders = [order for order in (("year_value", "cumulative"), ("cumulative", "year_value")) if votes[order]]
    if votes[("year_value",)] and not orders and not votes["two"]:
        return ("year_value",)
    return orders[0] if len(orders) == 1 and not votes[("year_value",)] else None


def _readings(row: TextRow, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Every way the printed figures fill the columns: one where they are printed apart,
    one per cut of a digit run that holds two cells (no cell but 0 starts with 0)."""
    if len(row.figures) == len(columns):
        return [dict(zip(columns, row.figures, strict=True))]
    run = row.figures[0] if len(row.figures) == 1 else ""
    if len(columns) != 2 or not run.isdigit() or len(run) < 2:
        return []
    cuts = ((run[:k], run[k:]) for k in range(1, len(run)))
    return [dict(zip(columns, cut, strict=True)) for cut in cuts
            if not any(len(part) > 1 and part[0] == "0" for part in cut)]


def _settle(readings: list[dict[str, str]], key: str, read: _Read, stated: dict[str, set]) -> list[dict[str, str]]:
    whole = WHOLE_OF.get(key)
    whole_values = {col: _value_of(read, whole, col) for col in ("year_value", "cumulative")} if whole else {}

    def in_prose(reading: dict[str, str]) -> bool:
        return int(reading["year_value"]) in stated.get(key, set())

    def within_whole(reading: dict[str, str]) -> bool:
        return all(whole_values.get(col) is None or int(text) <= whole_values[col] for col, text in reading.items())

    def ordered(reading: dict[str, str]) -> bool:
        return int(reading["year_value"]) <= int(reading["cumulative"])

    def sum_of_parts(reading: dict[str, str]) -> bool:
        return all(parts_sums.get(col) is None or int(text) == parts_sums[col] for col, text in reading.items())

    parts_sums = {col: _sum_of(read, PARTS_OF.get(key, ()), col) for col in ("year_value", "cumulative")}
    for keep in (sum_of_parts, in_prose, within_whole, ordered):
        kept = [reading for reading in readings if keep(reading)]
        if kept:
            readings = kept
    return readings


def _sum_of(read: _Read, keys: tuple[str, ...], col: str) -> Number | None:
    """The keys' figures added up, where every one was read (a whole is the sum of its parts)."""
    values = [_value_of(read, key, col) for key in keys]
    return sum(values) if values and None not in values else None


def _value_of(read: _Read, key: str, col: str):
    sources = (read.year if col == "year_value" else read.cumulative).get(key, [])
    values = [parse_value(c.text).value for c in sources]
    return sum(values) if values and None not in values else None


# ── the prose ────────────────────────────────────────────────────────────────────────


def _contexts(said: list[Sentence]) -> dict[tuple[int, str], str]:
    """Per (paragraph number, sentence): the sentence with the section heading over it
    (一、… as a paragraph of its own or run into the text), what says what it is about."""
    contexts: dict[tuple[int, str], str] = {}
    section = ""
    for sentence, _, number in said:
        headings = _HEADING.findall(sentence) if "、" in sentence else []  # no heading without its 、
        if headings:
            section = headings[-1]
        contexts[(number, sentence)] = f"{section}。{sentence}"
    return contexts


def _about_disclosure(statements: list[Statement], contexts: dict[tuple[int, str], str],
                      years: set[tuple[str, str]], year: int | None) -> list[Statement]:
    """The statements whose figure is about the key: not on another matter (a hotline, a
    petition office), requests only where the sentence or its section speaks of disclosure
    requests (a service hall's 共受理申请136437件 is not) and not a class of the information
    made (制作政府信息200条…依申请公开30条), complaints only where it speaks of
    disclosure, fees only in money, documents disclosed not counted in accounts (个); a
    figure as of or since a date (截至…, …以来) that the words before it do not give as the
    year's, nor as a running total (`years`: the figures given as the year's), is put in
    doubt, as is one whose nearest year before it is not the report's `year` (2010年度主动公开
    政府信息54条 in a report on 2011: last year's figure, or a misprint)."""
    kept = []
    for statement in statements:
        context = contexts.get((statement.paragraph, statement.sentence), statement.sentence)
        key = statement.key
        if key == "classed" or _OTHER_MATTER.search(statement.clause):
            continue
        if key in _CLASSES and classes_information(statement):
            continue  # a class of the information made, not a request or a reply
        if key == "replies_denied" and statement.counter == "条" and _WITHHELD.search(statement.clause):
            continue  # 不予公开信息有10条: items of information withheld, not requests refused
        if key == "active_website" and _LISTED_WEB.search(statement.clause):
            statement = replace(statement, key="active_total")  # the website one of the channels listed
            key = statement.key
        if key == "active_total" and _OTHER_CHANNEL.search(statement.clause) and not _WEB.search(statement.clause):
            continue  # one channel's share, not the total (named with the website, the channels of the total)
        if key.startswith(_REQUEST_KEYS) and not _REQUESTS.search(context):
            continue
        if key == "complaints" and not _DISCLOSURE.search(context):
            continue
        if key in ("reviews", "lawsuits") and statement.value not in (None, 0) and not _DISCLOSURE.search(context):
            continue  # a legal office's own cases (办理行政复议案件15件); none at all is none about disclosure
        if key == "fees_yuan" and statement.value not in (None, 0) and statement.unit is None:
            continue
        if key.startswith(("active_", "social_")) and statement.counter == _ACCOUNT_COUNT:
            continue
        if key in _WHOLES and _SHARE.match(statement.sentence, _figure_at(statement)):
            continue  # a part of the whole, not the whole
        said = statement.sentence[:_figure_at(statement)]
        as_of = _AS_OF.search(said) if statement.value is not None else None
        if as_of and not (as_of["since"] and statement.value == 0) and not _THE_YEAR.search(said) \
                and not _running(statement, years):  # none since a date (以来没有受理过…) is none this year
            statement = replace(statement, value=None,
                                problem="a figure as of or since a date, not said to be the year's")
        stated_year = _YEAR_NAMED.findall(outside_titles(said))  # not a cited document's year
        if statement.value is not None and year and stated_year and int(stated_year[-1]) != year \
                and not _running(statement, years):
            statement = replace(statement, value=None,
                                problem=f"a figure said to be of {stated_year[-1]}, not of the report's year {year}")
        kept.append(statement)
    return kept


def _figure_at(statement: Statement) -> int:
    """Where the statement's figure stands in its sentence (after the words it is said of)."""
    return statement.sentence.find(statement.clause) + len(statement.clause)


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
                                table=LEGACY, row="active_social_media" if statement.key in _SOCIAL else statement.key))
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


def _social_summed(chosen: dict[str, Statement], paragraphs: list[Paragraph],
                   issues: list[Issue]) -> dict[str, Statement]:
    """微博 and 微信 stated apart add up to active_social_media, unless it is stated whole;
    one stated while the other is named without a figure anywhere in the report (通过微信
    公众号公开183条 … 通过微信公众号和微博进行公开) leaves the sum open, reported."""
    apart = [chosen.pop(key) for key in _SOCIAL if key in chosen]
    if not apart or "active_social_media" in chosen:
        return chosen
    named = {subject.key for subject in PROSE_SUBJECTS if subject.key in _SOCIAL
             and any(subject.fast.search(paragraph.text) for paragraph in paragraphs)}
    unstated = sorted(named - {statement.key for statement in apart})
    if unstated:
        issues.append(Issue("prose_ambiguous", "warning",
                            f"{apart[0].key} is stated as {apart[0].value} but {unstated[0]} is named without a "
                            f"figure, so their sum is open: {apart[0].sentence}",
                            table=LEGACY, row="active_social_media"))
    else:
        first = apart[0]
        chosen["active_social_media"] = Statement(
            # A chosen statement has no problem, and so a value (prose.Statement).
            "active_social_media", sum(cast(Number, s.value) for s in apart),
            " ".join(dict.fromkeys(s.sentence for s in apart)),
            first.page, first.paragraph)
    return chosen


def _a_part(sentence: str, value, whole) -> bool:
    """A smaller figure in a sentence that breaks the whole down (其中…, 占77%) is a part of
    it (区直各部门主动公开政府信息2275条), not a second statement of it."""
    return value is not None and whole is not None and value < whole and bool(_BREAKDOWN.search(sentence))


def _in_row_unit(statement: Statement):
    if statement.value is not None and statement.unit == "万元" and legacy_row(statement.key).unit == "yuan":
        return statement.value * 10000
    return statement.value


def _prose_cell(key: str, statement: Statement, col: str) -> Cell:
    position = f"paragraph {statement.paragraph}" if statement.page is None else \
        f"page {statement.page}, paragraph {statement.paragraph}"
    return Cell(LEGACY, key, col, _in_row_unit(statement), statement.sentence, statement.page, position)
