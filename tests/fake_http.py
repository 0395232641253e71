"""A requests transport answering from a table, for hosts that cannot exist in tests
(public names, other domains): the crawler's own session with this adapter mounted."""

from __future__ import annotations

import io

import requests
from requests.adapters import BaseAdapter

Answer = tuple[int, dict[str, str], bytes]  # status, headers, body


class FakeTransport(BaseAdapter):
    """`answers[url]` is a list of answers given in turn (the last one repeats)."""

    def __init__(self, answers: dict[str, list[Answer]]):
        super().__init__()
        self.answers = answers
        self.sent: list[str] = []
        self.headers: dict[str, dict[str, str]] = {}  # the last request's headers, by URL
        self.posted: dict[str, str] = {}              # the last POST's body, by URL

    def send(self, request, **kwargs) -> requests.Response:
        self.sent.append(request.url)
        self.headers[request.url] = dict(request.headers)
        if request.method == "POST":
            self.posted[request.url] = request.body if isinstance(request.body, str) else request.body.decode()
        queue = self.answers.get(request.url, [(404, {}, b"")])
        status, headers, body = queue.pop(0) if len(queue) > 1 else queue[0]
        response = requests.Response()
        response.status_code, response.url, response.request = status, request.url, request
        response.headers.update(headers)
        response.raw = io.BytesIO(body)
        return response

    def close(self) -> None:
        """Nothing to release."""


def session_for(prefix: str, transport: FakeTransport) -> requests.Session:
    session = requests.Session()
    session.mount(prefix, transport)
    return session
