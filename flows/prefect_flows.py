"""The Prefect flows: `nightly` (the scheduled crawl), `backfill` (a range of years) and
`demo` (the whole pipeline against the demo portal, in one command).

They run flows/pipeline.py's `crawl_and_load`, the same function `xxgk crawl` runs;
Prefect adds only what orchestration is for:

* on a Dask cluster (`task_runner="dask"`), extraction submitted as tasks, in chunks,
  each chunk with a time limit (flows/executors.py's `prefect-tasks`); on the default
  thread runner, extraction in worker processes under memory and time limits, as
  `xxgk crawl` does it (`worker-processes`);
* the nightly run compacts the warehouse after its loads;
* the crawl and the loads stay in the flow's own thread: one politeness state for every
  host, one writer for the warehouse;
* a markdown artifact and a log line summing the run up, an event per failed portal,
  and a final state named "Completed with failures" when anything failed, so an
  automation can notify an operator although a failing portal never fails the run.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import logging
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

# Before Prefect is imported: its temporary server would try to send telemetry from a
# machine that may have no route out (every run logged the failure, and a locked SQLite
# with it); set PREFECT_SERVER_ANALYTICS_ENABLED=true to send it. A busy machine starts
# the temporary server slower than Prefect's default allows.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.context import FlowRunContext  # noqa: E402
from prefect.events import emit_event  # noqa: E402
from prefect.states import Completed  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

from xxgk import config
from xxgk.crawler.http import Settings
from xxgk.flows import executors, pipeline
from xxgk.flows.isolation import Limits
from xxgk.flows.pipeline import RunSummary
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.maintenance import compact


def run_pipeline(years: set[int] | None, *, jurisdictions: list[str] | None = None, force: bool = False,
                 registry: str | None = None, warehouse: str | None = None, store: str | None = None,
                 allow_private: bool | None = None):
    """The body every flow shares; call it inside a flow. Returns the flow's final state."""
    logger = get_run_logger()
    context = FlowRunContext.get()
    if context is None or context.flow is None:
        raise RuntimeError("run_pipeline runs inside a flow")
    portals = pipeline.select_portals(config.registry_path(registry), jurisdictions)
    summary = pipeline.crawl_and_load(
        portals, warehouse=config.warehouse_path(warehouse), store=config.store_location(store), years=years,
        force=force, settings=Settings(allow_private=config.allow_private(allow_private), network=config.network()),
        map_extract=_map_extract(), progress=_log_progress(logger), command=context.flow.name,
        storage=config.object_storage())
    create_markdown_artifact(summary.markdown(), key="xxgk-run-summary", description="xxgk pipeline run")
    logger.info(summary.line())
    for shortfall in summary.shortfalls:
        logger.warning("short: %s", shortfall)
    for failure in summary.failures:
        logger.warning("failed: %s", failure)
    for portal in summary.failed_portals:
        emit_event(event="xxgk.portal.failed", resource={"prefect.resource.id": f"xxgk.portal.{portal}"},
                   payload={"run_id": summary.run_id})
    if summary.has_failures:
        return Completed(name="Completed with failures", message=summary.line(), data=summary)
    return Completed(message=summary.line(), data=summary)


def _map_extract() -> pipeline.MapExtract:
    """On the flow's own threads, extraction runs in worker processes under the configured
    limits, so no document can take the flow down; on a Dask cluster it runs as Prefect
    tasks, each Dask worker a process with a memory limit its nanny enforces by restarting
    it (the chunk is then recorded as failed)."""
    context = FlowRunContext.get()
    on_threads = context is None or isinstance(context.task_runner, ThreadPoolTaskRunner)
    return executors.executor("worker-processes" if on_threads else "prefect-tasks")


def _log_progress(logger: logging.Logger | logging.LoggerAdapter) -> pipeline.Progress:
    """Progress as log lines: each tenth of the crawl, every 200 documents extracted (the
    crawl reports portals in batches, so a tenth is logged when it is passed)."""
    passed: dict[str, int] = {}

    def progress(stage: str, done: int, total: int | None) -> None:
        step = done * 10 // total if total else done // 200
        if step > passed.get(stage, 0):
            passed[stage] = step
            logger.info("%s: %d%s", stage, done, f" of {total}" if total else "")
    return progress


def task_runner(name: str = "threads", address: str | None = None):
    """threads (default), or dask: the cluster at `address`, else a local one of two
    worker processes. Dask workers report their task runs to the Prefect API: run the
    flow inside `prefect_api()`, whose server they reach through their environment
    (without it each would start a temporary server of its own)."""
    if name == "dask":
        from prefect_dask import DaskTaskRunner

        if address:
            return DaskTaskRunner(address=address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True,
                                              "memory_limit": Limits.configured().memory})
    return ThreadPoolTaskRunner(max_workers=4)


@contextlib.contextmanager
def prefect_api() -> Iterator[str]:
    """The configured Prefect API, else a temporary server for this process: the one
    Prefect's own client would start, started here first so that it dies with this
    process (a killed run leaves no server behind). Either way children (Dask workers)
    find it through PREFECT_API_URL rather than each starting a server of its own. A
    temporary server's UI is gone when the command ends, so its runs print no link to it."""
    from prefect.logging.handlers import APILogHandler
    from prefect.server.api import server as server_module
    from prefect.settings import PREFECT_API_URL, PREFECT_UI_URL, temporary_settings

    server = None
    url = PREFECT_API_URL.value()
    if not url:
        server = server_module.SubprocessASGIServer()
        # What the server module starts its process with: a stand-in for the subprocess module.
        server_module.subprocess = SimpleNamespace(  # type: ignore[assignment]
            **{**vars(subprocess), "Popen": functools.partial(subprocess.Popen, preexec_fn=_die_with_parent)})
        try:
            server.start()
        finally:
            server_module.subprocess = subprocess
        url = server.api_url
    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = url
    try:
        no_ui = {PREFECT_UI_URL: ""} if server is not None else {}
        with temporary_settings(updates={PREFECT_API_URL: url, **no_ui}):
            yield url
    finally:
        if server is not None:
            APILogHandler().flush()  # the run's last log lines, sent while the server still listens
            server.stop()
        if previous is None:
            del os.environ["PREFECT_API_URL"]
        else:
            os.environ["PREFECT_API_URL"] = previous


def _die_with_parent() -> None:
    """In the child: SIGTERM when the process that started it dies (Linux prctl)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@flow(name="nightly", log_prints=True)
def nightly(years: str | None = None, jurisdictions: list[str] | None = None, force: bool = False,
            registry: str | None = None, warehouse: str | None = None, store: str | None = None,
            allow_private: bool | None = None) -> RunSummary:
    """Crawl every registry portal for the current and previous reporting year (or the
    `years` given, to re-run a night by hand); extract, validate and load what is new or
    changed."""
    wanted = config.parse_years(years) if years else config.reporting_years()
    state = run_pipeline(wanted, jurisdictions=jurisdictions, force=force, registry=registry, warehouse=warehouse,
                         store=store, allow_private=allow_private)
    compact_warehouse(config.warehouse_path(warehouse))
    return state


@task(name="compact the warehouse", retries=1, cache_policy=NO_CACHE)
def compact_warehouse(warehouse: str) -> None:
    """A night's loads leave small data files; merged here, queries stay fast all year."""
    with open_warehouse(warehouse, storage=config.object_storage()) as con:
        compact(con)


@flow(name="backfill", log_prints=True)
def backfill(years: str = "2019-2024", jurisdictions: list[str] | None = None, force: bool = False,
             registry: str | None = None, warehouse: str | None = None, store: str | None = None,
             allow_private: bool | None = None) -> RunSummary:
    """The same pipeline over a range of years ("2019-2024"), for some or all
    jurisdictions (codes or names); documents already loaded and unchanged are skipped
    unless `force`."""
    return run_pipeline(config.parse_years(years), jurisdictions=jurisdictions, force=force, registry=registry,
                        warehouse=warehouse, store=store, allow_private=allow_private)


@flow(name="demo", log_prints=True)
def demo(warehouse: str | None = None, store: str | None = None) -> RunSummary:
    """The demo portal on free loopback ports, crawled over all its years (legacy reports
    and template ones) by the nightly pipeline into a local warehouse."""
    from xxgk.crawler.registry import write_registry
    from xxgk.samples.portal import LEGACY_YEARS, YEARS, build_sites
    from xxgk.samples.portal_server import DemoPortal

    sites = build_sites(seed_report=config.seed_report())
    with DemoPortal(sites) as portal, tempfile.TemporaryDirectory(prefix="xxgk-demo-") as folder:
        registry = str(Path(folder) / "portals.json")
        write_registry(registry, portal.registry())
        return run_pipeline({*LEGACY_YEARS, *YEARS}, registry=registry, warehouse=warehouse, store=store,
                            allow_private=True)
