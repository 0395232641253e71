"""FORMAT.md's cross-year identities, checked when reports meet their neighbours.

`carry_chain`: what a report carries over must be what the same organ carried forward
the year before (an error when both are published, a warning when one is blank).
`in_force_chain` (warning only, where both years print it): the documents in force should
be last year's plus this year's issued minus repealed. A finding belongs to the later
year's report. Whenever reports are loaded, the findings of those reports and of the
reports one year after them are recomputed in SQL, so backfills load years in any order.
"""

from __future__ import annotations

import duckdb

CROSS_YEAR = ("carry_chain", "in_force_chain")


def _figure(column: str) -> str:
    """A figure for a message: 5, 12.5 or blank."""
    return (f"coalesce(CASE WHEN {column} = trunc({column}) THEN CAST(CAST({column} AS BIGINT) AS VARCHAR) "
            f"ELSE CAST(CAST({column} AS DOUBLE) AS VARCHAR) END, 'blank')")


_COLUMNS = ("(report_key, document_sha256, check_name, severity, table_name, row_key, col_key, expected, actual, "
            "message, run_id)")
# `pairs`: each affected report with the same organ's report of the year before.
_PAIRS = """CREATE OR REPLACE TEMP TABLE pairs AS
    SELECT later.report_key, later.document_sha256, earlier.report_key AS earlier_key
    FROM affected_reports a
    JOIN reports later ON later.report_key = a.report_key
    JOIN reports earlier ON earlier.jurisdiction_code = later.jurisdiction_code
        AND earlier.organ = later.organ AND earlier.year = later.year - 1"""

# The only cells the checks read, of the paired reports: a lake has no index, so the
# checks join this small table rather than scanning `cells` once per join.
_CHAIN_CELLS = """CREATE OR REPLACE TEMP TABLE chain_cells AS
    SELECT report_key, table_name, row_key, col_key, value FROM cells
    WHERE report_key IN (SELECT report_key FROM pairs UNION SELECT earlier_key FROM pairs)
        AND (table_name = 'applications' AND row_key IN ('carried_over', 'carried_forward')
             OR table_name = 'active_disclosure' AND col_key IN ('in_force', 'issued', 'repealed'))"""

_CARRY_CHAIN = f"""INSERT INTO quality_issues {_COLUMNS}
SELECT p.report_key, p.document_sha256, 'carry_chain',
    CASE WHEN now.value IS NOT NULL AND before.value IS NOT NULL THEN 'error' ELSE 'warning' END,
    'applications', 'carried_over', now.col_key, before.value, now.value,
    'carried over ' || {_figure('now.value')} || ' in ' || now.col_key || ', but the year before carried forward '
        || {_figure('before.value')}, $run_id
FROM pairs p
JOIN chain_cells now ON now.report_key = p.report_key AND now.table_name = 'applications'
    AND now.row_key = 'carried_over'
JOIN chain_cells before ON before.report_key = p.earlier_key AND before.table_name = 'applications'
    AND before.row_key = 'carried_forward' AND before.col_key = now.col_key
WHERE coalesce(now.value, 0) <> coalesce(before.value, 0)"""

_IN_FORCE_CHAIN = f"""INSERT INTO quality_issues {_COLUMNS}
SELECT p.report_key, p.document_sha256, 'in_force_chain', 'warning', 'active_disclosure', now.row_key, 'in_force',
    before.value + coalesce(issued.value, 0) - coalesce(repealed.value, 0), now.value,
    {_figure('now.value')} || ' in force, but last year''s ' || {_figure('before.value')}
        || ' + issued − repealed is '
        || {_figure('before.value + coalesce(issued.value, 0) - coalesce(repealed.value, 0)')},
    $run_id
FROM pairs p
JOIN chain_cells now ON now.report_key = p.report_key AND now.table_name = 'active_disclosure'
    AND now.col_key = 'in_force'
JOIN chain_cells before ON before.report_key = p.earlier_key AND before.table_name = 'active_disclosure'
    AND before.row_key = now.row_key AND before.col_key = 'in_force'
LEFT JOIN chain_cells issued ON issued.report_key = p.report_key AND issued.table_name = 'active_disclosure'
    AND issued.row_key = now.row_key AND issued.col_key = 'issued'
LEFT JOIN chain_cells repealed ON repealed.report_key = p.report_key AND repealed.table_name = 'active_disclosure'
    AND repealed.row_key = now.row_key AND repealed.col_key = 'repealed'
WHERE now.value IS NOT NULL AND before.value IS NOT NULL
    AND before.value + coalesce(issued.value, 0) - coalesce(repealed.value, 0) <> now.value"""


def check_neighbours(con: duckdb.DuckDBPyConnection, loaded_keys: str, run_id: str | None = None) -> None:
    """Recompute the cross-year findings of the reports in the registered relation
    `loaded_keys` (a report_key column) and of the reports one year after them, as
    findings of the run `run_id`."""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE affected_reports AS
        SELECT DISTINCT r.report_key FROM {loaded_keys} k
        JOIN reports loaded ON loaded.report_key = k.report_key
        JOIN reports r ON r.jurisdiction_code = loaded.jurisdiction_code AND r.organ = loaded.organ
            AND r.year IN (loaded.year, loaded.year + 1)""")
    con.execute(f"DELETE FROM quality_issues WHERE check_name IN {CROSS_YEAR} "
                "AND report_key IN (SELECT report_key FROM affected_reports)")
    con.execute(_PAIRS)
    con.execute(_CHAIN_CELLS)
    con.execute(_CARRY_CHAIN, {"run_id": run_id})
    con.execute(_IN_FORCE_CHAIN, {"run_id": run_id})
    for table in ("chain_cells", "pairs", "affected_reports"):
        con.execute(f"DROP TABLE {table}")
