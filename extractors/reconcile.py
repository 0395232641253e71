"""Two readings of one report: the structural reader's grids and the template-anchored
reading of the same page's text in reading order.

A grid reader (HTML, PDF, DOCX) knows where each cell sits but can lose a row to an odd
merge, a split table or a label it does not recognise; the anchored reader (`anchored.py`)
knows nothing of geometry but finds rows by the template's labels in order and cuts their
figures by the identities. Where the grid reading is complete and every identity holds,
the second reading would add nothing and is not made. Otherwise the page's text is read
again, and:

* a row the grids left unread (not found, ambiguous, unreadable) that the text reads
  with certainty is taken from the text (`second_reading`, info);
* where a broken identity's cells read the same both ways, the published figures are
  confirmed: the error is the publisher's (`second_reading`, info, on that identity);
* where the two readings differ on them, the reading under which the table's identities
  hold wins, the other recorded (`reading_disagreement`); where neither does, the cells
  in dispute are left blank with `ambiguous_alignment` listing both readings.
"""

from __future__ import annotations

from xxgk.extractors.grid import Block, Grid, Paragraph
from xxgk.extractors.normalize import normalize
from xxgk.schemas.catalog import Template
from xxgk.schemas.checks import IDENTITY_CHECKS, check_identities, identities
from xxgk.schemas.findings import UNREAD
from xxgk.schemas.records import Cell, Issue

RowKey = tuple[str, str]
# Findings that leave a row's figures unread: the cells a finding names, or a row not found.
UNREAD_ROWS = UNREAD | {"row_missing"}


def needs_second_reading(issues: list[Issue]) -> bool:
    """Is anything left for a second reading to settle: a row or table unread, an identity broken?"""
    return any(i.check in UNREAD_ROWS or i.check == "table_missing"
               or (i.check in IDENTITY_CHECKS and i.severity == "error") for i in issues)


def stream_text(blocks: list[Block]) -> str:
    """The document's text in reading order as a page's text conversion gives it: each
    grid row's cells separated by a space, a blank cell as a blank mark, a merged cell once."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
            continue
        assert isinstance(block, Grid)
        for row in block.rows:
            parts += [" ".join(cell.text.split()) or "—" for cell in row if not cell.spanned]
    return " ".join(parts)


def reconcile(blocks: list[Block], template: Template, cells: list[Cell],
              issues: list[Issue]) -> tuple[list[Cell], list[Issue]]:
    """The grid reading (`cells` and the normalizer's `issues`) completed and checked by a
    second reading of the page's text; validation runs on the result."""
    second_cells, second_issues = normalize([Paragraph(stream_text(blocks))], template)
    second_unread = _unread_rows(second_issues, template)
    second = {(c.table, c.row, c.col): c for c in second_cells}
    by_key = {(c.table, c.row, c.col): c for c in cells}
    notes: list[Issue] = []
    missing = {i.table for i in issues if i.check == "table_missing" and i.table} & {c.table for c in second_cells}
    for absent in missing:  # a table the grids did not find at all: the text's reading of it, findings and all
        by_key.update({key: cell for key, cell in second.items() if key[0] == absent})
        notes += [i for i in second_issues if i.table == absent]
        notes.append(Issue("second_reading", "info", f"table {template.table(absent).number} was read from the "
                           "page's text in reading order; the grids did not give it", table=absent))
    taken: set[RowKey] = set()
    first_unread = _unread_rows(issues, template)
    for table in template.tables:
        for row in table.printable_rows:
            key = (table.key, row.key)
            if table.key in missing or key not in first_unread or key in second_unread:
                continue
            row_cells = [second.get((*key, col)) for col in row.columns]
            if any(c is None or c.raw is None for c in row_cells):
                continue
            by_key.update({(c.table, c.row, c.col): c for c in row_cells if c is not None})
            taken.add(key)
            notes += [i for i in second_issues if (i.table, i.row) == key]  # how the text printed it (label_variant)
            notes.append(Issue("second_reading", "info",
                               f"row {row.label} was read from the page's text in reading order; "
                               "the table's grid did not give it", table=table.key, row=row.key))
    kept = [i for i in issues if (i.table, i.row) not in taken and i.table not in missing]
    merged = _ordered(by_key, template)
    notes += _settle_identities(merged, second, second_unread, template)
    return _apply(merged, notes), kept + notes


def _unread_rows(issues: list[Issue], template: Template) -> set[RowKey]:
    rows = {(i.table, i.row) for i in issues if i.check in UNREAD_ROWS and i.table is not None and i.row is not None}
    for issue in issues:
        if issue.check in ("table_missing", "table_empty") and issue.table is not None:
            rows |= {(issue.table, r.key) for r in template.table(issue.table).printable_rows}
    return rows


def _ordered(by_key: dict[tuple[str, str, str], Cell], template: Template) -> list[Cell]:
    """The cells in the template's order (a table the grids missed gets its cells here)."""
    order = [(t.key, r.key, c) for t in template.tables for r in (*t.rows, *t.variants) for c in r.columns]
    return [by_key[key] for key in order if key in by_key]


def _settle_identities(cells: list[Cell], second: dict[tuple[str, str, str], Cell], second_unread: set[RowKey],
                       template: Template) -> list[Issue]:
    """Findings on each broken identity: confirmed by the second reading, or a disagreement
    decided by the identities (a `reading_disagreement` carries the figures to use)."""
    notes: list[Issue] = []
    values = {(c.table, c.row, c.col): c.value for c in cells}
    broken = [i for i in check_identities(cells, template.name) if i.severity == "error"]
    for issue in broken:
        if issue.table is None:  # never: an identity's finding names its table
            continue
        identity = next(x for x in identities(template.table(issue.table))
                        if x.check == issue.check and x.location == (issue.row, issue.col))
        keys = [identity.total, *identity.addends, *identity.subtract]
        if any((k[0], k[1]) in second_unread or k not in second for k in keys):
            continue
        differing = [k for k in keys if second[k].value != values.get(k)]
        if not differing:
            notes.append(Issue("second_reading", "info",
                               f"the page's text gives the same figures: {issue.message} as published",
                               table=issue.table, row=issue.row, col=issue.col))
            continue
        other = dict(values) | {k: second[k].value for k in keys}
        other_cells = [Cell(t, r, c, v, None) for (t, r, c), v in other.items()]
        if not [i for i in check_identities(other_cells, template.name)
                if i.severity == "error" and i.table == issue.table]:
            notes += [Issue("reading_disagreement", "warning",
                            f"the table's grid gives {values.get(k)}, the page's text {second[k].value}; "
                            "the text's reading is kept: under it the table's identities hold",
                            table=k[0], row=k[1], col=k[2], expected=second[k].value, actual=values.get(k))
                      for k in differing]
        else:
            notes += [Issue("ambiguous_alignment", "warning",
                            f"the table's grid gives {values.get(k)}, the page's text {second[k].value}, "
                            "and no identity tells which is right; the cell is left blank",
                            table=k[0], row=k[1], col=k[2])
                      for k in differing]
    return notes


def _apply(cells: list[Cell], notes: list[Issue]) -> list[Cell]:
    """Cells with the settled disagreements applied: the winning figure, or blank."""
    changes = {(i.table, i.row, i.col): i for i in notes if i.check in ("reading_disagreement", "ambiguous_alignment")}
    out = []
    for cell in cells:
        issue = changes.get((cell.table, cell.row, cell.col))
        if issue is None:
            out.append(cell)
        elif issue.check == "reading_disagreement":
            out.append(Cell(cell.table, cell.row, cell.col, issue.expected, str(issue.expected), cell.page,
                            cell.position))
        else:
            out.append(Cell(cell.table, cell.row, cell.col, None, cell.raw, cell.page, cell.position))
    return out
