"""The material shared beside the repository (../shared: the seed report, the real
documents and pages), located as the demo locates it (`xxgk.config.shared_folder`: the
folder beside the checkout, or XXGK_SHARED). A plain clone has none: every test that
needs it skips, with the one reason below."""

from __future__ import annotations

from pathlib import Path

import pytest

from xxgk.config import SEED_REPORT, SHARED_ENV, shared_folder

SHARED = shared_folder()
SEED = SHARED / SEED_REPORT
ABSENT = f"needs the shared material, which is not beside this repository ({SHARED}; {SHARED_ENV} names another folder)"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=ABSENT)


def shared(*parts: str) -> Path:
    return SHARED.joinpath(*parts)


def shared_cases(cases: list) -> list:
    """The cases to parametrize a test with, found in the shared material; without it, one
    case that skips with the reason (pytest says nothing useful of an empty parameter set)."""
    if not SHARED.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=ABSENT), id="shared-material-absent")]
    return cases
