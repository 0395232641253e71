"""Zones without a GB/T 2260 code of their own, keyed to the division that stands for them.

综合实验区, 新区, 开发区, 高新区 and the like publish reports like any government, but
the division codes do not list them. A zone that administers a county of its own
(平潭综合实验区 governs 平潭县) is keyed to that county; one that spans or sits inside
divisions is keyed to the smallest division holding all of it. The table is data, one
line a zone, each checked against the division codes by the tests; a zone it does not
name is keyed to the division its name begins with (淮安经济技术开发区 → 淮安市).
Either way the key is inferred, and the extraction says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Zone:
    name: str
    code: str
    relation: Literal["administers", "sits in"]


_ZONE_TABLE: tuple[tuple[str, str, Literal["administers", "sits in"]], ...] = (
    ("平潭综合实验区", "350128", "administers"),  # 平潭县
    ("雄安新区", "130600", "sits in"),  # 保定市: 雄县, 容城县, 安新县
    ("两江新区", "500000", "sits in"),  # 重庆市
    ("贵安新区", "520000", "sits in"),  # 贵州省: across 贵阳市 and 安顺市
    ("西咸新区", "610000", "sits in"),  # 陕西省: across 西安市 and 咸阳市
    ("天府新区", "510000", "sits in"),  # 四川省: across 成都市 and 眉山市
    ("赣江新区", "360000", "sits in"),  # 江西省: across 南昌市 and 九江市
    ("滇中新区", "530000", "sits in"),  # 云南省
    ("湘江新区", "430100", "sits in"),  # 长沙市
    ("金普新区", "210200", "sits in"),  # 大连市
    ("青岛西海岸新区", "370211", "administers"),  # 黄岛区
    ("横琴粤澳深度合作区", "440400", "sits in"),  # 珠海市
)
ZONES: tuple[Zone, ...] = tuple(Zone(name, code, relation) for name, code, relation in _ZONE_TABLE)

# Words that make a name a zone rather than a division (浦东新区 is a division: its name is
# the division's own, so the word is not counted there).
ZONE_WORDS = re.compile(r"综合实验区|综合试验区|新区|高新区|开发区|工业园区|产业园区|保税区|合作区|示范区"
                        r"|实验区|试验区|管理区|园区")


def named_zone(place: str) -> Zone | None:
    """The zone of the table that `place` names (the longest name wins)."""
    found = [zone for zone in ZONES if zone.name in place]
    return max(found, key=lambda zone: len(zone.name), default=None)


def zone_word(place: str, division_name: str) -> str | None:
    """The zone word `place` uses beyond the division's own name (淮安经济技术开发区 with
    淮安市 → 开发区; 浦东新区人民政府 with 浦东新区 → None)."""
    rest = place.replace(division_name, "").replace(division_name.rstrip("省市县区"), "", 1)
    found = ZONE_WORDS.search(rest)
    return found.group() if found else None
