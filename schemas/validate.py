"""Single-report validation: the pandera model, then the accounting identities."""

from __future__ import annotations

from xxgk.schemas.checks import check_identities
from xxgk.schemas.models import check_cells
from xxgk.schemas.records import Cell, Issue


def validate(cells: list[Cell], template_name: str, reading: list[Issue] | None = None) -> list[Issue]:
    """Every finding about the figures, in a stable order; the cells are not touched.
    `reading` is what reading them found: identities over cells it left unread are not checked."""
    if not cells:
        return []
    return check_cells(cells) + check_identities(cells, template_name, reading)
