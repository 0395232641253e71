"""Reading the warehouse: `xxgk query`, `xxgk issues`, `xxgk export`, `xxgk dictionary`; and
`xxgk compact`, its maintenance."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from xxgk import config
from xxgk.cli.options import Format, OutputFormat, Warehouse, year_option
from xxgk.cli.output import print_rows
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.convert import convert_file
from xxgk.warehouse.dictionary import dictionary
from xxgk.warehouse.export import export_parquet
from xxgk.warehouse.maintenance import KEEP_DAYS, compact, data_files
from xxgk.warehouse.queries import findings, run_query

DEFAULT = config.SETTINGS["warehouse"].default


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


def register(app: typer.Typer) -> None:
    app.command("query")(query_command)
    app.command("issues")(issues_command)
    app.command("export")(export_command)
    app.command("dictionary")(dictionary_command)
    app.command("compact")(compact_command)
    app.command("convert")(convert_command)


def query_command(
    sql: Annotated[str, typer.Argument(help="The SQL, run on a read-only connection.")],
    at: Annotated[str | None, typer.Option(
        help="Read the warehouse as it was after this run id, snapshot id or time (ISO 8601).")] = None,
    timeout: Annotated[float, typer.Option(help="Stop the query after this many seconds.")] = 300.0,
    fmt: OutputFormat = Format.table,
    warehouse: Warehouse = DEFAULT,
) -> int:
    """Run SQL on a read-only connection to the warehouse, which reaches nothing else."""
    with open_warehouse(warehouse, read_only=True, at=at, locked=True) as con:
        columns, rows = run_query(con, sql, timeout_seconds=timeout)
    print_rows(columns, rows, fmt.value)
    return 0


def issues_command(
    severity: Annotated[Severity | None, typer.Option(help="Only findings of this severity.")] = None,
    jurisdiction: Annotated[str | None, typer.Option(help="A GB/T 2260 code or a place name.")] = None,
    year: Annotated[int | None, year_option("The reporting year.")] = None,
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
    parquet: Annotated[str, typer.Option("--parquet", metavar="URL", help="A folder or fsspec URL (file://, s3://, memory://…).")],
    warehouse: Warehouse = DEFAULT,
) -> int:
    """Export every table and view as Parquet (report-level ones hive-partitioned by year), counts as integers."""
    with open_warehouse(warehouse, read_only=True) as con:
        written = export_parquet(con, parquet)
    print(f"exported {', '.join(written)} to {parquet}")
    return 0


def dictionary_command(fmt: OutputFormat = Format.table, warehouse: Warehouse = DEFAULT) -> int:
    """Every row and column key with its Chinese label, group, unit and templates."""
    with open_warehouse(warehouse, read_only=True) as con:
        columns, rows = dictionary(con)
    print_rows(columns, rows, fmt.value)
    return 0


def compact_command(
    keep_days: Annotated[int, typer.Option(help="Snapshots younger than this stay readable with --at.")] = KEEP_DAYS,
    warehouse: Warehouse = DEFAULT,
) -> int:
    """Merge the small files nightly loads leave, and drop snapshots older than --keep-days."""
    with open_warehouse(warehouse) as con:
        before = data_files(con)
        compact(con, keep_days)
        print(f"{before} data files compacted into {data_files(con)}")
    return 0


def convert_command(
    single_file: Annotated[str, typer.Argument(help="A single-file warehouse of xxgk before the lake (xxgk.duckdb).")],
    lake: Annotated[str, typer.Argument(help="The new lake: a folder, or a postgresql://…?data=… URL.")],
) -> int:
    """Copy a single-file warehouse into a new lake, every row, and migrate it."""
    copied = convert_file(single_file, lake)
    print(", ".join(f"{table} {rows}" for table, rows in copied.items()) + f" rows copied into {lake}")
    return 0
