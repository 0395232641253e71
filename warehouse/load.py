"""Loading extractions into the warehouse: a report is replaced as a whole, or not at all.

Each document is one transaction: its `documents` row, and when it gives a report, the
report's row, cells and issues replace whatever the warehouse had for that report key,
and the cross-year checks against its neighbouring years are recomputed.
Loading the same document twice therefore changes nothing, a corrected document replaces
the old figures and findings, and a crash mid-load leaves the previous state. Rows go in
as Arrow tables (never row by row), decimals exact. A document that gives no report is
recorded with its reason, so nothing read is lost and every failure is visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa

from xxgk.extractors.extract import UNREADABLE, extract, is_readable
from xxgk.schemas.records import Extraction
from xxgk.warehouse.crosscheck import check_neighbours
from xxgk.warehouse.rows import DECIMAL, decimal, insert, insert_issue_rows



@dataclass(frozen=True)
class DocumentInfo:
    """What is known of a document besides its bytes: where it came from and when."""

    url: str | None = None
    size: int | None = None
    fetched_at: datetime | None = None
    stored_at: str | None = None


@dataclass
class LoadSummary:
    loaded: int = 0
    with_errors: int = 0
    unreadable: int = 0
    unkeyed: int = 0

    def add(self, status: str) -> None:
        if status == "issues":
            self.loaded += 1
            self.with_errors += 1
        elif status == "ok":
            self.loaded += 1
        elif status == "unreadable":
            self.unreadable += 1
        else:
            self.unkeyed += 1


def report_key(jurisdiction_code: str, organ: str, year: int) -> str:
    return f"{jurisdiction_code}/{year}/{organ}"


def load_extraction(con: duckdb.DuckDBPyConnection, extraction: Extraction, info: DocumentInfo = DocumentInfo()) -> str:
    """Load one extraction; returns its status: ok, issues, unreadable or unkeyed."""
    status, reason = _status(extraction)
    key = report_key(extraction.jurisdiction_code, extraction.organ, extraction.year) \
        if status in ("ok", "issues") else None
    con.execute("BEGIN TRANSACTION")
    try:
        _replace_document(con, extraction, info, "loaded" if key else status, reason)
        if key is not None:
            _replace_report(con, key, extraction, status)
        _insert_issues(con, key, extraction)
        if key is not None:
            check_neighbours(con, extraction.jurisdiction_code, extraction.organ, extraction.year)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return status


def load_paths(con: duckdb.DuckDBPyConnection, paths: list[str]) -> LoadSummary:
    """Extract and load local documents and directories (recursively), as backfills do."""
    summary = LoadSummary()
    for path in _files(paths):
        data = path.read_bytes()
        extraction = extract(data, str(path))
        summary.add(load_extraction(con, extraction, DocumentInfo(url=str(path), size=len(data))))
    return summary


def _files(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        found += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return found


def _status(extraction: Extraction) -> tuple[str, str | None]:
    if not is_readable(extraction):
        return "unreadable", next(i.message for i in extraction.issues if i.check in UNREADABLE)
    missing = [name for name in ("jurisdiction_code", "organ", "year") if getattr(extraction, name) is None]
    if missing:
        return "unkeyed", f"no report key: {', '.join(missing)} not determined (supply them when loading)"
    return ("issues" if extraction.errors() else "ok"), None


def _replace_document(con, extraction: Extraction, info: DocumentInfo, status: str, reason: str | None) -> None:
    con.execute("DELETE FROM quality_issues WHERE document_sha256 = ? AND report_key IS NULL", [extraction.sha256])
    con.execute("DELETE FROM documents WHERE sha256 = ?", [extraction.sha256])
    con.execute("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [extraction.sha256, info.url or extraction.source, extraction.kind, info.size, info.fetched_at,
                 info.stored_at, status, reason])


def _replace_report(con, key: str, extraction: Extraction, status: str) -> None:
    for table in ("cells", "quality_issues", "reports"):
        con.execute(f"DELETE FROM {table} WHERE report_key = ?", [key])
    con.execute("INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [key, extraction.jurisdiction_code, extraction.organ, extraction.year, extraction.title,
                 extraction.format, extraction.jurisdiction_name, extraction.sha256,
                 datetime.now(timezone.utc).replace(tzinfo=None), status])
    cells = extraction.cells
    insert(con, "cells", pa.table({
        "report_key": [key] * len(cells),
        "table_name": [c.table for c in cells],
        "row_key": [c.row for c in cells],
        "col_key": [c.col for c in cells],
        "value": pa.array([decimal(c.value) for c in cells], type=DECIMAL),
        "is_blank": [c.value is None for c in cells],
        "raw": [c.raw for c in cells],
        "page": pa.array([c.page for c in cells], type=pa.int32()),
        "position": [c.position for c in cells],
    }))


def _insert_issues(con, key: str | None, extraction: Extraction) -> None:
    insert_issue_rows(con, [(key, extraction.sha256, i.check, i.severity, i.table, i.row, i.col, i.expected, i.actual,
                             i.message) for i in extraction.issues])
