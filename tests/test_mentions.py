"""Responses from other sites: mentions/ read into what each page shows, hostile files survived,
`publog mentions pull` against a local receiver, and the way a reader responds."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import socket
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, Iterator, Mapping

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import http_support
from conftest import SAMPLE, run_cli
from http_support import Answer, Asked, server
from publog.settings import config as config_mod
from publog.social import mentions, untrusted
from publog.social.receiver import TOKEN_VARIABLE
from publog.settings.config import Author, Config

DATA = Path(__file__).parent / "data" / "mentions"
BASE = "https://maya.example.org/"
JOINS = "https://maya.example.org/2024/sql-joins/"


def response(n: int, *, target: str = JOINS, prop: str = "in-reply-to", **fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "type": "entry", "wm-id": n, "wm-property": prop, "wm-target": target,
        "url": f"https://them.example.net/r/{n}", "published": f"2024-05-{n % 28 + 1:02d}T10:00:00Z",
        "wm-received": f"2024-05-{n % 28 + 1:02d}T10:01:00Z",
        "author": {"type": "card", "name": f"Person {n}", "url": f"https://p{n}.example.net/"},
        "content": {"text": f"Reply number {n}"},
    }
    item.update(fields)
    return item


def feed(*items: Any) -> str:
    return json.dumps({"type": "feed", "name": "Webmentions", "children": list(items)}, indent=1)


def load(tmp_path: Path, files: Mapping[str, str | bytes], photos: bool = False,
         base: str = BASE) -> tuple[mentions.Mentions, list[str]]:
    folder = tmp_path / "mentions"
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            (folder / name).write_text(content, encoding="utf-8")
    found, problems = mentions.load(folder, base, photos)
    assert all(p.severity == "warning" for p in problems)
    return found, [str(p) for p in problems]


# --- reading mentions/ -----------------------------------------------------------------------------


def test_a_receivers_export_is_shown_under_the_entry_it_targets(tmp_path: Path) -> None:
    found, problems = load(tmp_path, {"webmention-io.json": (DATA / "webmention-io.json").read_text()})
    joins = found.get("/2024/sql-joins/")
    # Replies oldest first, whatever the file's order and time zones.
    assert [r.author.name for r in joins.replies] == ["Bo Chen", "Ana Ferreira"]
    bo, ana = joins.replies
    assert bo.published == dt.datetime(2024, 5, 2, 18, 0, tzinfo=dt.timezone.utc)
    assert ana.published == dt.datetime(2024, 5, 3, 7, 30, tzinfo=dt.timezone.utc)  # 09:30 at +02:00
    assert ana.url == "https://ana.example.net/2024/05/re-joins"
    assert ana.author == mentions.Responder("Ana Ferreira", "https://ana.example.net/", "")
    # A relative link in a reply points to the replier's site, not ours; every link is nofollow ugc.
    assert '<a href="https://ana.example.net/2023/joins" rel="nofollow ugc">My notes</a>' in ana.content
    assert bo.content == "<p>Great write-up!</p><p>The Venn diagrams never helped me either.</p>"
    assert [p.name for p in joins.likes] == ["Cleo", "Dev Patel"]
    assert [p.name for p in joins.reposts] == ["Eve"]
    assert joins.count == 5 and not joins.mentions
    home = found.get("/")
    assert [(m.author.name, m.name) for m in home.mentions] == [("Farid", "My reading list for May")]
    # Private responses are never shown; another site's are left out with a warning naming the file.
    assert "private note" not in repr(found)
    assert problems == ["mentions/webmention-io.json:107: warning: response 8 (wm-id 1811): is for "
                        "https://another-site.example.org/post/, which is not a page of this site "
                        "(https://maya.example.org/); it is left out"]


def test_a_new_response_is_shown_by_the_next_build(tmp_path: Path) -> None:
    """A page shows what the responses to it are now: the build after a response arrives renders the page
    again (its fingerprint holds the digest of its responses), and leaves pages without any alone."""
    from publog.run.build import Options, build

    root = tmp_path / "journal"
    (root / "entries").mkdir(parents=True)
    (root / "publog.yaml").write_text(f"title: Maya\nbase_url: {BASE}\n", encoding="utf-8")
    (root / "entries/2024-05-01-sql-joins.md").write_text("---\ntitle: SQL joins\ndate: 2024-05-01\n---\nJoins.\n")
    (root / "entries/2024-05-02-other.md").write_text("---\ntitle: Other\ndate: 2024-05-02\n---\nOther.\n")
    (root / "mentions").mkdir()
    export = root / "mentions/webmention-io.json"
    export.write_text(feed(response(1)), encoding="utf-8")
    assert build(root, Options(search_later=True)).ok
    other = (root / "_site/2024/other/index.html").stat().st_mtime_ns
    export.write_text(feed(response(1), response(2)), encoding="utf-8")
    assert build(root, Options(search_later=True)).ok
    page = (root / "_site/2024/sql-joins/index.html").read_text(encoding="utf-8")
    assert "Reply number 1" in page and "Reply number 2" in page
    assert (root / "_site/2024/other/index.html").stat().st_mtime_ns == other


def test_avatars_only_when_the_author_turns_them_on(tmp_path: Path) -> None:
    files = {"a.json": (DATA / "webmention-io.json").read_text()}
    off, _ = load(tmp_path, files)
    assert all(p.photo == "" for p in off.get("/2024/sql-joins/").likes)
    on, _ = load(tmp_path, files, photos=True)
    assert on.get("/2024/sql-joins/").likes[1].photo == "https://avatars.example.net/dev.jpg"


@pytest.mark.parametrize(("url", "base", "path"), [
    ("https://maya.example.org/2024/x/", BASE, "/2024/x/"),
    ("http://maya.example.org/2024/x", BASE, "/2024/x/"),
    ("https://MAYA.example.org/2024/x/index.html?utm=1#c", BASE, "/2024/x/"),
    ("https://maya.example.org/", BASE, "/"),
    ("https://maya.example.org", BASE, "/"),
    ("https://maya.example.org/feed.xml", BASE, "/feed.xml"),
    ("https://maya.example.org/2024/caf%C3%A9/", BASE, "/2024/café/"),
    ("https://example.org/notes/2024/x/", "https://example.org/notes/", "/2024/x/"),
    ("https://example.org/notes", "https://example.org/notes/", "/"),
    ("https://example.org/other/2024/x/", "https://example.org/notes/", None),
    ("https://maya.example.org.evil.example/2024/x/", BASE, None),
    ("https://maya.example.org:8443/2024/x/", BASE, None),
    ("http://localhost:8000/2024/x/", "http://localhost:8000/", "/2024/x/"),
    ("https://maya.example.org:port/", BASE, None),
    ("javascript:alert(1)", BASE, None),
])
def test_targets_become_site_paths(url: str, base: str, path: str | None) -> None:
    assert mentions.site_path(url, base) == path


def test_a_response_in_several_files_counts_once(tmp_path: Path) -> None:
    same_id = response(1)
    same_url = {k: v for k, v in response(2).items() if k != "wm-id"}
    found, problems = load(tmp_path, {
        "a-export.json": feed(same_id, same_url),
        "b/received-2024.json": feed(same_id, {**same_url, "wm-id": 99}, response(3)),
    })
    assert [r.url for r in found.get("/2024/sql-joins/").replies] == [f"https://them.example.net/r/{n}" for n in (1, 2, 3)]
    assert problems == []


def test_a_pages_digest_changes_when_and_only_when_its_responses_do(tmp_path: Path) -> None:
    other = "https://maya.example.org/2024/other/"
    before, _ = load(tmp_path, {"a.json": feed(response(1), response(2, target=other))})
    same, _ = load(tmp_path, {"a.json": feed(response(2, target=other), response(1))})
    after, _ = load(tmp_path, {"a.json": feed(response(1), response(2, target=other, content={"text": "Edited"}))})
    assert before.digest("/2024/sql-joins/") == same.digest("/2024/sql-joins/") == after.digest("/2024/sql-joins/")
    assert before.digest("/2024/other/") == same.digest("/2024/other/") != after.digest("/2024/other/")
    assert before.digest("/nothing/") == mentions.Mentions().digest("/nothing/")
    assert before.digest("/nothing/") != before.digest("/2024/other/")


def test_no_folder_no_responses(tmp_path: Path) -> None:
    found, problems = mentions.load(tmp_path / "mentions", BASE)
    assert found.get("/2024/x/").count == 0 and problems == []


# --- hostile content --------------------------------------------------------------------------------

HOSTILE_HTML = [
    "<script>alert(1)</script>",
    '<p onclick="alert(1)" onmouseover="alert(1)">x</p>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<p style="position:fixed;top:0;left:0;width:100%;height:100%">x</p>',
    '<iframe src="https://evil.example/"></iframe>',
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<img src="x" onerror="alert(1)">',
    '<img src="https://tracker.example/pixel.gif">',
    '<form action="https://evil.example/"><input name="password"><button>go</button></form>',
    '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf">',
    '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css"><style>body{display:none}</style>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!-- <script>alert(1)</script> -->",
    '<a href="https://ok.example/" target="_blank" rel="opener" id="x" class="y">ok</a>',
    "<details open ontoggle=alert(1)>",
    '<video><source onerror="alert(1)"></video><audio src=x onerror=alert(1)>',
    "<" * 1000 + "p>" + "<b>" * 5000,
]


@pytest.mark.parametrize("markup", HOSTILE_HTML)
def test_reply_html_keeps_only_formatting_and_safe_links(tmp_path: Path, markup: str) -> None:
    found, _ = load(tmp_path, {"a.json": feed(response(1, content={"html": markup}))})
    shown = found.get("/2024/sql-joins/").replies[0].content
    lowered = shown.lower()
    for bad in ("<script", "<iframe", "<svg", "<img", "<form", "<input", "<object", "<embed", "<base", "<meta",
                "<link", "<style", "<math", "<video", "<audio", "<details", "<!--", "javascript:", "vbscript:",
                "data:", " on", "style=", "target=", "class=", "id="):
        assert bad not in lowered, (bad, shown)
    for link in re.findall(r"<a [^>]*>", shown):
        assert re.fullmatch(r'<a (href="https?://[^"]+" )?rel="nofollow ugc">', link), link


def test_only_http_urls_survive_anywhere(tmp_path: Path) -> None:
    hostile = response(
        1, url="javascript:alert(1)", **{"wm-source": "data:text/html,x"},
        author={"name": "Mallory", "url": "javascript:alert(1)", "photo": "data:image/svg+xml,<svg onload=alert(1)>"},
    )
    found, problems = load(tmp_path, {"a.json": feed(hostile)}, photos=True)
    reply = found.get("/2024/sql-joins/").replies[0]
    assert (reply.url, reply.author.url, reply.author.photo) == ("", "", "")
    assert reply.author.name == "Mallory"
    assert problems == ["mentions/a.json:7: warning: response 1 (wm-id 1): ignored url (not an http(s) URL), "
                        "author.url (not an http(s) URL), author.photo (not an http(s) URL)"]


def test_text_is_cut_to_a_length_and_cleaned_of_controls(tmp_path: Path) -> None:
    name = "\u202eevil\u202c " + "Name " * 2000
    found, _ = load(tmp_path, {"a.json": feed(response(1, author={"name": name}, name="T" * 5000,
                                                       content={"text": "word " * 10_000}),
                                              response(2, content={"html": "<p>" + "x " * 50_000 + "</p>"}))})
    first, second = found.get("/2024/sql-joins/").replies
    assert len(first.author.name) <= mentions.MAX_NAME and first.author.name.startswith("evil Name")
    assert len(first.name) <= mentions.MAX_NAME
    assert len(first.content) < mentions.MAX_TEXT + 100 and first.content.endswith("…</p>")
    assert len(second.content) < untrusted.MAX_HTML + 100 and second.content.endswith("</p>")


WRONG_TYPES: list[tuple[Any, str]] = [
    (17, "response 1: should be an object, not a number; it is left out"),
    ("text", "response 1: should be an object, not text; it is left out"),
    ([1, 2], "response 1: should be an object, not a list; it is left out"),
    (None, "response 1: should be an object, not null; it is left out"),
    ({"wm-target": 5}, "response 1: has no wm-target with an http(s) URL; it is left out"),
    ({"wm-target": ["https://maya.example.org/"]}, "response 1: has no wm-target with an http(s) URL; it is left out"),
    ({"wm-target": "javascript:alert(1)//maya.example.org/"}, "response 1: has no wm-target with an http(s) URL; it is left out"),
    (response(1, author="Mallory"), "response 1 (wm-id 1): ignored author (should be an object, not text)"),
    (response(1, author={"name": ["M"]}), "response 1 (wm-id 1): ignored author.name (not text but a list)"),
    (response(1, content=["x"]), "response 1 (wm-id 1): ignored content (should be an object with html and text, not a list)"),
    (response(1, content={"html": 5}), "response 1 (wm-id 1): ignored content (html and text should be text)"),
    (response(1, **{"wm-property": "zap-of"}), "response 1 (wm-id 1): ignored wm-property (unknown; shown as a mention)"),
    ({**response(1), "wm-property": ["like-of"]}, "response 1 (wm-id 1): ignored wm-property (unknown; shown as a mention)"),
    ({**response(1), "wm-id": {"a": 1}, "wm-private": "yes"}, ""),
]


@pytest.mark.parametrize(("item", "message"), WRONG_TYPES)
def test_wrong_types_are_reported_not_crashed_on(tmp_path: Path, item: Any, message: str) -> None:
    found, problems = load(tmp_path, {"a.json": feed(item, response(2))})
    assert [p.split(": warning: ", 1)[1] for p in problems] == ([message] if message else [])
    assert all(p.startswith("mentions/a.json:") for p in problems)
    assert "https://them.example.net/r/2" in [r.url for r in found.get("/2024/sql-joins/").replies]


def test_odd_values_are_shown_without_what_is_odd(tmp_path: Path) -> None:
    item = {**response(1, published="yesterday", name=7, content="plain text"), "wm-received": 12, "wm-id": True}
    found, problems = load(tmp_path, {"a.json": feed(item)})
    reply = found.get("/2024/sql-joins/").replies[0]
    assert reply.published is None and reply.name == "" and reply.content == "<p>plain text</p>"
    assert problems == []


@pytest.mark.parametrize(("published", "shown"), [
    ("2024-05-02T18:00:00+02:00", dt.datetime(2024, 5, 2, 16, 0, tzinfo=dt.timezone.utc)),
    ("2024-05-02T18:00:00", dt.datetime(2024, 5, 2, 18, 0, tzinfo=dt.timezone.utc)),
    ("2024-05-02", dt.datetime(2024, 5, 2, tzinfo=dt.timezone.utc)),
    ("9999-12-31T23:59:59-05:00", None),
    ("0001-01-01T00:00:00+05:00", None),
    ("1969-12-31T23:59:59Z", None),
    ("2024-13-45", None),
    ("2024-05-02T18:00:00+02:00" + " " * 100, None),
])
def test_dates_that_cannot_be_shown_everywhere_are_no_dates(tmp_path: Path, published: str, shown: dt.datetime | None) -> None:
    item = {**response(1, published=published), "wm-received": None}
    found, _ = load(tmp_path, {"a.json": feed(item)})
    assert found.get("/2024/sql-joins/").replies[0].published == shown


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
    | st.sampled_from([JOINS, "javascript:alert(1)", "<script>alert(1)</script>", "in-reply-to", "like-of"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["wm-id", "wm-target", "wm-property", "url", "author", "name", "photo", "content",
                         "html", "text", "published", "wm-private", "like-of"]) | st.text(max_size=8), inner, max_size=6),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(JSON, max_size=6))
def test_any_json_at_all_gives_warnings_never_an_exception(tmp_path: Path, items: list[Any]) -> None:
    found, problems = load(tmp_path, {"fuzz.json": json.dumps({"children": items})})
    for responses in found.targets.values():
        for reply in responses.replies + responses.mentions:
            assert "<script" not in reply.content and "javascript:" not in reply.content
        for person in [*responses.likes, *(r.author for r in responses.replies)]:
            assert person.url == "" or person.url.startswith(("http://", "https://"))
    assert all(p.startswith("mentions/fuzz.json:") for p in problems)


BAD_FILES: list[tuple[bytes, str]] = [
    (b'{"type": "feed",\n "children": [\n  {"wm-id": 1,}\n ]}', "a.json:3: warning: is not valid JSON: Expecting property name enclosed in double quotes; the file is left out"),
    (b'{"children": [{"name": "caf\xe9"}]}', "a.json:1: warning: is not UTF-8 text, so it is left out; save it as UTF-8"),
    (b"\n\n\xff\xfe", "a.json:3: warning: is not UTF-8 text, so it is left out; save it as UTF-8"),
    (b"[" * 200_000 + b"]" * 200_000, "a.json:1: warning: is nested too deeply to be a jf2 feed; the file is left out"),
    (b'{"children": [{"wm-id": 1' + b"0" * 5000 + b"}]}", "a.json:1: warning: is not usable JSON"),
    (b'{"type": "feed", "children": "none"}', "a.json:1: warning: is not a jf2 feed"),
    (b'"just text"', "a.json:1: warning: is not a jf2 feed"),
    (b"", "a.json:1: warning: is not valid JSON: Expecting value; the file is left out"),
    (b" " * (mentions.MAX_FILE_BYTES + 1), "a.json:1: warning: is larger than 5 MB, so it is left out; split it into smaller files"),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
def test_a_file_that_cannot_be_used_is_a_warning_naming_it(tmp_path: Path, content: bytes, message: str) -> None:
    found, problems = load(tmp_path, {"a.json": content, "b.json": feed(response(1))})
    assert len(problems) == 1 and problems[0].startswith("mentions/" + message), problems
    assert found.get("/2024/sql-joins/").count == 1  # the good file is still used


def test_a_flood_of_bad_responses_gives_a_bounded_number_of_warnings(tmp_path: Path) -> None:
    _, problems = load(tmp_path, {"a.json": feed(*[{"wm-target": n} for n in range(500)])})
    assert len(problems) == mentions.MAX_WARNINGS + 1
    assert problems[-1] == "mentions/a.json:1: warning: 480 more responses with problems; they are left out or shown in part"


def test_links_out_of_the_folder_and_hidden_files_are_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text(feed(response(1)))
    folder = tmp_path / "mentions"
    folder.mkdir()
    (folder / "link.json").symlink_to(outside)
    (folder / ".received-2024.json.x1.tmp.json").write_text(feed(response(2)))
    found, problems = mentions.load(folder, BASE)
    assert found.get("/2024/sql-joins/").count == 0
    assert [str(p) for p in problems] == ["mentions/link.json:1: warning: is a link to a file outside the mentions folder; it is left out"]


# --- how a reader responds ---------------------------------------------------------------------


def test_respond_link_prefers_the_entrys_own_discussion() -> None:
    config = Config(author=Author("Maya", "maya@example.org"), respond="https://forum.example.org/new?link={url}&t={title}")
    assert mentions.respond_link("SQL joins", JOINS, config, "https://forum.example.org/t/42") == (
        "Discuss this entry", "https://forum.example.org/t/42")


def test_respond_link_fills_the_configured_pattern_url_encoded() -> None:
    config = Config(author=Author("Maya", "maya@example.org"), respond="https://forum.example.org/new?link={url}&t={title}")
    assert mentions.respond_link("Joins & more?", JOINS, config, "javascript:alert(1)") == (
        "Discuss this entry",
        "https://forum.example.org/new?link=https%3A%2F%2Fmaya.example.org%2F2024%2Fsql-joins%2F&t=Joins%20%26%20more%3F")


def test_respond_link_defaults_to_mail_with_the_title_as_subject() -> None:
    config = Config(author=Author("Maya", "maya@example.org"))
    assert mentions.respond_link("SQL joins & me", JOINS, config) == (
        "Reply by email", "mailto:maya@example.org?subject=Re%3A%20SQL%20joins%20%26%20me")
    assert mentions.respond_link("x", JOINS, Config()) is None


def test_a_discuss_value_that_is_no_web_address_is_reported() -> None:
    class Entry:
        path, extra, lines = "entries/a.md", {"discuss": "javascript:alert(1)"}, {"discuss": 4}

    assert [str(p) for p in mentions.link_problems([Entry()])] == [
        "entries/a.md:4: 'discuss' must be the http(s) URL of a discussion of this entry, such as a forum thread, not 'javascript:alert(1)'"]


def test_settings_for_responses_are_validated() -> None:
    good, problems = config_mod.parse({
        "webmention": "https://webmention.io/maya.example.org/webmention",
        "mentions": "https://webmention.io/api/mentions.jf2?domain=maya.example.org",
        "mention_photos": True, "respond": "mailto:list@example.org?subject={title}",
    }, {})
    assert problems == [] and good.mention_photos and good.respond.startswith("mailto:")
    assert Config().mentions == Config().webmention == Config().respond == "" and not Config().mention_photos
    _, problems = config_mod.parse({
        "webmention": "ftp://x.example/", "mentions": "https://webmention.io/api/mentions.jf2?token=abc",
        "mention_photos": "yes", "respond": "https://forum.example.org/{slug}",
    }, {"webmention": 1, "mentions": 2, "mention_photos": 3, "respond": 4})
    messages = {p.line: p.message for p in problems}
    assert messages[1].startswith("'webmention' must be an absolute http(s) URL")
    assert "PUBLOG_MENTIONS_TOKEN" in messages[2]
    assert messages[3].startswith("'mention_photos' must be true or false")
    assert "no other {...}" in messages[4]


# --- publog mentions pull ---------------------------------------------------------------------------

@contextmanager
def receiver(answer: Answer) -> Iterator[tuple[str, Asked]]:
    """A jf2 API on this machine; yields its URL and what it was asked."""
    with server(answer) as (base, asked):
        yield f"{base}/api/mentions.jf2?domain=maya.example.org", asked


def send(body: bytes | str, status: int = 200, headers: dict[str, str] | None = None) -> Answer:
    return http_support.send(body, status, headers, content_type="application/json")


def site(journal, api: str, files: dict[str, str] | None = None, name: str = "journal") -> Path:
    return journal({"publog.yaml": f"base_url: {BASE}\nmentions: {api}\n", "entries/.keep": "", **(files or {})}, name)


def folder_state(root: Path) -> dict[str, bytes]:
    folder = root / "mentions"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def test_pull_writes_what_the_receiver_has_and_then_only_asks_for_what_is_new(journal, publog, monkeypatch) -> None:
    monkeypatch.setenv(TOKEN_VARIABLE, "s3cret-token")
    export = (DATA / "webmention-io.json").read_text()
    with receiver(send(export)) as (api, asked):
        root = site(journal, api)
        first = publog("mentions", "pull", root)
    assert first.code == 0, first.err
    assert first.out == ("6 new response(s), 6 in all (mentions/received-2024.json); "
                         "2 left out: private, or for another site\n")
    path = asked[0][0]
    assert "token=s3cret-token" in path and "since_id" not in path and "domain=maya.example.org" in path
    assert folder_state(root).keys() == {"received-2024.json"}
    stored = (root / "mentions" / "received-2024.json").read_text()
    assert "s3cret" not in stored and "private note" not in stored and "another-site" not in stored
    # What was pulled shows exactly as the export it came from.
    pulled, problems = mentions.load(root / "mentions", BASE)
    exported, _ = load(root / "copy", {"e.json": export})
    assert problems == [] and pulled == exported

    newer = response(1900, **{"wm-received": "2025-01-02T10:00:00Z"})
    with receiver(send(feed(newer))) as (api, asked):
        (root / "publog.yaml").write_text(f"base_url: {BASE}\nmentions: {api}\n")
        second = publog("mentions", "pull", root)
    assert second.code == 0, second.err
    assert second.out == "1 new response(s), 7 in all (mentions/received-2025.json)\n"
    assert "since_id=1820" in asked[0][0]
    assert folder_state(root).keys() == {"received-2024.json", "received-2025.json"}
    assert (root / "mentions" / "received-2024.json").read_text() == stored  # untouched

    with receiver(send(feed(newer))) as (api, asked):
        (root / "publog.yaml").write_text(f"base_url: {BASE}\nmentions: {api}\n")
        again = publog("mentions", "pull", root)
    assert again.out == "0 new response(s), 7 in all (nothing changed)\n"


def test_pull_follows_pages_and_stops_when_a_receiver_ignores_them(journal, publog) -> None:
    many = [response(n) for n in range(1, 151)]

    def paged(handler: BaseHTTPRequestHandler) -> None:
        page = int(re.search(r"[?&]page=(\d+)", handler.path).group(1))  # type: ignore[union-attr]
        send(feed(*many[page * 100:(page + 1) * 100]))(handler)

    with receiver(paged) as (api, asked):
        result = publog("mentions", "pull", site(journal, api))
    assert result.code == 0 and result.out.startswith("150 new response(s), 150 in all")
    assert len(asked) == 2

    with receiver(send(feed(*many[:100]))) as (api, asked):
        result = publog("mentions", "pull", site(journal, api, name="ignores-pages"))
    assert result.code == 0 and len(asked) == 2  # the second page brought nothing new


def failing_pull(journal, publog, answer: Answer | None, *extra: str) -> tuple[Any, dict[str, bytes], dict[str, bytes]]:
    """Pull into a journal that holds responses already; return the run and the folder before and after."""
    if answer is None:  # nothing listens on this port
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        api = f"http://127.0.0.1:{port}/api/mentions.jf2"
        root = site(journal, api, {"mentions/received-2024.json": feed(response(1))})
        before = folder_state(root)
        return publog("mentions", "pull", root, *extra), before, folder_state(root)
    with receiver(answer) as (api, _):
        root = site(journal, api, {"mentions/received-2024.json": feed(response(1))})
        before = folder_state(root)
        return publog("mentions", "pull", root, *extra), before, folder_state(root)


def slow(handler: BaseHTTPRequestHandler) -> None:
    threading.Event().wait(3)


def endless(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.end_headers()
    for _ in range(mentions.MAX_FILE_BYTES // 65536 + 2):
        handler.wfile.write(b" " * 65536)


@pytest.mark.parametrize(("answer", "extra", "message"), [
    (None, (), r"cannot reach 127\.0\.0\.1 \(Connection refused\); nothing was written; check that you are online"),
    (slow, ("--timeout", "0.5"), r"127\.0\.0\.1 did not answer within 0\.5 s; nothing was written"),
    (send("oops", 500), (), r"127\.0\.0\.1 answered HTTP 500 Internal Server Error; nothing was written; try again later"),
    (send('{"error": "forbidden"}', 401), (), r"answered HTTP 401 Unauthorized; nothing was written; set PUBLOG_MENTIONS_TOKEN"),
    (send('{"children": [{"wm-id": 1,}]}'), (), r"not a jf2 feed \(invalid JSON at line 1: Expecting property name"),
    (send('{"links": []}'), (), r"not a jf2 feed \(no 'children' list\)"),
    (send(b"\xff\xfe{}"), (), r"not a jf2 feed \(not UTF-8\)"),
    (send(b"x", headers={"Content-Length": str(6 * 2**20)}), (), r"sent 6 MB, more than the 5 MB publog accepts; nothing was written"),
    (endless, (), r"sent more than the 5 MB publog accepts; nothing was written"),
    (send("", 302, {"Location": "ftp://127.0.0.1/mentions.json"}), (), r"redirected to a URL that is not http\(s\)"),
], ids=["offline", "timeout", "http-500", "http-401", "invalid-json", "not-a-feed", "not-utf8", "too-long", "endless",
        "redirect"])
def test_a_failed_pull_says_why_and_changes_nothing(journal, publog, answer: Answer | None, extra: tuple[str, ...], message: str) -> None:
    result, before, after = failing_pull(journal, publog, answer, *extra)
    assert result.code == 1
    assert re.search(message, result.err), result.err
    assert result.err.startswith("publog: ") and result.err.count("\n") == 1
    assert after == before  # no partial file, no temporary file left behind


def test_pull_keeps_only_what_is_shown_of_a_hostile_answer(journal, publog) -> None:
    deep: Any = "bottom"
    for _ in range(500):
        deep = {"x": deep}
    hostile = response(3, extra=deep, author={"name": "Mal", "url": "https://mal.example/", "h-card": deep},
                       content={"html": "<p>hi</p>", "nested": [deep]}, **{"wm-received": "9999-12-31T23:59:59-05:00"})
    with receiver(send(feed(hostile, "not an object", {"no": "id or url"}))) as (api, _):
        root = site(journal, api)
        result = publog("mentions", "pull", root)
    assert result.code == 0 and result.out.startswith("1 new response(s), 1 in all (mentions/received-2024.json)")
    stored = json.loads((root / "mentions" / "received-2024.json").read_text())["children"]
    assert stored == [{key: value for key, value in hostile.items() if key != "extra"}
                      | {"author": {"name": "Mal", "url": "https://mal.example/"}, "content": {"html": "<p>hi</p>"}}]


def test_pull_will_not_merge_into_a_file_it_cannot_read(journal, publog) -> None:
    with receiver(send(feed(response(5)))) as (api, asked):
        root = site(journal, api, {"mentions/received-2024.json": '{"children": ['})
        result = publog("mentions", "pull", root)
    assert result.code == 1 and not asked
    assert "mentions/received-2024.json:1: warning: is not valid JSON" in result.err
    assert "fix or move that file before pulling" in result.err
    assert (root / "mentions" / "received-2024.json").read_text() == '{"children": ['


def test_pull_without_an_api_setting_says_what_to_add(journal, publog) -> None:
    root = journal({"publog.yaml": f"base_url: {BASE}\n"})
    result = publog("mentions", "pull", root)
    assert result.code == 1 and "add your receiver's jf2 API" in result.err
    assert not (root / "mentions").exists()


def test_hand_made_exports_beside_pulled_files_are_left_alone(journal, publog) -> None:
    with receiver(send(feed(response(7)))) as (api, _):
        root = site(journal, api, {"mentions/old-export.json": feed(response(1)), "mentions/notes.txt": "mine"})
        assert publog("mentions", "pull", root).code == 0
    assert (root / "mentions" / "old-export.json").read_text() == feed(response(1))
    assert sorted(folder_state(root)) == ["notes.txt", "old-export.json", "received-2024.json"]


def test_pull_that_cannot_write_says_so(journal, publog) -> None:
    with receiver(send(feed(response(7)))) as (api, _):
        root = site(journal, api, {"mentions": "a file where the folder should be"})
        result = publog("mentions", "pull", root)
    assert result.code == 1 and result.err.startswith("publog: cannot write to mentions/")


def test_pull_needs_a_valid_publog_yaml(journal, publog) -> None:
    root = journal({"publog.yaml": "base_url: https://maya.example.org/\nmentions: webmention.io\n"})
    result = publog("mentions", "pull", root)
    assert result.code == 1
    assert "publog.yaml:2: 'mentions' must be an absolute http(s) URL" in result.err
    assert "nothing was pulled" in result.err


def test_a_url_that_is_not_even_parseable_is_dropped_not_a_crash(tmp_path) -> None:
    import json as json_

    from publog.social import mentions

    folder = tmp_path / "mentions"
    folder.mkdir()
    (folder / "x.json").write_text(json_.dumps({"type": "feed", "children": [{
        "type": "entry", "wm-id": 1, "wm-property": "in-reply-to", "wm-target": "https://maya.example.org/2024/a/",
        "url": "http://[::1", "author": {"name": "X", "url": "http://[::1"}, "content": {"text": "hi"}}]}))
    found, problems = mentions.load(folder, "https://maya.example.org/")
    assert all(r.url == "" for r in found.get("/2024/a/").replies)


def test_a_preview_built_for_another_address_keeps_the_responses_to_the_real_one(tmp_path: Path) -> None:
    """Responses are for pages of publog.yaml's base_url; a deploy preview (--base-url) or publog serve
    builds the same pages for another address, with the same responses and no warning."""
    journal = tmp_path / "journal"
    shutil.copytree(SAMPLE, journal, ignore=shutil.ignore_patterns(".publog-cache", "_site"))
    own = run_cli("build", journal, "--strict", "--no-daemon", "--out", tmp_path / "own")
    preview = run_cli("build", journal, "--strict", "--no-daemon", "--out", tmp_path / "preview",
                      "--base-url", "https://deploy-preview-1--maya.example.net/")
    assert own.code == 0 and preview.code == 0, preview.err

    def responses(site: Path) -> int:
        return sum(page.read_text().count('class="responses"') for page in site.rglob("*.html"))

    assert responses(tmp_path / "preview") == responses(tmp_path / "own") > 0
