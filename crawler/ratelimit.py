"""Politeness per host: one request at a time to an origin, and `interval` seconds from
the end of one to the start of the next.

Measuring from the end of the previous response (not its start) is what guarantees the
server sees requests at least `interval` apart, whatever the delays between our clock
and its; and it never puts two requests in flight on a small county server. Threads
crawling different hosts never wait for each other. A host that answers 429 or 503 with
Retry-After is deferred as a whole, not just the one request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class HostLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._turns: dict[str, threading.Lock] = {}
        self._next: dict[str, float] = {}

    @contextmanager
    def turn(self, origin: str, interval: float) -> Iterator[None]:
        """Hold the origin for one request: wait for its turn, and when the request is
        done, keep the origin free of requests for `interval` seconds."""
        with self._lock:
            turn = self._turns.setdefault(origin, threading.Lock())
        with turn:
            wait = self._next.get(origin, 0.0) - self._clock()
            if wait > 0:
                self._sleep(wait)
            try:
                yield
            finally:
                with self._lock:
                    self._next[origin] = max(self._next.get(origin, 0.0), self._clock() + interval)

    def defer(self, origin: str, seconds: float) -> None:
        """Nothing starts on this origin for `seconds` (the server asked us to wait)."""
        with self._lock:
            self._next[origin] = max(self._next.get(origin, 0.0), self._clock() + seconds)
