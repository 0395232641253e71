"""A generated report as format-neutral blocks: headings, paragraphs and tables with spans.

The tables follow the national template's printed layout (merged group labels, the
two-level applicant header, table 4's header block over one line of 15 figures), and
`Traits` switches the ways publishers vary it. Each renderer (HTML, PDF, DOCX, text)
draws the same blocks, so every trait is exercised in every format that can show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from xxgk.samples.figures import ReportSpec
from xxgk.schemas.catalog import ACTIVE, APPLICATIONS, REVIEW, Row, Table
from xxgk.schemas.records import Number

FULLWIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


@dataclass(frozen=True)
class Traits:
    """Ways real reports differ; each is independent and off by default."""

    vertical_group_labels: bool = False  # 三、本年度办理结果 written one character per line
    wrapped_labels: bool = False  # long labels broken over two lines
    broken_header_words: bool = False  # 商业企\n业
    fullwidth_digits: bool = False
    thousands_separators: bool = False
    blank: str = ""  # how a blank cell is printed: "", "—", "/", "无", "\xa0"
    fees_in_yuan: bool = False  # fees printed as 251000元 instead of 25.1 (万元)
    section2_tables: Literal["one", "several"] = "several"  # 二 as one merged table or one per item
    table4: Literal["single_line", "three_rows"] = "single_line"
    header_spans: Literal["template", "misaligned"] = "template"  # misaligned: header spans ≠ data spans
    omit_table4: bool = False
    misprinted_labels: bool = False  # the second row of each table-3 group printed with a character dropped or swapped
    # Each table's section heading with a character dropped (二), added (三) or changed (四).
    misprinted_headings: bool = False
    # Table 2 one slot wider, its three-figure rows merging a different pair of slots than
    # their header: "before_header" merges data slots 2–3 under a header merging 3–4,
    # "after_header" the reverse.
    data_merges: Literal["as_header", "before_header", "after_header"] = "as_header"


@dataclass
class LCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False


@dataclass
class LTable:
    """Rows of origin cells, HTML style: a slot covered by a span has no cell of its own."""

    rows: list[list[LCell]]
    section: str  # the catalog table key
    header_rows: int = 0  # how many leading rows repeat on a continuation page

    def dense(self) -> list[list[LCell | None]]:
        """The table as a full matrix: origin cells where written, None where a span covers."""
        grid: dict[tuple[int, int], LCell | None] = {}
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in grid:
                    c += 1
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        grid[(r + dr, c + dc)] = cell if (dr, dc) == (0, 0) else None
                c += cell.colspan
        height = len(self.rows)
        width = max(c for _, c in grid) + 1
        return [[grid.get((r, c)) for c in range(width)] for r in range(height)]

    def origin(self, r: int, c: int) -> LCell:
        """The cell whose span covers slot (r, c)."""
        dense = self.dense()
        for rr in range(r, -1, -1):
            for cc in range(c, -1, -1):
                cell = dense[rr][cc]
                if cell is not None and rr + cell.rowspan > r and cc + cell.colspan > c:
                    return cell
        raise LookupError((r, c))


@dataclass
class Heading:
    text: str
    level: int = 2


@dataclass
class Para:
    text: str


LBlock = Heading | Para | LTable


@dataclass
class Layout:
    spec: ReportSpec
    traits: Traits
    blocks: list[LBlock] = field(default_factory=list)


def build_layout(spec: ReportSpec, traits: Traits = Traits()) -> Layout:
    blocks: list[LBlock] = [Heading(spec.organ, 1), Heading(f"{spec.year}年政府信息公开工作年度报告", 1)]
    blocks += _preface(spec)
    blocks.append(Heading(_heading("二、主动公开政府信息情况", traits)))
    blocks += _active_tables(spec, traits)
    blocks.append(Heading(_heading("三、收到和处理政府信息公开申请情况", traits)))
    blocks.append(_applications_table(spec, traits))
    blocks.append(Heading(_heading("四、政府信息公开行政复议、行政诉讼情况", traits)))
    if not traits.omit_table4:
        blocks.append(_review_table(spec, traits))
    blocks += [
        Heading("五、存在的主要问题及改进情况"),
        Para("一是公开内容的规范性仍需加强。二是依申请公开答复质量有待提高。下一步将加强培训，完善制度。"),
        Heading("六、其他需要报告的事项"),
        Para("本机关未收取信息处理费。"),
        Para(f"{spec.organ}"),
        Para(f"{spec.year + 1}年1月20日"),
    ]
    return Layout(spec, traits, blocks)


def _heading(text: str, traits: Traits) -> str:
    """A table's section heading, misprinted if the trait says so: one character dropped,
    added or changed (each table a different way), as a hasty typist leaves it."""
    if not traits.misprinted_headings:
        return text
    number, words = text[:2], text[2:]
    misprint = {"二": words[:2] + words[3:], "三": words[:4] + "的" + words[4:], "四": words[:-2] + "状" + words[-1:]}
    return number + misprint[number[0]]


# ── text ────────────────────────────────────────────────────────────────────────────


def figure(value: Number | None, traits: Traits, unit_suffix: str = "") -> str:
    """A figure as the publisher prints it."""
    if value is None:
        return traits.blank
    text = f"{value:,}" if traits.thousands_separators else str(value)
    if traits.fullwidth_digits:
        text = text.translate(FULLWIDTH)
    return text + unit_suffix


def _preface(spec: ReportSpec) -> list[LBlock]:
    value = spec.value
    received = value(APPLICATIONS, "new_received", "total") or 0
    person = value(APPLICATIONS, "new_received", "natural_person") or 0
    regulations = value(ACTIVE, "regulations", spec.catalog.table(ACTIVE).row("regulations").columns[0]) or 0
    return [
        Para(f"本报告根据《中华人民共和国政府信息公开条例》编制。本报告中所列数据统计期限自{spec.year}年1月1日起至"
             f"{spec.year}年12月31日止。"),
        Heading("一、总体情况"),
        Para(f"（一）主动公开。全年制发规章{regulations}件，门户网站发布各类信息{received * 17 + 211}条。"),
        Para(f"（二）依申请公开。{spec.year}年共收到政府信息公开申请{received}件，其中自然人{person}件，"
             f"比{spec.year - 1}年增长12%。"),
        Para("（三）政府信息管理。持续完善信息发布审核机制。"),
    ]


def _wrap(label: str, traits: Traits) -> str:
    if traits.wrapped_labels and len(label) > 8:
        middle = len(label) // 2
        return label[:middle] + "\n" + label[middle:]
    return label


def _vertical(label: str, traits: Traits) -> str:
    return "\n".join(label) if traits.vertical_group_labels else label


def _header_word(label: str, traits: Traits) -> str:
    if traits.broken_header_words and len(label) >= 4:
        return label[:-1] + "\n" + label[-1]
    return label


# ── table 2 ─────────────────────────────────────────────────────────────────────────

_ARTICLE = {"2021": "第二十条", "2019": "第二十一条"}
# Which rows the template prints under one sub-header, and the item number of the article.
_ACTIVE_BLOCKS = {
    "2021": [("（一）", ["regulations", "normative_documents"]), ("（五）", ["licensing"]),
             ("（六）", ["penalty", "coercion"]), ("（八）", ["fees"])],
    "2019": [("（一）", ["regulations", "normative_documents"]), ("（五）", ["licensing", "other_services"]),
             ("（六）", ["penalty", "coercion"]), ("（八）", ["fees"]), ("（九）", ["procurement"])],
}


def _active_tables(spec: ReportSpec, traits: Traits) -> list[LBlock]:
    table = spec.catalog.table(ACTIVE)
    widest = max(len(r.columns) for r in table.rows)
    width = 1 + widest + (traits.data_merges != "as_header")
    blocks: list[list[list[LCell]]] = []
    for item_no, row_keys in _ACTIVE_BLOCKS[spec.template]:
        columns = table.row(row_keys[0]).columns
        labels = [_column_label(table, c, traits) for c in columns]
        rows = [[LCell(f"{_ARTICLE[spec.template]}第{item_no}项", colspan=width, header=True)],
                [LCell("信息内容", header=True)] + _merged(labels, width - 1, True, widest, traits)]
        for key in row_keys:
            cells = [figure(_active_value(spec, key, c, traits), traits, _unit(c, traits)) for c in columns]
            rows.append([LCell(table.row(key).label)] + _merged(cells, width - 1, False, widest, traits))
        blocks.append(rows)
    if traits.section2_tables == "one":
        return [LTable([row for rows in blocks for row in rows], ACTIVE)]
    return [LTable(rows, ACTIVE) for rows in blocks]


def _spread(texts: list[str], width: int, header: bool) -> list[LCell]:
    """Cells filling `width` slots; the last one spans what is left (本年处理决定数量 over three)."""
    cells = [LCell(t, header=header) for t in texts]
    cells[-1].colspan = width - len(texts) + 1
    return cells


def _merged(texts: list[str], width: int, header: bool, widest: int, traits: Traits) -> list[LCell]:
    """Cells of a table-2 row; under `data_merges`, a widest row merges a pair of its slots,
    the header one pair and the data another."""
    cells = _spread(texts, width, header)
    if traits.data_merges != "as_header" and len(texts) == widest:
        header_later = traits.data_merges == "before_header"
        cells[-1].colspan = 1
        cells[1 if header == header_later else 0].colspan = 2
    return cells


def _column_label(table: Table, key: str, traits: Traits) -> str:
    label = table.column(key).label
    if key == "amount_10k_yuan" and traits.fees_in_yuan:
        label = "本年收费金额（单位：元）"
    return _header_word(label, traits)


def _active_value(spec: ReportSpec, row: str, col: str, traits: Traits) -> Number | None:
    value = spec.value(ACTIVE, row, col)
    if col == "amount_10k_yuan" and traits.fees_in_yuan and value is not None:
        yuan = Decimal(value) * 10000
        return int(yuan) if yuan == yuan.to_integral_value() else yuan
    return value


def _unit(col: str, traits: Traits) -> str:
    return "元" if col == "amount_10k_yuan" and traits.fees_in_yuan else ""


# ── table 3 ─────────────────────────────────────────────────────────────────────────

_CAPTION = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_GROUP_ROWS = {"denied": "（三）不予公开", "unavailable": "（四）无法提供", "rejected": "（五）不予处理",
               "other": "（六）其他处理"}


def _applications_table(spec: ReportSpec, traits: Traits) -> LTable:
    table = spec.catalog.table(APPLICATIONS)
    columns = [c.key for c in table.columns]
    misaligned = traits.header_spans == "misaligned"
    caption_span = 2 if misaligned else 3
    org = [_header_word(table.column(c).label, traits) for c in columns[1:6]]
    rows: list[list[LCell]] = [
        [LCell(_CAPTION, rowspan=3, colspan=caption_span, header=True), LCell("申请人情况", colspan=7, header=True)],
        [LCell("自然人", rowspan=2, header=True), LCell("法人或其他组织", colspan=5, header=True),
         LCell("总计", rowspan=2, header=True)],
        [LCell(label, header=True) for label in org],
    ]
    if misaligned:  # the header is one slot narrower on the label side than the data rows
        rows[0].append(LCell("", rowspan=3, header=True))

    def figures(row_key: str) -> list[LCell]:
        return [LCell(figure(spec.value(APPLICATIONS, row_key, c), traits)) for c in columns]

    printed = _printed_rows(spec, table)
    misprints = misprinted_rows(table) if traits.misprinted_labels else {}
    results = [r for r in printed if r.result or r.key == "total_processed"]
    group_of_result = LCell(_vertical("三、本年度办理结果", traits), rowspan=len(results))
    first_result = True
    seen_groups: set[str] = set()
    for row in printed:
        label = misprints.get(row.key, row.label)
        if row in results:
            label_cells: list[LCell] = []
            if first_result:
                label_cells.append(group_of_result)
                first_result = False
            if row.group and row.group in _GROUP_ROWS and row.key != "other_handling":
                if row.group not in seen_groups:
                    members = sum(1 for r in printed if r.group == row.group)
                    label_cells.append(LCell(_GROUP_ROWS[row.group], rowspan=members))
                    seen_groups.add(row.group)
                label_cells.append(LCell(_wrap(label, traits)))
            else:
                label_cells.append(LCell(_wrap(label, traits), colspan=2))
            rows.append(label_cells + figures(row.key))
        else:
            rows.append([LCell(_wrap(row.label, traits), colspan=3)] + figures(row.key))
    return LTable(rows, APPLICATIONS, header_rows=3)


def _printed_rows(spec: ReportSpec, table: Table) -> list[Row]:
    """The template's rows, with a variant row the figures hold printed in place of the
    rows it replaces (（六）其他处理 as one row in a 2021 report)."""
    rows: list[Row] = []
    for row in table.rows:
        variant = next((v for v in table.variants if row.key in v.replaces
                        and (table.key, v.key, v.columns[-1]) in spec.values), None)
        if variant is None:
            rows.append(row)
        elif row.key == variant.replaces[0]:
            rows.append(variant)
    return rows


def misprinted_rows(table: Table) -> dict[str, str]:
    """Row key → misprinted label for the second row of each group of sub-items: in each of
    its needles a character dropped (first, third … group) or two swapped (second, fourth
    …), as a typesetting slip leaves it, so that no needle of the catalog matches it."""
    misprints: dict[str, str] = {}
    for number, group in enumerate(g.key for g in table.groups if g.key != "results"):
        members = [r for r in table.rows if r.group == group]
        if len(members) < 3:
            continue
        label = members[1].label
        while needle := next((n for n in members[1].needles if n in label), None):
            at = label.index(needle) + len(needle) // 2
            if number % 2 == 0:
                label = label[:at] + label[at + 1:]
            else:
                label = label[:at - 1] + label[at] + label[at - 1] + label[at + 1:]
        misprints[members[1].key] = label
    return misprints


# ── table 4 ─────────────────────────────────────────────────────────────────────────


def _review_table(spec: ReportSpec, traits: Traits) -> LTable:
    table = spec.catalog.table(REVIEW)
    columns = list(table.columns)
    if traits.table4 == "three_rows":
        rows = [[LCell("项目", colspan=2, header=True)]
                + [LCell(_header_word(c.label, traits), header=True) for c in columns]]
        rows.append([LCell("行政复议", colspan=2)] + _review_figures(spec, "review", traits))
        rows.append([LCell("行政诉讼", rowspan=2), LCell("未经复议直接起诉")]
                    + _review_figures(spec, "litigation_direct", traits))
        rows.append([LCell("复议后起诉")] + _review_figures(spec, "litigation_after_review", traits))
        return LTable(rows, REVIEW, header_rows=1)
    header = [LCell(_header_word(c.label, traits), header=True) for c in columns]
    rows = [
        [LCell("行政复议", colspan=5, header=True), LCell("行政诉讼", colspan=10, header=True)],
        [LCell(c.text, rowspan=2, header=True) for c in header]
        + [LCell("未经复议直接起诉", colspan=5, header=True), LCell("复议后起诉", colspan=5, header=True)],
        [LCell(c.text, header=True) for c in header] * 2,
        [cell for row in table.rows for cell in _review_figures(spec, row.key, traits)],
    ]
    return LTable(rows, REVIEW, header_rows=3)


def _review_figures(spec: ReportSpec, row: str, traits: Traits) -> list[LCell]:
    return [LCell(figure(spec.value(REVIEW, row, c.key), traits)) for c in spec.catalog.table(REVIEW).columns]


# ── a table cut by a page break ─────────────────────────────────────────────────────


def split_table(table: LTable, repeat_header: bool) -> tuple[LTable, LTable]:
    """Cut a long table mid-way through its body, as a page break cuts it: spans crossing
    the cut continue as empty cells (the group label is not written again), and the header
    rows are repeated on the continuation or not."""
    cut = table.header_rows + (len(table.rows) - table.header_rows) // 2
    first = LTable([[_clipped(c, r, cut) for c in row] for r, row in enumerate(table.rows[:cut])],
                   table.section, table.header_rows)
    carried: dict[int, list[tuple[int, LCell]]] = {}
    dense = table.dense()
    for r in range(cut, len(table.rows)):
        for c in range(len(dense[0])):
            cell = table.origin(r, c)
            if dense[r][c] is None and _row_of(table, cell) < cut and c == _col_of(table, cell) and r == cut:
                remaining = _row_of(table, cell) + cell.rowspan - cut
                carried.setdefault(r, []).append((c, LCell("", rowspan=remaining, colspan=cell.colspan)))
    rows = []
    for r in range(cut, len(table.rows)):
        cells = sorted(carried.get(r, []) + [(_col_of(table, c), c) for c in table.rows[r]], key=lambda pair: pair[0])
        rows.append([cell for _, cell in cells])
    header = [list(row) for row in table.rows[:table.header_rows]] if repeat_header else []
    return first, LTable(header + rows, table.section, len(header))


def _clipped(cell: LCell, row: int, cut: int) -> LCell:
    return LCell(cell.text, rowspan=min(cell.rowspan, cut - row), colspan=cell.colspan, header=cell.header)


def _row_of(table: LTable, cell: LCell) -> int:
    return next(r for r, row in enumerate(table.rows) if any(c is cell for c in row))


def _col_of(table: LTable, cell: LCell) -> int:
    dense = table.dense()
    return next(c for row in dense for c, slot in enumerate(row) if slot is cell)
