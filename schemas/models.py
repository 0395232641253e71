"""The catalog's cells as a pandera model: numeric values, non-negative, whole counts.

The model is built from the catalog, not written per table: the values form one long
series (one entry per cell), and what the catalog says of each cell's column (may it be
negative? is it a count?) is fixed for a template's cells, so it is bound into the checks
once per template and the checks are vectorized expressions over the series. A series
rather than a frame because pandera's per-column and per-frame overhead dominates data
this small; and the checks are called directly rather than through a schema, whose only
other work (the dtype of a float series built here) is moot and cost as much as both
checks. Every failing cell is reported, each as an Issue naming the cell.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import cast

import numpy as np
import pandas as pd
import pandera.pandas as pa

from xxgk.schemas.catalog import TEMPLATES, Column
from xxgk.schemas.records import Cell, Issue

_MESSAGES = {"non_negative": "a count cannot be negative", "integer": "a count must be a whole number"}
CellKeys = tuple[tuple[str, str], ...]


@cache
def _columns() -> dict[tuple[str, str], Column]:
    """(table, col) → Column for every template; a key means the same in both."""
    return {(t.key, c.key): c for template in TEMPLATES.values() for t in template.tables for c in t.columns}


def _non_negative(values: pd.Series, signed: np.ndarray) -> pd.Series:
    """Negative only where the column is signed; a blank (NaN) is never negative."""
    return pd.Series(~(values.to_numpy() < 0) | signed, index=values.index)


def _integer(values: pd.Series, count: np.ndarray) -> pd.Series:
    """Whole where the column is a count; a blank (NaN) has no fraction."""
    return pd.Series(~(values.to_numpy() % 1 > 0) | ~count, index=values.index)


@lru_cache(maxsize=64)
def _checks(keys: CellKeys) -> tuple[pa.Check, ...]:
    """The model's checks for cells with these (table, col) keys: the same for every
    report of a template, so the per-cell flags are looked up once. The checks see every
    value (ignore_na=False) so that the flags stay aligned with them."""
    columns = [_columns()[key] for key in keys]
    signed = np.array([c.signed for c in columns], dtype=bool)
    count = np.array([c.is_count for c in columns], dtype=bool)
    return (pa.Check(_non_negative, name="non_negative", ignore_na=False, signed=signed),
            pa.Check(_integer, name="integer", ignore_na=False, count=count))


def check_cells(cells: list[Cell]) -> list[Issue]:
    """Every cell that breaks a model check, as an error issue naming the cell, in cell order."""
    values = pd.Series(np.array([c.value for c in cells], dtype=float))  # a blank (None) is NaN
    # Every check is built with a name (_checks); pandera declares names optional.
    failing = sorted((int(index), cast(str, check.name)) for check in _checks(tuple((c.table, c.col) for c in cells))
                     for index in np.flatnonzero(~check(values).check_output.to_numpy()))
    return [Issue(check, "error", f"{_MESSAGES[check]}: {cells[index].value}", table=cells[index].table,
                  row=cells[index].row, col=cells[index].col, actual=cells[index].value)
            for index, check in failing]
