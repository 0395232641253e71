"""The catalog's cells as a pandera model: types, non-negativity and whole counts.

The model is built from the catalog, not written per table: a long frame (one row per
cell) whose checks are element-wise and know each cell's column from the catalog. It is
run lazily, so every failing cell is reported, each as an Issue with its location.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from xxgk.schemas.catalog import TEMPLATES, Column
from xxgk.schemas.records import Cell, Issue


@cache
def _columns() -> dict[tuple[str, str], Column]:
    """(table, col) → Column for every template; a key means the same in both."""
    return {(t.key, c.key): c for template in TEMPLATES.values() for t in template.tables for c in t.columns}


def _signed(frame: pd.DataFrame) -> pd.Series:
    return pd.Series([_columns()[(t, c)].signed for t, c in zip(frame["table"], frame["col"])], index=frame.index)


def _is_count(frame: pd.DataFrame) -> pd.Series:
    return pd.Series([_columns()[(t, c)].is_count for t, c in zip(frame["table"], frame["col"])], index=frame.index)


def _non_negative(frame: pd.DataFrame) -> pd.Series:
    return frame["value"].isna() | _signed(frame) | frame["value"].map(lambda v: v is None or v >= 0)


def _integer(frame: pd.DataFrame) -> pd.Series:
    whole = frame["value"].map(lambda v: v is None or Decimal(v) == Decimal(v).to_integral_value())
    return frame["value"].isna() | ~_is_count(frame) | whole


def _numeric(value: object) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


CELLS = pa.DataFrameSchema(
    {
        "table": pa.Column(str),
        "row": pa.Column(str),
        "col": pa.Column(str),
        "value": pa.Column(object, pa.Check(lambda s: s.map(lambda v: v is None or _numeric(v)), name="numeric",
                                            element_wise=False), nullable=True),
    },
    checks=[pa.Check(_non_negative, name="non_negative"), pa.Check(_integer, name="integer")],
)


def check_cells(cells: list[Cell]) -> list[Issue]:
    """Every cell that breaks a model check, as an error issue naming the cell."""
    frame = pd.DataFrame({"table": [c.table for c in cells], "row": [c.row for c in cells],
                          "col": [c.col for c in cells], "value": pd.Series([c.value for c in cells], dtype=object)})
    try:
        CELLS.validate(frame, lazy=True)
    except SchemaErrors as errors:
        return _issues(errors.failure_cases, frame)
    return []


_MESSAGES = {"non_negative": "a count cannot be negative", "integer": "a count must be a whole number",
             "numeric": "the value is not a number"}


def _issues(failures: pd.DataFrame, frame: pd.DataFrame) -> list[Issue]:
    issues: list[Issue] = []
    # A frame-wide check reports its failing row once per column: one issue per (check, row).
    failing = {(check, int(index)) for check, index in zip(failures["check"], failures["index"]) if pd.notna(index)}
    for check, index in failing:
        cell = frame.loc[index]
        issues.append(Issue(check, "error", f"{_MESSAGES.get(check, check)}: {cell['value']}",
                            table=cell["table"], row=cell["row"], col=cell["col"], actual=cell["value"]))
    return sorted(issues, key=lambda i: (i.table or "", i.row or "", i.col or "", i.check))
