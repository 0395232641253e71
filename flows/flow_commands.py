"""The pipeline commands: `xxgk run` (the nightly flow, now), `xxgk backfill`, `xxgk demo`.

Each runs a Prefect flow in this process. Without a configured Prefect server
(PREFECT_API_URL), Prefect starts a temporary local one for the run, which takes a few
seconds; with one, the run shows in its UI like a scheduled run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from xxgk.flows.crawl_commands import year_range

SEED_REPORT_KEY = "630200/2023/海东市人民政府"


def add_commands(commands: argparse._SubParsersAction, warehouse_option: Callable) -> None:
    run_cmd = commands.add_parser("run", help="run the nightly flow once, now: crawl, extract, validate, load")
    _pipeline_options(run_cmd, warehouse_option)
    run_cmd.set_defaults(run=_run)

    backfill_cmd = commands.add_parser("backfill", help="run the pipeline over a range of years")
    backfill_cmd.add_argument("--years", required=True, help="e.g. 2019-2024")
    backfill_cmd.add_argument("--jurisdiction", nargs="+", metavar="CODE", help="only these jurisdictions")
    backfill_cmd.add_argument("--force", action="store_true", help="re-extract documents already loaded")
    _pipeline_options(backfill_cmd, warehouse_option)
    backfill_cmd.set_defaults(run=_backfill)

    demo_cmd = commands.add_parser("demo", help="serve the demo portal, run the pipeline on it, show what was loaded")
    warehouse_option(demo_cmd)
    demo_cmd.add_argument("--store", help="raw document store (default: $XXGK_STORE, else ./xxgk-store)")
    demo_cmd.set_defaults(run=_demo)


def _pipeline_options(command: argparse.ArgumentParser, warehouse_option: Callable) -> None:
    command.add_argument("--registry", help="portal registry (default: $XXGK_REGISTRY, else ./portals.json)")
    command.add_argument("--store", help="raw document store (default: $XXGK_STORE, else ./xxgk-store)")
    command.add_argument("--allow-private", action="store_true", default=None,
                         help="allow loopback and private addresses (default: $XXGK_ALLOW_PRIVATE=1)")
    command.add_argument("--task-runner", choices=("threads", "dask"), default="threads",
                         help="where extraction runs: threads here, or a Dask cluster")
    command.add_argument("--dask-address", help="scheduler address of a Dask cluster (default: a local cluster)")
    warehouse_option(command)


def _registry_readable(path: str | None) -> bool:
    """Checked before a flow starts, so a missing or malformed registry is one line on
    stderr rather than a failed flow run."""
    from xxgk.crawler.registry import RegistryError, load_registry
    from xxgk.flows.crawl_commands import registry_path

    try:
        load_registry(registry_path(path))
    except RegistryError as error:
        print(f"xxgk: {error}", file=sys.stderr)
        return False
    return True


def _run(args: argparse.Namespace) -> int:
    if not _registry_readable(args.registry):
        return 1
    from xxgk.flows.prefect_flows import nightly, task_runner

    flow = nightly.with_options(task_runner=task_runner(args.task_runner, args.dask_address))
    print(flow(registry=args.registry, warehouse=args.warehouse, store=args.store,
               allow_private=args.allow_private).line())
    return 0


def _backfill(args: argparse.Namespace) -> int:
    try:
        year_range(args.years)
    except argparse.ArgumentTypeError as error:
        print(f"xxgk: {error}", file=sys.stderr)
        return 2
    if not _registry_readable(args.registry):
        return 1
    from xxgk.flows.prefect_flows import backfill, task_runner

    flow = backfill.with_options(task_runner=task_runner(args.task_runner, args.dask_address))
    print(flow(years=args.years, jurisdictions=args.jurisdiction, force=args.force, registry=args.registry,
               warehouse=args.warehouse, store=args.store, allow_private=args.allow_private).line())
    return 0


def _demo(args: argparse.Namespace) -> int:
    from xxgk.flows.prefect_flows import demo
    from xxgk.warehouse.connect import open_warehouse, warehouse_path

    summary = demo(warehouse=args.warehouse, store=args.store)
    path = warehouse_path(args.warehouse)
    with open_warehouse(path, read_only=True) as con:
        per_year = con.execute("SELECT year, count(*), count(*) FILTER (WHERE status = 'issues') "
                               "FROM reports GROUP BY year ORDER BY year").fetchall()
        seed = con.execute("SELECT severity, check_name, table_name, row_key, col_key, message FROM quality_issues "
                           "WHERE report_key = ? AND severity = 'error' ORDER BY check_name, row_key",
                           [SEED_REPORT_KEY]).fetchall()
    print(f"\n{summary.line()}\n\nReports in {path}, by year:")
    for year, reports, with_errors in per_year:
        print(f"  {year}: {reports} reports ({with_errors} with errors)")
    if seed:
        print(f"\nErrors found in the seed report ({SEED_REPORT_KEY}):")
        for severity, check, table, row, col, message in seed:
            print(f"  {severity} {check} {table}.{row}.{col}: {message}")
    print(f"\nNext:\n  xxgk query \"SELECT * FROM report_summary LIMIT 10\" --warehouse {path}\n"
          f"  xxgk issues --severity error --warehouse {path}\n"
          "  xxgk serve-demo --registry portals.json   # then, in another terminal:\n"
          "  xxgk crawl --registry portals.json --allow-private\n"
          "  xxgk extract PATH_OR_URL   # any report: HTML, PDF, DOCX or text")
    return 0
