"""Looking at the warehouse: `xxgk site OUT/`, a static site readable offline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from xxgk import config
from xxgk.cli.options import Warehouse
from xxgk.publish.build import build_site
from xxgk.warehouse.connect import open_warehouse

DEFAULT = config.SETTINGS["warehouse"].default


def register(app: typer.Typer) -> None:
    app.command("site")(site_command)


def site_command(
    out: Annotated[Path, typer.Argument(metavar="OUT", help="The folder to write; a later run updates it in place.")],
    warehouse: Warehouse = DEFAULT,
) -> int:
    """Build or update a static site of the warehouse: coverage and quality maps, every
    place's time series, every report as published with its findings."""
    with open_warehouse(warehouse, read_only=True) as con:
        summary = build_site(con, out)
    print(f"{summary.line()}; open {out / 'index.html'}")
    return 0
