"""The legacy statistics table where a page's text carries it as running text.

A web archive's or a converter's text keeps the 政府信息公开情况统计表 as one run:
`指标名称 计量单位 年末统计 主动公开信息数 条 6 其中：1．网站公开 条 6 …`, its cells
separated by single spaces or by nothing at all (`主动公开信息数条4251516其中：1.网站公开条
41815092.政府公报公开条77`). The table is found by its labels: at least three rows of the
legacy catalog, each followed only by its unit, its figures and the next row's numbering.
The header before the first label (年末统计; 2016年度 历年累计; 历年累计 2016年度) gives the
columns and their order. Figures printed apart are cells; a digit run that must hold
several cells is kept whole, with the numbering of the next row taken off its end, for the
reader (extractors/legacy.py) to split, which alone knows the constraints that settle it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from xxgk.extractors.grid import Paragraph
from xxgk.extractors.labels import squash
from xxgk.extractors.values import BLANK_MARKS
from xxgk.schemas.legacy import ANY_ROW_NAME, LEGACY_ROWS, ROW_NAMES, UNCOUNTED, LegacyRow, named_row

UNIT_WORDS = ("万元", "人次", "条", "件", "元", "次", "个", "项", "场", "期", "宗", "起", "人", "篇")
# A word runs on through an aside in parentheses, figures and all: 主动公开政府信息数（不同渠道和
# 方式公开相同信息计1条） is one label, its 1 no cell. A numbering （1） holds no other word.
_TOKEN = re.compile(r"(?P<number>\d+(?:[.,，]\d+)*)|(?P<space>\s+)"
                    r"|(?P<word>(?:[^\d\s（]+|（[^（）\s]*[\u4e00-\u9fff][^（）\s]*）|（)+)")
_ORDINAL_MARK = re.compile(r"^[．.、)）]")
_DASH = re.compile(r"——|--|[-—–―─]")  # a blank cell's mark (values.BLANK_MARKS)
_FILLER = re.compile(r"^[其中：:．.、（）()\s]*$")  # between rows: 其中：  1．  （2）
_TRAILING_FILLER = "：:．.、（("  # and white space, with a 其中 before them: 主动公开信息数其中：
_COLUMN_HEAD = re.compile(r"历年累计|累计|年末统计|年末|(?:19|20)\d{2}年度?|本年度?|当年|本期|年度|统计数")
_HEADER_START = re.compile(r"指标名称|指标|统计表")
_HEADER_REACH = 80  # characters before the first label that may hold the header
_MAX_PREFIX = 12  # words before a later label's needle (接受, 受理政府信息公开工作) that still belong to it
_MAX_LABEL = 30  # not counting an aside in parentheses: （不同渠道和方式公开相同信息计1条）
_ASIDE = re.compile(r"（[^（）]*）|\([^()]*\)")
_MIN_ROWS = 3


@dataclass(frozen=True)
class TextRow:
    """One row as printed: its catalog row, its unit and its figures (blank marks kept)."""

    row: LegacyRow
    is_part: bool
    label: str
    unit: str | None
    figures: tuple[str, ...]
    position: str
    glued: bool = False  # a figure touches the word before it: cells may have run together


@dataclass(frozen=True)
class TextTable:
    """A table found in a paragraph; `columns` in printed order (None: no header read)."""

    columns: tuple[str, ...] | None
    rows: tuple[TextRow, ...]
    paragraph: int
    span: tuple[int, int]
    skipped: tuple[str, ...] = ()  # rows whose label names no indicator, as printed (行政复试数 件 0 0)


@dataclass
class _Token:
    kind: str
    text: str
    start: int
    end: int


def text_tables(paragraphs: list[Paragraph]) -> list[TextTable]:
    """Every legacy table the paragraphs' text carries, in reading order."""
    tables = []
    for number, paragraph in enumerate(paragraphs, start=1):
        if len(paragraph.text) >= 20 and _names_rows(paragraph.text):
            tables += _tables_in(paragraph.text, number)
    return tables


def _names_rows(text: str) -> bool:
    """Whether the text names at least as many rows of the catalog as a table has. Each
    row's label holds a needle of its row, and a squashed label is a part of the squashed
    text: a text failing this holds no table, and most of a report's prose is passed by
    before its words are cut and looked up one by one."""
    squashed = squash(text).replace("、", "")
    if ANY_ROW_NAME.search(squashed) is None:  # most paragraphs: one search instead of one a row
        return False
    return sum(1 for names in ROW_NAMES if names.search(squashed)) >= _MIN_ROWS


def without_tables(paragraphs: list[Paragraph], tables: list[TextTable]) -> list[Paragraph]:
    """The paragraphs with the tables' text taken out, so the prose reader never reads a
    table row as a sentence."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for table in tables:
        spans.setdefault(table.paragraph, []).append(table.span)
    out = []
    for number, paragraph in enumerate(paragraphs, start=1):
        text = paragraph.text
        for start, end in sorted(spans.get(number, []), reverse=True):
            text = text[:start] + "。" + text[end:]
        out.append(Paragraph(text, paragraph.page))
    return out


def _tables_in(text: str, paragraph: int) -> list[TextTable]:
    tokens = _tokens(text)
    tables: list[TextTable] = []
    index = 0
    while index < len(tokens):
        found = _anchor(tokens[index], first=True)
        if found is None:
            index += 1
            continue
        rows, skipped, end_index, end = _rows_from(tokens, index, paragraph)
        if len({row.row.key for row in rows}) >= _MIN_ROWS:
            header = text[max(0, tokens[index].start - _HEADER_REACH):tokens[index].start] + found[3]
            tables.append(TextTable(_columns(header), tuple(rows), paragraph, (tokens[index].start, end),
                                    tuple(text[a:b].strip() for a, b in skipped)))
        index = max(end_index, index + 1)  # a table starting inside a run too short would be shorter still
    return tables


@cache
def _label_after_unit() -> re.Pattern[str]:
    """Where a unit ends and a label begins: rows whose cells are blank run together
    (…新闻发布会次数次政务微博、微信公开数条…) and are cut apart there, before a catalog
    label, or before any words where a label's last word (…数, …金额) and its unit end the
    blank row (…公开数条受理依申请公开信总数件: a row the catalog does not know follows,
    whose figures are not the blank row's)."""
    needles = sorted({n for row in LEGACY_ROWS for n in (*row.needles, *row.parts)}, key=len, reverse=True)
    units = "".join(sorted({unit[-1] for unit in UNIT_WORDS}))
    labels = "|".join("、?".join(map(re.escape, n)) for n in needles)
    # The unit's character is matched, not looked behind at: a pattern that opens with a
    # class is skipped along the text at the speed of a character search.
    return re.compile(rf"[{units}](?:(?={labels})|(?<=[数额][{units}])(?=[^\d\s其：:．.、，,。；;（()）]))")


def _tokens(text: str) -> list[_Token]:
    """The paragraph's figures, white space and words, a word cut where rows run together:
    at a unit before a label (in a word of four characters or more), and around a blank
    cell's dash (`二、回应解读情况——（一）…`: a heading's two blank cells, then a row). The
    cuts are found once in the whole text rather than word by word: a word ends at a digit
    or a space, which neither pattern crosses."""
    dashes = [edge for m in _DASH.finditer(text) for edge in m.span()]
    after_units = [m.end() for m in _label_after_unit().finditer(text)]
    tokens = []
    for m in _TOKEN.finditer(text):
        kind, start, end = m.lastgroup or "", m.start(), m.end()
        cuts = []
        if kind == "word":
            cuts = _within(dashes, start, end) + (_within(after_units, start, end) if end - start >= 4 else [])
        edges = sorted({start, end, *cuts}) if cuts else (start, end)
        tokens += [_Token(kind, text[a:b], a, b) for a, b in pairwise(edges)]
    return tokens


def _within(positions: list[int], start: int, end: int) -> list[int]:
    """The sorted positions strictly between start and end."""
    return positions[bisect_right(positions, start):bisect_left(positions, end)]


def _anchor(token: _Token, first: bool) -> tuple[LegacyRow, bool, str, str] | None:
    """(catalog row, is part, label, text before the label) when a word names a row: the
    first row of a table may carry the header glued before it, a later one only numbering."""
    if token.kind != "word":
        return None
    word = token.text
    label = _without_unit(word)[0]
    squashed = squash(label).replace("、", "").removeprefix("其中").lstrip(".)）")
    if not squashed:
        return None
    found = named_row(squashed)
    if found is None:
        return None
    row, is_part, start, _ = found
    if len(_ASIDE.sub("", squashed[start:])) > _MAX_LABEL or (not first and start > _MAX_PREFIX):
        return None
    before = squashed[:start] if first else ""
    return row, is_part, squashed[start:] if first else squashed, before


def _without_unit(word: str) -> tuple[str, str | None]:
    word = _without_trailing_filler(word) or word
    if not word.endswith(UNIT_WORDS):  # most words: one call, not one per unit (a unit alone ends with itself)
        return word, None
    for unit in UNIT_WORDS:
        if word.endswith(unit) and len(word) > len(unit):
            return word[:-len(unit)], unit
    return (word, None) if word not in UNIT_WORDS else ("", word)


def _without_trailing_filler(word: str) -> str:
    """The word without the filler it ends on, by hand: a regex anchored at the end is
    tried from every character of the word, and this runs on every word of the page."""
    end = len(word)
    while end and (word[end - 1] in _TRAILING_FILLER or word[end - 1].isspace()):
        end -= 1
    return word[:end - 2] if word.endswith("其中", 0, end) else word[:end]


def _rows_from(tokens: list[_Token], index: int, paragraph: int
               ) -> tuple[list[TextRow], list[tuple[int, int]], int, int]:
    """The rows from the anchor at `index` on, while only figures, units and numbering
    stand between labels; the spans of rows skipped because their label names no
    indicator; the token index and text offset where the table ends."""
    rows: list[TextRow] = []
    skipped: list[tuple[int, int]] = []
    anchor = _anchor(tokens[index], first=True)
    end = tokens[index].end
    ordinal = 0
    under_unknown = False  # in a 其中 list under a skipped row: its parts are that row's, not their key's
    while anchor is not None:
        row, is_part, label, _ = anchor
        unit = _without_unit(tokens[index].text)[1]
        row_start, opens_list = tokens[index].start, False
        figures: list[str] = []
        glued = touching = False  # the last figure, any figure touches the word before it (条4181509)
        index += 1
        next_anchor = None
        while index < len(tokens):
            token = tokens[index]
            if token.kind == "number":
                glued = tokens[index - 1].kind == "word" and not _FILLER.match(tokens[index - 1].text)
                touching = touching or glued
                figures.append(token.text)
                end = token.end
            elif token.kind == "word":
                text = token.text
                if figures and tokens[index - 1].kind == "number" and text.startswith(UNIT_WORDS):
                    return rows, skipped, index, end  # a count with its unit after it (申请4条): prose, not a table
                next_anchor = _anchor(token, first=False)
                numbered = _ORDINAL_MARK.match(text) is not None
                if numbered and figures and tokens[index - 1].kind == "number":
                    ordinal = _take_ordinal(figures, glued, ordinal)
                elif next_anchor is not None and _number_without_mark(tokens, index):
                    figures.pop()  # 其中：1同意公开答复数: the next row's number, printed without its mark
                    ordinal += 1
                if next_anchor is not None:
                    break
                if text in UNIT_WORDS and unit is None and not figures:
                    unit, end = text, token.end
                elif text in BLANK_MARKS:
                    figures.append(text)
                    end = token.end
                elif _FILLER.match(text):
                    ordinal = 0 if "其中" in text else ordinal
                elif (after := _after_unknown_rows(tokens, index)) is not None:
                    following, reported, row_end = after
                    skipped += [(tokens[a].start, tokens[b - 1].end) for a, b in reported]
                    index, next_anchor = following, _anchor(tokens[following], first=False)
                    numbering = [t.text for t in tokens[row_end:following] if t.kind == "number"]
                    ordinal = int(numbering[-1]) if numbering and len(numbering[-1]) <= 2 else ordinal
                    opens_list = any("其中" in t.text for t in tokens[row_end:following])
                    break
                else:
                    break
            index += 1
        if is_part and under_unknown:
            skipped.append((row_start, end))  # 拒绝提供 件 4 其中：1．信息不存在 件 2: a ground of that row
        else:
            rows.append(TextRow(row, is_part, label, unit, tuple(figures),
                                f"paragraph {paragraph}, row {len(rows) + 1}", touching))
        under_unknown = opens_list or (under_unknown and is_part)  # a row not a part closes the list
        anchor = next_anchor
    return rows, skipped, index, end


def _after_unknown_rows(tokens: list[_Token], index: int) -> tuple[int, list[tuple[int, int]], int] | None:
    """Where the next row starts when the word at `index` opens rows whose labels name no
    indicator (misprinted, 行政复试数; one the catalog lacks; a section's heading): each a
    short label, then its cells (figures, units, blank marks), perhaps the next row's
    numbering (其中：1．), up to a row's label. Also the token spans of the rows to report
    (those printing a figure, unless the catalog knows they carry no key: UNCOUNTED) and
    where the last one's numbering starts. Anything else (the signature, a sentence) ends
    the table."""
    reported: list[tuple[int, int]] = []
    start = index
    while True:
        label = _without_unit(tokens[start].text)[0]
        if not 2 <= len(_ASIDE.sub("", squash(label))) <= _MAX_LABEL or any(mark in label for mark in "。，；"):
            return None
        figures = cells = 0
        row_end = None  # the numbering of the next row is not the skipped row's
        following = start + 1
        while following < len(tokens):
            token = tokens[following]
            numbering = token.kind == "number" and following + 1 < len(tokens) and \
                _ORDINAL_MARK.match(tokens[following + 1].text) is not None
            if token.kind == "number" and not numbering:
                figures, cells = figures + 1, cells + 1
            elif numbering or (token.kind == "word" and _FILLER.match(token.text) and cells):
                row_end = row_end or following
                figures += numbering and len(token.text) > 1  # 13．: a cell 1 run into row 3
            elif token.text in BLANK_MARKS:
                cells += 1
            elif token.kind != "space" and token.text not in UNIT_WORDS:
                break
            following += 1
        if following == len(tokens) or not (cells or row_end):
            return None
        if figures and not any(fragment in squash(label) for fragment in UNCOUNTED):
            reported.append((start, row_end or following))
        if _anchor(tokens[following], first=False) is not None:
            return following, reported, row_end or following
        start = following


def _number_without_mark(tokens: list[_Token], index: int) -> bool:
    """Is the number before the label at `index` that label's row number, printed without
    its mark (其中：1同意公开答复数)? So it is when it touches the label and follows a filler
    (其中：), not a figure."""
    number = tokens[index - 1]
    if number.kind != "number" or number.end != tokens[index].start or len(number.text) > 2:
        return False
    before = index - 2
    while before >= 0 and tokens[before].kind == "space":
        before -= 1
    return before >= 0 and tokens[before].kind == "word" and _FILLER.match(tokens[before].text) is not None


def _take_ordinal(figures: list[str], glued: bool, last: int) -> int:
    """Take the next row's number (2 in `条41815092．政府公报公开`, in `条130 3492、政府公报`,
    in `条 0 02．` where a cell 0 touches it, or a `2` printed apart) off the figures; it is
    the one after the previous row's, else a single digit. No row is numbered 02: where
    the number expected is 2, `02` is a cell 0 and the number."""
    run = figures[-1]
    expected = str(last + 1)
    if not glued or len(run) == 1:
        zero_and_number = len(run) == 2 and run[0] == "0" and run[1:] == expected
        if run.isdigit() and len(run) <= 2 and not zero_and_number:
            figures.pop()
            return int(run)
        if run.isdigit() and len(run) > len(expected) and run.endswith(expected):
            figures[-1] = run[:-len(expected)]
            return int(expected)
        return last
    ordinal = expected if run.endswith(expected) and len(run) > len(expected) else run[-1]
    figures[-1] = run[:-len(ordinal)]
    return int(ordinal)


def _columns(header: str) -> tuple[str, ...] | None:
    """The figure columns the header names, in order: a year (2016年度, 本年, 年末统计)
    or the running total (历年累计)."""
    text = squash(header)
    starts = list(_HEADER_START.finditer(text))
    if starts:
        text = text[starts[-1].end():]
    columns: list[str] = []
    for match in _COLUMN_HEAD.finditer(text):
        column = "cumulative" if "累计" in match.group() else "year_value"
        if column not in columns:
            columns.append(column)
    return tuple(columns) or None
