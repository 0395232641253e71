"""The notebook's reader (`xxgk.connect()`): the lake's tables and views, and nothing else.

A locked DuckDB connection (warehouse/connect.py) is not sealed: the sqlite extension a
SQLite catalog needs ignores `enable_external_access`, `COPY … TO` can write into the data
folder a reader must be allowed, DuckLake's maintenance is a `CALL` away, and a relation's
write methods (`.to_csv`, `.write_parquet`) write wherever they are told. So a notebook gets
a `LakeReader`, not the connection: every statement it is given passes the gates of
`xxgk query` (warehouse/gates.py) before any of it runs, and comes back as a `Result`,
materialised, never a relation or the connection.

The gates run in the notebook's own process, on the reader's own locked connection: they,
not a process boundary, are what keep SQL to the lake (`xxgk query` runs the same gates in
a process of its own to also bound a stranger's memory with an address-space limit and kill
it cleanly). The bounds are the query's: DuckDB's memory limit, rows and bytes counted as
the result streams in, and a timer that interrupts a query at its time limit. What the
notebook's own Python does with a result (`df().to_csv(...)`) is the notebook's own.
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any

import duckdb

from xxgk.schemas.connections import ObjectStorage
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.gates import BATCH_ROWS, Parameters, QueryLimits, bounded, refusals, vet
from xxgk.warehouse.queries import QueryError

if TYPE_CHECKING:
    from datetime import datetime

    import pandas
    import pyarrow

__all__ = ["LakeReader", "Result", "open_reader"]


def open_reader(warehouse: str, *, at: int | str | datetime | None = None, limits: QueryLimits,
                storage: ObjectStorage | None = None) -> LakeReader:
    """A reader of the lake at `warehouse` (as of `at`: a snapshot id, a time, or a run id),
    each of its queries under `limits`; `storage`: object storage's credentials, for a lake
    whose data is remote."""
    con = open_warehouse(warehouse, read_only=True, at=at, locked=True, memory=limits.memory, lossless_arrow=True,
                         storage=storage)
    return LakeReader(con, limits)


class Result:
    """A query's whole answer, held as Arrow: its rows as DuckDB gives them (`fetchone`,
    `fetchmany` and `fetchall` go on from where the last one stopped), or all of it as a
    pandas DataFrame (`df`) or an Arrow table (`arrow`)."""

    def __init__(self, table: pyarrow.Table, description: list[tuple]) -> None:
        self.description = description
        self.columns = [column[0] for column in description]
        # DuckDB's types kept whole (HUGEINT, UUID): read back, they are DuckDB's again; a
        # repeated name made distinct, for DuckDB reads an Arrow table's columns by name
        self._table = table.rename_columns(_distinct(self.columns))
        self._rows: list[tuple] | None = None
        self._next = 0

    def fetchall(self) -> list[tuple]:
        rows = self._all()[self._next:]
        self._next += len(rows)
        return rows

    def fetchmany(self, size: int = 1) -> list[tuple]:
        rows = self._all()[self._next:self._next + max(size, 0)]
        self._next += len(rows)
        return rows

    def fetchone(self) -> tuple | None:
        rows = self.fetchmany(1)
        return rows[0] if rows else None

    def df(self) -> pandas.DataFrame:
        frame = self._read(lambda relation: relation.df())
        frame.columns = self.columns
        return frame

    def arrow(self) -> pyarrow.Table:
        return self._read(lambda relation: relation.to_arrow_table()).rename_columns(self.columns)

    def __len__(self) -> int:
        return self._table.num_rows

    def __repr__(self) -> str:
        return self._read(repr)

    def _all(self) -> list[tuple]:
        if self._rows is None:
            self._rows = self._read(lambda relation: relation.fetchall())
        return self._rows

    def _read(self, how: Any) -> Any:
        """The table read back by a DuckDB of its own, which is given nothing but the table,
        so that values, DataFrames and Arrow types are the ones DuckDB's own methods give."""
        with duckdb.connect() as plain:
            return how(plain.from_arrow(self._table))


class LakeReader:
    """Reads the lake's tables and views and nothing else: `sql` (or `execute`, the same)
    takes one SELECT, with parameters, and returns its `Result`; `begin`, `commit` and
    `rollback` keep several queries on one snapshot. Anything else (a write, COPY,
    ATTACH, CALL, SET, a file or URL, several statements) is refused with one line, a
    `QueryError`, as is a query past a bound. A context manager, as a connection is."""

    def __init__(self, con: duckdb.DuckDBPyConnection, limits: QueryLimits) -> None:
        self._con = con
        self._limits = limits
        self._lock = threading.Lock()  # one query at a time on the connection

    def sql(self, query: str, params: Parameters = None) -> Result:
        """The result of one SELECT on the lake; `params` are the values of its `?`
        (a list) or `$name` (a dict) placeholders."""
        with self._lock, _Deadline(self._con, self._limits.seconds), refusals():
            result = self._con.execute(vet(self._con, query, params), params)
            description = list(result.description or [])
            batches = result.to_arrow_reader(BATCH_ROWS)
            table = _table(bounded(batches, self._limits), batches.schema)
        return Result(table, description)

    def execute(self, query: str, params: Parameters = None) -> Result:
        """`sql` under the name a DuckDB connection gives it."""
        return self.sql(query, params)

    def begin(self) -> None:
        """Every query until `commit` or `rollback` sees the snapshot the first of them saw
        (a reader never blocks a writer)."""
        with self._lock:
            self._con.begin()

    def commit(self) -> None:
        with self._lock:
            self._con.commit()

    def rollback(self) -> None:
        with self._lock:
            self._con.rollback()

    def close(self) -> None:
        with self._lock:
            self._con.close()

    def __enter__(self) -> LakeReader:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


def _distinct(names: list[str]) -> list[str]:
    """The names, a repeat (DuckDB's names ignore case) given the first free suffix."""
    taken: set[str] = set()
    distinct = []
    for name in names:
        candidate, n = name, 0
        while candidate.lower() in taken:
            n += 1
            candidate = f"{name}_{n}"
        taken.add(candidate.lower())
        distinct.append(candidate)
    return distinct


def _table(batches: Any, schema: pyarrow.Schema) -> pyarrow.Table:
    import pyarrow as pa

    return pa.Table.from_batches(list(batches), schema=schema)


class _Deadline:
    """Interrupts the connection's query when it runs past `seconds`, and turns the error
    that ends it into the one line naming the bound."""

    def __init__(self, con: duckdb.DuckDBPyConnection, seconds: float) -> None:
        self._con, self._seconds = con, seconds
        self._guard = threading.Lock()
        self._running = self._fired = False
        self._timer = threading.Timer(seconds, self._stop)
        self._timer.daemon = True

    def __enter__(self) -> None:
        self._running = True
        self._timer.start()

    def _stop(self) -> None:
        with self._guard:
            if self._running:
                self._fired = True
                self._con.interrupt()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        with self._guard:
            self._running = False
        self._timer.cancel()
        if self._fired and error is not None:
            raise QueryError(f"the query ran longer than {self._seconds:g} s and was stopped "
                             f"(XXGK_QUERY_SECONDS)") from None
