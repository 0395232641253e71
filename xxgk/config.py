"""Configuration in one place: where the warehouse, the raw store and the registry are,
the bounds of extraction and queries, the network's proxies and CA bundle, object
storage's credentials, and the parsing of the arguments every entry point shares
(years, jurisdictions).

A location comes from the caller (a CLI flag, a flow parameter), else the environment,
else the default below. The CLI shows the same defaults and variables in `--help` (its
options read `SETTINGS`), and the flows call the same functions, so a deployment and a
terminal resolve a location identically. This module is the one that reads the
environment (Prefect's own variables aside, which flows/prefect_flows.py sets for
Prefect): the edges (the CLI, the flows, `xxgk.connect`) call its resolvers and pass the
values down, and no other module reads the environment (tests/test_layers.py checks
it). Every variable read here is named in a table or constant below, and
docs/operations.md lists them.
"""

from __future__ import annotations

import math
import os
import re
import sys
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from xxgk.schemas.connections import Network, ObjectStorage
from xxgk.schemas.divisions import full_name, places_named
from xxgk.schemas.errors import UsageError
from xxgk.schemas.years import possible_years


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
# The material shared beside a checkout (../shared: the seed report, real documents and
# pages); a plain clone has none and works without it.
SHARED_ENV = "XXGK_SHARED"
SEED_REPORT = Path("seed", "000_b788a0f788d8dbbc.txt")
CACHE_ENV = "XDG_CACHE_HOME"
# The bounds of extraction (flows/isolation.py), for operators to change without code:
# variable → (default, what it bounds). The memory is one command's, all its processes
# together: its own processes keep XXGK_OWN_MEMORY_MB (itself with the warehouse
# connection, a batch of extractions and the crawl's queue; the server the workers are
# forked from; a temporary Prefect server it starts: 880 MiB measured for `xxgk run`) and
# the extraction workers share the rest, each under its own limit.
MAIN_PROCESS_MB = 1024
EXTRACTION_LIMITS = {
    "XXGK_MEMORY_MB": (4096, "memory of one command, all its processes together, MiB"),
    "XXGK_EXTRACT_SECONDS": (180, "seconds one document may take"),
    "XXGK_EXTRACT_WORKERS": (min(4, os.cpu_count() or 1), "extraction worker processes, at most"),
    "XXGK_OWN_MEMORY_MB": (MAIN_PROCESS_MB, "memory of the command's own processes, its workers aside, MiB"),
}
# The CA bundle requests and curl read, in their order: a CA file in place of the system's.
CA_BUNDLE_ENV = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
# The proxies, as urllib reads them: <scheme>_proxy (http_proxy, https_proxy, all_proxy)
# and no_proxy, lower or upper case (HTTP_PROXY is ignored when REQUEST_METHOD is set,
# as in a CGI script). Shown here for the documentation; urllib does the reading.
PROXY_ENV = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
# Object storage's credentials, the usual AWS variables: the DuckDB S3 secret's field →
# variable. Read only when AWS_ACCESS_KEY_ID is set.
OBJECT_STORAGE_ENV = {"key_id": "AWS_ACCESS_KEY_ID", "secret": "AWS_SECRET_ACCESS_KEY", "region": "AWS_REGION",
                      "endpoint": "AWS_ENDPOINT_URL", "session_token": "AWS_SESSION_TOKEN"}
WORKER_MIN_MB = 1536  # what a worker needs to read any report (OCR's runtime takes a gigabyte)
# The bounds of one `xxgk query` (warehouse/sandbox.py): variable → (default, what it bounds).
QUERY_LIMITS = {
    "XXGK_QUERY_SECONDS": (300, "seconds a query may run (--timeout overrides it)"),
    "XXGK_QUERY_MEMORY_MB": (1024, "memory of a query's DuckDB, MiB (nothing spills to disk)"),
    "XXGK_QUERY_ROWS": (1_000_000, "rows a query may return"),
    "XXGK_QUERY_RESULT_MB": (256, "bytes a query may return, MiB (as Arrow columns)"),
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


def shared_folder() -> Path:
    """../shared beside the checkout, or the folder XXGK_SHARED names (a missing one runs
    the demo and the tests as a plain clone does). It may not exist."""
    return Path(os.environ.get(SHARED_ENV) or Path(__file__).resolve().parents[1].parent / "shared")


def cache_folder() -> Path:
    """xxgk's folder under the user's cache (XDG_CACHE_HOME, else ~/.cache): what can be
    made again, such as `xxgk serve`'s snapshots."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache") / "xxgk"


def seed_report() -> Path | None:
    """The seed report (海东市 2023, as published, defects included) when it is there: the
    demo portal publishes it in place of a generated 海东市 2023 report."""
    path = shared_folder() / SEED_REPORT
    return path if path.is_file() else None


def allow_private(explicit: bool | None = None) -> bool:
    """Loopback and private addresses are refused unless asked for (the demo, tests)."""
    return explicit if explicit is not None else os.environ.get(ALLOW_PRIVATE_ENV, "") == "1"


def network() -> Network:
    """The crawler's way out: the proxies of the environment (PROXY_ENV, as urllib reads
    them) and the CA bundle of CA_BUNDLE_ENV (the first set; else the system's)."""
    proxies = urllib.request.getproxies_environment()
    ca_bundle = next((os.environ[name] for name in CA_BUNDLE_ENV if os.environ.get(name)), None)
    return Network(tuple(sorted(proxies.items())), ca_bundle)


def object_storage() -> ObjectStorage | None:
    """Object storage's credentials (OBJECT_STORAGE_ENV), or None when AWS_ACCESS_KEY_ID
    is not set: a lake whose data is remote then goes without (DuckDB's own defaults)."""
    if "AWS_ACCESS_KEY_ID" not in os.environ:
        return None
    return ObjectStorage(**{field: os.environ.get(name, "") for field, name in OBJECT_STORAGE_ENV.items()})


def extraction_limits(workers: int | None = None) -> tuple[int, float, int, int]:
    """(memory of each worker in bytes, seconds per document, workers, memory of the
    command's own processes in bytes) from the environment, else the defaults; `workers`
    is what the caller needs at most (one document at a time: 1). A value that is not a
    positive number is refused, and so is a budget that cannot give each worker
    WORKER_MIN_MB after what the command's own processes keep."""
    budget, seconds, asked, own = _limits(EXTRACTION_LIMITS)
    wanted = min(int(asked) or 1, workers or sys.maxsize)
    count, share = worker_share(budget, wanted, explicit=bool(os.environ.get("XXGK_EXTRACT_WORKERS")), own_mb=own)
    return int(share * 1024 ** 2), seconds, count, int(own * 1024 ** 2)


def worker_share(budget_mb: float, workers: int, *, explicit: bool = False,
                 own_mb: float = MAIN_PROCESS_MB) -> tuple[int, float]:
    """(workers, MiB each) for a command of `budget_mb`: as many of the `workers` wanted
    as can each have WORKER_MIN_MB (all of them, when the count was asked for explicitly),
    sharing what the command's own processes (`own_mb`) leave, so that the workers' limits
    and the own processes' bound add up to the budget at most."""
    left = budget_mb - own_mb
    fitting = min(workers, int(left // WORKER_MIN_MB))
    if fitting < (workers if explicit else 1):
        raise UsageError(f"XXGK_MEMORY_MB={budget_mb:g}: leaves {max(left, 0):,.0f} MiB for {workers} extraction "
                         f"worker(s) after the {own_mb:g} MiB the command's own processes keep (XXGK_OWN_MEMORY_MB), "
                         f"under the {WORKER_MIN_MB} MiB each needs; raise it, or lower XXGK_EXTRACT_WORKERS")
    return fitting, left / fitting


def query_limits() -> tuple[float, int, int, int]:
    """(seconds, memory in bytes, rows, result bytes) of a query, from the environment,
    else the defaults; a value that is not a positive number is refused."""
    seconds, memory, rows, result = _limits(QUERY_LIMITS)
    return seconds, int(memory * 1024 ** 2), int(rows), int(result * 1024 ** 2)


def _limits(table: Mapping[str, tuple[float, str]]) -> list[float]:
    values = []
    for name, (default, meaning) in table.items():
        text = os.environ.get(name) or str(default)
        values.append(positive_number(text, f"{name}={text!r}", meaning))
    return values


def positive_number(text: str | float, shown: str, meaning: str) -> float:
    """`text` as a finite number above zero (0, negatives, nan and inf are refused: each
    would turn a bound off or make it meaningless)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise UsageError(f"{shown}: not a positive number ({meaning})")
    return value


_YEAR_PART = re.compile(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?")


def _year_range() -> str:
    possible = possible_years()
    return f"from {possible[0]} to {possible[-1]}"


def check_year(year: int) -> int:
    """A reporting year as a user gives it: four digits, one a report can be about
    (`23` is refused, not read as a year no report has)."""
    if year not in possible_years():
        raise UsageError(f"not a reporting year {_year_range()}: {year}")
    return year


def parse_years(text: str) -> set[int]:
    """2019-2024, 2023, or 2019,2021-2022: the set of reporting years, each checked against
    the years reports exist for before any set is built."""
    years: set[int] = set()
    possible = possible_years()
    for part in str(text).split(","):
        match = _YEAR_PART.fullmatch(part)
        first, last = (int(match[1]), int(match[2] or match[1])) if match else (0, -1)
        if not match or not possible[0] <= first <= last <= possible[-1]:
            raise UsageError(f"not a year or range of years {_year_range()}: {text!r}")
        years.update(range(first, last + 1))
    return years


def reporting_years(today: date | None = None) -> set[int]:
    """Reports of year N appear from January of N+1: a nightly run looks for the current
    and the previous reporting year, which is also every command's default."""
    year = (today or date.today()).year
    return {year - 2, year - 1}


def parse_jurisdictions(values: Iterable[str]) -> list[str]:
    """GB/T 2260 codes or place names (海东市, 海东市人民政府) → codes. A name is never rounded:
    one that is no division, or that several divisions share with no province or city
    before it, is an error (listing those divisions) rather than a filter that silently
    matches nothing or the wrong place."""
    codes = []
    for value in values:
        found = places_named(value)
        if not found:
            raise UsageError(f"not a GB/T 2260 division code or the name of a division: {value!r}")
        if len(found) > 1:
            listed = ", ".join(f"{code} {full_name(code)}" for code in found)
            raise UsageError(f"{value!r} names {len(found)} divisions: {listed}; give the code, "
                             "or the province or city before the name")
        codes.append(found[0])
    return codes
