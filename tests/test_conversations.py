"""Readable by the open web's tools: microformats read with mf2py, responses shown safely, a way to reply."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import feedparser
import mf2py
import pytest

from conftest import SAMPLE, entry
from readers_support import build_sample, entry_pages, sample_config

BASE = "https://maya.example.org/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory)


def parse(site: Path, url: str) -> dict:
    file = site / url.strip("/") / "index.html" if url.endswith("/") else site / url.strip("/")
    return mf2py.parse(doc=file.read_text(), url=BASE + url.lstrip("/"))


def items_of(parsed: dict, kind: str) -> list[dict]:
    found = []

    def walk(items: list) -> None:
        for item in items:
            if not isinstance(item, dict) or "type" not in item:
                continue
            if kind in item["type"]:
                found.append(item)
            walk(item.get("children", []))
            for values in item.get("properties", {}).values():
                walk(values)

    walk(parsed["items"])
    return found


def test_every_entry_page_is_one_h_entry_with_every_property(site: Path) -> None:
    config = sample_config()
    pages = entry_pages(site)
    assert len(pages) >= 25
    for url, file in pages.items():
        parsed = mf2py.parse(doc=file.read_text(), url=BASE + url.lstrip("/"))
        entries = [i for i in parsed["items"] if "h-entry" in i["type"]]
        assert len(entries) == 1, url
        props = entries[0]["properties"]
        for name in ("name", "summary", "content", "published", "url", "author"):
            assert props.get(name), f"{url}: no {name}"
        assert props["url"][0] == BASE + url.lstrip("/")
        author = props["author"][0]
        assert author["type"] == ["h-card"] and author["properties"]["name"] == ["Maya Lindqvist"]
        title = file.read_text().split('<h1 class="p-name">')[1].split("</h1>")[0]
        assert props["name"][0] == html.unescape(title)


def test_categories_and_updated_come_from_topics_and_the_updated_date(site: Path) -> None:
    props = items_of(parse(site, "/2026/how-i-finally-understood-joins/"), "h-entry")[0]["properties"]
    assert set(props["category"]) >= {"SQL", "Analytics"}
    assert props["updated"][0].startswith("2026-08-02")
    assert props["syndication"] == ["https://social.example.com/@maya/1100",
                                    "https://www.linkedin.com/posts/maya-lindqvist-example_sql-joins"]


def test_the_home_page_carries_the_authors_h_card_and_rel_me_links(site: Path) -> None:
    parsed = parse(site, "/")
    cards = [c for c in items_of(parsed, "h-card")]
    assert any(c["properties"]["name"] == ["Maya Lindqvist"] for c in cards)
    assert set(parsed["rels"]["me"]) == {"https://maya.example.org/", "https://social.example.com/@maya",
                                         "https://github.com/maya-lindqvist-example"}


@pytest.mark.parametrize("url", ["/", "/topics/sql/", "/kinds/til/", "/help-wanted/"])
def test_list_pages_are_h_feeds_of_h_entries(site: Path, url: str) -> None:
    feeds = items_of(parse(site, url), "h-feed")
    assert len(feeds) == 1
    children = [c for c in feeds[0].get("children", []) if "h-entry" in c["type"]]
    assert children and all(c["properties"].get("url") and c["properties"].get("published") for c in children)


def test_every_page_advertises_the_webmention_endpoint(site: Path) -> None:
    for file in site.rglob("*.html"):
        assert parse(site, file.relative_to(site).as_posix())["rels"].get("webmention") == [
            "https://webmention.io/maya.example.org/webmention"], file


def test_replies_and_counts_show_under_their_entry_and_nothing_hostile_survives(site: Path) -> None:
    html = (site / "2026/how-i-finally-understood-joins/index.html").read_text()
    responses = html.split('<section class="responses"')[1].split("</section>")[0]
    assert "1 like:" in responses and "1 repost:" in responses
    replies = re.findall(r'<a class="p-name u-url" href="([^"]+)" rel="nofollow ugc">([^<]+)</a>', responses)
    assert [name for _, name in replies] == ["Tomás Ortega", "Priya Raman"]  # oldest first
    for bad in ("<script", "onerror", "onclick", "<iframe", "javascript:", "style=", "A private reply"):
        assert bad not in responses
    assert 'href="https://priya.example.net/notes/reconcile" rel="nofollow ugc"' in responses  # relative made absolute
    assert "Data Weekly #212" in responses
    sanity = (site / "2026/how-do-analysts-sanity-check-a-query/index.html").read_text()
    assert "Count the rows before and after every join." in sanity
    assert "onclick" not in sanity and "<iframe" not in sanity and "position:fixed" not in sanity and "<script" not in html
    assert "Responses" not in (site / "2026/why-im-learning-to-code-in-public/index.html").read_text()
    h_entry = items_of(mf2py.parse(doc=html, url=BASE), "h-entry")[0]
    assert len(h_entry["properties"]["comment"]) == 2


def test_every_entry_and_feed_item_ends_with_a_way_to_respond(site: Path) -> None:
    question = (site / "2026/how-do-analysts-sanity-check-a-query/index.html").read_text()
    assert re.search(r'<p class="respond"><a href="mailto:maya@example.org\?subject=Re%3A%20How%20do[^"]*">Reply by email</a>: '
                     r"this question is still open", question)
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    for item in feed.entries:
        assert "mailto:maya@example.org?subject=Re%3A%20" in item.content[0].value, item.link


def test_respond_pattern_and_discuss_urls(journal, publog) -> None:
    root = journal({
        "publog.yaml": "base_url: https://example.org/\nrespond: https://forum.example.org/new?link={url}&title={title}\n",
        "entries/2024-01-01-a.md": entry("A & B", "2024-01-01"),
        "entries/2024-01-02-b.md": entry("B", "2024-01-02", discuss="https://forum.example.org/t/42"),
    })
    assert publog("build", root, "--strict").code == 0
    a = (root / "_site/2024/a/index.html").read_text()
    assert ('<a href="https://forum.example.org/new?link=https%3A%2F%2Fexample.org%2F2024%2Fa%2F&amp;title=A%20%26%20B">'
            "Discuss this entry</a>") in a
    assert '<a href="https://forum.example.org/t/42">Discuss this entry</a>' in (root / "_site/2024/b/index.html").read_text()


def test_a_new_mention_rerenders_only_its_page(journal) -> None:
    from publog.run.build import Options, build

    root = journal({"publog.yaml": "base_url: https://example.org/\nsearch: false\n",
                    **{f"entries/2024-01-0{i}-e{i}.md": entry(f"E{i}", f"2024-01-0{i}") for i in range(1, 6)}})
    assert build(root, Options()).ok
    (root / "mentions").mkdir()
    (root / "mentions/received-2024.json").write_text(json.dumps({"type": "feed", "children": [{
        "type": "entry", "wm-id": 1, "wm-property": "like-of", "wm-target": "https://example.org/2024/e3/",
        "author": {"type": "card", "name": "Ada", "url": "https://ada.example/"}, "url": "https://ada.example/likes/1"}]}))
    result = build(root, Options())
    assert result.ok and result.rendered == 1
    assert "1 like:" in (root / "_site/2024/e3/index.html").read_text()
