"""HTTP done politely and defensively: one client (crawler/client.py) for the whole crawl.

Every request goes through `Fetcher.get` (a GET, or a form POST for the list APIs some
CMS families page through), which in order: checks the URL against the
portal's domains and the address policy (crawler/safety.py), asks the origin's
robots.txt, waits for the origin's rate-limit slot, sends a conditional GET when an
earlier run left an ETag or Last-Modified, and reads at most `max_bytes` before the
response's deadline. Timeouts, connection errors, 429 and 5xx are retried with
exponential backoff, honouring Retry-After. Redirects are followed by hand, each hop
checked like the first. Every wait a server can ask for is bounded: a Retry-After or a
robots.txt Crawl-delay over the limit fails the URL or skips the site for the run.
Whatever happens on the network becomes one crawl-log entry; no server's answer, however
malformed, raises out of `get`.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import urllib3

from xxgk.crawler.client import NETWORK_ERRORS, Client, origin_of
from xxgk.crawler.connection import Policy
from xxgk.crawler.ratelimit import HostLimiter
from xxgk.crawler.robots import ABSENT, Robots, robots_from, whole_lines
from xxgk.crawler.safety import Refused, Resolver, check_url, resolve
from xxgk.crawler.store import RawStore
from xxgk.schemas.connections import Network
from xxgk.schemas.crawl_log import LogEntry, Outcome, Validators
from xxgk.schemas.errors import XxgkError

USER_AGENT = "xxgk/0.1 (+open data pipeline for government information-disclosure annual reports)"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT = frozenset({301, 308})
RETRIED = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Rules:
    """A portal's terms: where the crawler may go, how fast, whether TLS is verified."""

    domains: tuple[str, ...]
    interval: float = 1.0
    verify_tls: bool = True


@dataclass
class Fetched:
    url: str
    outcome: Outcome
    final_url: str | None = None
    http_status: int | None = None
    body: bytes | None = None
    sha256: str | None = None
    previous_sha256: str | None = None
    stored_at: str | None = None
    content_type: str | None = None
    error: str | None = None
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def ok(self) -> bool:
        return self.outcome in ("fetched", "unchanged")

    @property
    def charset(self) -> str | None:
        return content_charset(self.content_type)


@dataclass(frozen=True)
class _Exchange:
    status: int
    headers: Mapping[str, str]
    body: bytes


class _Failed(XxgkError):
    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Settings:
    allow_private: bool = False
    concurrency: int = 16            # requests in flight at once, over all hosts
    timeout: tuple[float, float] = (10.0, 30.0)  # connect, and each wait for data (seconds)
    deadline: float = 300.0          # seconds from sending a request to the end of its response
    max_bytes: int = 50 * 1024 * 1024
    max_robots_bytes: int = 500 * 1024  # a longer robots.txt is read to its last whole line within this
    retries: int = 3
    backoff: float = 1.0             # seconds before the first retry; doubled each time
    max_retry_after: float = 120.0   # a server asking for a longer pause is given up on
    max_crawl_delay: float = 60.0    # a robots.txt asking for a longer one skips its site for the run
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    network: Network = Network()     # proxies and CA bundle, as the edge resolved them (xxgk/config.py)


class Fetcher:
    def __init__(self, store: RawStore, known: Mapping[str, Validators], settings: Settings = Settings(), *,
                 client: Client | None = None, resolver: Resolver = resolve, limiter: HostLimiter | None = None):
        self.store, self.known, self.settings = store, known, settings
        self.client = client or guarded_client(settings, resolver)
        self.resolver, self.limiter = resolver, limiter or HostLimiter()
        self.log: list[LogEntry] = []
        self.state: dict[str, Validators] = {}
        self._slots = threading.BoundedSemaphore(settings.concurrency)
        self._robots: dict[str, Robots] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, url: str, rules: Rules, form: Mapping[str, str] | None = None) -> Fetched:
        """Fetch `url` under the portal's rules; the outcome is logged and returned. With
        a `form`, the request is a POST of it, logged and validated under
        `request_key(url, form)` (the answer depends on the form as much as on the URL)."""
        try:
            fetched = self._get(url, rules, dict(form) if form else None)
        except Exception as error:  # an answer no rule foresaw fails this URL, never the crawl
            fetched = Fetched(url, "failed", error=f"{type(error).__name__}: {error}")
        self._record(fetched)
        return fetched

    def _get(self, url: str, rules: Rules, form: dict[str, str] | None) -> Fetched:
        current, url = url, request_key(url, form)
        for _ in range(self.settings.max_redirects + 1):
            moved = self.known.get(current)
            if moved and moved.moved_to and not form:
                self._remember(current, moved)
                current = moved.moved_to
                continue
            try:
                check_url(current, rules.domains, allow_private=self.settings.allow_private, resolver=self.resolver)
                robots = self._robots_for(current, rules)
                if not robots.allows(current, self.settings.user_agent):
                    raise Refused(f"robots.txt of {origin_of(current)} answers HTTP {robots.status}: the site forbids "
                                  "crawlers, so nothing there is crawled" if robots.forbidden else
                                  f"robots.txt of {origin_of(current)} could not be read, so nothing there is crawled"
                                  if robots.unreachable else
                                  f"robots.txt of {origin_of(current)} disallows {urlsplit(current).path or '/'}")
                interval = max(rules.interval, self._crawl_delay(current, robots))
                exchange = self._send(current, Rules(rules.domains, interval, rules.verify_tls), form=form)
            except Refused as refusal:
                return Fetched(url, "refused", final_url=current, error=str(refusal))
            except _Failed as failure:
                return Fetched(url, "failed", final_url=current, http_status=failure.status, error=str(failure))
            except OSError as error:  # DNS failure
                return Fetched(url, "failed", final_url=current, error=f"{type(error).__name__}: {error}")
            if exchange.status in REDIRECTS and exchange.headers.get("Location"):
                target = urljoin(current, exchange.headers["Location"])
                if exchange.status in PERMANENT and not form:
                    self._remember(current, Validators(moved_to=target))
                current = target
                form = form if exchange.status in (307, 308) else None
                continue
            return self._outcome(url, request_key(current, form), exchange)
        return Fetched(url, "failed", final_url=current, error=f"more than {self.settings.max_redirects} redirects")

    def _outcome(self, url: str, final_url: str, exchange: _Exchange) -> Fetched:
        previous = self.known.get(final_url)
        content_type = exchange.headers.get("Content-Type")
        common: dict[str, Any] = dict(final_url=final_url, http_status=exchange.status, content_type=content_type,
                      previous_sha256=previous.sha256 if previous else None)
        if exchange.status == 304 and previous and previous.sha256 and self.store.has(previous.sha256):
            self._remember(final_url, previous)
            return Fetched(url, "unchanged", body=self.store.get(previous.sha256), sha256=previous.sha256,
                           stored_at=self.store.where(previous.sha256), **common)
        if not 200 <= exchange.status < 300:
            return Fetched(url, "failed", error=f"HTTP {exchange.status}", **common)
        sha256, stored_at = self.store.put(exchange.body, {
            "url": url, "final_url": final_url, "headers": dict(exchange.headers),
            "fetched_at": datetime.now(UTC).isoformat()})
        self._remember(final_url,
                       Validators(exchange.headers.get("ETag"), exchange.headers.get("Last-Modified"), sha256))
        outcome: Outcome = "unchanged" if previous and previous.sha256 == sha256 else "fetched"
        return Fetched(url, outcome, body=exchange.body, sha256=sha256, stored_at=stored_at, **common)

    def _crawl_delay(self, url: str, robots: Robots) -> float:
        delay, limit = robots.crawl_delay(self.settings.user_agent), self.settings.max_crawl_delay
        if not delay <= limit:  # NaN too
            raise Refused(f"robots.txt of {origin_of(url)} asks for a Crawl-delay of {delay:g} s, over the limit of "
                          f"{limit:g} s, so the site is skipped for this run")
        return delay

    def _robots_for(self, url: str, rules: Rules) -> Robots:
        """The origin's robots.txt, fetched once per crawl (conditionally, like any page).
        Its log entry says what was not taken as written: none there (404, 410: everything
        allowed, no failure), lines past the size bound, a Crawl-delay that is no delay."""
        origin, limit = origin_of(url), self.settings.max_robots_bytes
        with self._lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._robots:
                robots_url = origin + "/robots.txt"
                try:
                    exchange = self._send(robots_url, rules, limit + 1, truncate=True)
                    body, cut = whole_lines(exchange.body, limit)
                    fetched = self._outcome(robots_url, robots_url, _Exchange(exchange.status, exchange.headers, body))
                    robots = robots_from(200 if fetched.ok else fetched.http_status, fetched.body)
                    if fetched.http_status in ABSENT:
                        fetched.outcome, fetched.error = "absent", f"no robots.txt (HTTP {fetched.http_status}): " \
                                                                   "everything allowed"
                    notes = [f"over {limit:,} bytes: read up to its last whole line within them"] if cut else []
                    notes += [note] if (note := robots.crawl_delay_note(self.settings.user_agent)) else []
                    if notes and fetched.ok:
                        fetched.error = "; ".join(notes)
                    self._record(fetched)
                    self._robots[origin] = robots
                except _Failed as failure:
                    self._record(Fetched(robots_url, "failed", http_status=failure.status, error=str(failure)))
                    self._robots[origin] = robots_from(failure.status, None)
            return self._robots[origin]

    def _send(self, url: str, rules: Rules, max_bytes: int | None = None, *, truncate: bool = False,
              form: dict[str, str] | None = None) -> _Exchange:
        """One request, retried on timeouts, connection errors, 429 and 5xx (but not after
        its deadline: a server that slow is not asked again)."""
        origin, settings = origin_of(url), self.settings
        for attempt in range(settings.retries + 1):
            last = attempt == settings.retries
            delay = settings.backoff * 2 ** attempt
            try:
                with self.limiter.turn(origin, rules.interval), self._slots:
                    started = time.monotonic()
                    try:
                        exchange = self._exchange(url, rules, max_bytes or settings.max_bytes, truncate, form)
                    finally:
                        if time.monotonic() - started >= settings.deadline:
                            raise _Failed(f"no complete response within the deadline of {settings.deadline:g} s")
            except NETWORK_ERRORS as error:
                if last:
                    raise _Failed(f"{type(error).__name__} after {attempt + 1} attempts") from None
                time.sleep(delay)
                continue
            except (urllib3.exceptions.HTTPError, ValueError) as error:  # malformed answers, unusable URLs
                raise _Failed(f"{type(error).__name__}: {error}") from None
            if exchange.status not in RETRIED:
                return exchange
            wait = _retry_after(exchange.headers.get("Retry-After"))
            if last or (wait is not None and wait > settings.max_retry_after):
                raise _Failed(f"HTTP {exchange.status} after {attempt + 1} attempts", exchange.status)
            if wait is not None:
                self.limiter.defer(origin, wait)
            time.sleep(max(delay, wait or 0.0))
        raise AssertionError("unreachable")

    def _exchange(self, url: str, rules: Rules, max_bytes: int, truncate: bool,
                  form: dict[str, str] | None = None) -> _Exchange:
        headers = {}
        known = self.known.get(request_key(url, form))
        if known and known.sha256 and self.store.has(known.sha256):  # a 304 must find the body it refers to
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        body = None
        if form:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(form).encode()
        response = self.client.request("POST" if form else "GET", url, body=body, headers=headers,
                                       timeout=self.settings.timeout, verify=rules.verify_tls)
        return _Exchange(response.status, response.headers, read_body(response, max_bytes, truncate=truncate))

    def drain(self) -> tuple[list[LogEntry], dict[str, Validators]]:
        """The log entries and validators gathered since the last drain: a run records
        each portal's part as the portal finishes, so a stalled portal keeps no other
        portal's results from the warehouse."""
        with self._lock:
            log, self.log = self.log, []
            state, self.state = self.state, {}
        return log, state

    def _record(self, fetched: Fetched) -> None:
        with self._lock:
            self.log.append(LogEntry(fetched.url, fetched.outcome, fetched.http_status, fetched.error,
                                     fetched.fetched_at))

    def _remember(self, url: str, validators: Validators) -> None:
        with self._lock:
            self.state[url] = validators


def request_key(url: str, form: Mapping[str, str] | None) -> str:
    """What a request is known by in the crawl log and the validators: its URL, and for a
    POST the form it sends."""
    return f"{url} POST {urlencode(sorted(form.items()))}" if form else url


class TooLarge(XxgkError):
    """A response over the size limit; the message says by how much it is known to be."""


class Malformed(XxgkError):
    """A response whose headers make no sense (a Content-Length that is not one number)."""


def read_body(response: urllib3.BaseHTTPResponse, max_bytes: int, *, truncate: bool = False) -> bytes:
    """`read_capped`, then the connection back to its pool (closed if the body was left
    unread, so its rest never reaches the next request); an answer over the limit or
    with a malformed length fails with its status."""
    try:
        return read_capped(response, max_bytes, truncate=truncate)
    except (TooLarge, Malformed) as error:
        response.close()
        raise _Failed(str(error), response.status) from None
    finally:
        response.release_conn()


def read_capped(response: urllib3.BaseHTTPResponse, max_bytes: int, *, truncate: bool = False) -> bytes:
    """A streamed response's body, refused as soon as it is known to exceed `max_bytes`
    (its declared length, or what has arrived), so a huge file is never held whole; with
    `truncate`, its first `max_bytes` instead."""
    declared = declared_length(response.headers.get("Content-Length"))
    if declared > max_bytes and not truncate:
        raise TooLarge(f"{declared:,} bytes, over the limit of {max_bytes:,}")
    _read_to_declared_length(response, declared)
    chunks, size = [], 0
    for chunk in response.stream(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            if truncate:
                chunks.append(chunk[:len(chunk) - (size - max_bytes)])
                break
            raise TooLarge(f"over the limit of {max_bytes:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _read_to_declared_length(response: urllib3.BaseHTTPResponse, declared: int) -> None:
    """Where the length is declared as a list of one value ("5, 5"), http.client finds no
    number and reads until the server closes: on a kept-alive connection, until the read
    timeout, and again on each retry (over two minutes a URL). The body ends where the
    value says, as for a single one."""
    raw = getattr(response, "_fp", None)
    if declared and isinstance(raw, http.client.HTTPResponse) and raw.length is None and not raw.chunked:
        raw.length = declared


def declared_length(value: str | None) -> int:
    """Content-Length as a number (0: not declared). Repeats of one value ("5, 5") are
    one value, as RFC 9110 allows; anything else is Malformed."""
    if not value:
        return 0
    values = {v.strip() for v in value.split(",")}
    number = values.pop() if len(values) == 1 else ""
    if not (number.isascii() and number.isdigit()) or len(number) > 18:
        raise Malformed(f"malformed Content-Length header: {value[:40]!r}")
    return int(number)


def guarded_client(settings: Settings, resolver: Resolver = resolve) -> Client:
    """A client whose connections go only to checked addresses and end at the deadline."""
    return Client(Policy(settings.deadline, settings.allow_private, resolver), settings.user_agent,
                  hosts=max(settings.concurrency, 256), per_host=max(settings.concurrency, 10),
                  network=settings.network)


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def content_charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    message = Message()
    message["content-type"] = content_type
    return message.get_param("charset")  # type: ignore[return-value]
