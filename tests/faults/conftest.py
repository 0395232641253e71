"""The bombs, made once for the catalogue (each takes a second or two to compress), and
one report to load."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.faults import bombs
from tests.test_warehouse_lake import postgres, sequential  # noqa: F401 (the lake's fixtures, for test_object_storage)
from xxgk.samples.figures import random_report
from xxgk.samples.render import render

MiB = 1024 * 1024


@pytest.fixture(scope="session")
def docx_bomb() -> bytes:
    """64 MiB of document part in under 0.2 MiB."""
    return bombs.docx_bomb(64 * MiB)


@pytest.fixture(scope="session")
def pdf_bomb() -> bytes:
    """A content stream inflating past the PDF budget (256 MiB)."""
    return bombs.pdf_flate_bomb(300 * MiB)


@pytest.fixture
def document(tmp_path) -> Path:
    """One readable report of 2022, as a file."""
    path = tmp_path / "one.html"
    path.write_bytes(render(random_report(random.Random(3), organ="某市人民政府", year=2022,
                                          jurisdiction_code="630200"), "html"))
    return path
