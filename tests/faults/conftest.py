"""The bombs, made once for the catalogue (each takes a second or two to compress)."""

from __future__ import annotations

import pytest

from tests.faults import bombs

INFLATED = 300 * 1024 * 1024  # past every decompression budget


@pytest.fixture(scope="session")
def docx_bomb() -> bytes:
    return bombs.docx_bomb(INFLATED)


@pytest.fixture(scope="session")
def pdf_bomb() -> bytes:
    return bombs.pdf_flate_bomb(INFLATED)
