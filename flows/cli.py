"""The `xxgk` command line. Argument parsing and printing only; the work is elsewhere."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from xxgk.extractors.extract import MAX_DOCUMENT_BYTES, Overrides, extract
from xxgk.flows.crawl_commands import add_commands
from xxgk.flows.flow_commands import add_commands as add_flow_commands
from xxgk.flows.sources import SourceError, load
from xxgk.flows.summary import summary
from xxgk.schemas.records import Extraction


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    return args.run(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xxgk", description="Government information-disclosure annual reports → tables.")
    commands = parser.add_subparsers(title="commands")

    extract_cmd = commands.add_parser("extract", help="extract and validate the tables of report documents")
    extract_cmd.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
    extract_cmd.add_argument("--json", action="store_true", help="print JSON (one object per line for several inputs)")
    extract_cmd.add_argument("--year", type=int, help="the reporting year, when the document does not say it")
    extract_cmd.add_argument("--jurisdiction", help="GB/T 2260 code or place name of the organ's area")
    extract_cmd.add_argument("--organ", help="the publishing organ")
    extract_cmd.add_argument("--max-bytes", type=int, default=MAX_DOCUMENT_BYTES, help="size limit per document")
    extract_cmd.set_defaults(run=_extract)

    load_cmd = commands.add_parser("load", help="extract, validate and load local documents or directories")
    load_cmd.add_argument("paths", nargs="+", metavar="PATH")
    _warehouse_option(load_cmd)
    load_cmd.set_defaults(run=_load)

    query_cmd = commands.add_parser("query", help="run SQL on a read-only connection to the warehouse")
    query_cmd.add_argument("sql")
    query_cmd.add_argument("--format", choices=("table", "csv", "json"), default="table")
    _warehouse_option(query_cmd)
    query_cmd.set_defaults(run=_query)

    issues_cmd = commands.add_parser("issues", help="list the findings recorded in the warehouse")
    issues_cmd.add_argument("--severity", choices=("error", "warning", "info"))
    issues_cmd.add_argument("--jurisdiction", metavar="CODE")
    issues_cmd.add_argument("--year", type=int)
    issues_cmd.add_argument("--format", choices=("table", "csv", "json"), default="table")
    _warehouse_option(issues_cmd)
    issues_cmd.set_defaults(run=_issues)

    export_cmd = commands.add_parser("export", help="export the warehouse as Parquet, hive-partitioned by year")
    export_cmd.add_argument("--parquet", required=True, metavar="DIR")
    _warehouse_option(export_cmd)
    export_cmd.set_defaults(run=_export)

    add_commands(commands, _warehouse_option)

    add_flow_commands(commands, _warehouse_option)
    return parser


def _warehouse_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--warehouse", help="DuckDB file (default: $XXGK_WAREHOUSE, else ./xxgk.duckdb)")


def _open_warehouse(path: str | None, read_only: bool):
    """The warehouse connection, or None after one line on stderr saying why not."""
    from xxgk.warehouse.connect import WarehouseUnavailable, open_warehouse, warehouse_path

    try:
        return open_warehouse(warehouse_path(path), read_only=read_only)
    except WarehouseUnavailable as error:
        print(f"xxgk: {error}", file=sys.stderr)
        return None


def _load(args: argparse.Namespace) -> int:
    from xxgk.warehouse.connect import warehouse_path
    from xxgk.flows.pipeline import load_paths

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"xxgk: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return 1
    con = _open_warehouse(args.warehouse, read_only=False)
    if con is None:
        return 1
    with con:
        summary = load_paths(con, args.paths)
    print(f"loaded {summary.loaded} reports ({summary.with_errors} with errors), "
          f"{summary.unreadable} unreadable, {summary.unkeyed} without a report key "
          f"into {warehouse_path(args.warehouse)}")
    return 0


def _query(args: argparse.Namespace) -> int:
    return _print_query(args.warehouse, args.sql, [], args.format)


def _issues(args: argparse.Namespace) -> int:
    filters = [("q.severity = ?", args.severity), ("r.jurisdiction_code = ?", args.jurisdiction), ("r.year = ?", args.year)]
    where = " AND ".join(["TRUE"] + [clause for clause, value in filters if value is not None])
    sql = ("SELECT r.jurisdiction_code, r.organ, r.year, q.severity, q.check_name, q.table_name, q.row_key, q.col_key, "
           "q.expected, q.actual, q.message, d.url AS document FROM quality_issues q "
           "LEFT JOIN reports r USING (report_key) LEFT JOIN documents d ON d.sha256 = q.document_sha256 "
           f"WHERE {where} ORDER BY r.jurisdiction_code, r.organ, r.year, q.severity, q.check_name")
    return _print_query(args.warehouse, sql, [value for _, value in filters if value is not None], args.format)


def _print_query(warehouse: str | None, sql: str, params: list, fmt: str) -> int:
    """Run SQL on a read-only connection and print the result, or one line on failure."""
    import duckdb
    from xxgk.flows.results import render

    con = _open_warehouse(warehouse, read_only=True)
    if con is None:
        return 1
    with con:
        try:
            result = con.execute(sql, params)
            columns = [d[0] for d in result.description or []]
            rows = result.fetchall() if columns else []
        except duckdb.Error as error:
            print(f"xxgk: {type(error).__name__}: {str(error).splitlines()[0]}", file=sys.stderr)
            return 1
    print(render(columns, rows, fmt))
    return 0


def _export(args: argparse.Namespace) -> int:
    from xxgk.warehouse.export import export_parquet

    con = _open_warehouse(args.warehouse, read_only=True)
    if con is None:
        return 1
    with con:
        written = export_parquet(con, args.parquet)
    print(f"exported {', '.join(written)} to {args.parquet}")
    return 0


def _extract(args: argparse.Namespace) -> int:
    overrides = Overrides(year=args.year, jurisdiction=args.jurisdiction, organ=args.organ)
    status = 0
    for name in args.inputs:
        try:
            source = load(name, args.max_bytes)
        except SourceError as error:
            print(f"xxgk: {error}", file=sys.stderr)
            status = 1
            continue
        extraction = extract(source.data, source.name, charset=source.charset, overrides=overrides,
                             max_bytes=args.max_bytes)
        if extraction.unreadable_reason is not None:
            print(f"xxgk: {name}: {extraction.unreadable_reason}", file=sys.stderr)
            status = 1
        _print(extraction, args.json, several=len(args.inputs) > 1)
    return status


def _print(extraction: Extraction, as_json: bool, several: bool) -> None:
    if as_json:
        print(json.dumps(extraction.to_json(), ensure_ascii=False, indent=None if several else 2))
    else:
        print(summary(extraction) + ("\n" if several else ""))
