"""Keeping a lake fast after a year of nightly runs, with DuckLake's own maintenance.

Every load writes small Parquet files (and delete files for what it replaced); a year
of nights leaves thousands, and queries slow down opening them. `compact` rewrites data
files that carry many deletions, merges small adjacent files into large ones, and then,
for snapshots older than `keep_days` (which can then no longer be read with `at`),
expires them and removes the files only they used. Run it from the nightly flow after
the load, or by hand; DuckLake resolves its conflicts with loads running at once.

A connection held open through compaction keeps answering: writers inline no data in
the catalog (connect.py), so no table a reader knows is dropped, and no file is removed
before it is `grace` old (two days by default, longer than a nightly cycle), so a
reader still at an older snapshot finds its files. Files in the data folder that the
catalog does not know (orphans of killed loads or full disks) are removed once as old.
Afterwards the checksums of the files compaction wrote are recorded (integrity.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

import duckdb

from xxgk.warehouse.integrity import record_checksums
from xxgk.warehouse.turn import write

KEEP_DAYS = 90  # snapshots younger than this stay readable with `at`
MAX_KEEP_DAYS = 36500
GRACE_HOURS = 48  # no file is removed younger than this: readers holding an older snapshot still read it
MAX_GRACE_HOURS = 24 * 3650


def compact(con: duckdb.DuckDBPyConnection, keep_days: int = KEEP_DAYS, grace_hours: float = GRACE_HOURS) -> None:
    [(lake,)] = con.execute("SELECT current_database()").fetchall()
    now = datetime.now(UTC)
    expired, removable = now - timedelta(days=keep_days), now - timedelta(hours=grace_hours)
    for call, parameters in (("ducklake_flush_inlined_data(?)", [lake]), ("ducklake_rewrite_data_files(?)", [lake]),
                             ("ducklake_merge_adjacent_files(?)", [lake]),
                             ("ducklake_expire_snapshots(?, older_than => ?)", [lake, expired]),
                             ("ducklake_cleanup_old_files(?, older_than => ?)", [lake, min(expired, removable)]),
                             ("ducklake_delete_orphaned_files(?, older_than => ?)", [lake, removable])):
        write(con, partial(con.execute, f"CALL {call}", parameters), turn=False)
    record_checksums(con)


def data_files(con: duckdb.DuckDBPyConnection) -> int:
    """How many Parquet data files the current snapshot reads."""
    [(lake,)] = con.execute("SELECT current_database()").fetchall()
    tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = ?",
                                        [lake]).fetchall()]
    return sum(con.execute("SELECT count(*) FROM ducklake_list_files(?, ?)", [lake, t]).fetchall()[0][0]
               for t in tables)
