"""Where the crawler may go: the portal's own domains, and public addresses only.

A list page is written by someone else; a link or a redirect on it must not turn the
crawler against an intranet, the machine's own services or a cloud metadata endpoint
(SSRF). So every URL, and every hop of a redirect, is checked against the portal's
allowed domains first (no DNS lookup for a foreign host at all), then its host is
resolved and every address it resolves to must be public, unless the run explicitly
allows private addresses (the demo portal and the tests serve on loopback). The
connection itself resolves and checks again and connects to the address it checked
(crawler/connection.py), so a name that answers differently the second time (DNS
rebinding) cannot slip past the check.

"Public" is Python's `is_global` and more: every special-purpose range of the IANA
registries, and IPv6 addresses that carry an IPv4 address (IPv4-mapped, 6to4, NAT64,
Teredo) are judged by the IPv4 address they carry.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from xxgk.schemas.errors import XxgkError

Resolver = Callable[[str], list[str]]
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Special-purpose ranges that `is_global` lets through in some Python versions.
_SPECIAL = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "198.18.0.0/15",
    "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    "::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "3fff::/20", "5f00::/16",
    "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8"))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Refused(XxgkError):
    """The URL may not be fetched; the message says why, for the crawl log."""


def within_domains(host: str, domains: Iterable[str]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


def resolve(host: str) -> list[str]:
    """Every address the host resolves to (an IP literal resolves to itself)."""
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)})


def check_url(url: str, domains: Iterable[str], *, allow_private: bool, resolver: Resolver = resolve) -> None:
    """Raise Refused unless the URL is http(s) on an allowed domain resolving to allowed
    addresses. A host that does not resolve raises OSError: a failure, not a refusal."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise Refused(f"not an http(s) URL: {url}")
    host = parts.hostname or ""
    if not within_domains(host, domains):
        raise Refused(f"{host or url} is outside the portal's allowed domains")
    if not allow_private:
        public_addresses(host, resolver)


def public_addresses(host: str, resolver: Resolver = resolve) -> list[str]:
    """The host's addresses, all of them public; Refused if any is not (a name that also
    points inward is not trusted with its outward addresses either)."""
    addresses = resolver(host)
    for address in addresses:
        kind = non_public(ipaddress.ip_address(address.split("%")[0]))
        if kind:
            raise Refused(f"{host} resolves to {address}, a {kind} address")
    return addresses


def non_public(address: Address) -> str | None:
    """What kind of non-public address this is (None: a public one)."""
    carried = _carried_ipv4(address)
    if carried is not None:
        kind = non_public(carried)
        return f"{kind} ({carried} carried in {address})" if kind else None
    for kind, flag in (("loopback", address.is_loopback), ("link-local", address.is_link_local),
                       ("private", address.is_private), ("multicast", address.is_multicast),
                       ("reserved", address.is_reserved), ("unspecified", address.is_unspecified)):
        if flag:
            return kind
    if any(address in network for network in _SPECIAL if network.version == address.version):
        return "special-purpose"
    return None if address.is_global else "non-public"


def _carried_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for: IPv4-mapped, 6to4, Teredo (its client), NAT64."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None
