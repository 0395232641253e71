"""Reading the warehouse: `xxgk query`, `xxgk issues`, `xxgk export`."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from xxgk import config
from xxgk.cli.options import Format, OutputFormat, Warehouse
from xxgk.cli.output import print_rows
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.export import export_parquet
from xxgk.warehouse.queries import findings, run_query

DEFAULT = config.SETTINGS["warehouse"].default


class Severity(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


def register(app: typer.Typer) -> None:
    app.command("query")(query_command)
    app.command("issues")(issues_command)
    app.command("export")(export_command)


def query_command(
    sql: Annotated[str, typer.Argument(help="The SQL, run on a read-only connection.")],
    fmt: OutputFormat = Format.table,
    warehouse: Warehouse = DEFAULT,
) -> int:
    """Run SQL on a read-only connection to the warehouse."""
    with open_warehouse(warehouse, read_only=True) as con:
        columns, rows = run_query(con, sql)
    print_rows(columns, rows, fmt.value)
    return 0


def issues_command(
    severity: Annotated[Severity | None, typer.Option(help="Only findings of this severity.")] = None,
    jurisdiction: Annotated[str | None, typer.Option(help="A GB/T 2260 code or a place name.")] = None,
    year: Annotated[int | None, typer.Option(help="The reporting year.")] = None,
    fmt: OutputFormat = Format.table,
    warehouse: Warehouse = DEFAULT,
) -> int:
    """List the findings recorded in the warehouse."""
    code = config.parse_jurisdictions([jurisdiction])[0] if jurisdiction else None
    with open_warehouse(warehouse, read_only=True) as con:
        columns, rows = findings(con, severity=severity.value if severity else None, jurisdiction=code, year=year)
    print_rows(columns, rows, fmt.value)
    return 0


def export_command(
    parquet: Annotated[str, typer.Option("--parquet", metavar="DIR", help="The folder to write.")],
    warehouse: Warehouse = DEFAULT,
) -> int:
    """Export the warehouse as Parquet, hive-partitioned by year."""
    with open_warehouse(warehouse, read_only=True) as con:
        written = export_parquet(con, parquet)
    print(f"exported {', '.join(written)} to {parquet}")
    return 0
