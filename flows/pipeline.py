"""The pipeline's steps as plain functions: crawl, pick what to extract, extract (loading
is warehouse/load.py's `load_batches`).

The CLI (`xxgk crawl`) and the Prefect flows (flows/prefect_flows.py) call these same
functions, the flows wrapping each in a task. Every step takes and returns plain,
picklable data (a store location rather than a store object), so extraction can run
in another process or on a Dask worker while the warehouse keeps one writer.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from xxgk.crawler.crawl import FoundReport, PortalCrawl, crawl
from xxgk.crawler.http import Fetcher, Settings
from xxgk.schemas.crawl_log import LogEntry, Validators
from xxgk.crawler.registry import Portal
from xxgk.crawler.store import RawStore
from xxgk.extractors.extract import Overrides, extract
from xxgk.schemas.records import Extraction
from xxgk.warehouse.crawl_state import record_crawl
from xxgk.warehouse.load import DocumentInfo, LoadSummary, load_batches


@dataclass
class CrawlRun:
    """One crawl's results, with what the warehouse must remember of it."""

    run_id: str
    portals: list[PortalCrawl]
    log: list[LogEntry]
    state: dict[str, Validators]

    @property
    def reports(self) -> list[FoundReport]:
        """Every report found, each document once (two portals may list the same one)."""
        return list({r.sha256: r for p in self.portals for r in p.reports}.values())


@dataclass
class CrawlSummary:
    portals: int = 0
    portals_failed: int = 0
    found: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    refused: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)  # "url: reason", and portals that failed

    def line(self) -> str:
        return (f"{self.portals} portals ({self.portals_failed} failed): found {self.found} reports, "
                f"{self.new} new, {self.changed} changed, {self.unchanged} unchanged; "
                f"{self.refused} URLs refused, {self.failed} failed")


def run_crawl(portals: Iterable[Portal], store: str, known: dict[str, Validators], settings: Settings,
              years: set[int] | None = None, *, workers: int = 32,
              on_portal: Callable[[PortalCrawl], None] | None = None) -> CrawlRun:
    fetcher = Fetcher(RawStore(store), known, settings)
    results = crawl(portals, fetcher, years, workers=workers, on_portal=on_portal)
    return CrawlRun(uuid.uuid4().hex[:12], results, fetcher.log, fetcher.state)


def summarize(run: CrawlRun) -> CrawlSummary:
    outcomes = Counter(entry.outcome for entry in run.log)
    statuses = Counter(report.status for report in run.reports)
    failures = [f"{p.portal}: {p.error}" for p in run.portals if p.error]
    failures += [f"{e.url}: {e.error}" for e in run.log if e.outcome == "failed"]
    return CrawlSummary(len(run.portals), sum(1 for p in run.portals if p.error), len(run.reports),
                        statuses["new"], statuses["changed"], statuses["unchanged"],
                        outcomes["refused"], outcomes["failed"], failures)


def record(con: duckdb.DuckDBPyConnection, run: CrawlRun) -> None:
    record_crawl(con, run.run_id, run.log, run.state)


def to_extract(con: duckdb.DuckDBPyConnection, reports: Iterable[FoundReport], *, force: bool = False) -> list[FoundReport]:
    """The reports whose document the warehouse has not read yet (extraction is cached by
    sha256: an unchanged document is never extracted twice), or all of them with `force`."""
    reports = list({r.sha256: r for r in reports}.values())
    if force or not reports:
        return reports
    rows = con.execute("SELECT sha256 FROM documents WHERE sha256 IN (SELECT unnest(?))",
                       [[r.sha256 for r in reports]]).fetchall()
    done = {sha for (sha,) in rows}
    return [r for r in reports if r.sha256 not in done]


def extract_report(report: FoundReport, store: str) -> tuple[Extraction, DocumentInfo]:
    """The found report's document, read from the raw store and extracted. The registry's
    jurisdiction and organ and the listing's year are the caller's knowledge, as the
    CLI's --jurisdiction/--organ/--year are for a document given by hand."""
    data = RawStore(store).get(report.sha256)
    extraction = extract(data, report.url, charset=report.charset,
                         overrides=Overrides(year=report.year, jurisdiction=report.jurisdiction, organ=report.organ))
    return extraction, DocumentInfo(report.url, report.size, report.fetched_at.replace(tzinfo=None), report.stored_at)


def load_paths(con: duckdb.DuckDBPyConnection, paths: list[str], batch_size: int = 200) -> LoadSummary:
    """Extract and load local documents and directories (recursively), as backfills do."""
    def extracted(path: Path) -> tuple[Extraction, DocumentInfo]:
        data = path.read_bytes()
        return extract(data, str(path)), DocumentInfo(url=str(path), size=len(data))

    return load_batches(con, (extracted(path) for path in _files(paths)), batch_size)


def _files(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        found += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return found
