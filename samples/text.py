"""Generated reports as plain text: tab dumps like the seed, pipe tables like an HTML-to-text
or HTML-to-Markdown conversion, or space-aligned like pdftotext.

A tab dump loses cell geometry the way real dumps do: a merged cell is written once (the
row padded at its end to keep its field count), repeated as empty fields, or written
with its covered slots dropped, the choice varying from cell to cell. Space-aligned text
puts each cell's text at its column's display position (CJK characters are two columns
wide), so a blank cell is only spaces.
"""

from __future__ import annotations

import unicodedata
import zlib
from typing import Literal

from xxgk.samples.layout import Heading, Layout, LCell, LTable, Para

_GAP = 3


Style = Literal["tabs", "pipes", "spaces", "run_together", "single_space", "mixed_spacing"]


def render_text(layout: Layout, *, style: Style = "tabs", one_line: bool = False, rows_on_lines: bool = False,
                encoding: str = "utf-8") -> bytes:
    """`run_together`, `single_space` and `mixed_spacing` write the page as a web archiver
    or an HTML-to-text conversion saves it (`_stream`); `one_line` drops its header lines
    too, leaving the whole report on one line; `rows_on_lines` puts each heading, paragraph
    and table row on a line of its own, as a PDF's text comes out in reading order."""
    if style in ("run_together", "single_space", "mixed_spacing"):
        return _stream(layout, style, one_line, rows_on_lines).encode(encoding, errors="replace")
    lines: list[str] = []
    for block in layout.blocks:
        if isinstance(block, (Heading, Para)):
            lines += ["", block.text, ""]
        else:
            lines += {"tabs": _tab_rows, "pipes": _pipe_rows}.get(style, _aligned_rows)(block)
    return "\n".join(lines).encode(encoding, errors="replace")


# ── tabs ────────────────────────────────────────────────────────────────────────────


def _tab_rows(table: LTable) -> list[str]:
    dense = table.dense()
    width = len(dense[0])
    rows = []
    for r, row in enumerate(dense):
        fields: list[str] = []
        for c, cell in enumerate(row):
            origin = cell or table.origin(r, c)
            if cell is not None:
                fields.append(_one_line(cell.text))
            elif _emission(origin, r, c) == "repeat":
                fields.append("")
            # "once": the covered slot is dropped and the row padded at its end
        rows.append("\t".join(fields + [""] * (width - len(fields))))
    return rows


def _pipe_rows(table: LTable) -> list[str]:
    """The tab dump's fields between pipes, a Markdown rule under the first row: merged
    cells come out of a conversion as they come out of a dump (written once or repeated)."""
    rows = [f"| {' | '.join(row.split(chr(9)))} |" for row in _tab_rows(table)]
    rule = "|" + "---|" * (rows[0].count("|") - 1)
    return ["", rows[0], rule, *rows[1:], ""]


def _emission(cell: LCell, r: int, c: int) -> Literal["once", "repeat"]:
    """Deterministic per slot, so one dump mixes both habits as the seed does."""
    return "repeat" if zlib.crc32(f"{cell.text}|{r}|{c}".encode()) % 2 else "once"


def _one_line(text: str) -> str:
    return text.replace("\n", "")


# ── run together ────────────────────────────────────────────────────────────────


def _stream(layout: Layout, style: Style, one_line: bool, rows_on_lines: bool = False) -> str:
    """The page as a text dump: key-value header lines, then the whole body on one line,
    every cell's text written once, separated by nothing (`run_together`), by one space
    (`single_space`), or by one space or nothing as it falls (`mixed_spacing`: two cells
    run together, then a space, a total split off by a space)."""
    spec = layout.spec
    published = f"{spec.year + 1}-03-10"
    header = [f"标题: {spec.title}", f"发布时间: {published} 15:35", "文号: ", f"发布机构: {spec.organ}办公室",
              "栏目: 政府信息公开年报",
              f"原文链接: https://www.example.gov.cn/zfxxgknb/{spec.year + 1}03/t{published.replace('-', '')}_1.htm",
              "==================== 正文 ===================="]
    lines: list[list[str]] = []  # the pieces of each line
    for block in layout.blocks[2:]:  # the title is the header's
        if isinstance(block, (Heading, Para)):
            lines.append([block.text])
        else:
            lines += [[cell.text.replace("\n", " ") for cell in row if cell is not None] for row in block.dense()]
    if not rows_on_lines:
        lines = [[piece for line in lines for piece in line]]
    body = "\n".join(_joined(line, style) for line in lines)
    return (f"{spec.title} {body}" if one_line else "\n".join(header + [body])) + "\n"


def _joined(pieces: list[str], style: Style) -> str:
    line = pieces[0] if pieces else ""
    for index, piece in enumerate(pieces[1:], start=1):
        line += _separator(style, piece, index) + piece
    return line


def _separator(style: Style, piece: str, index: int) -> str:
    """What stands before a piece; a blank cell printed as nothing takes no separator of its own."""
    if style == "run_together" or not piece:
        return ""
    if style == "single_space":
        return " "
    return " " if zlib.crc32(f"{index}|{piece}".encode()) % 2 else ""


# ── spaces ──────────────────────────────────────────────────────────────────────────


def _aligned_rows(table: LTable) -> list[str]:
    """Each row one line, each origin cell at its column's start; labels on one line, as
    a wrapped label cannot be told from a blank row once only spaces are left."""
    dense = table.dense()
    starts = _column_starts(dense)
    lines = []
    for row in dense:
        line = ""
        for c, cell in enumerate(row):
            if cell is None or not cell.text.strip():
                continue
            line = line.ljust(_padding(line, starts[c])) + _one_line(cell.text).replace("\xa0", " ")
        lines.append(line.rstrip())
    return ["", *lines, ""]


def _column_starts(dense: list[list[LCell | None]]) -> list[int]:
    """A column starts after the widest text that ends in the column before it."""
    width = len(dense[0])
    starts = [0] * (width + 1)
    for c in range(width):
        widest = max((display_width(_one_line(cell.text)) for cell in (row[c] for row in dense)
                      if cell is not None and cell.colspan == 1), default=0)
        starts[c + 1] = starts[c] + max(widest, 2) + _GAP
    for row in dense:  # a spanning cell must fit within the columns it spans
        for c, cell in enumerate(row):
            if cell is not None and cell.colspan > 1:
                need = starts[c] + display_width(_one_line(cell.text)) + _GAP
                shortfall = need - starts[c + cell.colspan]
                if shortfall > 0:
                    for k in range(c + cell.colspan, width + 1):
                        starts[k] += shortfall
    return starts


def _padding(line: str, start: int) -> int:
    """ljust counts characters; pad so the display column reaches `start`."""
    return len(line) + max(start - display_width(line), 2 if line else 0)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
