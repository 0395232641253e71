"""Hostile documents against the readers: each ends as a recorded reason or a complete
reading, within its bound of time and memory."""

from __future__ import annotations

import time
import tracemalloc
from contextlib import contextmanager

import pytest

from tests.faults import bombs
from xxgk.extractors.bounds import MAX_GRIDS
from xxgk.extractors.docx import read_docx
from xxgk.extractors.extract import extract
from xxgk.extractors.html import read_html
from xxgk.extractors.text import read_text

MiB = 1024 * 1024


@contextmanager
def bounded(seconds: float, megabytes: float):
    """Assert the block ran within `seconds` and allocated at most `megabytes` at its peak."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        yield
    finally:
        peak = tracemalloc.get_traced_memory()[1] / MiB
        tracemalloc.stop()
    elapsed = time.monotonic() - started
    assert elapsed < seconds and peak < megabytes, f"{elapsed:.1f} s, {peak:.0f} MiB"


def unreadable(extraction) -> str:
    [issue] = [i for i in extraction.issues if i.severity == "error"]
    return issue.check


def test_a_docx_that_inflates_hundreds_of_times_its_size_is_too_large_before_inflating(docx_bomb):
    with bounded(seconds=3, megabytes=20):
        extraction = extract(docx_bomb, "bomb.docx")
    assert unreadable(extraction) == "too_large" and "decompression bomb" in extraction.unreadable_reason


def test_a_pdf_whose_stream_inflates_past_the_budget_is_too_large(pdf_bomb):
    with bounded(seconds=15, megabytes=20):
        extraction = extract(pdf_bomb, "bomb.pdf")
    assert unreadable(extraction) == "too_large" and "inflate" in extraction.unreadable_reason


def test_a_vertical_merge_of_thousands_of_rows_is_read_in_linear_time():
    with bounded(seconds=15, megabytes=200):  # a recursion once: 70 s, then RecursionError
        [grid] = read_docx(bombs.docx_vertical_merge(3000)).grids
    assert len(grid.rows) == 3000 and grid.rows[-1][0].spanned and grid.rows[-1][0].text == "merged"
    assert grid.rows[-1][1].text == "2999"


def test_rowspans_to_the_end_of_a_long_table_are_bounded():
    with bounded(seconds=15, megabytes=300):  # rows² once: 900 MB
        extraction = extract(bombs.html_rowspans(8000), "rowspans.html")
    assert unreadable(extraction) == "too_large"


def test_text_grids_up_to_the_cap_are_all_read_in_linear_time():
    with bounded(seconds=10, megabytes=100):
        document = read_text(bombs.text_grids(MAX_GRIDS))
    assert [g.index for g in document.grids] == list(range(MAX_GRIDS))


def test_html_tables_up_to_the_cap_are_all_read_in_linear_time():
    with bounded(seconds=10, megabytes=200):
        document = read_html(bombs.html_tables(MAX_GRIDS))
    assert [g.index for g in document.grids] == list(range(MAX_GRIDS))


@pytest.mark.parametrize("document, name", [(bombs.text_grids(MAX_GRIDS + 1).encode(), "grids.txt"),
                                            (bombs.html_tables(60_000), "tables.html")], ids=["text", "html"])
def test_more_grids_than_any_report_holds_is_too_large(document, name):
    with bounded(seconds=20, megabytes=600):  # 60k tables once: over 90 s
        extraction = extract(document, name)
    assert unreadable(extraction) == "too_large" and "tables" in extraction.unreadable_reason
