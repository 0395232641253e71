"""Connections that go where the address policy allows, and last no longer than a deadline.

Checking a URL's host and then letting the HTTP library resolve it again would connect
to whatever the second lookup says: a name can answer with a public address for the
check and with 127.0.0.1 for the connection (DNS rebinding). So the connection resolves
the name itself, checks every address (crawler/safety.py) and connects to the checked
one; TLS still sends the host name (SNI) and verifies the certificate for it.

A read timeout bounds each wait for data, not the whole response: a server sending one
byte every few seconds never trips it. So each request also has a deadline, counted
from when it is sent; a watchdog thread shuts the connection's socket when it passes,
which ends whatever read is waiting, headers or body.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import connection as urllib3_connection

from xxgk.crawler.safety import Resolver, public_addresses, resolve


@dataclass(frozen=True)
class Policy:
    """Where connections may go and how long a request may take in all."""

    deadline: float                  # seconds from sending a request to the end of its response
    allow_private: bool = False      # connect to any address (the demo portal and tests on loopback)
    resolver: Resolver = resolve


class _Watchdog:
    """One thread for all connections: calls each armed action when its time comes,
    unless it was disarmed first. Deadlines are minutes long and kept to within
    `SLACK`: the thread wakes once for all the deadlines due within it, and arming one
    wakes it only when the new deadline is the earliest (the crawler arms one per
    request, hundreds a second)."""

    SLACK = 0.5  # seconds

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        """Nothing armed, no thread yet (also in a forked child, which has no threads)."""
        self._due: list[tuple[float, int, list]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def arm(self, seconds: float, action: Callable[[], None]) -> list:
        """Call `action` in `seconds`; the returned token disarms it (`token.clear()`)."""
        token = [action]
        with self._wake:
            heapq.heappush(self._due, (time.monotonic() + seconds, next(self._order), token))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="xxgk-deadlines", daemon=True)
                self._thread.start()
            elif self._due[0][2] is token:
                self._wake.notify()
        return token

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._due or self._due[0][0] > time.monotonic():
                    self._wake.wait(self._due[0][0] - time.monotonic() + self.SLACK if self._due else None)
                now = time.monotonic()
                tokens = []
                while self._due and self._due[0][0] <= now:
                    tokens.append(heapq.heappop(self._due)[2])
            for token in tokens:
                try:
                    action = token[0]
                except IndexError:  # disarmed, even now
                    continue
                # A connection closing as its deadline passes: nothing left to end.
                with contextlib.suppress(Exception):
                    action()


_WATCHDOG = _Watchdog()
os.register_at_fork(after_in_child=_WATCHDOG.reset)


class _Guarded(HTTPConnection):
    """What the HTTP and HTTPS connections add: a checked address, a deadline per request.
    A base of both: before HTTPSConnection in their order, so its `super()` is TLS's."""

    policy: Policy
    _deadline_token: list | None = None
    _socket: socket.socket | None = None  # kept: http.client drops `sock` once a response owns it

    def _new_conn(self) -> socket.socket:
        if self.proxy is not None or getattr(self, "_tunnel_host", None):  # the proxy resolves and connects
            return super()._new_conn()
        policy = self.policy
        try:
            addresses = (policy.resolver(self.host) if policy.allow_private
                         else public_addresses(self.host, policy.resolver))
        except socket.gaierror as failure:
            raise NameResolutionError(self.host, self, failure) from failure
        error: Exception = NewConnectionError(self, f"{self.host} resolves to no address")
        for address in addresses:
            try:
                return urllib3_connection.create_connection(
                    (address.split("%")[0], self.port), self.timeout, source_address=self.source_address,
                    socket_options=self.socket_options)
            except TimeoutError as timeout:
                error = ConnectTimeoutError(
                    self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})")
                error.__cause__ = timeout
            except OSError as failure:
                error = NewConnectionError(self, f"Failed to establish a new connection: {failure}")
        raise error

    def connect(self) -> None:
        super().connect()
        self._socket = self.sock

    def request(self, *args, **kwargs):
        self.disarm()
        self._deadline_token = _WATCHDOG.arm(self.policy.deadline, self._expire)
        return super().request(*args, **kwargs)

    def disarm(self) -> None:
        if self._deadline_token is not None:
            self._deadline_token.clear()
            self._deadline_token = None

    def _expire(self) -> None:
        sock = self._socket
        if sock is not None:
            # The plain socket's shutdown, under TLS too: the TLS layer stays with the reader's thread.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


class GuardedHTTPConnection(_Guarded, HTTPConnection):
    def __init__(self, *args, policy: Policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = policy


class GuardedHTTPSConnection(_Guarded, HTTPSConnection):
    def __init__(self, *args, policy: Policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = policy


class _GuardedPool(HTTPConnectionPool):
    def _put_conn(self, conn) -> None:
        if conn is not None:
            conn.disarm()
        super()._put_conn(conn)


class GuardedHTTPPool(_GuardedPool, HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSPool(_GuardedPool, HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection

