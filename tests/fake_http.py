"""A client answering from a table, for hosts that cannot exist in tests (public names,
other domains): it stands in for the crawler's client (crawler/client.py)."""

from __future__ import annotations

import io
from collections.abc import Mapping

import urllib3

Answer = tuple[int, dict[str, str], bytes]  # status, headers, body


class FakeClient:
    """`answers[url]` is a list of answers given in turn (the last one repeats)."""

    def __init__(self, answers: dict[str, list[Answer]]):
        self.answers = answers
        self.sent: list[str] = []
        self.headers: dict[str, dict[str, str]] = {}  # the last request's headers, by URL
        self.posted: dict[str, str] = {}              # the last POST's body, by URL

    def request(self, method: str, url: str, *, body: bytes | None = None, headers: Mapping[str, str] = {},
                **options) -> urllib3.HTTPResponse:
        self.sent.append(url)
        self.headers[url] = dict(headers)
        if method == "POST":
            self.posted[url] = (body or b"").decode()
        queue = self.answers.get(url, [(404, {}, b"")])
        status, answer_headers, answer = queue.pop(0) if len(queue) > 1 else queue[0]
        return urllib3.HTTPResponse(io.BytesIO(answer), headers=answer_headers, status=status, preload_content=False)

    def close(self) -> None:
        """Nothing to release."""
