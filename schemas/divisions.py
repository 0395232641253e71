"""GB/T 2260 administrative divisions, from the `cpca` package's data.

Reference data every layer needs: the extractor resolves an organ's place name to a
code, the registry checks a portal's code, the warehouse fills its `jurisdictions` table,
the CLI accepts a code or a name. The divisions come from a maintained package rather
than a table typed here, and are read once per process.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

# Divisions that are only a grouping in GB/T 2260 (the districts of a city, the counties a
# province governs directly) and publish nothing themselves; no place is called by them.
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


@dataclass(frozen=True)
class Division:
    """A division as the warehouse's `jurisdictions` table holds it and the site reads it."""

    code: str
    name: str
    level: str  # province | prefecture | county
    parent_code: str | None
    province_code: str

    @property
    def placeholder(self) -> bool:
        return self.name in PLACEHOLDER_NAMES


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
    (海东市, 海东市人民政府); None when it is neither. Lenient, as reading titles needs:
    cpca rounds a name to the nearest division (海东县 → 海东市) and picks one of the
    divisions sharing a name; `places_named` is the strict reading of a user's input."""
    text = text.strip()
    if re.fullmatch(r"\d{6}", text):
        return text if text in division_names() else None
    return locate(text) if text else None


# The kinds a division's name ends with, longest first: a name without its kind is the
# short form people write (西宁 for 西宁市), when at least two characters remain.
_KINDS = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区",
          "省", "市", "区", "县", "州", "旗", "盟")


def short_form(name: str) -> str | None:
    """西宁 for 西宁市, 乐都 for 乐都区; None where too little would remain (城区, 矿区) or the
    name has no kind (its short form is itself)."""
    kind = next((k for k in _KINDS if name.endswith(k)), None)
    stem = name[: -len(kind)] if kind else ""
    return stem if len(stem) >= 2 and "族" not in stem else None


@cache
def _codes_by_form() -> dict[str, tuple[str, ...]]:
    """Every full name and short form → the divisions it may designate."""
    forms: dict[str, list[str]] = {}
    for code, name in sorted(division_names().items()):
        if name in PLACEHOLDER_NAMES or len(name) < 2:
            continue
        for form in {name, short_form(name) or name}:
            forms.setdefault(form, []).append(code)
    return {form: tuple(codes) for form, codes in forms.items()}


@cache
def _longest_form() -> int:
    return max(map(len, _codes_by_form()))


def _places_in(text: str) -> Iterator[tuple[tuple[str, ...], bool]]:
    """The place names the text begins with (福建省 福州市 鼓楼区 in 福建省福州市鼓楼区人民政府),
    each as the divisions it may designate and whether it was written in full; the
    longest form at each step. A short form directly followed by a kind (海东 in 海东县)
    is not one: that text names a division that does not exist."""
    at, forms, names = 0, _codes_by_form(), division_names()
    while at < len(text):
        for size in range(min(_longest_form(), len(text) - at), 1, -1):
            form, codes = text[at: at + size], forms.get(text[at: at + size])
            in_full = codes is not None and any(names[code] == form for code in codes)
            if codes and (in_full or not text.startswith(_KINDS, at + size)):
                yield codes, in_full
                at += size
                break
        else:
            return


def _ancestors(code: str) -> set[str]:
    return {code[:2] + "0000", code[:4] + "00"} - {code}


def places_named(text: str) -> tuple[str, ...]:
    """The divisions a user's input may designate: a known 6-digit code; or a place name,
    alone or after its province or city, before an organ or not (鼓楼区, 福州市鼓楼区,
    福州市鼓楼区人民政府). Several where divisions share the name and no parent tells
    them apart; none where the text is no division (海东县) or a division not within the
    one before it (福州市朝阳区), never a near one. A short form that is not within the
    place before it begins the organ (公安 in 海东市公安局), not a place."""
    text = text.strip()
    if re.fullmatch(r"\d{6}", text):
        return (text,) if text in division_names() else ()
    chain: list[tuple[str, ...]] = []
    for codes, in_full in _places_in(text):
        within = tuple(code for code in codes
                       if all(any(parent in _ancestors(code) for parent in named) for named in chain))
        if not within:
            if in_full:
                return ()
            break
        chain.append(within)
    return chain[-1] if chain else ()


def full_name(code: str) -> str:
    """江苏省南京市鼓楼区 for 320106: the division's name after its province and city."""
    names = division_names()
    chain = [names.get(code[:2] + "0000"), names.get(code[:4] + "00"), names[code]]
    return "".join(dict.fromkeys(name for name in chain if name and name not in PLACEHOLDER_NAMES))
