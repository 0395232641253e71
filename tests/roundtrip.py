"""The round-trip assertion every format's tests share: figures → document → extraction."""

from __future__ import annotations

from xxgk.extractors.extract import extract
from xxgk.samples.figures import ReportSpec
from xxgk.schemas.records import Extraction


def extracted(data: bytes, name: str = "report") -> Extraction:
    return extract(data, name)


def assert_cells_match(extraction: Extraction, spec: ReportSpec) -> None:
    """Every cell of the template comes back with the published value (blank stays None)."""
    got = {(c.table, c.row, c.col): c.value for c in extraction.cells}
    assert extraction.format == spec.template, extraction.issues
    wrong = {key: (want, got.get(key, "absent")) for key, want in spec.values.items() if got.get(key, "absent") != want}
    assert not wrong, f"{len(wrong)} cells differ (want, got): {dict(list(wrong.items())[:8])}; issues: {extraction.issues[:5]}"


def assert_roundtrip(data: bytes, spec: ReportSpec, name: str = "report") -> Extraction:
    """Cells match, and consistent figures raise no error."""
    extraction = extracted(data, name)
    assert_cells_match(extraction, spec)
    assert not extraction.errors(), extraction.errors()
    return extraction
