"""SQL from anyone, able to read the lake and nothing else: what `xxgk query` runs.

A query passes the gates of warehouse/gates.py and then runs in a process of its own.
The process attaches the lake read-only (catalog and data), with external access off,
only the data folder allowed, no temporary directory (nothing spills to disk), a memory
limit (and an address-space limit on the whole process), Python's replacement scans off
and the configuration locked before any of the query is parsed. It streams the result
back as Arrow and stops at a bound on rows and bytes; the caller kills it at the time
limit. Every refusal is one line.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from dataclasses import asdict

import duckdb

from xxgk.schemas.connections import ObjectStorage
from xxgk.warehouse.errors import WarehouseUnavailable
from xxgk.warehouse.gates import BATCH_ROWS, OUT_OF_MEMORY, QueryLimits, bounded, refusals, vet
from xxgk.warehouse.queries import QueryError

_REFUSED, _UNAVAILABLE = 3, 4  # the query process's exit statuses for the two kinds of error
_OVERHEAD = 2 * 1024 ** 3  # address space of the query process beyond DuckDB's memory limit


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
    text = err.decode("utf-8", "replace").strip()
    if process.returncode == _UNAVAILABLE:
        raise WarehouseUnavailable(text)
    if process.returncode != 0:
        raise QueryError(text or f"the query process ended with status {process.returncode}")
    table = pa.ipc.open_stream(out).read_all()
    columns = [column.to_pylist() for column in table.columns]
    return table.column_names, list(zip(*columns, strict=True)) if columns else []


# The query process, started with our import path (its arguments), so it imports the
# project from where we run it.
_START = ("import runpy, sys; sys.path[:0] = sys.argv[1:]; del sys.argv[1:]; "
          "runpy.run_module('xxgk.warehouse.sandbox', run_name='__main__', alter_sys=True)")


# ── inside the query process ────────────────────────────────────────────────────────


def _stream(con: duckdb.DuckDBPyConnection, sql: str, limits: QueryLimits) -> None:
    import pyarrow as pa

    with refusals():
        reader = con.execute(sql).to_arrow_reader(BATCH_ROWS)
        with pa.ipc.new_stream(sys.stdout.buffer, reader.schema) as out:
            for batch in bounded(reader, limits):
                out.write_batch(batch)


def _serve() -> int:
    """Run the request on stdin: the result to stdout as an Arrow stream, an error to stderr."""
    from xxgk.warehouse.connect import open_warehouse

    request = json.load(sys.stdin)
    limits = QueryLimits(**request["limits"])
    budget = limits.memory + _OVERHEAD
    resource.setrlimit(resource.RLIMIT_AS, (budget, budget))
    try:
        storage = ObjectStorage(**request["storage"]) if request["storage"] else None
        with open_warehouse(request["warehouse"], read_only=True, at=request["at"], locked=True,
                            memory=limits.memory, storage=storage) as con:
            _stream(con, vet(con, request["sql"]), limits)
    except QueryError as error:
        print(error, file=sys.stderr)
        return _REFUSED
    except WarehouseUnavailable as error:
        print(error, file=sys.stderr)
        return _UNAVAILABLE
    except MemoryError:
        print(OUT_OF_MEMORY, file=sys.stderr)
        return _REFUSED
    except Exception as error:  # the process's edge: whatever else went wrong, in one line
        print(f"the query failed: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}",
              file=sys.stderr)
        return _REFUSED
    return 0


if __name__ == "__main__":
    sys.exit(_serve())
