"""Reading the warehouse: `xxgk query`, `xxgk issues`, `xxgk export`, `xxgk dictionary`; and
`xxgk compact`, its maintenance."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from xxgk import config
from xxgk.cli.options import Format, OutputFormat, Warehouse, positive_seconds, year_option
from xxgk.cli.output import print_rows
from xxgk.warehouse.connect import open_warehouse
from xxgk.warehouse.convert import convert_file
from xxgk.warehouse.dictionary import dictionary
from xxgk.warehouse.errors import LakeDamaged
from xxgk.warehouse.export import export_parquet
from xxgk.warehouse.gates import QueryLimits
from xxgk.warehouse.integrity import catalog_files, verify
from xxgk.warehouse.location import parse
from xxgk.warehouse.maintenance import GRACE_HOURS, KEEP_DAYS, MAX_GRACE_HOURS, MAX_KEEP_DAYS, compact, data_files
from xxgk.warehouse.queries import findings
from xxgk.warehouse.sandbox import query

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
    app.command("verify")(verify_command)


def query_command(
    sql: Annotated[str, typer.Argument(help="The SQL, run on a read-only connection.")],
    at: Annotated[str | None, typer.Option(
        help="Read the warehouse as it was after this run id, snapshot id or time (ISO 8601).")] = None,
    timeout: Annotated[float | None, typer.Option(
        help="Stop the query after this many seconds.", callback=positive_seconds,
        show_default=f"{config.QUERY_LIMITS['XXGK_QUERY_SECONDS'][0]}, or XXGK_QUERY_SECONDS")] = None,
    fmt: OutputFormat = Format.table,
    warehouse: Warehouse = DEFAULT,
) -> int:
    """Run one SELECT on the warehouse in a process that can read the lake and nothing
    else, within bounds of time, memory and result size (docs/operations.md)."""
    seconds, memory, rows_at_most, result_bytes = config.query_limits()
    columns, rows = query(warehouse, sql, at=at, storage=config.object_storage(),
                          limits=QueryLimits(timeout or seconds, memory, rows_at_most, result_bytes))
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
    with open_warehouse(warehouse, read_only=True, storage=config.object_storage()) as con:
        columns, rows = findings(con, severity=severity.value if severity else None, jurisdiction_code=code,
                                 year=year)
    print_rows(columns, rows, fmt.value)
    return 0


def export_command(
    parquet: Annotated[str, typer.Option("--parquet", metavar="URL", help="A folder or fsspec URL (file://, s3://, memory://…).")],
    warehouse: Warehouse = DEFAULT,
) -> int:
    """Export every table and view as Parquet (report-level ones hive-partitioned by year), counts as integers."""
    with open_warehouse(warehouse, read_only=True, storage=config.object_storage()) as con:
        written = export_parquet(con, parquet)
    print(f"exported {', '.join(written)} to {parquet}")
    return 0


def dictionary_command(fmt: OutputFormat = Format.table, warehouse: Warehouse = DEFAULT) -> int:
    """Every row and column key with its Chinese label, group, unit and templates."""
    with open_warehouse(warehouse, read_only=True, storage=config.object_storage()) as con:
        columns, rows = dictionary(con)
    print_rows(columns, rows, fmt.value)
    return 0


def compact_command(
    keep_days: Annotated[int, typer.Option(help="Snapshots younger than this stay readable with --at.",
                                           min=0, max=MAX_KEEP_DAYS)] = KEEP_DAYS,
    grace_hours: Annotated[float, typer.Option(
        help="No file younger than this is removed (readers holding an older snapshot still read it).",
        min=0, max=MAX_GRACE_HOURS)] = GRACE_HOURS,
    warehouse: Warehouse = DEFAULT,
) -> int:
    """Merge the small files nightly loads leave, drop snapshots older than --keep-days,
    and reclaim files the catalog no longer knows."""
    with open_warehouse(warehouse, storage=config.object_storage()) as con:
        before = data_files(con)
        compact(con, keep_days, grace_hours)
        print(f"{before} data files compacted into {data_files(con)}")
    return 0


def verify_command(warehouse: Warehouse = DEFAULT) -> int:
    """Check the lake: its catalog, every data file against the catalog and the checksum
    recorded when it was written, and files the catalog does not know."""
    with open_warehouse(warehouse, read_only=True, storage=config.object_storage()) as con:
        damage = verify(con, parse(warehouse))
        files = len(catalog_files(con))
    for found in damage:
        print(found)
    if damage:
        raise LakeDamaged(f"{len(damage)} problem(s) in the lake at {parse(warehouse).shown}")
    print(f"{files} data files and the catalog verified: nothing damaged")
    return 0


def convert_command(
    single_file: Annotated[str, typer.Argument(help="A single-file warehouse of xxgk before the lake (xxgk.duckdb).")],
    lake: Annotated[str, typer.Argument(help="The new lake: a folder, or a postgresql://…?data=… URL.")],
) -> int:
    """Copy a single-file warehouse into a new lake, every row, and migrate it."""
    copied = convert_file(single_file, lake, storage=config.object_storage())
    print(", ".join(f"{table} {rows}" for table, rows in copied.items()) + f" rows copied into {lake}")
    return 0
