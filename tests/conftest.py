"""Fixtures shared by the crawler and flow tests: the demo portal served on loopback,
once per session (its documents are rendered once), and a first crawl of it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from xxgk.config import seed_report
from xxgk.crawler.crawl import PortalCrawl, crawl
from xxgk.crawler.http import Fetcher, Settings
from xxgk.crawler.store import RawStore
from xxgk.flows import own_memory
from xxgk.samples.portal import build_sites
from xxgk.samples.portal_server import DemoPortal

DEMO_RATE = 5.0  # requests per second per host in the crawler tests
# Fixtures that build a world before their first test can run (the demo portal and a
# crawl of it, OCR of scans, a Datasette server, a backfill): a test using one is slow.
SLOW_FIXTURES = frozenset({"demo_portal", "first_crawl", "scanned", "degraded", "served", "since_2008"})


def pytest_configure() -> None:
    """The session's process holds hundreds of tests and their servers: commands run in it
    are not held to one command's bound (tests of the bound run commands in their own
    interpreters)."""
    own_memory.WATCHED = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@dataclass
class Crawled:
    portal: DemoPortal
    results: list[PortalCrawl]
    fetcher: Fetcher
    store: RawStore
    first_request: int   # index of the crawl's first request in the portal's log
    last_request: int


@pytest.fixture(scope="session")
def demo_portal():
    with DemoPortal(build_sites(seed_report=seed_report())) as portal:
        yield portal


def crawl_demo(portal: DemoPortal, store: RawStore, known=None, **settings) -> Crawled:
    fetcher = Fetcher(store, known or {}, Settings(allow_private=True, backoff=0.2, **settings))
    first = len(portal.requests)
    results = list(crawl(portal.registry(rate=DEMO_RATE), fetcher))
    return Crawled(portal, results, fetcher, store, first, len(portal.requests))


@pytest.fixture(scope="session")
def first_crawl(demo_portal, tmp_path_factory) -> Crawled:
    return crawl_demo(demo_portal, RawStore(str(tmp_path_factory.mktemp("store"))))
