"""Where the CLI's documents come from: a local path or an http(s) URL, read with limits.

A URL is fetched with `requests` under a connect/read timeout and streamed with a size
cap, so a slow or huge server cannot hang or exhaust the process. The server's declared
charset travels with the bytes for the HTML reader.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import requests

from xxgk.crawler.http import USER_AGENT, TooLarge, content_charset, read_capped

TIMEOUT = (10, 60)  # connect, read (seconds)


class SourceError(Exception):
    """The input could not be read; the message is one line for stderr."""


@dataclass(frozen=True)
class Source:
    name: str
    data: bytes
    charset: str | None = None


def load(path_or_url: str, max_bytes: int) -> Source:
    if path_or_url.startswith(("http://", "https://")):
        return _fetch(path_or_url, max_bytes)
    try:
        size = os.path.getsize(path_or_url)
        if size > max_bytes:
            raise SourceError(f"{path_or_url}: {size:,} bytes, over the limit of {max_bytes:,}")
        with open(path_or_url, "rb") as file:
            return Source(path_or_url, file.read())
    except OSError as error:
        raise SourceError(f"{path_or_url}: {error.strerror or error}") from None


def _fetch(url: str, max_bytes: int) -> Source:
    try:
        with requests.get(url, timeout=TIMEOUT, stream=True, headers={"User-Agent": USER_AGENT}) as response:
            response.raise_for_status()
            return Source(url, read_capped(response, max_bytes), content_charset(response.headers.get("Content-Type")))
    except TooLarge as error:
        raise SourceError(f"{url}: {error}") from None
    except requests.RequestException as error:
        raise SourceError(f"{url}: {type(error).__name__}: {error}") from None
