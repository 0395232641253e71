"""The `xxgk` command line: typer commands over the pipeline, the extractor and the warehouse.

Arguments in, one call down, output out; no command does the work itself. Every error a
user can act on is an `XxgkError`, caught here once: one line on stderr, and the exit
status docs/architecture.md documents (0 done, 1 an input, the registry or the warehouse could
not be used, 2 a wrong argument, 130 interrupted).
"""

from __future__ import annotations

import sys
from typing import Any

import typer

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


def _click_class(name: str) -> type[Any]:
    """The class `name` of the click typer raises from: the click package up to typer 0.15,
    its own bundled copy (`typer._click`) from 0.16. Found from `typer.BadParameter`,
    which is that click's, so whichever typer is installed is caught."""
    return next(cls for cls in typer.BadParameter.__mro__ if cls.__name__ == name)


ClickException = _click_class("ClickException")
ClickUsageError = _click_class("UsageError")


def _usage_line(error: Any) -> str:
    """A usage error in one line: the command, the message, where help is."""
    context = getattr(error, "ctx", None)
    command = context.command_path if context is not None else "xxgk"
    message = " ".join(error.format_message().split())
    return f"{command}: {message} (see {command} --help)"


def main(argv: list[str] | None = None) -> int:
    """The console script; returns the exit status (tests call it with arguments)."""
    try:
        result = typer.main.get_command(app).main(args=argv, prog_name="xxgk", standalone_mode=False)
    except XxgkError as error:
        print(f"xxgk: {error}", file=sys.stderr)
        return error.exit_code
    except typer.Exit as done:
        return done.exit_code
    except ClickUsageError as error:
        if type(error).__name__ == "NoArgsIsHelpError":  # `xxgk` or `xxgk portals` alone: the help
            error.show()
        else:
            print(_usage_line(error), file=sys.stderr)
        return 2
    except ClickException as error:
        print(f"xxgk: {' '.join(error.format_message().split())}", file=sys.stderr)
        return error.exit_code
    except (typer.Abort, KeyboardInterrupt):
        print("xxgk: interrupted", file=sys.stderr)
        return 130
    return result if isinstance(result, int) else 0
