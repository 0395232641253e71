"""Loading extractions into the warehouse: a report is replaced as a whole, or not at all.

A batch of documents is one transaction (a single document is a batch of one): their
`documents` rows, and for each report its row, cells and issues, replace whatever the
warehouse had for those keys, and the cross-year checks against the neighbouring years
are recomputed.

Loading the same document twice therefore changes nothing, a corrected document replaces
the old figures and findings, and a crash mid-load leaves the previous state. Rows go in
as Arrow tables (never row by row), decimals exact. A document that gives no report is
recorded with its reason, so nothing read is lost and every failure is visible.
"""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass
from datetime import datetime

import duckdb
import numpy as np
import pyarrow as pa

from xxgk.schemas.divisions import division_names
from xxgk.schemas.identity import ReportIdentity, settle
from xxgk.schemas.records import Cell, Extraction
from xxgk.schemas.status import Status
from xxgk.warehouse.crosscheck import check_neighbours
from xxgk.warehouse.integrity import record_checksums
from xxgk.warehouse.rows import DECIMAL, decimal, insert, insert_issue_rows, is_money, utc_now
from xxgk.warehouse.turn import DiskFull, write


@dataclass(frozen=True)
class DocumentInfo:
    """What is known of a document besides its bytes: where it came from and when, and
    whose it is by the listing it was found in (`listing`). The listing's identity is
    settled with the document's by schemas/identity.py, and kept on the document even
    when no report can be read from it, so filters by jurisdiction, organ or year still
    find it."""

    url: str | None = None
    size: int | None = None
    fetched_at: datetime | None = None
    stored_at: str | None = None
    listing: ReportIdentity = ReportIdentity()


def load_extraction(con: duckdb.DuckDBPyConnection, extraction: Extraction,
                    info: DocumentInfo = DocumentInfo()) -> Status:
    """Load one extraction; returns its status."""
    return load_many(con, [(extraction, info)])[0]


def load_many(con: duckdb.DuckDBPyConnection, batch: list[tuple[Extraction, DocumentInfo]],
              run_id: str | None = None) -> list[Status]:
    """Load a batch in one transaction, set-based (the way backfills reach their speed);
    a report or document appearing twice in the batch keeps its last version. The
    transaction holds the writer's turn, so loads running at once end as if one after
    the other; `run_id` marks the snapshot, to read the lake as of a run."""
    keyed = [_keyed(extraction, info) for extraction, info in batch]
    statuses = [_status(extraction) for extraction in keyed]
    documents = {e.sha256: (e, info, status, reason)
                 for e, (_, info), (status, reason) in zip(keyed, batch, statuses, strict=True)}
    reports = {key: (e, status) for e, (status, _) in zip(keyed, statuses, strict=True)
               # A report's status means a whole key (_status); spelled out for the type checker.
               if status.has_report and (key := e.identity.key) is not None}

    def replace() -> None:
        _replace_documents(con, list(documents.values()), run_id)
        _replace_reports(con, reports, run_id)
        _insert_issues(con, [(key, e) for key, (e, _) in reports.items()]
                       + [(None, e) for e, _, status, _ in documents.values() if not status.has_report], run_id)
        con.register("loaded_keys", pa.table({"report_key": pa.array(list(reports), type=pa.string())}))
        try:
            check_neighbours(con, "loaded_keys", run_id)
        finally:
            con.unregister("loaded_keys")

    write(con, replace, note=run_id)
    with contextlib.suppress(DiskFull):  # the batch is committed; the next write records its files' checksums
        record_checksums(con)
    return [status for status, _ in statuses]


def _keyed(extraction: Extraction, info: DocumentInfo) -> Extraction:
    """The extraction under the identity settled from it and its listing (the same one
    where extraction was given the listing, as the pipeline does); the division's name
    follows a jurisdiction the listing settled."""
    identity = settle(info.listing, extraction.identity)
    if identity == extraction.identity:
        return extraction
    name = (extraction.jurisdiction_name if identity.jurisdiction_code == extraction.jurisdiction_code
            else division_names().get(identity.jurisdiction_code or ""))
    return dataclasses.replace(extraction, jurisdiction_code=identity.jurisdiction_code, organ=identity.organ,
                   year=identity.year, jurisdiction_name=name)


def _status(extraction: Extraction) -> tuple[Status, str | None]:
    if extraction.unreadable_reason is not None:
        return Status.UNREADABLE, extraction.unreadable_reason
    if missing := extraction.identity.missing:
        return Status.UNKEYED, f"no report key: {', '.join(missing)} not determined (supply them when loading)"
    return (Status.ISSUES if extraction.errors() else Status.OK), None


def _replace_documents(con, documents: list[tuple[Extraction, DocumentInfo, Status, str | None]],
                       run_id: str | None) -> None:
    shas = pa.array([e.sha256 for e, _, _, _ in documents], type=pa.string())
    con.register("incoming_documents", pa.table({"sha256": shas}))
    con.execute("DELETE FROM quality_issues WHERE report_key IS NULL "
                "AND document_sha256 IN (SELECT sha256 FROM incoming_documents)")
    con.execute("DELETE FROM documents WHERE sha256 IN (SELECT sha256 FROM incoming_documents)")
    con.unregister("incoming_documents")
    insert(con, "documents", pa.table({
        "sha256": shas,
        "url": pa.array([info.url or e.source for e, info, _, _ in documents], type=pa.string()),
        "kind": pa.array([e.kind for e, _, _, _ in documents], type=pa.string()),
        "size": pa.array([info.size for _, info, _, _ in documents], type=pa.int64()),
        "fetched_at": pa.array([info.fetched_at for _, info, _, _ in documents], type=pa.timestamp("us")),
        "stored_at": pa.array([info.stored_at for _, info, _, _ in documents], type=pa.string()),
        "status": [str(status) for _, _, status, _ in documents],
        "reason": pa.array([reason for _, _, _, reason in documents], type=pa.string()),
        "jurisdiction_code": pa.array([e.jurisdiction_code for e, _, _, _ in documents], type=pa.string()),
        "organ": pa.array([e.organ for e, _, _, _ in documents], type=pa.string()),
        "year": pa.array([e.year for e, _, _, _ in documents], type=pa.int32()),
        "run_id": pa.array([run_id] * len(documents), type=pa.string()),
    }))


def _replace_reports(con, reports: dict[str, tuple[Extraction, Status]], run_id: str | None) -> None:
    if not reports:
        return
    keys = pa.array(list(reports), type=pa.string())
    con.register("incoming_keys", pa.table({"report_key": keys}))
    for table in ("cells", "quality_issues", "reports"):
        con.execute(f"DELETE FROM {table} WHERE report_key IN (SELECT report_key FROM incoming_keys)")
    con.unregister("incoming_keys")
    now = utc_now()
    extractions = [e for e, _ in reports.values()]
    insert(con, "reports", pa.table({
        "report_key": keys,
        "jurisdiction_code": [e.jurisdiction_code for e in extractions],
        "organ": [e.organ for e in extractions],
        "year": pa.array([e.year for e in extractions], type=pa.int32()),
        "title": pa.array([e.title for e in extractions], type=pa.string()),
        "template": pa.array([e.format for e in extractions], type=pa.string()),
        "jurisdiction_name": pa.array([e.jurisdiction_name for e in extractions], type=pa.string()),
        "document_sha256": [e.sha256 for e in extractions],
        "extracted_at": pa.array([now] * len(extractions), type=pa.timestamp("us")),
        "status": [str(status) for _, status in reports.values()],
        "run_id": pa.array([run_id] * len(extractions), type=pa.string()),
    }))
    cells = [c for e in extractions for c in e.cells]
    insert(con, "cells", pa.table({
        "report_key": pa.array(np.repeat(np.array(list(reports), dtype=object), [len(e.cells) for e in extractions]),
                               type=pa.string()),
        "table_name": [c.table for c in cells],
        "row_key": [c.row for c in cells],
        "col_key": [c.col for c in cells],
        "value": pa.array([_count(c) for c in cells], type=pa.int64()),
        "amount": pa.array([decimal(c.value) if is_money(c.table, c.row, c.col) else None for c in cells],
                           type=DECIMAL),
        "is_blank": [c.value is None for c in cells],
        "raw": pa.array([c.raw for c in cells], type=pa.string()),
        "page": pa.array([c.page for c in cells], type=pa.int32()),
        "position": pa.array([c.position for c in cells], type=pa.string()),
    }))


def _count(cell: Cell) -> int | None:
    """A count as an integer; a money figure, or a count published with a fraction (which
    validation reports, figure included), has none."""
    if is_money(cell.table, cell.row, cell.col) or cell.value is None or cell.value != int(cell.value):
        return None
    return int(cell.value)


def _insert_issues(con, owners: list[tuple[str | None, Extraction]], run_id: str | None) -> None:
    """Each extraction's issues, under its report key (None: the document gave no report)."""
    insert_issue_rows(con, [(key, e.sha256, i.check, i.severity, i.table, i.row, i.col, i.expected, i.actual, i.message)
                            for key, e in owners for i in e.issues], run_id)
