"""Crawling portals: list pages → report links → detail pages → report documents.

A portal is crawled by one thread, in order (the natural shape of following a site's
pages, and its rate limit serializes its requests anyway); portals run side by side,
bounded by `workers`, with the fetcher's global bound on requests in flight. The
result is plain data: the reports found, each with its document in the raw store and
whether it is new, changed or unchanged since the last run.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime

from xxgk.crawler.discover import ReportLink, is_attachment, listing, page_text, report_document
from xxgk.crawler.http import Fetched, Fetcher, Rules
from xxgk.crawler.registry import Portal
from xxgk.schemas.crawl_log import Found


@dataclass(frozen=True)
class FoundReport:
    """A report document a portal lists, as the registry and the link title describe it:
    the portal's jurisdiction; the organ the title names, else the portal's; the title's year."""

    portal: str
    jurisdiction: str
    organ: str
    year: int
    title: str
    url: str                 # the document: an attachment, or the detail page itself
    sha256: str
    stored_at: str
    size: int
    charset: str | None
    fetched_at: datetime
    status: Found


@dataclass
class PortalCrawl:
    portal: str
    reports: list[FoundReport] = field(default_factory=list)
    error: str | None = None  # why the portal could not be crawled at all


PORTAL_BUDGET = 2 * 3600.0  # seconds one portal may take in one run; the rest waits for the next run


def crawl(portals: Iterable[Portal], fetcher: Fetcher, years: set[int] | None = None, *,
          workers: int = 32, budget: float = PORTAL_BUDGET) -> Iterator[PortalCrawl]:
    """Every portal crawled, each yielded as soon as it is done (so its results can be
    recorded while slower portals go on); one that fails says so in its PortalCrawl."""
    portals = list(portals)
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(portals) or 1)), thread_name_prefix="crawl") as pool:
        pending = [pool.submit(crawl_portal, portal, fetcher, years, budget) for portal in portals]
        for done in as_completed(pending):
            yield done.result()


def crawl_portal(portal: Portal, fetcher: Fetcher, years: set[int] | None = None,
                 budget: float = PORTAL_BUDGET) -> PortalCrawl:
    """The portal's reports, within `budget` seconds: a portal that takes longer keeps what
    it found and says how much it left for the next run."""
    result = PortalCrawl(portal.name)
    deadline = time.monotonic() + budget
    try:
        links = _report_links(portal, fetcher, years, result, deadline)
        seen: set[str] = set()
        for done, link in enumerate(links):
            if time.monotonic() > deadline:
                result.error = (f"time budget of {budget:.0f} s spent: {len(links) - done} of {len(links)} "
                                "report links left for the next run")
                break
            found = _report(portal, fetcher, link)
            if found and found.sha256 not in seen:
                seen.add(found.sha256)
                result.reports.append(found)
    except Exception as error:  # a page no rule foresaw: the portal fails, the crawl goes on
        result.error = f"{type(error).__name__}: {error}"
    return result


def _report_links(portal: Portal, fetcher: Fetcher, years: set[int] | None, result: PortalCrawl,
                  deadline: float) -> list[ReportLink]:
    """The column's list pages, followed breadth-first up to the profile's bound."""
    rules = _rules(portal)
    pending, visited, links = [portal.entry], set(), {}
    while pending and len(visited) < portal.profile.max_pages and time.monotonic() <= deadline:
        url = pending.pop(0)
        if url in visited:
            continue
        visited.add(url)
        page = fetcher.get(url, rules)
        if not page.ok:
            if url == portal.entry:
                result.error = f"the column page could not be read: {page.error}"
            continue
        found = listing(page_text(page.body, page.charset), page.final_url or url, portal.profile)
        for link in found.reports:
            if years is None or link.year in years:
                links.setdefault(link.url, link)
        pending += [u for u in found.next_pages if u not in visited]
    return list(links.values())


def _report(portal: Portal, fetcher: Fetcher, link: ReportLink) -> FoundReport | None:
    rules = _rules(portal)
    fetched = fetcher.get(link.url, rules)
    if fetched.ok and not is_attachment(link.url, portal.profile) and _is_html(fetched):
        attachment = report_document(page_text(fetched.body, fetched.charset), fetched.final_url or link.url,
                                     portal.profile)
        if attachment:
            fetched = fetcher.get(attachment, rules)
    if not fetched.ok:
        return None
    status = "unchanged" if fetched.outcome == "unchanged" else "changed" if fetched.previous_sha256 else "new"
    return FoundReport(portal.name, portal.jurisdiction, link.organ or portal.organ, link.year, link.title,
                       fetched.final_url or fetched.url,
                       fetched.sha256, fetched.stored_at, len(fetched.body), fetched.charset, fetched.fetched_at, status)


def _rules(portal: Portal) -> Rules:
    return Rules(portal.domains, 1.0 / portal.profile.rate, portal.profile.verify_tls)


def _is_html(fetched: Fetched) -> bool:
    content_type = (fetched.content_type or "").lower()
    return "html" in content_type or (not content_type and fetched.body.lstrip()[:1] == b"<")
