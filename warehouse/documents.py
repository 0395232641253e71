"""What a run asks of the warehouse about the documents it handles: which it has read
already (extraction is cached by SHA-256), and what the checks found in them."""

from __future__ import annotations

import duckdb


def known_documents(con: duckdb.DuckDBPyConnection, sha256s: list[str]) -> set[str]:
    """The documents among `sha256s` that the warehouse has read (loaded or found unreadable)."""
    if not sha256s:
        return set()
    rows = con.execute("SELECT sha256 FROM documents WHERE sha256 IN (SELECT unnest(?))", [sha256s]).fetchall()
    return {sha for (sha,) in rows}


def findings_by_check(con: duckdb.DuckDBPyConnection, sha256s: list[str]) -> dict[str, int]:
    """How many findings each check recorded about these documents."""
    if not sha256s:
        return {}
    return dict(con.execute("SELECT check_name, count(*) FROM quality_issues "
                            "WHERE document_sha256 IN (SELECT unnest(?)) GROUP BY 1", [sha256s]).fetchall())
