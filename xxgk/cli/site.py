"""Looking at the warehouse: `xxgk site OUT/`, a static site readable offline, and
`xxgk serve`, the warehouse in Datasette (and the site beside it)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated

import typer

from xxgk import config
from xxgk.cli.options import Warehouse
from xxgk.publish.build import build_site
from xxgk.publish.paths import DATASETTE_DATABASE, NATIONAL, SITE_MOUNT
from xxgk.warehouse.connect import open_warehouse

DEFAULT = config.SETTINGS["warehouse"].default


def register(app: typer.Typer) -> None:
    app.command("site")(site_command)
    app.command("serve")(serve_command)


def site_command(
    out: Annotated[Path, typer.Argument(metavar="OUT", help="The folder to write; a later run updates it in place.")],
    warehouse: Warehouse = DEFAULT,
    browse_url: Annotated[str | None, typer.Option(
        "--browse-url", help="Where `xxgk serve` runs (http://host:port/): report pages link their rows there.",
        show_default=False)] = None,
) -> int:
    """Build or update a static site of the warehouse: coverage and quality maps, every
    place's time series, every report as published with its findings, the data dictionary
    and the national list of findings."""
    with open_warehouse(warehouse, read_only=True, storage=config.object_storage()) as con:
        summary = build_site(con, out, browse_url=_with_slash(browse_url))
    print(f"{summary.line()}; open {out / 'index.html'}")
    return 0


def serve_command(
    warehouse: Warehouse = DEFAULT,
    host: Annotated[str,
                    typer.Option(help="The address to listen on; the default is this machine only.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The port to listen on.", min=1, max=65535)] = 8001,
    site: Annotated[Path | None, typer.Option(
        "--site", help="Also build (or update) the static site in this folder and serve it at /site/, "
        "linked both ways with Datasette.", show_default=False)] = None,
    snapshot: Annotated[Path | None, typer.Option(
        "--snapshot", help="The folder for the SQLite snapshot Datasette reads.",
        show_default="a folder per warehouse under $XDG_CACHE_HOME/xxgk (~/.cache/xxgk)")] = None,
) -> int:
    """Browse the warehouse in Datasette: every table and view with its columns described,
    facets, canned queries, a SQL box, CSV and JSON for any page, from a read-only SQLite
    snapshot rewritten when the warehouse has changed."""
    from xxgk.publish.browse import check_address, metadata, serve
    from xxgk.publish.snapshot import write_snapshot

    check_address(host, port)
    folder = snapshot or _cache_folder(warehouse)
    with open_warehouse(warehouse, read_only=True, storage=config.object_storage()) as con:
        written = write_snapshot(con, folder / f"{DATASETTE_DATABASE}.db")
        meta = metadata(con, site_mounted=site is not None)
        if site is not None:
            print(build_site(con, site, browse_url="/").line())
    origin = f"http://{host if ':' not in host else f'[{host}]'}:{port}/"
    print(f"snapshot {'written' if written.written else 'unchanged'}: {written.path} ({written.tables} tables)")
    print(f"serving {origin}{DATASETTE_DATABASE}" + (f" and {origin}{SITE_MOUNT}/{NATIONAL}" if site else "")
          + "; Ctrl-C stops", flush=True)
    serve(written.path, meta, host=host, port=port, site=site)
    return 0


def _cache_folder(warehouse: str) -> Path:
    """One snapshot folder per warehouse location, under the user's cache."""
    base = config.cache_folder() / "serve"
    location = str(Path(warehouse).resolve()) if "://" not in warehouse else warehouse
    return base / hashlib.sha256(location.encode()).hexdigest()[:16]


def _with_slash(url: str | None) -> str | None:
    return url if url is None or url.endswith("/") else url + "/"
