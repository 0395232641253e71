"""The `runs` table: one row per run that wrote to the warehouse, so an analyst can see
what each night did and read the warehouse as it was after it (`connect(at=run_id)`).

`Run` is that row, and the pipeline fills it as it goes (flows/pipeline.py's
`RunSummary` adds what a run reports but does not store): one record of a run, written
by `record_run` without copying it field by field.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import pyarrow as pa

from xxgk.schemas.status import Status
from xxgk.warehouse.rows import insert, utc_now
from xxgk.warehouse.turn import write


@dataclass
class LoadSummary:
    """What became of the documents a run loaded (schemas/status.py's words, counted)."""

    loaded: int = 0       # reports loaded: ok or issues
    with_errors: int = 0  # issues
    unreadable: int = 0
    unkeyed: int = 0

    @property
    def documents(self) -> int:
        """Documents loaded, with a report or with the reason they gave none."""
        return self.loaded + self.unreadable + self.unkeyed

    def add(self, status: Status) -> None:
        self.loaded += status.has_report
        self.with_errors += status is Status.ISSUES
        self.unreadable += status is Status.UNREADABLE
        self.unkeyed += status is Status.UNKEYED


@dataclass
class Run:
    """One run that writes to the warehouse: a row of `runs` while it goes on."""

    command: str = "crawl"  # crawl | load | nightly | backfill | demo
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    started_at: datetime = field(default_factory=utc_now)
    ended_at: datetime | None = None
    portals: int = 0
    portals_failed: int = 0
    found: int = 0
    extracted: int = 0
    loaded: LoadSummary = field(default_factory=LoadSummary)
    failures: list[str] = field(default_factory=list)  # "where: reason", portals, URLs and documents

    def row(self) -> dict[str, object]:
        """The run as the `runs` table holds it (its failures counted)."""
        return {"run_id": self.run_id, "command": self.command, "started_at": self.started_at,
                "ended_at": self.ended_at or utc_now(), "portals": self.portals,
                "portals_failed": self.portals_failed, "found": self.found, "extracted": self.extracted,
                "loaded": self.loaded.loaded, "with_errors": self.loaded.with_errors,
                "unreadable": self.loaded.unreadable, "unkeyed": self.loaded.unkeyed, "failures": len(self.failures)}


def record_run(con: duckdb.DuckDBPyConnection, run: Run) -> None:
    """Write (or rewrite) the run's row, as the run's last snapshot."""
    def replace() -> None:
        con.execute("DELETE FROM runs WHERE run_id = ?", [run.run_id])
        insert(con, "runs", pa.Table.from_pylist([run.row()]))

    write(con, replace, note=run.run_id)
