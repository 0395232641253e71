"""The options commands share, declared once: the same flag has the same name, default,
environment variable and help on every command (`--help` shows the default and the
variable, both read from xxgk.config)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from xxgk import config
from xxgk.config import ALLOW_PRIVATE_ENV, SETTINGS, positive_number
from xxgk.schemas.errors import UsageError


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


def _reporting_year(year: int | None) -> int | None:
    """A `--year` checked while the arguments are parsed, so the error names the option."""
    try:
        return None if year is None else config.check_year(year)
    except UsageError as error:
        raise typer.BadParameter(str(error)) from None


def year_option(help: str) -> typer.models.OptionInfo:
    return typer.Option(help=help, callback=_reporting_year, metavar="YYYY")


def year_argument(help: str) -> typer.models.ArgumentInfo:
    return typer.Argument(help=help, callback=_reporting_year)


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


def positive_seconds(value: float | None) -> float | None:
    """A time limit: above zero and finite (0, negatives, nan and inf would turn it off)."""
    return None if value is None else positive_number(value, f"--timeout {value}", "seconds")
