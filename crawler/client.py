"""HTTP requests on guarded connections (crawler/connection.py), straight on urllib3.

The crawler sends every request through one `Client`: a urllib3 pool manager per way
out (direct or through the proxy the `Network` names for the origin) and per TLS setting
(verified, or not where a portal's profile says so), each keeping a kept-alive connection
per host. It is urllib3 rather than requests because the crawler uses nothing requests
adds (cookies, auth, hooks, redirects: the fetcher follows those itself, checking each
hop), and requests' preparing and merging of settings on every request was half the
CPU of an exchange.
"""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Mapping
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import urllib3

from xxgk.crawler.connection import GuardedHTTPPool, GuardedHTTPSPool, Policy
from xxgk.schemas.connections import Network

# What a request fails with when the network, not the answer, is at fault: worth a retry.
NETWORK_ERRORS = (urllib3.exceptions.TimeoutError, urllib3.exceptions.ProtocolError,
                  urllib3.exceptions.SSLError, urllib3.exceptions.ProxyError)


class Client:
    """Requests over connections that follow `policy`. `hosts` is how many hosts keep
    their pool (and so their kept-alive connection): a crawl has a host per portal in
    play, and a host whose pool is evicted pays a new TCP (and TLS) handshake on every
    request. `network`: the proxies and CA bundle the edge resolved (xxgk/config.py's
    `network`); none, every request goes direct, verified by the system's CAs."""

    def __init__(self, policy: Policy, user_agent: str, *, hosts: int = 256, per_host: int = 10,
                 network: Network = Network()):
        self.policy, self.hosts, self.per_host = policy, hosts, per_host
        self.proxies, self.ca_bundle = dict(network.proxies), network.ca_bundle
        self.headers = {"User-Agent": user_agent, "Accept": "*/*", **urllib3.util.make_headers(accept_encoding=True)}
        self._managers: dict[tuple[str | None, bool], urllib3.PoolManager] = {}
        self._proxies: dict[str, str | None] = {}
        self._lock = threading.Lock()

    def request(self, method: str, url: str, *, body: bytes | None = None, headers: Mapping[str, str] = {},
                timeout: tuple[float, float], verify: bool = True) -> urllib3.BaseHTTPResponse:
        """The response with its body unread (`stream` it, then `release_conn`); no
        redirect followed, no retry made. Network failures raise NETWORK_ERRORS."""
        manager = self._manager(self._proxy(url), verify)
        return manager.urlopen(method, url, body=body, headers={**self.headers, **headers}, redirect=False,
                               retries=False, preload_content=False,
                               timeout=urllib3.Timeout(connect=timeout[0], read=timeout[1]))

    def close(self) -> None:
        with self._lock:
            managers, self._managers = list(self._managers.values()), {}
        for manager in managers:
            manager.clear()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _proxy(self, url: str) -> str | None:
        """The proxy for the URL's origin (the scheme's, else "all"; none for a host
        "no" lists), worked out once per origin by urllib's rules."""
        key = origin_of(url)
        if key not in self._proxies:
            parts = urlsplit(url)
            proxies = self.proxies
            # proxy_bypass_environment is in urllib.request since Python 3.3, undeclared in typeshed;
            # given the proxies, it reads nothing else.
            bypass = not proxies or urllib.request.proxy_bypass_environment(  # type: ignore[attr-defined]
                parts.hostname or "", proxies)
            self._proxies[key] = None if bypass else proxies.get(parts.scheme) or proxies.get("all")
        return self._proxies[key]

    def _manager(self, proxy: str | None, verify: bool) -> urllib3.PoolManager:
        key = (proxy, verify)
        manager = self._managers.get(key)
        if manager is None:
            with self._lock:
                manager = self._managers.get(key) or self._new_manager(proxy, verify)
                self._managers[key] = manager
        return manager

    def _new_manager(self, proxy: str | None, verify: bool) -> urllib3.PoolManager:
        tls = {"cert_reqs": "CERT_REQUIRED", "ca_certs": self.ca_bundle} if verify else {"cert_reqs": "CERT_NONE"}
        options: dict[str, Any] = dict(num_pools=self.hosts, maxsize=self.per_host, **tls)
        if proxy and proxy.lower().startswith("socks"):  # the proxy resolves and connects: nothing to guard
            from urllib3.contrib.socks import SOCKSProxyManager

            return SOCKSProxyManager(proxy, **options)
        manager = urllib3.ProxyManager(proxy, **options) if proxy else urllib3.PoolManager(**options)
        # Through an HTTP proxy the deadline holds too (the proxy resolves and connects).
        # urllib3 only calls a pool class with the host and its settings: a partial binding
        # the policy serves as one, though the attribute is declared as a dict of classes.
        http, https = partial(GuardedHTTPPool, policy=self.policy), partial(GuardedHTTPSPool, policy=self.policy)
        manager.pool_classes_by_scheme = {"http": http, "https": https}  # type: ignore[dict-item]
        return manager


def origin_of(url: str) -> str:
    """scheme://host[:port]: what a proxy, a politeness limit and a robots.txt hold for."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
