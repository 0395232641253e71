"""xxgk: government information-disclosure annual reports → a validated SQL warehouse.

The design card's top-level folders (flows/, extractors/, schemas/, warehouse/, ...) are
installed as subpackages of this package (see pyproject.toml's package-dir), so the
distribution claims only the name `xxgk`.

`from xxgk import connect` gives a notebook a reader of the warehouse (or, asked for, a
loader's writable connection); the warehouse's modules are imported on its first call, so
importing xxgk stays cheap. It is an edge, as the CLI and the flows are: the location, the
bounds and object storage's credentials are resolved here (xxgk/config.py) for a caller
that gave none, and passed down.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal, overload

if TYPE_CHECKING:
    import duckdb

    from xxgk.warehouse.reader import LakeReader

__version__ = "0.1.0"
__all__ = ["connect"]


@overload
def connect(warehouse: str | None = None, *, read_only: Literal[True] = True,
            at: int | str | datetime | None = None) -> LakeReader: ...


@overload
def connect(warehouse: str | None = None, *, read_only: Literal[False],
            at: None = None) -> duckdb.DuckDBPyConnection: ...


def connect(warehouse: str | None = None, *, read_only: bool = True,
            at: int | str | datetime | None = None) -> LakeReader | duckdb.DuckDBPyConnection:
    """The warehouse for notebooks and scripts: `warehouse`, else XXGK_WAREHOUSE, else
    ./xxgk.lake.

    By default a reader (warehouse/reader.py) that reads the lake's tables and views and
    nothing else, whatever SQL it is given: each statement passes the gates of `xxgk query`
    and comes back whole, as a result with `fetchall()`, `fetchone()`, `df()`, `arrow()` and
    `columns`, under the bounds of `xxgk query` (XXGK_QUERY_SECONDS, XXGK_QUERY_MEMORY_MB,
    XXGK_QUERY_ROWS, XXGK_QUERY_RESULT_MB). It never stands in a loader's way; `at` reads an
    earlier state (a snapshot id, a time, or the id of the run whose writes to stop after).

    `read_only=False` gives the loader's own writable DuckDB connection, unguarded: a
    trusted use, for code that writes the lake as `xxgk load` does, never for SQL from others."""
    from xxgk import config

    path = config.warehouse_path(warehouse)
    if not read_only:
        from xxgk.warehouse.connect import open_warehouse

        return open_warehouse(path, at=at, storage=config.object_storage())
    from xxgk.warehouse.gates import QueryLimits
    from xxgk.warehouse.reader import open_reader

    return open_reader(path, at=at, limits=QueryLimits(*config.query_limits()), storage=config.object_storage())
