"""Where documents given by hand come from (`xxgk extract`, `xxgk load`): a local path or an
http(s) URL, read with limits.

A URL is fetched with `requests` under a connect/read timeout and streamed with a size
cap, so a slow or huge server cannot hang or exhaust the process. The server's declared
charset travels with the bytes for the HTML reader.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

import requests

from xxgk.crawler.http import USER_AGENT, TooLarge, content_charset, read_capped
from xxgk.extractors.extract import MAX_DOCUMENT_BYTES
from xxgk.schemas.errors import XxgkError

TIMEOUT = (10, 60)  # connect, read (seconds)


class SourceError(XxgkError):
    """The input could not be read; the message is one line for stderr."""


@dataclass(frozen=True)
class Source:
    name: str
    data: bytes
    charset: str | None = None


def read_source(path_or_url: str, max_bytes: int = MAX_DOCUMENT_BYTES) -> Source:
    """A local file or an http(s) URL, read whole within `max_bytes`."""
    if path_or_url.startswith(("http://", "https://")):
        return _fetch(path_or_url, max_bytes)
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


def _fetch(url: str, max_bytes: int) -> Source:
    try:
        with requests.get(url, timeout=TIMEOUT, stream=True, headers={"User-Agent": USER_AGENT}) as response:
            response.raise_for_status()
            return Source(url, read_capped(response, max_bytes), content_charset(response.headers.get("Content-Type")))
    except TooLarge as error:
        raise SourceError(f"{url}: {error}") from None
    except requests.RequestException as error:
        raise SourceError(f"{url}: {type(error).__name__}: {error}") from None
