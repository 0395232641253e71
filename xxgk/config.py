"""Configuration in one place: where the warehouse, the raw store and the registry are,
and the parsing of the arguments every entry point shares (years, jurisdictions).

A location comes from the caller (a CLI flag, a flow parameter), else the environment,
else the default below. The CLI shows the same defaults and variables in `--help` (its
options read `SETTINGS`), and the flows call the same functions, so a deployment and a
terminal resolve a location identically. Nothing below `flows/` reads the environment.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from xxgk.schemas.divisions import jurisdiction_code
from xxgk.schemas.errors import UsageError
from xxgk.schemas.years import FIRST_REPORTING_YEAR

FIRST_YEAR = FIRST_REPORTING_YEAR
LAST_YEAR = 2100


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str


SETTINGS = {
    "warehouse": Setting("XXGK_WAREHOUSE", "xxgk.lake",
                         "the warehouse: a lake folder, or postgresql://…?data=… (docs/operations.md: Scale-out)"),
    "store": Setting("XXGK_STORE", "xxgk-store", "the raw document store: a directory or an fsspec URL"),
    "registry": Setting("XXGK_REGISTRY", "portals.json", "the portal registry (JSON)"),
}
ALLOW_PRIVATE_ENV = "XXGK_ALLOW_PRIVATE"
# The bounds of one document's extraction (flows/isolation.py), for operators to change
# without code: variable → (default, what it bounds).
EXTRACTION_LIMITS = {
    "XXGK_EXTRACT_MEMORY_MB": (3072, "memory (address space) of an extraction worker process, MiB"),
    "XXGK_EXTRACT_SECONDS": (180, "seconds one document may take"),
    "XXGK_EXTRACT_WORKERS": (min(4, os.cpu_count() or 1), "extraction worker processes"),
}


def _resolve(name: str, explicit: str | None) -> str:
    setting = SETTINGS[name]
    return str(explicit) if explicit else os.environ.get(setting.env) or setting.default


def warehouse_path(explicit: str | None = None) -> str:
    return _resolve("warehouse", explicit)


def store_location(explicit: str | None = None) -> str:
    return _resolve("store", explicit)


def registry_path(explicit: str | None = None) -> str:
    return _resolve("registry", explicit)


def allow_private(explicit: bool | None = None) -> bool:
    """Loopback and private addresses are refused unless asked for (the demo, tests)."""
    return explicit if explicit is not None else os.environ.get(ALLOW_PRIVATE_ENV, "") == "1"


def extraction_limits() -> tuple[int, float, int]:
    """(memory in bytes, seconds per document, workers) from the environment, else the
    defaults; a value that is not a positive number is refused."""
    values = []
    for name, (default, meaning) in EXTRACTION_LIMITS.items():
        text = os.environ.get(name) or str(default)
        try:
            value = float(text)
        except ValueError:
            value = 0.0
        if value <= 0:
            raise UsageError(f"{name}={text!r}: not a positive number ({meaning})")
        values.append(value)
    memory, seconds, workers = values
    return int(memory * 1024 ** 2), seconds, int(workers)


_YEAR_PART = re.compile(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?")


def parse_years(text: str) -> set[int]:
    """2019-2024, 2023, or 2019,2021-2022: the set of reporting years, each checked against
    the years reports exist for before any set is built."""
    years: set[int] = set()
    for part in str(text).split(","):
        match = _YEAR_PART.fullmatch(part)
        first, last = (int(match[1]), int(match[2] or match[1])) if match else (0, -1)
        if not match or not FIRST_YEAR <= first <= last <= LAST_YEAR:
            raise UsageError(f"not a year or range of years from {FIRST_YEAR} to {LAST_YEAR}: {text!r}")
        years.update(range(first, last + 1))
    return years


def reporting_years(today: date | None = None) -> set[int]:
    """Reports of year N appear from January of N+1: a nightly run looks for the current
    and the previous reporting year, which is also every command's default."""
    year = (today or date.today()).year
    return {year - 2, year - 1}


def parse_jurisdictions(values: Iterable[str]) -> list[str]:
    """GB/T 2260 codes or place names (海东市, 海东市人民政府) → codes; an unknown one is an
    error rather than a filter that silently matches nothing."""
    codes = []
    for value in values:
        code = jurisdiction_code(value)
        if code is None:
            raise UsageError(f"not a GB/T 2260 division code or a place name: {value!r}")
        codes.append(code)
    return codes
