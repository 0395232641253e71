"""The template catalog: FORMAT.md as data.

Every canonical key, label and label variant of the 2019 and 2021 national templates is
spelled here once. Extractors match published labels against `needles` (distinctive
fragments that survive renumbering, bracket styles and line breaks), validation reads the
row groups that the accounting identities sum over, and the warehouse and tests read the
keys. A new template is a new `Template` value, not new code.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

Unit = Literal["count", "yuan", "10k_yuan"]

ACTIVE = "active_disclosure"
APPLICATIONS = "applications"
REVIEW = "review_litigation"


@dataclass(frozen=True)
class Column:
    """A column of a table. `unit` is the key's unit; `signed` allows negative values."""

    key: str
    label: str
    needles: tuple[str, ...]
    unit: Unit = "count"
    signed: bool = False

    @property
    def is_count(self) -> bool:
        return self.unit == "count"


@dataclass(frozen=True)
class Group:
    """A labelled group of rows, e.g. （三）不予公开; its sub-items share numbers with other groups."""

    key: str
    label: str
    needles: tuple[str, ...]


@dataclass(frozen=True)
class Row:
    """A row of a table. `columns` are keys of the table's columns, in published order.

    `group` names the `Group` the row belongs to; a row whose label is only a generic word
    (3.其他) is recognised through its group. `result` marks the rows that table 3's
    `results_sum` identity adds up.
    """

    key: str
    label: str
    needles: tuple[str, ...]
    columns: tuple[str, ...]
    group: str | None = None
    result: bool = False
    replaces: tuple[str, ...] = ()  # a variant row: printed in place of these rows


@dataclass(frozen=True)
class Table:
    key: str
    number: str  # the section numeral under which the table is published (二, 三, 四)
    heading: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    groups: tuple[Group, ...] = ()
    # Rows some publishers print in place of template rows (（六）其他处理 as one row in a
    # 2021 report): matched like any row, but they have cells only where printed.
    variants: tuple[Row, ...] = ()

    @cached_property
    def printable_rows(self) -> tuple[Row, ...]:
        """Every row a report may print, in printed order: a variant stands before the
        first row it replaces."""
        rows: list[Row] = []
        for row in self.rows:
            rows += [v for v in self.variants if v.replaces[:1] == (row.key,)]
            rows.append(row)
        return tuple(rows)

    def column(self, key: str) -> Column:
        return self._columns_by_key[key]

    @cached_property
    def _columns_by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}

    def row(self, key: str) -> Row:
        return next(r for r in self.printable_rows if r.key == key)

    def cells(self) -> list[tuple[str, str]]:
        """Every (row, column) pair the template defines, in published order."""
        return [(row.key, col) for row in self.rows for col in row.columns]


@dataclass(frozen=True)
class Template:
    name: Literal["2019", "2021"]
    tables: tuple[Table, ...]
    markers: tuple[str, ...] = field(default=())  # labels only this template prints

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


# ── Table 3: 收到和处理政府信息公开申请情况 ────────────────────────────────────────────

APPLICANT_COLUMNS = (
    Column("natural_person", "自然人", ("自然人",)),
    Column("commercial", "商业企业", ("商业企业",)),
    Column("research", "科研机构", ("科研机构",)),
    Column("social_org", "社会公益组织", ("社会公益组织", "公益组织")),
    Column("legal_service", "法律服务机构", ("法律服务机构",)),
    Column("other_org", "其他", ("其他",)),
    Column("total", "总计", ("总计", "合计")),
)
_APPLICANT_KEYS = tuple(c.key for c in APPLICANT_COLUMNS)

APPLICATION_GROUPS = (
    Group("results", "三、本年度办理结果", ("本年度办理结果", "办理结果")),
    Group("denied", "（三）不予公开", ("不予公开",)),
    Group("unavailable", "（四）无法提供", ("无法提供",)),
    Group("rejected", "（五）不予处理", ("不予处理",)),
    Group("other", "（六）其他处理", ("其他处理",)),
)


def _applications_rows(other_handling: tuple[Row, ...]) -> tuple[Row, ...]:
    def result(key: str, label: str, needles: tuple[str, ...], group: str | None = None) -> Row:
        return Row(key, label, needles, _APPLICANT_KEYS, group=group, result=True)

    return (
        Row("new_received", "一、本年新收政府信息公开申请数量", ("本年新收",), _APPLICANT_KEYS),
        Row("carried_over", "二、上年结转政府信息公开申请数量", ("上年结转",), _APPLICANT_KEYS),
        result("granted", "（一）予以公开", ("予以公开",)),
        result("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ("部分公开",)),
        result("denied_state_secret", "1.属于国家秘密", ("国家秘密",), "denied"),
        result("denied_law_prohibited", "2.其他法律行政法规禁止公开", ("法律行政法规禁止公开", "法律法规禁止公开"),
               "denied"),
        result("denied_three_safety", "3.危及“三安全一稳定”", ("三安全一稳定",), "denied"),
        result("denied_third_party", "4.保护第三方合法权益", ("第三方合法权益",), "denied"),
        result("denied_internal_affairs", "5.属于三类内部事务信息", ("内部事务",), "denied"),
        result("denied_process_info", "6.属于四类过程性信息", ("过程性信息",), "denied"),
        result("denied_enforcement_file", "7.属于行政执法案卷", ("行政执法案卷",), "denied"),
        result("denied_query_matter", "8.属于行政查询事项", ("行政查询事项",), "denied"),
        result("unavailable_not_held", "1.本机关不掌握相关政府信息", ("不掌握相关政府信息", "本机关不掌握"),
               "unavailable"),
        result("unavailable_needs_creation", "2.没有现成信息需要另行制作", ("另行制作",), "unavailable"),
        result("unavailable_unclear", "3.补正后申请内容仍不明确", ("仍不明确",), "unavailable"),
        result("rejected_petition", "1.信访举报投诉类申请", ("信访举报投诉",), "rejected"),
        result("rejected_duplicate", "2.重复申请", ("重复申请",), "rejected"),
        result("rejected_publication", "3.要求提供公开出版物", ("公开出版物",), "rejected"),
        result("rejected_excessive", "4.无正当理由大量反复申请", ("大量反复申请",), "rejected"),
        result("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息", ("确认或重新出具",), "rejected"),
        *other_handling,
        Row("total_processed", "（七）总计", ("总计", "合计"), _APPLICANT_KEYS),
        Row("carried_forward", "四、结转下年度继续办理", ("结转下年度",), _APPLICANT_KEYS),
    )


def _applications(other_handling: tuple[Row, ...], variants: tuple[Row, ...] = ()) -> Table:
    return Table(
        APPLICATIONS, "三", "收到和处理政府信息公开申请情况",
        APPLICANT_COLUMNS, _applications_rows(other_handling), APPLICATION_GROUPS, variants,
    )


def _other_result(key: str, label: str, needles: tuple[str, ...]) -> Row:
    return Row(key, label, needles, _APPLICANT_KEYS, group="other", result=True)


_OTHER_SUB_ROWS_2021 = ("other_overdue_correction", "other_overdue_fee", "other_other")
# FORMAT.md: a 2021 report may print （六）其他处理 as the 2019 template's single row.
OTHER_HANDLING = Row("other_handling", "（六）其他处理", ("其他处理",), _APPLICANT_KEYS, group="other", result=True)


# ── Table 4: 政府信息公开行政复议、行政诉讼情况 ──────────────────────────────────────────

REVIEW_COLUMNS = (
    Column("upheld", "结果维持", ("结果维持", "维持")),
    Column("corrected", "结果纠正", ("结果纠正", "纠正")),
    Column("other", "其他结果", ("其他结果",)),
    Column("pending", "尚未审结", ("尚未审结", "未审结")),
    Column("total", "总计", ("总计", "合计")),
)
_REVIEW_KEYS = tuple(c.key for c in REVIEW_COLUMNS)

REVIEW_LITIGATION = Table(
    REVIEW, "四", "政府信息公开行政复议、行政诉讼情况",
    REVIEW_COLUMNS,
    (
        Row("review", "行政复议", ("行政复议",), _REVIEW_KEYS),
        Row("litigation_direct", "行政诉讼·未经复议直接起诉", ("未经复议直接起诉", "直接起诉"), _REVIEW_KEYS),
        Row("litigation_after_review", "行政诉讼·复议后起诉", ("复议后起诉",), _REVIEW_KEYS),
    ),
)

# ── Table 2: 主动公开政府信息情况 ─────────────────────────────────────────────────────

ACTIVE_2021 = Table(
    ACTIVE, "二", "主动公开政府信息情况",
    (
        Column("issued", "本年制发件数", ("本年制发件数", "制发件数", "本年新制发件数")),
        Column("repealed", "本年废止件数", ("本年废止件数", "废止件数")),
        Column("in_force", "现行有效件数", ("现行有效件数", "现行有效")),
        Column("decisions", "本年处理决定数量", ("处理决定数量", "处理决定数")),
        Column("amount_10k_yuan", "本年收费金额（单位：万元）", ("本年收费金额", "收费金额"), unit="10k_yuan"),
    ),
    (
        Row("regulations", "规章", ("规章",), ("issued", "repealed", "in_force")),
        Row("normative_documents", "行政规范性文件", ("规范性文件",), ("issued", "repealed", "in_force")),
        Row("licensing", "行政许可", ("行政许可",), ("decisions",)),
        Row("penalty", "行政处罚", ("行政处罚",), ("decisions",)),
        Row("coercion", "行政强制", ("行政强制",), ("decisions",)),
        Row("fees", "行政事业性收费", ("行政事业性收费", "事业性收费"), ("amount_10k_yuan",)),
    ),
)

_ITEMS_2019 = ("prev_items", "change", "decisions")
ACTIVE_2019 = Table(
    ACTIVE, "二", "主动公开政府信息情况",
    (
        Column("made", "本年新制作数量", ("本年新制作数量", "新制作数量")),
        Column("published", "本年新公开数量", ("本年新公开数量", "新公开数量")),
        Column("total_published", "对外公开总数量", ("对外公开总数量", "公开总数量")),
        Column("prev_items", "上一年项目数量", ("上一年项目数量", "上年项目数量")),
        Column("change", "本年增/减", ("本年增减", "增减"), signed=True),
        Column("decisions", "处理决定数量", ("处理决定数量", "处理决定数")),
        Column("items", "采购项目数量", ("采购项目数量",)),
        Column("amount_yuan", "采购总金额", ("采购总金额",), unit="yuan"),
    ),
    (
        Row("regulations", "规章", ("规章",), ("made", "published", "total_published")),
        Row("normative_documents", "规范性文件", ("规范性文件",), ("made", "published", "total_published")),
        Row("licensing", "行政许可", ("行政许可",), _ITEMS_2019),
        Row("other_services", "其他对外管理服务事项", ("其他对外管理服务事项", "对外管理服务事项"), _ITEMS_2019),
        Row("penalty", "行政处罚", ("行政处罚",), _ITEMS_2019),
        Row("coercion", "行政强制", ("行政强制",), _ITEMS_2019),
        Row("fees", "行政事业性收费", ("行政事业性收费", "事业性收费"), ("prev_items", "change")),
        Row("procurement", "政府集中采购", ("政府集中采购", "集中采购"), ("items", "amount_yuan")),
    ),
)

# ── The templates ────────────────────────────────────────────────────────────────────

TEMPLATE_2021 = Template(
    "2021",
    (
        ACTIVE_2021,
        _applications((
            _other_result("other_overdue_correction",
                          "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", ("逾期不补正",)),
            _other_result("other_overdue_fee",
                          "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                          ("逾期未按收费通知", "缴纳费用")),
            _other_result("other_other", "3.其他", ("其他",)),
        ), variants=(replace(OTHER_HANDLING, replaces=_OTHER_SUB_ROWS_2021),)),
        REVIEW_LITIGATION,
    ),
    markers=("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "逾期不补正", "逾期未按收费通知"),
)

TEMPLATE_2019 = Template(
    "2019",
    (
        ACTIVE_2019,
        _applications((OTHER_HANDLING,)),
        REVIEW_LITIGATION,
    ),
    markers=("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增减",
             "其他对外管理服务事项", "政府集中采购"),
)

TEMPLATES: dict[str, Template] = {t.name: t for t in (TEMPLATE_2021, TEMPLATE_2019)}
TABLE_KEYS = (ACTIVE, APPLICATIONS, REVIEW)


def template_for_year(year: int | None) -> Template | None:
    """The template a report for `year` should follow (2019–2020: 2019; 2021 on: 2021)."""
    if year is None or year < 2019:
        return None
    return TEMPLATE_2019 if year < 2021 else TEMPLATE_2021
