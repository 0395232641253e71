"""Every way a page links another, for reading a portal's menus and link lists (`xxgk
portals add`, `xxgk portals discover`): anchors, image-map `<area>`s, the `<option
value="http://…">` entries of jump menus (请选择 / 市州政府网站, opened by the select's
`onchange`), and jumps written as script in an `onclick`/`onchange` or a `javascript:`
href (`window.open('…')`, `location.href='…'`). A provincial portal lists its cities'
and counties' portals as often in a jump menu as in anchors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

# A URL a script jumps to: window.open('…'), location.href = '…', location.assign('…')…
_SCRIPT_JUMP = re.compile(r"(?:window\.open|location\.(?:assign|replace)|(?:location|location\.href)\s*=)\s*\(?\s*"
                          r"[\"']([^\"'\s<>]{1,500})[\"']")
# An option value that is an address without its scheme (www.fz.gov.cn, fz.gov.cn/zwgk/)
_BARE_HOST = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+\.?(?::\d+)?(?:/\S*)?$", re.IGNORECASE)
_SCRIPT_ATTRIBUTES = ("onclick", "onchange")
TEXT_NODES, TEXT_CHARS = 64, 200   # what of an element's content is read as its text
MAX_LINKS = 50_000                 # linking elements of one page read
# The elements that may link, in document order.
_LINKING = etree.XPath("//a[@href] | //area[@href] | //option[@value] | //*[@onclick or @onchange]")


@dataclass(frozen=True)
class PageLink:
    element: lxml.html.HtmlElement   # the anchor, area, option or element carrying the jump
    titles: tuple[str, ...]          # its title attribute and its text (an area's alt), those that are set
    url: str                         # absolute, without the fragment unless kept


def page_links(root: lxml.html.HtmlElement, url: str, keep_fragment: bool = False) -> list[PageLink]:
    """The page's links in document order, each element once, to http(s) addresses only."""
    found: list[PageLink] = []
    for element in _LINKING(root)[:MAX_LINKS]:
        target = _target(element)
        if target is None:
            continue
        absolute = urljoin(url, target)
        if urlsplit(absolute).scheme not in ("http", "https"):
            continue
        titles = tuple(t for t in (_clean(element.get("title")), _clean(element.get("alt")), _clean(text_of(element)))
                       if t)
        found.append(PageLink(element, titles, absolute if keep_fragment else urldefrag(absolute)[0]))
    return found


def _target(element: lxml.html.HtmlElement) -> str | None:
    """Where the element leads, or None."""
    tag = element.tag.lower()
    if tag in ("a", "area"):
        href = (element.get("href") or "").strip()
        if href.lower().startswith("javascript:") and _jump(href):
            return _jump(href)
        if href and not href.lower().startswith(("javascript:", "mailto:", "tel:", "#")):
            return href
    if tag == "option":
        return _option_target((element.get("value") or "").strip())
    return next(filter(None, (_jump(element.get(name) or "") for name in _SCRIPT_ATTRIBUTES)), None)


def _option_target(value: str) -> str | None:
    """A jump menu's option value as an address: absolute, site-relative, or a bare host."""
    if value.lower().startswith(("http://", "https://", "/")):
        return value
    if _BARE_HOST.match(value) and not value.replace(".", "").isdigit():
        return "http://" + value
    return None


def _jump(script: str) -> str | None:
    match = _SCRIPT_JUMP.search(script)
    return match[1] if match else None


def text_of(element: lxml.html.HtmlElement) -> str:
    """An element's text as a link or a heading shows it: read from its first
    TEXT_NODES nodes and up to TEXT_CHARS characters, so that no page (an `onclick` on
    every one of thousands of nested blocks) makes reading its links quadratic."""
    parts, size = [element.text or ""], len(element.text or "")
    for count, node in enumerate(element.iterdescendants()):
        if count >= TEXT_NODES or size >= TEXT_CHARS:
            break
        for piece in ((node.text if isinstance(node.tag, str) else None), node.tail):
            if piece:
                parts.append(piece)
                size += len(piece)
    return "".join(parts)[:TEXT_CHARS]


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()
