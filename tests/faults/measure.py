"""A command run as a user runs it, its cost measured over every process it starts: wall
time, and the peak of its processes' resident memory summed (sampled every 20 ms)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass

import psutil

MiB = 1024 * 1024


@dataclass(frozen=True)
class Measured:
    status: int
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float  # the most the command's processes held at once, summed


def run_measured(*argv: str, env: dict[str, str] | None = None, timeout: float = 300, module: str = "xxgk"
                 ) -> Measured:
    """`xxgk argv…` (or another `module`'s) in a fresh interpreter."""
    started = time.monotonic()
    process = psutil.Popen([sys.executable, "-m", module, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env={**os.environ, **(env or {})}, text=True)
    peak = 0
    try:
        while process.poll() is None:
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"xxgk {' '.join(argv)} ran over {timeout} s")
            peak = max(peak, _tree_rss(process))
            time.sleep(0.02)
        stdout, stderr = process.communicate()
    finally:
        for child in _tree(process):
            child.kill()
    return Measured(process.returncode, stdout, stderr, time.monotonic() - started, peak / MiB)


def _tree(process: psutil.Process) -> list[psutil.Process]:
    try:
        return [process, *process.children(recursive=True)]
    except psutil.Error:
        return []


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in _tree(process):
        with contextlib.suppress(psutil.Error):
            total += member.memory_info().rss
    return total
