"""The `runs` table: one row per run that wrote to the warehouse, so an analyst can see
what each night did and read the warehouse as it was after it (`connect(at=run_id)`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from xxgk.warehouse.rows import insert
from xxgk.warehouse.turn import write


@dataclass(frozen=True)
class RunRecord:
    run_id: str
    command: str          # crawl | load | nightly | backfill | demo
    started_at: datetime  # naive UTC
    ended_at: datetime
    portals: int = 0
    portals_failed: int = 0
    found: int = 0
    extracted: int = 0
    loaded: int = 0
    with_errors: int = 0
    unreadable: int = 0
    unkeyed: int = 0
    failures: int = 0


def record_run(con: duckdb.DuckDBPyConnection, run: RunRecord) -> None:
    """Write (or rewrite) the run's row, as the run's last snapshot."""
    def replace() -> None:
        con.execute("DELETE FROM runs WHERE run_id = ?", [run.run_id])
        insert(con, "runs", pa.Table.from_pylist([asdict(run)]))

    write(con, replace, note=run.run_id)
