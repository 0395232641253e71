"""Report identity: title, organ, reporting year and jurisdiction.

The title names the organ and the year; the 统计期限 sentence names the reporting year
when the title does not (or disagrees); the publication date at the end never does.
Jurisdictions come from the `cpca` package's administrative-division data, not a table
of our own; a place name that several divisions share (朝阳区) is reported, not guessed.
What the document says is settled against what its listing and the caller say by the
one rule of schemas/identity.py. Whatever cannot be determined is None with an issue
saying why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

from xxgk.schemas.divisions import division_names, is_ambiguous, locate
from xxgk.schemas.identity import ReportIdentity, has_place, same_body, settle
from xxgk.schemas.records import Issue
from xxgk.schemas.titles import read_title, report_title
from xxgk.schemas.years import YEAR, plausible_year, year_number
from xxgk.schemas.zones import named_zone, zone_word

_YEAR = YEAR
_REPORT_WORDS = re.compile(r"年度报告|年报|工作报告|信息公开报告")
_PERIOD = re.compile(rf"统计期限[^。]{{0,12}}?自?{_YEAR}年\s*1\s*月\s*1\s*日")
_PERIOD_ANCHOR = re.compile("统计期限")
_PERIOD_WINDOW = 120  # characters from 统计期限 to the 1月1日 after it, with room for stray spaces
_ORGAN_ENDING_WORDS = ("人民政府", "政府办公厅", "政府办公室", "办公厅", "办公室", "委员会", "管委会", "局", "厅", "委",
                       "署", "院", "中心", "街道办事处", "办事处", "镇", "乡")
_ORGAN_ENDINGS = f"(?:{'|'.join(_ORGAN_ENDING_WORDS)})"
_ORGAN_CHARS = 30  # of an organ's name before its ending
# The date a signature ends with (…环境保护局 二○一○年四月十日): a year, then its month.
_MONTH_OF_YEAR = re.compile(r"年\s*[\d一二三四五六七八九十元正]{1,3}\s*月")
_SIGNATURE_DATE = re.compile(rf"{_YEAR}\s*{_MONTH_OF_YEAR.pattern}")
_YEAR_CHARS = 4  # a year is four digits, Arabic or Chinese (YEAR)
# The organ signing the report: its name just before the date at the end.
_SIGNATURE = re.compile(rf"(?P<organ>[\u4e00-\u9fff（）()]{{2,{_ORGAN_CHARS}}}?{_ORGAN_ENDINGS})\s*"
                        rf"{_SIGNATURE_DATE.pattern}")
_SIGNATURE_REACH = 600  # characters from the end: the signature closes the report, before any attachment
_LONGEST_ORGAN = _ORGAN_CHARS + max(map(len, _ORGAN_ENDING_WORDS))
# A run of spaces beside a figure (`2023 年`), found from a space (a pattern starting with a
# character class is looked for by a quick scan, not tried at every character) and
# removed without a call back into Python per figure.
_SPACES_AROUND_DIGITS = re.compile(r"\s(?:(?<=\d\s)\s*|\s*(?=\d))")
_PORTAL_SUFFIX = re.compile(r"\s*[_|｜—–-]\s*[^_|｜—–-]*$")
# Key-value lines that web archives and portals put above a report (标题: …, 发布机构: …):
# read for what they say, never taken for the report's own lines.
_HEADER_LINE = re.compile(
    r"^\s*(?P<key>标题|题名|名称|发布时间|发布日期|成文日期|生成日期|文号|发文字号|发布机构|发文机关|发布单位|来源|"
    r"栏目|原文链接|原文地址|链接|网址|本地目录|索引号|主题分类|分类|作者|浏览次数)\s*[:：]\s*(?P<value>.*)$")
_TITLE_KEYS = ("标题", "题名", "名称")
_ORGAN_KEYS = ("发布机构", "发文机关", "发布单位")
_HEAD_LINES = 40
_PATH = re.compile(r"[>＞»›][^>＞»›]*[>＞»›]")  # a page's place in its portal: 首页 > 信息公开 > 年报
_LINE_REACH = 4096  # characters split into lines at first to find the head's; more only where they fall short
_PREFACE_CHARS = 6000  # the 统计期限 sentence opens the report; the rest is tables and prose


@dataclass
class Metadata:
    title: str | None = None
    organ: str | None = None
    year: int | None = None
    jurisdiction_code: str | None = None
    jurisdiction_name: str | None = None
    issues: list[Issue] = field(default_factory=list)


def detect_metadata(text: str, title_hint: str | None = None, *, listing: ReportIdentity = ReportIdentity(),
                    given: ReportIdentity = ReportIdentity()) -> Metadata:
    """The report's title and identity: what the document says, settled against what its
    `listing` and the caller (`given`) say (schemas/identity.py)."""
    meta = Metadata()
    header, text = archive_header(text)
    meta.title = _first(header, _TITLE_KEYS) or find_title(text) or _title_from_hint(title_hint)
    if meta.title is None:
        meta.issues.append(Issue("title_missing", "warning", "no line near the top reads like a report title"))
    title_organ, title_year = _parse_title(meta.title)
    year_issues: list[Issue] = []
    read = ReportIdentity(organ=_organ(title_organ, [_first(header, _ORGAN_KEYS), _first(header, ("来源",)),
                                                     _organ_line(text), _signature(text)]),
                          year=_reporting_year(text, title_year, year_issues))
    identity = settle(listing, read, given)
    meta.organ, meta.year = identity.organ, identity.year
    if meta.organ is None:
        meta.issues.append(Issue("organ_missing", "warning",
                                 "the publishing organ is named neither in the title nor in a header line"))
    if meta.year is None:
        meta.issues.append(Issue("year_missing", "warning", "no reporting year in the title or in a 统计期限 sentence"))
    elif meta.year == read.year:
        meta.issues.extend(year_issues)  # what the document's year reading found, where that year is the one used
    elif read.year is not None and given.year is None:
        meta.issues.append(Issue("year_conflict", "warning",
                                 f"the listing files the report under {meta.year} but the document's own "
                                 f"reading is {read.year}; the listing's {meta.year} is used"))
    _resolve_jurisdiction(meta, identity.jurisdiction_code)
    return meta


# ── title and organ ─────────────────────────────────────────────────────────────────


def archive_header(text: str) -> tuple[dict[str, str], str]:
    """The key-value header lines near the top (标题: …, 发布机构: …, 原文链接: …) by key,
    and the text without them."""
    lines = text.split("\n", _HEAD_LINES)  # the head's lines, then the rest in one piece
    header: dict[str, str] = {}
    kept: list[str] = []
    for line in lines[:_HEAD_LINES]:
        if (match := _HEADER_LINE.match(line)) is None:
            kept.append(line)
        elif match["value"].strip():
            header.setdefault(match["key"], _tidy(match["value"]))
    if len(kept) == min(len(lines), _HEAD_LINES):
        return header, text
    return header, "\n".join(kept + lines[_HEAD_LINES:])


def _first(header: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((header[key] for key in keys if header.get(key)), None)


def find_title(text: str) -> str | None:
    """A line near the top naming a year and a report; a bare `2023年…报告` line takes the
    organ line above it, as titles set on two lines do. A page's path (首页>…>2014>…年度报告)
    is no title, though its last steps may read like one."""
    previous = None
    for line in _head(text, _HEAD_LINES * 3):
        if len(line) <= 60 and "\t" not in line and not _PATH.search(line) and report_title(line):
            if re.match(rf"^{_YEAR}年", line) and previous is not None and previous.endswith(_ORGAN_ENDING_WORDS):
                return previous + line
            return line
        previous = line
    return None


def _head(text: str, reach: int) -> Iterator[str]:
    """The first lines that are not blank (at most _HEAD_LINES of the first `reach`), tidied
    one by one as they are read: the title is most often the first, and the text is split
    only as far as those lines go."""
    return islice((_tidy(line) for line in _first_lines(text, reach) if line.strip()), _HEAD_LINES)


def _first_lines(text: str, count: int) -> list[str]:
    """`text.splitlines()[:count]` without splitting the whole text: a prefix's lines are
    the text's but for its last, which the cut may have shortened."""
    reach = _LINE_REACH
    while reach < len(text):
        lines = text[:reach].splitlines()
        if len(lines) > count:
            return lines[:count]
        reach *= 4
    return text.splitlines()[:count]


def _title_from_hint(hint: str | None) -> str | None:
    if not hint:
        return None
    title = _tidy(hint)
    while suffix := _PORTAL_SUFFIX.search(title):  # the site's name, the column's (…_政府信息公开年报)
        rest = title[:suffix.start()]
        if _REPORT_WORDS.search(suffix.group()) and not report_title(rest):
            break  # the report's own title ends in the suffix's words
        title = rest
    return title if report_title(title) else None


def _parse_title(title: str | None) -> tuple[str | None, int | None]:
    """The organ and reporting year the title names, read as discovery reads link titles."""
    if not title:
        return None, None
    reading = read_title(title)
    return reading.organ, reading.year


def _organ(title_organ: str | None, others: list[str | None]) -> str | None:
    """The organ the document names: the title's, where it names its place; a title naming
    a bare department (公安局, 发改委) takes the full name of the same body from the page
    header, the 发布机构 line or the signature; without a title's organ, the first of
    those. A bare name left is qualified when the identity is settled."""
    named = [other for other in others if other]
    if title_organ and not has_place(title_organ):
        return next((other for other in named if has_place(other) and same_body(title_organ, other)), title_organ)
    return title_organ or next(iter(named), None)


def _signature(text: str) -> str | None:
    """The organ named just before the closing date (the report's signature)."""
    tail = _tidy(text[-_SIGNATURE_REACH:].replace("\n", " "))
    # A pattern that is tried from every character of the tail (the signature's, up to 30
    # characters at a time) is started where its match can begin at the earliest: each is
    # a shorter one's (starting with a plain 年, looked for by a quick scan) preceded by
    # words of a bounded length without spaces, then spaces, so it cannot start earlier
    # than that length and those spaces before the shorter one's first match.
    if (month := _MONTH_OF_YEAR.search(tail)) is None:
        return None
    if (date := _SIGNATURE_DATE.search(tail, _reach_back(tail, month.start(), _YEAR_CHARS))) is None:
        return None
    found = [match["organ"] for match in _SIGNATURE.finditer(tail, _reach_back(tail, date.start(), _LONGEST_ORGAN))]
    return found[-1] if found else None


def _reach_back(text: str, index: int, chars: int) -> int:
    """The earliest start of words of at most `chars` characters followed by spaces up to `index`."""
    return max(0, len(text[:index].rstrip()) - chars)


def _organ_line(text: str) -> str | None:
    for line in _head(text, _HEAD_LINES):
        if len(line) <= 30 and line.endswith(_ORGAN_ENDING_WORDS):
            return line
    return None


def _tidy(line: str) -> str:
    """No space around figures (`2023 年` → `2023年`), none at the ends."""
    line = line.replace("\u3000", " ")
    return _SPACES_AROUND_DIGITS.sub("", line).strip() if " " in line.strip() else line.strip()


# ── year ────────────────────────────────────────────────────────────────────────────


def _reporting_year(text: str, title_year: int | None, issues: list[Issue]) -> int | None:
    preface = text[:_PREFACE_CHARS].replace("\n", "")
    found = None
    for anchor in _PERIOD_ANCHOR.finditer(preface):  # tidied only where the sentence is, not pages of figures
        if found := _PERIOD.match(_tidy(preface[anchor.start():anchor.start() + _PERIOD_WINDOW])):
            break
    period_year = plausible_year(year_number(found["year"])) if found else None
    if period_year and title_year and period_year != title_year:
        issues.append(Issue("year_conflict", "warning",
                            f"the title says {title_year} but the statistics period is {period_year}; "
                            f"{period_year} is used"))
    return period_year or title_year


# ── jurisdiction ────────────────────────────────────────────────────────────────────


def _resolve_jurisdiction(meta: Metadata, settled: str | None) -> None:
    """The jurisdiction's code and name: the settled code where a listing or the caller
    gave one, else the division the organ (or the title) names."""
    if settled:
        given = settled.strip()
        if given not in division_names():
            meta.issues.append(Issue("jurisdiction_invalid", "error",
                                     f"{given} is not a known GB/T 2260 division code"))
            return
        meta.jurisdiction_code, meta.jurisdiction_name = given, division_names()[given]
        return
    place = meta.organ or meta.title
    if not place:
        meta.issues.append(Issue("jurisdiction_missing", "warning", "no organ or title to find the jurisdiction in"))
        return
    if (zone := named_zone(place)) is not None:
        meta.jurisdiction_code, meta.jurisdiction_name = zone.code, division_names()[zone.code]
        meta.issues.append(Issue("jurisdiction_inferred", "warning",
                                 f"{zone.name} has no GB/T 2260 code of its own; it {zone.relation} "
                                 f"{meta.jurisdiction_name} ({zone.code}), which is used"))
        return
    code = locate(place)
    if code is None:
        meta.issues.append(Issue("jurisdiction_missing", "warning",
                                 f"no administrative division is named in {place!r}; supply it with --jurisdiction"))
        return
    name = division_names()[code]
    if is_ambiguous(place, code):
        meta.issues.append(Issue("jurisdiction_ambiguous", "warning",
                                 f"{name} names several divisions and {place!r} does not say which; "
                                 f"{code} was assumed (supply --jurisdiction to be sure)"))
    if (word := zone_word(place, name)) is not None:
        meta.issues.append(Issue("jurisdiction_inferred", "warning",
                                 f"{place!r} names a {word} without a GB/T 2260 code of its own; "
                                 f"{name} ({code}), where it sits, is used"))
    meta.jurisdiction_code, meta.jurisdiction_name = code, name
