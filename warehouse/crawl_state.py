"""The crawler's memory in the warehouse: the crawl log of every run, what discovery
decided about each link it met, what each portal's crawl came to, and each URL's
validators for the next run's conditional requests. Read before a crawl, written after
it in one write transaction (turn.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass

import duckdb
import pyarrow as pa

from xxgk.schemas.crawl_log import DiscoveryRecord, LogEntry, Validators
from xxgk.warehouse.rows import insert, utc_now
from xxgk.warehouse.turn import write


def known_validators(con: duckdb.DuckDBPyConnection) -> dict[str, Validators]:
    rows = con.execute("SELECT url, etag, last_modified, sha256, moved_to FROM fetch_state").fetchall()
    return {url: Validators(*validators) for url, *validators in rows}


@dataclass(frozen=True)
class PortalOutcome:
    """What one portal's crawl came to, for coverage."""

    portal: str
    jurisdiction_code: str
    organ: str | None
    reports_found: int
    error: str | None


def record_crawl(con: duckdb.DuckDBPyConnection, run_id: str, log: Iterable[LogEntry],
                 state: Mapping[str, Validators], discovery: Iterable[DiscoveryRecord] = (),
                 portals: Iterable[PortalOutcome] = ()) -> None:
    log, discovery, portals = list(log), list(discovery), list(portals)
    now = utc_now()

    def record() -> None:
        insert(con, "crawl_log", pa.table({
            "url": [e.url for e in log], "outcome": [e.outcome for e in log],
            "http_status": pa.array([e.http_status for e in log], pa.int32()),
            "error": pa.array([e.error for e in log], pa.string()), "run_id": [run_id] * len(log),
            "logged_at": pa.array([e.logged_at.replace(tzinfo=None) for e in log], pa.timestamp("us"))}))
        if discovery:
            insert(con, "discovery_log", pa.table({
                "run_id": [run_id] * len(discovery), "portal": [d.portal for d in discovery],
                "listed_on": [d.listed_on for d in discovery], "url": [d.url for d in discovery],
                "reason": [d.reason for d in discovery], "title": pa.array([d.title for d in discovery], pa.string()),
                "year": pa.array([d.year for d in discovery], pa.int32()),
                "jurisdiction": pa.array([d.jurisdiction_code for d in discovery], pa.string()),
                "logged_at": pa.array([now] * len(discovery), pa.timestamp("us"))}))
        urls = list(state)
        con.execute("DELETE FROM fetch_state WHERE url IN (SELECT unnest(?))", [urls])
        insert(con, "fetch_state", pa.table({
            "url": urls, "etag": pa.array([state[u].etag for u in urls], pa.string()),
            "last_modified": pa.array([state[u].last_modified for u in urls], pa.string()),
            "sha256": pa.array([state[u].sha256 for u in urls], pa.string()),
            "moved_to": pa.array([state[u].moved_to for u in urls], pa.string()),
            "updated_at": pa.array([now] * len(urls), pa.timestamp("us"))}))
        if portals:
            insert(con, "portal_crawls", pa.Table.from_pylist(
                [{"run_id": run_id, **asdict(p), "crawled_at": now} for p in portals]))

    write(con, record, note=run_id)
