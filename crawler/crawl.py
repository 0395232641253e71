"""Crawling portals: list pages → report links → detail pages → report documents.

A portal is crawled by one thread, in order (the natural shape of following a site's
pages, and its rate limit serializes its requests anyway); portals run side by side,
bounded by `workers`, with the fetcher's global bound on requests in flight. The
result is plain data: the reports found, each with its document in the raw store and
whether it is new, changed or unchanged since the last run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime

from xxgk.crawler.discover import ReportLink, credit, is_attachment, listing, page_text, report_document
from xxgk.crawler.families import PageRequest
from xxgk.crawler.http import Fetched, Fetcher, Rules, request_key
from xxgk.crawler.registry import Portal
from xxgk.crawler.store import RawStore
from xxgk.schemas import divisions
from xxgk.schemas.crawl_log import DiscoveryRecord, Found
from xxgk.schemas.identity import ReportIdentity
from xxgk.schemas.titles import read_title


@dataclass(frozen=True)
class FoundReport:
    """A report document a portal lists, and whose it is as the registry and the link
    title describe it (discover.credit): the listing's side of the report's identity."""

    portal: str
    identity: ReportIdentity
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
    family: str | None = None           # the CMS family of the column page
    declared_total: int | None = None   # records the column declares (largest declaration seen)
    declared_pages: int | None = None   # pages the column declares
    reached: int = 0                    # distinct list items the listing pages gave
    reports_listed: int = 0             # of them, titled as reports (of any year)
    others_named: int = 0               # of them, titled as something else of a year (a plan, a guide, a notice…)
    pages_read: int = 0                 # listing pages and API answers read
    unvisited: list[str] = field(default_factory=list)  # further pages left at the page limit
    candidates: list[DiscoveryRecord] = field(default_factory=list)
    entry: str = ""

    @property
    def shortfall(self) -> str | None:
        """What the column declares and discovery did not account for, for the run summary,
        the discovery log and `xxgk explain`: records neither read as reports nor titled
        as something else (not reached, or titles not recognised), or pages not read."""
        if self.declared_total is not None and self.reports_listed + self.others_named < self.declared_total:
            return (f"column declares {self.declared_total} records, {self.reports_listed} read as reports and "
                    f"{self.others_named} as other pages ({self.reached} list items reached)")
        if self.declared_pages is not None and self.pages_read < self.declared_pages:
            return f"column declares {self.declared_pages} pages, {self.pages_read} read"
        return None

    def discovery_records(self) -> list[DiscoveryRecord]:
        """The candidates, the requests left at the page limit, and the shortfall, for the warehouse."""
        left = [DiscoveryRecord(self.portal, self.entry, url, "page limit") for url in self.unvisited]
        short = [DiscoveryRecord(self.portal, self.entry, self.entry, self.shortfall)] if self.shortfall else []
        return self.candidates + left + short


PORTAL_BUDGET = 2 * 3600.0  # seconds one portal may take in one run; the rest waits for the next run
ONE_AT_A_TIME = 256 * 1024  # characters: pages up to this size are parsed one at a time (`_parsing`)
_PARSING = threading.Lock()


def crawl(portals: Iterable[Portal], fetcher: Fetcher, years: set[int] | None = None, *,
          workers: int = 32, budget: float = PORTAL_BUDGET) -> Iterator[PortalCrawl]:
    """Every portal crawled, each yielded as soon as it is done (so its results can be
    recorded while slower portals go on); one that fails says so in its PortalCrawl."""
    portals = list(portals)
    divisions.load()
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(portals) or 1)), thread_name_prefix="crawl") as pool:
        pending = [pool.submit(crawl_portal, portal, fetcher, years, budget) for portal in portals]
        for done in as_completed(pending):
            yield _stored(done.result(), fetcher.store)
    fetcher.store.wait_written()  # the list pages and robots.txt files too, before the crawl is over


def _stored(result: PortalCrawl, store: RawStore) -> PortalCrawl:
    """The portal's result once its documents are written (the store may write behind
    the crawl); a document that could not be written is no report, and the portal says so."""
    failed = store.wait_written(report.sha256 for report in result.reports)
    if failed:
        result.reports = [report for report in result.reports if report.sha256 not in failed]
        reason = next(iter(failed.values()))
        result.error = result.error or f"{len(failed)} of its documents could not be stored: {reason}"
    return result


def crawl_portal(portal: Portal, fetcher: Fetcher, years: set[int] | None = None,
                 budget: float = PORTAL_BUDGET) -> PortalCrawl:
    """The portal's reports, within `budget` seconds: a portal that takes longer keeps what
    it found and says how much it left for the next run."""
    result = PortalCrawl(portal.name, entry=portal.entry)
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
    """The column's list pages and API answers, requested breadth-first up to the
    profile's bound and the time budget; what they declare and what they gave is kept in `result`."""
    rules = _rules(portal)
    pending, visited, links = [PageRequest(portal.entry)], set[tuple[str, tuple]](), dict[str, ReportLink]()
    items: set[str] = set()
    reports: set[str] = set()
    others: set[str] = set()
    while pending and len(visited) < portal.profile.max_pages and time.monotonic() <= deadline:
        request = pending.pop(0)
        if (request.url, request.form) in visited:
            continue
        visited.add((request.url, request.form))
        page = fetcher.get(request.url, rules, dict(request.form) or None)
        if not page.ok:
            if request.url == portal.entry:
                result.error = f"the column page could not be read: {page.error}"
            continue
        base = (page.final_url or request.url) if request.method == "GET" else request.url
        text = page_text(page.body or b"", page.charset)
        with _parsing(text):
            found = listing(text, base, portal.profile, request)
        result.pages_read += 1
        result.family = result.family or found.family
        result.declared_total = _largest(result.declared_total, found.declared_total)
        result.declared_pages = _largest(result.declared_pages, found.declared_pages)
        listed_on = request_key(request.url, dict(request.form))
        for link in found.reports:
            wanted = years is None or link.year in years
            result.candidates.append(DiscoveryRecord(portal.name, listed_on, link.url, "taken" if wanted else
                                                     "year not asked", link.title, link.year,
                                                     credit(link, portal.jurisdiction, portal.organ).jurisdiction_code))
            if wanted:
                links.setdefault(link.url, link)
        result.candidates += [DiscoveryRecord(portal.name, listed_on, url, "not a report title", title)
                              for title, url in found.others]
        items |= {link.url for link in found.reports} | {url for _, url in found.others}
        reports |= {link.url for link in found.reports}
        others |= {url for title, url in found.others if _dated_other(title)}
        pending += [r for r in found.next if (r.url, r.form) not in visited]
    result.reached, result.reports_listed, result.others_named = len(items), len(reports), len(others - reports)
    result.unvisited = list(dict.fromkeys(r.url for r in pending if (r.url, r.form) not in visited))
    return list(links.values())


def _dated_other(title: str) -> bool:
    """Whether a list item's title names some other publication of a year (2023年政务公开工作要点,
    政府信息公开指南（2023年修订）): such items account for a column's records; undated
    ones (a menu's 政府信息公开指南) may be navigation and account for none."""
    reading = read_title(title)
    return reading.is_other and reading.year is not None


def _largest(known: int | None, declared: int | None) -> int | None:
    return declared if known is None else max(known, declared or 0)


def _report(portal: Portal, fetcher: Fetcher, link: ReportLink) -> FoundReport | None:
    rules = _rules(portal)
    fetched = fetcher.get(link.url, rules)
    if fetched.ok and not is_attachment(link.url, portal.profile) and _is_html(fetched):
        text = page_text(fetched.body or b"", fetched.charset)
        with _parsing(text):
            attachment = report_document(text, fetched.final_url or link.url, portal.profile)
        if attachment:
            fetched = fetcher.get(attachment, rules)
    if not fetched.ok:
        return None
    # What an ok fetch always has: the body, stored.
    assert fetched.body is not None and fetched.sha256 is not None and fetched.stored_at is not None
    status: Found = "unchanged" if fetched.outcome == "unchanged" else "changed" if fetched.previous_sha256 else "new"
    return FoundReport(portal.name, credit(link, portal.jurisdiction, portal.organ), link.title,
                       fetched.final_url or fetched.url,
                       fetched.sha256, fetched.stored_at, len(fetched.body), fetched.charset, fetched.fetched_at,
                       status)


def _parsing(text: str) -> AbstractContextManager:
    """Parsing is pure CPU under one GIL: threads parsing at once share it in slices and
    all finish late, so a burst of pages (every portal's first list page at once) holds
    every host past its turn. Taken one at a time, each parse ends as soon as it can. A
    page over ONE_AT_A_TIME parses beside the others, so no page holds them up for long."""
    return _PARSING if len(text) <= ONE_AT_A_TIME else nullcontext()


def _rules(portal: Portal) -> Rules:
    return Rules(portal.domains, 1.0 / portal.profile.rate, portal.profile.verify_tls)


def _is_html(fetched: Fetched) -> bool:
    content_type = (fetched.content_type or "").lower()
    return "html" in content_type or (not content_type and (fetched.body or b"").lstrip()[:1] == b"<")
