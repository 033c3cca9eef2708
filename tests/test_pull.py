"""`publog pull`: the network's feeds fetched from a local server into pulled/, hostile and
failing feeds survived, and pulled/ read back (by `load`) the way a build will read it."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from http_support import Answer, rss, send, server
from publog.social import feed_document, pull, pulled
from publog.social.pulled import FeedSource, PulledFeed, PulledItem

DATA = Path(__file__).parent / "data" / "pull"
NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.timezone.utc)
LATER = NOW + dt.timedelta(days=1)
UTC = dt.timezone.utc

def file(name: str, **kwargs: Any) -> Answer:
    return send((DATA / name).read_bytes(), **kwargs)


def item(n: int, day: int = 1, **fields: str) -> str:
    parts = {"title": f"Item {n}", "guid": f"item-{n}", "link": f"https://feed.example/{n}/",
             "pubDate": f"{dt.date(2024, 5, day):%a, %d %b %Y} 10:00:00 GMT", **fields}
    return "<item>" + "".join(f"<{k}>{v}</{k}>" for k, v in parts.items() if v) + "</item>"


def stored(root: Path, source: str) -> dict[str, Any]:
    return json.loads((root / "pulled" / f"{source}.json").read_text(encoding="utf-8"))


def files(root: Path) -> dict[str, tuple[bytes, int]]:
    folder = root / "pulled"
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())} if folder.is_dir() else {}


# --- good feeds -------------------------------------------------------------------------------------


def test_rss_and_atom_feeds_are_stored_and_read_back_newest_first(tmp_path: Path) -> None:
    with server({"/ana.xml": file("rss.xml"), "/bo.xml": file("atom.xml", headers={"Content-Type": "text/xml"})}) as (base, asked):
        feeds = [FeedSource("ana", "Ana Ferreira", f"{base}/ana.xml"), FeedSource("bo", "Bo Chen", f"{base}/bo.xml")]
        report = pull.pull(tmp_path, feeds, now=NOW)
    assert report.summary() == "2 feeds: 2 updated, 0 unchanged, 0 failed; 5 items"
    assert report.lines() == []
    assert all(headers["User-Agent"].startswith("publog") for _, headers in asked)
    assert sorted(p.name for p in (tmp_path / "pulled").iterdir()) == ["ana.json", "bo.json"]
    assert (tmp_path / "pulled" / "ana.json").stat().st_mode & 0o777 == 0o644  # not the temporary file's 0600

    ana = stored(tmp_path, "ana")
    assert {k: v for k, v in ana.items() if k != "items"} == {
        "format": 1, "id": "ana", "url": f"{base}/ana.xml", "name": "Ana Ferreira", "site": "https://ana.example.net/",
        "title": "Ana's notes", "etag": "", "last_modified": "", "last_success": "2024-06-01T12:00:00Z", "last_error": None}
    assert ana["items"][0] == {
        "id": "ana-2024-0007",  # the feed's own guid
        "title": "Window functions, finally", "link": "https://ana.example.net/2024/window-functions/",
        "published": "2024-05-02T07:30:00Z",  # 09:30 at +02:00
        "summary": "What OVER() does, in one picture.",
        # Links made absolute and marked; the image and the heading's tag are not kept.
        "content": 'Why<p>What <code>OVER()</code> does, <a href="https://ana.example.net/2024/joins/" '
                   'rel="nofollow ugc">after joins</a>.</p>',
        "author": "Ana Ferreira"}

    items, problems = pulled.load(tmp_path)
    assert problems == []
    assert [(i.source, i.id, i.published) for i in items] == [
        ("ana", "ana-2024-0007", dt.datetime(2024, 5, 2, 7, 30, tzinfo=UTC)),
        ("bo", "tag:bo.example.org,2024:post-12", dt.datetime(2024, 5, 2, 6, 0, tzinfo=UTC)),
        ("ana", "https://ana.example.net/2024/reading-may/", dt.datetime(2024, 5, 1, 18, 0, tzinfo=UTC)),  # no guid: its link
        ("ana", "https://ana.example.net/2023/old/", dt.datetime(2024, 1, 1, 0, 0, tzinfo=UTC)),
        ("bo", "tag:bo.example.org,2024:post-11", None),  # undated: last
    ]
    assert items[2].author == "Ana Ferreira"  # never the email address beside the name
    assert items[3].author == ""  # an email address alone is no name
    assert items[1] == PulledItem(
        "bo", "Bo Chen", "https://bo.example.org/blog/", "tag:bo.example.org,2024:post-12", "Indexes are trees",
        "https://bo.example.org/blog/2024/indexes/", dt.datetime(2024, 5, 2, 6, 0, tzinfo=UTC), "A B-tree, drawn by hand.",
        '<p>See <a href="https://bo.example.org/blog/2024/btree.svg" rel="nofollow ugc">the drawing</a>.</p>', "Bo Chen")
    assert items[4].content == "<p>Line one.</p><p>Line &lt;two&gt;.</p>"  # a text construct stays text


def test_a_feed_that_honours_etag_and_last_modified_is_not_read_or_written_again(tmp_path: Path) -> None:
    body = (DATA / "rss.xml").read_bytes()
    etag, modified = '"v1-ana"', "Thu, 02 May 2024 08:00:00 GMT"

    def conditional(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == etag and handler.headers.get("If-Modified-Since") == modified:
            handler.send_response(304)
            handler.send_header("ETag", etag)
            handler.end_headers()
            return
        send(body, headers={"ETag": etag, "Last-Modified": modified})(handler)

    with server({"/feed": conditional}) as (base, asked):
        feeds = [FeedSource("ana", "Ana", f"{base}/feed")]
        first = pull.pull(tmp_path, feeds, now=NOW)
        before = files(tmp_path)
        time.sleep(0.01)
        second = pull.pull(tmp_path, feeds, now=LATER)
    assert "If-None-Match" not in asked[0][1] and "If-Modified-Since" not in asked[0][1]
    assert asked[1][1]["If-None-Match"] == etag and asked[1][1]["If-Modified-Since"] == modified
    assert stored(tmp_path, "ana")["etag"] == etag and stored(tmp_path, "ana")["last_modified"] == modified
    assert first.summary() == "1 feed: 1 updated, 0 unchanged, 0 failed; 3 items"
    assert second.summary() == "1 feed: 0 updated, 1 unchanged, 0 failed; 3 items"
    assert files(tmp_path) == before  # same bytes, same modification time: not rewritten


def test_a_feed_that_moved_is_asked_afresh(tmp_path: Path) -> None:
    routes = {"/old": file("rss.xml", headers={"ETag": '"x"'}), "/new": file("rss.xml")}
    with server(routes) as (base, asked):
        pull.pull(tmp_path, [FeedSource("ana", "Ana", f"{base}/old")], now=NOW)
        pull.pull(tmp_path, [FeedSource("ana", "Ana", f"{base}/new")], now=LATER)
    assert "If-None-Match" not in asked[1][1]
    assert stored(tmp_path, "ana")["url"] == f"{base}/new"


def test_same_content_same_bytes_and_no_rewrite(tmp_path: Path) -> None:
    # Items with equal dates in the feed's order and its reverse: ties are broken by id.
    same_day = [item(n, day=3) for n in (5, 1, 3)] + [item(9, day=3, pubDate="")]
    routes = {"/a": send(rss(*same_day)), "/b": send(rss(*reversed(same_day)))}
    with server(routes) as (base, _):
        pull.pull(tmp_path / "one", [FeedSource("x", "X", f"{base}/a")], now=NOW)
        pull.pull(tmp_path / "two", [FeedSource("x", "X", f"{base}/a")], now=NOW)
        pull.pull(tmp_path / "three", [FeedSource("x", "X", f"{base}/b")], now=NOW)
        before = files(tmp_path / "one")
        time.sleep(0.01)
        again = pull.pull(tmp_path / "one", [FeedSource("x", "X", f"{base}/a")], now=LATER)  # no ETag: read again
    one = (tmp_path / "one" / "pulled" / "x.json").read_bytes()
    assert one == (tmp_path / "two" / "pulled" / "x.json").read_bytes()
    assert json.loads(one)["items"] == json.loads((tmp_path / "three" / "pulled" / "x.json").read_bytes())["items"]
    assert [i["id"] for i in json.loads(one)["items"]] == ["item-1", "item-3", "item-5", "item-9"]
    assert again.outcomes[0].status == "unchanged"
    assert files(tmp_path / "one") == before  # last_success says when the file last changed, so it did not


def test_only_the_newest_items_are_kept(tmp_path: Path) -> None:
    many = [item(n, day=n % 28 + 1, pubDate=f"{(dt.datetime(2024, 1, 1) + dt.timedelta(hours=n)):%a, %d %b %Y %H:%M:%S} GMT")
            for n in range(80)]
    with server({"/feed": send(rss(*many))}) as (base, _):
        report = pull.pull(tmp_path, [FeedSource("x", "X", f"{base}/feed")], max_items=50, now=NOW)
    assert report.items == 50
    assert [i["id"] for i in stored(tmp_path, "x")["items"]] == [f"item-{n}" for n in range(79, 29, -1)]


def test_an_empty_feed_is_a_feed(tmp_path: Path) -> None:
    with server({"/feed": send(rss())}) as (base, _):
        report = pull.pull(tmp_path, [FeedSource("x", "X", f"{base}/feed")], now=NOW)
    assert report.summary() == "1 feed: 1 updated, 0 unchanged, 0 failed; 0 items"
    assert stored(tmp_path, "x")["items"] == []


def test_a_feed_with_xml_errors_is_read_leniently_and_says_so(tmp_path: Path) -> None:
    with server({"/feed": send(rss(item(1, title="Caf&eacute; &amp; more")))}) as (base, _):
        report = pull.pull(tmp_path, [FeedSource("x", "X", f"{base}/feed")], now=NOW)
    assert report.summary() == "1 feed: 1 updated, 0 unchanged, 0 failed; 1 item"
    assert report.lines() == [f"{base}/feed: was read leniently: XML error at line 1: undefined entity"]
    assert stored(tmp_path, "x")["items"][0]["title"] == "Café & more"


# --- failing feeds ----------------------------------------------------------------------------------


def slow(handler: BaseHTTPRequestHandler) -> None:
    threading.Event().wait(3)


def drip(handler: BaseHTTPRequestHandler) -> None:
    """Headers at once, then a byte every tenth of a second: each receive is well within any timeout."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml")
    handler.end_headers()
    for _ in range(100):
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.1)


def huge(sent: list[int]) -> Answer:
    """100 MB with no Content-Length, so that only reading tells how big it is; ``sent`` gets what was sent."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.end_headers()
        handler.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>')
        try:
            for _ in range(1600):
                handler.wfile.write(b"x" * 65536)
                sent.append(65536)
        finally:
            sent.append(0)  # the end, however it came

    return answer


FAILURES = [
    (slow, r"did not answer within 0\.5 s"),
    (drip, r"did not finish sending within 0\.5 s"),
    (send("oops", 500), r"answered HTTP 500 Internal Server Error"),
    (send("gone", 404), r"answered HTTP 404 Not Found"),
    (send('<?xml version="1.0"?><rss version="2.0"><channel><item><title>a</ti'),
     r"is not a feed publog can read \(XML error at line 1: unclosed token\)"),
    (send("<!doctype html><html><body><p>Hello</p></body></html>", headers={"Content-Type": "text/html"}),
     r"is a web page, not an RSS or Atom feed; is 'feed' in network.yaml the feed's own URL\?"),
    (send('{"items": []}', headers={"Content-Type": "application/json"}),
     r"is not a feed publog can read \(XML error at line 1: not well-formed \(invalid token\)\)"),
    (send('<?xml version="1.0"?>\n<root><a>1</a></root>'), r"is not an RSS or Atom feed"),
    (send(rss("<item><title>no id, no link</title></item>")), r"its one item has no id and no http\(s\) link"),
    (huge([]), r"sent more than the 5 MB publog reads of a feed"),
    (send(b"x", headers={"Content-Length": str(6 * 2**20)}), r"is 6 MB, more than the 5 MB publog reads of a feed"),
    (file("laughs.xml"), r"declares XML entities \(<!ENTITY>\), which can expand to gigabytes; publog does not read such feeds"),
    (send("", 302, {"Location": "ftp://127.0.0.1/feed.xml"}), r"redirects to a URL that is not http\(s\)"),
    (send(b"x" * 10, 304), r"answered 304 Not Modified to a request that asked nothing of the kind"),
]


@pytest.mark.parametrize(("answer", "reason"), FAILURES, ids=[
    "timeout", "drip", "http-500", "http-404", "invalid-xml", "web-page", "json", "xml-not-a-feed", "no-ids", "huge", "too-long",
    "billion-laughs", "redirect-ftp", "unasked-304"])
def test_a_failing_feed_is_reported_and_never_stops_the_others(tmp_path: Path, answer: Answer, reason: str) -> None:
    with server({"/good": file("rss.xml"), "/bad": answer}) as (base, _):
        started = time.monotonic()
        report = pull.pull(tmp_path, [FeedSource("bad", "Bad", f"{base}/bad"), FeedSource("ana", "Ana", f"{base}/good")],
                           timeout=0.5, now=NOW)
        seconds = time.monotonic() - started
    assert seconds < 2.5  # the timeout holds, whatever the server does
    bad, good = report.outcomes
    assert good.status == "updated" and good.items == 3
    assert bad.status == "failed" and re.fullmatch(reason, bad.reason), bad.reason
    assert report.lines() == [f"{base}/bad: {bad.reason}"]
    assert report.summary() == "2 feeds: 1 updated, 0 unchanged, 1 failed; 3 items"
    assert stored(tmp_path, "bad")["last_error"] == {"reason": bad.reason, "since": "2024-06-01T12:00:00Z"}
    assert stored(tmp_path, "bad")["items"] == [] and stored(tmp_path, "bad")["last_success"] is None


def test_a_huge_feed_is_cut_off_while_it_is_read(tmp_path: Path) -> None:
    sent: list[int] = []
    with server({"/feed": huge(sent)}) as (base, _):
        report = pull.pull(tmp_path, [FeedSource("x", "X", f"{base}/feed")], max_bytes=2**20, now=NOW)
        deadline = time.monotonic() + 5
        while (not sent or sent[-1] != 0) and time.monotonic() < deadline:
            time.sleep(0.01)  # until the server notices the client has gone
    assert report.outcomes[0].reason == "sent more than the 1 MB publog reads of a feed"
    assert sent[-1] == 0 and sum(sent) < 20 * 2**20  # the server was stopped, long before its 100 MB


def test_a_feed_that_cannot_be_reached_is_reported(tmp_path: Path) -> None:
    with server({}) as (base, _):
        pass  # the server is gone: its port refuses connections
    report = pull.pull(tmp_path, [FeedSource("x", "X", f"{base}/feed")], now=NOW)
    assert report.lines() == [f"{base}/feed: cannot be reached (Connection refused)"]
    assert report.nothing_pulled


def test_a_feed_that_fails_after_a_good_pull_keeps_its_items(tmp_path: Path) -> None:
    routes = {"/feed": file("rss.xml")}
    with server(routes) as (base, _):
        feeds = [FeedSource("ana", "Ana", f"{base}/feed")]
        pull.pull(tmp_path, feeds, now=NOW)
        good = stored(tmp_path, "ana")
        routes["/feed"] = send("down for maintenance", 503)
        failed = pull.pull(tmp_path, feeds, now=LATER)
        after_failure = files(tmp_path)
        time.sleep(0.01)
        again = pull.pull(tmp_path, feeds, now=LATER + dt.timedelta(hours=1))
        assert files(tmp_path) == after_failure  # the same failure again: nothing new to record
        routes["/feed"] = file("rss.xml")
        back = pull.pull(tmp_path, feeds, now=LATER + dt.timedelta(hours=2))
    assert failed.lines() == again.lines() == [f"{base}/feed: answered HTTP 503 Service Unavailable; its 3 earlier items kept"]
    assert failed.summary() == "1 feed: 0 updated, 0 unchanged, 1 failed; 3 items"
    recorded = json.loads(after_failure["ana.json"][0])
    assert recorded == {**good, "last_error": {"reason": "answered HTTP 503 Service Unavailable", "since": "2024-06-02T12:00:00Z"}}
    items, problems = pulled.load(tmp_path)
    assert len(items) == 3 and problems == []
    assert back.outcomes[0].status == "unchanged"
    assert stored(tmp_path, "ana") == {**good, "last_success": "2024-06-02T14:00:00Z"}  # the error is gone


def test_a_file_pull_cannot_read_is_replaced_by_a_good_pull_and_kept_on_a_failure(tmp_path: Path) -> None:
    put(tmp_path, "x.json", '{"items": [')
    with server({"/feed": send("down", 503)}) as (base, _):
        failed = pull.pull(tmp_path, [FeedSource("x", "X", f"{base}/feed")], now=NOW)
    assert failed.outcomes[0].reason == "answered HTTP 503 Service Unavailable (pulled/x.json cannot be read either; delete it)"
    assert (tmp_path / "pulled" / "x.json").read_text() == '{"items": ['
    with server({"/feed": file("rss.xml")}) as (base, _):
        good = pull.pull(tmp_path, [FeedSource("x", "X", f"{base}/feed")], now=NOW)
    assert good.outcomes[0].status == "updated" and len(stored(tmp_path, "x")["items"]) == 3


def test_feeds_that_cannot_be_pulled_are_refused_before_any_request(tmp_path: Path) -> None:
    with server({"/feed": file("rss.xml")}) as (base, asked):
        report = pull.pull(tmp_path, [FeedSource("../up", "Up", f"{base}/feed"), FeedSource("x", "X", f"{base}/feed"),
                                      FeedSource("x", "Again", f"{base}/feed"), FeedSource("y", "Y", "ftp://127.0.0.1/feed")], now=NOW)
    assert [o.status for o in report.outcomes] == ["failed", "updated", "failed", "failed"]
    assert "cannot name a file" in report.outcomes[0].reason
    assert "another feed has the id 'x'" in report.outcomes[2].reason
    assert report.outcomes[3].reason == "is not an http(s) URL"
    assert len(asked) == 1 and sorted(p.name for p in (tmp_path / "pulled").iterdir()) == ["x.json"]
    assert not (tmp_path / "up.json").exists()


def test_a_folder_that_cannot_be_written_fails_every_feed_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "pulled").write_text("a file where the folder should be")
    with server({"/feed": file("rss.xml")}) as (base, _):
        report = pull.pull(tmp_path, [FeedSource("x", "X", f"{base}/feed")], now=NOW)
    assert report.nothing_pulled
    assert re.match(r"cannot write pulled/x\.json \(", report.outcomes[0].reason)


def test_a_hundred_feeds_are_pulled_at_once(tmp_path: Path) -> None:
    routes = {f"/{n}.xml": send(rss(item(n), item(n + 1000)), delay=0.2) for n in range(100)}
    with server(routes) as (base, asked):
        feeds = [FeedSource(f"feed-{n}", f"Person {n}", f"{base}/{n}.xml") for n in range(100)]
        started = time.monotonic()
        report = pull.pull(tmp_path, feeds, now=NOW)
        seconds = time.monotonic() - started
    # One after another they would take 20 s; sixteen at a time, a little over one.
    assert seconds < 5, seconds
    assert report.summary() == "100 feeds: 100 updated, 0 unchanged, 0 failed; 200 items"
    assert len(asked) == 100 and len(list((tmp_path / "pulled").iterdir())) == 100


# --- hostile feeds ----------------------------------------------------------------------------------

UNSAFE = ("<script", "<iframe", "<svg", "<img", "<form", "<input", "<style", "<math", "javascript:", "data:",
          " on", "style=", "target=")


def test_a_hostile_feed_leaves_only_safe_text_links_and_html(tmp_path: Path) -> None:
    with server({"/feed": file("hostile.xml")}) as (base, _):
        report = pull.pull(tmp_path, [FeedSource("mal", "Mal", f"{base}/feed")], now=NOW)
    assert report.outcomes[0].status == "updated"
    items, problems = pulled.load(tmp_path)
    assert problems == []
    first, second = items
    assert (first.id, first.link, first.published) == ("mal-2", "", dt.datetime(2024, 5, 2, 10, tzinfo=UTC))
    # Dated in 2999 to stay at the top of the page: no date, so it goes to the bottom.
    assert (second.id, second.link, second.published) == ("mal-1", "", None)
    assert second.source_site == ""  # the channel's javascript: link
    # Titles are plain text (templates escape them); direction overrides and controls are gone.
    assert second.title == "<img src=x onerror=alert(1)>Hello dlrow" and second.author == "Mallory"
    assert second.summary == "Hi x y z ok"
    for html in (first.content, second.content, *(i["content"] for i in stored(tmp_path, "mal")["items"])):
        for link in re.findall(r"<a [^>]*>", html):
            assert re.fullmatch(r'<a (href="https?://[^"]+" )?rel="nofollow ugc">', link), link
    for content in (first.content, second.content):
        assert not any(bad in content.lower() for bad in UNSAFE), content
    assert second.content == ('<p>Hi</p>\n<a rel="nofollow ugc">x</a> <a rel="nofollow ugc">y</a> '
                              '<a rel="nofollow ugc">z</a>\n\n\n<a href="https://ok.example/" rel="nofollow ugc">ok</a>')


def test_huge_fields_are_cut(tmp_path: Path) -> None:
    words = "word " * 50_000
    feed = rss(item(1, title=words, description=f"<p>{words}</p>", author=words[:5000]))
    with server({"/feed": send(feed)}) as (base, _):
        pull.pull(tmp_path, [FeedSource("x", "X", f"{base}/feed")], now=NOW)
    (one,), _ = pulled.load(tmp_path)
    assert len(one.title) <= pulled.MAX_TITLE and one.title.endswith("…")
    assert len(one.summary) <= pulled.MAX_SUMMARY and len(one.author) <= 100
    assert len(one.content) < 21_000


def test_an_external_dtd_is_never_fetched(tmp_path: Path) -> None:
    routes: dict[str, Answer] = {"/evil.dtd": send('<!ENTITY secret "from the DTD">')}
    with server(routes) as (base, asked):
        doctype = f'<!DOCTYPE rss SYSTEM "{base}/evil.dtd">'
        routes["/feed"] = send(rss(item(1, title="&secret;")).replace("<rss", doctype + "<rss", 1))
        report = pull.pull(tmp_path, [FeedSource("x", "X", f"{base}/feed")], now=NOW)
    assert [path for path, _ in asked] == ["/feed"]
    assert report.outcomes[0].status == "updated"
    assert "from the DTD" not in (tmp_path / "pulled" / "x.json").read_text()


def test_entity_declarations_are_refused_in_any_encoding() -> None:
    # 50 kB declared once and used 20,000 times: a gigabyte, were it expanded.
    quadratic = ('<?xml version="1.0" encoding="utf-16"?><!DOCTYPE rss [<!ENTITY a "' + "A" * 50_000 + '">]>'
                 '<rss version="2.0"><channel><item><guid>1</guid><title>' + "&a;" * 20_000 + "</title></item></channel></rss>")
    started = time.monotonic()
    for body in (quadratic.encode("utf-16"), quadratic.replace("utf-16", "utf-8").encode()):
        parsed = feed_document.parse(body, "https://x.example/", FeedSource("x", "X", "https://x.example/"), now=NOW)
        assert parsed.failure.startswith("declares XML entities") and parsed.items == ()
    assert time.monotonic() - started < 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["<item>", "</item>", "<guid>", "</guid>", "<title>", "</title>", "<link>", "</link>",
                                 "<description>", "</description>", "<![CDATA[", "]]>", "&lt;script&gt;", "&amp;", "&",
                                 "javascript:x()", "https://a.example/", "<pubDate>", "</pubDate>", "9999",
                                 "Tue, 10 Jun 2025 04:00:00 +0200", "\u202e", "\x00", "<", ">", "x", " ", "\n"]),
                max_size=60))
def test_any_feed_at_all_gives_items_or_a_reason_never_an_exception(pieces: list[str]) -> None:
    body = rss("".join(pieces)).encode("utf-8", "surrogatepass")
    parsed = feed_document.parse(body, "https://x.example/feed", FeedSource("x", "X", "https://x.example/feed"), now=NOW)
    assert not (parsed.failure and parsed.items)
    for one in parsed.items:
        assert one.id and not re.search(r"[\x00-\x1f]", one.id + one.title + one.summary + one.author)
        assert one.link == "" or one.link.startswith(("http://", "https://"))
        assert not any(bad in one.content.lower() for bad in UNSAFE)
        assert one.published is None or one.published <= NOW + dt.timedelta(days=2)


# --- reading pulled/ --------------------------------------------------------------------------------


def good_state(source: str = "ana", *ids: str) -> bytes:
    items = tuple(PulledItem(source, "Ana", "https://ana.example.net/", i, f"Title {i}", f"https://ana.example.net/{i}/",
                             dt.datetime(2024, 5, n + 1, tzinfo=UTC), "", "<p>x</p>", "") for n, i in enumerate(ids or ("a",)))
    return pulled.to_json(PulledFeed(source, "https://ana.example.net/feed.xml", "Ana", "https://ana.example.net/", items=items))


def put(root: Path, name: str, data: bytes | str) -> None:
    (root / "pulled").mkdir(parents=True, exist_ok=True)
    (root / "pulled" / name).write_bytes(data.encode() if isinstance(data, str) else data)


@pytest.mark.parametrize(("name", "data", "message"), [
    ("bad.json", '{\n "items": [\n  {"id": "a",}\n ]\n}', ("pulled/bad.json:3: warning: is not valid JSON (Expecting property "
                                                            "name enclosed in double quotes); its items are left out until "
                                                            "`publog pull` writes it anew (or delete it)")),
    ("bad.json", b'{"items": []}\n\n\xff', "pulled/bad.json:3: warning: is not UTF-8 text"),
    ("bad.json", "[1, 2]", "pulled/bad.json:1: warning: is not a file of pulled items (an object with an 'items' list)"),
    ("bad.json", '{"items": {"a": 1}}', "pulled/bad.json:1: warning: is not a file of pulled items"),
    ("bad.json", "[" * 100_000, "pulled/bad.json:1: warning: is not JSON publog wrote (nested too deeply"),
    ("Bad Name.json", good_state(), "pulled/Bad Name.json:1: warning: is not named after an id of network.yaml"),
    ("bad.json", json.dumps({"items": [{"id": "ok"}, {"title": "no id"}, {"id": 7}, "text"]}, indent=1),
     "pulled/bad.json:1: warning: item 2 has no usable 'id'"),
])
def test_a_file_that_cannot_be_used_is_a_warning_naming_it(tmp_path: Path, name: str, data: bytes | str, message: str) -> None:
    put(tmp_path, "ana.json", good_state())
    put(tmp_path, name, data)
    items, problems = pulled.load(tmp_path)
    assert [i.id for i in items if i.source == "ana"] == ["a"]  # the other files are read all the same
    assert any(str(p).startswith(message) for p in problems), problems
    assert all(p.severity == "warning" for p in problems)


def test_items_are_checked_again_when_read(tmp_path: Path) -> None:
    edited = {"name": "Ana", "items": [
        {"id": "x", "title": "A\u202e title\n", "link": "javascript:alert(1)", "published": "not a date",
         "summary": 5, "content": '<p onclick="alert(1)">hi<script>alert(1)</script></p>', "author": None},
        {"id": "x", "title": "the same id again"},
        {"id": "y", "published": "2024-05-01T10:00:00+02:00", "content": ["not text"]}]}
    put(tmp_path, "ana.json", json.dumps(edited, indent=1))
    items, problems = pulled.load(tmp_path)
    assert problems == []
    assert items == (PulledItem("ana", "Ana", "", "y", "", "", dt.datetime(2024, 5, 1, 8, tzinfo=UTC), "", "", ""),
                     PulledItem("ana", "Ana", "", "x", "A title", "", None, "", "<p>hi</p>", ""))


def test_item_warnings_name_the_line_of_the_item(tmp_path: Path) -> None:
    put(tmp_path, "ana.json", '{"items": [\n{"id": "ok"},\n{"id": "' + "x" * 5000 + '"},\n{"id": "bad\\u0000"}\n]}')
    _, problems = pulled.load(tmp_path)
    assert [str(p)[:53] for p in problems] == ["pulled/ana.json:3: warning: item 2 has no usable 'id'",
                                               "pulled/ana.json:4: warning: item 3 has no usable 'id'"]


def test_temporary_hidden_and_linked_files_are_not_read(tmp_path: Path) -> None:
    put(tmp_path, ".ana.json.x1y2.tmp", good_state("ana", "tmp"))
    put(tmp_path, ".hidden.json", good_state("hidden"))
    put(tmp_path, "notes.txt", "mine")
    (tmp_path / "outside.json").write_bytes(good_state("outside"))
    (tmp_path / "pulled" / "outside.json").symlink_to(tmp_path / "outside.json")
    items, problems = pulled.load(tmp_path)
    assert items == ()
    assert [str(p) for p in problems] == ["pulled/outside.json:1: warning: is a link to a file outside the pulled folder; it is left out"]


def test_no_folder_no_items(tmp_path: Path) -> None:
    assert pulled.load(tmp_path) == ((), [])


def test_load_orders_every_source_newest_first_with_stable_ties(tmp_path: Path) -> None:
    put(tmp_path, "b.json", good_state("b", "z", "y"))
    put(tmp_path, "a.json", good_state("a", "q", "p"))
    items, _ = pulled.load(tmp_path)
    assert [(i.source, i.id) for i in items] == [("a", "p"), ("b", "y"), ("a", "q"), ("b", "z")]


def test_what_pull_stores_is_what_load_shows(tmp_path: Path) -> None:
    # A long post full of links: sanitising it makes it longer than the sanitiser's limit.
    long_post = "<p>" + '<a href="/x">x</a> words ' * 3000 + "</p>"
    routes = {"/a": file("rss.xml"), "/b": file("atom.xml"), "/c": file("hostile.xml"),
              "/d": send(rss(item(1, description=f"<![CDATA[{long_post}]]>")))}
    with server(routes) as (base, _):
        feeds = [FeedSource(s, s.upper(), f"{base}/{s}") for s in "abcd"]
        pull.pull(tmp_path, feeds, now=NOW)
        before = files(tmp_path)
        again = pull.pull(tmp_path, feeds, now=LATER)
    assert [o.status for o in again.outcomes] == ["unchanged"] * 4 and files(tmp_path) == before
    assert len(stored(tmp_path, "d")["items"][0]["content"]) <= 20_000
    for source in "abcd":
        state, _ = pulled.read_state(tmp_path / "pulled" / f"{source}.json", source)
        assert state is not None
        assert pulled.to_json(state) == (tmp_path / "pulled" / f"{source}.json").read_bytes()


# --- the command ------------------------------------------------------------------------------------


def network(base: str) -> str:
    return (f"- name: Ana Ferreira\n  id: ana\n  feed: {base}/ana.xml\n"
            f"- name: Bo Chen\n  feed: {base}/bo.xml\n"
            f"- name: Down Under\n  feed: {base}/down.xml\n"
            "- name: No Feed\n  site: https://nofeed.example/\n")


def test_publog_pull_reports_failures_and_sums_up(journal, publog) -> None:
    with server({"/ana.xml": file("rss.xml"), "/bo.xml": file("atom.xml"), "/down.xml": send("no", 500)}) as (base, _):
        root = journal({"network.yaml": network(base)})
        result = publog("pull", root, "--timeout", "5")
    assert result.code == 0, result.err
    assert result.err == f"{base}/down.xml: answered HTTP 500 Internal Server Error\n"
    assert result.out == "3 feeds: 2 updated, 0 unchanged, 1 failed; 5 items\n"
    assert sorted(p.name for p in (root / "pulled").iterdir()) == ["ana.json", "bo-chen.json", "down-under.json"]


def test_publog_pull_fails_only_when_nothing_could_be_pulled(journal, publog) -> None:
    with server({}) as (base, _):
        root = journal({"network.yaml": network(base)})
    result = publog("pull", root)
    assert result.code == 1
    assert result.err.count("cannot be reached") == 3
    assert result.err.endswith("publog: no feed could be pulled (see above); the items pulled/ held are kept, and each feed's file records why it failed\n")


def test_publog_pull_needs_a_valid_network_yaml(journal, publog) -> None:
    root = journal({"network.yaml": "- name: Ana\n  feed: ana.example.net/feed\n"})
    result = publog("pull", root)
    assert result.code == 1
    assert "network.yaml:2: 'feed' must be an http(s) URL" in result.err
    assert result.err.endswith("publog: fix the files named above first; nothing was pulled\n")
    assert not (root / "pulled").exists()


def test_publog_pull_without_feeds_says_what_to_add(journal, publog) -> None:
    result = publog("pull", journal({"network.yaml": "- name: Ana\n"}))
    assert result.code == 0 and result.out.startswith("0 feeds: network.yaml lists nobody with a 'feed'")
    assert publog("pull", journal({"publog.yaml": "title: x\n"}, "no-network")).code == 0


@pytest.mark.parametrize("args", [("--timeout", "0"), ("--timeout", "nan"), ("--timeout", "soon"), ("--bogus",)])
def test_publog_pull_usage_errors(journal, publog, args: tuple[str, ...]) -> None:
    result = publog("pull", journal({"network.yaml": "- name: Ana\n"}), *args)
    assert result.code == 2


def test_publog_pull_of_a_missing_folder_is_a_usage_error(tmp_path: Path, publog) -> None:
    result = publog("pull", tmp_path / "nowhere")
    assert result.code == 2 and "is not a folder" in result.err


def test_the_site_shows_what_was_pulled_with_the_sources_own_ids(journal, publog) -> None:
    import feedparser

    with server({"/ada.xml": send(rss(item(1, 3, title="Joins, explained"), item(2, 5, title="Window functions")))}) as (base, _):
        root = journal({
            "publog.yaml": "base_url: https://example.org/\nsearch: false\n",
            "network.yaml": f"- name: Ada\n  site: https://ada.example/\n  feed: {base}/ada.xml\n",
            "entries/2024-05-01-a.md": "---\ntitle: A\ndate: 2024-05-01\n---\nText.\n",
        })
        assert publog("pull", root).code == 0
    assert publog("build", root, "--strict").code == 0  # offline: the build reads only pulled/
    page = (root / "_site/network/latest/index.html").read_text()
    assert page.index("Window functions") < page.index("Joins, explained")
    assert '<a href="https://feed.example/2/" rel="nofollow ugc">Window functions</a>' in page
    feed = feedparser.parse((root / "_site/network/latest/feed.xml").read_bytes())
    assert not feed.bozo
    assert [(e.id, e.title) for e in feed.entries] == [("item-2", "Ada: Window functions"), ("item-1", "Ada: Joins, explained")]
    assert "/network/latest/" in (root / "_site/network/index.html").read_text()
