"""What a worker can be asked to do besides extracting: hog memory, hang, crash. Module
level, since the worker processes import them by name."""

from __future__ import annotations

import os
import time

from xxgk.extractors.extract import Overrides, extract


def misbehave(data: bytes, source: str, charset: str | None, overrides: Overrides):
    """Extract the document, unless its name says to misbehave."""
    if source == "hog":
        hoard = [bytearray(64 * 1024 * 1024) for _ in range(1024)]  # 64 GiB, if the limit let it
        return hoard
    if source == "hang":
        time.sleep(3600)
    if source == "crash":
        os.abort()
    return extract(data, source, charset=charset, overrides=overrides)
