"""Running the pipeline: `xxgk crawl` (here, without Prefect), `xxgk run` (the nightly flow,
now), `xxgk backfill` (the backfill flow), `xxgk demo`.

The first three are one command with the same options: they differ only in whether
Prefect orchestrates. A flow runs in this process; without a configured Prefect server
(PREFECT_API_URL), Prefect starts a temporary local one for the run, which takes a few
seconds; with one, the run shows in its UI like a scheduled run. The registry, the years,
the jurisdictions, and that the warehouse and the raw store take a write, are checked
before anything starts, so a mistake is one line on stderr rather than a failed run.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from xxgk import config
from xxgk.cli.options import AllowPrivate, Force, Jurisdictions, Registry, Store, Warehouse, Years
from xxgk.cli.output import progress_bars
from xxgk.crawler.http import Settings
from xxgk.flows.executors import executor
from xxgk.flows.pipeline import RunSummary, check_writable, crawl_and_load, select_portals
from xxgk.schemas.errors import UsageError

SEED_ORGAN = "海东市人民政府"


class Runner(StrEnum):
    threads = "threads"
    dask = "dask"


TaskRunner = Annotated[Runner, typer.Option("--task-runner", help="Where extraction runs: threads here, or Dask.")]
DaskAddress = Annotated[str | None, typer.Option(help="Scheduler address of a Dask cluster.",
                                                 show_default="a local cluster of two processes")]


def register(app: typer.Typer) -> None:
    app.command("crawl", help="Crawl the registry's portals for reports; extract, validate and load what is new "
                              "(in this process, without Prefect).")(_pipeline_command(None))
    app.command("run", help="Run the nightly flow once, now: crawl, extract, validate, load.")(
        _pipeline_command("nightly"))
    app.command("backfill", help="Run the backfill flow over a range of years.")(_pipeline_command("backfill"))
    app.command("demo")(demo_command)


def _pipeline_command(flow_name: str | None):
    """The command running the pipeline, under the Prefect flow `flow_name` or, for None,
    directly in this process (where extraction runs here whatever the task runner)."""
    def command(
        years: Years = None,
        jurisdiction: Jurisdictions = None,
        force: Force = False,
        allow_private: AllowPrivate = False,
        registry: Registry = config.SETTINGS["registry"].default,
        store: Store = config.SETTINGS["store"].default,
        warehouse: Warehouse = config.SETTINGS["warehouse"].default,
        task_runner: TaskRunner = Runner.threads,
        dask_address: DaskAddress = None,
    ) -> int:
        wanted = config.parse_years(years) if years else config.reporting_years()
        portals = select_portals(registry, jurisdiction)
        check_writable(warehouse, store)
        if flow_name is None:
            if task_runner is not Runner.threads:
                raise UsageError("--task-runner dask needs Prefect: use xxgk run or xxgk backfill")
            with progress_bars() as progress:
                settings = Settings(allow_private=allow_private, network=config.network())
                summary = crawl_and_load(portals, warehouse=warehouse, store=store, years=wanted, force=force,
                                         settings=settings, progress=progress, storage=config.object_storage(),
                                         map_extract=executor("worker-processes"))
        else:
            from xxgk.flows import prefect_flows

            flow = getattr(prefect_flows, flow_name).with_options(
                task_runner=prefect_flows.task_runner(task_runner.value, dask_address))
            with prefect_flows.prefect_api():
                summary = flow(years=",".join(map(str, sorted(wanted))), jurisdictions=jurisdiction, force=force,
                               registry=registry, warehouse=warehouse, store=store, allow_private=allow_private)
        print_run(summary)
        return 0
    return command


def print_run(summary: RunSummary) -> None:
    print(summary.line())
    for shortfall in summary.shortfalls:
        print(f"  short: {shortfall}")
    for failure in summary.failures:
        print(f"  failed: {failure}")


def demo_command(
    warehouse: Warehouse = config.SETTINGS["warehouse"].default,
    store: Store = config.SETTINGS["store"].default,
) -> int:
    """Serve the demo portal, run the pipeline on it, show what was loaded and what the checks found."""
    from xxgk.flows.prefect_flows import demo, prefect_api
    from xxgk.warehouse.connect import open_warehouse
    from xxgk.warehouse.run_overview import run_overview

    with prefect_api():
        summary = demo(warehouse=warehouse, store=store)
    with open_warehouse(warehouse, read_only=True, storage=config.object_storage()) as con:
        overview = run_overview(con, summary.run_id)
    print(f"\n{summary.line()}")
    if overview.not_loaded:
        print("\nNot loaded: the traps the demo portal plants, as real portals have them (a nightly run reports "
              "such URLs the same way, and its Prefect state says \"Completed with failures\"):")
        for outcome, url, reason in overview.not_loaded:
            print(f"  {outcome} {url}: {reason}")
    print(f"\nReports in {warehouse}, by year:")
    for year, reports, with_errors, legacy in overview.per_year:
        print(f"  {year}: {reports} reports ({with_errors} with errors)" + (", legacy format" if legacy else ""))
    seed = "; the seed report's own defects" if config.seed_report() else ""
    print(f"\nErrors the checks found (figures the demo misprints on purpose{seed}):")
    for organ, year, check, table, row, col, message in overview.errors:
        print(f"  {organ} {year} {check} {table}.{row}.{col}: {message}")
    print(f"\nNext:\n  xxgk query \"SELECT * FROM report_summary LIMIT 10\" --warehouse {warehouse}\n"
          f"  xxgk query \"SELECT year, template, requests_received, granted_or_partly FROM headline_series "
          f"WHERE organ = '{SEED_ORGAN}' ORDER BY year\" --warehouse {warehouse}\n"
          f"  xxgk issues --severity error --warehouse {warehouse}\n"
          f"  xxgk site site/ --warehouse {warehouse}   # then open site/index.html\n"
          f"  xxgk dictionary --warehouse {warehouse}\n"
          "  xxgk serve-demo --registry portals.json   # then, in another terminal:\n"
          "  xxgk crawl --registry portals.json --allow-private --years 2008-2024\n"
          "  xxgk extract PATH_OR_URL   # any report: HTML, PDF, DOCX, DOC or text")
    return 0
