"""Figures stated in prose: 全年共受理政府信息公开申请12件，其中当面申请5件、网上申请7件.

A sentence is cut into clauses (，；), a clause into segments ending at a figure (a
number with its counting word or 元); the subjects a segment names (the caller's table of
patterns) own its figure. A number that counts the report's own parts (六个部分, 三个方面)
is no figure. A clause that negates its subjects and states no figure
(未发生行政复议、行政诉讼) gives them 0, as does a heading answered with a bare "none"
(…行政诉讼的情况 无). Under a numbered heading run into its sentence, the sentence's own
words say what a figure counts. What the words leave open is reported, never
guessed: an approximate figure (约30件, 30余件), one figure for several subjects without
各/均 (行政复议、行政诉讼共3件), or two different figures for one subject.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property

from xxgk.extractors.grid import Paragraph
from xxgk.extractors.guard import first_characters, guarded
from xxgk.schemas.records import Number

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
# 1,234 / 1 234 (a space, a no-break or a thin space between digit groups) / 12.5 / 十二
_NUMBER = (r"\d{1,3}(?:[ \u00a0\u2009\u202f\u3000]\d{3})+(?![\d.])|\d[\d,，]*(?:\.\d+)?"
           r"|[零〇一二两三四五六七八九十百千]+")
_NUMERAL = re.compile(r"[\d零〇一二两三四五六七八九十百千]")  # what every figure (_FIGURE) holds
_APPROX_BEFORE = re.compile(r"(?:约|近|大约|超过|逾|上)$")
_UNITS = ("万元", "元", "人次", "件", "条", "次", "宗", "起", "个", "份", "项", "场", "期")
_IS = ("为", "是")
_FIGURE = guarded(re.compile(  # a number after 第 (第二十条, 第3次) or inside a numeral (十条 of 二十条) is none
    rf"(?P<before>为|达|计)?(?<![第\d零〇一二两三四五六七八九十百千])(?P<number>{_NUMBER})(?P<approx>余|多)?\s*"
    rf"(?P<unit>{'|'.join(_UNITS)})"
    rf"|(?P<is>{'|'.join(_IS)})(?P<bare>\d+|零)(?![\d.%年月日])"
))
# What every figure holds besides its numeral: a counting word, or the 为/是 of a bare one.
_FIGURE_WORD = re.compile(f"[{''.join(sorted({char for word in (*_UNITS, *_IS) for char in word}))}]")
# 由…等六个部分组成, 通过四条途径公开, 等9项政府信息公开工作制度: a count of the report's parts,
# of the ways of a work or of its rules, whatever the words about them name.
_NOT_A_FIGURE = re.compile(r"\s*(?:部分|方面|章|节|页|板块|栏目|途径|渠道|方式|形式|措施|举措)"
                           r"|[^，,。；;\d]{0,12}?(?:制度|机制|办法|规定|流程|细则|方案)(?:[，,。；;、]|$)")
# 1,234 is a number, not two clauses; 主动公开政府信息：156条 is a label and its figure, one clause.
_CLAUSE = re.compile(r"[，；;。！？\n：:,](?!(?<=[：:])\s*\d)(?!(?<=\d,)\d{3}(?!\d))")
# A sentence and the stop that ends it: found by a quick scan for the stops, not a split at
# a look-behind tried from every character.
_SENTENCE = re.compile(r"[^。；;！？]+[。；;！？]?|[。；;！？]")
_NEGATION = re.compile(r"未|没有|并无|不存在|无(?!法)|均为零|均为0|暂不|不(?=收)")
_FOUND = ("发现", "查出")  # after a negation: none found at fault (未发现泄密情况)
_EACH = re.compile(r"[各均分别]")
# A numbered heading run into the sentence under it (（一）主动公开政府信息的数量 2014年共制作
# 政府信息152条): the heading says what the section is about, the sentence what it counts.
_HEADING_ENDS = ("数量", "情况")  # the word a section's heading ends with (…行政诉讼情况, …信息的数量)
_INLINE_HEADING = guarded(re.compile(r"(?:（[一二三四五六七八九十]{1,2}）"
                                     r"|(?<![\d一二三四五六七八九十])[一二三四五六七八九十]{1,2}、)"
                                     rf"[^，,。；;：:（）]{{2,40}}?(?:{'|'.join(_HEADING_ENDS)})(?:\s+|(?=(?:19|20)\d{{2}}))"))
_COUNTED = re.compile(r"信息|文件|申请|案件|事项|公告|简报")  # a sentence naming what it counts
# A heading answered with a bare "none" (三、依申请公开政府信息办理情况 无申请 / …行政诉讼情况：无).
_BARE_NONE = frozenset(none + kind + what for none in ("无", "没有", "暂无", "未发生")  # a set: tested on every clause
                       for kind in ("", "此类", "相关", "该类") for what in ("", "申请", "情况"))
_ENDS_HEADING = re.compile(rf"(?:{'|'.join(_HEADING_ENDS)})\s*$")
_TITLE = re.compile(r"《[^《》]*》")
# 制作政府信息200条，其中主动公开150条，依申请公开30条，不予公开20条 (or …其中主动公开253份、
# 依申请公开及不予公开409份): the information made, broken down by how it is to be disclosed;
# its 依申请公开 and 不予公开 are classes of information, not requests received or replies.
_INFORMATION_MADE = re.compile(r"(?:制作|制发|印发|产生|生成|形成|获取)[^，,。；\d]{0,10}?(?:政府|政务)?信息"
                               r"[^，,。；\d]{0,4}?\d")


def _class_counted(kind: str, information: str) -> re.Pattern[str]:
    """A class of information named, then counted (依申请公开的政府信息数共30条)."""
    return re.compile(rf"{kind}(?:的)?(?:政府|政务)?{information}(?:数)?(?:共|为)?\s*\d")


_ON_REQUEST_COUNTED = _class_counted("依申请公开(?:及不予公开)?", "(?:信息)?")
# The information actively disclosed counted (主动公开政府信息40条): its classes follow in 条.
_ACTIVE_COUNTED = _class_counted("主动公开", "信息")
# The figure's noun, when it is a count of cases (1件行政复议案件, 2起因…引起的行政诉讼案件).
_CASES = re.compile(r"[^，,。；;：:\d]{0,20}?案件")
_RECEIVED = re.compile(r"受理|收到|接到|接收|提出|答复")
_FIGURE_ENDS = frozenset("0123456789%％ ")  # how a line holding a lone figure ends (a quick test before the pattern)
_LONE_FIGURE = re.compile(r"\s*\d[\d,.]*\s*[%％]?\s*")  # a line holding a figure and nothing else
_GOES_ON = re.compile(rf"\s*(?:{'|'.join(_UNITS)}|[，,、。；;%％])")  # a line going on from a figure
_MAX_SENTENCE = 400
_WRAPPED = 0.85  # of the page's longest line: a line this long was wrapped, not ended
# A longer run without a full stop is a table dump, not a sentence.
_SENTENCE_ENDS = ("。", "；", ";", "！", "？", "：", ":")


@dataclass(frozen=True)
class Subject:
    """What a phrase says a figure counts: `key` is the caller's, `pattern` the words."""

    key: str
    pattern: re.Pattern[str]
    narrows: tuple[str, ...] = ()  # keys whose figure this one is a part of: named together, the part owns it

    @cached_property
    def fast(self) -> re.Pattern[str]:
        """The pattern behind a guard of its first characters (extractors/guard.py): the same
        matches, found several times faster."""
        return guarded(self.pattern)

    @cached_property
    def opening(self) -> frozenset[str] | None:
        """The characters its words start with (None: not known)."""
        return first_characters(self.pattern)


def _may_name(subjects: tuple[Subject, ...], text: str) -> list[Subject]:
    """The subjects that the text holds a first character of: no other can be named in it,
    and a report's short segments hold few (a set test instead of a search per subject)."""
    present = set(text)
    return [s for s in subjects if s.opening is None or not s.opening.isdisjoint(present)]


@dataclass(frozen=True)
class Statement:
    """A figure read from a sentence (value None: the words leave it open, see `problem`)."""

    key: str
    value: Number | None
    sentence: str
    page: int | None
    paragraph: int
    unit: str | None = None  # 元 / 万元 as printed, for money
    problem: str | None = None
    counter: str | None = None  # the counting word printed after the figure (件, 条, 个 …)
    clause: str = ""  # the words before the figure in its clause: what the figure is said of


Sentence = tuple[str, int | None, int]  # the sentence, its page, its paragraph's number


def sentences(paragraphs: Iterable[Paragraph]) -> Iterable[Sentence]:
    """(sentence, page, paragraph number) in reading order, wrapped lines rejoined."""
    for number, paragraph in enumerate(unwrapped(list(paragraphs)), start=1):
        for sentence in _SENTENCE.findall(paragraph.text):
            if sentence.strip() and len(sentence) <= _MAX_SENTENCE:
                yield sentence.strip(), paragraph.page, number


def unwrapped(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A PDF gives lines, not paragraphs: a line as long as the page's longest that does
    not end a sentence runs on into the next line. Headings and last lines are shorter.
    A figure alone on its line, the next opening with its counting word or a clause's
    mark (累计主动公开政府信息 / 5928 / 条，其中…), is a sentence broken around it, as
    conversions of a document to a page or a text print it: the three are one line."""
    longest: dict[int | None, int] = {}
    for paragraph in paragraphs:
        longest[paragraph.page] = max(longest.get(paragraph.page, 0), len(paragraph.text))
    out: list[Paragraph] = []
    runs_on = False
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text
        broken = (text[-1:] in _FIGURE_ENDS and _LONE_FIGURE.fullmatch(text) is not None
                  and index + 1 < len(paragraphs) and _GOES_ON.match(paragraphs[index + 1].text) is not None)
        if out and (runs_on or broken and not out[-1].text.endswith(_SENTENCE_ENDS)):
            out[-1] = Paragraph(out[-1].text + text, out[-1].page)
        else:
            out.append(paragraph)
        runs_on = broken or (paragraph.page is not None and len(text) >= _WRAPPED * longest[paragraph.page]
                             and not text.endswith(_SENTENCE_ENDS))
    return out


def read_statements(said: Iterable[Sentence], subjects: tuple[Subject, ...]) -> list[Statement]:
    """Every figure the sentences state about the subjects, in reading order. Most of a
    report's clauses state no figure or name no subject; a clause without a figure or a
    negation, or without any subject, is passed by, tested in the order of the patterns'
    cost (a numeral, a figure, the subjects' long alternation)."""
    named = _any_of(subjects)
    found: list[Statement] = []
    for sentence, page, number in said:
        if not (_NUMERAL.search(sentence) or _NEGATION.search(sentence)):
            continue  # nor has any of its clauses (a bare 无 answering a heading is a negation)
        clauses = _CLAUSE.split(sentence)
        for index, clause in enumerate(clauses):
            if index and clause.strip() in _BARE_NONE and _ENDS_HEADING.search(clauses[index - 1]):
                clause = f"{clauses[index - 1]} {clause}"  # …行政诉讼情况：无
            numeral = _NUMERAL.search(clause)
            figures = _figures(clause, numeral.start()) if numeral else []
            if not (figures or _NEGATION.search(clause)):
                continue
            if named.search(clause) or (figures and named.search(_without(clause, figures))):  # 收到3件…申请
                found += _clause(clause, figures, subjects, sentence, page, number)
    return found


def _figures(clause: str, numeral: int) -> list[re.Match[str]]:
    """The clause's figures. The figure pattern is costly, tried at each character: it is
    tried only where the clause holds a counting word or a 为/是 too (a numeral of 一是 or
    进一步 is most often alone), from one character before its first numeral (where a
    figure's 为, 达 or 是 may stand)."""
    start = max(0, numeral - 1)
    return list(_FIGURE.finditer(clause, start)) if _FIGURE_WORD.search(clause, start) else []


def _without(clause: str, figures: list[re.Match[str]]) -> str:
    """The clause with its figures taken out (收到3件…申请 → 收到…申请)."""
    ends = [0, *(edge for figure in figures for edge in figure.span()), len(clause)]
    return "".join(clause[start:end] for start, end in zip(ends[::2], ends[1::2], strict=True))


def outside_titles(text: str) -> str:
    """The text without the titles of documents it cites (《2010年政府信息公开工作要点》)."""
    return _TITLE.sub("", text) if "《" in text else text


def classes_information(statement: Statement) -> bool:
    """Whether the figure is a class of the information made (…依申请公开30条，不予公开20条)
    or disclosed (主动公开政府信息40条，其中办理…事项的依据1条) rather than requests or replies:
    its sentence says information was made, or counts 依申请公开 beside 主动公开, or counts
    the information disclosed and the figure is counted in 条 as that is; and its clause
    names no request received or answered."""
    sentence = statement.sentence
    breakdown = (_INFORMATION_MADE.search(sentence) or ("主动公开" in sentence and _ON_REQUEST_COUNTED.search(sentence))
                 or (statement.counter == "条" and _ACTIVE_COUNTED.search(sentence)))
    return bool(breakdown) and _RECEIVED.search(statement.clause) is None


@cache
def _any_of(subjects: tuple[Subject, ...]) -> re.Pattern[str]:
    """A pattern matching wherever one of the subjects' does (their patterns hold no
    anchors, so a clause naming none of them has no part that does). Each subject keeps its
    guard: where a character opens a few of them, the others are passed by at their first test."""
    return guarded(re.compile("|".join(f"(?:{subject.fast.pattern})" for subject in subjects)))


def _clause(clause: str, figures: list[re.Match[str]], subjects: tuple[Subject, ...], sentence: str,
            page: int | None, paragraph: int) -> list[Statement]:
    def statement(key: str, value: Number | None, unit: str | None = None, problem: str | None = None,
                  counter: str | None = None, said_of: str = clause) -> Statement:
        return Statement(key, value, sentence, page, paragraph, unit, problem, counter, said_of)

    if not figures:
        negation = _NEGATION.search(clause)
        if negation is None or clause.startswith(_FOUND, negation.end()):
            return []  # 尚无发现应主动公开而未予公开的情况: a finding of none at fault, not a count of none
        keys = _named(clause[negation.end():], subjects)
        before = clause[:negation.start()]  # where a heading's last word ends there, if it holds one
        heading = max((before.rfind(word) + len(word) for word in _HEADING_ENDS if word in before), default=0)
        if not keys and heading and clause[heading:].strip() in _BARE_NONE:
            keys = _named(clause[:heading], subjects)  # the heading's subjects, answered 无
        return [statement(key, 0) for key in keys]
    out: list[Statement] = []
    start = 0
    for index, figure in enumerate(figures):
        segment = clause[start:figure.start()]
        start = figure.end()
        keys = _said_of(segment, subjects)
        if not keys:
            upto = figures[index + 1].start() if index + 1 < len(figures) else len(clause)
            keys, noun = _counted_after(segment, clause[figure.end():upto], subjects)
            start += noun
        if not keys or _NOT_A_FIGURE.match(clause, figure.end()):
            continue
        value = _number(figure["number"] or figure["bare"])
        unit = figure["unit"] if figure["unit"] in ("元", "万元") else None
        said = {"counter": figure["unit"], "said_of": segment}
        approximate = figure["approx"] or _APPROX_BEFORE.search(segment)
        if approximate:
            out += [statement(k, None, unit, f"an approximate figure ({figure.group()})", **said) for k in keys]
        elif len(keys) > 1 and not _EACH.search(segment[-4:] + (figure["before"] or "")):
            out += [statement(k, None, unit, f"one figure ({figure.group()}) for {'、'.join(keys)} together", **said)
                    for k in keys]
        elif value is None:
            out += [statement(k, None, unit, f"an unreadable figure ({figure.group()})", **said) for k in keys]
        else:
            out += [statement(k, value, unit, **said) for k in keys]
    return out


def _said_of(segment: str, subjects: tuple[Subject, ...]) -> list[str]:
    """The subjects a figure is said of. Under a numbered heading run into the sentence, the
    sentence's own words decide: its subjects, or none where it names another thing it
    counts (制作政府信息152条 under 主动公开政府信息的数量); the heading's only where the
    sentence names nothing (（一）主动公开政府信息的数量 全年共152条)."""
    heading_end = max((m.end() for m in _INLINE_HEADING.finditer(segment)), default=0)
    own = segment[heading_end:]
    keys = _named(own, subjects)
    if keys or not heading_end or _COUNTED.search(own):
        return keys
    return _named(segment, subjects)


def _counted_after(segment: str, after: str, subjects: tuple[Subject, ...]) -> tuple[list[str], int]:
    """What a figure counts when the noun follows it (收到3件政府信息公开申请, 召开2次新闻发布会):
    the subjects that the words before the figure begin and the words after it complete,
    else those named in a noun of cases right after it (引发1件行政复议案件, 1起因信息公开
    引起的行政诉讼案件: the figure counts the cases). Another noun printed wholly after
    the figure (清理出3条政府公开信息, 确保每一份答复…) is not taken. With the keys, how
    many of the words after the figure their noun takes: no later figure is said of them
    (1件…行政复议案件和2件行政诉讼案件)."""
    joined = segment + after
    matches = _matches(joined, subjects)
    begun = {key: end - len(segment) for start, end, key in matches if start < len(segment) < end}
    if begun:
        return [key for key in _named(joined, subjects, matches) if key in begun], max(begun.values())
    cases = _CASES.match(after)
    return (_named(cases.group(), subjects), cases.end()) if cases else ([], 0)


def _matches(text: str, subjects: tuple[Subject, ...]) -> list[tuple[int, int, str]]:
    """Every match of every subject in the text: (start, end, key)."""
    return [(m.start(), m.end(), s.key) for s in _may_name(subjects, text) for m in s.fast.finditer(text)]


def _named(segment: str, subjects: tuple[Subject, ...],
           matches: list[tuple[int, int, str]] | None = None) -> list[str]:
    """The subjects a segment names, in order (`matches`: the subjects' matches in it, where
    the caller has them); a match inside a longer one (同意公开 in 不同意公开) does not
    count, nor a whole named with one of its parts (通过网站主动公开政府信息29条 counts what
    the website carried), nor words of a document's title (《公开申请办理工作流程》等5项制度
    counts rules, not requests processed)."""
    titles = [(m.start(), m.end()) for m in _TITLE.finditer(segment)] if "《" in segment else []
    spans = [span for span in (_matches(segment, subjects) if matches is None else matches)
             if not any(start < span[0] and span[1] < end for start, end in titles)]
    kept = [span for span in spans
            if not any(o is not span and o[0] <= span[0] and span[1] <= o[1] and (o[1] - o[0]) > (span[1] - span[0])
                       for o in spans)]
    keys: list[str] = []
    for _, _, key in sorted(kept):
        if key not in keys:
            keys.append(key)
    narrowed = {whole for subject in subjects if subject.key in keys for whole in subject.narrows}
    return [key for key in keys if key not in narrowed]


def _number(text: str) -> Number | None:
    """Arabic (1,234 / 12.5) or Chinese (十二, 一百零五) numerals."""
    if text[0].isdigit():
        digits = re.sub(r"[,，\s]", "", text)
        return int(digits) if "." not in digits else Decimal(digits)
    total, current = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[char]
            current = 0
        else:
            return None
    return total + current
