"""Where the crawler may go: the portal's own domains, and public addresses only.

A list page is written by someone else; a link or a redirect on it must not turn the
crawler against an intranet, the machine's own services or a cloud metadata endpoint
(SSRF). So every URL, and every hop of a redirect, is checked against the portal's
allowed domains first (no DNS lookup for a foreign host at all), then its host is
resolved and every address it resolves to must be global, unless the run explicitly
allows private addresses (the demo portal and the tests serve on loopback).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from xxgk.schemas.errors import XxgkError

Resolver = Callable[[str], list[str]]


class Refused(XxgkError):
    """The URL may not be fetched; the message says why, for the crawl log."""


def within_domains(host: str, domains: Iterable[str]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


def resolve(host: str) -> list[str]:
    """Every address the host resolves to (an IP literal resolves to itself)."""
    return sorted({info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)})


def check_url(url: str, domains: Iterable[str], *, allow_private: bool, resolver: Resolver = resolve) -> None:
    """Raise Refused unless the URL is http(s) on an allowed domain resolving to allowed
    addresses. A host that does not resolve raises OSError: a failure, not a refusal."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise Refused(f"not an http(s) URL: {url}")
    host = parts.hostname or ""
    if not within_domains(host, domains):
        raise Refused(f"{host or url} is outside the portal's allowed domains")
    if allow_private:
        return
    for address in resolver(host):
        kind = _non_public(ipaddress.ip_address(address.split("%")[0]))
        if kind:
            raise Refused(f"{host} resolves to {address}, a {kind} address")


def _non_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    for kind, flag in (("loopback", address.is_loopback), ("link-local", address.is_link_local),
                       ("private", address.is_private), ("multicast", address.is_multicast),
                       ("reserved", address.is_reserved), ("unspecified", address.is_unspecified)):
        if flag:
            return kind
    return None if address.is_global else "non-public"
