"""Tables whose cells ran together: `行政规范性文件6233440` is 62 | 33 | 440.

Web archivers and copy-pasted pages keep a report's text but drop every separator, so a
table is a stream of labels and digit runs. This module reads such a stream with the
template in hand: each table from its numbered heading (二、主动公开政府信息情况) to the
next; each row where one of its needles is followed, after at most its own label's
remaining text, by a digit run (a sub-item's number glued to the run's end, as in
`30000035.属于…`, is the next row's, not a figure); table 4 as one run of 15 figures when
its rows are not labelled. A run is then split into the row's figures by plausibility
(no leading zeros in a multi-digit count, decimals only in money columns) and the
table's own identities: each row's total, then the column identities (balance,
results_sum) across the rows still in doubt. A unique split gives the figures; several
are listed, none is reported: never a silent guess.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from xxgk.schemas.catalog import APPLICATIONS, REVIEW, Row, Table, Template
from xxgk.schemas.checks import Identity, identities

_RUN = re.compile(r"[-−]?\d(?:[\d\-−]|\.(?=\d))*")
_NUMBERING_AFTER = re.compile(r"[.、．][^\d]")
_SPACED_FIGURE = re.compile(r"[ \t\u3000]+[-−]?\d")
_MAX_STEPS = 20_000  # cuts tried per run: a bound on time for hostile input
_MAX_FIGURE_CHARS = 12  # no count or sum in a report has more: a longer run is not a row's figures
_MAX_COMBINATIONS = 4096  # joint choices across rows in doubt
_MAX_LISTED = 12
_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Run:
    """A digit run as printed, where it stands in the text."""

    digits: str
    start: int
    end: int


@dataclass
class TableRuns:
    table: Table
    rows: dict[str, Run] = field(default_factory=dict)  # row key → its run
    line: Run | None = None  # table 4 as one unlabelled run


@dataclass(frozen=True)
class Reading:
    """What a run says: `figures` when one split is plausible, else the candidates (none:
    unreadable, several: ambiguous)."""

    run: Run
    figures: tuple[str, ...] | None
    candidates: tuple[tuple[str, ...], ...] = ()
    too_many: bool = False


# ── finding the runs ───────────────────────────────────────────────────────────────


def find_tables(text: str, template: Template) -> list[TableRuns]:
    """The template's tables printed in `text` with their cells run together; a table
    counts only where at least one labelled row or table 4's line of figures follows its
    numbered heading."""
    found = []
    for table, start, end in _spans(text, template):
        runs = TableRuns(table)
        cursor = start
        for row in table.printable_rows:
            if (located := _row_run(text, cursor, end, row, table)) is not None:
                runs.rows[row.key] = located
                cursor = located.end
        if not runs.rows and table.key == REVIEW and (first := _RUN.search(text, start, end)) is not None:
            runs.line = Run(first.group(), first.start(), first.end())
        if runs.rows or runs.line:
            found.append(runs)
    return found


def _spans(text: str, template: Template) -> list[tuple[Table, int, int]]:
    """(table, start, end): from the end of each numbered heading to the next heading, or
    to the next section's numeral for the last table."""
    starts = []
    for table in template.tables:
        if (match := _heading(table.number, table.heading).search(text)) is not None:
            starts.append((match.start(), match.end(), table))
    starts.sort(key=lambda s: s[0])
    spans = []
    for i, (_, after, table) in enumerate(starts):
        if i + 1 < len(starts):
            end = starts[i + 1][0]
        else:
            following = _NUMERALS[_NUMERALS.index(table.number) + 1]
            next_section = re.compile(rf"{following}\s*[、.．]").search(text, after)
            end = next_section.start() if next_section else len(text)
        spans.append((table, after, end))
    return spans


@lru_cache(maxsize=32)
def _heading(number: str, heading: str) -> re.Pattern[str]:
    return re.compile(rf"{number}\s*[、.．]\s*" + r"\s*".join(map(re.escape, heading)))


def _row_run(text: str, start: int, end: int, row: Row, table: Table) -> Run | None:
    """The first run after `start` that follows one of the row's needles, with nothing
    between them but the rest of the row's own label (no label of another row or column)."""
    for needle in sorted(row.needles, key=len, reverse=True):
        position = start
        while (at := text.find(needle, position, end)) >= 0:
            position = at + 1
            run = _RUN.search(text, at + len(needle), end)
            if run is None:
                break
            between = text[at + len(needle):run.start()]
            if len(between) > len(row.label) or any(other in between for other in _other_labels(table, row.key)):
                continue
            if _SPACED_FIGURE.match(text, run.end()):
                continue  # figures kept apart by spaces did not run together
            digits = run.group()
            if _NUMBERING_AFTER.match(text, run.end()):  # the next sub-item's number is glued on
                digits = digits[:-1]
            if digits and not re.fullmatch(r"[-−]?", digits):
                return Run(digits, run.start(), run.start() + len(digits))
    return None


@lru_cache(maxsize=256)
def _other_labels(table: Table, row_key: str) -> tuple[str, ...]:
    """Needles of the table's other rows and of its columns that a label's own text never holds."""
    needles = {n for r in table.printable_rows if r.key != row_key for n in r.needles}
    needles |= {n for c in table.columns for n in c.needles}
    return tuple(n for n in needles if len(n) >= 3)


# ── splitting the runs ─────────────────────────────────────────────────────────────


def read_tables(text: str, template: Template) -> list[tuple[TableRuns, dict[str, Reading]]]:
    """Every run-together table of `text` with each row's reading."""
    return [(runs, read_runs(runs)) for runs in find_tables(text, template)]


def read_runs(runs: TableRuns) -> dict[str, Reading]:
    """Row key → reading: each row split alone under its own total, then the rows still in
    doubt settled together by the column identities where exactly one choice satisfies them."""
    table = runs.table
    if runs.line is not None:
        return _read_line(table, runs.line)
    readings = {key: _read_row(table, table.row(key), run) for key, run in runs.rows.items()}
    return _settle(table, readings)


def _read_row(table: Table, row: Row, run: Run) -> Reading:
    columns = [table.column(c) for c in row.columns]
    if len(run.digits) > len(columns) * _MAX_FIGURE_CHARS:
        return Reading(run, None, too_many=True)
    found, complete = _splits(run.digits, tuple((c.unit != "count", c.signed) for c in columns),
                              row.columns[-1] == "total", [_MAX_STEPS])
    if len(found) == 1 and complete:
        return Reading(run, found[0])
    return Reading(run, None, tuple(found), too_many=not complete)


def _read_line(table: Table, run: Run) -> dict[str, Reading]:
    """Table 4 as one run: three rows of five, each adding up to its total."""
    shapes = tuple((False, False) for _ in table.rows[0].columns)
    if len(run.digits) > len(table.rows) * len(shapes) * _MAX_FIGURE_CHARS:
        return {row.key: Reading(run, None, too_many=True) for row in table.rows}
    options: list[tuple[tuple[str, ...], ...]] = []
    budget = [_MAX_STEPS]

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

    walk(run.digits, ())
    if len(options) == 1 and budget[0] >= 0:
        return {row.key: Reading(run, figures) for row, figures in zip(table.rows, options[0], strict=True)}
    flat = tuple(tuple(f for figures in option for f in figures) for option in options)
    return {row.key: Reading(run, None, flat, too_many=budget[0] < 0) for row in table.rows}


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
        limit = int(total)
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
    longest = len(str(limit))

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
            value = int(part)
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
    if fraction and not money:
        return False
    return whole == "0" or not whole.startswith("0")


def _number(text: str) -> float:
    try:
        return float(text.replace("−", "-")) if text else 0.0
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
