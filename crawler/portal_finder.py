"""A registry that builds itself (`xxgk portals discover --from URL`): government portals
publish link lists of other governments' portals (地方政府 lists, 省市政府网站 /
下级政府网站 blocks, footers). Each link titled with a government or a place is matched
to a GB/T 2260 division; each portal found is asked for its annual-report column (on its
home page or its 信息公开 pages); the result is proposed registry entries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from xxgk.crawler.discover import PLACE_ENDINGS, page_text, place_code
from xxgk.crawler.families import hrefs, parse_html
from xxgk.crawler.http import Fetcher, Rules
from xxgk.crawler.portal_search import ColumnNotFound, find_column
from xxgk.crawler.registry import Portal, Profile
from xxgk.schemas.divisions import division_names, divisions

_SITE_WORDS = re.compile(r"(?:门户网站|门户网|政府网站|政府网|网站|官网)$")
_MAX_PORTALS = 5000          # portals proposed from one start, at most


@dataclass(frozen=True)
class GovernmentLink:
    organ: str
    jurisdiction: str
    url: str


@dataclass(frozen=True)
class ProposedPortal:
    organ: str
    jurisdiction: str
    level: str
    home: str
    column: str | None
    note: str | None = None   # why no column was found

    def portal(self) -> Portal | None:
        if self.column is None:
            return None
        return Portal(self.organ, self.jurisdiction, self.organ, self.column, (urlsplit(self.column).hostname or "",),
                      Profile())


def government_links(html: str, url: str, near: str = "") -> list[GovernmentLink]:
    """Links titled with a government (福州市人民政府) or a place (福州市), each matched to the
    division the name designates (of divisions sharing a name, the one nearest `near`)."""
    found: dict[str, GovernmentLink] = {}
    for anchor, href in hrefs(parse_html(html, url).iter("a"), url):
        if urlsplit(href).scheme not in ("http", "https"):
            continue
        for text in ((anchor.get("title") or ""), anchor.text_content() or ""):
            place = _place(re.sub(r"\s+", "", text))
            code = place and place_code(place, near)
            if code and place.endswith(division_names()[code]):  # the whole name, not a place within it
                found.setdefault(code, GovernmentLink(f"{place}人民政府", code, href))
                break
    return list(found.values())


def _place(text: str) -> str | None:
    """The place a link text names as a government or a place, else None."""
    text = _SITE_WORDS.sub("", text)
    for suffix in ("人民政府", "政府"):
        if text.endswith(suffix):
            text = text.removesuffix(suffix)
            break
    return text if 2 <= len(text) <= 20 and text.endswith(PLACE_ENDINGS) else None


def discover_portals(start: str, fetcher: Fetcher, depth: int = 1, *, interval: float = 1.0,
                     verify_tls: bool = True) -> list[ProposedPortal]:
    """Portals linked from `start` (and, with depth > 1, from the portals found), each with
    its column."""
    levels = {d.code: d.level for d in divisions()}
    proposed: dict[str, ProposedPortal] = {}
    frontier, seen_pages = [(start, "")], set()
    for _ in range(max(1, depth)):
        following: list[tuple[str, str]] = []
        for page_url, near in frontier:
            if page_url in seen_pages or len(proposed) >= _MAX_PORTALS:
                continue
            seen_pages.add(page_url)
            rules = Rules((urlsplit(page_url).hostname or "",), interval, verify_tls)
            page = fetcher.get(page_url, rules)
            if not page.ok:
                continue
            for link in government_links(page_text(page.body or b"", page.charset), page.final_url or page_url, near):
                if link.jurisdiction in proposed:
                    continue
                try:
                    column, note = find_column(link.url, fetcher=fetcher), None
                except ColumnNotFound as error:
                    column, note = None, str(error)
                proposed[link.jurisdiction] = ProposedPortal(link.organ, link.jurisdiction, levels[link.jurisdiction],
                                                             link.url, column, note)
                following.append((link.url, link.jurisdiction))
        frontier = following
    return sorted(proposed.values(), key=lambda p: p.jurisdiction)


def merge(existing: list[Portal], proposed: list[ProposedPortal]) -> tuple[list[Portal], list[Portal]]:
    """The registry with the proposed portals that have a column and are new (by name and
    by jurisdiction) added, existing entries untouched; and the ones added."""
    names, codes = {p.name for p in existing}, {p.jurisdiction for p in existing}
    added = [portal for p in proposed if (portal := p.portal()) and p.organ not in names and p.jurisdiction not in codes]
    return existing + added, added


def coverage(portals: list[Portal]) -> list[tuple[str, int, int]]:
    """(level, divisions with a registered portal, divisions) for province, prefecture, county."""
    registered = {p.jurisdiction for p in portals}
    rows = []
    for level in ("province", "prefecture", "county"):
        codes = [d.code for d in divisions() if d.level == level]
        rows.append((level, sum(1 for c in codes if c in registered), len(codes)))
    return rows
