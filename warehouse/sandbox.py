"""SQL from anyone, able to read the lake and nothing else: what `xxgk query` runs.

DuckDB's own switches do not make a connection safe for anyone's SQL: the sqlite
extension (which a lake with a SQLite catalog needs) reads and writes any SQLite file
whatever `enable_external_access` says, and the lake's folder, which a reader must be
allowed, is also where `COPY … TO` can write. So a query passes three gates, each an
allow-list rather than a list of what to fear, and then runs in a process of its own:

1. DuckDB parses it: exactly one statement, of the SELECT kind (DESCRIBE, SHOW,
   SUMMARIZE and PRAGMAs that only read are SELECTs too; COPY, ATTACH, CALL, SET,
   EXPORT, INSTALL, LOAD and every write are other kinds).
2. Its syntax tree (DuckDB's `json_serialize_sql`) names only table functions of
   `TABLE_FUNCTIONS`, and tables by plain names (a quoted path is no table).
3. Its plan (`EXPLAIN`, views expanded) reads only through the scans of `SCANS`.

The process attaches the lake read-only (catalog and data), with external access off,
only the data folder allowed, no temporary directory (nothing spills to disk), a memory
limit, Python's replacement scans off and the configuration locked before any of the
query is parsed. It streams the result back as Arrow and stops at a bound on rows and
bytes; the caller kills it at the time limit. Every refusal is one line.
"""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
from dataclasses import asdict, dataclass
from typing import Any

import duckdb

from xxgk.schemas.connections import ObjectStorage
from xxgk.warehouse.errors import WarehouseUnavailable
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
_BATCH_ROWS = 2048
_REFUSED, _UNAVAILABLE = 3, 4  # the query process's exit statuses for the two kinds of error
_OVERHEAD = 2 * 1024 ** 3  # address space of the query process beyond DuckDB's memory limit


@dataclass(frozen=True)
class QueryLimits:
    seconds: float
    memory: int        # bytes of DuckDB memory
    rows: int
    result_bytes: int


def query(warehouse: str, sql: str, *, at: str | None = None, limits: QueryLimits,
          storage: ObjectStorage | None = None) -> tuple[list[str], list[tuple]]:
    """The columns and rows of `sql` on the lake at `warehouse` (as of `at`), run in a
    process of its own that can read the lake and nothing else, under `limits`; `storage`:
    object storage's credentials, for a lake whose data is remote (they reach the process
    through its stdin, never its command line)."""
    import pyarrow as pa

    request = json.dumps({"warehouse": warehouse, "sql": sql, "at": at, "limits": asdict(limits),
                          "storage": asdict(storage) if storage else None})
    with subprocess.Popen([sys.executable, "-c", _START, *(p for p in sys.path if p)], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        try:
            out, err = process.communicate(request.encode(), timeout=limits.seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise QueryError(f"the query ran longer than {limits.seconds:g} s and was stopped "
                             f"(--timeout, XXGK_QUERY_SECONDS)") from None
    message = err.decode("utf-8", "replace").strip()
    if process.returncode == _UNAVAILABLE:
        raise WarehouseUnavailable(message)
    if process.returncode != 0:
        raise QueryError(message or f"the query process ended with status {process.returncode}")
    table = pa.ipc.open_stream(out).read_all()
    columns = [column.to_pylist() for column in table.columns]
    return table.column_names, list(zip(*columns, strict=True)) if columns else []


# The query process, started with our import path (its arguments), so it imports the
# project from where we run it.
_START = ("import runpy, sys; sys.path[:0] = sys.argv[1:]; del sys.argv[1:]; "
          "runpy.run_module('xxgk.warehouse.sandbox', run_name='__main__', alter_sys=True)")


# ── inside the query process ────────────────────────────────────────────────────────


def vet(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """The one SELECT statement of `sql`, once it has passed the three gates."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as error:
        raise QueryError(_message(error)) from None
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
    try:
        con.sql(sql)  # bound alone first, so that an error points into the query as written
        [(_, plan)] = con.execute(f"EXPLAIN (FORMAT json) {sql}").fetchall()
    except duckdb.Error as error:
        raise QueryError(_message(error)) from None
    for node in _nodes(json.loads(plan)):
        if "name" not in node or "children" not in node:
            continue
        info = node.get("extra_info")
        runs_function = isinstance(info, dict) and "Function" in info
        if (runs_function or not node["children"]) and node["name"] not in SCANS:
            raise QueryError(f"the query would read through {node['name']}, which reaches beyond the lake")
    return sql


def _nodes(tree: Any):
    """Every JSON object in a tree, depth first."""
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _message(error: duckdb.Error) -> str:
    """DuckDB's whole message (its hints and candidates help), an out-of-memory one
    shortened to what happened and which bound to raise."""
    text = str(error).strip()
    if isinstance(error, duckdb.OutOfMemoryException):
        return (f"the query needs more memory than its bound (XXGK_QUERY_MEMORY_MB): "
                f"{text.splitlines()[0]}")
    return text


def _stream(con: duckdb.DuckDBPyConnection, sql: str, limits: dict[str, int]) -> None:
    import pyarrow as pa

    rows = size = 0
    try:
        reader = con.execute(sql).to_arrow_reader(_BATCH_ROWS)
        with pa.ipc.new_stream(sys.stdout.buffer, reader.schema) as out:
            for batch in reader:
                rows += batch.num_rows
                size += batch.nbytes
                if rows > limits["rows"]:
                    raise QueryError(f"the query returns more than {limits['rows']:,} rows "
                                     f"(XXGK_QUERY_ROWS): aggregate, filter or add a LIMIT")
                if size > limits["result_bytes"]:
                    raise QueryError(f"the query returns more than {limits['result_bytes'] // 1024 ** 2} MiB "
                                     f"(XXGK_QUERY_RESULT_MB): select fewer columns or rows")
                out.write_batch(batch)
    except duckdb.Error as error:
        raise QueryError(_message(error)) from None
    except MemoryError:
        raise QueryError("the query needs more memory than its bound (XXGK_QUERY_MEMORY_MB)") from None


def _serve() -> int:
    """Run the request on stdin: the result to stdout as an Arrow stream, an error to stderr."""
    from xxgk.warehouse.connect import open_warehouse

    request = json.load(sys.stdin)
    limits = request["limits"]
    budget = limits["memory"] + _OVERHEAD
    resource.setrlimit(resource.RLIMIT_AS, (budget, budget))
    try:
        storage = ObjectStorage(**request["storage"]) if request["storage"] else None
        with open_warehouse(request["warehouse"], read_only=True, at=request["at"], locked=True,
                            memory=limits["memory"], storage=storage) as con:
            _stream(con, vet(con, request["sql"]), limits)
    except QueryError as error:
        print(error, file=sys.stderr)
        return _REFUSED
    except WarehouseUnavailable as error:
        print(error, file=sys.stderr)
        return _UNAVAILABLE
    except MemoryError:
        print("the query needs more memory than its bound (XXGK_QUERY_MEMORY_MB)", file=sys.stderr)
        return _REFUSED
    except Exception as error:  # the process's edge: whatever else went wrong, in one line
        print(f"the query failed: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}",
              file=sys.stderr)
        return _REFUSED
    return 0


if __name__ == "__main__":
    sys.exit(_serve())
