"""GB/T 2260 administrative divisions, from the `cpca` package's data.

Reference data every layer needs: the extractor resolves an organ's place name to a
code, the registry checks a portal's code, the warehouse fills its `jurisdictions` table,
the CLI accepts a code or a name. The divisions come from a maintained package rather
than a table typed here, and are read once per process.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # province | prefecture | county
    parent_code: str | None
    province_code: str


@lru_cache(maxsize=4096)
def locate(place: str) -> str | None:
    """Cached: a portal's reports name the same organ year after year. cpca's matcher
    for one address, not its `transform`, which builds a pandas frame around it: 3 ms a
    name against 5 µs, paid by every portal of a crawl at once (tests/test_divisions.py
    holds the two to the same answers)."""
    import cpca

    code = cpca._get_one_addr(place, False, {})["adcode"]
    return str(code)[:6] if isinstance(code, str) and code[:6] in division_names() else None


def is_ambiguous(place: str, code: str) -> bool:
    """The division was found by a name alone that other divisions share, with no parent
    (province or city) named before it in the text."""
    name = division_names()[code]
    if name_counts()[name] < 2:
        return False
    parents = {division_names().get(code[:2] + "0000", name), division_names().get(code[:4] + "00", name)} - {name}
    return not any(parent in place or parent.rstrip("省市") in place for parent in parents)


def load() -> None:
    """Read cpca's data now, a few tenths of a second of CPU. A crawl calls this before
    its threads start: the first place name looked up inside them would hold every
    thread at the import lock, stretching every host's gap."""
    _codes_by_name()


@cache
def division_names() -> dict[str, str]:
    """6-digit code → name of every division in cpca's data."""
    import cpca

    return {info.adcode: info.name for info in cpca.ad_2_addr_dict.values()}


@cache
def name_counts() -> Counter[str]:
    return Counter(division_names().values())


@cache
def _codes_by_name() -> dict[str, tuple[str, ...]]:
    codes: dict[str, list[str]] = {}
    for code, name in sorted(division_names().items()):
        codes.setdefault(name, []).append(code)
    return {name: tuple(found) for name, found in codes.items()}


def codes_named(name: str) -> tuple[str, ...]:
    """Every division called `name` (several share 西湖区, 朝阳区…), in code order."""
    return _codes_by_name().get(name, ())


@cache
def divisions() -> tuple[Division, ...]:
    """Every division with its level and parents, in code order."""
    names = division_names()
    rows = []
    for code, name in sorted(names.items()):
        province = code[:2] + "0000"
        if code.endswith("0000"):
            level, parent = "province", None
        elif code.endswith("00"):
            level, parent = "prefecture", province
        else:
            level = "county"
            parent = code[:4] + "00" if code[:4] + "00" in names else province
        rows.append(Division(code, name, level, parent, province))
    return tuple(rows)


def jurisdiction_code(text: str) -> str | None:
    """A 6-digit code of a known division, or the code of the place a name designates
    (海东市, 海东市人民政府); None when it is neither."""
    text = text.strip()
    if re.fullmatch(r"\d{6}", text):
        return text if text in division_names() else None
    return locate(text) if text else None
