"""robots.txt, read as RFC 9309 says: a missing file (4xx) allows everything, an
unreachable one (5xx, network failure) disallows everything for this run, since a
server in trouble is exactly the one not to crawl."""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego


@dataclass(frozen=True)
class Robots:
    rules: Protego | None
    allow_all: bool

    @property
    def unreachable(self) -> bool:
        return self.rules is None and not self.allow_all

    def allows(self, url: str, user_agent: str) -> bool:
        if self.rules is None:
            return self.allow_all
        return bool(self.rules.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float:
        if self.rules is None:
            return 0.0
        return float(self.rules.crawl_delay(user_agent) or 0.0)


def robots_from(status: int | None, body: bytes | None) -> Robots:
    """The rules of a robots.txt response (status None: it could not be fetched)."""
    if status is not None and 200 <= status < 300 and body is not None:
        return Robots(Protego.parse(body.decode("utf-8", errors="replace")), allow_all=True)
    if status is not None and 400 <= status < 500:
        return Robots(None, allow_all=True)
    return Robots(None, allow_all=False)
