"""`xxgk extract` (documents → cells and findings) and `xxgk load` (documents → warehouse)."""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from typing import Annotated

import typer

from xxgk import config
from xxgk.cli.options import Warehouse, year_option
from xxgk.cli.output import print_extraction, progress_bars
from xxgk.crawler.store import RawStore
from xxgk.extractors.extract import MAX_DOCUMENT_BYTES
from xxgk.flows.executors import executor
from xxgk.flows.pipeline import Failure, Flush, Job, load_files
from xxgk.flows.sources import SETTINGS as SOURCE_SETTINGS
from xxgk.flows.sources import SourceError, read_source
from xxgk.schemas.identity import ReportIdentity


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_command)
    app.command("load")(load_command)


def extract_command(
    inputs: Annotated[list[str], typer.Argument(metavar="PATH_OR_URL...", help="Report documents: files or URLs.")],
    as_json: Annotated[bool,
                       typer.Option("--json", help="Print JSON (one object per line for several inputs).")] = False,
    year: Annotated[int | None, year_option("The reporting year, when the document does not say it.")] = None,
    jurisdiction: Annotated[str | None, typer.Option(
        help="The organ's area: a GB/T 2260 code or a place name.")] = None,
    organ: Annotated[str | None, typer.Option(help="The publishing organ.")] = None,
    max_bytes: Annotated[int, typer.Option(help="Size limit per document, in bytes.")] = MAX_DOCUMENT_BYTES,
) -> int:
    """Extract and validate the tables of report documents (exit 1 if one cannot be read)."""
    jurisdiction_code = None if jurisdiction is None else config.parse_jurisdictions([jurisdiction])[0]
    given = ReportIdentity(jurisdiction_code, organ, year)
    status = 0
    with tempfile.TemporaryDirectory(prefix="xxgk-extract-") as fetched:
        # one document at a time, in a worker process under the same limits as `xxgk load`
        for result in executor("worker-processes", workers=1)(_jobs(inputs, given, max_bytes, fetched)):
            if isinstance(result, Failure):
                print(f"xxgk: {result.source}: {result.reason}", file=sys.stderr)
                status = 1
                continue
            assert not isinstance(result, Flush)  # no Flush is sent to the workers, so none comes back
            extraction, _ = result
            if extraction.unreadable_reason is not None:
                print(f"xxgk: {extraction.source}: {extraction.unreadable_reason}", file=sys.stderr)
                status = 1
            if as_json:
                print(json.dumps(extraction.to_json(), ensure_ascii=False, indent=None if len(inputs) > 1 else 2))
            else:
                print_extraction(extraction)
                if len(inputs) > 1:
                    print()
    return status


def _jobs(inputs: list[str], given: ReportIdentity, max_bytes: int, fetched: str) -> Iterator[Job]:
    """A job per input: a file is read by the worker itself, a URL is fetched here (within
    its bounds) into the `fetched` store for the worker to read. A URL that cannot be
    fetched is one line on stderr."""
    for name in inputs:
        if not name.startswith(("http://", "https://")):
            yield Job(name, given=given, max_bytes=max_bytes)
            continue
        try:
            source = read_source(name, max_bytes, replace(SOURCE_SETTINGS, network=config.network()))
        except SourceError as error:
            print(f"xxgk: {error}", file=sys.stderr)
            continue
        sha256, _ = RawStore(fetched).put(source.data, {"url": name})
        yield Job(name, sha256=sha256, store=fetched, charset=source.charset, given=given, max_bytes=max_bytes)


def load_command(
    paths: Annotated[list[str], typer.Argument(metavar="PATH...", help="Report documents and folders (recursively).")],
    warehouse: Warehouse = config.SETTINGS["warehouse"].default,
) -> int:
    """Extract, validate and load local documents and folders into the warehouse."""
    with progress_bars() as progress:
        summary = load_files(paths, warehouse=warehouse, progress=progress, map_extract=executor("worker-processes"),
                             storage=config.object_storage())
    print(f"{summary.line()} into {warehouse}")
    for failure in summary.failures:
        print(f"  failed: {failure}")
    return 0
