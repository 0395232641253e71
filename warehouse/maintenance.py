"""Keeping a lake fast after a year of nightly runs, with DuckLake's own maintenance.

Every load writes small Parquet files (and delete files for what it replaced); a year
of nights leaves thousands, and queries slow down opening them. `compact` rewrites data
files that carry many deletions, merges small adjacent files into large ones, and then,
for snapshots older than `keep_days` (which can then no longer be read with `at`),
expires them and removes the files only they used. Run it from the nightly flow after
the load, or by hand; DuckLake resolves its conflicts with loads running at once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

import duckdb

from xxgk.warehouse.turn import write

KEEP_DAYS = 90  # snapshots younger than this stay readable with `at`


def compact(con: duckdb.DuckDBPyConnection, keep_days: int = KEEP_DAYS) -> None:
    [(lake,)] = con.execute("SELECT current_database()").fetchall()
    before = datetime.now(UTC) - timedelta(days=keep_days)
    for call, parameters in (("ducklake_flush_inlined_data(?)", [lake]), ("ducklake_rewrite_data_files(?)", [lake]),
                             ("ducklake_merge_adjacent_files(?)", [lake]),
                             ("ducklake_expire_snapshots(?, older_than => ?)", [lake, before]),
                             ("ducklake_cleanup_old_files(?, older_than => ?)", [lake, before])):
        write(con, partial(con.execute, f"CALL {call}", parameters), turn=False)


def data_files(con: duckdb.DuckDBPyConnection) -> int:
    """How many Parquet data files the current snapshot reads."""
    [(lake,)] = con.execute("SELECT current_database()").fetchall()
    tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = ?",
                                        [lake]).fetchall()]
    return sum(con.execute("SELECT count(*) FROM ducklake_list_files(?, ?)", [lake, t]).fetchall()[0][0]
               for t in tables)
