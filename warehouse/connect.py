"""Opening the warehouse: one writer at a time, any number of readers.

DuckDB lets one process hold a file for writing. A second writer waits, retrying for a
bounded time, then fails with one line naming the holder as DuckDB reports it, rather
than hanging or touching the file. Queries use read-only connections, which refuse writes.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import duckdb

from xxgk.schemas.errors import XxgkError
from xxgk.warehouse.jurisdictions import fill_jurisdictions
from xxgk.warehouse.migrate import migrate
from xxgk.warehouse.views import create_views

_HOLDER = re.compile(r"Conflicting lock is held in (.+?)(?:\. See also|$)")


class WarehouseUnavailable(XxgkError):
    """The warehouse cannot be opened; the message is one line for the user."""


def open_warehouse(path: str, *, read_only: bool = False, wait_seconds: float = 30.0,
                   prepared: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection at the latest schema (read-only connections see the file as it is).
    `prepared`: this process has already opened the file for writing (migrated it, filled
    the jurisdictions, created the views), as a run writing batch after batch has."""
    if read_only and not Path(path).exists():
        raise WarehouseUnavailable(f"no warehouse at {path}: load reports first (xxgk load PATH...)")
    deadline = time.monotonic() + wait_seconds
    pause = 0.05
    while True:
        try:
            con = duckdb.connect(path, read_only=read_only)
            break
        except duckdb.IOException as error:
            holder = _HOLDER.search(str(error))
            if holder is None:
                raise WarehouseUnavailable(f"cannot open the warehouse {path}: {error}") from None
            if time.monotonic() >= deadline:
                raise WarehouseUnavailable(
                    f"the warehouse {path} is locked by another writer ({holder.group(1)}); "
                    f"gave up after {wait_seconds:.0f} s") from None
            time.sleep(pause)
            pause = min(pause * 2, 1.0)
    if not read_only and not prepared:
        migrate(con)
        fill_jurisdictions(con)
        create_views(con)
    return con
