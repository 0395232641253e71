"""Reports printed in Traditional characters, read as Simplified.

Portals serve a Traditional rendering of every page through a converting gateway
(…/gate/big5/…), and mirrors keep such renderings: the same report, its headings, labels
and sentences in other characters (開 for 开, 報告 for 报告). Every reader anchors on the
template's Simplified labels and words, so a page or text in Traditional characters is
converted to Simplified before it is read, and the extraction says so: character for
character (OpenCC's t2s), then the words a rendering for Taiwanese readers replaces
(資訊 for 信息, 檔案 for 文件, 透過 for 通过) back to the mainland's. Only words the mainland
does not use are turned back (档案 aside, kept where it names the archives, 档案馆): a table
of whole phrases (OpenCC's tw2sp) would also turn mainland words that Taiwan uses
otherwise (指标 into 指针, 文件 into 文档).

Telling the scripts apart costs a look at three windows of the text: the characters that
most often differ between the two, counted in each form. A Simplified page naming its
Traditional version (繁體) is not mistaken.
"""

from __future__ import annotations

import re
from functools import cache

from opencc import OpenCC

from xxgk.schemas.records import Issue

# Frequent in reports and written differently in the two scripts, in the same order.
_TRADITIONAL = "開資訊關與個發機們會國為對條號報務請處數辦區縣長實進權時議訴構門網統計規範總況間單動絡經濟"
_SIMPLIFIED = "开资讯关与个发机们会国为对条号报务请处数办区县长实进权时议诉构门网统计规范总况间单动络经济"
_TRADITIONAL_CHARS = re.compile(f"[{_TRADITIONAL}]")
_SIMPLIFIED_CHARS = re.compile(f"[{_SIMPLIFIED}]")
# Taiwan's words for what reports say, in Simplified characters, and the mainland's (档案馆,
# the archives, is a mainland word and stays).
_TAIWAN_WORDS = {"资讯": "信息", "释出": "发布", "档案馆": "档案馆", "档案": "文件", "入口网站": "门户网站",
                 "透过": "通过", "网际网路": "互联网", "网路": "网络", "专案": "项目", "稽核": "审核", "程式": "程序",
                 "连结": "链接", "影片": "视频", "型别": "类型"}
_TAIWAN_WORD = re.compile("|".join(sorted(_TAIWAN_WORDS, key=len, reverse=True)))
_WINDOW = 800   # characters looked at from the start, a third and two thirds into the text
_EVIDENCE = 12   # Traditional characters needed, and twice as many as Simplified ones


def is_traditional(text: str) -> bool:
    """Whether the text is written in Traditional characters."""
    sample = "".join(text[start:start + _WINDOW] for start in (0, len(text) // 3, 2 * len(text) // 3))
    traditional = len(_TRADITIONAL_CHARS.findall(sample))  # most pages: none or a 繁體 link, and no more looking
    return traditional >= _EVIDENCE and traditional > 2 * len(_SIMPLIFIED_CHARS.findall(sample))


def simplified(text: str) -> str:
    return _TAIWAN_WORD.sub(lambda word: _TAIWAN_WORDS[word.group()], _converter().convert(text))


def as_simplified(text: str) -> tuple[str, list[Issue]]:
    """The text in Simplified characters, with a note where it was converted."""
    if not is_traditional(text):
        return text, []
    return simplified(text), [Issue("traditional_script", "info", "the report is printed in Traditional "
                                    "characters; it was read after conversion to Simplified")]


@cache
def _converter() -> OpenCC:
    return OpenCC("t2s")
