"""The neutral shape every reader produces: a document as paragraphs and grids, in order.

A grid is rows of cell texts with spans resolved: a merged cell's text stands in every
slot it covers, the copies marked `spanned`, so that a row always carries its own group
label and the normalizer never needs to know how a format encodes merges. Provenance
(page, position) travels with each cell into the canonical cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xxgk.schemas.errors import XxgkError
from xxgk.schemas.records import Issue


class ReadError(XxgkError):
    """The document cannot be read at all. `check` names the reason (corrupt_document,
    encrypted_document, no_text_layer, unsupported_format, ...) for the recorded issue."""

    def __init__(self, check: str, message: str):
        super().__init__(message)
        self.check = check
        self.message = message


@dataclass(slots=True)
class GridCell:
    text: str
    page: int | None = None
    position: str | None = None
    spanned: bool = False  # a copy of a merged cell's text, not where it was written


@dataclass
class Grid:
    """One table as published. `loose` marks grids recovered from text, whose cell
    positions are not reliable (merged cells emitted once or several times)."""

    rows: list[list[GridCell]]
    index: int = 0
    loose: bool = False


@dataclass(frozen=True)
class Paragraph:
    text: str
    page: int | None = None


Block = Paragraph | Grid


@dataclass
class ParsedDocument:
    """What a reader gives the normalizer: blocks in reading order, the plain text for
    metadata, a title hint from the container (HTML <title>, PDF info), reader issues."""

    kind: str
    blocks: list[Block] = field(default_factory=list)
    title_hint: str | None = None
    issues: list[Issue] = field(default_factory=list)

    @property
    def grids(self) -> list[Grid]:
        return [b for b in self.blocks if isinstance(b, Grid)]

    @property
    def text(self) -> str:
        """The document as plain text: paragraphs and grid rows (cells joined by tabs)."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, Paragraph):
                lines.append(block.text)
            else:
                lines += ["\t".join([c.text for c in row]) for row in block.rows]
        return "\n".join(lines)
