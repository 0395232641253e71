"""robots.txt, read as RFC 9309 says: a missing file (404, 410) is no robots.txt, which
allows everything and is no failure; any other 4xx allows everything too, except 401
and 403, which keep their long-standing meaning for crawlers: the site forbids access,
so nothing there is crawled; an unreachable one (5xx, network failure) disallows
everything for this run, since a server in trouble is exactly the one not to crawl. A file over the size bound is read
up to its last whole line within it (the partial line dropped: `Disallow: /p123…` cut
to `Disallow: /` would shut the whole site). A Crawl-delay is read as written: protego
drops `inf`, `nan` and negative values without a word, so each value is kept aside and
judged here, where what was not taken can be said."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from protego import Protego

ABSENT = frozenset({404, 410})  # no robots.txt: everything allowed
FORBIDDEN = frozenset({401, 403})  # access to robots.txt forbidden: nothing allowed
# A Crawl-delay line as protego reads one ("Crawl-delay: 5", "crawl delay 5"), comments aside.
_CRAWL_DELAY = re.compile(r"^([ \t]*crawl[- ]delay(?:[ \t]*:[ \t]*|[ \t]+))([^#\r\n]*)", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Robots:
    rules: Protego | None
    allow_all: bool
    delays: tuple[str, ...] = ()   # the Crawl-delay values as written; `rules` holds their indexes
    status: int | None = None      # the robots.txt answer's HTTP status, where it gave no rules

    @property
    def unreachable(self) -> bool:
        return self.rules is None and not self.allow_all

    @property
    def forbidden(self) -> bool:
        return self.status in FORBIDDEN

    def allows(self, url: str, user_agent: str) -> bool:
        if self.rules is None:
            return self.allow_all
        return bool(self.rules.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float:
        """The seconds asked for between requests: `inf` where the value is infinite or
        too large to be a number, 0 where none applies or the one that applies is no
        delay at all (`crawl_delay_note` says so)."""
        written = self._written_delay(user_agent)
        return 0.0 if written is None else _seconds(written)[0]

    def crawl_delay_note(self, user_agent: str) -> str | None:
        """Why the Crawl-delay that applies to `user_agent` was not taken, if it was not."""
        written = self._written_delay(user_agent)
        return None if written is None else _seconds(written)[1]

    def _written_delay(self, user_agent: str) -> str | None:
        if self.rules is None:
            return None
        index = self.rules.crawl_delay(user_agent)
        return None if index is None else self.delays[int(index)]


def robots_from(status: int | None, body: bytes | None) -> Robots:
    """The rules of a robots.txt response (status None: it could not be fetched)."""
    if status is not None and 200 <= status < 300 and body is not None:
        delays: list[str] = []

        def mark(line: re.Match) -> str:
            delays.append(line[2].strip())
            return f"{line[1]}{len(delays) - 1}"

        rules = Protego.parse(_CRAWL_DELAY.sub(mark, body.decode("utf-8", errors="replace")))
        return Robots(rules, allow_all=True, delays=tuple(delays))
    if status is not None and 400 <= status < 500 and status not in FORBIDDEN:
        return Robots(None, allow_all=True, status=status)
    return Robots(None, allow_all=False, status=status)


def whole_lines(body: bytes, limit: int) -> tuple[bytes, bool]:
    """The first `limit` bytes of a robots.txt, without the line the bound cuts; and
    whether anything was cut."""
    if len(body) <= limit:
        return body, False
    head = body[:limit]
    end = max(head.rfind(b"\n"), head.rfind(b"\r"))
    return head[:end + 1], True


def _seconds(written: str) -> tuple[float, str | None]:
    """A Crawl-delay value as seconds, and why it is not taken where it is not."""
    try:
        seconds = float(written)
    except ValueError:
        return 0.0, f"Crawl-delay {written[:40]!r} is not a number of seconds: ignored, the portal's own pace kept"
    if math.isnan(seconds) or seconds < 0:
        return 0.0, f"Crawl-delay {written[:40]!r} is not a number of seconds ≥ 0: ignored, the portal's own pace kept"
    return seconds, None
