"""Faulty sites against the fetcher: each fault ends as a recorded reason within its bound,
and the portal's other URLs are still fetched."""

from __future__ import annotations

import time

import pytest
import urllib3

from tests.faults.servers import answer, scripted_server
from xxgk import config
from xxgk.crawler.discover import listing
from xxgk.crawler.http import Fetcher, Rules, Settings, guarded_client
from xxgk.crawler.registry import Profile
from xxgk.crawler.store import RawStore

PAGE = b"<html><body>report</body></html>"
OK = answer("200 OK", {"Content-Length": str(len(PAGE)), "Content-Type": "text/html"}, PAGE)
NO_ROBOTS = answer("404 Not Found", {"Content-Length": "0"})
RULES = Rules(("127.0.0.1",), interval=0.0)


def fetcher(tmp_path, **settings) -> Fetcher:
    return Fetcher(RawStore(str(tmp_path)), {}, Settings(allow_private=True, backoff=0.01, retries=1, **settings))


@pytest.mark.slow
def test_a_trickling_body_ends_at_the_deadline_as_a_failure_not_retried(tmp_path):
    trickle = answer("200 OK", {"Content-Length": "100"}, b"x" * 100, pause=0.1, trickle=True)
    with scripted_server({"/robots.txt": NO_ROBOTS, "/slow": trickle, "/next": OK}) as server:
        f = fetcher(tmp_path, deadline=1.0, timeout=(2.0, 5.0))
        started = time.monotonic()
        fetched = f.get(server.url("/slow"), RULES)
        elapsed = time.monotonic() - started
        assert fetched.outcome == "failed" and "deadline of 1 s" in fetched.error
        assert elapsed < 2.5 and server.paths.count("/slow") == 1
        assert f.get(server.url("/next"), RULES).outcome == "fetched"


@pytest.mark.slow
def test_trickling_headers_end_at_the_deadline(tmp_path):
    head = b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 100
    slow = answer("200 OK", {})
    slow = type(slow)(tuple(head[i:i + 1] for i in range(len(head))), pause=0.2)
    with scripted_server({"/robots.txt": NO_ROBOTS, "/slow": slow}) as server:
        started = time.monotonic()
        fetched = fetcher(tmp_path, deadline=1.0, timeout=(2.0, 5.0)).get(server.url("/slow"), RULES)
        assert fetched.outcome == "failed" and "deadline" in fetched.error
        assert time.monotonic() - started < 2.5


@pytest.mark.parametrize("status, headers", [
    ("200 OK", {"Content-Length": "abc"}),
    ("200 OK", {"Content-Length": "5, 6"}),
    ("200 OK", {"Content-Length": "²"}),
    ("503 Service Unavailable", {"Retry-After": "²", "Content-Length": "0"}),
    ("429 Too Many Requests", {"Retry-After": "Thu, 99 Foo 99999 99:99:99 GMT", "Content-Length": "0"}),
    ("200 OK", {"Content-Type": "text/html; charset=\"\udcff", "Content-Length": "5"}),
])
def test_a_malformed_header_fails_its_url_and_the_portal_goes_on(tmp_path, status, headers):
    bad = answer(status, {k: v.encode("utf-8", "surrogateescape").decode("latin-1") for k, v in headers.items()},
                 b"hello")
    with scripted_server({"/robots.txt": NO_ROBOTS, "/bad": bad, "/next": OK}) as server:
        f = fetcher(tmp_path)
        fetched = f.get(server.url("/bad"), RULES)
        assert fetched.outcome in ("failed", "fetched") and (fetched.ok or fetched.error)
        assert f.get(server.url("/next"), RULES).outcome == "fetched"
        assert [entry.url for entry in f.log][-2:] == [server.url("/bad"), server.url("/next")]


@pytest.mark.parametrize("length", ["abc", "5, 6"])
def test_a_content_length_that_is_not_one_number_is_recorded_as_such(tmp_path, length):
    with scripted_server({"/robots.txt": NO_ROBOTS,
                          "/bad": answer("200 OK", {"Content-Length": length}, b"hello")}) as server:
        fetched = fetcher(tmp_path).get(server.url("/bad"), RULES)
        assert fetched.outcome == "failed" and "Content-Length" in fetched.error


def test_a_crawl_delay_over_the_limit_skips_the_site_with_the_reason(tmp_path):
    robots = b"User-agent: *\nCrawl-delay: 1000000000\n"
    with scripted_server({"/robots.txt": answer("200 OK", {"Content-Length": str(len(robots))}, robots),
                          "/a": OK, "/b": OK}) as server:
        f = fetcher(tmp_path, max_crawl_delay=30)
        started = time.monotonic()
        outcomes = [f.get(server.url(path), RULES) for path in ("/a", "/b")]
        assert time.monotonic() - started < 2
        assert all(o.outcome == "refused" and "Crawl-delay of 1e+09 s, over the limit of 30 s" in o.error
                   for o in outcomes)
        assert server.paths == ["/robots.txt"]


def test_robots_txt_is_read_up_to_its_size_cap_and_the_rest_ignored(tmp_path):
    rules = b"".join(b"Disallow: /private/%d/\n" % i for i in range(500_000))  # ~11 MB
    robots = b"User-agent: *\n" + rules + b"Disallow: /late/\n"
    with scripted_server({"/robots.txt": answer("200 OK", {"Content-Length": str(len(robots))}, robots),
                          "/private/7/a": OK, "/late/a": OK}) as server:
        f = fetcher(tmp_path, max_robots_bytes=500 * 1024)
        started = time.monotonic()
        assert f.get(server.url("/private/7/a"), RULES).outcome == "refused"
        assert f.get(server.url("/late/a"), RULES).outcome == "fetched"
        assert time.monotonic() - started < 10


def test_a_page_count_is_capped_before_any_url_is_made(tmp_path):
    page = '<html><script>createPageHTML(4000000, 0, "index", "html");</script></html>'
    started = time.monotonic()
    found = listing(page, "http://portal.test/col/index.html", Profile(max_pages=20))
    assert len(found.next) <= 20 and time.monotonic() - started < 1


@pytest.mark.slow
def test_through_the_environments_proxy_the_deadline_holds_too(monkeypatch):
    trickle = answer("200 OK", {"Content-Length": "100"}, b"x" * 100, pause=0.1, trickle=True)
    with scripted_server({"http://portal.test/slow": trickle}) as proxy:
        monkeypatch.setenv("http_proxy", proxy.url(""))
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.delenv("NO_PROXY", raising=False)
        started = time.monotonic()
        with pytest.raises(urllib3.exceptions.HTTPError):
            guarded_client(Settings(deadline=1.0, network=config.network())).request(
                "GET", "http://portal.test/slow", timeout=(2.0, 5.0)).read()
        assert time.monotonic() - started < 2.5 and proxy.paths == ["http://portal.test/slow"]


def test_a_malformed_robots_txt_answer_keeps_the_site_out_for_the_run_asking_once(tmp_path):
    with scripted_server({"/robots.txt": answer("200 OK", {"Content-Length": "5, 6"}, b"hello"),
                          "/a": OK, "/b": OK}) as server:
        f = fetcher(tmp_path)
        outcomes = [f.get(server.url(path), RULES) for path in ("/a", "/b")]
        assert all(o.outcome == "refused" and "could not be read" in o.error for o in outcomes)
        assert server.paths == ["/robots.txt"]


def test_robots_txt_cut_at_its_size_bound_drops_the_partial_last_line(tmp_path):
    head = b"User-agent: *\n"
    rules = b"".join(b"Disallow: /p%06d/\n" % i for i in range(40_000))  # ~760 KB
    bound = len(head) + 1000 * len(b"Disallow: /p000000/\n") + len(b"Disallow: /")  # the cut leaves "Disallow: /"
    robots = head + rules
    with scripted_server({"/robots.txt": answer("200 OK", {"Content-Length": str(len(robots))}, robots),
                          "/p000007/a": OK, "/p001000/a": OK, "/news/a": OK}) as server:
        f = fetcher(tmp_path, max_robots_bytes=bound)
        assert f.get(server.url("/p000007/a"), RULES).outcome == "refused"
        assert [f.get(server.url(path), RULES).outcome for path in ("/p001000/a", "/news/a")] == ["fetched", "fetched"]
        [robots_entry] = [entry for entry in f.log if entry.url.endswith("/robots.txt")]
        assert robots_entry.outcome == "fetched" and "read up to its last whole line" in robots_entry.error


@pytest.mark.parametrize("headers", [{"Content-Length": "5, 5"}, [("Content-Length", "5"), ("Content-Length", "5")]])
def test_a_content_length_repeating_one_value_is_that_value_at_once(tmp_path, headers):
    kept_alive = answer("200 OK", headers, b"hello", hold=30.0)  # the server never closes: the length must end the body
    with scripted_server({"/robots.txt": NO_ROBOTS, "/a": kept_alive}) as server:
        started = time.monotonic()
        fetched = fetcher(tmp_path, timeout=(2.0, 10.0)).get(server.url("/a"), RULES)
        assert (fetched.outcome, fetched.body) == ("fetched", b"hello") and time.monotonic() - started < 2


@pytest.mark.parametrize("headers", [{"Content-Length": "5, 6"}, [("Content-Length", "5"), ("Content-Length", "6")]])
def test_differing_content_lengths_are_refused_at_once_with_the_reason(tmp_path, headers):
    with scripted_server({"/robots.txt": NO_ROBOTS, "/a": answer("200 OK", headers, b"hello", hold=30.0)}) as server:
        started = time.monotonic()
        fetched = fetcher(tmp_path, timeout=(2.0, 10.0)).get(server.url("/a"), RULES)
        assert fetched.outcome == "failed" and "Content-Length" in fetched.error and "5, 6" in fetched.error
        assert time.monotonic() - started < 2 and server.paths.count("/a") == 1


@pytest.mark.parametrize("delay", ["inf", "1e400", "Infinity"])
def test_an_infinite_crawl_delay_is_over_the_limit_and_skips_the_site_with_the_reason(tmp_path, delay):
    robots = f"User-agent: *\nCrawl-delay: {delay}\n".encode()
    with scripted_server({"/robots.txt": answer("200 OK", {"Content-Length": str(len(robots))}, robots),
                          "/a": OK}) as server:
        fetched = fetcher(tmp_path, max_crawl_delay=30).get(server.url("/a"), RULES)
        assert fetched.outcome == "refused" and "Crawl-delay of inf s, over the limit of 30 s" in fetched.error


@pytest.mark.parametrize("delay", ["nan", "-5", "five", "-inf"])
def test_a_crawl_delay_that_is_no_delay_is_recorded_and_the_portals_pace_kept(tmp_path, delay):
    robots = f"User-agent: *\nDisallow: /private/\nCrawl-delay: {delay}\n".encode()
    with scripted_server({"/robots.txt": answer("200 OK", {"Content-Length": str(len(robots))}, robots),
                          "/a": OK, "/b": OK, "/private/a": OK}) as server:
        f = fetcher(tmp_path)
        started = time.monotonic()
        assert ([f.get(server.url(p), RULES).outcome for p in ("/a", "/b", "/private/a")]
                == ["fetched", "fetched", "refused"])
        assert time.monotonic() - started < 2
        [robots_entry] = [entry for entry in f.log if entry.url.endswith("/robots.txt")]
        assert f"Crawl-delay {delay!r} is not a number of seconds" in robots_entry.error


@pytest.mark.parametrize("status", ["404 Not Found", "410 Gone"])
def test_a_missing_robots_txt_is_recorded_as_absent_and_allows_everything(tmp_path, status):
    with scripted_server({"/robots.txt": answer(status, {"Content-Length": "0"}), "/a": OK}) as server:
        f = fetcher(tmp_path)
        assert f.get(server.url("/a"), RULES).outcome == "fetched"
        robots_entry = f.log[0]
        assert (robots_entry.outcome, robots_entry.http_status) == ("absent", int(status[:3]))
        assert robots_entry.error.startswith("no robots.txt") and not [e for e in f.log if e.outcome == "failed"]


@pytest.mark.parametrize("status", ["403 Forbidden", "401 Unauthorized"])
def test_a_forbidden_robots_txt_disallows_the_whole_site(tmp_path, status):
    with scripted_server({"/robots.txt": answer(status, {"Content-Length": "0"}), "/a": OK}) as server:
        f = fetcher(tmp_path)
        fetched = f.get(server.url("/a"), RULES)
        assert (f.log[0].outcome, f.log[0].error) == ("failed", f"HTTP {status[:3]}")
        assert fetched.outcome == "refused" and f"answers HTTP {status[:3]}: the site forbids crawlers" in fetched.error
