"""Headline figures across the template break: legacy (2008–2018) and template reports side by side.

Seven figures mean the same before and after the 2019 template: requests received
(`applications_total` / `new_received`), requests answered (`replies_total` /
`total_processed`), granted in full or in part (`replies_granted` +
`replies_partially_granted` / `granted` + `partially_granted`), denied (`replies_denied` /
the `denied_*` rows), administrative reviews and lawsuits (`reviews`, `lawsuits` / table 4's
totals); requests carried into the next year only the template states. One row a report,
so a series of an organ runs from 2008 on; a figure the report does not give is null.
`report_summary`, the roll-ups and the site read their figures from here.
"""

from __future__ import annotations


def _cell(table: str, row: str, col: str) -> str:
    return f"max(c.value) FILTER (WHERE c.table_name = '{table}' AND c.row_key = '{row}' AND c.col_key = '{col}')"


def _rows_like(table: str, prefix: str) -> str:
    """The total column of every row whose key starts with `prefix`, summed (null when none is given)."""
    return (f"CAST(sum(c.value) FILTER (WHERE c.table_name = '{table}' AND c.row_key LIKE '{prefix}%' "
            f"AND c.col_key = 'total') AS BIGINT)")


def _sum(*cells: str) -> str:
    """Null only when every part is null: a blank next to a figure counts as 0."""
    return (f"CASE WHEN {' AND '.join(f'{c} IS NULL' for c in cells)} THEN NULL "
            f"ELSE {' + '.join(f'coalesce({c}, 0)' for c in cells)} END")


def _either(legacy: str, template: str) -> str:
    return f"CASE WHEN r.template = 'legacy' THEN {legacy} ELSE {template} END"


def _legacy(row: str) -> str:
    return _cell('legacy_summary', row, 'year_value')


HEADLINE_SERIES = f"""CREATE OR REPLACE VIEW headline_series AS
SELECT r.report_key, r.jurisdiction_code, r.organ, r.year, r.template,
    {_either(_legacy('applications_total'), _cell('applications', 'new_received', 'total'))} AS requests_received,
    {_either(_legacy('replies_total'), _cell('applications', 'total_processed', 'total'))} AS requests_processed,
    {_either(_sum(_legacy('replies_granted'), _legacy('replies_partially_granted')),
             _sum(_cell('applications', 'granted', 'total'), _cell('applications', 'partially_granted', 'total')))}
        AS granted_or_partly,
    {_either(_legacy('replies_denied'), _rows_like('applications', 'denied'))} AS denied,
    {_either('NULL', _cell('applications', 'carried_forward', 'total'))} AS carried_forward,
    {_either(_legacy('reviews'), _cell('review_litigation', 'review', 'total'))} AS reviews,
    {_either(_legacy('lawsuits'), _rows_like('review_litigation', 'litigation'))} AS lawsuits
FROM reports r LEFT JOIN cells c USING (report_key)
GROUP BY r.report_key, r.jurisdiction_code, r.organ, r.year, r.template"""
