"""The crawling commands: `xxgk crawl`, `xxgk portals add|check`, `xxgk serve-demo`.

Argument handling and printing only; the work is in crawler/ and flows/pipeline.py.
The warehouse is opened only to read the last run's validators and, after the crawl, to
record it and load what is new, so analysts can query it while a crawl runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from tqdm import tqdm

from xxgk.crawler.http import Fetcher, Rules, Settings
from xxgk.crawler.registry import Portal, Profile, RegistryError, load_registry, parse_registry, write_registry
from xxgk.crawler.store import RawStore
from xxgk.flows import pipeline

DEFAULT_REGISTRY = "portals.json"
DEFAULT_STORE = "xxgk-store"


def add_commands(commands: argparse._SubParsersAction, warehouse_option: Callable) -> None:
    crawl_cmd = commands.add_parser("crawl", help="crawl the registry's portals for reports; extract and load what is new")
    crawl_cmd.add_argument("--registry", help=f"portal registry (default: $XXGK_REGISTRY, else ./{DEFAULT_REGISTRY})")
    crawl_cmd.add_argument("--years", type=year_range, help="only reports of these years, e.g. 2019-2024 or 2023")
    crawl_cmd.add_argument("--store", help=f"raw document store, a directory or fsspec URL (default: $XXGK_STORE, "
                                           f"else ./{DEFAULT_STORE})")
    crawl_cmd.add_argument("--allow-private", action="store_true",
                           help="allow loopback and private addresses (the demo portal, tests)")
    crawl_cmd.add_argument("--workers", type=int, default=32, help="portals crawled at once")
    warehouse_option(crawl_cmd)
    crawl_cmd.set_defaults(run=_crawl)

    portals_cmd = commands.add_parser("portals", help="manage the portal registry")
    actions = portals_cmd.add_subparsers(title="actions")
    add_cmd = actions.add_parser("add", help="find a portal's annual-report column and add it to the registry")
    add_cmd.add_argument("url", help="the portal's home page or its 信息公开 page")
    add_cmd.add_argument("--jurisdiction", required=True, metavar="CODE", help="GB/T 2260 code of the organ's area")
    add_cmd.add_argument("--organ", help="the publishing organ (default: the jurisdiction's 人民政府)")
    add_cmd.add_argument("--registry", help=f"registry file (default: $XXGK_REGISTRY, else ./{DEFAULT_REGISTRY})")
    add_cmd.add_argument("--allow-private", action="store_true", help="allow loopback and private addresses")
    add_cmd.set_defaults(run=_portals_add)
    check_cmd = actions.add_parser("check", help="validate the registry file")
    check_cmd.add_argument("--registry", help=f"registry file (default: $XXGK_REGISTRY, else ./{DEFAULT_REGISTRY})")
    check_cmd.set_defaults(run=_portals_check)
    portals_cmd.set_defaults(run=lambda args: (portals_cmd.print_help(), 2)[1])

    serve_cmd = commands.add_parser("serve-demo", help="serve the demo portal sites on 127.0.0.1 until interrupted")
    serve_cmd.add_argument("--port", type=int, default=8700, help="first port; each site takes the next (0: any free)")
    serve_cmd.add_argument("--seed", type=int, default=2024, help="the sites and figures are deterministic from it")
    serve_cmd.add_argument("--manifest", metavar="FILE", help="write the reports served (key, URL, figures) as JSON")
    serve_cmd.add_argument("--registry", metavar="FILE", help="write a portal registry pointing at the demo")
    serve_cmd.set_defaults(run=_serve_demo)


def year_range(text: str) -> set[int]:
    """2019-2024, 2023, or 2019,2021: the set of years."""
    try:
        years: set[int] = set()
        for part in text.split(","):
            first, _, last = part.partition("-")
            years.update(range(int(first), int(last or first) + 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a year or range of years: {text!r}") from None
    if not years or min(years) < 2000 or max(years) > 2100:
        raise argparse.ArgumentTypeError(f"not a year or range of years: {text!r}")
    return years


def registry_path(explicit: str | None) -> str:
    return explicit or os.environ.get("XXGK_REGISTRY") or DEFAULT_REGISTRY


def store_location(explicit: str | None) -> str:
    return explicit or os.environ.get("XXGK_STORE") or DEFAULT_STORE


def _crawl(args: argparse.Namespace) -> int:
    from xxgk.warehouse.connect import WarehouseUnavailable, open_warehouse, warehouse_path
    from xxgk.warehouse.crawl_state import known_validators
    from xxgk.warehouse.load import load_batches

    try:
        portals = load_registry(registry_path(args.registry))
    except RegistryError as error:
        print(f"xxgk: {error}", file=sys.stderr)
        return 1
    warehouse, store = warehouse_path(args.warehouse), store_location(args.store)
    try:
        with open_warehouse(warehouse) as con:
            known = known_validators(con)
        with tqdm(total=len(portals), unit="portal", desc="crawl", disable=None, file=sys.stderr) as bar:
            run = pipeline.run_crawl(portals, store, known, Settings(allow_private=args.allow_private), args.years,
                                     workers=args.workers, on_portal=lambda _: bar.update())
        with open_warehouse(warehouse) as con:
            pipeline.record(con, run)
            pending = pipeline.to_extract(con, run.reports)
        extracted = [pipeline.extract_report(report, store)
                     for report in tqdm(pending, unit="report", desc="extract", disable=None, file=sys.stderr)]
        with open_warehouse(warehouse) as con:
            loaded = load_batches(con, extracted)
    except WarehouseUnavailable as error:
        print(f"xxgk: {error}", file=sys.stderr)
        return 1
    summary = pipeline.summarize(run)
    print(summary.line())
    print(f"loaded {loaded.loaded} reports ({loaded.with_errors} with errors), {loaded.unreadable} unreadable, "
          f"{loaded.unkeyed} without a report key")
    for failure in summary.failures:
        print(f"  failed: {failure}")
    return 0


def _portals_check(args: argparse.Namespace) -> int:
    path = registry_path(args.registry)
    try:
        portals = load_registry(path)
    except RegistryError as error:
        print(f"xxgk: {error}", file=sys.stderr)
        return 1
    print(f"{path}: {len(portals)} portals, all valid")
    return 0


def _portals_add(args: argparse.Namespace) -> int:
    from xxgk.crawler.discover import column_links, page_text
    from xxgk.crawler.registry import known_jurisdiction
    from xxgk.extractors.metadata import division_names

    if not known_jurisdiction(args.jurisdiction):
        print(f"xxgk: {args.jurisdiction} is not a known GB/T 2260 code", file=sys.stderr)
        return 1
    path = registry_path(args.registry)
    try:
        portals = load_registry(path) if Path(path).exists() else []
    except RegistryError as error:
        print(f"xxgk: {error}", file=sys.stderr)
        return 1
    fetcher = Fetcher(RawStore("memory://xxgk-portals-add"), {}, Settings(allow_private=args.allow_private))
    rules = Rules((urlsplit(args.url).hostname or "",))
    column, visited, pending = None, set(), [args.url]
    while pending and column is None and len(visited) < 4:
        url = pending.pop(0)
        visited.add(url)
        page = fetcher.get(url, rules)
        if not page.ok:
            print(f"xxgk: {url}: {page.error}", file=sys.stderr)
            continue
        columns, disclosure = column_links(page_text(page.body, page.charset), page.final_url or url)
        column = columns[0] if columns else None
        pending += [u for u in disclosure if u not in visited]
    if column is None:
        print(f"xxgk: no link to an annual-report column (信息公开年报) on {args.url} or its 信息公开 pages; "
              "add the entry by hand with the column's URL", file=sys.stderr)
        return 1
    organ = args.organ or f"{division_names()[args.jurisdiction]}人民政府"
    entry = Portal(organ, args.jurisdiction, organ, column, (rules.domains[0],), Profile())
    try:
        portals = parse_registry({"portals": [p.to_json() for p in portals if p.name != organ] + [entry.to_json()]})
    except RegistryError as error:
        print(f"xxgk: {error}", file=sys.stderr)
        return 1
    write_registry(path, portals)
    print(f"{path}: {organ} → {column}")
    return 0


def _serve_demo(args: argparse.Namespace) -> int:
    from xxgk.samples.portal import build_sites
    from xxgk.samples.portal_server import DemoPortal

    try:
        portal = DemoPortal(build_sites(args.seed), port=args.port)
    except OSError as error:
        print(f"xxgk: cannot listen on 127.0.0.1:{args.port}: {error}", file=sys.stderr)
        return 1
    with portal:
        if args.manifest:
            Path(args.manifest).write_text(json.dumps(portal.manifest(), ensure_ascii=False, indent=1), encoding="utf-8")
        if args.registry:
            write_registry(args.registry, portal.registry())
        for site in portal.sites:
            print(f"{portal.base_url(site)}{site.entry}  {site.organ} ({site.style}, {site.charset})")
        print(f"{len(portal.manifest())} reports served; Ctrl-C stops", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0
