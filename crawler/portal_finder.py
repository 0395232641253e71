"""A registry that builds itself (`xxgk portals discover --from URL`): government portals
publish link lists of other governments' portals (地方政府 lists, 省市政府网站 /
下级政府网站 blocks, footers). Each link titled with a government or a place is matched
to a GB/T 2260 division; each portal found is asked for its annual-report columns (on its
home page or its 信息公开 pages); the result is proposed registry entries. Links are read
in every form portals list them in: anchors, jump menus (`<select>` options), image maps
and script jumps (crawler/links.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from xxgk.crawler.discover import PLACE_ENDINGS, page_text, place_code
from xxgk.crawler.families import parse_html
from xxgk.crawler.http import Fetcher, Rules
from xxgk.crawler.links import page_links
from xxgk.crawler.portal_search import ColumnChoice, ColumnNotFound, find_columns
from xxgk.crawler.registry import Portal
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
    choice: ColumnChoice | None
    note: str | None = None   # why no column was found

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c.url for c in self.choice.columns) if self.choice else ()

    def portals(self) -> list[Portal]:
        return self.choice.portals(self.organ, self.jurisdiction) if self.choice else []


def government_links(html: str, url: str, near: str = "") -> list[GovernmentLink]:
    """Links titled with a government (福州市人民政府) or a place (福州市), each matched to the
    division the name designates (of divisions sharing a name, the one nearest `near`):
    anchors, jump-menu options, map areas and script jumps alike."""
    found: dict[str, GovernmentLink] = {}
    for link in page_links(parse_html(html, url), url):
        for text in link.titles:
            place = _place(re.sub(r"\s+", "", text))
            code = place and place_code(place, near)
            if place and code and place.endswith(division_names()[code]):  # the whole name, not a place within it
                found.setdefault(code, GovernmentLink(f"{place}人民政府", code, link.url))
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
                    choice = find_columns(link.url, fetcher=fetcher, interval=interval)
                    note = choice.reason
                except ColumnNotFound as error:
                    choice, note = None, str(error)
                proposed[link.jurisdiction] = ProposedPortal(link.organ, link.jurisdiction, levels[link.jurisdiction],
                                                             link.url, choice, note)
                following.append((link.url, link.jurisdiction))
        frontier = following
    return sorted(proposed.values(), key=lambda p: p.jurisdiction)


def merge(existing: list[Portal], proposed: list[ProposedPortal]) -> tuple[list[Portal], list[Portal]]:
    """The registry with the entries of the proposed portals that have columns and whose
    jurisdiction has none yet added (each entry's name new), existing entries untouched;
    and the ones added."""
    names, codes = {p.name for p in existing}, {p.jurisdiction for p in existing}
    added = [portal for p in proposed if p.jurisdiction not in codes
             for portal in p.portals() if portal.name not in names]
    return existing + added, added


def coverage(portals: list[Portal]) -> list[tuple[str, int, int]]:
    """(level, divisions with a registered portal, divisions) for province, prefecture, county."""
    registered = {p.jurisdiction for p in portals}
    rows = []
    for level in ("province", "prefecture", "county"):
        codes = [d.code for d in divisions() if d.level == level]
        rows.append((level, sum(1 for c in codes if c in registered), len(codes)))
    return rows
