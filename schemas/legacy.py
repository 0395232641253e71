"""The legacy catalog (reports of 2008–2018, format `legacy`): FORMAT.md's rows as data.

Before the national template, most reports carried the 政府信息公开情况统计表 that
provincial offices prescribed: indicator, unit, this year, running total. Its rows come
under many labels; each key lists the distinctive fragments (`needles`) of its labels,
and the fragments of labels that some tables print apart and that add up to the key
(`parts`: 信函申请数 + 传真申请数 = 信函、传真申请数). Prose patterns are the reader's
business (extractors/legacy.py); the keys, labels and checks are the contract, here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from xxgk.schemas.catalog import Unit
from xxgk.schemas.records import Cell, Issue, Number

LEGACY = "legacy_summary"
LEGACY_COLUMNS = ("year_value", "cumulative")


@dataclass(frozen=True)
class LegacyRow:
    key: str
    label: str
    needles: tuple[str, ...]
    parts: tuple[str, ...] = ()  # labels printed apart that add up to this row
    unit: Unit = "count"


LEGACY_ROWS = (
    LegacyRow("active_total", "主动公开文件数",
              ("主动公开文件数", "主动公开政府信息数", "主动公开信息数", "主动公开政府信息")),
    LegacyRow("active_website", "其中：政府网站公开数", ("政府网站公开数", "网站公开数", "网站公开")),
    LegacyRow("active_gazette", "政府公报公开数", ("政府公报公开数", "公报公开数", "公报公开")),
    LegacyRow("active_press", "新闻发布会次数", ("新闻发布会次数", "新闻发布会公开数", "举办新闻发布会", "新闻发布会")),
    LegacyRow("active_social_media", "政务微博、微信公开数", ("政务微博微信公开数", "微博微信公开数", "政务微博"),
              parts=("政务微博公开", "政务微信公开", "微博公开", "微信公开")),
    LegacyRow("applications_total", "受理依申请公开信息总数",
              ("受理依申请公开信息总数", "依申请公开信息总数", "收到政府信息公开申请数", "政府信息公开申请总数",
               "政府信息公开申请数", "政府信息依申请公开总数", "依申请公开总数", "收到申请数", "申请总数")),
    LegacyRow("applications_in_person", "其中：当面申请数", ("当面申请数", "当面申请")),
    LegacyRow("applications_online", "网上申请数", ("网上申请数", "网上申请", "网络申请")),
    LegacyRow("applications_mail_fax", "信函、传真申请数", ("信函传真申请数", "信函传真申请"),
              parts=("信函申请数", "传真申请数", "信函申请", "传真申请")),
    LegacyRow("applications_email", "电子邮件申请数", ("电子邮件申请数", "电子邮件申请", "邮件申请")),
    LegacyRow("applications_other_channel", "其它形式申请数",
              ("其它形式申请数", "其他形式申请数", "其它形式申请", "其他形式申请")),
    LegacyRow("replies_total", "对申请的答复总数", ("对申请的答复总数", "对申请的答复数", "答复总数", "申请答复数")),
    LegacyRow("replies_granted", "其中：同意公开答复数", ("同意公开答复数", "同意公开", "予以公开答复数")),
    LegacyRow("replies_partially_granted", "同意部分公开答复数",
              ("同意部分公开答复数", "同意部分公开", "部分公开答复数", "部分公开")),
    LegacyRow("replies_denied", "不予公开答复数",
              ("不予公开答复数", "不同意公开答复数", "否决公开答复数", "不予公开", "不同意公开", "否决公开")),
    LegacyRow("replies_other", "其他类型答复数", ("其他类型答复数", "其它类型答复数", "其他类型答复", "其它类型答复"),
              parts=("信息不存在", "非本机关掌握", "申请内容不明确", "不属于政府信息公开范围", "不属于公开范围",
                     "属于已主动公开范围", "不属于本行政机关", "不属于本机关", "告知作出更改补充",
                     "告知通过其他途径办理")),
    LegacyRow("fees_yuan", "政府信息公开收费减免金额",
              ("政府信息公开收费减免金额", "依申请公开收费金额", "收费减免金额", "收费金额", "依申请公开信息收取的费用",
               "收取的费用"), unit="yuan"),
    LegacyRow("complaints", "举报、投诉、申诉数",
              ("举报投诉申诉数", "行政申诉举报数", "行政诉讼举报数", "行政申诉数", "举报投诉申诉", "举报投诉数量",
               "举报投诉", "申诉数", "举报数")),
    LegacyRow("reviews", "行政复议数", ("行政复议数", "行政复议")),
    LegacyRow("lawsuits", "行政诉讼数", ("行政诉讼数", "行政诉讼")),
)
LEGACY_KEYS = tuple(row.key for row in LEGACY_ROWS)
# Rows of the statistics table the State Council's office prescribed for 2014–2018 that
# carry no key here, some of them naming one (主要负责同志参加新闻发布会次数 is a part of the
# press conferences, 专项经费 in 万元 no fee, 涉及国家秘密 a ground of a refusal counted above):
# read as no row, so that neither their figures nor a finding about them are taken for a key's.
UNCOUNTED = ("规范性文件", "其他方式公开", "回应", "解读", "在线访谈", "主要负责同志", "办结", "涉及国家秘密",
             "涉及商业秘密", "涉及个人隐私", "危及国家安全", "所指政府信息", "其他情形", "维持具体行政行为",
             "被依法纠错", "专门机构", "查阅点", "工作人员", "专职人员", "兼职人员", "专项经费", "工作会议",
             "专题会议", "培训")
# Per row, a pattern of every fragment naming it (needles and parts); one of every fragment naming any.
ROW_NAMES = tuple(re.compile("|".join(map(re.escape, (*row.needles, *row.parts)))) for row in LEGACY_ROWS)
ANY_ROW_NAME = re.compile("|".join(names.pattern for names in ROW_NAMES))
CHANNELS = ("applications_in_person", "applications_online", "applications_mail_fax", "applications_email",
            "applications_other_channel")
REPLIES = ("replies_granted", "replies_partially_granted", "replies_denied", "replies_other")
# The rows printed under 其中 and the row they break down: a part never exceeds its whole,
# in the year's column and in the running total. (Press conferences and posts on social
# media are counted apart from the documents disclosed, not as a part of them.)
PARTS_OF = {"active_total": ("active_website", "active_gazette"), "applications_total": CHANNELS,
            "replies_total": REPLIES}
WHOLE_OF = {part: whole for whole, parts in PARTS_OF.items() for part in parts}


def legacy_row(key: str) -> LegacyRow:
    return next(row for row in LEGACY_ROWS if row.key == key)


@lru_cache(maxsize=4096)
def named_row(label: str) -> tuple[LegacyRow, bool, int, int] | None:
    """(catalog row, is it a part, where its needle starts, its length) of the row a squashed label
    names: the longest needle it holds, the earliest of equally long ones, because a label
    opens with what it counts and may close on a generic word (否决公开答复总数 is a
    kind of reply, not the replies' total). A label holding a fragment of UNCOUNTED names none."""
    if ANY_ROW_NAME.search(label) is None or any(fragment in label for fragment in UNCOUNTED):
        return None
    best: tuple[int, int, LegacyRow, bool] | None = None
    for row in LEGACY_ROWS:
        for needles, is_part in ((row.needles, False), (row.parts, True)):
            for needle in needles:
                start = label.find(needle)
                if start >= 0 and (best is None or (-len(needle), start) < (-best[0], best[1])):
                    best = (len(needle), start, row, is_part)
    return None if best is None else (best[2], best[3], best[1], best[0])


# ── checks (warnings only: these tables were not national and their parts overlap) ──


def check_legacy(cells: list[Cell]) -> list[Issue]:
    """FORMAT.md's legacy checks: the channels add up to the applications, the reply
    kinds to the replies, and a running total is never below the year's figure. A sum
    whose total or every part is unreported is no finding; figures are never changed."""
    values = {(c.row, c.col): c.value for c in cells if c.table == LEGACY}
    issues = [_sum_check(check, total, parts, col, values) for check, total, parts in _SUMS for col in LEGACY_COLUMNS]
    for key in LEGACY_KEYS:
        year, cumulative = values.get((key, "year_value")), values.get((key, "cumulative"))
        if year is not None and cumulative is not None and cumulative < year:
            issues.append(Issue("legacy_cumulative", "warning",
                                f"{key}: the running total {cumulative} is below this year's {year}",
                                table=LEGACY, row=key, col="cumulative", expected=year, actual=cumulative))
    return [issue for issue in issues if issue is not None]


# The sums FORMAT.md checks, in this year's column and in the running totals alike.
_SUMS = (("legacy_channels", "applications_total", CHANNELS), ("legacy_replies", "replies_total", REPLIES))


def _sum_check(check: str, total_key: str, parts: tuple[str, ...], col: str,
               values: dict[tuple[str, str], Number | None]) -> Issue | None:
    total = values.get((total_key, col))
    addends = [values.get((key, col)) for key in parts]
    if total is None or all(value is None for value in addends):
        return None
    expected = sum(value or 0 for value in addends)
    if expected == total:
        return None
    where = "" if col == "year_value" else "'s running total"
    return Issue(check, "warning",
                 f"{total_key}{where} is {total} but its parts ({', '.join(parts)}) sum to {expected}",
                 table=LEGACY, row=total_key, col=col, expected=expected, actual=total)
