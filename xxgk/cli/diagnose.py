"""Diagnosing portals: `xxgk discover` (what one listing page yields) and `xxgk explain`
(why a jurisdiction-year is or is not in the warehouse)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from xxgk import config
from xxgk.cli.options import AllowPrivate, Registry, Warehouse, year_argument
from xxgk.cli.output import console
from xxgk.crawler.explore import Discovery, discover_file, discover_url
from xxgk.crawler.http import Settings
from xxgk.crawler.registry import load_registry
from xxgk.schemas.errors import UsageError
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.explain import explain

REGISTRY = config.SETTINGS["registry"].default
WAREHOUSE = config.SETTINGS["warehouse"].default


def register(app: typer.Typer) -> None:
    app.command("discover")(discover_command)
    app.command("explain")(explain_command)


def discover_command(
    target: Annotated[str, typer.Argument(help="A listing page's URL, or a saved page (then give --url).")],
    url: Annotated[str | None,
                   typer.Option(help="The URL a saved page was served at (links resolve against it).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    allow_private: AllowPrivate = False,
) -> int:
    """Say what one listing page yields: its CMS family, report links, other items, next pages, declared size.
    Writes nothing."""
    if url is not None:
        if not Path(target).is_file():
            raise UsageError(f"{target}: no such file (with --url, TARGET is a saved page)")
        found = discover_file(target, url)
    elif target.startswith(("http://", "https://")):
        found = discover_url(target, Settings(allow_private=allow_private, network=config.network()))
    else:
        raise UsageError(f"{target}: give a page's http(s) URL, or a saved page with --url URL")
    if as_json:
        print(json.dumps(found.to_json(), ensure_ascii=False))
    else:
        _print_discovery(found)
    return 1 if found.error else 0


def _print_discovery(found: Discovery) -> None:
    out = console()
    if found.error:
        out.print(f"{found.url}: could not be read: {found.error}", markup=False)
        return
    declared = [f"{found.declared_total} records" if found.declared_total is not None else "",
                f"{found.declared_pages} pages" if found.declared_pages is not None else ""]
    out.print(f"{found.url}\nfamily: {found.family}; declares: {', '.join(d for d in declared if d) or 'nothing'}",
              markup=False)
    out.print(f"{len(found.reports)} report link(s), {found.other_links} other list item(s)", markup=False)
    for link, report in zip(found.reports, found.to_json()["reports"], strict=True):
        out.print(f"  {link.year}  {report['organ'] or '(the portal)'}  {link.title}\n        {link.url}", markup=False)
    out.print(f"{len(found.next)} further page request(s)", markup=False)
    for request in found.next:
        form = "&".join(f"{k}={v}" for k, v in request.form)
        out.print(f"  {request.method} {request.url}" + (f"  [{form}]" if form else ""), markup=False)


def explain_command(
    jurisdiction: Annotated[str, typer.Argument(help="A GB/T 2260 code or a place name.")],
    year: Annotated[int, year_argument("The reporting year.")],
    registry: Registry = REGISTRY,
    warehouse: Warehouse = WAREHOUSE,
) -> int:
    """Say why a jurisdiction-year is or is not in the warehouse: portals, pages read, each candidate link and why."""
    code = config.parse_jurisdictions([jurisdiction])[0]
    registered = [(p.name, p.entry) for p in load_registry(registry) if p.jurisdiction == code] \
        if Path(registry).exists() else None
    with open_warehouse(warehouse, read_only=True, storage=config.object_storage()) as con:
        told = explain(con, code, year, registered)
    out = console()
    for line in told.lines():
        out.print(line, markup=False)
    return 0
