"""xxgk: government information-disclosure annual reports → a validated SQL warehouse.

The design card's top-level folders (flows/, extractors/, schemas/, warehouse/, ...) are
installed as subpackages of this package (see pyproject.toml's package-dir), so the
distribution claims only the name `xxgk`.

`from xxgk import connect` gives a notebook a DuckDB connection with the warehouse
attached (read-only unless asked otherwise); the warehouse's modules are imported on
its first call, so importing xxgk stays cheap. It is an edge, as the CLI and the flows
are: the location, the bound and object storage's credentials are resolved here
(xxgk/config.py) for a caller that gave none, and passed down.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

__version__ = "0.1.0"
__all__ = ["connect"]


def connect(warehouse: str | None = None, *, read_only: bool = True,
            at: int | str | datetime | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the warehouse attached, for notebooks and scripts:
    read-only by default, so it never stands in a loader's way, and locked to the lake
    (no other file, URL or setting; DuckDB's memory bounded by XXGK_QUERY_MEMORY_MB);
    `at` reads an earlier state (a snapshot id, a time, or the id of the run whose writes
    to stop after). The warehouse is `warehouse`, else XXGK_WAREHOUSE, else ./xxgk.lake."""
    from xxgk import config
    from xxgk.warehouse.connect import open_warehouse

    memory = config.query_limits()[1] if read_only else None
    return open_warehouse(config.warehouse_path(warehouse), read_only=read_only, at=at, locked=read_only,
                          memory=memory, storage=config.object_storage())
