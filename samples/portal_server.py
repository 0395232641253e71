"""Serving the demo sites on 127.0.0.1: one HTTP server per site, each on its own port.

A site per port makes each portal its own host (origin) for the crawler's per-host rate
limit and robots.txt, as separate government servers are. The servers behave as the
sites' pages say (slow, failing once, redirecting, missing), answer the form POSTs of
the list APIs (Hanweb's dataproxy.jsp, Fujian's list API), answer conditional requests
with 304 (ETag and Last-Modified), and log every request with its arrival time, so tests
can measure politeness from the server's side.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from xxgk.crawler.registry import Portal, Profile
from xxgk.samples.portal import LAST_MODIFIED, Page, Site, answer_post, link_sites
from xxgk.schemas.identity import ReportIdentity

MAX_FORM_BYTES = 64 * 1024

SLOW_SECONDS = 2.0


@dataclass(frozen=True)
class Request:
    port: int
    path: str
    at: float                 # time.monotonic() on arrival
    conditional: bool         # carried If-None-Match or If-Modified-Since
    status: int
    method: str = "GET"
    form: tuple[tuple[str, str], ...] = ()


class DemoPortal:
    """The sites, served while the object is open (`with DemoPortal(sites) as portal:`)."""

    def __init__(self, sites: list[Site], *, port: int = 0, latency: float = 0.0):
        self.sites, self.latency = sites, latency
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._hits: dict[tuple[int, str], int] = {}
        self._servers = [ThreadingHTTPServer(("127.0.0.1", port + i if port else 0), self._handler(site))
                         for i, site in enumerate(sites)]
        for server in self._servers:
            server.daemon_threads = True
        self._threads: list[threading.Thread] = []
        link_sites(sites, [self.base_url(site) for site in sites])

    def __enter__(self) -> DemoPortal:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self, warm: bool = True) -> None:
        """Serve in background threads; `warm` renders every document ahead of the first
        request, so a crawl does not wait for DOCX rendering."""
        for server in self._servers:
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
            thread.start()
            self._threads.append(thread)
        if warm:
            threading.Thread(target=self._warm, daemon=True).start()

    def close(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def base_url(self, site: Site) -> str:
        return f"http://127.0.0.1:{self._servers[self.sites.index(site)].server_address[1]}"

    def registry(self, rate: float = 5.0) -> list[Portal]:
        """Registry entries for the sites. The rate is above the default 1/s because the
        server is our own, on loopback; politeness is still enforced at that rate."""
        return [Portal(name, site.jurisdiction, site.organ, self.base_url(site) + entry, ("127.0.0.1",),
                       Profile(rate=rate))
                for site in self.sites for name, entry in _columns(site)]

    def manifest(self) -> list[dict[str, Any]]:
        """Every report served: key, document URL, whether a reader takes it, and figures
        by table/row/col (legacy reports' under legacy_summary; None for the seed report
        and the unreadable one)."""
        return [{"key": ReportIdentity(r.jurisdiction_code, r.organ, r.year).key,
                 "jurisdiction_code": r.jurisdiction_code, "organ": r.organ,
                 "year": r.year, "kind": r.kind, "url": self.base_url(site) + r.document_path,
                 "seed": r.spec is None and r.kind == "text", "readable": r.kind != "doc",
                 "figures": None if r.spec is None else _figures(r.spec.values)}
                for site in self.sites for r in site.reports]

    def _warm(self) -> None:
        for site in self.sites:
            for page in site.pages.values():
                page.body()

    def _log(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def _fails_now(self, port: int, path: str) -> bool:
        """Every other request to a flaky page fails, starting with the first, so each
        crawl of it (a request and its retry) meets one 500."""
        with self._lock:
            count = self._hits.get((port, path), 0)
            self._hits[(port, path)] = count + 1
            return count % 2 == 0

    def _handler(self, site: Site) -> type[BaseHTTPRequestHandler]:
        portal = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server: ThreadingHTTPServer  # each site's own, on TCP: its address is (host, port)

            def do_GET(self) -> None:  # noqa: N802 (the http.server API)
                arrived = time.monotonic()
                port = self.server.server_address[1]
                conditional = "If-None-Match" in self.headers or "If-Modified-Since" in self.headers
                status = self._answer(port, site.pages.get(self.path))
                portal._log(Request(port, self.path, arrived, conditional, status))

            def do_POST(self) -> None:  # noqa: N802
                arrived = time.monotonic()
                port = self.server.server_address[1]
                conditional = "If-None-Match" in self.headers or "If-Modified-Since" in self.headers
                length = min(int(self.headers.get("Content-Length") or 0), MAX_FORM_BYTES)
                form = dict(parse_qsl(self.rfile.read(length).decode("utf-8", "replace")))
                status = self._answer(port, answer_post(site, self.path, form))
                portal._log(Request(port, self.path, arrived, conditional, status, "POST", tuple(sorted(form.items()))))

            def _answer(self, port: int, page: Page | None) -> int:
                if portal.latency:
                    time.sleep(portal.latency)
                if page is None:
                    return self._send(404, "text/html", b"<html><body>404 Not Found</body></html>")
                if page.behaviour == "slow":
                    time.sleep(SLOW_SECONDS)
                if page.behaviour == "flaky" and portal._fails_now(port, self.path):
                    return self._send(500, "text/html", b"<html><body>500 Internal Server Error</body></html>")
                if page.behaviour and page.behaviour.startswith("redirect:"):
                    return self._send(301, "text/html", b"", {"Location": page.behaviour.removeprefix("redirect:")})
                body = page.body()
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    return self._send(304, None, b"", {"ETag": etag})
                return self._send(200, page.content_type, body, {"ETag": etag, "Last-Modified": LAST_MODIFIED})

            def _send(self, status: int, content_type: str | None, body: bytes, headers: dict | None = None) -> int:
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return status

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the request log is `DemoPortal.requests`."""

        return Handler


def _figures(values: dict) -> dict[str, int | float | None]:
    return {"/".join(key): float(v) if isinstance(v, Decimal) else v for key, v in sorted(values.items())}


def _columns(site: Site) -> list[tuple[str, str]]:
    """(registry name, path) of a site's annual-report columns: one, or each sub-column
    where the reports are split."""
    if site.columns:
        return [(f"{site.organ} ({name})", path) for name, path in site.columns]
    return [(f"{site.organ} ({site.style})", site.entry)]
