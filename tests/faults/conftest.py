"""The bombs, made once for the catalogue (each takes a second or two to compress)."""

from __future__ import annotations

import pytest

from tests.faults import bombs
from tests.test_warehouse_lake import postgres, sequential  # noqa: F401 (the lake's fixtures, for test_object_storage)

MiB = 1024 * 1024


@pytest.fixture(scope="session")
def docx_bomb() -> bytes:
    """64 MiB of document part in under 0.2 MiB."""
    return bombs.docx_bomb(64 * MiB)


@pytest.fixture(scope="session")
def pdf_bomb() -> bytes:
    """A content stream inflating past the PDF budget (256 MiB)."""
    return bombs.pdf_flate_bomb(300 * MiB)
