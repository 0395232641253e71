"""Where documents given by hand come from (`xxgk extract`, `xxgk load`): a local path or an
http(s) URL, read with limits.

A URL is fetched with the crawler's guarded client (a connect/read timeout and a
deadline for the whole response) and streamed with a size cap, so a slow, trickling or
huge server cannot hang or exhaust the process, and a malformed answer is one line on
stderr. The server's declared charset travels with the bytes for the HTML reader.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass

import urllib3

from xxgk.crawler.http import Malformed, Settings, TooLarge, content_charset, guarded_client, read_capped
from xxgk.extractors.extract import MAX_DOCUMENT_BYTES
from xxgk.schemas.errors import XxgkError

# What the user asked for by hand may be on any address (an intranet mirror, loopback).
SETTINGS = Settings(allow_private=True, timeout=(10.0, 60.0), deadline=300.0)


class SourceError(XxgkError):
    """The input could not be read; the message is one line for stderr."""


@dataclass(frozen=True)
class Source:
    name: str
    data: bytes
    charset: str | None = None


def read_source(path_or_url: str, max_bytes: int = MAX_DOCUMENT_BYTES, settings: Settings = SETTINGS) -> Source:
    """A local file or an http(s) URL, read whole within `max_bytes`; `settings` bound a
    URL's fetch (timeouts, deadline)."""
    if path_or_url.startswith(("http://", "https://")):
        return _fetch(path_or_url, max_bytes, settings)
    return read_file(path_or_url, max_bytes)


def read_file(path: str, max_bytes: int = MAX_DOCUMENT_BYTES) -> Source:
    """A regular file's bytes; a FIFO, a device or a file over the limit is refused before
    anything is read, so no input can block or exhaust the process."""
    try:
        with open(path, "rb", opener=_nonblocking) as file:
            status = os.fstat(file.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise SourceError(f"{path}: not a regular file")
            if status.st_size > max_bytes:
                raise SourceError(f"{path}: {status.st_size:,} bytes, over the limit of {max_bytes:,}")
            data = file.read(max_bytes + 1)
    except OSError as error:
        raise SourceError(f"{path}: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise SourceError(f"{path}: over the limit of {max_bytes:,} bytes")
    return Source(path, data)


def _nonblocking(path: str, flags: int) -> int:
    """Opening a FIFO for reading blocks until a writer comes; O_NONBLOCK does not."""
    return os.open(path, flags | os.O_NONBLOCK)


def _fetch(url: str, max_bytes: int, settings: Settings) -> Source:
    started = time.monotonic()
    try:
        with guarded_client(settings) as client:
            response = client.request("GET", url, timeout=settings.timeout)
            if response.status >= 400:
                raise SourceError(f"{url}: HTTP {response.status}")
            data = read_capped(response, max_bytes)
            charset = content_charset(response.headers.get("Content-Type"))
    except (TooLarge, Malformed) as error:
        raise SourceError(f"{url}: {error}") from None
    except (urllib3.exceptions.HTTPError, ValueError) as error:  # network failures included
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
