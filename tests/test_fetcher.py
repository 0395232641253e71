"""The fetcher's rules, one at a time, against a scripted transport."""

from __future__ import annotations

import time

import pytest

from tests.fake_http import FakeClient
from xxgk.crawler.http import Fetcher, Rules, Settings, request_key
from xxgk.crawler.store import RawStore
from xxgk.schemas.crawl_log import Validators

PUBLIC = {"portal.test": ["93.184.216.34"], "other.test": ["93.184.216.35"], "intranet.test": ["10.1.2.3"]}
NO_ROBOTS = [(404, {}, b"")]
PAGE = b"<html><body>report</body></html>"


def fetcher(answers, *, known=None, tmp_path, **settings) -> tuple[Fetcher, FakeClient]:
    transport = FakeClient({"http://portal.test/robots.txt": NO_ROBOTS, **answers})
    settings = {"backoff": 0.01, **settings}
    return Fetcher(RawStore(str(tmp_path)), known or {}, Settings(**settings), client=transport,
                   resolver=lambda host: PUBLIC[host]), transport


RULES = Rules(("portal.test",), interval=0.0)


def test_a_redirect_to_a_private_address_is_refused_before_it_is_requested(tmp_path):
    f, transport = fetcher({"http://portal.test/a": [(302, {"Location": "http://intranet.test/admin"}, b"")]},
                           tmp_path=tmp_path)
    fetched = f.get("http://portal.test/a", Rules(("portal.test", "intranet.test"), 0.0))
    assert fetched.outcome == "refused" and "10.1.2.3, a private address" in fetched.error
    assert "http://intranet.test/admin" not in transport.sent


def test_a_redirect_to_another_domain_is_refused(tmp_path):
    f, transport = fetcher({"http://portal.test/a": [(301, {"Location": "http://other.test/x"}, b"")]},
                           tmp_path=tmp_path)
    fetched = f.get("http://portal.test/a", RULES)
    assert fetched.outcome == "refused" and "outside the portal's allowed domains" in fetched.error
    assert transport.sent == ["http://portal.test/robots.txt", "http://portal.test/a"]


def test_redirects_are_bounded(tmp_path):
    loop = {f"http://portal.test/{i}": [(302, {"Location": f"/{i + 1}"}, b"")] for i in range(10)}
    f, _ = fetcher(loop, tmp_path=tmp_path, max_redirects=3)
    assert "more than 3 redirects" in f.get("http://portal.test/0", RULES).error


def test_a_permanent_redirect_is_remembered_for_the_next_run(tmp_path):
    f, _ = fetcher({"http://portal.test/old": [(301, {"Location": "/new"}, b"")],
                    "http://portal.test/new": [(200, {}, PAGE)]}, tmp_path=tmp_path)
    f.get("http://portal.test/old", RULES)
    again, transport = fetcher({"http://portal.test/new": [(200, {}, PAGE)]}, known=f.state, tmp_path=tmp_path)
    assert again.get("http://portal.test/old", RULES).outcome == "unchanged"
    assert "http://portal.test/old" not in transport.sent


def test_429_is_retried_after_the_servers_retry_after(tmp_path):
    f, transport = fetcher({"http://portal.test/a": [(429, {"Retry-After": "1"}, b""), (200, {}, PAGE)]},
                           tmp_path=tmp_path)
    started = time.monotonic()
    assert f.get("http://portal.test/a", RULES).outcome == "fetched"
    assert time.monotonic() - started >= 1.0 and transport.sent.count("http://portal.test/a") == 2


def test_a_retry_after_beyond_the_limit_fails_at_once(tmp_path):
    f, transport = fetcher({"http://portal.test/a": [(503, {"Retry-After": "3600"}, b"")]}, tmp_path=tmp_path)
    fetched = f.get("http://portal.test/a", RULES)
    assert fetched.outcome == "failed" and fetched.http_status == 503
    assert transport.sent.count("http://portal.test/a") == 1


def test_server_errors_are_retried_then_fail_with_the_status(tmp_path):
    f, transport = fetcher({"http://portal.test/a": [(502, {}, b"")]}, tmp_path=tmp_path, retries=2)
    assert f.get("http://portal.test/a", RULES).error == "HTTP 502 after 3 attempts"
    assert transport.sent.count("http://portal.test/a") == 3


def test_a_response_over_the_size_limit_fails(tmp_path):
    f, _ = fetcher({"http://portal.test/big": [(200, {}, b"x" * 5000)]}, tmp_path=tmp_path, max_bytes=1000)
    fetched = f.get("http://portal.test/big", RULES)
    assert fetched.outcome == "failed" and "over the limit of 1,000 bytes" in fetched.error


def test_a_304_answers_with_the_stored_body(tmp_path):
    store = RawStore(str(tmp_path))
    sha256, _ = store.put(PAGE, {})
    known = {"http://portal.test/a": Validators('"v1"', None, sha256)}
    f, transport = fetcher({"http://portal.test/a": [(304, {}, b"")]}, known=known, tmp_path=tmp_path)
    fetched = f.get("http://portal.test/a", RULES)
    assert (fetched.outcome, fetched.body) == ("unchanged", PAGE)


def test_known_validators_are_sent_as_a_conditional_request(tmp_path):
    store = RawStore(str(tmp_path))
    sha256, _ = store.put(PAGE, {})
    known = {"http://portal.test/a": Validators('"v1"', "Mon, 15 Jan 2024 08:00:00 GMT", sha256)}
    f, transport = fetcher({"http://portal.test/a": [(304, {}, b"")]}, known=known, tmp_path=tmp_path)
    f.get("http://portal.test/a", RULES)
    sent = transport.headers["http://portal.test/a"]
    assert (sent["If-None-Match"], sent["If-Modified-Since"]) == ('"v1"', "Mon, 15 Jan 2024 08:00:00 GMT")


def test_robots_txt_that_cannot_be_fetched_disallows_the_host(tmp_path):
    f, transport = fetcher({"http://portal.test/robots.txt": [(503, {}, b"")],
                            "http://portal.test/a": [(200, {}, PAGE)]},
                           tmp_path=tmp_path, retries=0)
    fetched = f.get("http://portal.test/a", RULES)
    assert fetched.outcome == "refused" and "robots.txt of http://portal.test could not be read" in fetched.error
    assert "http://portal.test/a" not in transport.sent


@pytest.mark.parametrize("robots, allowed", [(b"User-agent: *\nDisallow: /private/\n", True),
                                             (b"User-agent: xxgk\nDisallow: /\n", False)])
def test_robots_txt_rules_are_read_for_our_user_agent(tmp_path, robots, allowed):
    f, _ = fetcher({"http://portal.test/robots.txt": [(200, {}, robots)], "http://portal.test/a": [(200, {}, PAGE)]},
                   tmp_path=tmp_path)
    assert (f.get("http://portal.test/a", RULES).outcome == "fetched") is allowed


API = "http://portal.test/module/web/jpage/dataproxy.jsp?startrecord=11&endrecord=20&perpage=10"
FORM = {"columnid": "1229", "webname": "某某县人民政府"}


def test_a_form_post_sends_its_form_and_is_logged_under_its_url_and_form(tmp_path):
    f, transport = fetcher({API: [(200, {}, b"<datastore/>")]}, tmp_path=tmp_path)
    fetched = f.get(API, RULES, FORM)
    assert fetched.ok and fetched.body == b"<datastore/>"
    assert transport.posted[API] == ("columnid=1229&webname="
                                     "%E6%9F%90%E6%9F%90%E5%8E%BF%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C")
    assert [e.url for e in f.log][-1] == request_key(API, FORM) != API


def test_a_post_obeys_robots_txt_like_a_get(tmp_path):
    f, transport = fetcher({"http://portal.test/robots.txt": [(200, {}, b"User-agent: *\nDisallow: /module/\n")]},
                           tmp_path=tmp_path)
    assert f.get(API, RULES, FORM).outcome == "refused" and API not in transport.sent


def test_a_post_answered_before_is_asked_conditionally_next_run(tmp_path):
    f, _ = fetcher({API: [(200, {"ETag": '"g2"'}, b"<datastore/>")]}, tmp_path=tmp_path)
    f.get(API, RULES, FORM)
    again, transport = fetcher({API: [(304, {}, b"")]}, known=f.state, tmp_path=tmp_path)
    assert again.get(API, RULES, FORM).outcome == "unchanged"
    assert transport.headers[API]["If-None-Match"] == '"g2"'
