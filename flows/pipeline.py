"""The pipeline, once: crawl → raw store → extract → validate → load.

Every entry point runs it: `xxgk crawl` and `xxgk load` in this process, the Prefect
flows (nightly, backfill, demo) with extraction submitted as tasks. What differs between
them is passed in, never rewritten:

* where documents come from: the registry's portals, crawled (`crawl_and_load`), or local
  files and folders (`load_files`); both become a stream of `Job`s;
* how extraction is mapped over the jobs (`map_extract`, an executor of
  flows/executors.py, which the caller chooses by name): in this process, in worker
  processes under limits, or as Prefect tasks on any task runner; it consumes the jobs
  lazily and yields results in any order;
* who hears of progress (`progress`): a progress bar, a log, nobody.

The stream is pulled by the loading loop in the caller's thread, which is therefore the
run's one writer, on one connection held for the run: the crawl log and validators of
each portal are written as soon as the loop sees the portal finished (the portals that
finished meanwhile together), and extractions are loaded in batches as they come back,
each write one transaction. Nothing fails the run: a portal that cannot be crawled, a
file that cannot be read and a document no reader survives are recorded with their
reason (the summary, `crawl_log`, `documents`).
"""

from __future__ import annotations

import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from xxgk.config import parse_jurisdictions
from xxgk.crawler.crawl import FoundReport, PortalCrawl, crawl
from xxgk.crawler.http import Fetcher, Settings
from xxgk.crawler.registry import Portal, load_registry
from xxgk.crawler.store import RawStore
from xxgk.extractors.extract import MAX_DOCUMENT_BYTES, extract
from xxgk.flows.sources import SourceError, read_file
from xxgk.schemas.connections import ObjectStorage
from xxgk.schemas.crawl_log import LogEntry
from xxgk.schemas.identity import ReportIdentity
from xxgk.schemas.records import Extraction
from xxgk.warehouse.connect import open_warehouse, writable_warehouse
from xxgk.warehouse.crawl_state import PortalOutcome, known_validators, record_crawl
from xxgk.warehouse.documents import findings_by_check, known_documents
from xxgk.warehouse.load import DocumentInfo, load_many
from xxgk.warehouse.rows import utc_now
from xxgk.warehouse.runs import Run, record_run
from xxgk.warehouse.turn import DiskFull, Unwritable

LOAD_EVERY = 200  # extractions per load transaction (and per hold of the writer turn)
RECORD_EVERY = 64  # finished portals, at most, whose crawl records are written in one transaction


@dataclass(frozen=True)
class Job:
    """One document to extract: where its bytes are, what its listing says of whose it is
    (`info.listing`: the registry's jurisdiction, the link title's organ and year) and
    what the caller states (`given`: the CLI's --jurisdiction, --organ and --year for a
    document given by hand); extraction settles the report's identity from them and the
    document (schemas/identity.py)."""

    source: str                  # the URL or path the document is known by
    sha256: str | None = None    # the document in the raw store at `store`; None: read `source` from disk
    store: str | None = None
    charset: str | None = None   # what the server declared
    given: ReportIdentity = ReportIdentity()
    info: DocumentInfo = DocumentInfo()
    max_bytes: int = MAX_DOCUMENT_BYTES  # the document's size limit


@dataclass(frozen=True)
class Failure:
    """A job that gave no extraction at all (its bytes could not be read)."""

    source: str
    reason: str


Result = tuple[Extraction, DocumentInfo] | Failure
# An executor: how extraction is mapped over the jobs (flows/executors.py holds them all).
MapExtract = Callable[[Iterable["Job | Flush"]], Iterable["Result | Flush"]]
Progress = Callable[[str, int, int | None], None]  # (stage, done, total if known)


def extract_job(job: Job) -> Result:
    """The job's document, read and extracted. Never raises: a reader failure is already
    the extraction's `extraction_failed` issue, and bytes that cannot be read are a
    `Failure` naming the reason."""
    try:
        data = (RawStore(job.store).get(job.sha256) if job.sha256 and job.store
                else read_file(job.source, job.max_bytes).data)
    except SourceError as error:
        return Failure(job.source, str(error).removeprefix(f"{job.source}: "))
    except (OSError, KeyError) as error:  # the raw store lost the document, or cannot be reached
        return Failure(job.source, f"{type(error).__name__}: {error}")
    try:
        return (extract(data, job.source, charset=job.charset, listing=job.info.listing, given=job.given,
                        max_bytes=job.max_bytes),
                job.info)
    except Exception as error:  # extract() records reader failures itself; this is the last guard
        return Failure(job.source, f"extraction failed: {type(error).__name__}: {error}")


class Flush:
    """A moment to write what is extracted: the job stream sends one when the crawl has
    been quiet for `QUIET_SECONDS`, so a stalled portal never holds back the others'
    reports. Every `map_extract` passes it through, after the results done by then."""


FLUSH = Flush()
QUIET_SECONDS = 2.0


@dataclass
class RunSummary(Run):
    """What a run did: its `runs` row (warehouse/runs.py's `Run`), and what the CLI, the
    flow's artifact and its log report beside it."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    refused: int = 0
    failed: int = 0
    issues_by_check: dict[str, int] = field(default_factory=dict)
    failed_portals: list[str] = field(default_factory=list)
    shortfalls: list[str] = field(default_factory=list)  # "portal: column declares N records, M reached"
    # crawl: until the last portal was done; extract: from the first job to the last write
    # (it overlaps the crawl and the loads); load: the writes
    seconds: dict[str, float] = field(default_factory=lambda: {"crawl": 0.0, "extract": 0.0, "load": 0.0})

    def count_portal(self, result: PortalCrawl) -> None:
        self.portals += 1
        if result.error:
            self.portals_failed += 1
            self.failed_portals.append(result.portal)
            self.failures.append(f"{result.portal}: {result.error}")
        if result.shortfall:
            self.shortfalls.append(f"{result.portal}: {result.shortfall}")
        statuses = Counter(report.status for report in result.reports)
        self.found += len(result.reports)
        self.new, self.changed = self.new + statuses["new"], self.changed + statuses["changed"]
        self.unchanged += statuses["unchanged"]

    def count_log(self, log: list[LogEntry]) -> None:
        outcomes = Counter(entry.outcome for entry in log)
        self.refused, self.failed = self.refused + outcomes["refused"], self.failed + outcomes["failed"]
        self.failures += [f"{entry.url}: {entry.error}" for entry in log if entry.outcome == "failed"]

    @property
    def has_failures(self) -> bool:
        return bool(self.failures)

    def line(self) -> str:
        crawled = (f"{self.portals} portals ({self.portals_failed} failed): found {self.found} reports, "
                   f"{self.new} new, {self.changed} changed, {self.unchanged} unchanged; "
                   f"{self.refused} URLs refused, {self.failed} failed; ") if self.portals else ""
        return (f"{crawled}extracted {self.extracted}, loaded {self.loaded.loaded} "
                f"({self.loaded.with_errors} with errors, {self.loaded.unreadable} unreadable, "
                f"{self.loaded.unkeyed} without a report key)")

    def markdown(self) -> str:
        lo = self.loaded
        rows = [("portals crawled", self.portals), ("portals failed", self.portals_failed),
                ("reports found", self.found), ("new", self.new), ("changed", self.changed),
                ("unchanged", self.unchanged), ("URLs refused", self.refused), ("URLs failed", self.failed),
                ("documents extracted", self.extracted), ("reports loaded", lo.loaded),
                ("loaded with errors", lo.with_errors), ("unreadable", lo.unreadable),
                ("without a report key", lo.unkeyed)]
        timings = [(f"{stage} (s)", f"{seconds:.1f}") for stage, seconds in self.seconds.items()]
        text = "| | |\n|---|---:|\n" + "\n".join(f"| {name} | {value} |" for name, value in [*rows, *timings])
        if self.issues_by_check:
            text += "\n\n| check | findings |\n|---|---:|\n" + "\n".join(
                f"| {check} | {n} |" for check, n in sorted(self.issues_by_check.items()))
        if self.shortfalls:
            text += "\n\n**Columns not read to their declared size**\n\n" + "\n".join(
                f"- {s}" for s in self.shortfalls[:200])
        if self.failures:
            text += "\n\n**Failures**\n\n" + "\n".join(f"- {f}" for f in self.failures[:200])
        return text


def select_portals(registry: str, jurisdictions: Iterable[str] | None = None) -> list[Portal]:
    """The registry's portals, or those of the jurisdictions given (codes or names), both
    checked before any work starts."""
    codes = set(parse_jurisdictions(jurisdictions or []))
    return [p for p in load_registry(registry) if not codes or p.jurisdiction in codes]


def crawl_and_load(portals: list[Portal], *, warehouse: str, store: str, years: set[int] | None = None,
                   force: bool = False, settings: Settings = Settings(), map_extract: MapExtract,
                   progress: Progress | None = None, workers: int = 32, command: str = "crawl",
                   storage: ObjectStorage | None = None) -> RunSummary:
    """Crawl the portals for reports of `years`, and extract, validate and load every
    document the warehouse has not read (all of them with `force`). `command` names the
    run in the warehouse's `runs` table (crawl, or the flow: nightly, backfill, demo);
    `storage` holds the credentials of a warehouse whose data is on object storage."""
    summary = RunSummary(command)
    check_writable(warehouse, store)
    with open_warehouse(warehouse, storage=storage) as con:
        fetcher = Fetcher(RawStore(store, write_behind=True), known_validators(con), settings)
        jobs = _crawled_jobs(portals, fetcher, years, force, con, store, summary, progress, workers)
        return _extract_and_load(jobs, con, map_extract, summary, progress)


def check_writable(warehouse: str, store: str) -> None:
    """The warehouse and the raw store both take a file, or a crawl into them is refused
    in one line before anything is fetched (a read-only file system, a folder without
    permission); the commands check it before a flow starts, too."""
    writable_warehouse(warehouse)
    RawStore(store).check_writable()


def load_files(paths: Iterable[str], *, warehouse: str, map_extract: MapExtract,
               progress: Progress | None = None, storage: ObjectStorage | None = None) -> RunSummary:
    """Extract, validate and load local documents and folders (recursively); a path that
    does not exist is refused before any work, a file that cannot be read is recorded.
    `storage`: as for `crawl_and_load`."""
    paths = list(paths)
    missing = [name for name in paths if not Path(name).exists()]
    if missing:
        raise SourceError(f"no such file or directory: {', '.join(missing)}")
    summary = RunSummary("load")
    with open_warehouse(warehouse, storage=storage) as con:  # fails before any work if the warehouse cannot be written
        jobs = (Job(str(path), info=DocumentInfo(url=str(path))) for path in _files(paths))
        return _extract_and_load(jobs, con, map_extract, summary, progress)


def _files(paths: list[str]) -> Iterator[Path]:
    for name in paths:
        path = Path(name)
        if path.is_dir():  # what is not a regular file is refused, and recorded, when it is read
            yield from sorted(p for p in path.rglob("*") if not p.is_dir())
        else:
            yield path


def _crawled_jobs(portals: list[Portal], fetcher: Fetcher, years: set[int] | None, force: bool,
                  con: duckdb.DuckDBPyConnection, store: str, summary: RunSummary, progress: Progress | None,
                  workers: int) -> Iterator[Job | Flush]:
    """Each portal's new documents as jobs, as soon as the portal is crawled; its crawl
    log and validators written first, so what a crawl learnt is kept whatever happens
    next. The crawl runs on its own threads; this generator, pulled by the loading loop,
    does every write, and sends a `FLUSH` whenever the crawl is quiet. The portals that
    finished while the loop was busy are written in one transaction: a DuckLake commit
    costs about the same for one portal as for fifty."""
    started, seen = time.perf_counter(), set[str]()
    by_name = {portal.name: portal for portal in portals}
    finished: queue.Queue[PortalCrawl | None] = queue.Queue()

    def crawl_all() -> None:
        try:
            for result in crawl(portals, fetcher, years, workers=workers):
                finished.put(result)
        finally:
            finished.put(None)

    threading.Thread(target=crawl_all, name="crawl", daemon=True).start()
    done, last = 0, False
    while not last:
        try:
            results = [finished.get(timeout=QUIET_SECONDS)]
        except queue.Empty:
            yield FLUSH
            continue
        while results[-1] is not None and not finished.empty() and len(results) < RECORD_EVERY:
            results.append(finished.get())
        last = results[-1] is None
        crawled = [result for result in results if result is not None]
        if not crawled:
            continue
        log, state = fetcher.drain()
        summary.count_log(log)
        outcomes = []
        for result in crawled:
            summary.count_portal(result)
            portal = by_name[result.portal]
            outcomes.append(PortalOutcome(portal.name, portal.jurisdiction, portal.organ, len(result.reports),
                                          result.error))
        discovery = [record for result in crawled for record in result.discovery_records()]
        record_crawl(con, summary.run_id, log, state, discovery, outcomes)
        reports = [report for result in crawled for report in result.reports]
        pending = [r for r in _to_extract(con, reports, force) if r.sha256 not in seen]
        seen.update(r.sha256 for r in pending)
        summary.seconds["crawl"] = time.perf_counter() - started
        done += len(crawled)
        if progress:
            progress("crawl", done, len(portals))
        yield from (_job(report, store) for report in pending)


def _to_extract(con, reports: list[FoundReport], force: bool) -> list[FoundReport]:
    """The reports whose document the warehouse has not read yet (extraction is cached by
    sha256: an unchanged document is never extracted twice), or all of them with `force`."""
    if force:
        return reports
    done = known_documents(con, [r.sha256 for r in reports])
    return [r for r in reports if r.sha256 not in done]


def _job(report: FoundReport, store: str) -> Job:
    return Job(report.url, report.sha256, store, report.charset,
               info=DocumentInfo(report.url, report.size, report.fetched_at.replace(tzinfo=None), report.stored_at,
                                 report.identity))


def _extract_and_load(jobs: Iterable[Job | Flush], con: duckdb.DuckDBPyConnection, map_extract: MapExtract,
                      summary: RunSummary, progress: Progress | None) -> RunSummary:
    started = time.perf_counter()
    batch: list[tuple[Extraction, DocumentInfo]] = []
    shas: list[str] = []
    done = 0
    for result in map_extract(jobs):
        if isinstance(result, Flush):
            _load(con, batch, summary)
            continue
        done += 1
        if isinstance(result, Failure):
            summary.failures.append(f"{result.source}: {result.reason}")
        else:
            batch.append(result)
            shas.append(result[0].sha256)
            summary.extracted += 1
        if progress:
            progress("extract", done, None)
        if len(batch) >= LOAD_EVERY:
            _load(con, batch, summary)
    _load(con, batch, summary)
    summary.seconds["extract"] = time.perf_counter() - started
    summary.issues_by_check = findings_by_check(con, shas)
    summary.ended_at = utc_now()
    record_run(con, summary)
    return summary


def _load(con: duckdb.DuckDBPyConnection, batch: list[tuple[Extraction, DocumentInfo]], summary: RunSummary) -> None:
    """Write a batch in one transaction, which holds the warehouse's writer turn only
    for the batch, so other writers get in between the batches of a long backfill."""
    if not batch:
        return
    started = time.perf_counter()
    try:
        statuses = load_many(con, batch, summary.run_id)
    except (DiskFull, Unwritable) as failed:  # what earlier batches kept is said too
        kept = summary.loaded.documents
        earlier = (f"the {kept} document(s) of earlier batches of run {summary.run_id} were committed and stay"
                   if kept else "no earlier batch of this run was committed")
        raise type(failed)(f"{failed}: this batch of {len(batch)} document(s) was not kept; {earlier}") from None
    for status in statuses:
        summary.loaded.add(status)
    summary.seconds["load"] += time.perf_counter() - started
    batch.clear()
