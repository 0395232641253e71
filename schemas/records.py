"""The records of the `extract` contract (ARCHITECTURE.md): cells, issues, the extraction.

They are plain dataclasses so that extractors, validation, the warehouse loader and the
CLI pass the same values around; `to_json` gives the published JSON shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, Literal

from xxgk.schemas.findings import CHECK_BY_NAME, UNREADABLE
from xxgk.schemas.identity import ReportIdentity

Severity = Literal["error", "warning", "info"]
Number = int | Decimal


@dataclass
class Cell:
    """One canonical cell. `raw` is the published text (None: the row was not found at all)."""

    table: str
    row: str
    col: str
    value: Number | None
    raw: str | None
    page: int | None = None
    position: str | None = None


@dataclass
class Issue:
    """A finding about the document or its figures; `check` names the rule that found it."""

    check: str
    severity: Severity
    message: str
    table: str | None = None
    row: str | None = None
    col: str | None = None
    expected: Number | None = None
    actual: Number | None = None

    def __post_init__(self) -> None:
        """A check must be one of schemas/findings.py, reporting with a severity it declares."""
        known = CHECK_BY_NAME.get(self.check)
        if known is None or self.severity not in known.severities:
            raise ValueError(f"check {self.check!r} with severity {self.severity!r} is not in schemas/findings.py")


@dataclass
class Extraction:
    """What was read from one document. Its identity is spelled out field by field
    (`jurisdiction_code`, `organ`, `year`, with the division's name) as the JSON contract
    prints it; `identity` gives it as one value."""

    source: str
    sha256: str
    kind: str | None = None
    title: str | None = None
    organ: str | None = None
    jurisdiction_code: str | None = None
    jurisdiction_name: str | None = None
    year: int | None = None
    format: str | None = None
    cells: list[Cell] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def identity(self) -> ReportIdentity:
        return ReportIdentity(self.jurisdiction_code, self.organ, self.year)

    def value(self, table: str, row: str, col: str) -> Number | None:
        """The value of one cell (None when blank or absent); a convenience for callers and tests."""
        for cell in self.cells:
            if (cell.table, cell.row, cell.col) == (table, row, col):
                return cell.value
        return None

    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def unreadable_reason(self) -> str | None:
        """Why nothing could be read from the document (None: it was read)."""
        return next((i.message for i in self.issues if i.check in UNREADABLE), None)

    def to_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


def _jsonable(value: Any) -> Any:
    """Decimals become JSON numbers: integral ones as int, others as float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value
