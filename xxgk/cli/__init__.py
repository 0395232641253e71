"""The `xxgk` command line: typer commands over the pipeline, the extractor and the warehouse.

Arguments in, one call down, output out; no command does the work itself. Every error a
user can act on is an `XxgkError`, caught here once: one line on stderr, and the exit
status docs/architecture.md documents (0 done, 1 an input, the registry or the warehouse could
not be used, 2 a wrong argument, 130 interrupted).
"""

from __future__ import annotations

import sys

import click
import typer
from typer._click.exceptions import ClickException as TyperClickException

import xxgk
from xxgk.cli import diagnose, documents, portals, runs, site, warehouse
from xxgk.schemas.errors import XxgkError

app = typer.Typer(name="xxgk", help="Government information-disclosure annual reports (政府信息公开工作年度报告) → a "
                  "validated SQL warehouse.", no_args_is_help=True, pretty_exceptions_enable=False,
                  context_settings={"help_option_names": ["-h", "--help"]})
for module in (documents, warehouse, site, runs, portals, diagnose):
    module.register(app)


def _version(value: bool) -> None:
    if value:
        print(f"xxgk {xxgk.__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """Crawl portals, extract and validate reports, load and query the warehouse."""


def main(argv: list[str] | None = None) -> int:
    """The console script; returns the exit status (tests call it with arguments)."""
    try:
        result = typer.main.get_command(app).main(args=argv, prog_name="xxgk", standalone_mode=False)
    except XxgkError as error:
        print(f"xxgk: {error}", file=sys.stderr)
        return error.exit_code
    except click.exceptions.Exit as done:
        return done.exit_code
    except (click.ClickException, TyperClickException) as error:  # typer >= 0.16 raises from its own click
        error.show()
        return error.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        print("xxgk: interrupted", file=sys.stderr)
        return 130
    return result if isinstance(result, int) else 0
