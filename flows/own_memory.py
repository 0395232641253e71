"""The bound on a command's own processes: what it holds beside its extraction workers.

A command's memory is the sum over its processes (xxgk.config.EXTRACTION_LIMITS): each
extraction worker is held to its share by RLIMIT_DATA (flows/isolation.py), and the rest
(the command's own process, the server its workers are forked from, a temporary Prefect
server it started) to what the command keeps for itself. Those cannot take a data limit:
their address space holds gigabytes DuckDB, Arrow and the threads of a crawl reserve and
never touch (1.4 GiB of data segment measured for 270 MiB resident), so a limit on it
would fail at once or bound nothing. So a thread samples what they hold, resident, every
half second: the process and its descendants, except those held by a data limit of their
own (the workers). Past the bound, the command is asked to stop (`check` raises
`OverMemory` at its next step, a one-line reason); one that does not stop within
`GRACE_SECONDS` (its main thread busy in a long call) is ended: the reason is written to
stderr, its descendants killed, and it exits with status 1. What it committed stays (a
warehouse write commits whole or not at all).

Linux only (/proc); elsewhere nothing is watched, nor in a process that runs commands
for others (`WATCHED` False: a test session, whose process and servers are not one
command's).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from xxgk.schemas.errors import XxgkError

WATCHED = True
INTERVAL_SECONDS = 0.5
GRACE_SECONDS = 10.0
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_PROC = Path("/proc")


class OverMemory(XxgkError):
    """The command's own processes held more than their bound; the message says how much."""


class OwnMemoryGuard:
    """Watches the resident memory of this process and its descendants without a data
    limit, against `bound` bytes, while it is entered."""

    def __init__(self, bound: int):
        self.bound = bound
        self.reason: str | None = None  # set once the bound is passed
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="xxgk-own-memory", daemon=True)

    def __enter__(self) -> OwnMemoryGuard:
        if WATCHED and (_PROC / "self" / "statm").exists():
            self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def check(self) -> None:
        """Raise OverMemory once the bound was passed (called between steps of the command)."""
        if self.reason is not None:
            raise OverMemory(self.reason)

    def _watch(self) -> None:
        over_since = None
        while not self._stop.wait(INTERVAL_SECONDS):
            held = own_resident(os.getpid())
            if held <= self.bound:
                over_since = None
                continue
            self.reason = (f"the command's own processes held {held / 1024 ** 2:,.0f} MiB, over their bound of "
                           f"{self.bound / 1024 ** 2:,.0f} MiB (XXGK_OWN_MEMORY_MB), so it was stopped; what it "
                           "had committed stays")
            over_since = over_since or time.monotonic()
            if time.monotonic() - over_since >= GRACE_SECONDS:
                _end(self.reason)


def own_resident(root: int) -> int:
    """Resident bytes of process `root` and its descendants, except the subtrees of those
    held by a data limit of their own."""
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        if pid != root and _data_limited(pid):
            continue
        total += _resident(pid)
        pending += _children(pid)
    return total


def _resident(pid: int) -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int((_PROC / str(pid) / "statm").read_text().split()[1]) * _PAGE
    return 0


def _children(pid: int) -> list[int]:
    found = []
    with contextlib.suppress(OSError):
        for task in (_PROC / str(pid) / "task").iterdir():
            with contextlib.suppress(OSError):
                found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _data_limited(pid: int) -> bool:
    with contextlib.suppress(OSError):
        for line in (_PROC / str(pid) / "limits").read_text().splitlines():
            if line.startswith("Max data size"):
                return line.split()[3] != "unlimited"
    return False


def _descendants(root: int) -> Iterator[int]:
    pending = _children(root)
    while pending:
        pid = pending.pop()
        yield pid
        pending += _children(pid)


def _end(reason: str) -> None:
    """The command did not stop when asked: say why, end its descendants and itself."""
    with contextlib.suppress(OSError):
        sys.stderr.write(f"xxgk: {reason}\n")
        sys.stderr.flush()
    for pid in list(_descendants(os.getpid())):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    os._exit(1)
