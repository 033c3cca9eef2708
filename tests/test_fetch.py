"""The one HTTP client of `publog pull` and `publog mentions pull`: its limits hold, against a
server on this machine that trickles, sends too much, redirects where it should not, or is gone,
and they hold alike for both commands."""

from __future__ import annotations

import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from http_support import Answer, send, server
from publog.social import fetch, pull
from publog.social.pulled import FeedSource

NOTHING = {"User-Agent": "publog-test"}


def drip(handler: BaseHTTPRequestHandler) -> None:
    """Headers at once, then a byte every tenth of a second: each receive is well within any timeout."""
    handler.send_response(200)
    handler.end_headers()
    for _ in range(100):
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.1)


def endless(sent: list[int]) -> Answer:
    """64 MB with no Content-Length, so that only reading tells how big it is; ``sent`` counts what went out."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()
        try:
            for _ in range(1024):
                handler.wfile.write(b"x" * 65536)
                sent.append(65536)
        finally:
            sent.append(0)

    return answer


def refused(url: str, timeout: float = 0.5, max_bytes: int = 2**20) -> fetch.Refused:
    with pytest.raises(fetch.Refused) as caught:
        fetch.get(url, NOTHING, timeout, max_bytes)
    return caught.value


def test_a_good_answer_gives_its_body_headers_and_final_url() -> None:
    routes = {"/moved": send("", 301, {"Location": "/feed"}),
              "/feed": send("<rss/>", headers={"ETag": '"v1"', "Last-Modified": "Sat, 01 Jun 2024 10:00:00 GMT"})}
    with server(routes) as (base, asked):
        answer = fetch.get(f"{base}/moved", NOTHING, 5, 2**20)
    assert (answer.status, answer.url, answer.body) == (200, f"{base}/feed", b"<rss/>")
    assert answer.etag == '"v1"' and answer.last_modified == "Sat, 01 Jun 2024 10:00:00 GMT"
    assert answer.content_type.startswith("application/rss+xml")
    assert [path for path, _ in asked] == ["/moved", "/feed"] and asked[0][1]["User-Agent"] == "publog-test"


def test_not_modified_is_an_answer_without_a_body() -> None:
    with server(send(b"", 304)) as (base, _):
        assert fetch.get(f"{base}/feed", NOTHING, 5, 2**20) == fetch.Answer(304, f"{base}/feed")


def test_a_server_that_trickles_is_cut_at_the_deadline() -> None:
    with server(drip) as (base, _):
        started = time.monotonic()
        assert refused(f"{base}/feed").why == "slow-body"
        assert time.monotonic() - started < 1.5  # the timeout, give or take one read


def test_a_body_is_refused_as_soon_as_it_passes_the_limit() -> None:
    sent: list[int] = []
    with server(endless(sent)) as (base, _):
        assert refused(f"{base}/feed", timeout=5).why == "too-large"
        deadline = time.monotonic() + 5
        while (not sent or sent[-1] != 0) and time.monotonic() < deadline:
            time.sleep(0.01)  # until the server notices the client has gone
    assert sum(sent) < 16 * 2**20  # stopped long before its 64 MB


def test_a_body_announced_as_too_large_is_not_read() -> None:
    with server(send(b"x", headers={"Content-Length": str(3 * 2**20)})) as (base, _):
        too_large = refused(f"{base}/feed")
    assert (too_large.why, too_large.size) == ("declared-too-large", 3 * 2**20)


@pytest.mark.parametrize("location", ["ftp://127.0.0.1/feed", "file:///etc/passwd", "javascript:alert(1)"])
def test_redirects_go_to_http_and_https_only(location: str) -> None:
    with server(send("", 302, {"Location": location})) as (base, _):
        assert refused(f"{base}/feed").why == "redirect"


def test_failures_say_which_limit_or_fault() -> None:
    slow = send("late", delay=3)
    with server({"/slow": slow, "/error": send("oops", 500)}) as (base, _):
        assert refused(f"{base}/slow").why == "no-answer"
        error = refused(f"{base}/error")
        assert (error.why, error.code, error.detail) == ("http", 500, "Internal Server Error")
    gone = refused(f"{base}/feed")  # the server has stopped: its port refuses connections
    assert (gone.why, gone.detail) == ("unreachable", "Connection refused")
    assert refused("http://127.0.0.1:port/feed").why == "bad-url"


def test_both_commands_stop_a_trickling_server_at_their_timeout(tmp_path: Path, journal, publog) -> None:
    with server(drip) as (base, _):
        started = time.monotonic()
        report = pull.pull(tmp_path, [FeedSource("x", "X", f"{base}/feed")], timeout=0.5)
        assert time.monotonic() - started < 1.5
        assert report.outcomes[0].reason == "did not finish sending within 0.5 s"

        root = journal({"publog.yaml": f"base_url: https://maya.example.org/\nmentions: {base}/api/mentions.jf2\n"})
        started = time.monotonic()
        result = publog("mentions", "pull", root, "--timeout", "0.5")
        assert time.monotonic() - started < 1.5
    assert result.code == 1 and "127.0.0.1 did not answer within 0.5 s; nothing was written" in result.err


def test_both_commands_refuse_a_redirect_to_another_scheme(tmp_path: Path, journal, publog) -> None:
    with server(send("", 302, {"Location": "file:///etc/passwd"})) as (base, _):
        report = pull.pull(tmp_path, [FeedSource("x", "X", f"{base}/feed")])
        root = journal({"publog.yaml": f"base_url: https://maya.example.org/\nmentions: {base}/api/mentions.jf2\n"})
        result = publog("mentions", "pull", root)
    assert report.outcomes[0].reason == "redirects to a URL that is not http(s)"
    assert result.code == 1 and "127.0.0.1 redirected to a URL that is not http(s); nothing was written" in result.err
