"""The address policy and the guarded connection: every special-purpose range is refused,
IPv6 encodings of blocked IPv4 addresses too; the connection goes to the address that was
checked, TLS still verifies the host name, and the deadline holds under TLS."""

from __future__ import annotations

import ipaddress
import ssl
import time

import pytest
import trustme
import urllib3

from tests.faults.servers import answer, scripted_server
from xxgk.crawler import safety
from xxgk.crawler.client import Client
from xxgk.crawler.connection import Policy
from xxgk.crawler.http import Fetcher, Rules, Settings
from xxgk.crawler.store import RawStore
from xxgk.schemas.connections import Network

BODY = b"secret"
INTERNAL = answer("200 OK", {"Content-Length": str(len(BODY))}, BODY)


def client(allow_private: bool = True, deadline: float = 300.0, ca_bundle: str | None = None) -> Client:
    """The crawler's client, every name resolving to 127.0.0.1."""
    return Client(Policy(deadline, allow_private, resolver=lambda host: ["127.0.0.1"]), "test",
                  network=Network(ca_bundle=ca_bundle))


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "169.254.169.254", "100.64.0.1", "192.0.0.8", "192.0.2.1", "198.18.0.1", "0.0.0.0",
    "224.0.0.1", "240.0.0.1", "255.255.255.255",
    "::1", "::", "fe80::1", "fc00::1", "ff02::1", "2001:db8::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1",                       # IPv4-mapped
    "2002:7f00:1::", "2002:a9fe:a9fe::", "2002:c000:8::",        # 6to4 of loopback, link-local, 192.0.0.8
    "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::1",     # NAT64
    "2001:0:4136:e378:8000:63bf:80ff:fffe",                      # Teredo, client 127.0.0.1
])
def test_a_special_purpose_address_is_not_public(address):
    assert safety.non_public(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "2002:5db8:d822::", "64:ff9b::5db8:d822"])
def test_a_public_address_and_its_encodings_are_public(address):
    assert safety.non_public(ipaddress.ip_address(address)) is None


def test_a_name_that_rebinds_after_the_check_is_refused_at_the_connection(tmp_path, monkeypatch):
    """The check sees 127.0.0.2 (counted public here, and nothing listens there); the
    connection's lookup answers 127.0.0.1, where an internal service listens."""
    monkeypatch.setattr(safety, "non_public", lambda a: None if str(a) == "127.0.0.2" else "loopback")
    answers = iter([["127.0.0.2"]])
    resolver = lambda host: next(answers, ["127.0.0.1"])  # noqa: E731
    with scripted_server({"/admin": INTERNAL, "/robots.txt": INTERNAL}) as server:
        url = server.url("/admin", host="rebind.test")
        fetcher = Fetcher(RawStore(str(tmp_path)), {}, Settings(retries=0), resolver=resolver)
        fetched = fetcher.get(url, Rules(("rebind.test",), 0.0))
        assert fetched.outcome == "refused" and "resolves to 127.0.0.1, a loopback address" in fetched.error
        assert server.paths == []


def test_the_connection_goes_to_the_resolved_address_and_keeps_the_host_name():
    with scripted_server({"/a": INTERNAL}) as server:
        response = client().request("GET", server.url("/a", host="portal.invalid"), timeout=(5, 5))
        assert response.read() == BODY and server.hosts == [f"portal.invalid:{server.port}"]


def test_the_connection_refuses_a_private_address_whatever_checked_before(tmp_path):
    with scripted_server({"/a": INTERNAL}) as server:
        with pytest.raises(safety.Refused, match="loopback"):
            client(allow_private=False).request("GET", server.url("/a", host="portal.invalid"), timeout=(5, 5))
        assert server.paths == []


@pytest.fixture(scope="module")
def authority():
    return trustme.CA()


def tls_server(authority, name: str, names_seen: list[str]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(name).configure_cert(context)
    context.sni_callback = lambda sock, server_name, _: names_seen.append(server_name)
    return context


def test_tls_to_the_checked_address_sends_and_verifies_the_host_name(authority, tmp_path):
    seen: list[str] = []
    with scripted_server({"/a": INTERNAL}, tls=tls_server(authority, "portal.test", seen)) as server:
        authority.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
        response = client(ca_bundle=str(tmp_path / "ca.pem")).request("GET", f"https://portal.test:{server.port}/a",
                                                                      timeout=(5, 5))
        assert response.read() == BODY and seen == ["portal.test"]


def test_tls_with_a_certificate_for_another_name_is_refused(authority, tmp_path):
    with scripted_server({"/a": INTERNAL}, tls=tls_server(authority, "elsewhere.test", [])) as server:
        authority.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
        with pytest.raises(urllib3.exceptions.SSLError):
            client(ca_bundle=str(tmp_path / "ca.pem")).request("GET", f"https://portal.test:{server.port}/a",
                                                               timeout=(5, 5))
        assert server.paths == []


@pytest.mark.slow
def test_a_trickling_tls_response_ends_at_the_deadline(authority, tmp_path):
    trickle = answer("200 OK", {"Content-Length": "100"}, b"x" * 100, pause=0.1, trickle=True)
    with scripted_server({"/slow": trickle}, tls=tls_server(authority, "portal.test", [])) as server:
        authority.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
        started = time.monotonic()
        with pytest.raises(urllib3.exceptions.HTTPError):
            client(deadline=1.0, ca_bundle=str(tmp_path / "ca.pem")).request(
                "GET", f"https://portal.test:{server.port}/slow", timeout=(2.0, 5.0)).read()
        assert time.monotonic() - started < 2.5
