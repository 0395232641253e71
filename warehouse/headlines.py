"""Headline figures across the template break: legacy (2008–2018) and template reports side by side.

Four figures mean the same before and after the 2019 template: requests received
(`applications_total` / `new_received`), requests granted in full or in part
(`replies_granted` + `replies_partially_granted` / `granted` + `partially_granted`),
administrative reviews and lawsuits (`reviews`, `lawsuits` / table 4's totals). One row a
report, so a series of an organ runs from 2008 on; a figure the report does not give is null.
"""

from __future__ import annotations


def _cell(table: str, row: str, col: str) -> str:
    return f"max(c.value) FILTER (WHERE c.table_name = '{table}' AND c.row_key = '{row}' AND c.col_key = '{col}')"


def _sum(*cells: str) -> str:
    """Null only when every part is null: a blank next to a figure counts as 0."""
    return (f"CASE WHEN {' AND '.join(f'{c} IS NULL' for c in cells)} THEN NULL "
            f"ELSE {' + '.join(f'coalesce({c}, 0)' for c in cells)} END")


def _either(legacy: str, template: str) -> str:
    return f"CASE WHEN r.template = 'legacy' THEN {legacy} ELSE {template} END"


HEADLINE_SERIES = f"""CREATE OR REPLACE VIEW headline_series AS
SELECT r.report_key, r.jurisdiction_code, r.organ, r.year, r.template,
    {_either(_cell('legacy_summary', 'applications_total', 'year_value'),
             _cell('applications', 'new_received', 'total'))}
        AS requests_received,
    {_either(_sum(_cell('legacy_summary', 'replies_granted', 'year_value'),
                  _cell('legacy_summary', 'replies_partially_granted', 'year_value')),
             _sum(_cell('applications', 'granted', 'total'), _cell('applications', 'partially_granted', 'total')))}
        AS granted_or_partly,
    {_either(_cell('legacy_summary', 'reviews', 'year_value'),
             _cell('review_litigation', 'review', 'total'))} AS reviews,
    {_either(_cell('legacy_summary', 'lawsuits', 'year_value'),
             _sum(_cell('review_litigation', 'litigation_direct', 'total'),
                  _cell('review_litigation', 'litigation_after_review', 'total')))} AS lawsuits
FROM reports r LEFT JOIN cells c USING (report_key)
GROUP BY r.report_key, r.jurisdiction_code, r.organ, r.year, r.template"""
