"""Finding a portal's annual-report columns from its home page, for `xxgk portals add`.

A person looks for the annual reports in the page's menus (crawler/columns.py: a column
named as the reports, or a heading named so over sub-columns), on the page given or,
where they are not there, on the portal's 信息公开 pages; so does this, through the same
polite fetcher as a crawl, visiting a handful of pages at most. Where the reports are
split (政府年报 / 部门年报 / 乡镇年报) it proposes a registry entry per sub-column, unless a
combined column is linked too and its page lists reports; and it says which it chose and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from xxgk.crawler.columns import Column, Context, page_columns
from xxgk.crawler.discover import listing, page_text
from xxgk.crawler.http import Fetcher, Rules, Settings
from xxgk.crawler.registry import Portal, Profile
from xxgk.crawler.store import RawStore
from xxgk.schemas.divisions import division_names
from xxgk.schemas.errors import UsageError, XxgkError

MAX_PAGES = 4


class ColumnNotFound(XxgkError):
    pass


@dataclass(frozen=True)
class ColumnChoice:
    columns: tuple[Column, ...]   # one combined column, or the sub-columns the reports are split into
    reason: str

    def portals(self, organ: str, jurisdiction: str) -> list[Portal]:
        """A registry entry per column, all the jurisdiction's and organ's: a department's
        or a town's report keeps its own organ from its title when crawled. One column is
        named after the organ; several after the organ and the column."""
        names = [organ] if len(self.columns) == 1 else _distinct([f"{organ} ({c.name})" for c in self.columns])
        return [Portal(name, jurisdiction, organ, column.url, (urlsplit(column.url).hostname or "",), Profile())
                for name, column in zip(names, self.columns, strict=True)]


def find_columns(url: str, settings: Settings = Settings(), max_pages: int = MAX_PAGES,
                 fetcher: Fetcher | None = None, interval: float = 1.0) -> ColumnChoice:
    """The annual-report columns linked from `url` or its 信息公开 pages (through `fetcher`
    where a search of many portals shares one; `interval` seconds between requests to
    one host), and why they were chosen."""
    fetcher = fetcher or Fetcher(RawStore("memory://xxgk-portal-search"), {}, settings)
    rules = Rules((urlsplit(url).hostname or "",), interval)
    visited: list[str] = []
    errors: list[str] = []
    found: dict[str, Column] = {}
    pending: list[tuple[str, Context]] = [(url, None)]
    while pending and len(visited) < max_pages and not any(c.combined for c in found.values()):
        page_url, context = pending.pop(0)
        visited.append(page_url)
        page = fetcher.get(page_url, rules)
        if not page.ok:
            errors.append(f"{page_url}: {page.error}")
            continue
        on_page = page_columns(page_text(page.body or b"", page.charset), page.final_url or page_url, context)
        for column in on_page.columns:
            if column.url not in found or column.score > found[column.url].score:
                found[column.url] = column
        queued = {u for u, _ in pending}
        pending += [(u, "disclosure") for u in on_page.disclosure if u not in visited and u not in queued]
    if not found:
        raise ColumnNotFound(f"no link to an annual-report column (信息公开年报) on {url} or its 信息公开 pages"
                             + (f" ({'; '.join(errors)})" if errors else "")
                             + "; add the entry by hand with the column's URL")
    return _choose(list(found.values()), fetcher, rules)


def _choose(found: list[Column], fetcher: Fetcher, rules: Rules) -> ColumnChoice:
    """The combined column where there is one (checked against its sub-columns: it must
    list reports or further pages); else every sub-column."""
    combined = sorted((c for c in found if c.combined), key=lambda c: -c.score)
    split = [c for c in found if not c.combined]
    parts = "、".join(c.name for c in split)
    if combined and not split:
        best = combined[0]
        return ColumnChoice((best,), f"the column {best.name} lists the annual reports"
                            + (f" (under the heading {best.heading})" if best.heading else ""))
    if combined:
        best = combined[0]
        if _lists_reports(best, fetcher, rules):
            return ColumnChoice((best,), f"the combined column {best.name} lists the reports, so its sub-columns "
                                         f"{parts} are not entered separately")
        why = f"the combined column {best.name} lists no report, so"
    else:
        headings = list(dict.fromkeys(c.heading for c in split if c.heading))
        under = (f" under the heading {'、'.join(headings)}"
                 + (" (which links nowhere)" if not any(c.heading_linked for c in split if c.heading) else "")
                 ) if headings else ""
        why = f"the annual reports are split{under} and no combined column is linked, so"
    return ColumnChoice(tuple(split), f"{why} each of {parts} is entered as a column of this jurisdiction "
                                      "(departments' and towns' reports keep the organ their titles name)")


def _lists_reports(column: Column, fetcher: Fetcher, rules: Rules) -> bool:
    page = fetcher.get(column.url, rules)
    if not page.ok:
        return False
    found = listing(page_text(page.body or b"", page.charset), page.final_url or column.url)
    return bool(found.reports or found.next)


def _distinct(names: list[str]) -> list[str]:
    """The names, a repeated one numbered (registry names are unique)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} {seen[name]}")
    return out


def portal_entries(url: str, jurisdiction: str, organ: str | None = None,
                   settings: Settings = Settings()) -> tuple[list[Portal], str]:
    """Registry entries for the portal at `url` (one per column chosen), the organ
    defaulting to the jurisdiction's 人民政府; and why those columns."""
    if jurisdiction not in division_names():
        raise UsageError(f"{jurisdiction} is not a known GB/T 2260 code")
    choice = find_columns(url, settings)
    organ = organ or f"{division_names()[jurisdiction]}人民政府"
    return choice.portals(organ, jurisdiction), choice.reason
