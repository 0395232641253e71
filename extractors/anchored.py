"""Tables printed as a stream of text, read against the template: `行政规范性文件6233440`
is 62 | 33 | 440.

Web archivers, HTML-to-text conversions and copy-pasted pages keep a report's text but
lose its cells: the whole report stands on a few lines, cells separated by single spaces,
by ideographic spaces, by unit words (`1个246900元`) or by nothing at all, and several
habits mix in one table (`10 0 0 0 01` is 1 | 0 | 0 | 0 | 0 | 0 | 1). This module reads
such a stream anchored on the template's labels in order rather than on a layout:

* each table from its numbered heading (二、主动公开政府信息情况) to the next, the heading
  found even when misprinted by a character added, dropped or changed;
* a label or heading broken by white space where its cell wrapped (`2.其他法律行 政法规禁止
  公开`) read whole: white space between two ideographs never stands between figures;
* each row where one of its needles is followed, after at most its own label's remaining
  text, by a run of figures: digit tokens and blank marks (`—`) separated only by white
  space or unit words (a sub-item's number glued to the run's end, as in `30000035.属于…`,
  is the next row's); a row whose label names nothing, by its place between two rows
  found; a row whose label runs into the next row's or section's, as blank; table 4 as one
  run of 15 figures when its rows are not labelled;
* a run is cut into the row's figures: a separator always separates two figures, a token
  may hold several run together, each figure plausible (no leading zeros in a multi-digit
  count, decimals only in money columns, thousands grouped by threes; full-width digits
  read as ASCII). A money unit after the run (`63730100元`) stays with its last figure.
  The document's habits count: where no token needs cutting a token is one figure
  (`_spaced`), and where blank cells are printed as nothing a row that can hold fewer
  figures than columns is not cut (`_blanks_unprinted`); a run of as many digits as
  columns has one cut. The table's own identities decide between
  cuts: each row's total, then the column identities (balance, results_sum) across the
  rows still in doubt. A unique cut gives the
  figures; several are listed (the normalizer may still settle them by the narrative),
  none is reported: never a silent guess.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from xxgk.extractors.labels import item, squash
from xxgk.schemas.catalog import APPLICATIONS, REVIEW, TEMPLATES, Row, Table, Template
from xxgk.schemas.checks import Identity, identities

# A figure's digits, or a blank mark (a blank cell: `规章 — 0 3`, `0—4`); a hyphen or a slash
# is one only standing alone between spaces, as it is also a sign and a word's separator.
# 无 ("none") is one too, but not where it opens a row's label (（四）无法提供, 4.无正当理由…).
# A date (2021年, 2021 年, 12月) is no figure. A year is four digits: where the paragraph
# after a table opens with one, glued to the table's last figure (行政事业性收费02025年，我局…),
# the figure ends four digits before the 年 and the year is the paragraph's.
_DATE_UNIT = r"[ \t\u3000\xa0]{0,3}[年月日]"
_YEAR = r"(?:19|20)\d\d[ \t\u3000\xa0]{0,3}年"
_FIGURE_CHAR = r"(?:[\d\-−]|\.(?=\d)|,(?=\d{3}))"
# A figure starts where no run of figure characters goes on: after a date was refused, the
# search does not start it again inside the same digits (which made a long run cost its square).
_NOT_INSIDE = r"(?<!\d)(?<!\d[.\-−])(?!(?<=\d,)\d{3})"
_TOKEN = re.compile(rf"{_NOT_INSIDE}[-−]?\d(?:(?>{_FIGURE_CHAR}*)(?!{_DATE_UNIT})"
                    rf"|(?:(?!{_YEAR}){_FIGURE_CHAR})*+(?<=\d)(?={_YEAR}))"  # or a figure glued to a year
                    r"|[—–－]{1,2}|(?<!\S)[-/／]{1,2}(?!\S)|无(?!法|正当)")
_GROUPED = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+")  # 1,234,567: a figure's thousands, never two figures
# Full-width digits and decimal point as ASCII, character for character, so that offsets hold.
_ASCII_FIGURES = str.maketrans("０１２３４５６７８９．", "0123456789.")
# A full-width hyphen before a digit reads as the ASCII one would (a sign, or a blank mark
# the cuts must decide); before anything else it stays a blank mark.
_FULL_WIDTH_SIGN = re.compile(r"－(?=\d)")
_FULL_WIDTH_GROUP = re.compile(r"(?<=\d)，(?=\d{3})")  # １，８０７: thousands, as the ASCII comma
# A change written with a sign word between two cells (行政事业性收费16减12, 行政许可0+11): 减
# is the minus of the figure after it, 增 and + only part the cells.
_SIGN_WORD = re.compile(r"(?<=[\d ])[增减+＋](?=\d)")
_SIGNS = str.maketrans({"减": "-", "增": " ", "+": " ", "＋": " "})
_BLANK_MARK = re.compile(r"[-—–－/／]{1,2}|无")
# Words of ideographs and full-width punctuation with white space inside: a label whose cell
# wrapped, or one printed a character at a time (三 、 本 年 度 办 理 结 果).
_IDEOGRAPHS = "\u3400-\u9fff“”‘’（）、，：；"
_BROKEN_WORDS = re.compile(  # from a word's start only, and never backing up: linear in the text
    f"(?<![{_IDEOGRAPHS}])[{_IDEOGRAPHS}]++(?:[ \t\u3000\xa0]++[{_IDEOGRAPHS}]++)+")
# What may stand between two figures of one row: white space, or a unit word printed after a figure.
_MONEY_UNIT = re.compile(r"万元|元")
_BETWEEN_FIGURES = re.compile(r"(?:万元|[元个件条项])?[ \t\u3000\xa0]*")
_NUMBERING_AFTER = re.compile(r"[.、．][^\d]")
_NUMBER_BEFORE = re.compile(r"\d[.、．]\s*\Z")  # searched up to a label: it is numbered as a sub-item
_ITEM_NUMBER = re.compile(r"[一二三四五六七八九十]、|[（(][一二三四五六七八九十]+[）)]|\d[.、．](?!\d)")
_MAX_STEPS = 20_000  # cuts tried per run: a bound on time for hostile input
_MAX_FIGURE_CHARS = 12  # no count or sum in a report has more: a longer run is not a row's figures
_MAX_COMBINATIONS = 4096  # joint choices across rows in doubt
_MAX_LISTED = 12
_MAX_TOKENS = 64  # tokens collected into one run (table 4's line has 15 figures)
_MAX_NUMBERED = 200  # numbered lines compared with a misprinted heading: a bound for hostile text
_NUMERALS = "一二三四五六七八九十"
# Per (table, row) label needles, keyed by the table's identity (and holding the table, so a
# key is never another table's): hashing a frozen Table hashes all its rows on every lookup.
_OTHERS: dict[tuple[int, str], tuple[Table, tuple[str, ...]]] = {}
_LATER: dict[tuple[int, str], tuple[Table, tuple[str, ...]]] = {}


@dataclass(frozen=True)
class Run:
    """A run of figures as printed (`digits`, separators included), where it stands in the
    text, and its tokens: the digit strings a separator kept apart."""

    digits: str
    start: int
    end: int
    tokens: tuple[str, ...] = ()
    unit: str = ""  # 元 or 万元 printed right after the last figure (行政事业性收费63730100元)

    def __post_init__(self) -> None:
        if not self.tokens:
            object.__setattr__(self, "tokens", (self.digits,))


@dataclass
class TableRuns:
    table: Table
    start: int = 0  # the table's span of the text: after its heading, up to the next one
    end: int = 0
    rows: dict[str, Run] = field(default_factory=dict)  # row key → its run
    line: Run | None = None  # table 4 as one unlabelled run
    labels: dict[str, int] = field(default_factory=dict)  # row key → where its label stands
    misprinted: dict[str, str] = field(default_factory=dict)  # row key → its label as printed, when not the template's
    blank: set[str] = field(default_factory=set)  # rows printed with a label and no figure at all
    layout: str | None = None  # the other template whose columns the table prints instead of its own: not read


@dataclass(frozen=True)
class Reading:
    """What a run says: `figures` when one split is plausible, else the candidates (none:
    unreadable, several: ambiguous)."""

    run: Run
    figures: tuple[str, ...] | None
    candidates: tuple[tuple[str, ...], ...] = ()
    too_many: bool = False
    blanks_unplaced: bool = False  # a row that may hide a blank cell, in a text that prints them as nothing


# ── finding the runs ───────────────────────────────────────────────────────────────


def find_tables(text: str, template: Template) -> list[TableRuns]:
    """The template's tables printed in `text` as a stream; a table counts only where a
    labelled row (with figures or blank) or table 4's line of figures follows its numbered
    heading."""
    found = []
    for table, start, end in _spans(text, template):
        runs = TableRuns(table, start, end, layout=_other_layout(text[start:end], table, template))
        if runs.layout is not None:
            found.append(runs)
            continue
        cursor = start
        for row in table.printable_rows:
            if (located := _row_run(text, cursor, end, row, table)) is not None:
                runs.labels[row.key], runs.rows[row.key] = located
                cursor = located[1].end
            elif (label_end := _blank_row(text, cursor, end, row, table)) is not None:
                runs.blank.add(row.key)
                runs.labels[row.key] = cursor = label_end
        _fill_gaps(text, runs)
        if not runs.rows and table.key == REVIEW and (first := _run_at(text, start, end)) is not None:
            runs.line = first
        if runs.rows or runs.line or runs.blank:
            found.append(runs)
    return found


def _other_layout(printed: str, table: Table, template: Template) -> str | None:
    """The other template whose columns of this table the text prints, and none of this
    template's own (a 2021 report whose table 二 keeps the 2019 columns 上一年项目数量,
    本年增/减): its figures mean other things than this template's cells."""
    words = squash(printed)
    for other in (t for t in TEMPLATES.values() if t is not template):
        own, theirs = _distinct_columns(template.name, other.name, table.key)
        if any(n in words for n in theirs) and not any(n in words for n in own):
            return other.name
    return None


@lru_cache(maxsize=16)
def _distinct_columns(name: str, other: str, table_key: str) -> tuple[frozenset[str], frozenset[str]]:
    """The column needles of a table that only `name`'s template prints, and those only `other`'s."""
    def needles(template: str) -> frozenset[str]:
        return frozenset(n for c in TEMPLATES[template].table(table_key).columns for n in c.needles)
    return needles(name) - needles(other), needles(other) - needles(name)


def _spans(text: str, template: Template) -> list[tuple[Table, int, int]]:
    """(table, start, end): from the end of each numbered heading to the next heading, or
    to the next section's numeral for the last table."""
    starts = []
    for table in template.tables:
        if (found := find_heading(text, table.number, table.heading)) is not None:
            starts.append((*found, table))
    starts.sort(key=lambda s: s[0])
    spans = []
    for i, (start, after, table) in enumerate(starts):
        if i + 1 < len(starts):
            end = starts[i + 1][0]
        else:  # the numeral after the heading's own, as printed (sections may be numbered on)
            printed = text[start] if text[start] in _NUMERALS else table.number
            following = _NUMERALS[_NUMERALS.index(printed) + 1]
            next_section = re.compile(rf"{following}\s*[、.．]").search(text, after)
            end = next_section.start() if next_section else len(text)
        spans.append((table, after, end))
    return spans


def find_heading(text: str, number: str, heading: str) -> tuple[int, int] | None:
    """(start, end) of the numbered heading `number、heading` in `text`: as printed, else the
    first numbered line whose words are the heading's with one character added, dropped or
    changed (a misprint, not another section: the other sections' words differ by far more),
    else the heading's words under another numeral (a report that added a section before it:
    三、主动公开政府信息情况)."""
    if (match := _heading(number, heading).search(text)) is not None:
        return match.start(), match.end()
    for numbered in _numbered_lines(text, number):
        at = numbered.end()
        for length in (len(heading), len(heading) - 1, len(heading) + 1):
            words = text[at:at + length]
            if _within_one(words, heading):
                return numbered.start(), at + length
    for numbered in _numbered_lines(text, number):
        if (reach := _words_around(text[numbered.end():numbered.end() + 2 * len(heading)], heading)) is not None:
            return numbered.start(), numbered.end() + reach
    if (match := _heading(f"[{_NUMERALS}]", heading).search(text)) is not None:
        return match.start(), match.end()
    return None


@lru_cache(maxsize=32)
def _heading(number: str, heading: str) -> re.Pattern[str]:
    return re.compile(rf"{number}\s*[、.．]\s*" + r"\s*".join(map(re.escape, heading)))


def _numbered_lines(text: str, number: str) -> Iterator[re.Match[str]]:
    """The places `number、` is printed, the first _MAX_NUMBERED only: a bound for hostile text."""
    return itertools.islice(_numbered(number).finditer(text), _MAX_NUMBERED)


@lru_cache(maxsize=32)
def _numbered(number: str) -> re.Pattern[str]:
    return re.compile(rf"{number}\s*[、.．]\s*")


def _words_around(printed: str, heading: str) -> int | None:
    """How far the heading's characters reach, in order, in the words printed before any
    figure (因政府信息公开工作被申请行政复议、提起行政诉讼情况 holds 政府信息公开行政复议、
    行政诉讼情况 with words added); None where they do not all."""
    words = re.split(r"\d", printed, maxsplit=1)[0]
    at = 0
    for char in heading:
        at = words.find(char, at) + 1
        if not at:
            return None
    return at


def _within_one(printed: str, expected: str) -> bool:
    """One character added, dropped or changed at most (and the rest in order)."""
    if abs(len(printed) - len(expected)) > 1:
        return False
    if len(printed) == len(expected):
        return sum(a != b for a, b in zip(printed, expected, strict=True)) <= 1
    shorter, longer = sorted((printed, expected), key=len)
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))


def _fill_gaps(text: str, runs: TableRuns) -> None:
    """A row whose label names nothing (misprinted, words dropped or changed) is the row
    the template puts there when its neighbours were found (or it is the table's first or
    last row and the one after or before it was), exactly one run of figures stands
    between them, and the words printed just before that run share at least half of the
    row's label: the order of the template is the anchor."""
    table = runs.table
    replaced = {key for variant in table.variants if variant.key in runs.rows for key in variant.replaces}
    rows = table.rows
    for index, row in enumerate(rows):
        before = rows[index - 1] if index else None
        after = rows[index + 1] if index + 1 < len(rows) else None
        if row.key in runs.rows or row.key in replaced or row.key in runs.blank:
            continue
        if (before is not None and before.key not in runs.rows) or (after is not None and after.key not in runs.rows):
            continue
        start = runs.rows[before.key].end if before is not None else runs.start
        stop = runs.labels[after.key] if after is not None else runs.end
        between = _runs_between(text, start, stop)
        if len(between) != 1:
            continue
        printed = text[start:between[0].start][-(len(row.label) + 4):]
        if numbered := list(_ITEM_NUMBER.finditer(printed)):  # from the row's own number on
            printed = printed[numbered[-1].start():]
        if _resembles(item(printed), item(row.label)):
            runs.rows[row.key], runs.labels[row.key] = between[0], between[0].start - len(printed)
            runs.misprinted[row.key] = printed.strip()


def _runs_between(text: str, start: int, stop: int) -> list[Run]:
    """Every run of figures in text[start:stop] (a sub-item's number is none)."""
    found = []
    while (token := _TOKEN.search(text, start, stop)) is not None:
        run = _run_at(text, token.start(), stop)
        if run is None:
            start = token.end()
            continue
        found.append(run)
        start = run.end
    return found


def _resembles(printed: str, expected: str) -> bool:
    """At least half of the expected label's characters, in order, and not much more."""
    if not printed or len(printed) > 2 * len(expected) + 4:
        return False
    previous = [0] * (len(expected) + 1)
    for ch in printed:
        current = [0]
        for j, other in enumerate(expected):
            current.append(previous[j] + 1 if ch == other else max(previous[j + 1], current[j]))
        previous = current
    return 2 * previous[-1] >= len(expected)


def _row_run(text: str, start: int, end: int, row: Row, table: Table) -> tuple[int, Run] | None:
    """Where the row's label stands and the first run after `start` that follows one of its
    needles, with nothing between them but the rest of the row's own label (no label of
    another row or column)."""
    for needle in sorted(row.needles, key=len, reverse=True):
        position = start
        while (at := text.find(needle, position, end)) >= 0:
            position = at + 1
            # A run further on than the rest of the label is not this row's: the search for
            # it stops there, so a needle printed many times does not rescan the text after it.
            run = _run_at(text, at + len(needle), end, first_by=at + len(needle) + len(row.label))
            if run is None:
                continue
            between = text[at + len(needle):run.start]
            if any(other in between for other in _other_labels(table, row.key)):
                continue
            return at, run
    return None


def _blank_row(text: str, start: int, end: int, row: Row, table: Table) -> int | None:
    """Where the row's label ends when it is printed with no figure before the next label
    or the table's end (blank cells printed as nothing, the label running into the next
    row or section); None when the row is not printed so."""
    if table.key == REVIEW:
        return None  # its header names its rows too: a blank row there is read from the line of 15
    later = _later_rows(table, row.key)
    for needle in sorted(row.needles, key=len, reverse=True):
        if (at := text.find(needle, start, end)) < 0:
            continue
        if len(needle) <= 2 and not _NUMBER_BEFORE.search(text, max(0, at - 16), at):
            continue  # a generic word (其他, 总计) is evidence of the row only numbered as a sub-item (3.其他)
        after = at + len(needle)
        token = _TOKEN.search(text, after, end)
        if token is None:
            return after
        if any(n in text[after:token.start()] for n in later) or _ITEM_NUMBER.search(text, after, token.start()):
            return after  # the next row's label, or its number, comes before any figure
        if (len(row.columns) > 1 and row not in table.variants and len(token.group()) <= 2
                and _NUMBERING_AFTER.match(text, token.end())):
            return after  # the next sub-item's number (…政府信息公开申请3.其他): no figure of a row this wide
    return None


def _later_rows(table: Table, row_key: str) -> tuple[str, ...]:
    """Needles (of three characters or more) of the rows printed after this one."""
    table_seen, found = _LATER.get((id(table), row_key), (None, ()))
    if table_seen is not table:
        keys = [r.key for r in table.printable_rows]
        found = tuple(n for r in table.printable_rows[keys.index(row_key) + 1:] for n in r.needles if len(n) >= 3)
        _LATER[(id(table), row_key)] = (table, found)
    return found


def _run_at(text: str, start: int, end: int, first_by: int | None = None) -> Run | None:
    """The first run of figures in text[start:end] (starting at `first_by` at the latest):
    digit tokens with only white space or a unit word between them. A sub-item number glued
    to its end (`…0002.其他`) is the next row's and left out."""
    first = _TOKEN.search(text, start, end if first_by is None else min(end, first_by + 1))
    if first is not None and first_by is not None:  # read whole what the search's stop cut short
        first = _TOKEN.match(text, first.start(), end)
    if first is None:
        return None
    tokens = [first.group()]
    last = first
    while len(tokens) <= _MAX_TOKENS:  # more than any row's columns: the run is unreadable anyway
        gap = _BETWEEN_FIGURES.match(text, last.end(), end)
        following = _TOKEN.match(text, gap.end(), end) if gap else None
        if gap is None or following is None or (gap.end() == last.end() and not (
                _BLANK_MARK.fullmatch(following.group()) or _BLANK_MARK.fullmatch(last.group()))):
            break
        tokens.append(following.group())
        last = following
    run_end = last.end()
    if _NUMBERING_AFTER.match(text, run_end):  # the next sub-item's number is glued on
        tokens[-1] = tokens[-1][:-1]
        run_end -= 1
        if not tokens[-1] or re.fullmatch(r"[-−]", tokens[-1]):
            tokens.pop()
            run_end = last.start()
    if not tokens:
        return None
    printed = text[first.start():run_end].rstrip(" \t\u3000\xa0")
    unit = _MONEY_UNIT.match(text, run_end, end) if run_end == last.end() else None
    return Run(printed, first.start(), first.start() + len(printed), tuple(tokens), unit.group() if unit else "")


def _other_labels(table: Table, row_key: str) -> tuple[str, ...]:
    """Needles of the table's other rows and of its columns that a label's own text never holds."""
    table_seen, found = _OTHERS.get((id(table), row_key), (None, ()))
    if table_seen is not table:
        needles = {n for r in table.printable_rows if r.key != row_key for n in r.needles}
        needles |= {n for c in table.columns for n in c.needles}
        found = tuple(n for n in needles if len(n) >= 3)
        _OTHERS[(id(table), row_key)] = (table, found)
    return found


# ── splitting the runs ─────────────────────────────────────────────────────────────


def read_tables(text: str, template: Template) -> list[tuple[TableRuns, dict[str, Reading]]]:
    """Every table of `text` printed as a stream, with each row's reading."""
    ascii_figures = _FULL_WIDTH_GROUP.sub(",", _FULL_WIDTH_SIGN.sub("-", text.translate(_ASCII_FIGURES)))
    ascii_figures = _SIGN_WORD.sub(lambda sign: sign.group().translate(_SIGNS), ascii_figures)
    tables = find_tables(_BROKEN_WORDS.sub(_joined, ascii_figures), template)
    spaced = _spaced(tables)
    blanks_unprinted = spaced or _blanks_unprinted(tables)
    return [(runs, read_runs(runs, spaced, blanks_unprinted)) for runs in tables]


def _joined(words: re.Match[str]) -> str:
    """The words without the white space inside them, moved before them (a label stays
    right before its figures): every offset outside the words stays as it was, so runs
    keep their place in the text as given."""
    printed = words.group()
    joined = "".join(printed.split())
    return " " * (len(printed) - len(joined)) + joined


def _blanks_unprinted(tables: list[TableRuns]) -> bool:
    """Does this document print blank cells as nothing? So it does when a row holds fewer
    digits and blank marks than it has columns: then any row that can hold fewer figures
    than columns may hide a blank cell at any separator, and no cut of it is certain."""
    def columns(runs: TableRuns, key: str | None) -> int:
        return sum(len(r.columns) for r in runs.table.rows) if key is None else len(runs.table.row(key).columns)

    runs = [(run, columns(t, key)) for t in tables
            for key, run in (*t.rows.items(), *([(None, t.line)] if t.line else []))]
    return any(sum(map(len, run.tokens)) < width for run, width in runs if width > 1)


def _spaced(tables: list[TableRuns]) -> bool:
    """Does a separator stand between every two cells of this document? So it does when its
    runs hold several tokens and no token is a figure only once cut (a leading zero: `00`,
    `01`, `0000000`): then a token is one figure, never several run together, and a row with
    fewer tokens than columns printed its blank cells as nothing."""
    runs = [run for t in tables for run in (*t.rows.values(), *([t.line] if t.line else []))]
    tokens = [token for run in runs for token in run.tokens if not _BLANK_MARK.fullmatch(token)]
    return any(len(run.tokens) > 1 for run in runs) and all(
        _plausible(token, True, True) for token in tokens)


def read_runs(runs: TableRuns, spaced: bool = False, blanks_unprinted: bool = False) -> dict[str, Reading]:
    """Row key → reading: each row split alone under its own total, then the rows still in
    doubt settled together by the column identities where exactly one choice satisfies them.
    `spaced`: a token is one figure; `blanks_unprinted`: a row that can hold fewer figures
    than columns may hide blank cells anywhere, so it is not cut."""
    table = runs.table
    if runs.line is not None:
        return _read_line(table, runs.line, spaced, blanks_unprinted)
    readings = {key: _read_row(table, table.row(key), run, spaced, blanks_unprinted)
                for key, run in runs.rows.items()}
    return _settle(table, readings)


def _read_row(table: Table, row: Row, run: Run, spaced: bool = False, blanks_unprinted: bool = False) -> Reading:
    columns = [table.column(c) for c in row.columns]
    if sum(map(len, run.tokens)) > len(columns) * _MAX_FIGURE_CHARS:
        return Reading(run, None, too_many=True)
    if blanks_unprinted and _fewest_figures(run.tokens) < len(columns):
        return Reading(run, None, blanks_unplaced=True)
    if (forced := _one_digit_a_column(run, len(columns), spaced)) is not None:
        return Reading(run, forced)
    shapes = tuple((c.unit != "count", c.signed) for c in columns)
    has_total = row.columns[-1] == "total"
    found, complete = _cut(run.tokens, shapes, has_total, [_MAX_STEPS], spaced)
    if has_total and not (spaced and len(found) == 1):
        # The total decides between cuts; a cut the separators leave unique stands as
        # published, and a total it breaks is validation's finding.
        found = [figures for figures in found if _adds_up(figures)]
    if len(found) == 1 and complete:
        return Reading(run, found[0])
    return Reading(run, None, tuple(found), too_many=not complete)


def _read_line(table: Table, run: Run, spaced: bool = False, blanks_unprinted: bool = False) -> dict[str, Reading]:
    """Table 4 as one run: three rows of five, each adding up to its total."""
    width = len(table.rows[0].columns)
    shapes = tuple((False, False) for _ in range(width * len(table.rows)))
    if sum(map(len, run.tokens)) > len(shapes) * _MAX_FIGURE_CHARS:
        return {row.key: Reading(run, None, too_many=True) for row in table.rows}
    if blanks_unprinted and _fewest_figures(run.tokens) < len(shapes):
        return {row.key: Reading(run, None, blanks_unplaced=True) for row in table.rows}
    budget = [_MAX_STEPS]
    if (forced := _one_digit_a_column(run, len(shapes), spaced)) is not None:
        options, complete = [tuple(forced[i:i + width] for i in range(0, len(forced), width))], True
    elif len(run.tokens) == 1 and not _BLANK_MARK.fullmatch(run.digits):
        options, complete = _line_of_one_token(run.digits, table, budget)
    else:
        found, complete = _cut(run.tokens, shapes, False, budget, spaced)
        options = [tuple(figures[i:i + width] for i in range(0, len(figures), width)) for figures in found]
        if len(options) > 1 or not spaced:  # a cut the separators leave unique stands as published
            options = [option for option in options if all(_adds_up(figures) for figures in option)]
    if len(options) == 1 and complete:
        return {row.key: Reading(run, figures) for row, figures in zip(table.rows, options[0], strict=True)}
    flat = tuple(tuple(f for figures in option for f in figures) for option in options)
    return {row.key: Reading(run, None, flat, too_many=not complete) for row in table.rows}


def _fewest_figures(tokens: tuple[str, ...]) -> int:
    """The fewest figures the tokens can hold: a 0 opening a figure is that figure, any
    other digit may carry the longest figure's worth of digits after it. A run of as many as
    its columns hides no blank cell printed as nothing (`0000000` is seven zeros)."""
    count = 0
    for token in tokens:
        if not token.isdigit():
            count += 1
            continue
        at = 0
        while at < len(token):
            count += 1
            at += 1 if token[at] == "0" else _MAX_FIGURE_CHARS
    return count


def _one_digit_a_column(run: Run, columns: int, spaced: bool) -> tuple[str, ...] | None:
    """A run of as many digits as columns, where a token may hold several figures: each
    digit is a figure, the only cut there is. It stands as published; a total it breaks is
    validation's finding (`3000000`: three applications, a total printed as 0)."""
    digits = "".join(run.tokens)
    return tuple(digits) if not spaced and digits.isdigit() and len(digits) == columns else None


def _line_of_one_token(digits: str, table: Table,
                       budget: list[int]) -> tuple[list[tuple[tuple[str, ...], ...]], bool]:
    """Table 4's fifteen figures run together: cut row by row, each row adding up."""
    shapes = tuple((False, False) for _ in table.rows[0].columns)
    options: list[tuple[tuple[str, ...], ...]] = []

    def walk(rest: str, chosen: tuple[tuple[str, ...], ...]) -> None:
        if len(chosen) == len(table.rows):
            if not rest:
                options.append(chosen)
            return
        for cut in range(len(shapes), len(rest) - (len(table.rows) - len(chosen) - 1) * len(shapes) + 1):
            budget[0] -= 1
            if budget[0] < 0:
                return
            for figures in _splits(rest[:cut], shapes, True, budget)[0]:
                walk(rest[cut:], chosen + (figures,))

    walk(digits, ())
    return options, budget[0] >= 0


def _cut(tokens: tuple[str, ...], shapes: tuple[tuple[bool, bool], ...], has_total: bool,
         budget: list[int], spaced: bool = False) -> tuple[list[tuple[str, ...]], bool]:
    """Every plausible way to cut the tokens into len(shapes) figures, a separator always
    standing between two figures and a token holding one or more of them (one only where
    the document is `spaced`). One token is cut by `_splits` (with a total, only cuts
    adding up); several are cut token by token. A doubled blank mark (——) is one blank
    cell or two."""
    if len(tokens) == 1 and not _BLANK_MARK.fullmatch(tokens[0]) and not spaced:
        return _splits(tokens[0], shapes, has_total, budget)
    found: list[tuple[str, ...]] = []

    def walk(index: int, at: int, figures: tuple[str, ...]) -> bool:
        if index == len(tokens):
            if at == len(shapes):
                found.append(figures)
            return True
        token, later = tokens[index], len(tokens) - index - 1
        if _BLANK_MARK.fullmatch(token):
            for count in range(1, min(len(token), len(shapes) - at - later) + 1):
                if not walk(index + 1, at + count, figures + ("",) * count):
                    return False
            return True
        for count in range(1, min(1 if spaced else len(token), len(shapes) - at - later) + 1):
            budget[0] -= 1
            if budget[0] < 0:
                return False
            pieces, complete = _splits(token, shapes[at:at + count], False, budget)
            if not complete:
                return False
            for piece in pieces:
                if not walk(index + 1, at + count, figures + piece):
                    return False
        return True

    return found, walk(0, 0, ())


def _adds_up(figures: tuple[str, ...]) -> bool:
    """The last figure is the sum of the others, or blank (a total not reported is
    validation's finding, not a reason to doubt the cut)."""
    return not figures[-1] or _number(figures[-1]) == sum(_number(f) for f in figures[:-1])


def _splits(digits: str, shapes: tuple[tuple[bool, bool], ...], has_total: bool,
            budget: list[int]) -> tuple[list[tuple[str, ...]], bool]:
    """Every plausible way to cut `digits` into len(shapes) figures ((money?, signed?) per
    column); with a total column (the last), only those whose parts add up to it. False
    when the steps `budget` allows ran out before all were tried."""
    if has_total:
        return _splits_adding_up(digits, shapes, budget)
    found: list[tuple[str, ...]] = []

    def walk(start: int, parts: tuple[str, ...]) -> bool:
        if len(parts) == len(shapes) - 1:
            last = digits[start:]
            if last and _plausible(last, *shapes[-1]):
                found.append(parts + (last,))
            return True
        for end in range(start + 1, len(digits) - (len(shapes) - len(parts) - 1) + 1):
            budget[0] -= 1
            if budget[0] < 0:
                return False
            if _plausible(digits[start:end], *shapes[len(parts)]) and not walk(end, parts + (digits[start:end],)):
                return False
        return True

    return found, walk(0, ())


def _splits_adding_up(digits: str, shapes: tuple[tuple[bool, bool], ...],
                      budget: list[int]) -> tuple[list[tuple[str, ...]], bool]:
    """The cuts whose last figure (a total, tried at each length from the end) is the sum
    of the others. The parts are cut from both ends, half from the front and half from
    the back, and the halves joined where they meet with the right sum: no part exceeds
    the total, so each half has few ways, and the join costs no more than they do."""
    width = len(shapes) - 1
    front, back = shapes[:width // 2], shapes[width // 2:width]
    found: list[tuple[str, ...]] = []
    for length in range(1, len(digits) - width + 1):
        total, before = digits[-length:], digits[:-length]
        if not _plausible(total, *shapes[-1]) or len(before) > width * length:
            continue
        limit = int(total.replace(",", ""))
        heads = _cuts(before, front, limit, budget, from_front=True)
        tails = _cuts(before, back, limit, budget, from_front=False)
        if budget[0] < 0:
            return found, False
        for (meet, tail_sum), tail_cuts in tails.items():
            for head in heads.get((meet, limit - tail_sum), ()):
                found += [(*head, *tail, total) for tail in tail_cuts]
    return found, True


def _cuts(text: str, shapes: tuple[tuple[bool, bool], ...], limit: int, budget: list[int],
          from_front: bool) -> dict[tuple[int, int], list[tuple[str, ...]]]:
    """(where the cuts stop, their sum) → the cuts of len(shapes) parts from one end of
    `text` whose sum is at most `limit`; `budget` counts down the steps allowed."""
    out: dict[tuple[int, int], list[tuple[str, ...]]] = {}
    count = len(shapes)
    longest = len(f"{limit:,}")  # the digits of the limit, and room for its thousands separators

    def walk(edge: int, parts: tuple[str, ...], total: int) -> None:
        if len(parts) == count:
            out.setdefault((edge, total), []).append(parts)
            return
        shape = shapes[len(parts)] if from_front else shapes[count - 1 - len(parts)]
        if from_front:
            reach = range(edge + 1, min(len(text), edge + longest) + 1)
        else:
            reach = range(edge - 1, max(0, edge - longest) - 1, -1)
        for other in reach:
            budget[0] -= 1
            if budget[0] < 0:
                return
            part = text[edge:other] if from_front else text[other:edge]
            if not _plausible(part, *shape):
                continue
            value = int(part.replace(",", ""))
            if total + value > limit:
                if from_front:
                    return  # longer parts are larger still
                continue
            walk(other, parts + (part,) if from_front else (part,) + parts, total + value)

    walk(0 if from_front else len(text), (), 0)
    return out


def _plausible(part: str, money: bool, signed: bool) -> bool:
    body = part.lstrip("-−") if signed else part
    if not body or (body != part and not signed) or not body[0].isdigit():
        return False
    if "-" in body or "−" in body:
        return False
    whole, _, fraction = body.partition(".")
    if (fraction and not money) or "," in fraction:
        return False
    if "," in whole:
        return _GROUPED.fullmatch(whole) is not None
    return whole == "0" or not whole.startswith("0")


def _number(text: str) -> float:
    try:
        return float(text.replace("−", "-").replace(",", "")) if text else 0.0
    except ValueError:
        return float("inf")


def _settle(table: Table, readings: dict[str, Reading]) -> dict[str, Reading]:
    """Rows with several candidates, chosen together: the one combination under which the
    table's column identities (balance, results_sum) hold, if there is exactly one."""
    doubtful = [key for key, reading in readings.items() if len(reading.candidates) > 1 and not reading.too_many]
    if table.key != APPLICATIONS or not doubtful:
        return readings
    choices = [readings[key].candidates for key in doubtful]
    if math.prod(len(c) for c in choices) > _MAX_COMBINATIONS:
        return readings
    known = {(key, col): _number(f) for key, reading in readings.items() if reading.figures
             for col, f in zip(table.row(key).columns, reading.figures, strict=False)}
    checks = [i for i in identities(table) if i.check in ("balance", "results_sum")]
    fitting = []
    for combination in itertools.product(*choices):
        values = dict(known)
        for key, figures in zip(doubtful, combination, strict=True):
            values.update({(key, col): _number(f) for col, f in zip(table.row(key).columns, figures, strict=False)})
        if all(_holds(identity, values) for identity in checks):
            fitting.append(combination)
    if len(fitting) != 1:
        return readings
    settled = dict(readings)
    for key, figures in zip(doubtful, fitting[0], strict=True):
        settled[key] = Reading(readings[key].run, figures)
    return settled


def _holds(identity: Identity, values: dict[tuple[str, str], float]) -> bool:
    def value(key: tuple[str, str, str]) -> float:
        return values.get((key[1], key[2]), 0.0)

    total = value(identity.total)
    return total == sum(value(k) for k in identity.addends) - sum(value(k) for k in identity.subtract)


def describe(candidates: tuple[tuple[str, ...], ...]) -> str:
    """The candidates as a reader would write them: `62 | 33 | 440; 6 | 233 | 440; …`."""
    listed = "; ".join(" | ".join(c) for c in candidates[:_MAX_LISTED])
    more = len(candidates) - _MAX_LISTED
    return listed + (f"; and {more} more" if more > 0 else "")
