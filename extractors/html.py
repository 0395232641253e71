"""HTML report pages → paragraphs and grids, with lxml.

The report is found inside the portal's chrome: the leaf tables (tables holding no other
table: layout tables hold the content, report tables hold figures) and the report's
title element bound the content area, and only blocks inside it are read. Spans are
resolved into a full matrix, tolerating the malformed spans real pages have.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.etree

from xxgk.extractors.bounds import check_cells, check_grids
from xxgk.extractors.grid import Block, Grid, GridCell, Paragraph, ParsedDocument, ReadError
from xxgk.extractors.script import as_simplified
from xxgk.schemas.charset import decode_page
from xxgk.schemas.titles import report_title

_DROP = ("script", "style", "noscript", "iframe", "nav", "header", "footer", "select", "button", "textarea")
_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "section",
                     "article", "center", "blockquote", "pre", "caption", "font"})
_REPORT_NOUNS = ("报告", "年报", "总结")  # a cheap test before an element's text is read as a title
_MAX_SPAN = 200
_MAX_TITLE = 60  # characters: a report's title is shorter, a paragraph naming the report longer
_TITLE_TAGS = frozenset({"h1", "h2", "h3", "div", "p", "td", "span", "strong"})
_PARSER = lxml.etree.HTMLParser(collect_ids=False)  # no lookups by id: no table of them
_UTF8_PARSER = lxml.etree.HTMLParser(encoding="utf-8", collect_ids=False)  # whatever the page's <meta> declares
_MAX_CELL_TEXT = 600  # characters: more than any figure table's cell, less than a report's prose
_MAX_CELL_BLOCKS = 4  # paragraphs: Word wraps a figure cell's lines in one or two
_LAYOUT_BLOCKS = ("p", "div", "h1", "h2", "h3", "ul")


def read_html(data: bytes, charset: str | None = None) -> ParsedDocument:
    encoding: str | None
    text, encoding = decode_page(data, charset)
    if "<" not in text or "\ufffd" in text[:2000]:
        raise ReadError("corrupt_document", "the bytes are not an HTML page")
    text, notes = as_simplified(text)
    if notes:
        encoding = None  # parsed from the converted text, not the bytes
    if any(separator in text for separator in _SEPARATORS):  # never text: the grid writer's own
        text, encoding = text.translate(_WITHOUT_SEPARATORS), None
    try:  # plain etree elements: lxml.html's element classes cost a lookup per element
        if encoding == "utf-8":  # libxml2 reads UTF-8 bytes faster than a str
            root = lxml.etree.fromstring(data, _UTF8_PARSER)
        else:
            if text.lstrip().startswith("<?xml"):  # lxml refuses a str that declares an encoding
                text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
            root = lxml.etree.fromstring(text, _PARSER)
    except (lxml.etree.ParserError, ValueError) as error:
        raise ReadError("corrupt_document", f"the page cannot be parsed: {error}") from None
    if root is None:
        raise ReadError("corrupt_document", "the page holds no HTML elements")
    title_hint = (root.findtext(".//title") or "").strip() or None
    lxml.etree.strip_elements(root, lxml.etree.Comment, *_DROP, with_tail=False)
    tables = [t for t in root.iter("table") if t.find(".//table") is None and not _is_layout(t)]
    content = _content_root(root, tables)
    return ParsedDocument("html", _blocks(content, set(tables)), title_hint=title_hint, issues=notes)



# ── where the report is ─────────────────────────────────────────────────────────────


def _content_root(root: lxml.etree._Element, tables: list) -> lxml.etree._Element:
    """The smallest element holding the report's tables and its title."""
    anchors = list(tables)
    title = _title_element(root, tables[0] if tables else None)
    if title is not None:
        anchors.append(title)
    if not anchors:
        return root.find("body") if root.find("body") is not None else root
    if not tables:  # a report in prose only: the title's nearest ancestor that holds its text
        return _article_around(title)
    common = set(anchors[0].iterancestors()) | {anchors[0]}
    for anchor in anchors[1:]:
        common &= set(anchor.iterancestors()) | {anchor}
    return max(common, key=lambda element: len(list(element.iterancestors())))


def _article_around(title: lxml.etree._Element) -> lxml.etree._Element:
    """Climb from the title to the first element that holds a run of paragraphs."""
    element = title
    while element.getparent() is not None and sum(1 for _ in element.iter(*_LAYOUT_BLOCKS)) <= _MAX_CELL_BLOCKS:
        element = element.getparent()
    return element


def _is_layout(table: lxml.etree._Element) -> bool:
    """A table that lays out the page (a cell holding the article's paragraphs), not one
    of figures: no cell of a report table holds a page of text or a run of paragraphs.
    Only cells with markup inside are looked into, as a layout cell always has."""
    return _LAYOUT_CELL(table)


# In libxml2: walking every cell in Python cost half a parse. Each test is tried first where
# it is cheap and necessary: a cell holding five blocks holds five elements; a cell's text
# is part of its row's and of the table's, so a row no longer than a page of text holds no
# cell that is (the text of thirty rows is read instead of two hundred cells').
_LAYOUT_CELL = lxml.etree.XPath(
    f"boolean(descendant::td[descendant::*[{_MAX_CELL_BLOCKS + 1}]]"
    f"[descendant::*[{' or '.join('self::' + tag for tag in _LAYOUT_BLOCKS)}][{_MAX_CELL_BLOCKS + 1}]])"
    f" or (string-length(.) > {_MAX_CELL_TEXT} and boolean((descendant::td[*]/..)"
    f"[string-length(.) > {_MAX_CELL_TEXT}]/td[*][string-length(.) > {_MAX_CELL_TEXT}]))")


def _title_element(root: lxml.etree._Element, first_table) -> lxml.etree._Element | None:
    """The report title nearest before the first table (a sidebar may list other years'),
    searched backwards from the table: the portal's header, often most of the page, is
    reached only when the article has no title of its own."""
    if first_table is None:
        before: Iterator[lxml.etree._Element] = reversed(list(root.iter()))
    else:  # the table's ancestors hold its text: none is a title's length when the table is longer
        before = _preceding(first_table, len(_all_text(first_table).strip()) <= _MAX_TITLE)
    return next((element for element in before if _names_report(element)), None)


def _preceding(element: lxml.etree._Element, ancestors: bool) -> Iterator[lxml.etree._Element]:
    """The elements before this one in document order, nearest first, with or without its
    ancestors (reading their text, which the portal's chrome wraps in a few containers
    around the whole article, was most of what a title search cost). A preceding sibling
    holding elements whose text names no report is passed by whole: their texts are
    parts of it."""
    while (parent := element.getparent()) is not None:
        for sibling in element.itersiblings(preceding=True):
            if len(sibling) == 0:
                yield sibling
            elif _names_a_report_noun(_all_text(sibling)):
                yield from reversed(list(sibling.iter()))
        if ancestors:
            yield parent
        element = parent


def _names_report(element: lxml.etree._Element) -> bool:
    """A small element (a container's text is the page's) naming a year's report, not a link to one."""
    children = len(element)
    if element.tag not in _TITLE_TAGS or children > 3:
        return False
    text = (element.text or "" if children == 0 else _all_text(element)).strip()
    return (len(text) <= _MAX_TITLE and _names_a_report_noun(text) and element.find(".//a") is None
            and report_title(text) is not None)


def _names_a_report_noun(text: str) -> bool:
    """Whether the text holds a noun every report title holds (报告, 年报, 总结)."""
    return any(noun in text for noun in _REPORT_NOUNS)


# ── blocks ──────────────────────────────────────────────────────────────────────────


def _blocks(content: lxml.etree._Element, tables: set) -> list[Block]:
    blocks: list[Block] = []
    _walk(content, tables, blocks, [])
    return blocks


def _walk(element, tables: set, blocks: list[Block], grids: list[Grid]) -> bool:
    """Append the element's blocks in reading order: a leaf table as a grid, a block
    element holding no other block as paragraphs. Returns whether it held a block."""
    if element in tables:
        check_grids(len(grids) + 1)
        grids.append(_grid(element, len(grids)))
        blocks.append(grids[-1])
        return True
    holds_block = False
    for child in element:
        if isinstance(child.tag, str):
            holds_block |= _walk(child, tables, blocks, grids)
    if element.tag in _BLOCKS and not holds_block:
        blocks += [Paragraph(line) for line in _text(element).split("\n") if line]
        return True
    return holds_block or element.tag == "table"


def _text(element) -> str:
    """Text with <br> and block boundaries as line breaks, spaces and &nbsp; tidied."""
    if len(element) == 1:  # a Word paragraph: <p><span>…</span></p>
        element = _text_holder(element)
    if len(element) == 0:  # most paragraphs: plain text, no markup inside
        text = element.text
        if not text:
            return ""
        if not text.isascii():  # only non-ASCII text can hold &nbsp; or ideographic spaces
            text = text.replace("\xa0", " ").replace("\u3000", " ")
        return _lines(text)
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in element.iterdescendants("p", "div", "li"):
        block.tail = "\n" + (block.tail or "")
    return _lines(_all_text(element).replace("\xa0", " ").replace("\u3000", " "))


def _lines(text: str) -> str:
    """The text's lines stripped, blank ones dropped."""
    text = text.strip()  # most often one line, or one with the line break a paragraph ends with
    return text if "\n" not in text else "\n".join(line.strip() for line in text.split("\n") if line.strip())


def _text_holder(element):
    """The element's one child when that child holds all its text as plain text (its text
    is then the element's, line for line), else the element itself."""
    child = element[0]
    if (len(child) == 0 and child.tag != "br" and isinstance(child.tag, str)
            and not (element.text or "").strip() and not (child.tail or "").strip()):
        return child
    return element


def _all_text(element) -> str:
    """All text inside the element (not its tail), as `"".join(element.itertext())` gives
    it: lxml's text serializer builds it in C, several times faster than joining pieces."""
    return lxml.etree.tostring(element, method="text", encoding=str, with_tail=False)


# ── grids ───────────────────────────────────────────────────────────────────────────
#
# A table is written out as text by one XSLT pass (libxslt, in C): its rows, each cell
# with its spans and text (<br> and paragraph ends as line breaks, as `_text` reads
# them). Python then only splits that text and resolves the spans; asking lxml's Python
# API for every cell's text and attributes cost more than parsing the page. The text is
# cut by Unicode noncharacters, reserved for such internal use: `read_html` drops any a
# page carries before parsing it.

_ROW_END, _CELL_END, _SPANS_END, _SPAN_END = "\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3"
_SEPARATORS = _ROW_END + _CELL_END + _SPANS_END + _SPAN_END
_WITHOUT_SEPARATORS = str.maketrans("", "", _SEPARATORS)
_GRID_WRITER = lxml.etree.XSLT(lxml.etree.fromstring(f"""\
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text" encoding="utf-8"/>
  <xsl:template match="/"><xsl:for-each select="descendant::tr"><xsl:for-each select="td|th">\
<xsl:apply-templates select="@rowspan|@colspan" mode="span"/>{_SPANS_END}\
<xsl:apply-templates mode="text"/>{_CELL_END}</xsl:for-each>{_ROW_END}</xsl:for-each></xsl:template>
  <xsl:template match="@rowspan" mode="span">r<xsl:value-of select="."/>{_SPAN_END}</xsl:template>
  <xsl:template match="@colspan" mode="span">c<xsl:value-of select="."/>{_SPAN_END}</xsl:template>
  <xsl:template match="br" mode="text"><xsl:text>&#10;</xsl:text></xsl:template>
  <xsl:template match="p|div|li" mode="text"><xsl:apply-templates mode="text"/><xsl:text>&#10;</xsl:text></xsl:template>
</xsl:stylesheet>""".encode()))


def _grid(table, index: int) -> Grid:
    """Resolve rowspan/colspan into a matrix; a spanned slot gets a copy of the text that
    points back to where it was written. Spans are written ahead into the rows below."""
    written = str(_GRID_WRITER(table)).replace("\xa0", " ").replace("\u3000", " ")
    rows = written.split(_ROW_END)[:-1]
    matrix: list[list[GridCell | None]] = [[] for _ in rows]
    name = f"table {index + 1}"
    slots = 0
    for r, row in enumerate(rows):
        line, c = matrix[r], 0
        where = f"{name}, row {r + 1}, col "
        for cell in row.split(_CELL_END)[:-1]:
            end = len(line)
            while c < end and line[c] is not None:  # slots a span from above already took
                c += 1
            spans, text = cell.split(_SPANS_END, 1)
            origin = GridCell(_lines(text), None, f"{where}{c + 1}")
            if not spans and c == end:  # most cells: the next slot, nothing merged
                line.append(origin)
                c += 1
                slots += 1
            else:
                rowspan, colspan = _spans(spans)
                columns, added = _place(matrix, r, c, origin, rowspan, colspan)
                c += columns
                slots += added
        check_cells(slots)
    width = max(map(len, matrix), default=0)
    check_cells(width * len(matrix))
    empty = GridCell("", position=name)
    return Grid([[cell or empty for cell in line] + [empty] * (width - len(line)) for line in matrix], index=index)


def _spans(written: str) -> tuple[str | None, str | None]:
    """(rowspan, colspan) as the page wrote them, None where it wrote none."""
    found = {span[0]: span[1:] for span in written.split(_SPAN_END)[:-1]}
    return found.get("r"), found.get("c")


def _place(matrix: list[list[GridCell | None]], r: int, c: int, origin: GridCell,
           rowspan: str | None, colspan: str | None) -> tuple[int, int]:
    """Write a cell at row r, column c and copies of it into the free slots its spans cover
    (on malformed pages spans overlap: a taken slot is kept). Returns the columns it covers
    and the slots it added to the matrix; spans are capped, so one cell adds at most
    _MAX_SPAN² slots before the caller counts them."""
    rows = 1 if rowspan is None else _span(rowspan, min(len(matrix) - r, _MAX_SPAN))
    columns = 1 if colspan is None else _span(colspan, _MAX_SPAN)
    copy = GridCell(origin.text, position=origin.position, spanned=True)
    added = 0
    for dr in range(rows):
        target = matrix[r + dr]
        if len(target) < c + columns:
            added += c + columns - len(target)
            target.extend([None] * (c + columns - len(target)))
        for dc in range(columns):
            if target[c + dc] is None:
                target[c + dc] = copy if dr or dc else origin
    return columns, added


def _span(value: str, limit: int) -> int:
    """A span attribute as published: 0 (to the end), junk or huge are tolerated."""
    digits = value if value.isdigit() else (re.match(r"\s*(\d+)", value) or [None, None])[1]
    if digits is None:
        return 1
    span = int(digits)
    return limit if span == 0 else max(1, min(span, limit))
