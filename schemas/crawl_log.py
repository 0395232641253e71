"""What a crawl leaves for the warehouse: a log entry per request, and each URL's
validators for the next run's conditional requests. Records of the crawler's contract
with the warehouse, kept here so that neither has to import the other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

# Of one request; `absent`: a resource whose absence is an answer (no robots.txt), not a failure.
Outcome = Literal["fetched", "unchanged", "refused", "failed", "absent"]
Found = Literal["new", "changed", "unchanged"]  # a report document against the last run


@dataclass(frozen=True)
class Validators:
    """What a URL's last successful fetch left for the next run's conditional GET."""

    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    moved_to: str | None = None   # a permanent redirect's target, followed without asking again


@dataclass(frozen=True)
class LogEntry:
    url: str
    outcome: Outcome
    http_status: int | None
    error: str | None
    logged_at: datetime


@dataclass(frozen=True)
class DiscoveryRecord:
    """A link discovery met on a portal's listing pages (or a request it left unsent), and
    why it was taken or not: `taken`, `year not asked`, `not a report title`, `page limit`,
    or the column's declared total not reached. What `xxgk explain` reads back."""

    portal: str
    listed_on: str               # the listing page or list-API request it was found on
    url: str
    reason: str
    title: str | None = None
    year: int | None = None
    jurisdiction_code: str | None = None  # whose report discovery takes it for (report titles only)
