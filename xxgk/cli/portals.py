"""The registry and the demo portal: `xxgk portals add|check|discover|coverage`, `xxgk serve-demo`."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from xxgk import config
from xxgk.cli.options import AllowPrivate, Registry
from xxgk.cli.output import print_rows
from xxgk.crawler.http import Fetcher, Settings
from xxgk.crawler.portal_finder import coverage, discover_portals, merge
from xxgk.crawler.portal_search import portal_entries
from xxgk.crawler.registry import load_registry, parse_registry, write_registry
from xxgk.crawler.store import RawStore
from xxgk.schemas.errors import XxgkError

REGISTRY = config.SETTINGS["registry"].default


def register(app: typer.Typer) -> None:
    portals = typer.Typer(help="Manage the portal registry.", no_args_is_help=True)
    portals.command("add")(portals_add)
    portals.command("check")(portals_check)
    portals.command("discover")(portals_discover)
    portals.command("coverage")(portals_coverage)
    app.add_typer(portals, name="portals")
    app.command("serve-demo")(serve_demo)


def portals_add(
    url: Annotated[str, typer.Argument(help="The portal's home page or its 信息公开 page.")],
    jurisdiction: Annotated[str, typer.Option(help="The organ's area: a GB/T 2260 code or a place name.")],
    organ: Annotated[str | None, typer.Option(help="The publishing organ.",
                                              show_default="the jurisdiction's 人民政府")] = None,
    allow_private: AllowPrivate = False,
    registry: Registry = REGISTRY,
) -> int:
    """Find a portal's annual-report columns and add them to the registry (one entry per
    sub-column where the reports are split and no combined column lists them), in place
    of the entries an earlier add wrote for the organ."""
    code = config.parse_jurisdictions([jurisdiction])[0]
    portals = load_registry(registry) if Path(registry).exists() else []
    entries, reason = portal_entries(url, code, organ, Settings(allow_private=allow_private, network=config.network()))
    names, organ = {entry.name for entry in entries}, entries[0].organ
    earlier = {p.name for p in portals if p.jurisdiction == code and p.organ == organ  # what an earlier add wrote
               and (p.name == organ or p.name.startswith(f"{organ} ("))}
    portals = parse_registry({"portals": [p.to_json() for p in portals if p.name not in names | earlier]
                              + [entry.to_json() for entry in entries]})
    write_registry(registry, portals)
    for entry in entries:
        print(f"{registry}: {entry.name} → {entry.entry}")
    print(f"chosen because {reason}")
    return 0


def portals_check(registry: Registry = REGISTRY) -> int:
    """Validate the registry file."""
    print(f"{registry}: {len(load_registry(registry))} portals, all valid")
    return 0


def portals_discover(
    start: Annotated[str, typer.Option("--from", help="A page linking government portals (地方政府 list, footer).")],
    depth: Annotated[int, typer.Option(min=1, max=3, help="Follow the portals found this many link lists deep.")] = 1,
    write: Annotated[bool,
                     typer.Option("--write", help="Add the new entries to the registry (existing ones untouched).")]
    = False,
    allow_private: AllowPrivate = False,
    registry: Registry = REGISTRY,
) -> int:
    """Propose registry entries for the government portals a page links, each with its annual-report column."""
    settings = Settings(allow_private=allow_private, network=config.network())
    fetcher = Fetcher(RawStore("memory://xxgk-portals-discover"), {}, settings)
    proposed = discover_portals(start, fetcher, depth)
    print_rows(["jurisdiction", "level", "organ", "columns", "note"],
               [(p.jurisdiction, p.level, p.organ, " ".join(p.columns) or None, p.note) for p in proposed], "table")
    if write:
        existing = load_registry(registry) if Path(registry).exists() else []
        merged, added = merge(existing, proposed)
        write_registry(registry, merged)
        print(f"{registry}: {len(added)} new entries, {len(existing)} kept")
    return 0


def portals_coverage(registry: Registry = REGISTRY) -> int:
    """Registered portals against all divisions, by level."""
    rows = coverage(load_registry(registry))
    print_rows(["level", "registered", "divisions", "share"],
               [(level, registered, total, f"{registered / total:.1%}") for level, registered, total in rows], "table")
    return 0


def serve_demo(
    port: Annotated[int, typer.Option(help="First port; each site takes the next (0: any free).")] = 8700,
    seed: Annotated[int, typer.Option(help="The sites and figures are deterministic from it.")] = 2024,
    manifest: Annotated[str | None,
                        typer.Option(metavar="FILE", help="Write the reports served (key, URL, figures).")] = None,
    registry: Annotated[str | None,
                        typer.Option(metavar="FILE", help="Write a portal registry pointing at the demo.")] = None,
) -> int:
    """Serve the demo portal sites on 127.0.0.1 until interrupted."""
    from xxgk.samples.portal import build_sites
    from xxgk.samples.portal_server import DemoPortal

    try:
        portal = DemoPortal(build_sites(seed, seed_report=config.seed_report()), port=port)
    except OSError as error:
        raise XxgkError(f"cannot listen on 127.0.0.1:{port}: {error}") from None
    with portal:
        if manifest:
            Path(manifest).write_text(json.dumps(portal.manifest(), ensure_ascii=False, indent=1), encoding="utf-8")
        if registry:
            write_registry(registry, portal.registry())
        for site in portal.sites:
            print(f"{portal.base_url(site)}{site.entry}  {site.organ} ({site.style}, {site.charset})")
        print(f"{len(portal.manifest())} reports served; Ctrl-C stops", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0
