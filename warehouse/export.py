"""Exporting the warehouse as Parquet for Spark, Trino or pandas users, to any fsspec URL
(a local folder, `file://…`, `s3://…`, `memory://…`).

Reports, cells, findings, the wide views and the report summary are hive-partitioned by
year (`cells/year=2023/…`), each row carrying its report's key fields so a partition can
be read alone; a finding of a document whose year nobody knows lands in `year=unknown`,
never in `__HIVE_DEFAULT_PARTITION__`. Everything else (documents, jurisdictions, the
crawl log, the dictionary, the coverage and roll-up views) is one file each. DuckDB
writes into a local folder (the target itself when it is local, else a temporary folder
then uploaded file by file), so a remote export needs no DuckDB filesystem extension.
A read-only connection suffices: nothing in the warehouse changes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import fsspec
from fsspec.implementations.local import LocalFileSystem

UNKNOWN_YEAR = "unknown"

_PARTITIONED = {
    "reports": "SELECT * FROM reports",
    "cells": "SELECT r.year, r.jurisdiction_code, r.organ, c.* FROM cells c JOIN reports r USING (report_key)",
    "quality_issues": "SELECT coalesce(r.year, d.year) AS year, coalesce(r.jurisdiction_code, d.jurisdiction_code) "
                      "AS jurisdiction_code, coalesce(r.organ, d.organ) AS organ, q.* FROM quality_issues q "
                      "LEFT JOIN reports r USING (report_key) LEFT JOIN documents d ON d.sha256 = q.document_sha256",
    "applications_wide": "SELECT * FROM applications_wide",
    "active_disclosure_wide": "SELECT * FROM active_disclosure_wide",
    "review_litigation_wide": "SELECT * FROM review_litigation_wide",
    "report_summary": "SELECT * FROM report_summary",
}
_WHOLE = ("documents", "jurisdictions", "crawl_log", "dictionary_rows", "dictionary_columns", "dictionary_checks",
          "dictionary", "coverage", "coverage_by_province", "summary_by_prefecture", "summary_by_province")


def export_parquet(con: duckdb.DuckDBPyConnection, url: str) -> list[str]:
    """Write the warehouse under `url`; returns what was written, relative to it."""
    filesystem, root = fsspec.core.url_to_fs(url)
    if isinstance(filesystem, LocalFileSystem):
        _write(con, Path(root))
    else:
        with tempfile.TemporaryDirectory(prefix="xxgk-export-") as staging:
            _write(con, Path(staging))
            _upload(filesystem, Path(staging), root)
    return [*_PARTITIONED, *(f"{name}.parquet" for name in _WHOLE)]


def _write(con: duckdb.DuckDBPyConnection, root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for name, query in _PARTITIONED.items():
        named_years = f"SELECT * REPLACE (coalesce(CAST(year AS VARCHAR), '{UNKNOWN_YEAR}') AS year) FROM ({query})"
        con.execute(f"COPY ({named_years}) TO {_literal(root / name)} "
                    "(FORMAT parquet, PARTITION_BY (year), OVERWRITE_OR_IGNORE true)")
    for name in _WHOLE:
        con.execute(f"COPY (SELECT * FROM {name}) TO {_literal(root / f'{name}.parquet')} (FORMAT parquet)")


def _upload(filesystem: fsspec.AbstractFileSystem, staging: Path, root: str) -> None:
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        target = f"{root.rstrip('/')}/{path.relative_to(staging).as_posix()}"
        filesystem.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
        filesystem.put_file(str(path), target)


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"
