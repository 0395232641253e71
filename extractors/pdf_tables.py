"""Ruled tables read from pypdfium2's path objects and characters, through pdfplumber's
own table finder.

pdfplumber finds ruled tables from the page's edges (lines, rectangle sides, straight
pieces of curves) and fills their cells with the characters whose middles fall inside;
its cost is pdfminer parsing every content stream in Python. pdfium has already parsed
the page: this module hands pdfplumber's `TableFinder` the same edges, built from
pdfium's path objects the way pdfminer and pdfplumber classify paths (one subpath at a
time; `ml` a line, an axis-aligned `mlllh`/`mllll` a rectangle, anything else a curve),
and the same characters, boxed as pdfminer boxes them (from the origin, the advance
and the font size). `tests/test_pdf_tables.py` checks that the cells are pdfplumber's on
every generated and real PDF.
"""

from __future__ import annotations

import ctypes
import re
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium_c
from pdfplumber.table import Table, TableFinder
from pdfplumber.utils import extract_text

from xxgk.extractors.grid import ReadError

_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_MAX_FORM_DEPTH = 8
_MAX_OBJECTS = 200_000  # page objects visited per page: a bound for hostile files
Matrix = tuple[float, float, float, float, float, float]


class _Page:
    """What pdfplumber's TableFinder and Table.extract read of a page."""

    def __init__(self, edges: list[dict[str, Any]], chars: list[dict[str, Any]], width: float, height: float):
        self.edges = edges
        self.chars = chars
        self.bbox = (0.0, 0.0, width, height)
        self.height = height


def find_tables(page: pypdfium2.PdfPage, textpage: pypdfium2.PdfTextPage) -> list[Table]:
    """The page's ruled tables, as pdfplumber's `page.find_tables` with the lines strategy gives them."""
    width, height = page.get_size()
    left, bottom = page.get_mediabox()[:2]
    edges = [edge for path in _paths(page, left, bottom) for edge in _edges(path, height)]
    chars = _chars(textpage, left, bottom, height)
    # _Page stands in for pdfplumber's Page with what TableFinder reads of one.
    tables = TableFinder(_Page(edges, [], width, height), _SETTINGS).tables  # type: ignore[arg-type]
    # Each table reads only the characters inside it: Table.extract scans its page's
    # characters once per row.
    return [_with_chars(table, chars, width, height) for table in tables]


def _with_chars(table: Table, chars: list[dict[str, Any]], width: float, height: float) -> Table:
    bbox = table.bbox  # a property that scans every cell: taken once, not per character
    return Table(_Page([], [c for c in chars if _inside(c, bbox)], width, height),  # type: ignore[arg-type]
                 table.cells)


def cell_texts(table: Table, rows: list) -> list[list[str | None]]:
    """`table.extract()`'s texts, by its rule (a character is in the box its middle is
    in), with each character's middle computed once instead of once per box it is tested
    against (that test was a fifth of a PDF report's time). `rows` is `table.rows`, a
    property that groups the cells anew on every call."""
    placed = [((char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2, char) for char in table.page.chars]
    texts = []
    for row in rows:
        x0, top, x1, bottom = row.bbox
        in_row = [p for p in placed if x0 <= p[0] < x1 and top <= p[1] < bottom]
        texts.append([None if cell is None else _text([char for h, v, char in in_row
                                                       if cell[0] <= h < cell[2] and cell[1] <= v < cell[3]])
                      for cell in row.cells])
    return texts


def _text(chars: list[dict[str, Any]]) -> str:
    return extract_text(chars) if chars else ""


def _inside(char: dict[str, Any], bbox: tuple[float, float, float, float]) -> bool:
    """pdfplumber's test: the character's middle is in the box."""
    middle_x, middle_y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return bbox[0] <= middle_x < bbox[2] and bbox[1] <= middle_y < bbox[3]


# ── paths ────────────────────────────────────────────────────────────────────────────


def _paths(page: pypdfium2.PdfPage, left: float, bottom: float) -> list[list[tuple[str, tuple[float, float]]]]:
    """Every subpath of every path object, in page coordinates, as pdfminer's path
    operations: ('m', point), ('l', point), ('c', point) per point of a curve, ('h',)."""
    subpaths: list[list[tuple[str, tuple[float, float]]]] = []
    budget = [_MAX_OBJECTS]
    origin: Matrix = (1.0, 0.0, 0.0, 1.0, -left, -bottom)
    for i in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        _collect(pdfium_c.FPDFPage_GetObject(page.raw, i), origin, subpaths, budget, 0)
    if budget[0] < 0:
        raise ReadError("too_large", f"a table page holds more than {_MAX_OBJECTS:,} drawing objects")
    return subpaths


def _collect(obj, outer: Matrix, subpaths: list, budget: list[int], depth: int) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        return
    kind = pdfium_c.FPDFPageObj_GetType(obj)
    if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < _MAX_FORM_DEPTH:
        matrix = _compose(_matrix(obj), outer)
        for i in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
            _collect(pdfium_c.FPDFFormObj_GetObject(obj, i), matrix, subpaths, budget, depth + 1)
        return
    if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
        return
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)):
        return
    if fill.value == pdfium_c.FPDF_FILLMODE_NONE and not stroke.value:
        return
    matrix = _compose(_matrix(obj), outer)
    current: list = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        point = _apply(matrix, x.value, y.value)
        kind_of = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind_of == pdfium_c.FPDF_SEGMENT_MOVETO:
            if current:
                subpaths.append(current)
            current = [("m", point)]
        elif kind_of == pdfium_c.FPDF_SEGMENT_LINETO:
            current.append(("l", point))
        elif kind_of == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            current.append(("c", point))
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            current.append(("h",))
    if current:
        subpaths.append(current)


def _matrix(obj) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _edges(subpath: list, height: float) -> list[dict[str, Any]]:
    """The subpath's edges as pdfplumber derives them from pdfminer's line, rect and curve."""
    shape = "".join(op for op, *_ in subpath)
    points = [p[0] for op, *p in subpath if p]
    if shape == "ml":
        (x0, y0), (x1, y1) = points
        return [_edge(x0, y0, x1, y1, height, "h" if y0 == y1 else "v")]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[:4]
        if (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0):
            xs, ys = (x0, x1, x2, x3), (y0, y1, y2, y3)
            left, right, low, high = min(xs), max(xs), min(ys), max(ys)
            return [_edge(left, high, right, high, height, "h"), _edge(left, low, right, low, height, "h"),
                    _edge(left, low, left, high, height, "v"), _edge(right, low, right, high, height, "v")]
    if shape.endswith("h") and points and re.fullmatch(r"m[lc]*h", shape):
        points = points + [points[0]] if len(points) > 1 and points[-1] != points[0] else points
    return [_edge(p0[0], p0[1], p1[0], p1[1], height,
                  "v" if p0[0] == p1[0] else ("h" if p0[1] == p1[1] else None))
            for p0, p1 in zip(points, points[1:], strict=False)]


def _edge(x0: float, y0: float, x1: float, y1: float, height: float, orientation: str | None) -> dict[str, Any]:
    left, right, low, high = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
    top, bottom = height - high, height - low
    return {"object_type": "edge", "x0": left, "x1": right, "top": top, "bottom": bottom, "doctop": top,
            "width": right - left, "height": bottom - top, "orientation": orientation}


# ── characters ───────────────────────────────────────────────────────────────────────


def _chars(textpage: pypdfium2.PdfTextPage, left: float, bottom: float, height: float) -> list[dict[str, Any]]:
    """Every character pdfium found (not those it generated), boxed as pdfminer boxes it."""
    raw = textpage.raw
    chars = []
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    scales: dict[int | None, float] = {}  # by text object: its characters share its matrix
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        if pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
            continue
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if code in (0, 0xFFFE, 0xFFFF):
            continue
        text = chr(code)
        if text in "\r\n":
            continue
        box = pdfium_c.FS_RECTF()
        if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, ctypes.byref(box)):
            continue
        x0, x1 = box.left - left, box.right - left
        text_object = pdfium_c.FPDFText_GetTextObject(raw, i)
        address = ctypes.cast(text_object, ctypes.c_void_p).value
        if address not in scales:
            scales[address] = _vertical_scale(text_object)
        size = pdfium_c.FPDFText_GetFontSize(raw, i) * scales[address]
        if box.top - box.bottom > 2 * size:  # vertical writing: pdfminer's box ends at the origin
            pdfium_c.FPDFText_GetCharOrigin(raw, i, ctypes.byref(origin_x), ctypes.byref(origin_y))
            y0 = origin_y.value - bottom
            x1 = x0 + size
        else:  # the font's descent below the baseline, as pdfminer puts it
            y0 = box.bottom - bottom
        y1 = y0 + size
        chars.append({"text": text, "x0": x0, "x1": x1, "top": height - y1, "bottom": height - y0,
                      "doctop": height - y1, "upright": True, "width": x1 - x0, "height": y1 - y0})
    return chars


def _vertical_scale(text_object) -> float:
    """pdfminer's character height is the font size scaled by the text object's matrix."""
    a, b, c, d, _, _ = _matrix(text_object) if text_object else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (b * b + d * d) ** 0.5
