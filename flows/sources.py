"""Where the CLI's documents come from: a local path or an http(s) URL, read with limits.

A URL is fetched with the crawler's guarded session (a connect/read timeout and a
deadline for the whole response) and streamed with a size cap, so a slow, trickling or
huge server cannot hang or exhaust the process, and a malformed answer is one line on
stderr. The server's declared charset travels with the bytes for the HTML reader.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass

import requests

from xxgk.crawler.http import Malformed, Settings, TooLarge, content_charset, guarded_session, read_capped

# What the user asked for by hand may be on any address (an intranet mirror, loopback).
SETTINGS = Settings(allow_private=True, timeout=(10.0, 60.0), deadline=300.0)


class SourceError(Exception):
    """The input could not be read; the message is one line for stderr."""


@dataclass(frozen=True)
class Source:
    name: str
    data: bytes
    charset: str | None = None


def load(path_or_url: str, max_bytes: int, settings: Settings = SETTINGS) -> Source:
    """The document's bytes; `settings` bound a URL's fetch (timeouts, deadline)."""
    if path_or_url.startswith(("http://", "https://")):
        return _fetch(path_or_url, max_bytes, settings)
    try:
        status = os.stat(path_or_url)
        if not stat.S_ISREG(status.st_mode):  # a FIFO would block, /dev/zero never end
            raise SourceError(f"{path_or_url}: not a regular file")
        if status.st_size > max_bytes:
            raise SourceError(f"{path_or_url}: {status.st_size:,} bytes, over the limit of {max_bytes:,}")
        with open(path_or_url, "rb") as file:
            data = file.read(max_bytes + 1)  # a file growing as it is read stops at the limit too
    except OSError as error:
        raise SourceError(f"{path_or_url}: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise SourceError(f"{path_or_url}: over the limit of {max_bytes:,} bytes")
    return Source(path_or_url, data)


def _fetch(url: str, max_bytes: int, settings: Settings) -> Source:
    started = time.monotonic()
    try:
        with guarded_session(settings) as session, session.get(url, timeout=settings.timeout, stream=True) as response:
            response.raise_for_status()
            data = read_capped(response, max_bytes)
            charset = content_charset(response.headers.get("Content-Type"))
    except (TooLarge, Malformed) as error:
        raise SourceError(f"{url}: {error}") from None
    except (requests.RequestException, ValueError) as error:
        reason = _late(started, settings) or f"{type(error).__name__}: {error}"
        raise SourceError(f"{url}: {reason}") from None
    late = _late(started, settings)
    if late:
        raise SourceError(f"{url}: {late}")
    return Source(url, data, charset)


def _late(started: float, settings: Settings) -> str | None:
    if time.monotonic() - started >= settings.deadline:
        return f"no complete response within the deadline of {settings.deadline:g} s"
    return None
