"""Grids → canonical cells: the one place that understands the report's tables.

Readers hand over every grid of a document in reading order; this module walks their rows
once, as a reader of the printed report would:

* A **data row** is a contiguous run of label cells followed by value slots, whose last
  label (the item) matches a catalog row. Group labels ((三)不予公开) to its left, or
  carried from earlier rows when a page break or a merged cell dropped them, decide rows
  whose item is a generic word (3.其他) — never the sub-item number.
* Every other row is a **header row**: it may name columns (their order is read from it),
  open a group, or switch the table being read.
* Figures are read as a block of the row's width placed right after the labels. In a
  *loose* grid (a tab dump, which writes a merged label once or several times, so the
  slots after a label may still be the label's) the block shifts as far as the figures
  force it; where they leave a choice, the row's own total decides, or the row is
  flagged `ambiguous_alignment`. Figures spread wider than the block because the row
  merges other slots than its header are placed under the header's column positions.
* A row with figures whose label names nothing is read as the row the template puts
  between its found neighbours when its label is a near misprint (`label_variant`).
* A document without grids may print its tables as a stream of text (cells separated by
  single spaces or run together); such paragraphs are read by `anchored.py`, and a run it
  cannot cut alone is settled by a figure the narrative restates where only one cut gives it.

Table 4 is also published as a header block and one unlabelled line of 15 figures; such a
line is read in the template's row and column order. Nothing here knows which format a
grid came from, and figures are never changed to satisfy an identity.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from xxgk.extractors.anchored import Reading, describe, read_tables
from xxgk.extractors.grid import Block, Grid, GridCell, Paragraph
from xxgk.extractors.labels import item, matches, squash
from xxgk.extractors.narrative import ACTIVE_SUBJECTS, SUBJECTS, restated_figures, settling
from xxgk.extractors.values import is_value_like, parse_value
from xxgk.schemas.catalog import REVIEW, TEMPLATES, Column, Row, Table, Template, Unit
from xxgk.schemas.records import Cell, Issue

# A label much longer than any variant of a row label is a sentence, not a table label.
_MAX_LABEL_SLACK = 14
_CJK_OR_LETTER = re.compile(r"[\u4e00-\u9fffA-Za-z]")
# A section heading is its table's heading with at most a few characters more; a longer
# label is a sentence that mentions it.
_HEADING_SLACK = 6
_LONGEST_HEADING_LABEL = max(len(squash(t.heading)) for tpl in TEMPLATES.values() for t in tpl.tables) + _HEADING_SLACK


@dataclass(slots=True)
class _Found:
    """A data row as read: its values by column, with the cells they came from. `unsplit`
    is a run of figures that could not be told apart: every cell is blank with it as raw."""

    values: dict[str, GridCell | None]
    units: dict[str, str]  # column → unit its header stated when the row was read
    unsplit: str | None = None


@dataclass(slots=True)
class _Unmatched:
    """A row as read, kept for what the rows after it tell: one with figures whose label
    names no row (perhaps a misprint of the row that the template puts between the rows
    read before and after it), or a line of a wrapped label."""

    label: str
    cells: list[GridCell]
    kinds: list[str]
    start: int
    loose: bool
    after: tuple[str, str] | None  # (table, row) read just before it


@dataclass(slots=True)
class _State:
    table: Table | None = None
    group: str | None = None
    # table → (slot, col) in slot order, one entry per column
    column_order: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    column_spans: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)  # table → col → slots
    stated_units: dict[str, dict[str, str]] = field(default_factory=dict)  # table → col → unit
    seen_tables: set[str] = field(default_factory=set)
    found: dict[tuple[str, str], _Found] = field(default_factory=dict)  # (table, row) → values
    last_found: tuple[str, str] | None = None  # (table, row) of the last data row read
    unmatched: _Unmatched | None = None
    # The row just read when it may be a wrapped label's first line (its label named no
    # row, or part of one's label without figures): aligned text prints long labels over
    # two lines, the figures beside either.
    above: _Unmatched | None = None
    issues: list[Issue] = field(default_factory=list)
    open_runs: list[tuple[Table, Row, Reading, int | None]] = field(default_factory=list)  # runs left uncut


def detect_template(grids: list[Grid], templates: list[Template]) -> Template | None:
    """The template whose distinctive labels the grids print most often (None: no evidence).
    Each distinct text is squashed once: only whether a marker is printed counts, not where."""
    texts = {cell.text for grid in grids for row in grid.rows for cell in row}
    return _most_printed("\n".join(squash(text) for text in texts if text.strip()), templates)


def detect_template_in_text(text: str, templates: list[Template], expected: Template) -> Template:
    """The template a text without grids prints, for a report of a template year:
    `expected` (the year's) where the text prints any of its labels, as where one table
    keeps the other template's columns; else the one whose labels it prints (a 2021 report
    on the 2019 form)."""
    labels = squash(text)
    return expected if _most_printed(labels, [expected]) else _most_printed(labels, templates) or expected


def _most_printed(labels: str, templates: list[Template]) -> Template | None:
    """The template of which the squashed labels print the most distinctive labels (None: none)."""
    scores = {t.name: sum(marker in labels for marker in t.markers) for t in templates}
    best = max(templates, key=lambda t: scores[t.name])
    return best if scores[best.name] > 0 else None


def normalize(blocks: list[Block], template: Template) -> tuple[list[Cell], list[Issue]]:
    """Map the blocks of one report to every cell of `template` (blank → None), with the
    issues met on the way: tables or rows not found, unreadable or misplaced figures.
    Paragraphs only matter as section headings, so figures in the narrative are never read."""
    state = _State()
    # Text that kept no table apart is read as one stream, its lines in reading order.
    if any(isinstance(block, Grid) for block in blocks) or not _read_stream(_Stream.of(blocks), template, state):
        for block in blocks:
            if isinstance(block, Paragraph):
                _enter_heading(item(block.text), template, state)
                continue
            for row in block.rows:
                _read_row(row, block.loose, template, state)
    _settle_open_runs(blocks, state)
    return _cells(template, state), state.issues


# ── one row ──────────────────────────────────────────────────────────────────────────


def _read_row(row: list[GridCell], loose: bool, template: Template, state: _State) -> None:
    # Each cell's kind, from one of two caches keyed by the text alone (cheaper than one
    # keyed by text and flag): a merged cell's copy reads differently from written text.
    kinds = [_copy_kind(cell.text) if cell.spanned else _text_kind(cell.text) for cell in row]
    if "label" not in kinds:
        if state.table is not None and state.table.key == REVIEW and "value" in kinds:
            _read_single_line(row, kinds, loose, state)
        return
    # The first and last label, and whether no other kind stands between them (list methods:
    # cheaper than listing every label's index, as this runs for every row).
    first, last = kinds.index("label"), len(kinds) - 1 - kinds[::-1].index("label")
    contiguous = kinds.count("label") == last - first + 1
    slots = row[last + 1:]
    label_texts = _label_texts(row, kinds, first, last)
    above, state.above = state.above, None
    has_figures = "value" in kinds[last + 1:]
    this = _Unmatched(label_texts[-1], row, kinds, last + 1, loose, state.last_found)
    # A whole label over the row's blank figure slots (the cells after it are its copies).
    spread = not (slots or loose) and row[last].spanned and _names_whole_row(item(this.label), template)
    if contiguous and (slots or loose or spread) and not _names_columns(label_texts, template):
        matched = _match_row(label_texts, template, state, has_figures)
        if matched is None and above is not None and (wrapped := _wrapped_row(above, this, template)) is not None:
            _read_wrapped(*wrapped, state)
            return
        if matched is not None:
            table, catalog_row = matched
            _read_data_row(table, catalog_row, row, kinds, last + 1, loose, state)
            _read_label_variant(table, catalog_row, state)
            if not (has_figures or loose or _names_whole_row(item(this.label), template)):
                state.above = this  # blank, unless the next line holds the rest of the label and the figures
            return
        if has_figures:
            state.unmatched = this
    if contiguous and not loose:
        state.above = this
    _read_header_row(row, kinds, template, state, record_positions=not loose)


def _wrapped_row(first: _Unmatched, second: _Unmatched, template: Template
                 ) -> tuple[Table, Row, _Unmatched] | None:
    """Two lines of aligned text that print one row's label wrapped, its figures on one
    line only: the row whose whole label begins in the first line's label and ends in the
    second's, with the line that holds the figures. A line holding a whole label alone is
    that row, not a wrap."""
    with_figures = [line for line in (first, second) if "value" in line.kinds[line.start:]]
    if len(with_figures) != 1:
        return None
    joined, cut = item(first.label + second.label), len(item(first.label))
    for _, table, row in _row_candidates(joined, template.name):
        whole = item(row.label)
        if 0 <= (at := joined.find(whole)) < cut < at + len(whole):
            return table, row, with_figures[0]
    return None


def _read_wrapped(table: Table, row: Row, figures: _Unmatched, state: _State) -> None:
    """Read a wrapped label's row from the line with its figures, in place of the blank row
    its first line was read as."""
    _enter_table(table, state)
    state.unmatched = None
    if (table.key, row.key) in state.found and not any(_texts(state.found[(table.key, row.key)]).values()):
        del state.found[(table.key, row.key)]
    _read_data_row(table, row, figures.cells, figures.kinds, figures.start, figures.loose, state)


def _names_whole_row(label: str, template: Template) -> bool:
    """A label spread over the row's figure slots (aligned text, a merged cell) with no
    figure beside it is a blank row only where it prints a row's whole label: the first
    line of a label wrapped over two, its figures on the next, is not one."""
    return any(item(row.label) in label for _, _, row in _row_candidates(label, template.name))


def _names_columns(label_texts: list[str], template: Template) -> bool:
    """Two or more labels naming columns: a header row, even where it reads like an item."""
    return len(label_texts) >= 2 and sum(bool(_column_matches(item(text), template.name)) for text in label_texts) >= 2


@lru_cache(maxsize=65536)
def _copy_kind(text: str) -> str:
    """The kind of a merged cell's copy: a copy of a figure is empty (the figure belongs to
    the slot it was written in); a copy of anything else is a label."""
    kind = _text_kind(text)
    if kind != "empty":
        return "empty" if kind == "value" and is_value_like(text) else "label"
    return kind


@lru_cache(maxsize=65536)
def _text_kind(text: str) -> str:
    """empty, value (a figure, a blank mark, or an unreadable figure such as 约30) or label.
    Cached, keyed by the text alone: report tables repeat the same few texts."""
    text = text.strip()
    if not text:
        return "empty"
    if is_value_like(text) or len(_CJK_OR_LETTER.findall(text)) < 2:
        return "value"
    return "label"


def _label_texts(row: list[GridCell], kinds: list[str], first: int, last: int) -> list[str]:
    """The texts of the labels from `first` to `last`, without the copies a merged cell left
    in the slots it spans."""
    out: list[str] = []
    previous = None  # the squashed text of out[-1]
    for index in range(first, last + 1):
        if kinds[index] == "label" and (squashed := squash(text := row[index].text)) != previous:
            out.append(text)
            previous = squashed
    return out


# ── which row is it ──────────────────────────────────────────────────────────────────


def _match_row(label_texts: list[str], template: Template, state: _State,
               has_figures: bool) -> tuple[Table, Row] | None:
    """The catalog row the item (last label) names, read in the context of its groups. A
    variant row (（六）其他处理 printed as one row) is a row only where it carries figures;
    without them its label is the group's."""
    for text in label_texts[:-1]:
        _enter_group(item(text), template, state)
    label = item(label_texts[-1])
    candidates = [(length, table, row) for length, table, row in _row_candidates(label, template.name)
                  if (length > 2 or _in_context(table, row, state)) and (has_figures or row not in table.variants)]
    if not candidates:
        _enter_group(label, template, state)
        return None
    # Most labels name one row: max() and its key only where several compete.
    _, table, row = (candidates[0] if len(candidates) == 1
                     else max(candidates, key=lambda c: (c[0], c[1] is state.table)))
    _enter_table(table, state)
    if row.group:
        state.group = row.group
    return table, row


@lru_cache(maxsize=65536)
def _row_candidates(label: str, template_name: str) -> tuple[tuple[int, Table, Row], ...]:
    """The rows whose needles the label matches, with the needle's length (a short, generic
    needle such as 其他 counts only in context)."""
    found = []
    for table in TEMPLATES[template_name].tables:
        for row in table.printable_rows:
            needle = next((n for n in row.needles if matches(label, n)), None)
            if needle is not None and len(label) <= len(squash(row.label)) + _MAX_LABEL_SLACK:
                found.append((len(needle), table, row))
    return tuple(found)


def _in_context(table: Table, row: Row, state: _State) -> bool:
    """Generic labels (总计, 其他) count only inside their table and group."""
    return state.table is table and (row.group is None or row.group == state.group)


def _enter_group(label: str, template: Template, state: _State) -> None:
    found = _group_named(label, template.name)
    if found is not None:
        table, group = found
        _enter_table(table, state)
        state.group = group


@lru_cache(maxsize=65536)
def _group_named(label: str, template_name: str) -> tuple[Table, str] | None:
    """The first (table, group key) of the template whose needles the label matches."""
    for table in TEMPLATES[template_name].tables:
        for group in table.groups:
            if any(matches(label, n) for n in group.needles):
                return table, group.key
    return None


def _enter_table(table: Table, state: _State, seen: bool = True) -> None:
    if state.table is not table:
        state.table = table
        state.group = None
    if seen:
        state.seen_tables.add(table.key)


# ── header rows: column order, units, table switches ─────────────────────────────────


def _read_header_row(row: list[GridCell], kinds: list[str], template: Template, state: _State,
                     record_positions: bool) -> None:
    """Column hits switch tables and note units; their positions give the column order
    only where positions are exact (not in text dumps, whose slots drift row to row)."""
    own = _own_columns(template.name)
    hits: dict[str, list[tuple[int, Column]]] = {}
    distinctive: dict[str, int] = {}  # per table, hits on columns no other table has (总计 is in two tables)
    # A merged header cell's copies repeat its text: the label is read once, its hits counted
    # at every slot (entering a heading twice in a row changes nothing).
    printed: str | None = None
    matched: tuple[tuple[Table, Column], ...] = ()
    for index, kind in enumerate(kinds):
        if kind != "label":
            continue
        if (cell := row[index]).text != printed:
            printed, label = cell.text, item(cell.text)
            _enter_heading(label, template, state)
            matched = _column_matches(label, template.name)
        for table, column in matched:
            hits.setdefault(table.key, []).append((index, column))
            distinctive[table.key] = distinctive.get(table.key, 0) + (column.label in own[table.key])
            _note_unit(table, column, label, state)
    if not hits:
        return
    table = max(template.tables, key=lambda t: (distinctive.get(t.key, 0), t is state.table))
    if distinctive.get(table.key) or table is state.table:
        _enter_table(table, state)
        if not record_positions:
            return
        order = state.column_order.setdefault(table.key, [])
        named = {key for _, key in order}
        spans: dict[str, tuple[int, int]] = {}
        for index, column in hits.get(table.key, []):
            if column.key not in named:  # a lower header row repeats an upper one's span
                order.append((index, column.key))
                named.add(column.key)
            # A table's hits come in slot order: a column's span runs from its first hit to this one.
            low, _ = spans.get(column.key, (index, index))
            spans[column.key] = (low, index)
        order.sort()  # kept in slot order here, where it changes, not in every data row that reads it
        state.column_spans.setdefault(table.key, {}).update(spans)


def _enter_heading(label: str, template: Template, state: _State) -> None:
    """A section heading (三、收到和处理政府信息公开申请情况) opens its table, without
    counting as the table being found: a heading over a missing table is still missing."""
    if len(label) > _LONGEST_HEADING_LABEL:  # a sentence: asked once per report, kept out of the cache
        return
    for table in _tables_headed(label, template.name):
        _enter_table(table, state, seen=False)
        state.column_order.pop(table.key, None)
        state.column_spans.pop(table.key, None)


@lru_cache(maxsize=65536)
def _tables_headed(label: str, template_name: str) -> tuple[Table, ...]:
    """The tables whose heading the label is (every short paragraph and header label is
    asked, and almost none is one: cached, so that asking costs one lookup)."""
    return tuple(table for table in TEMPLATES[template_name].tables
                 if (heading := squash(table.heading)) in label and len(label) <= len(heading) + _HEADING_SLACK)


@lru_cache(maxsize=65536)
def _column_matches(label: str, template_name: str) -> tuple[tuple[Table, Column], ...]:
    """Per table, the column this header label names (the longest needle wins)."""
    best: dict[str, tuple[int, Table, Column]] = {}
    for table in TEMPLATES[template_name].tables:
        for column in table.columns:
            needle = max((n for n in column.needles if matches(label, n)), key=len, default=None)
            if needle and (table.key not in best or len(needle) > best[table.key][0]):
                best[table.key] = (len(needle), table, column)
    return tuple((table, column) for _, table, column in best.values())


@lru_cache(maxsize=8)
def _own_columns(template_name: str) -> dict[str, frozenset[str]]:
    """Per table, the labels of its columns that no other table of the template has."""
    tables = TEMPLATES[template_name].tables
    own: dict[str, frozenset[str]] = {}
    for table in tables:
        others = {c.label for t in tables if t is not table for c in t.columns}
        own[table.key] = frozenset(c.label for c in table.columns if c.label not in others)
    return own


def _note_unit(table: Table, column: Column, label: str, state: _State) -> None:
    if column.unit == "count":
        return
    if "万元" in label:
        state.stated_units.setdefault(table.key, {})[column.key] = "10k_yuan"
    elif "元" in label:
        state.stated_units.setdefault(table.key, {})[column.key] = "yuan"


# ── data rows: aligning values with columns ──────────────────────────────────────────


def _read_data_row(table: Table, row: Row, row_cells: list[GridCell], kinds: list[str], start: int, loose: bool,
                   state: _State) -> None:
    columns = _expected_columns(table, row, state)
    spans = state.column_spans.get(table.key, {})
    header = None if loose or not spans.keys() >= set(columns) else [spans[c] for c in columns]  # every column's span
    if header is not None:
        start = _figures_start(row_cells, start, min(header)[0])
    block = _align(row_cells, kinds, start, len(columns), table, row.key, loose, state, header)
    _record(table, row.key, dict(zip(columns, block, strict=False)), state)
    state.last_found = (table.key, row.key)


def _figures_start(cells: list[GridCell], start: int, first_column: int) -> int:
    """Where the row's own slots begin: copies of its label that reach under the header of
    its first column are that column's blank cells, not label (a label merged over a blank
    cell beside it, or spread over it in aligned text, where no row prints a figure there)."""
    while start > first_column and cells[start - 1].spanned:
        start -= 1
    return start


def _read_label_variant(table: Table, following: Row, state: _State) -> None:
    """The row read before `following` with a label that names nothing is the template's
    row between the two, when everything but the label says so: its neighbours on both
    sides were read, it is in their group, its figures fit the row, and its label is that
    row's label with a few characters dropped, added or swapped. Anything less certain
    leaves the row missing."""
    unmatched, state.unmatched = state.unmatched, None
    if unmatched is None or unmatched.after is None or unmatched.after[0] != table.key:
        return
    keys = [row.key for row in table.rows]
    if following.key not in keys or unmatched.after[1] not in keys:
        return
    before = keys.index(unmatched.after[1])
    if keys.index(following.key) != before + 2:
        return
    expected = table.rows[before + 1]
    figures = sum(kind == "value" for kind in unmatched.kinds[unmatched.start:])
    if ((table.key, expected.key) in state.found or expected.group not in (table.rows[before].group, following.group)
            or figures > len(expected.columns) or not _close(item(unmatched.label), item(expected.label))):
        return
    state.issues.append(_label_variant(table, expected, unmatched.label))
    _read_data_row(table, expected, unmatched.cells, unmatched.kinds, unmatched.start, unmatched.loose, state)
    state.last_found = (table.key, following.key)


def _label_variant(table: Table, row: Row, printed: str) -> Issue:
    return Issue("label_variant", "warning",
                 f"the row printed as {_one_line(printed)!r} stands where the template puts {row.label} "
                 "and was read as that row", table=table.key, row=row.key)


def _one_line(label: str) -> str:
    """The label as printed, without the line breaks a narrow cell wrapped it with."""
    return "".join(line.strip() for line in label.splitlines())


def _close(printed: str, expected: str) -> bool:
    """Within a quarter of the expected label's characters (at least one) dropped, added,
    changed or swapped: a misprint, not another row."""
    limit = max(1, len(expected) // 4)
    return abs(len(printed) - len(expected)) <= limit and _edit_distance(printed, expected) <= limit


def _edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (a swap of neighbours counts one)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def _read_single_line(row_cells: list[GridCell], kinds: list[str], loose: bool, state: _State) -> None:
    """Table 4 as one line of 15 figures under its header block: the three rows in the
    order the template prints them, five columns each."""
    table = state.table
    assert table is not None
    keys = [(r.key, c) for r in table.rows for c in r.columns]
    block = _align(row_cells, kinds, 0, len(keys), table, None, loose, state)
    for r in table.rows:
        _record(table, r.key, {c: cell for (rk, c), cell in zip(keys, block, strict=False) if rk == r.key}, state)
    state.last_found = None


def _expected_columns(table: Table, row: Row, state: _State) -> tuple[str, ...]:
    """The row's columns in the order the header printed them, when the header named
    them all; otherwise in the template's order."""
    return _columns_in_order(tuple(state.column_order.get(table.key, ())), row.columns)


@lru_cache(maxsize=4096)
def _columns_in_order(order: tuple[tuple[int, str], ...], columns: tuple[str, ...]) -> tuple[str, ...]:
    """`columns` in the header's `order` if it names them all. Cached: a table's rows share
    their columns and read under the same few header orders."""
    printed = tuple(key for _, key in order if key in columns)
    # The order names each column once, so as many of the row's columns as the row has are all of them.
    return printed if len(printed) == len(columns) else columns


def _align(cells: list[GridCell], kinds: list[str], start: int, width: int, table: Table, row_key: str | None,
           loose: bool, state: _State, header: list[tuple[int, int]] | None = None) -> list[GridCell | None]:
    """Place a block of `width` slots after the labels so that every published figure
    falls inside it. In a text dump the slots right after a label may still be the label's
    (a merged cell written once): the block then shifts as far as the figures force it,
    and where they leave a choice, the row's own total decides, or the row is flagged.
    Figures spread wider than the block because the row merges other slots than its header
    (`header`: the slots each column's header covers) are placed under the header instead."""
    filled = [i for i in range(start, len(cells)) if kinds[i] == "value"]
    if not filled:
        return _slots(cells, kinds, start, width)
    if not loose and (in_order := _cells_in_order(cells, kinds, start, width)) is not None:
        return in_order
    first = max(start, filled[-1] - width + 1)  # the first start that keeps the last figure inside the block
    if filled[0] < first and header is not None and (placed := _under_header(cells, filled, header)) is not None:
        return placed
    if filled[0] < first:
        state.issues.append(Issue(
            "misaligned_values", "error",
            f"{len(filled)} figures spread over more than the {width} columns of the row; "
            f"read the first {width} after the label",
            table=table.key, row=row_key,
        ))
        first = start
    elif loose:
        # Every start from `first` to `last` keeps all figures inside the block and the block in the row.
        last = min(filled[0], max(len(cells) - width, first))
        if first < last:
            first = _choose(cells, kinds, range(first, last + 1), width, table, row_key, state)
    return _slots(cells, kinds, first, width)


def _cells_in_order(cells: list[GridCell], kinds: list[str], start: int, width: int) -> list[GridCell | None] | None:
    """A row whose merged cells leave it exactly one cell per column: its cells are the
    columns in order. Where a row merges other slots than its header (a figure over slots
    1–2 under headers over 1 and 2–3), slots tell nothing of columns, but the count of cells
    still does. None for a row without merges (its slots are its columns) or with another
    count of cells."""
    written = [i for i in range(start, len(cells)) if not cells[i].spanned]
    if len(written) != width or len(written) == len(cells) - start:
        return None
    return [_slot(cells[i], kinds[i]) for i in written]


def _under_header(cells: list[GridCell], filled: list[int], header: list[tuple[int, int]]
                  ) -> list[GridCell | None] | None:
    """Each figure, in order, under the next column whose header shares a slot with the
    figure's own cell (a merged figure covers its copies' slots too); a column wholly left
    of a figure is blank. None when some figure stands under no column left."""
    block: list[GridCell | None] = [None] * len(header)
    column = 0
    for index in filled:
        end = index
        while end + 1 < len(cells) and cells[end + 1].spanned and cells[end + 1].text == cells[index].text:
            end += 1
        while column < len(header) and header[column][1] < index:
            column += 1
        if column == len(header) or header[column][0] > end:
            return None
        block[column] = cells[index]
        column += 1
    return block


def _slots(cells: list[GridCell], kinds: list[str], first: int, width: int) -> list[GridCell | None]:
    """The block's cells; a blank slot keeps its place, a copy of a merged figure is blank,
    a slot past the row's end is None."""
    block: list[GridCell | None] = [_slot(cell, kinds[i]) for i, cell in enumerate(cells[first:first + width], first)]
    return block + [None] * (width - len(block))


def _slot(cell: GridCell, kind: str) -> GridCell:
    """A figure's cell as it is; any other slot blank, keeping its place in the document."""
    return cell if kind == "value" else GridCell("", page=cell.page, position=cell.position)


def _choose(cells: list[GridCell], kinds: list[str], feasible: range, width: int, table: Table,
            row_key: str | None, state: _State) -> int:
    """The only feasible start under which the row's own total adds up; else the first,
    flagged: the dump does not show where these figures sit."""
    adding_up = [s for s in feasible if table.columns[-1].key == "total" and _total_adds_up(cells, kinds, s, width)]
    if len(adding_up) == 1:
        return adding_up[0]
    state.issues.append(Issue(
        "ambiguous_alignment", "warning",
        "the text dump does not show which columns these figures sit in; they were read from "
        "the first column after the label",
        table=table.key, row=row_key,
    ))
    return feasible[0]


def _total_adds_up(cells: list[GridCell], kinds: list[str], first: int, width: int) -> bool:
    """With the block at `first`, is its last slot a published total equal to the sum of
    the others? (Tables 3 and 4 end each row with its total.)"""
    block = [parse_value(cells[i].text).value if i < len(cells) and kinds[i] == "value" else None
             for i in range(first, first + width)]
    return block[-1] is not None and block[-1] != 0 and block[-1] == sum(v or 0 for v in block[:-1])


def _record(table: Table, row_key: str, values: dict[str, GridCell | None], state: _State) -> None:
    key = (table.key, row_key)
    previous = state.found.get(key)
    found = _Found(values, dict(state.stated_units.get(table.key, {})))  # a copy: a later header may state another
    if previous is None:
        state.found[key] = found
        return
    if any(v is not None for v in values.values()) and _texts(previous) != _texts(found):
        state.issues.append(Issue(
            "duplicate_row", "warning",
            "the row is printed twice with different figures; the first is kept",
            table=table.key, row=row_key,
        ))


def _texts(found: _Found) -> dict[str, str | None]:
    return {c: cell.text.strip() if cell else None for c, cell in found.values.items()}


# ── tables printed as a stream of text ──────────────────────────────────────────────


@dataclass(frozen=True)
class _Stream:
    """A document's paragraphs as one text (joined by spaces, so a table row broken over
    lines stays one run), with the page each paragraph starts on."""

    text: str
    starts: tuple[int, ...]
    pages: tuple[int | None, ...]

    @classmethod
    def of(cls, blocks: list[Block]) -> _Stream:
        paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
        starts, at = [], 0
        for paragraph in paragraphs:
            starts.append(at)
            at += len(paragraph.text) + 1
        return cls(" ".join(p.text for p in paragraphs), tuple(starts), tuple(p.page for p in paragraphs))

    def page_at(self, offset: int) -> int | None:
        return self.pages[bisect_right(self.starts, offset) - 1] if self.starts else None


def _read_stream(stream: _Stream, template: Template, state: _State) -> bool:
    """Record the tables the text prints as a stream; False if none."""
    tables = read_tables(stream.text, template)
    for runs, readings in tables:
        _enter_table(runs.table, state)
        if runs.layout is not None:
            state.issues.append(Issue(
                "table_layout_mismatch", "error",
                f"table {runs.table.number} is printed with the columns of the {runs.layout} template, not the "
                f"{template.name} template's: its figures are not read into this template's cells",
                table=runs.table.key))
            continue
        _note_stated_units(runs.table, stream.text[runs.start:runs.end], state)
        state.issues += [_label_variant(runs.table, runs.table.row(key), printed)
                         for key, printed in runs.misprinted.items()]
        for row_key in runs.blank:
            page = stream.page_at(runs.labels[row_key])
            blank: dict[str, GridCell | None] = {col: GridCell("", page) for col in runs.table.row(row_key).columns}
            _record(runs.table, row_key, blank, state)
        for row_key, reading in readings.items():
            row = runs.table.row(row_key)
            page, position = stream.page_at(reading.run.start), _run_position(reading)
            if reading.figures is not None:
                values: dict[str, GridCell | None] = {
                    col: GridCell(f, page=page, position=position)
                    for col, f in zip(row.columns, _figures_of(runs.table, row, _with_unit(reading)), strict=False)}
                _record(runs.table, row_key, values, state)
                continue
            unsplit = _Found({col: GridCell("", page, position) for col in row.columns}, {}, reading.run.digits)
            if state.found.setdefault((runs.table.key, row_key), unsplit) is unsplit:
                state.open_runs.append((runs.table, row, reading, page))
    return bool(tables)


def _settle_open_runs(blocks: list[Block], state: _State) -> None:
    """Runs with several plausible cuts, settled where the narrative restates their figures
    and only one cut gives them (`narrative_settled`); the others are reported, with the
    cuts the narrative leaves."""
    statements = None
    for table, row, reading, page in state.open_runs:
        if len(reading.candidates) > 1 and not reading.too_many:
            if statements is None:
                statements = restated_figures([b for b in blocks if isinstance(b, Paragraph)],
                                              SUBJECTS + ACTIVE_SUBJECTS)
            line = len(reading.candidates[0]) != len(row.columns)  # table 4's line: every row's figures
            cells = tuple((table.key, r.key, c) for r in (table.rows if line else (row,)) for c in r.columns)
            fitting, about = settling(statements, cells, reading.candidates)
            sentences = " ".join(dict.fromkeys(s.sentence for s in about))
            if about and len(fitting) == 1:
                state.found[(table.key, row.key)] = _Found(
                    {col: GridCell(f, page=page, position=_run_position(reading))
                     for col, f in zip(row.columns, _figures_of(table, row, fitting[0]), strict=False)}, {})
                state.issues.append(Issue(
                    "narrative_settled", "info",
                    f"the run of figures {reading.run.digits!r} can be cut in {len(reading.candidates)} ways; "
                    f"only {' | '.join(fitting[0])} gives the figures the narrative states: {sentences}",
                    table=table.key, row=row.key))
                continue
            if about and 1 < len(fitting) < len(reading.candidates):
                issue = _unsplit_issue(table, row, Reading(reading.run, None, tuple(fitting)))
                issue.message += f" (the narrative leaves these of {len(reading.candidates)}: {sentences})"
                state.issues.append(issue)
                continue
        state.issues.append(_unsplit_issue(table, row, reading))


def _run_position(reading: Reading) -> str:
    return f"characters {reading.run.start + 1}–{reading.run.end}"


def _note_stated_units(table: Table, text: str, state: _State) -> None:
    """A money column's unit as its header states it in the stream (本年收费金额（单位：元）),
    noted as a grid's header cell would be."""
    for column in table.columns:
        if column.unit == "count":
            continue
        for needle in column.needles:
            if (found := re.search(rf"{re.escape(needle)}\s*[（(][^）)\d]{{0,8}}[）)]", text)) is not None:
                _note_unit(table, column, found.group(), state)
                break


def _with_unit(reading: Reading) -> tuple[str, ...]:
    """The figures, the last with the money unit printed after it (63730100元), which
    parse_value converts into its column's unit as it does a grid cell's."""
    figures = reading.figures or ()
    if not reading.run.unit or not figures or not figures[-1]:
        return figures
    return (*figures[:-1], figures[-1] + reading.run.unit)


def _figures_of(table: Table, row: Row, figures: tuple[str, ...]) -> tuple[str, ...]:
    """The row's own figures: a line of table 4 holds every row's, in the template's order."""
    if len(figures) == len(row.columns):
        return figures
    offset = sum(len(r.columns) for r in table.rows[:table.rows.index(row)])
    return figures[offset:offset + len(row.columns)]


def _unsplit_issue(table: Table, row: Row, reading: Reading) -> Issue:
    run = reading.run.digits
    if reading.blanks_unplaced:
        return Issue("ambiguous_alignment", "warning",
                     f"the figures {run!r} are fewer than the columns they stand in: blank cells were printed as "
                     "nothing, and which columns they stand in cannot be told; the cells are left blank",
                     table=table.key, row=row.key)
    if reading.too_many:
        return Issue("unreadable_value", "error",
                     f"the run of figures {run!r} is too long or can be cut into the row's {len(row.columns)} "
                     f"columns in too many ways to try",
                     table=table.key, row=row.key)
    if not reading.candidates:
        return Issue("unreadable_value", "error",
                     f"the run of figures {run!r} cannot be cut into the row's {len(row.columns)} columns "
                     f"so that they add up",
                     table=table.key, row=row.key)
    return Issue("ambiguous_alignment", "warning",
                 f"the run of figures {run!r} can be cut into the columns in {len(reading.candidates)} ways: "
                 f"{describe(reading.candidates)}; the cells are left blank",
                 table=table.key, row=row.key)


# ── the canonical cells ─────────────────────────────────────────────────────────────


def _cells(template: Template, state: _State) -> list[Cell]:
    cells: list[Cell] = []
    for table in template.tables:
        if table.key not in state.seen_tables:
            state.issues.append(Issue(
                "table_missing", "error",
                f"table {table.number} ({table.heading}) was not found in the document",
                table=table.key,
            ))
            continue
        units = {column.key: column.unit for column in table.columns}
        rows_found = [r for r in table.printable_rows if (table.key, r.key) in state.found]
        replaced = {key for r in table.variants if (table.key, r.key) in state.found for key in r.replaces}
        if not rows_found:
            state.issues.append(Issue(
                "table_empty", "warning",
                f"table {table.number} ({table.heading}) has its header but no figures; all its cells are blank",
                table=table.key,
            ))
        for row in table.rows:
            found = state.found.get((table.key, row.key))
            if found is not None:
                cells += _row_cells(table, row, found, units, state)
                continue
            if rows_found and row.key not in replaced:
                state.issues.append(Issue(
                    "row_missing", "warning", f"row {row.label} was not found in table {table.number}",
                    table=table.key, row=row.key,
                ))
            raw = None if rows_found else ""  # None: the row is missing; "": the whole table is blank
            cells += [Cell(table.key, row.key, col, None, raw) for col in row.columns]
        for row in table.variants:
            if (found := state.found.get((table.key, row.key))) is not None:
                cells += _row_cells(table, row, found, units, state)
    return cells


def _row_cells(table: Table, row: Row, found: _Found, units: dict[str, Unit], state: _State) -> list[Cell]:
    """The cells of a row that was read: each figure parsed in its column's unit (`units`:
    the table's, by column). One loop per row, not a call per cell: a report has some 200."""
    key, row_key, values, stated, unsplit = table.key, row.key, found.values, found.units, found.unsplit
    cells = []
    for col in row.columns:
        source = values.get(col)
        if unsplit is not None:
            cells.append(Cell(key, row_key, col, None, unsplit, None, source.position if source else None))
        elif source is None:
            cells.append(Cell(key, row_key, col, None, ""))
        elif not (raw := source.text.strip()):
            cells.append(Cell(key, row_key, col, None, "", source.page, source.position))
        else:
            parsed = parse_value(source.text, units[col], stated.get(col))
            if parsed.problem:
                state.issues.append(Issue("unreadable_value", "error", parsed.problem, table=key, row=row_key, col=col))
            cells.append(Cell(key, row_key, col, parsed.value, raw, source.page, source.position))
    return cells
