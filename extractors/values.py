"""Published cell text → canonical value, following FORMAT.md's value rules.

A blank cell is None, never 0; dashes, slashes and 无 are blank; full-width digits,
thousands separators and count words (件, 宗) are tolerated; a stated money unit is
converted to the key's unit. What cannot be read stays None and says why, so the
normalizer can report it instead of guessing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from xxgk.schemas.catalog import Unit
from xxgk.schemas.records import Number

BLANK_MARKS = frozenset({"", "-", "--", "—", "——", "–", "―", "─", "/", "\\", "无", "…", "……", "*"})
_COUNT_WORDS = "件宗个条项次人家起份"
_NUMBER = re.compile(
    r"^(?P<sign>[+\-−]?)\s*(?P<digits>\d{1,3}(?:[,，\s]\d{3})+|\d+)(?P<fraction>\.\d+)?\s*"
    rf"(?P<unit>万元|元|[{_COUNT_WORDS}])?$"
)
_YUAN_PER: dict[str, Decimal] = {"yuan": Decimal(1), "10k_yuan": Decimal(10000)}


@dataclass(frozen=True)
class Parsed:
    value: Number | None
    blank: bool
    problem: str | None = None  # why a non-blank text gave no value


@lru_cache(maxsize=65536)
def is_value_like(text: str) -> bool:
    """Does the text look like a figure or a blank mark rather than a label?"""
    clean = _clean(text)
    return clean in BLANK_MARKS or _NUMBER.match(clean) is not None


@lru_cache(maxsize=65536)
def parse_value(text: str, unit: Unit = "count", stated_unit: Unit | None = None) -> Parsed:
    """Parse one cell. `stated_unit` is a unit printed in the column header (单位：元).
    Cached: figures repeat across a report's cells and across reports, and a Parsed is immutable."""
    if text.isascii() and text.isdigit():  # the common case: a plain count
        return Parsed(int(text) if unit == "count"
                      else _canonical(Decimal(text) * _scale(None, stated_unit, unit), unit),
                      blank=False)
    clean = _clean(text)
    if clean in BLANK_MARKS:
        return Parsed(None, blank=True)
    match = _NUMBER.match(clean)
    if match is None:
        return Parsed(None, blank=False, problem=f"not a number: {text.strip()!r}")
    digits = re.sub(r"[,，\s]", "", match["digits"]) + (match["fraction"] or "")
    number = Decimal(digits)
    if match["sign"] in ("-", "−"):
        number = -number
    cell_unit = {"万元": "10k_yuan", "元": "yuan"}.get(match["unit"] or "")
    return Parsed(_canonical(number * _scale(cell_unit, stated_unit, unit), unit), blank=False)


def _scale(cell_unit: str | None, stated_unit: str | None, unit: Unit) -> Decimal:
    """The factor from the unit printed (in the cell, else in the header) to the key's unit."""
    source_unit = cell_unit or stated_unit
    if source_unit and unit != "count" and source_unit != unit:
        return _YUAN_PER[source_unit] / _YUAN_PER[unit]
    return Decimal(1)


def _clean(text: str) -> str:
    """NFKC, and no line breaks: a figure wrapped in a narrow cell (18\n9) is one figure."""
    return unicodedata.normalize("NFKC", text).replace("\n", "").strip()


def _canonical(number: Decimal, unit: Unit) -> Number:
    """Counts that are whole become int; everything else stays an exact Decimal."""
    if unit == "count" and number == number.to_integral_value():
        return int(number)
    return number.normalize() if number != number.to_integral_value() else number.quantize(Decimal(1))
