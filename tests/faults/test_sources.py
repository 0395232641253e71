"""What `xxgk extract` is given by hand: a faulty server or a file that is no document
ends as one line on stderr (a SourceError), within its bound."""

from __future__ import annotations

import os
import time

import pytest

from tests.faults.servers import answer, scripted_server
from xxgk.crawler.http import Settings
from xxgk.flows.sources import SourceError, read_source


@pytest.mark.parametrize("headers", [{"Content-Length": "abc"}, {"Content-Length": "5, 6"}])
def test_a_malformed_header_is_one_line(headers):
    with scripted_server({"/bad": answer("200 OK", headers, b"hello")}) as server, \
            pytest.raises(SourceError, match="Content-Length"):
        read_source(server.url("/bad"), 1_000_000)


@pytest.mark.slow
def test_a_trickling_server_ends_at_the_deadline():
    trickle = answer("200 OK", {"Content-Length": "100"}, b"x" * 100, pause=0.1, trickle=True)
    with scripted_server({"/slow": trickle}) as server:
        started = time.monotonic()
        with pytest.raises(SourceError, match="deadline of 1 s"):
            read_source(server.url("/slow"), 1_000_000, Settings(allow_private=True, timeout=(2.0, 5.0), deadline=1.0))
        assert time.monotonic() - started < 2.5


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "report.pdf"
    os.mkfifo(fifo)
    with pytest.raises(SourceError, match="not a regular file"):
        read_source(str(fifo), 1_000_000)


def test_a_device_is_refused_not_read_forever():
    with pytest.raises(SourceError, match="not a regular file"):
        read_source("/dev/zero", 1_000_000)
