"""Scanned pages → paragraphs and grids: OCR boxes placed in the cells the ruling lines draw.

A page without a text layer is rasterised, despeckled and straightened (the rotation
under which its rows of ink are sharpest), the ruling lines are found in the image and
cut each table into slots, and slots that no line separates are one merged cell,
resolved as the other readers resolve spans
(grid.py). RapidOCR (PP-OCR models shipped in its wheel; offline, deterministic) reads
the text boxes, and each box goes to the cell holding its centre; boxes outside tables
become paragraphs, so headings and the title reach the normalizer and the metadata as
from any PDF. Every cell's position says `ocr` with the engine's lowest confidence in
it, or `ocr unread` where a cell holds ink that gave no text; `distrust_ocr` turns such
figures into findings rather than values. A page with no ruling lines (after the first,
which carries the title) is skipped without running the recogniser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np

from xxgk.extractors.grid import Block, Grid, GridCell, Paragraph
from xxgk.schemas.catalog import TEMPLATES
from xxgk.schemas.checks import Identity, identities
from xxgk.schemas.records import Cell, Issue, Number

DPI = 200
MAX_SIDE = 4000  # pixels: an A3 page at 200 dpi; a bound on a page's memory and time
MIN_CONFIDENCE = 0.8  # below this a figure is not trusted (PP-OCR scores clean print above 0.95)
_MIN_PROSE_CONFIDENCE = 0.5  # text outside tables below this is shading or noise read as letters
_INK = 180  # grey level below which a pixel is ink (thin rules scan grey)
_SPECK_PIXELS = 4  # a dark dot no larger is noise
_MAX_TILT = 3.0  # degrees
_H_LINE_INCHES = 0.35  # a horizontal run this long is a ruling line, not a stroke of a character
_V_LINE_INCHES = 0.12
_COLUMN_RULE_INCHES = 0.18  # a column edge runs at least one row high; strokes of 7.5pt text do not
_MIN_TABLE_INCHES = 1.0
_MAX_SLOTS = 120  # rule positions across or down one table
_INK_SHARE = 0.004  # of a cell's inside: more dark pixels than specks leave
_SURE = 0.95  # a reading in a failing sum is trusted only above this
_LEADING_ZERO = re.compile(r"^0\d")
_SPECK_MARKS = "·•.,，。、'‘’`:：;；_"
_POSITION = re.compile(r"ocr (?:(?P<confidence>\d\.\d+)|(?P<unread>unread))")


@dataclass(frozen=True)
class TextBox:
    text: str
    confidence: float
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2


@dataclass
class _Table:
    xs: list[int]  # column edges
    ys: list[int]  # row edges
    cells: list[list[int]]  # slot → merged cell id, row by row


def available() -> bool:
    """Is the OCR engine installed? Without it a scan stays `no_text_layer`."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(text_score=0.0, use_cls=False)


def render_page(page) -> tuple[np.ndarray, int]:
    """A pdfium page as a grey image (0 ink … 255 paper) and the resolution it was drawn
    at: DPI, less for an outsized page, whose longer side is held to MAX_SIDE pixels."""
    width, height = page.get_size()
    dpi = max(1, min(DPI, int(MAX_SIDE * 72 / max(width, height, 1))))
    image = page.render(scale=dpi / 72, grayscale=True).to_numpy()
    return (image[:, :, 0] if image.ndim == 3 else image), dpi


def page_blocks(image: np.ndarray, page: int, first_grid: int, *, always: bool, dpi: int = DPI) -> list[Block]:
    """The page's paragraphs and grids in reading order; nothing for a page without ruled
    tables unless `always` (the first page: title and statistics period)."""
    gray = _straightened(image, dpi)
    ink = (gray < _INK).astype(np.uint8)
    horizontal = _runs(ink, int(dpi * _H_LINE_INCHES), along=1)
    vertical = _runs(ink, int(dpi * _V_LINE_INCHES), along=0)
    tables = _tables(horizontal, vertical, dpi)
    if not tables and not always:
        return []
    boxes = _recognise(gray)
    placed: set[int] = set()
    positioned: list[tuple[float, Block]] = []
    for offset, table in enumerate(tables):
        grid, used = _grid(table, boxes, ink, page, first_grid + offset)
        placed |= used
        positioned.append((table.ys[0], grid))
    free = [box for index, box in enumerate(boxes) if index not in placed and box.confidence >= _MIN_PROSE_CONFIDENCE]
    positioned += [(top, Paragraph(text, page=page)) for top, text in _lines(free)]
    return [block for _, block in sorted(positioned, key=lambda pair: pair[0])]


def _runs(ink: np.ndarray, length: int, along: int) -> np.ndarray:
    """Runs of ink at least `length` long along an axis (1: horizontal): the rules. A rule
    is a pixel or two thick, may drift by one where the tilt was not fully undone, and has
    one-pixel gaps where the scan dropped toner: it is thickened across and its gaps closed
    before the opening that keeps only long runs."""
    import cv2

    across, gap = ((3, 1), (1, 3)) if along == 1 else ((1, 3), (3, 1))
    mask = cv2.morphologyEx(cv2.dilate(ink, np.ones(across, np.uint8)), cv2.MORPH_CLOSE, np.ones(gap, np.uint8))
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((1, length) if along == 1 else (length, 1), np.uint8))


def _recognise(gray: np.ndarray) -> list[TextBox]:
    """Every text box the engine finds, with its confidence (none dropped here: the
    callers decide what too little confidence means where)."""
    result, _ = _engine()(np.stack([gray] * 3, axis=-1))
    boxes = []
    for corners, text, score in result or []:
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        if text.strip():
            boxes.append(TextBox(text.strip(), float(score), min(xs), min(ys), max(xs), max(ys)))
    return boxes


# ── straightening ───────────────────────────────────────────────────────────────────


def _straightened(gray: np.ndarray, dpi: int) -> np.ndarray:
    """The page without specks (dark dots smaller than any stroke), rotated so that its
    lines are level: a scan tilts by a degree or two."""
    import cv2

    ink = (gray < _INK).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    specks = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] <= _SPECK_PIXELS)
    specks = specks[specks > 0]
    clean = gray.copy()
    clean[np.isin(labels, specks)] = 255
    angle = _tilt(clean)
    if abs(angle) < 0.02:
        return clean
    height, width = clean.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(clean, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)


def _tilt(gray: np.ndarray) -> float:
    """Degrees of tilt: the rotation under which the page's rows of ink are sharpest (the
    variance of the row sums peaks when text lines and rules are level), coarse to fine."""
    import cv2

    small = cv2.resize(255 - gray, None, fx=1 / 3, fy=1 / 3, interpolation=cv2.INTER_AREA).astype(np.float32)
    height, width = small.shape

    def sharpness(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
        return float(np.var(cv2.warpAffine(small, matrix, (width, height), flags=cv2.INTER_LINEAR).sum(axis=1)))

    best = max(np.arange(-_MAX_TILT, _MAX_TILT + 1e-9, 0.25), key=sharpness)
    return float(max(np.arange(best - 0.25, best + 0.25 + 1e-9, 0.025), key=sharpness))


# ── tables from ruling lines ────────────────────────────────────────────────────────


def _tables(horizontal: np.ndarray, vertical: np.ndarray, dpi: int) -> list[_Table]:
    """Tables as groups of horizontal lines that overlap and follow each other closely."""
    import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats(horizontal)
    lines = sorted(line for x, y, w, h, _ in stats[1:count]
                   if _is_rule(line := (int(y + h // 2), int(x), int(x + w)), vertical, dpi))
    groups: list[list[tuple[int, int, int]]] = []
    for line in lines:
        group = groups[-1] if groups else None
        if group and line[0] - group[-1][0] < dpi * 1.5 and _overlaps(line, group) and _joined(group, line, vertical):
            group.append(line)
        else:
            groups.append([line])
    tables = []
    for group in groups:
        left, right = min(x0 for _, x0, _ in group), max(x1 for _, _, x1 in group)
        ys = _clusters([y for y, _, _ in group], dpi // 40)
        if len(ys) < 2 or right - left < dpi * _MIN_TABLE_INCHES:
            continue
        xs = _columns(vertical, left, right, ys[0], ys[-1], dpi)
        if 2 <= len(xs) <= _MAX_SLOTS and len(ys) <= _MAX_SLOTS:  # more is hatching or noise, not a report table
            tables.append(_merge(xs, ys, horizontal, vertical))
    return tables


def _overlaps(line: tuple[int, int, int], group: list[tuple[int, int, int]]) -> bool:
    return any(min(line[2], x1) - max(line[1], x0) > 0 for _, x0, x1 in group)


def _is_rule(line: tuple[int, int, int], vertical: np.ndarray, dpi: int) -> bool:
    """A long horizontal run, or a short one between two vertical rules (the border of a
    narrow cell); a short run alone is a stroke of large text."""
    if line[2] - line[1] >= dpi * _MIN_TABLE_INCHES:
        return True
    y, x0, x1 = line
    ends = vertical[max(y - 6, 0):y + 7, :]
    return bool(ends[:, max(x0 - 4, 0):x0 + 5].any() and ends[:, max(x1 - 5, 0):x1 + 4].any())


def _joined(group: list[tuple[int, int, int]], line: tuple[int, int, int], vertical: np.ndarray) -> bool:
    """A line belongs to the table above it when the table's side borders run down to it
    (text between two tables may have vertical strokes, never at both borders)."""
    top, bottom = group[-1][0], line[0]
    if bottom - top <= 4:  # another piece of the same rule, cut by a merged cell
        return True
    left, right = min(x0 for _, x0, _ in group), max(x1 for _, _, x1 in group)
    return all(_ruled(vertical[top:bottom, max(x - 4, 0):x + 5], axis=0) for x in (left, right))


def _columns(vertical: np.ndarray, left: int, right: int, top: int, bottom: int, dpi: int) -> list[int]:
    """Column edges: where vertical rules stand inside the table's box, and its two sides."""
    band = vertical[top:bottom + 1, max(left - 3, 0):right + 4]
    covered = np.flatnonzero(band.sum(axis=0) >= dpi * _COLUMN_RULE_INCHES) + max(left - 3, 0)
    return _clusters([left, right, *covered.tolist()], dpi // 40)


def _clusters(values: list[int], gap: int) -> list[int]:
    """Sorted values with near neighbours (a line's thickness) folded into their middle."""
    out: list[list[int]] = []
    for value in sorted(values):
        if out and value - out[-1][-1] <= gap:
            out[-1].append(value)
        else:
            out.append([value])
    return [int(np.median(group)) for group in out]


def _merge(xs: list[int], ys: list[int], horizontal: np.ndarray, vertical: np.ndarray) -> _Table:
    """Slots that no ruling line separates are one cell (union-find over the slots)."""
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * cols))

    def find(slot: int) -> int:
        while parent[slot] != slot:
            parent[slot] = parent[parent[slot]]
            slot = parent[slot]
        return slot

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not _ruled(vertical[ys[r]:ys[r + 1], xs[c + 1] - 3:xs[c + 1] + 4], axis=0):
                parent[find(r * cols + c + 1)] = find(r * cols + c)
            if r + 1 < rows and not _ruled(horizontal[ys[r + 1] - 3:ys[r + 1] + 4, xs[c]:xs[c + 1]], axis=1):
                parent[find((r + 1) * cols + c)] = find(r * cols + c)
    return _Table(xs, ys, [[find(r * cols + c) for c in range(cols)] for r in range(rows)])


def _ruled(strip: np.ndarray, axis: int) -> bool:
    """Does a line run along most of the strip (the border between two slots)?"""
    if strip.size == 0:
        return False
    inner = strip[2:-2] if axis == 0 else strip[:, 2:-2]
    return inner.size > 0 and float(inner.max(axis=1 - axis).mean()) > 0.6


# ── boxes into cells ────────────────────────────────────────────────────────────────


def _grid(table: _Table, boxes: list[TextBox], ink: np.ndarray, page: int, index: int) -> tuple[Grid, set[int]]:
    xs, ys = table.xs, table.ys
    inside: dict[int, list[TextBox]] = {}
    used: set[int] = set()
    for number, box in enumerate(boxes):
        x, y = box.centre
        if xs[0] < x < xs[-1] and ys[0] < y < ys[-1]:
            c = int(np.searchsorted(xs, x)) - 1
            r = int(np.searchsorted(ys, y)) - 1
            used.add(number)
            if not _speck(box):
                inside.setdefault(table.cells[r][c], []).append(box)
    slots: dict[int, list[tuple[int, int]]] = {}
    for r, line in enumerate(table.cells):
        for c, owner in enumerate(line):
            slots.setdefault(owner, []).append((r, c))
    rows: list[list[GridCell]] = []
    seen: set[int] = set()
    for r, line in enumerate(table.cells):
        row = []
        for c, cell in enumerate(line):
            found = inside.get(cell, [])
            text = _text(found)
            if cell in seen:
                row.append(GridCell(text, page=page,
                                    position=f"page {page}, table {index + 1}, row {r + 1}, col {c + 1}",
                                    spanned=True))
                continue
            seen.add(cell)
            where = f"page {page}, table {index + 1}, row {r + 1}, col {c + 1}"
            if found:
                where += f", ocr {min(box.confidence for box in found):.2f}"
            elif _has_ink(table, slots[cell], ink):
                where += ", ocr unread"
            else:
                where += ", ocr"
            row.append(GridCell(text, page=page, position=where))
        rows.append(row)
    return Grid(rows, index=index), used


def _speck(box: TextBox) -> bool:
    """A lone mark read doubtfully as one character other than a digit (、 o Q 点): noise,
    or a figure too damaged to read; the cell then counts as holding unread ink."""
    text = box.text.strip(_SPECK_MARKS)
    return len(text) <= 1 and not text.isdigit() and box.confidence < MIN_CONFIDENCE


def _text(boxes: list[TextBox]) -> str:
    """Boxes of one cell in reading order: a line's boxes joined, lines by line breaks;
    specks read as dots or commas at a box's ends (·586, 0.) are dropped."""
    return "\n".join(" ".join(box.text.strip(_SPECK_MARKS) or box.text for box in line) for _, line in _grouped(boxes))


def _grouped(boxes: list[TextBox]) -> list[tuple[float, list[TextBox]]]:
    """Boxes gathered into lines (a box whose centre lies within a line's height joins it)."""
    lines: list[tuple[float, list[TextBox]]] = []
    for box in sorted(boxes, key=lambda b: b.centre[1]):
        if lines and abs(box.centre[1] - lines[-1][1][-1].centre[1]) < (box.y1 - box.y0) / 2:
            lines[-1][1].append(box)
        else:
            lines.append((box.y0, [box]))
    return [(top, sorted(line, key=lambda b: b.x0)) for top, line in lines]


def _lines(boxes: list[TextBox]) -> list[tuple[float, str]]:
    return [(top, "".join(box.text for box in line)) for top, line in _grouped(boxes)]


def _has_ink(table: _Table, slots: list[tuple[int, int]], ink: np.ndarray) -> bool:
    """Does the cell (its slots) hold marks inside its borders although no text was recognised?"""
    dark = area = 0
    for r, c in slots:
        inner = ink[table.ys[r] + 5:table.ys[r + 1] - 4, table.xs[c] + 5:table.xs[c + 1] - 4]
        dark += int(inner.sum())
        area += inner.size
    return area > 0 and dark / area > _INK_SHARE


# ── figures OCR could not vouch for ─────────────────────────────────────────────────


def distrust_ocr(cells: list[Cell], issues: list[Issue], template_name: str | None = None) -> list[Issue]:
    """The issues, with OCR's doubts made findings. A figure read with low confidence is
    blank with `ocr_uncertain` (the reading kept as raw text) unless the template's
    identities vouch for it (every sum it takes part in adds up with it, and there is at
    least one); in a sum that fails, its least confident reading short of certain is the
    suspect, or every such reading when no single one can explain the failure; a doubtful
    reading that is no figure at all is `ocr_uncertain` rather than `unreadable_value`;
    ink that gave no text is a finding too. A scan never invents a figure."""
    readings = [(cell, match) for cell in cells if (match := _POSITION.search(cell.position or ""))]
    if not readings:  # nothing was read by OCR: nothing to doubt, no identity to run for it
        return issues
    confidences = {(c.table, c.row, c.col): float(m["confidence"]) for c, m in readings if m["confidence"] and c.raw}
    vouched, suspects = _checked(cells, confidences, template_name)
    doubted: set[tuple[str, str, str]] = set()
    found: list[Issue] = []
    for cell, match in readings:
        key = (cell.table, cell.row, cell.col)
        if match["unread"]:
            found.append(Issue("ocr_uncertain", "warning", "the scan shows marks in this cell that OCR could not read",
                               table=cell.table, row=cell.row, col=cell.col))
        elif key in confidences and (reason := _doubt(cell.raw or "", confidences[key], key in vouched,
                                                      key in suspects)):
            found.append(Issue("ocr_uncertain", "warning",
                               f"OCR read {cell.raw!r} with confidence {match['confidence']} and {reason}; "
                               "the figure is left blank", table=cell.table, row=cell.row, col=cell.col))
            cell.value = None
            doubted.add(key)
    kept = [i for i in issues if not (i.check == "unreadable_value" and (i.table, i.row, i.col) in doubted)]
    return kept + found


def _doubt(raw: str, confidence: float, vouched: bool, suspect: bool) -> str | None:
    """Why an OCR reading is not trusted (None: it is). A lost digit often leaves a leading
    zero (052), or a sum that fails with a reading just short of certain."""
    if _LEADING_ZERO.match(raw):
        return "a count does not start with 0 (a digit was lost)"
    if confidence < MIN_CONFIDENCE and not vouched:
        return "no identity confirms it"
    if suspect:
        return "it is the least sure reading in a sum that fails"
    return None


CellKey = tuple[str, str, str]


def _checked(cells: list[Cell], confidences: dict[CellKey, float],
             template_name: str | None) -> tuple[set[CellKey], set[CellKey]]:
    """Cells that take part in at least one identity, all of which hold as read; and per
    failing identity, its least confident OCR reading if that is short of certain."""
    if template_name is None:
        return set(), set()
    values = {(c.table, c.row, c.col): c.value for c in cells}
    holding: set[CellKey] = set()
    broken: set[CellKey] = set()
    suspects: set[CellKey] = set()
    for table in TEMPLATES[template_name].tables:
        for identity in identities(table):
            keys = (identity.total, *identity.addends, *identity.subtract)
            if any(key not in values for key in keys):
                continue
            total = values[identity.total]
            expected = (sum(values[k] or 0 for k in identity.addends) - sum(values[k] or 0 for k in identity.subtract))
            if (total or 0) == expected:  # a blank total over zeros holds
                holding.update(keys)
                continue
            broken.update(keys)
            unsure = [key for key in keys if confidences.get(key, 1.0) < _SURE]
            least = min(unsure, key=confidences.__getitem__, default=None)
            if least is not None:
                suspects |= {least} if _solvable(identity, least, values) else set(unsure)
    return holding - broken, suspects


def _solvable(identity: Identity, unknown: CellKey, values: dict[CellKey, Number | None]) -> bool:
    """Would the identity hold with some count in place of `unknown`? If so one misread
    cell explains the failure; if not, more than one reading is wrong."""
    def total(keys: tuple[CellKey, ...]) -> Number:
        return sum(values[k] or 0 for k in keys if k != unknown)

    if unknown == identity.total:
        needed = total(identity.addends) - total(identity.subtract)
    elif unknown in identity.addends:
        needed = (values[identity.total] or 0) - total(identity.addends) + total(identity.subtract)
    else:
        needed = total(identity.addends) - total(identity.subtract) - (values[identity.total] or 0)
    return needed >= 0 and needed == int(needed)
