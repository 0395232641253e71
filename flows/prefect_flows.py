"""The Prefect flows: `nightly` (the scheduled crawl), `backfill` (a range of years) and
`demo` (the whole pipeline against the demo portal, in one command).

The flows only orchestrate flows/pipeline.py's plain functions as tasks:

1. `crawl_portals` (run in the flow's process: its fetcher keeps one politeness state
   for every host, and each request already retries with backoff; the task itself
   retries on anything unforeseen);
2. `extract_documents` for the documents the warehouse has not read, in chunks (one task
   per document would spend more time reporting to the Prefect API than extracting),
   submitted to the task runner (threads by default, a Dask cluster with
   `task_runner="dask"`);
3. loads in the flow's own thread as extractions come back: the warehouse has exactly
   one writer, it writes while extraction goes on, and it holds the file's lock only
   while it writes a batch.

A portal or a document that fails is recorded with its reason and never fails the run.
The run ends with a markdown artifact and a log line summing it up.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# Before Prefect is imported: its temporary server would try to send telemetry from a
# machine that may have no route out (every run logged the failure, and a locked SQLite
# with it); set PREFECT_SERVER_ANALYTICS_ENABLED=true to send it.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.futures import as_completed  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402
from prefect.tasks import exponential_backoff  # noqa: E402
from tqdm import tqdm  # noqa: E402

from xxgk.crawler.crawl import FoundReport
from xxgk.crawler.http import Settings
from xxgk.crawler.registry import Portal, load_registry
from xxgk.flows import pipeline
from xxgk.flows.crawl_commands import registry_path, store_location, year_range
from xxgk.schemas.records import Extraction
from xxgk.warehouse.connect import open_warehouse, warehouse_path
from xxgk.warehouse.crawl_state import known_validators
from xxgk.warehouse.load import DocumentInfo, LoadSummary, load_batches

LOAD_EVERY = 200  # extractions per load transaction (and per hold of the write lock) while the run goes on
EXTRACT_CHUNK = 16  # documents per extraction task


@dataclass
class RunSummary:
    """What a run did, for the artifact, the log and the CLI."""

    crawl: pipeline.CrawlSummary
    extracted: int = 0
    loaded: LoadSummary = field(default_factory=LoadSummary)
    issues_by_check: dict[str, int] = field(default_factory=dict)
    extraction_failures: list[str] = field(default_factory=list)
    # crawl; extract: from the first submission to the last write (loads overlap it); load: the writes
    seconds: dict[str, float] = field(default_factory=dict)

    def markdown(self) -> str:
        c, lo = self.crawl, self.loaded
        rows = [("portals crawled", c.portals), ("portals failed", c.portals_failed), ("reports found", c.found),
                ("new", c.new), ("changed", c.changed), ("unchanged", c.unchanged), ("URLs refused", c.refused),
                ("URLs failed", c.failed), ("documents extracted", self.extracted), ("reports loaded", lo.loaded),
                ("loaded with errors", lo.with_errors), ("unreadable", lo.unreadable), ("without a report key", lo.unkeyed)]
        rows += [(f"{stage} (s)", f"{seconds:.1f}") for stage, seconds in self.seconds.items()]
        text = "| | |\n|---|---:|\n" + "\n".join(f"| {name} | {value} |" for name, value in rows)
        if self.issues_by_check:
            text += "\n\n| check | findings |\n|---|---:|\n" + "\n".join(
                f"| {check} | {n} |" for check, n in sorted(self.issues_by_check.items()))
        failures = c.failures + self.extraction_failures
        if failures:
            text += "\n\n**Failures**\n\n" + "\n".join(f"- {f}" for f in failures[:200])
        return text

    def line(self) -> str:
        return (f"{self.crawl.line()}; extracted {self.extracted}, loaded {self.loaded.loaded} "
                f"({self.loaded.with_errors} with errors, {self.loaded.unreadable} unreadable)")


@task(name="crawl portals", retries=2, retry_delay_seconds=exponential_backoff(backoff_factor=10), cache_policy=NO_CACHE)
def crawl_portals(portals: list[Portal], store: str, years: set[int] | None, allow_private: bool,
                  warehouse: str) -> pipeline.CrawlRun:
    with open_warehouse(warehouse) as con:
        known = known_validators(con)
    with tqdm(total=len(portals), unit="portal", desc="crawl", disable=None) as bar:
        return pipeline.run_crawl(portals, store, known, Settings(allow_private=allow_private), years,
                                  on_portal=lambda _: bar.update())


@task(name="extract documents", cache_policy=NO_CACHE)
def extract_documents(reports: list[FoundReport], store: str) -> list[tuple[Extraction, DocumentInfo] | str]:
    """Each document's extraction, or a line saying why it failed: one document that
    breaks a reader never costs the others in its chunk."""
    results: list[tuple[Extraction, DocumentInfo] | str] = []
    for report in reports:
        try:
            results.append(pipeline.extract_report(report, store))
        except Exception as error:
            results.append(f"{report.url}: {type(error).__name__}: {error}")
    return results


def run_pipeline(years: set[int] | None, *, jurisdictions: list[str] | None = None, force: bool = False,
                 registry: str | None = None, warehouse: str | None = None, store: str | None = None,
                 allow_private: bool | None = None) -> RunSummary:
    """The body every flow shares; call it inside a flow."""
    logger = get_run_logger()
    registry, warehouse, store = registry_path(registry), warehouse_path(warehouse), store_location(store)
    if allow_private is None:
        allow_private = os.environ.get("XXGK_ALLOW_PRIVATE", "") == "1"
    started = time.perf_counter()
    portals = [p for p in load_registry(registry) if not jurisdictions or p.jurisdiction in jurisdictions]
    run = crawl_portals(portals, store, years, allow_private, warehouse)
    summary = RunSummary(pipeline.summarize(run))
    summary.seconds = {"crawl": time.perf_counter() - started, "extract": 0.0, "load": 0.0}
    with open_warehouse(warehouse) as con:
        pipeline.record(con, run)
        pending = pipeline.to_extract(con, run.reports, force=force)
    started = time.perf_counter()
    chunks = [pending[i:i + EXTRACT_CHUNK] for i in range(0, len(pending), EXTRACT_CHUNK)]
    futures = {extract_documents.submit(chunk, store): chunk for chunk in chunks}
    batch: list[tuple[Extraction, DocumentInfo]] = []
    with tqdm(total=len(pending), unit="document", desc="extract", disable=None) as bar:
        for future in as_completed(list(futures)):
            try:
                results = future.result()
            except Exception as error:  # the task itself failed (a lost worker): its chunk is recorded
                results = [f"{r.url}: {type(error).__name__}: {error}" for r in futures[future]]
            batch += [r for r in results if not isinstance(r, str)]
            summary.extraction_failures += [r for r in results if isinstance(r, str)]
            bar.update(len(results))
            if len(batch) >= LOAD_EVERY:
                _load(warehouse, batch, summary)
    _load(warehouse, batch, summary)
    summary.seconds["extract"] = time.perf_counter() - started
    keys = [r.sha256 for r in pending]
    if keys:
        with open_warehouse(warehouse, read_only=True) as con:
            summary.issues_by_check = dict(con.execute(
                "SELECT check_name, count(*) FROM quality_issues WHERE document_sha256 IN (SELECT unnest(?)) GROUP BY 1",
                [keys]).fetchall())
    create_markdown_artifact(summary.markdown(), key="xxgk-run-summary", description="xxgk pipeline run")
    logger.info(summary.line())
    for failure in summary.crawl.failures + summary.extraction_failures:
        logger.warning("failed: %s", failure)
    return summary


def _load(warehouse: str, batch: list[tuple[Extraction, DocumentInfo]], summary: RunSummary) -> None:
    """Load a batch, holding the warehouse's write lock only for the batch (some 50 ms to
    open), so analysts' read-only queries get in between batches of a long backfill."""
    if batch:
        summary.extracted += len(batch)
        started = time.perf_counter()
        with open_warehouse(warehouse, prepared=True) as con:  # the crawl task opened it first
            summary.loaded += load_batches(con, batch)
        summary.seconds["load"] += time.perf_counter() - started
        batch.clear()


def task_runner(name: str = "threads", address: str | None = None):
    """threads (default), or dask: the cluster at `address`, else a local one of two
    worker processes. Dask workers report their task runs to the Prefect API; without a
    configured server each would start a temporary one of its own (seconds of start-up
    and some 300 MB each), so the one this process uses is started first and handed to
    the workers through their environment."""
    if name == "dask":
        from prefect_dask import DaskTaskRunner

        if address:
            return DaskTaskRunner(address=address)
        os.environ["PREFECT_API_URL"] = _prefect_api()
        return DaskTaskRunner(cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True})
    return ThreadPoolTaskRunner(max_workers=4)


def _prefect_api() -> str:
    """The configured Prefect API, else the temporary server Prefect starts for this
    process (the same instance its own client would start)."""
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL

    api = PREFECT_API_URL.value()
    if api:
        return api
    server = SubprocessASGIServer()
    server.start()
    return server.api_url


def reporting_years(today_year: int) -> set[int]:
    """Reports of year N appear from January of N+1: the nightly crawl looks for the
    current and the previous reporting year."""
    return {today_year - 2, today_year - 1}


@flow(name="nightly", log_prints=True)
def nightly(registry: str | None = None, warehouse: str | None = None, store: str | None = None,
            allow_private: bool | None = None, years: str | None = None) -> RunSummary:
    """Crawl every registry portal for the current and previous reporting year (or the
    `years` given, to re-run a night by hand); extract, validate and load what is new or
    changed."""
    from datetime import date

    wanted = year_range(years) if years else reporting_years(date.today().year)
    return run_pipeline(wanted, registry=registry, warehouse=warehouse, store=store, allow_private=allow_private)


@flow(name="backfill", log_prints=True)
def backfill(years: str = "2019-2024", jurisdictions: list[str] | None = None, force: bool = False,
             registry: str | None = None, warehouse: str | None = None, store: str | None = None,
             allow_private: bool | None = None) -> RunSummary:
    """The same pipeline over a range of years ("2019-2024"), for some or all
    jurisdictions; documents already loaded and unchanged are skipped unless `force`."""
    return run_pipeline(year_range(years), jurisdictions=jurisdictions, force=force, registry=registry,
                        warehouse=warehouse, store=store, allow_private=allow_private)


@flow(name="demo", log_prints=True)
def demo(warehouse: str | None = None, store: str | None = None) -> RunSummary:
    """The demo portal on free loopback ports, crawled over all its years by the nightly
    pipeline into a local warehouse; prints what was loaded and what to try next."""
    from xxgk.crawler.registry import write_registry
    from xxgk.samples.portal import YEARS, build_sites
    from xxgk.samples.portal_server import DemoPortal

    with DemoPortal(build_sites()) as portal, tempfile.TemporaryDirectory(prefix="xxgk-demo-") as folder:
        registry = str(Path(folder) / "portals.json")
        write_registry(registry, portal.registry())
        summary = run_pipeline(set(YEARS), registry=registry, warehouse=warehouse, store=store, allow_private=True)
    return summary
