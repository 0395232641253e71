"""Label text as the normalizer compares it.

Published labels differ in bracket width, numbering (一、 (三) 1. 1、), quotes, spaces and
line breaks inside words (商业企\\n业, a group label written one character per line).
`squash` removes everything that carries no meaning for matching; `item` also drops the
leading numbering, because sub-item numbers repeat across groups and never identify a row.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NOISE = re.compile(r"[\s\u3000\"'“”‘’「」『』《》〈〉:：;；,，。·•/／]")
_NUMBERING = re.compile(
    r"^(?:"
    r"第?[一二三四五六七八九十]+[、.．)）]"  # 一、  三.
    r"|[(（][一二三四五六七八九十\d]+[)）][、.．]?"  # (三)  （一）
    r"|\d{1,2}[、.．)）]"  # 1.  2、
    r")"
)


@lru_cache(maxsize=65536)
def squash(text: str) -> str:
    """NFKC, without white space, quotes and separators: `商业企\\n业` → `商业企业`."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=65536)
def item(text: str) -> str:
    """The squashed label without its leading numbering: `（七）总计` → `总计`."""
    label = squash(text)
    while (match := _NUMBERING.match(label)) and match.end() < len(label):
        label = label[match.end():]
    return label


def matches(label: str, needle: str) -> bool:
    """A needle of one or two characters (其他, 总计, 规章) must be the whole label; longer
    needles may stand inside it (部分公开 in 部分公开(区分处理的…))."""
    return label == needle if len(needle) <= 2 else needle in label
