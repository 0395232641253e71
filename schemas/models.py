"""The catalog's cells as a pandera model: numeric values, non-negative, whole counts.

The model is built from the catalog, not written per table: a long frame (one row per
cell) carrying, beside each value, what the catalog says of its column (may it be
negative? is it a count?), so the checks are vectorized expressions over the frame. It
is run lazily, so every failing cell is reported, each as an Issue naming the cell.
"""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from xxgk.schemas.catalog import TEMPLATES, Column
from xxgk.schemas.records import Cell, Issue

# `signed` and `count` ride along for the checks; they come from the catalog, not from the
# document, so only the values are validated as columns.
CELLS = pa.DataFrameSchema(
    {"value": pa.Column(float, nullable=True)},
    checks=[  # on the underlying arrays: pandas' per-operation overhead dominates frames this small
        pa.Check(lambda f: pd.Series(~(f["value"].to_numpy() < 0) | f["signed"].to_numpy(), index=f.index),
                 name="non_negative"),
        pa.Check(lambda f: pd.Series(~(f["value"].to_numpy() % 1 > 0) | ~f["count"].to_numpy(), index=f.index),
                 name="integer"),
    ],
)
_MESSAGES = {"non_negative": "a count cannot be negative", "integer": "a count must be a whole number"}


@cache
def _columns() -> dict[tuple[str, str], Column]:
    """(table, col) → Column for every template; a key means the same in both."""
    return {(t.key, c.key): c for template in TEMPLATES.values() for t in template.tables for c in t.columns}


@lru_cache(maxsize=64)
def _flags(keys: tuple[tuple[str, str], ...]) -> tuple[np.ndarray, np.ndarray]:
    """Per cell, may it be negative and is it a count: the same for every report of a template."""
    columns = [_columns()[key] for key in keys]
    return np.array([c.signed for c in columns], dtype=bool), np.array([c.is_count for c in columns], dtype=bool)


def check_cells(cells: list[Cell]) -> list[Issue]:
    """Every cell that breaks a model check, as an error issue naming the cell."""
    signed, count = _flags(tuple((c.table, c.col) for c in cells))
    frame = pd.DataFrame({
        "value": np.array([np.nan if c.value is None else float(c.value) for c in cells], dtype=float),
        "signed": signed,
        "count": count,
    })
    try:
        CELLS.validate(frame, lazy=True, inplace=True)  # the frame is ours and thrown away: no copy
    except SchemaErrors as errors:
        return _issues(errors.failure_cases, cells)
    return []


def _issues(failures: pd.DataFrame, cells: list[Cell]) -> list[Issue]:
    # A frame-wide check reports its failing row once per column: one issue per (check, row).
    failing = sorted({(int(index), check) for check, index in zip(failures["check"], failures["index"]) if pd.notna(index)})
    return [Issue(check, "error", f"{_MESSAGES[check]}: {cells[index].value}", table=cells[index].table,
                  row=cells[index].row, col=cells[index].col, actual=cells[index].value)
            for index, check in failing]
