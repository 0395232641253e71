"""Plain-text reports: tab-separated dumps (like the seed) and space-aligned text.

A text dump keeps no cell geometry: a merged label is written once or repeated, and the
number of leading tabs varies from row to row. Such grids are marked `loose` so that the
normalizer aligns figures by their order rather than by their slot.
"""

from __future__ import annotations

from xxgk.extractors.grid import Block, Grid, GridCell, Paragraph, ParsedDocument


def read_text(text: str) -> ParsedDocument:
    """Lines holding tabs are table rows (consecutive ones form a grid); others are paragraphs."""
    blocks: list[Block] = []
    rows: list[list[GridCell]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "\t" in line:
            rows.append([GridCell(field, position=f"line {number}, field {i + 1}") for i, field in enumerate(line.split("\t"))])
            continue
        if rows:
            blocks.append(Grid(rows, index=len([b for b in blocks if isinstance(b, Grid)]), loose=True))
            rows = []
        if line.strip():
            blocks.append(Paragraph(line.strip()))
    if rows:
        blocks.append(Grid(rows, index=len([b for b in blocks if isinstance(b, Grid)]), loose=True))
    return ParsedDocument("text", blocks)
