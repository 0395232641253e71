"""Generated legacy reports (2008–2018): figures → prose and the 政府信息公开情况统计表.

A legacy report states its figures in sentences whose wording varies from publisher to
publisher, and most add the statistics table. `phrasing` picks one wording per figure
(a sentence of none — 未收到, 未发生 — where the figure is 0), `table` adds the table,
`parts_apart` prints 信函申请数 and 传真申请数 as two rows, `shape` sets the table's
columns (one column headed 年末统计, the running total first, the year column headed
with another year, no header at all) and whether it is printed as running text, its cells separated by a
space or by nothing, as a web archive's page text carries it. The layout is drawn by the
same renderers as template reports (HTML, PDF, text).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from xxgk.samples.figures import CellKey
from xxgk.samples.layout import Heading, Layout, LBlock, LCell, LTable, Para, Traits
from xxgk.schemas.legacy import CHANNELS, LEGACY, LEGACY_COLUMNS, LEGACY_KEYS, PARTS_OF, REPLIES, WHOLE_OF, legacy_row
from xxgk.schemas.records import Number

Figures = dict[str, tuple[Number | None, Number | None]]  # key → (year_value, cumulative)


@dataclass(frozen=True)
class LegacySpec:
    organ: str
    year: int
    jurisdiction_code: str
    figures: Figures = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.organ}{self.year}年政府信息公开工作年度报告"

    def value(self, key: str, col: str = "year_value") -> Number | None:
        year, cumulative = self.figures.get(key, (None, None))
        return year if col == "year_value" else cumulative

    @property
    def values(self) -> dict[CellKey, Number | None]:
        """Every figure as a cell of `legacy_summary`, keyed as a template report's
        `ReportSpec.values` are, so that reports of either kind are compared in one way."""
        return {(LEGACY, key, col): self.value(key, col) for key in LEGACY_KEYS for col in LEGACY_COLUMNS}


def random_legacy(rng: random.Random, organ: str = "海东市人民政府", year: int = 2015,
                  jurisdiction_code: str = "630200", scale: int = 40) -> LegacySpec:
    """Consistent figures: the channels add up to the applications, the reply kinds to the
    replies, a part never above its whole and every running total at least the year's
    figure, both for the parts and for their sums; about one in four is 0."""
    def count(top: int) -> int:
        return 0 if rng.random() < 0.25 else rng.randint(1, top)

    year_values: dict[str, int] = {key: count(scale * 40) for key in ("active_total",)}
    year_values["active_website"] = rng.randint(0, year_values["active_total"])
    year_values["active_gazette"] = rng.randint(0, year_values["active_total"] - year_values["active_website"])
    year_values["active_press"] = count(12)
    year_values["active_social_media"] = count(scale * 5)
    year_values.update({key: count(scale) for key in CHANNELS})
    year_values["applications_total"] = sum(year_values[key] for key in CHANNELS)
    remaining = year_values["applications_total"]
    for key in REPLIES[:-1]:
        year_values[key] = rng.randint(0, remaining)
        remaining -= year_values[key]
    year_values["replies_other"] = remaining
    year_values["replies_total"] = year_values["applications_total"]
    year_values["fees_yuan"] = count(300)
    for key in ("complaints", "reviews", "lawsuits"):
        year_values[key] = count(4)
    cumulative = {key: value + rng.randint(0, scale * 50) for key, value in year_values.items()}
    for whole, parts in PARTS_OF.items():
        summed = sum(cumulative[part] for part in parts)
        cumulative[whole] = summed if whole != "active_total" else summed + rng.randint(0, scale * 50)
    return LegacySpec(organ, year, jurisdiction_code,
                      {key: (value, cumulative[key]) for key, value in year_values.items()})


def without_cumulative(spec: LegacySpec) -> LegacySpec:
    """The figures a report without the table states: this year's only."""
    return LegacySpec(spec.organ, spec.year, spec.jurisdiction_code,
                      {key: (year, None) for key, (year, _) in spec.figures.items()})


@dataclass(frozen=True)
class TableShape:
    """How the statistics table is printed: its figure columns in order (`year_value`,
    `cumulative`), the year its year column is headed with (None: the report's; 0: 年末统计),
    and, when `separator` is not None, as one run of text whose cells it separates."""

    columns: tuple[str, ...] = ("year_value", "cumulative")
    header_year: int | None = None
    separator: str | None = None
    headed: bool = True  # False: no header row, the columns told apart by their figures alone

    def printed(self, spec: LegacySpec) -> LegacySpec:
        """The figures the table in this shape prints (a one-column table has no running total)."""
        return spec if "cumulative" in self.columns else without_cumulative(spec)


def build_legacy_layout(spec: LegacySpec, *, table: bool = True, phrasing: int = 0, parts_apart: bool = False,
                        extra: tuple[str, ...] = (), shape: TableShape = TableShape()) -> Layout:
    """The report as blocks; `extra` sentences are added to the prose (for tests of wording)."""
    blocks: list[LBlock] = [
        Heading(spec.organ, 1), Heading(f"{spec.year}年政府信息公开工作年度报告", 1),
        Para(f"本报告根据《中华人民共和国政府信息公开条例》要求编制。本报告中所列数据的统计期限自{spec.year}年1月1日起"
             f"至{spec.year}年12月31日止。"),
        Heading("一、概述"),
        Para("全年围绕中心工作，不断完善政府信息公开制度，推进重点领域信息公开。"),
        Heading("二、主动公开政府信息情况"),
        Para(_active(spec, phrasing)),
        Heading("三、依申请公开政府信息情况"),
        Para(_applications(spec, phrasing)),
        Para(_replies(spec, phrasing)),
        Heading("四、政府信息公开的收费及减免情况"),
        Para(_fees(spec, phrasing)),
        Heading("五、因政府信息公开申请提起行政复议、行政诉讼的情况"),
        Para(_reviews(spec, phrasing) + _complaints(spec, phrasing)),
        *(Para(sentence) for sentence in extra),
    ]
    if table:
        rows = _table_rows(spec, parts_apart, shape)
        blocks += [Heading("附件：政府信息公开情况统计表"),
                   LTable(rows, LEGACY, header_rows=2) if shape.separator is None
                   else Para(table_text(spec, shape, parts_apart))]
    blocks += [Heading("六、存在的主要问题和改进措施"), Para("公开内容的及时性有待提高，下一步将加强培训。"),
               Para(spec.organ), Para(f"{spec.year + 1}年3月20日")]
    blocks = [block for block in blocks if not isinstance(block, Para) or block.text]
    return Layout(spec, Traits(), blocks)  # type: ignore[arg-type]  # renderers read organ, year and title only


def _pick(options: tuple[str, ...], phrasing: int) -> str:
    return options[phrasing % len(options)]


def _active(spec: LegacySpec, phrasing: int) -> str:
    v = spec.value
    return (_pick(("全年主动公开政府信息{t}条", "本年度共主动公开各类政府信息{t}条", "全年累计公开政府信息{t}条"),
                  phrasing)
            .format(t=v("active_total"))
            + _pick(("，其中通过政府网站公开{w}条、政府公报公开{g}条", "，其中政府网站公开{w}条，政府公报刊登{g}件"),
                    phrasing)
            .format(w=v("active_website"), g=v("active_gazette"))
            + _pick(("，召开新闻发布会{p}次", "，举办新闻发布会{p}场"), phrasing).format(p=v("active_press"))
            + _pick(("，通过政务微博、微信公开{s}条。", "，政务微博、微信发布信息{s}条。"), phrasing)
            .format(s=v("active_social_media")))


_CHANNEL_WORDS = {"applications_in_person": "当面申请", "applications_online": "网上申请",
                  "applications_mail_fax": "信函、传真申请", "applications_email": "电子邮件申请",
                  "applications_other_channel": "其他形式申请"}


def _applications(spec: LegacySpec, phrasing: int) -> str:
    total = spec.value("applications_total")
    if total == 0:
        return _pick(("全年未收到政府信息公开申请。", "本年度没有收到公民、法人和其他组织的政府信息公开申请。"),
                     phrasing)
    opening = _pick(("全年共受理政府信息公开申请{t}件", "本年度共收到政府信息公开申请{t}件",
                     "全年受理依申请公开信息申请{t}件"), phrasing).format(t=total)
    channels = "、".join(f"{_CHANNEL_WORDS[key]}{spec.value(key)}件" for key in CHANNELS)
    return f"{opening}，其中{channels}。"


_REPLY_WORDS = {"replies_granted": ("同意公开", "予以公开"), "replies_partially_granted": ("同意部分公开", "部分公开"),
                "replies_denied": ("不予公开", "不同意公开"), "replies_other": ("其他类型答复", "其他类型答复")}


def _replies(spec: LegacySpec, phrasing: int) -> str:
    if spec.value("applications_total") == 0:
        return ""
    opening = _pick(("已全部答复，共答复{t}件", "所有申请均已办结，共办结{t}件"),
                    phrasing).format(t=spec.value("replies_total"))
    parts = "，".join(f"{_pick(_REPLY_WORDS[key], phrasing)}{spec.value(key)}件" for key in REPLIES)
    return f"{opening}，其中{parts}。"


def _fees(spec: LegacySpec, phrasing: int) -> str:
    fees = spec.value("fees_yuan")
    if fees == 0:
        return _pick(("本年度未收取任何费用。", "全年没有收取政府信息公开相关费用。"), phrasing)
    return _pick(("全年收取检索、复制、邮寄等费用{f}元。", "本年度依申请公开收费金额为{f}元。"),
                 phrasing).format(f=fees)


def _reviews(spec: LegacySpec, phrasing: int) -> str:
    reviews, lawsuits = spec.value("reviews"), spec.value("lawsuits")
    if reviews == 0 and lawsuits == 0:
        return _pick(("全年未发生因政府信息公开引起的行政复议、行政诉讼。",
                      "本年度没有发生针对本机关的政府信息公开行政复议和行政诉讼案件。"), phrasing)
    return _pick(("因政府信息公开申请提起行政复议{r}件、行政诉讼{l}件。",
                  "全年发生政府信息公开行政复议{r}件，行政诉讼{l}件。",
                  "本年度因政府信息公开引发{r}件行政复议案件和{l}件行政诉讼案件。"),
                 phrasing).format(r=reviews, l=lawsuits)


def _complaints(spec: LegacySpec, phrasing: int) -> str:
    complaints = spec.value("complaints")
    if complaints == 0:
        return "未收到有关政府信息公开的举报、投诉和申诉。"
    return _pick(("收到政府信息公开举报、投诉、申诉{c}件。", "受理相关举报和申诉{c}件。"),
                 phrasing).format(c=complaints)


# ── the statistics table ────────────────────────────────────────────────────────────

_UNITS = {"active_total": "条", "active_website": "条", "active_gazette": "条", "active_press": "次",
          "active_social_media": "条", "fees_yuan": "元"}


def _table_rows(spec: LegacySpec, parts_apart: bool, shape: TableShape) -> list[list[LCell]]:
    """The table's rows: a title, the header, one row per indicator; parts numbered under
    their whole (其中：1．…, 2．…) as the provincial form prints them."""
    heading = {"year_value": "年末统计" if shape.header_year == 0 else f"{shape.header_year or spec.year}年度",
               "cumulative": "历年累计"}
    header = [LCell(text, header=True) for text in ("指标名称", "单位", *(heading[col] for col in shape.columns))]
    rows = [[LCell("政府信息公开情况统计表", colspan=len(header), header=True)]] + ([header] if shape.headed else [])
    number = 0
    for key in LEGACY_KEYS:
        unit = _UNITS.get(key, "件")
        year, cumulative = spec.figures.get(key, (None, None))
        printed = [(legacy_row(key).label.removeprefix("其中："), year, cumulative)]
        if parts_apart and key == "applications_mail_fax" and year is not None:
            mail = year // 2
            mail_cumulative = None if cumulative is None else cumulative // 2
            printed = [("信函申请数", mail, mail_cumulative),
                       ("传真申请数", year - mail,
                        None if cumulative is None or mail_cumulative is None else cumulative - mail_cumulative)]
        for label, year_value, cumulative_value in printed:
            number = number + 1 if key in WHOLE_OF else 0
            label = ("其中：" if number == 1 else "") + (f"{number}．" if number else "") + label
            rows.append(_row(label, unit, shape, year_value, cumulative_value))
    return rows


def _row(label: str, unit: str, shape: TableShape, year: Number | None, cumulative: Number | None) -> list[LCell]:
    figures = {"year_value": year, "cumulative": cumulative}
    return [LCell(label), LCell(unit),
            *(LCell("" if figures[col] is None else str(figures[col])) for col in shape.columns)]


def table_text(spec: LegacySpec, shape: TableShape, parts_apart: bool = False) -> str:
    """The table as a page's text carries it: every cell in reading order, one run, a
    blank cell printed as nothing."""
    rows = _table_rows(spec, parts_apart, shape)
    return (shape.separator or "").join(cell.text for row in rows for cell in row if cell.text)


def random_national_table(rng: random.Random, organ: str = "海东市人民政府", year: int = 2016,
                          jurisdiction_code: str = "630200") -> tuple[LegacySpec, list[tuple[str, str, str]]]:
    """The statistics table the State Council's office prescribed for 2014–2018 reports
    (统计指标 / 单位 / 统计数, one column): the figures it gives the legacy keys, and its rows as
    printed (label, unit, figure; — on a section's heading). Parts add up to a key (政务微博 +
    政务微信, 传真 + 信函, the reply kinds besides granted, partly and refused); many rows
    carry no key (规范性文件, 回应解读, 办结, a refusal's grounds, a review's outcome, staff,
    funds in 万元, training), some naming one (主要负责同志参加新闻发布会次数, 专项经费)."""
    def count(top: int) -> int:
        return 0 if rng.random() < 0.25 else rng.randint(1, top)

    def split(total: int, parts: int) -> list[int]:
        cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
        return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]

    active = count(2000)
    weibo, weixin, press = count(300), count(300), count(10)
    channels = {"当面": count(10), "传真": count(3), "网络": count(20), "信函": count(10)}
    requests = sum(channels.values())
    public, granted, partly, refused, not_ours, missing, unclear, elsewhere = split(requests, 8)
    reviews, lawsuits, fee = count(3), count(2), rng.choice(("0", "0", "0.01", "0.02", "0.15"))
    figures: Figures = {
        "active_total": (active, None), "active_website": (rng.randint(0, active), None),
        "active_gazette": (rng.randint(0, active // 10), None), "active_press": (press, None),
        "active_social_media": (weibo + weixin, None), "applications_total": (requests, None),
        "applications_in_person": (channels["当面"], None), "applications_online": (channels["网络"], None),
        "applications_mail_fax": (channels["传真"] + channels["信函"], None), "replies_total": (requests, None),
        "replies_granted": (granted, None), "replies_partially_granted": (partly, None),
        "replies_denied": (refused, None), "replies_other": (public + not_ours + missing + unclear + elsewhere, None),
        "reviews": (reviews, None), "lawsuits": (lawsuits, None), "complaints": (count(5), None),
        "fees_yuan": (round(float(fee) * 10000), None)}
    spec = LegacySpec(organ, year, jurisdiction_code, figures)

    def value(key: str) -> str:
        return str(spec.value(key))

    heading = ("—", "—")
    rows = [("一、主动公开情况", *heading),
            ("（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "条", value("active_total")),
            ("其中：主动公开规范性文件数", "条", str(count(30))), ("制发规范性文件总数", "件", str(count(40))),
            ("（二）通过不同渠道和方式公开政府信息的情况", *heading),
            ("1．政府公报公开政府信息数", "条", value("active_gazette")),
            ("2．政府网站公开政府信息数", "条", value("active_website")),
            ("3．政务微博公开政府信息数", "条", str(weibo)), ("4．政务微信公开政府信息数", "条", str(weixin)),
            ("5．其他方式公开政府信息数", "条", str(count(80))),
            ("二、回应解读情况", *heading),
            ("（一）回应公众关注热点或重大舆情数（不同方式回应同一热点或舆情计1次）", "次", str(count(9))),
            ("（二）通过不同渠道和方式回应解读的情况", *heading),
            ("1．参加或举办新闻发布会总次数", "次", str(press)),
            ("其中：主要负责同志参加新闻发布会次数", "次", str(rng.randint(0, press))),
            ("2．政府网站在线访谈次数", "次", str(count(5))), ("3．政策解读稿件发布数", "篇", str(count(20))),
            ("4．微博微信回应事件数", "次", str(count(9))), ("5．其他方式回应事件数", "次", str(count(5))),
            ("三、依申请公开情况", *heading), ("（一）收到申请数", "件", value("applications_total")),
            *((f"{n}．{channel}申请数", "件", str(channels[channel])) for n, channel in enumerate(channels, start=1)),
            ("（二）申请办结数", "件", str(requests)), ("1．按时办结数", "件", str(requests)),
            ("2．延期办结数", "件", "0"),
            ("（三）申请答复数", "件", value("replies_total")), ("1．属于已主动公开范围数", "件", str(public)),
            ("2．同意公开答复数", "件", str(granted)), ("3．同意部分公开答复数", "件", str(partly)),
            ("4．不同意公开答复数", "件", str(refused)),
            *((("其中：" if n == 0 else "") + ground, "件", str(part)) for n, (ground, part) in enumerate(zip(
                ("涉及国家秘密", "涉及商业秘密", "涉及个人隐私", "危及国家安全、公共安全、经济安全和社会稳定",
                 "不是《条例》所指政府信息", "法律法规规定的其他情形"), split(refused, 6), strict=True))),
            ("5．不属于本行政机关公开数", "件", str(not_ours)), ("6．申请信息不存在数", "件", str(missing)),
            ("7．告知作出更改补充数", "件", str(unclear)), ("8．告知通过其他途径办理数", "件", str(elsewhere)),
            ("四、行政复议数量", "件", str(reviews)),
            *((f"（{n}）{outcome}", "件", str(part)) for n, outcome, part in zip(
                "一二三", ("维持具体行政行为数", "被依法纠错数", "其他情形数"), split(reviews, 3), strict=True)),
            ("五、行政诉讼数量", "件", str(lawsuits)),
            *((f"（{n}）{outcome}", "件", str(part)) for n, outcome, part in zip(
                "一二三", ("维持具体行政行为或者驳回原告诉讼请求数", "被依法纠错数", "其他情形数"), split(lawsuits, 3),
                strict=True)),
            ("六、举报投诉数量", "件", value("complaints")), ("七、依申请公开信息收取的费用", "万元", fee),
            ("八、机构建设和保障经费情况", *heading), ("（一）政府信息公开工作专门机构数", "个", "1"),
            ("（二）设置政府信息公开查阅点数", "个", str(count(5))), ("（三）从事政府信息公开工作人员数", "人", "3"),
            ("1．专职人员数（不包括政府公报及政府网站工作人员数）", "人", "1"), ("2．兼职人员数", "人", "2"),
            ("（四）政府信息公开专项经费（不包括用于政府公报编辑管理及政府网站建设维护等方面的经费）", "万元",
             rng.choice(("5", "2.5", "10"))),
            ("九、政府信息公开会议和培训情况", *heading),
            ("（一）召开政府信息公开工作会议或专题会议数", "次", str(count(4))),
            ("（二）举办各类培训班数", "次", str(count(3))), ("（三）接受培训人员数", "人次", str(count(100)))]
    return spec, rows


def national_table_layout(spec: LegacySpec, rows: list[tuple[str, str, str]], separator: str | None = None) -> Layout:
    """A short report carrying the national table: as a grid, or as one run of text whose
    cells `separator` separates."""
    header = ("统计指标", "单位", "统计数")
    table: LBlock = (LTable([[LCell(text, header=True) for text in header],
                             *([LCell(text) for text in row] for row in rows)], LEGACY, header_rows=1)
                     if separator is None else Para(separator.join(text for row in (header, *rows) for text in row)))
    blocks: list[LBlock] = [Heading(spec.organ, 1), Heading(f"{spec.year}年政府信息公开工作年度报告", 1),
                            Para(f"本报告中所列数据的统计期限自{spec.year}年1月1日起至{spec.year}年12月31日止。"),
                            Heading("附件：政府信息公开情况统计表"), table]
    return Layout(spec, Traits(), blocks)  # type: ignore[arg-type]  # renderers read organ, year and title only
