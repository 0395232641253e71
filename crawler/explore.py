"""What one listing page yields, for people writing profiles and diagnosing a portal
that yields nothing (`xxgk discover`): the CMS family detected, the report links with
the year and organ their titles give, how many other list items there are, the requests
for the further pages, and the size the column declares. Nothing is written anywhere but
a throwaway raw store.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from xxgk.crawler.discover import ReportLink, listing, named, page_text
from xxgk.crawler.families import PageRequest
from xxgk.crawler.http import Fetcher, Rules, Settings
from xxgk.crawler.registry import Profile
from xxgk.crawler.store import RawStore

# Pages a declared count may generate here: a diagnosis shows every page of a long
# column, where a crawl stops at its profile's max_pages; still a bound, for hostile counts.
DISCOVER_MAX_PAGES = 1000


@dataclass(frozen=True)
class Discovery:
    url: str
    family: str
    reports: list[ReportLink]
    other_links: int
    next: list[PageRequest]
    declared_total: int | None
    declared_pages: int | None
    error: str | None = None     # why the page could not be read (fetching a URL)

    def to_json(self) -> dict[str, Any]:
        return {"url": self.url, "family": self.family,
                "reports": [_report_json(link) for link in self.reports],
                "other_links": self.other_links, "next": [r.to_json() for r in self.next],
                "declared_total": self.declared_total, "declared_pages": self.declared_pages, "error": self.error}


def discover_page(body: bytes, url: str, charset: str | None = None, profile: Profile | None = None) -> Discovery:
    """What the page `body`, served at `url`, yields."""
    profile = profile or Profile(max_pages=DISCOVER_MAX_PAGES)
    found = listing(page_text(body, charset), url, profile)
    return Discovery(url, found.family, found.reports, len(found.others), found.next, found.declared_total,
                     found.declared_pages)


def discover_file(path: str | Path, url: str, profile: Profile | None = None) -> Discovery:
    return discover_page(Path(path).read_bytes(), url, None, profile)


def discover_url(url: str, settings: Settings = Settings(), profile: Profile | None = None) -> Discovery:
    """Fetch `url` politely (robots, rate limit, address policy) and say what it yields."""
    profile = profile or Profile(max_pages=DISCOVER_MAX_PAGES)
    with tempfile.TemporaryDirectory(prefix="xxgk-discover-") as store:
        fetcher = Fetcher(RawStore(store), {}, settings)
        page = fetcher.get(url, Rules((urlsplit(url).hostname or "",), 1.0 / profile.rate, profile.verify_tls))
    if not page.ok:
        return Discovery(url, "unknown", [], 0, [], None, None, page.error or page.outcome)
    return discover_page(page.body or b"", page.final_url or url, page.charset, profile)


def _report_json(link: ReportLink) -> dict[str, Any]:
    jurisdiction, organ = named(link)
    return {"title": link.title, "url": link.url, "year": link.year, "organ": organ, "jurisdiction": jurisdiction}
