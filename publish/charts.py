"""Charts drawn at build time as inline SVG: no script, no font or library fetched, so a
page shows the same offline, from file://, and in a browser with scripts off.

Every chart has explicit width and height and a <title> on each mark, which browsers show
as a tooltip; the figures are also in the page's tables for anyone who cannot see colour.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from xxgk.publish.tiles import PROVINCE_TILES

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    """A sequential scale from `low` (0) to `high` (1); `none` where there is no figure."""

    low: RGB
    high: RGB
    none: str = "#e3e3e3"

    def colour(self, value: float | None) -> str:
        if value is None:
            return self.none
        share = min(max(value, 0.0), 1.0)
        return "#" + "".join(f"{round(a + (b - a) * share):02x}" for a, b in zip(self.low, self.high, strict=True))


COVERAGE = Palette((238, 244, 251), (8, 81, 156))
PROBLEMS = Palette((255, 245, 240), (165, 15, 21))


@dataclass(frozen=True)
class Mark:
    """One coloured cell: its value on the palette (0–1), the text printed on it, its tooltip."""

    value: float | None
    text: str
    title: str


@dataclass(frozen=True)
class Line:
    """A row of a heatmap: its key, its label and the page it links to."""

    key: str
    label: str
    href: str | None = None


def _text_colour(value: float | None) -> str:
    return "#ffffff" if value is not None and value > 0.55 else "#1a1a1a"


def _linked(href: str | None, body: str) -> str:
    return f'<a href="{escape(href)}">{body}</a>' if href else body


def heatmap(lines: Sequence[Line], years: Sequence[int], marks: dict[tuple[str, int], Mark],
            palette: Palette, caption: str) -> Markup:
    """Lines × years; a missing mark is drawn in the palette's no-figure colour."""
    cell_w, cell_h, left, top = 52, 20, 104, 24
    width, height = left + cell_w * len(years) + 4, top + cell_h * len(lines) + 4
    parts = [f'<svg class="chart heatmap" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(caption)}</title>']
    for i, year in enumerate(years):
        parts.append(f'<text x="{left + cell_w * i + cell_w / 2}" y="{top - 8}" text-anchor="middle" '
                     f'class="axis">{year}</text>')
    for r, line in enumerate(lines):
        y = top + cell_h * r
        parts.append(_linked(line.href, f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" class="label">'
                                        f'{escape(line.label)}</text>'))
        for i, year in enumerate(years):
            mark = marks.get((line.key, year), Mark(None, "", f"{line.label} {year}: —"))
            x = left + cell_w * i
            parts.append(_linked(line.href, (
                f'<g class="cell"><rect x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'fill="{palette.colour(mark.value)}"><title>{escape(mark.title)}</title></rect>'
                f'<text x="{x + (cell_w - 2) / 2}" y="{y + 13}" text-anchor="middle" '
                f'fill="{_text_colour(mark.value)}">{escape(mark.text)}</text></g>')))
    parts.append("</svg>")
    return Markup("".join(parts))


def tile_map(marks: dict[str, Mark], hrefs: Mapping[str, str | None], palette: Palette, caption: str) -> Markup:
    """The provinces as equal tiles in their rough places (tiles.PROVINCE_TILES)."""
    size, gap = 62, 4
    cols = 1 + max(t.col for t in PROVINCE_TILES)
    rows = 1 + max(t.row for t in PROVINCE_TILES)
    width, height = cols * (size + gap), rows * (size + gap)
    parts = [f'<svg class="chart tiles" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(caption)}</title>']
    for tile in PROVINCE_TILES:
        mark = marks.get(tile.code, Mark(None, "—", f"{tile.short_name}: —"))
        x, y = tile.col * (size + gap), tile.row * (size + gap)
        ink = _text_colour(mark.value)
        parts.append(_linked(hrefs.get(tile.code), (
            f'<g class="tile"><rect x="{x}" y="{y}" width="{size}" height="{size}" rx="6" '
            f'fill="{palette.colour(mark.value)}"><title>{escape(mark.title)}</title></rect>'
            f'<text x="{x + size / 2}" y="{y + 26}" text-anchor="middle" fill="{ink}" class="name">'
            f'{escape(tile.short_name)}</text>'
            f'<text x="{x + size / 2}" y="{y + 46}" text-anchor="middle" fill="{ink}">{escape(mark.text)}</text></g>')))
    parts.append("</svg>")
    return Markup("".join(parts))


def legend(palette: Palette, low: str, high: str) -> Markup:
    """A gradient strip from the palette's 0 to its 1, with the no-figure swatch."""
    steps = "".join(f'<rect x="{i * 12}" y="0" width="12" height="12" fill="{palette.colour(i / 9)}"/>'
                    for i in range(10))
    return Markup(
        f'<svg class="legend" width="250" height="30" viewBox="0 0 250 30" xmlns="http://www.w3.org/2000/svg">'
        f'{steps}<text x="0" y="26">{escape(low)}</text><text x="120" y="26" text-anchor="end">{escape(high)}</text>'
        f'<rect x="150" y="0" width="12" height="12" fill="{palette.none}"/><text x="166" y="11">无数据</text></svg>')


def series(years: Sequence[int], values: Sequence[float | None], *, share: bool, caption: str) -> Markup:
    """A small chart of one figure over the years: bars for counts, a line for shares."""
    width, height, left, bottom, top = 300, 150, 44, 22, 12
    plot_w, plot_h = width - left - 8, height - top - bottom
    known = [v for v in values if v is not None]
    peak = 1.0 if share else max(known, default=0.0) or 1.0
    step = plot_w / max(len(years), 1)

    def y_of(value: float) -> float:
        return top + plot_h * (1 - value / peak)

    def label(value: float) -> str:
        return f"{value:.0%}" if share else f"{value:,.0f}"

    parts = [f'<svg class="chart series" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(caption)}</title>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}" class="axis-line"/>',
             f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" class="axis">{label(peak)}</text>',
             f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" class="axis">0</text>']
    points = []
    for i, (year, value) in enumerate(zip(years, values, strict=True)):
        centre = left + step * i + step / 2
        parts.append(f'<text x="{centre}" y="{height - 6}" text-anchor="middle" class="axis">{year}</text>')
        if value is None:
            continue
        tip = f"<title>{year}: {escape(label(value))}</title>"
        if share:  # a share over 100% comes from figures that do not add up: drawn hollow on the top edge
            y, over = y_of(min(value, 1.0)), value > 1.0
            points.append(f"{centre:.1f},{y:.1f}")
            parts.append(f'<circle cx="{centre:.1f}" cy="{y:.1f}" r="3.5" class="point{" over" if over else ""}">'
                         f'{tip}</circle>')
        else:
            bar_h = max(plot_h * value / peak, 1.0)
            parts.append(f'<rect x="{centre - step * 0.35:.1f}" y="{top + plot_h - bar_h:.1f}" '
                         f'width="{step * 0.7:.1f}" height="{bar_h:.1f}" class="bar">{tip}</rect>')
    if len(points) > 1:
        parts.insert(4, f'<polyline points="{" ".join(points)}" class="trend"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
