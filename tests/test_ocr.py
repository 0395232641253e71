"""Scanned reports: image-only PDFs read by OCR into the same cells as any other PDF.

OCR costs seconds a page, so each scan is extracted once per module and the tests read
the result; the larger accuracy run is bench/bench_ocr.py.
"""

import numpy as np
import pytest

from tests.roundtrip import report
from xxgk.extractors import ocr
from xxgk.extractors.extract import extract
from xxgk.samples.render import render
from xxgk.samples.scan import scan
from xxgk.schemas.records import Extraction

pytestmark = pytest.mark.skipif(not ocr.available(), reason="the OCR engine (rapidocr-onnxruntime) is not installed")
SPEC = report("2021")


def wrong_figures(extraction: Extraction) -> dict:
    """Cells whose value is a figure other than the published one (blank is not wrong)."""
    got = {(c.table, c.row, c.col): c.value for c in extraction.cells}
    return {key: (want, got.get(key)) for key, want in SPEC.values.items() if got.get(key) not in (want, None)}


def flagged(extraction: Extraction) -> set[tuple]:
    return {(i.table, i.row, i.col) for i in extraction.issues if i.check in ("ocr_uncertain", "unreadable_value")}


@pytest.fixture(scope="module")
def scanned() -> Extraction:
    """The report printed, scanned at 170 dpi a little tilted, with specks."""
    return extract(scan(render(SPEC, "pdf"), dpi=170, angle=0.7, noise=0.01, seed=1), "scan.pdf")


@pytest.fixture(scope="module")
def degraded() -> Extraction:
    """A poor scan: lower resolution, tilted a degree, one pixel in eight flipped."""
    return extract(scan(render(SPEC, "pdf"), dpi=150, angle=1.0, noise=0.12, seed=5), "scan.pdf")


@pytest.mark.slow
def test_a_scanned_report_comes_back_cell_for_cell(scanned):
    got = {(c.table, c.row, c.col): c.value for c in scanned.cells}
    missing = {key: want for key, want in SPEC.values.items() if got.get(key) != want}
    assert (scanned.format, scanned.year, scanned.organ) == ("2021", SPEC.year, SPEC.organ)
    assert not wrong_figures(scanned) and set(missing) <= flagged(scanned), (missing, scanned.issues)


def test_every_scanned_figure_carries_ocr_provenance_and_its_confidence(scanned):
    figures = [c for c in scanned.cells if c.raw]
    assert figures and all(", ocr " in c.position for c in figures)


@pytest.mark.slow
def test_a_degraded_scan_flags_what_it_cannot_read_instead_of_inventing_it(degraded):
    """Every figure that differs from the published one is named by a finding: OCR's
    doubt, or an identity that fails over its row or column."""
    named = {(i.table, i.row, i.col) for i in degraded.issues} | {(i.table, i.row, None) for i in degraded.issues}
    columns = {(i.table, i.col) for i in degraded.issues}
    unflagged = {key: value for key, value in wrong_figures(degraded).items()
                 if (key[0], key[1], key[2]) not in named and (key[0], key[1], None) not in named
                 and (key[0], key[2]) not in columns}
    assert not unflagged and flagged(degraded), (unflagged, degraded.issues)


def test_a_scanned_page_without_a_table_is_skipped_without_recognising_it(monkeypatch):
    monkeypatch.setattr(ocr, "_recognise", lambda gray: pytest.fail("the recogniser ran on a page without a table"))
    page = np.full((2339, 1654), 255, np.uint8)
    page[300:320, 200:1400] = 0  # a bar of text, no ruling lines
    assert ocr.page_blocks(page, 2, 0, always=False) == []


def test_a_scan_over_the_time_bound_says_which_pages_it_did_not_read(monkeypatch):
    from xxgk.extractors import pdf

    monkeypatch.setattr(pdf, "OCR_SECONDS", -1)
    document = scan(render(SPEC, "pdf"), dpi=100, angle=0, noise=0)
    assert "not read by OCR (bounds: 30 pages, -1 s): pages 1, 2" in extract(document, "scan.pdf").unreadable_reason


@pytest.mark.slow
def test_a_scanned_legacy_report_gives_its_table_or_flags_what_it_cannot_read():
    import random

    from xxgk.samples.legacy import build_legacy_layout, random_legacy
    from xxgk.samples.render import render_layout

    spec = random_legacy(random.Random(4))
    extraction = extract(scan(render_layout(build_legacy_layout(spec), "pdf"), dpi=180, angle=0.5, noise=0.01),
                         "scan.pdf")
    doubted = {(i.row, i.col) for i in extraction.issues if i.check == "ocr_uncertain"}
    cells = {(c.row, c.col): c.value for c in extraction.cells}
    assert extraction.format == "legacy"
    assert all(value == spec.value(*key) or (value is None and key in doubted) for key, value in cells.items())
    assert sum(value == spec.value(*key) for key, value in cells.items()) >= 0.9 * len(cells)
