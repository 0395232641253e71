"""The options commands share, declared once: the same flag has the same name, default,
environment variable and help on every command (`--help` shows the default and the
variable, both read from xxgk.config)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from xxgk.config import ALLOW_PRIVATE_ENV, SETTINGS


def _location(name: str) -> typer.models.OptionInfo:
    setting = SETTINGS[name]
    return typer.Option(f"--{name}", envvar=setting.env, show_envvar=True,
                        help=setting.help[0].upper() + setting.help[1:] + ".")


Warehouse = Annotated[str, _location("warehouse")]
Store = Annotated[str, _location("store")]
Registry = Annotated[str, _location("registry")]
Years = Annotated[str | None, typer.Option(
    "--years", help="Reporting years, e.g. 2019-2024, 2023 or 2019,2021.",
    show_default="the current and previous reporting year")]
Jurisdictions = Annotated[list[str] | None, typer.Option(
    "--jurisdiction", help="Only this jurisdiction: a GB/T 2260 code or a place name (repeat for several).",
    show_default=False)]
Force = Annotated[bool, typer.Option("--force", help="Re-extract documents the warehouse has already read.")]
AllowPrivate = Annotated[bool, typer.Option(
    "--allow-private", envvar=ALLOW_PRIVATE_ENV, show_envvar=True,
    help="Allow loopback and private addresses (the demo portal, tests).")]


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


OutputFormat = Annotated[Format, typer.Option("--format", help="How rows are printed.")]
