"""Is a title that of an annual report on government information disclosure, for which
year, by which organ: one scored reading of a page or link title, shared by the
crawler (which links are reports), the extractor (a document's title metadata) and
`xxgk explain` (why a link was taken or passed by).

Real titles word the report in many ways (`…2017政府信息公开工作年度报告`,
`2017年政府信息年度报告`, `2017年度政务信息公开报告`, `…信息公开工作总结报告`,
`二〇一二年…`, the organ before or after the year, spaces anywhere), and a site's other
pages come close (工作总结和…计划, 政府工作报告, 网站年度报表, 自查报告, 预决算, 指南,
工作要点, notices about the reports). So no single pattern decides: each wording family
is a cue with a weight, a title is a report when its cues add up to `THRESHOLD` and it
names a plausible reporting year, and the cues that fired are kept to say why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xxgk.schemas.years import plausible_year, year_number

THRESHOLD = 4
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# A year as titles write it: Arabic (not inside a longer number) or Chinese digits, with
# or without 年/年度. A year followed by a month is a date, not a reporting year.
_YEAR = re.compile(r"(?<![\d〇○零一二三四五六七八九])(?P<year>(?:19|20)\d{2}|[〇○零一二][〇○零一二三四五六七八九]{3})"
                   r"(?![\d〇○零一二三四五六七八九]|年\d{1,2}月|[-./]\d)(?P<suffix>年度|年)?")
# The disclosure: 政府信息公开, 政务信息公开, 信息公开, 政务公开, 政府信息(工作)公开, and a bare
# 公开 where a report noun follows it at once (…工作公开年度报告).
_DISCLOSURE = re.compile(r"政府信息(?:工作)?公开|政务信息公开|信息公开|政务公开|政府信息(?=(?:工作)?年度报告|年报)"
                         r"|公开(?=(?:工作)?(?:年度)?(?:报告|年报))")
# The report noun phrase: 年度报告, 年报, (年度)工作报告, 公开报告, 工作总结报告, 情况(的)报告.
_REPORT_NOUN = re.compile(r"年度(?:工作)?报告|年报|工作报告|公开报告|总结报告|情况的?报告")
# A disclosure phrase and its report noun close together, with no clause between them; a
# 工作/情况总结 is the report only so (a bare 工作总结 is a site's yearly summary of everything).
_ATTACHED = re.compile(rf"(?:{_DISCLOSURE.pattern})[^，,。；;：:《》“”]{{0,8}}?"
                       rf"(?:{_REPORT_NOUN.pattern}|(?:工作|情况)总结)")
# A letter forwarding the report: 关于报送《…政府信息公开…》的函.
_FORWARDING = re.compile(rf"(?:报送|上报|呈报|报备)《[^》]*(?:{_DISCLOSURE.pattern})[^》]*》")
# A title that is the topic alone: …2011年度政府信息公开 (nothing after the disclosure).
_TOPIC_ONLY = re.compile(r"(?:年度?|\d)(?:政府|政务)?信息公开(?:工作)?$")
# What is never the annual report, however close its wording, by family.
NEGATIVE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("plans", re.compile(r"要点|工作计划|工作思路|工作安排|主要任务|分解表|实施方案|计划的报告")),
    ("government work report", re.compile(r"政府工作报告")),
    ("website or statistical tables", re.compile(r"网站|新媒体|报表|公开表")),
    ("self-inspection or assessment", re.compile(r"自查|自评|评估|考核|测评|督查|检查|整改")),
    ("budgets and accounts", re.compile(r"预算|决算|审计")),
    ("guides, catalogues and rules",
     re.compile(r"指南|目录|制度|规定|办法|条例|细则|规范|规则|(?<!征求)意见|解释|申请")),
    ("notices and commentary about the reports",
     re.compile(r"通知|公告|通报|印发|转发|解读|图解|有关事项|编制工作|报送工作")),
    ("a period other than a year", re.compile(r"季度|半年|月份|月报|周报")),
    ("a follow-up of tasks", re.compile(r"落实情况|推进情况|进展情况")),
)
_NEGATIVE_WEIGHT = -6
# Cues and weights: the disclosure and the report noun each count; close together, more.
_CUES: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("disclosure", _DISCLOSURE, 2),
    ("report noun", _REPORT_NOUN, 2),
    ("disclosure and report noun together", _ATTACHED, 2),
    ("forwarding letter", _FORWARDING, 2),
    ("disclosure as the whole topic", _TOPIC_ONLY, 2),
)
# What leads or closes a title around the organ's name, not part of it: 关于(报送), a
# bracketed tag (【年度报告】), a date a list put before the title, an opening bracket.
_LEADING = re.compile(r"^(?:关于(?:报送|上报|呈报|公布|发布)?|报送|【[^】]{0,20}】|\[[^\]]{0,20}\]|"
                      r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|[《【\[（(])+")
_TRAILING = re.compile(r"(?:关于(?:报送|上报|呈报|公布|发布)?|[《【\[（(])+$")
_ORGAN_CHARS = 40
# How the names of offices end: a disclosure phrase in one (某某县政务公开办公室) is its name.
_ORGAN_ENDINGS = ("办公室", "办", "局", "厅", "委员会", "委", "中心", "处", "科", "室", "组", "所", "站")
_TITLE_CHARS = 200  # a title is read this far (no real one is longer; a page's text passed as one costs no more)


@dataclass(frozen=True)
class TitleReading:
    """What a title says: whether it is an annual report on government information
    disclosure, its reporting year and organ (None where it names none), its score and
    the cues that made it."""

    title: str                   # without spaces
    is_report: bool
    year: int | None
    organ: str | None
    score: int
    cues: tuple[str, ...]        # the cues that fired, for and against
    against: tuple[str, ...] = ()  # the negative ones: what else the title names (a plan, a guide…)

    @property
    def is_other(self) -> bool:
        """Whether the title names something else (a plan, a guide, a notice…), as opposed
        to a title that is merely not recognised."""
        return bool(self.against)

    @property
    def why(self) -> str:
        """The cues, for a person reading a crawl's record."""
        verdict = "a report" if self.is_report else "not a report"
        return f"{verdict} (score {self.score}: {', '.join(self.cues) or 'no cue'})"


def normal_title(title: str) -> str:
    """The title as written, without spaces (of every width, the ideographic one too: what
    str.split splits on is what a regex's \\s matches) and with full-width digits made plain."""
    return "".join((title or "").translate(_FULL_WIDTH_DIGITS).split())


def read_title(title: str) -> TitleReading:
    """The title's reading. The organ's name is no cue (an 审计局's or a 政务公开办公室's
    report is a report; a 机构编制委员会办公室 issues no notice by its name), so the cues
    are looked for in the rest of the title."""
    text = normal_title(title)[:_TITLE_CHARS]
    year_match = _reporting_year(text)
    year = year_number(year_match["year"]) if year_match else None  # a plausible one (_reporting_year)
    organ = _organ(text, year_match)
    rest = text.replace(organ, "", 1) if organ else text
    score, cues, against = 0, [], []
    for name, pattern, weight in _CUES:
        if pattern.search(rest):
            score += weight
            cues.append(name)
    for name, pattern in NEGATIVE_CUES:
        if found := pattern.search(rest):
            score += _NEGATIVE_WEIGHT
            against.append(f"{name} ({found.group()})")
    if year is None:
        cues.append("no reporting year")
    return TitleReading(text, score >= THRESHOLD and year is not None, year, organ, score,
                        tuple(cues + against), tuple(against))


def report_title(title: str) -> TitleReading | None:
    """The title's reading, if it is an annual report's; else None."""
    reading = read_title(title)
    return reading if reading.is_report else None


def _reporting_year(text: str) -> re.Match[str] | None:
    """The first year that is not a date; of the years a title names, the first is the one
    it reports on (a later one is when it was posted or revised)."""
    return next((m for m in _YEAR.finditer(text) if plausible_year(year_number(m["year"]))), None)


def _organ(text: str, year: re.Match[str] | None) -> str | None:
    """The organ the title names: before the year (四川省统计局2023年…), between a
    leading year and the disclosure (2023年青海省人民政府政府信息公开…), or before the
    disclosure when the year comes after it (…政府信息公开工作2023年度报告), unless what
    precedes the year is an office's name (某某县政务公开办公室2023年…)."""
    disclosure = _DISCLOSURE.search(text)
    if year is None:
        return None
    if year.start() > 0 and not _LEADING.fullmatch(text[:year.start()]):
        named = text[:year.start()]
    elif disclosure and disclosure.start() > year.end():
        named = text[year.end():disclosure.start()]
    else:
        return None
    if disclosure and disclosure.start() < year.start() and not text[:year.start()].endswith(_ORGAN_ENDINGS):
        named = text[:disclosure.start()]
    named = _TRAILING.sub("", _LEADING.sub("", named)).removesuffix("的")
    return named if 2 <= len(named) <= _ORGAN_CHARS else None
