"""What SQL from anyone may run on the lake, and how much it may bring back: the gates
and bounds `xxgk query` (warehouse/sandbox.py) and the notebook's reader
(warehouse/reader.py) share.

DuckDB's own switches do not make a connection safe for anyone's SQL: the sqlite
extension (which a lake with a SQLite catalog needs) reads and writes any SQLite file
whatever `enable_external_access` says, and the lake's folder, which a reader must be
allowed, is also where `COPY … TO` can write. So a query passes three gates, each an
allow-list rather than a list of what to fear, before any of it runs:

1. DuckDB parses it: exactly one statement, of the SELECT kind (DESCRIBE, SHOW,
   SUMMARIZE and PRAGMAs that only read are SELECTs too; COPY, ATTACH, CALL, SET,
   EXPORT, INSTALL, LOAD, transactions and every write are other kinds).
2. Its syntax tree (DuckDB's `json_serialize_sql`) names only table functions of
   `TABLE_FUNCTIONS`, and tables by plain names (a quoted path is no table).
3. Its plan (`EXPLAIN`, views expanded) reads only through the scans of `SCANS`.

The gates run on a locked connection (warehouse/connect.py: the lake attached read-only,
external access off, settings locked), and its result is counted as it streams in:
more rows or bytes than the bounds allow is refused, never cut short.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import duckdb

from xxgk.warehouse.queries import QueryError

# Table functions a query may call: generators, and the catalogue and history of the lake.
TABLE_FUNCTIONS = frozenset({
    "range", "generate_series", "unnest", "snapshots", "ducklake_snapshots", "ducklake_table_info",
    "ducklake_list_files", "table_changes", "ducklake_table_changes", "ducklake_table_insertions",
    "ducklake_table_deletions", "duckdb_tables", "duckdb_views", "duckdb_columns", "duckdb_schemas",
    "duckdb_databases", "duckdb_types", "duckdb_constraints", "duckdb_functions", "duckdb_keywords",
    "pragma_table_info", "pragma_show", "pragma_version", "pragma_database_size"})
# The plan's scans a query may read through (a plan's leaves, and any operator running a table function).
SCANS = frozenset({"DUCKLAKE_SCAN", "DUMMY_SCAN", "COLUMN_DATA_SCAN", "EMPTY_RESULT", "CTE_SCAN", "CHUNK_SCAN",
                   "DELIM_SCAN", "RECURSIVE_CTE_SCAN", "RECURSIVE_RECURRING_CTE_SCAN", "UNNEST",
                   *(name.upper() for name in TABLE_FUNCTIONS)})
_NAME = re.compile(r"[^\W\d][\w$]*")  # a table named as an identifier, not a path or URL
BATCH_ROWS = 2048  # rows of each Arrow batch a result streams in
OUT_OF_MEMORY = "the query needs more memory than its bound (XXGK_QUERY_MEMORY_MB)"
LONGEST_WAIT = (2 ** 31 - 1) // 1000  # seconds (24 days): poll(2) waits at most INT_MAX milliseconds

Parameters = list[Any] | tuple[Any, ...] | dict[str, Any] | None


@dataclass(frozen=True)
class QueryLimits:
    seconds: float     # at most LONGEST_WAIT: a longer bound is as good as none
    memory: int        # bytes of DuckDB memory
    rows: int
    result_bytes: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "seconds", min(self.seconds, LONGEST_WAIT))


def vet(con: duckdb.DuckDBPyConnection, sql: str, params: Parameters = None) -> str:
    """The one SELECT statement of `sql`, once it has passed the three gates (`params`:
    the values of its `?` or `$name` placeholders, which its plan is made with)."""
    with refusals():
        statements = duckdb.extract_statements(sql)
    if len(statements) != 1:
        raise QueryError(f"one statement at a time, not {len(statements)}")
    [statement] = statements
    if statement.type != duckdb.StatementType.SELECT:
        raise QueryError(f"a query is read-only: one SELECT, not a {statement.type.name} statement")
    sql = statement.query  # as DuckDB rewrote it (a PRAGMA as the SELECT it runs)
    [(tree,)] = con.execute("SELECT json_serialize_sql(?)", [sql]).fetchall()
    tree = json.loads(tree)
    if tree.get("error"):
        raise QueryError(f"not a query that reads: {tree.get('error_message', 'it cannot be serialized')}")
    for node in _nodes(tree):
        kind = node.get("type")
        if kind == "TABLE_FUNCTION" and isinstance(node.get("function"), dict):
            name = str(node["function"].get("function_name", "")).lower()
            if name not in TABLE_FUNCTIONS:
                raise QueryError(f"the table function {name} reaches beyond the lake and is not run")
        elif kind == "BASE_TABLE" and not _NAME.fullmatch(str(node.get("table_name", ""))):
            raise QueryError(f"{node.get('table_name')!r} is not a table of the lake")
    with refusals():
        if params is None:  # bound alone first, so that an error points into the query as written
            con.sql(sql)    # (given values, DuckDB would run it to bind it: EXPLAIN binds it then)
        [(_, plan)] = con.execute(f"EXPLAIN (FORMAT json) {sql}", params).fetchall()
    for node in _nodes(json.loads(plan)):
        if "name" not in node or "children" not in node:
            continue
        info = node.get("extra_info")
        runs_function = isinstance(info, dict) and "Function" in info
        if (runs_function or not node["children"]) and node["name"] not in SCANS:
            raise QueryError(f"the query would read through {node['name']}, which reaches beyond the lake")
    return sql


def _nodes(tree: Any) -> Iterator[dict]:
    """Every JSON object in a tree, depth first."""
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def bounded(batches: Iterable[Any], limits: QueryLimits) -> Iterator[Any]:
    """A result's Arrow batches, refused at the first that takes it past its rows or bytes."""
    rows = size = 0
    for batch in batches:
        rows += batch.num_rows
        size += batch.nbytes
        if rows > limits.rows:
            raise QueryError(f"the query returns more than {limits.rows:,} rows "
                             f"(XXGK_QUERY_ROWS): aggregate, filter or add a LIMIT")
        if size > limits.result_bytes:
            raise QueryError(f"the query returns more than {limits.result_bytes // 1024 ** 2} MiB "
                             f"(XXGK_QUERY_RESULT_MB): select fewer columns or rows")
        yield batch


@contextlib.contextmanager
def refusals() -> Iterator[None]:
    """DuckDB's errors, and running out of memory, as the one-line `QueryError` that
    refuses a query (its parsing, its gates, its run and its result alike)."""
    try:
        yield
    except duckdb.Error as error:
        raise QueryError(message(error)) from None
    except MemoryError:
        raise QueryError(OUT_OF_MEMORY) from None


def message(error: duckdb.Error) -> str:
    """DuckDB's whole message (its hints and candidates help), an out-of-memory one
    shortened to what happened and which bound to raise."""
    text = str(error).strip()
    if isinstance(error, duckdb.OutOfMemoryException):
        return f"{OUT_OF_MEMORY}: {text.splitlines()[0]}"
    return text

