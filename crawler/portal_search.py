"""Finding a portal's annual-report column from its home page, for `xxgk portals add`.

A person looks for a link titled 政府信息公开年报 (or a variant), on the page given or,
where it is not there, on the portal's 信息公开 pages; so does this, through the same
polite fetcher as a crawl, visiting a handful of pages at most.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from xxgk.crawler.discover import column_links, page_text
from xxgk.crawler.http import Fetcher, Rules, Settings
from xxgk.crawler.registry import Portal, Profile
from xxgk.crawler.store import RawStore
from xxgk.schemas.divisions import division_names
from xxgk.schemas.errors import UsageError, XxgkError

MAX_PAGES = 4


class ColumnNotFound(XxgkError):
    pass


def find_column(url: str, settings: Settings = Settings(), max_pages: int = MAX_PAGES,
                fetcher: Fetcher | None = None) -> str:
    """The first annual-report column linked from `url` or its 信息公开 pages (through
    `fetcher` where a crawl of many portals shares one)."""
    fetcher = fetcher or Fetcher(RawStore("memory://xxgk-portal-search"), {}, settings)
    rules = Rules((urlsplit(url).hostname or "",))
    visited: list[str] = []
    errors: list[str] = []
    pending = [url]
    while pending and len(visited) < max_pages:
        page_url = pending.pop(0)
        visited.append(page_url)
        page = fetcher.get(page_url, rules)
        if not page.ok:
            errors.append(f"{page_url}: {page.error}")
            continue
        columns, disclosure = column_links(page_text(page.body, page.charset), page.final_url or page_url)
        if columns:
            return columns[0]
        pending += [u for u in disclosure if u not in visited and u not in pending]
    raise ColumnNotFound(f"no link to an annual-report column (信息公开年报) on {url} or its 信息公开 pages"
                         + (f" ({'; '.join(errors)})" if errors else "") + "; add the entry by hand with the column's URL")


def portal_entry(url: str, jurisdiction: str, organ: str | None = None, settings: Settings = Settings()) -> Portal:
    """A registry entry for the portal at `url`: its column found, the organ defaulting to
    the jurisdiction's 人民政府."""
    if jurisdiction not in division_names():
        raise UsageError(f"{jurisdiction} is not a known GB/T 2260 code")
    column = find_column(url, settings)
    organ = organ or f"{division_names()[jurisdiction]}人民政府"
    return Portal(organ, jurisdiction, organ, column, (urlsplit(url).hostname or "",), Profile())
