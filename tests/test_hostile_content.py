"""Hostile journals, content (issue 8): markup where text belongs, enormous lists, long and exotic text.

Raw HTML and <script> in titles, tags and summaries are escaped in pages and feeds; raw HTML in the
body is the author's own and kept. Enormous tag lists, 500-character titles, emoji and right-to-left
text build into a site whose file names every file system takes.
"""

from __future__ import annotations

import html
import json
import os
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import markupsafe
import pytest

from conftest import entry, snapshot
from hostile_support import assert_clear, assert_fails_with, build, cli, guarded_build, problems, site_bytes

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"

TITLE = "<script>alert('title')</script> & <b>bold</b> \"quoted\" 'single'"
TAG = "<img src=x onerror=alert('tag')>"
SUMMARY = "<script>alert('summary')</script></title><!-- \"x\" & y"
SITE_TITLE = "<script>alert('site')</script> Notes & \"more\""
BODY = '<div class="author-own">raw html</div>\n\n<script>console.log("the author\'s own")</script>\n\nText.'


class Elements(HTMLParser):
    """Every start tag of a page, with its attributes, and the text of <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def parse(page: Path) -> Elements:
    parser = Elements()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture
def markup_journal(journal, tmp_path: Path) -> Path:
    root = journal({
        "publog.yaml": f"title: {json.dumps(SITE_TITLE)}\ndescription: '<i>desc</i>'\n",
        "entries/a.md": "---\n" + "\n".join([
            f"title: {json.dumps(TITLE)}", "date: 2024-01-01", f"tags: [{json.dumps(TAG)}, plain]",
            f"summary: {json.dumps(SUMMARY)}", "kind: til"]) + f"\n---\n{BODY}\n",
    })
    result = guarded_build(tmp_path, root)
    assert result.code == 0, result.err
    return root


def test_markup_in_titles_tags_and_summaries_is_text_in_every_page(markup_journal: Path) -> None:
    out = markup_journal / "_site"
    for rel, data in site_bytes(out).items():
        if not rel.endswith(".html"):
            continue
        text = data.decode()
        for raw in ("<script>alert(", "<img src=x", "<b>bold</b>", "<i>desc</i>", "</title><!--"):
            assert raw not in text, f"{rel} has {raw!r} unescaped"
        elements = parse(out / rel)
        scripts = [a for t, a in elements.tags if t == "script"]
        imgs = [a for t, a in elements.tags if t == "img" and a.get("onerror")]
        if rel == "2024/a/index.html":
            assert len(scripts) == 1 and not imgs  # the body's own script, nothing else
        elif rel == "search/index.html":
            assert [a.get("type") for a in scripts] == ["module"] and not imgs  # the search box
        else:
            assert not scripts and not imgs, rel
    page = parse(out / "2024/a/index.html")
    metas = {a.get("property") or a.get("name"): a.get("content") for t, a in page.tags if t == "meta"}
    assert TITLE in page.title
    assert metas.get("og:title") == TITLE
    assert metas.get("description") == SUMMARY
    topics = (out / "topics/index.html").read_text()
    assert str(markupsafe.escape(TAG)) in topics


def test_the_body_keeps_the_authors_own_html(markup_journal: Path) -> None:
    page = (markup_journal / "_site/2024/a/index.html").read_text()
    assert '<div class="author-own">raw html</div>' in page
    assert "<script>console.log(\"the author's own\")</script>" in page


def test_markup_in_titles_tags_and_summaries_is_text_in_every_feed(markup_journal: Path) -> None:
    out = markup_journal / "_site"
    # (the weekly digest's items are weeks, titled by the week; its content is checked below)
    feeds = [p for p in out.rglob("*.xml") if p.name in ("feed.xml", "atom.xml") and p.parent.name != "weeks"]
    checked = 0
    for feed in feeds:
        tree = ET.parse(feed)
        if not any(True for _ in tree.iter("item")) and not any(True for _ in tree.iter(ATOM + "entry")):
            continue  # a feed of no entry (help wanted)
        checked += 1
        if feed.name == "feed.xml":
            item = next(tree.iter("item"))
            assert item.findtext("title") == TITLE  # RSS titles are plain text: escaped once, by XML
            description = item.findtext("description") or ""
            assert "<script" not in description and "<!--" not in description  # HTML: escaped again
            assert html.unescape(description) == SUMMARY
            assert {c.text for c in item.iter("category")} == {TAG, "Plain"}
            assert '<div class="author-own">raw html</div>' in (item.findtext(CONTENT) or "")
            assert tree.findtext("channel/title", "").startswith(SITE_TITLE)
        else:
            node = next(tree.iter(ATOM + "entry"))
            for name, want in (("title", TITLE), ("summary", SUMMARY)):
                element = node.find(ATOM + name)
                assert element is not None
                kind = element.get("type", "text")
                shown = element.text if kind == "text" else html.unescape(re.sub(r"<[^>]*>", "", element.text or ""))
                assert shown == want, (feed, name, kind, element.text)
                if kind == "html":
                    assert "<script" not in (element.text or "")
            content = node.find(ATOM + "content")
            assert content is not None and '<div class="author-own">raw html</div>' in (content.text or "")
    assert checked >= 6  # site, two topics, one kind: RSS and Atom each
    data = json.loads((out / "feed.json").read_text())
    assert data["title"] == SITE_TITLE
    item = data["items"][0]
    assert item["title"] == TITLE and item["summary"] == SUMMARY  # JSON Feed: plain text
    assert set(item["tags"]) == {TAG, "Plain"}
    assert '<div class="author-own">raw html</div>' in item["content_html"]


@pytest.mark.slow
def test_an_enormous_tag_list_builds_in_seconds(journal) -> None:
    tags = ", ".join(f"topic-{i}" for i in range(1_000))
    root = journal({"entries/a.md": f"---\ntitle: Everything\ndate: 2024-01-01\ntags: [{tags}]\n---\nText\n",
                    "entries/b.md": entry("Other", "2024-02-01", tags="[topic-1]")})
    result = cli("build", root, "--jobs", "2", timeout=10)
    assert_clear(result)
    if result.code == 1:
        assert any(p.startswith("entries/a.md:3: ") for p in problems(result)), result.err
    else:
        assert (root / "_site/topics/topic-999/index.html").is_file()


def test_an_enormous_list_of_one_tag_spelled_many_ways_is_one_topic(journal, tmp_path: Path) -> None:
    spellings = [f"{pre}Product{sep}Management{post}" for pre in ("", " ") for sep in (" ", "-", "_", "  ") for post in ("", " ")]
    tags = ", ".join(json.dumps(s) for s in spellings * 100)
    root = journal({"entries/a.md": f"---\ntitle: Same\ndate: 2024-01-01\ntags: [{tags}]\n---\nText\n"})
    result = guarded_build(tmp_path, root)
    assert result.code == 0, result.err
    assert [p.name for p in (root / "_site/topics").iterdir() if p.is_dir()] == ["product-management"]


LONG_TITLES = {
    "ascii": "Lorem ipsum dolor sit amet " * 19,
    "accents": "Éléphant à l'école " * 27,
    "cjk": "学习公开日志" * 84,
    "emoji": "🎉🚀 " * 170,
    "rtl": "مرحبا بالعالم " * 36,
}


@pytest.mark.parametrize("script", sorted(LONG_TITLES))
def test_a_500_character_title_gives_names_every_file_system_takes(script: str, journal, tmp_path: Path) -> None:
    title = LONG_TITLES[script].strip()[:500]
    assert len(title) >= 480
    root = journal({
        "entries/2024-01-01.md": f"---\ntitle: {json.dumps(title)}\n---\nText\n",  # the slug comes from the title
        f"entries/{title[:60]}.md": f"---\ntitle: {json.dumps(title)}\ndate: 2023-02-01\n---\nText\n",
    })
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    if result.code == 1:  # a title that gives no slug must say so, at the title's line
        assert all(p.startswith(("entries/2024-01-01.md:2: ", f"entries/{title[:60]}.md:2: ")) for p in problems(result)), result.err
        return
    for path in (root / "_site").rglob("*"):
        rel = path.relative_to(root / "_site")
        assert all(len(part.encode()) <= 255 for part in rel.parts), rel
        assert len(str(rel).encode()) <= 1024, rel
    shown = str(markupsafe.escape(title))  # as Jinja2 writes it
    pages = [p for p in (root / "_site").rglob("index.html") if f"<h1 class=\"p-name\">{shown}" in p.read_text(encoding="utf-8")]
    assert {p.relative_to(root / "_site").parts[0] for p in pages} == {"2023", "2024"}
    rss = ET.parse(root / "_site/feed.xml")
    assert [i.findtext("title") for i in rss.iter("item")] == [title, title]


@pytest.mark.parametrize("slug", ["a" * 300, "日" * 100], ids=["300 ascii", "100 cjk = 300 bytes"])
def test_a_slug_too_long_for_a_file_name_is_refused_at_its_line(slug: str, journal, tmp_path: Path) -> None:
    root = journal({"entries/good.md": entry("Good", "2024-01-01")})
    assert build("build", root).code == 0
    before = snapshot(root / "_site")
    (root / "entries/bad.md").write_text(entry("Long", "2024-01-02", slug=slug), encoding="utf-8")
    assert_fails_with(guarded_build(tmp_path, root), "entries/bad.md:4: ")
    assert snapshot(root / "_site") == before


def test_emoji_and_right_to_left_text_come_out_intact(journal, tmp_path: Path) -> None:
    title = "Learning 🎉 in public — שלום עולם · مرحبا بالعالم"
    body = "Emoji 👩‍💻 and Hebrew עברית and Arabic العربية in one paragraph.\n\n## כותרת\n"
    root = journal({
        "entries/2024-01-01-mixed.md": f"---\ntitle: {title}\ntags: [עברית, العربية, emoji 🎉]\nsummary: סיכום 👋\n---\n{body}",
        "entries/2024-01-02.md": "---\ntitle: שלום\n---\nHebrew title, slug from it.\n",
    })
    result = guarded_build(tmp_path, root)
    assert result.code == 0, result.err
    out = root / "_site"
    page = (out / "2024/mixed/index.html").read_text(encoding="utf-8")
    assert html.escape(title, quote=False) in page and "👩‍💻" in page and "כותרת" in page
    item = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]
    assert title in [i["title"] for i in item] and "סיכום 👋" in [i.get("summary") for i in item]
    assert title in [i.findtext("title") for i in ET.parse(out / "feed.xml").iter("item")]
    topics = (out / "topics/index.html").read_text(encoding="utf-8")
    assert "עברית" in topics and "العربية" in topics and "Emoji 🎉" in topics
    assert len([p for p in (out / "topics").iterdir() if p.is_dir()]) == 3
    assert len(list((out / "2024").iterdir())) == 2


def test_a_tag_made_only_of_emoji_is_a_problem_at_its_line(journal, tmp_path: Path) -> None:
    files = {"entries/a.md": "---\ntitle: A\ndate: 2024-01-01\ntags: [ok, 🎉]\n---\nText\n"}
    assert_fails_with(guarded_build(tmp_path, journal(files)), "entries/a.md:4: tag '🎉' has no letters or digits")


def test_a_name_made_only_of_emoji_keeps_it_in_its_url(journal, tmp_path: Path) -> None:
    # Issue 24: a file name with no letters still gets a page, as Obsidian and Quartz give it one.
    root = journal({"entries/🎉.md": "---\ntitle: 🎉🎉\ndate: 2024-01-01\n---\nText\n",
                    "entries/🎈.md": "---\ntitle: 🎈\ndate: 2024-01-01\n---\nMore\n"})
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    assert result.code == 0, result.err
    assert "🎉🎉" in (root / "_site/2024/🎉/index.html").read_text(encoding="utf-8")
    assert (root / "_site/2024/🎈/index.html").is_file()


@pytest.mark.parametrize("text, line", [
    ("---\ntitle: Colours\ndate: 2024-01-01\n---\nRed \x1b[31mtext\x1b[0m and a bell \x07.\n", 5),
    ('---\ntitle: "Escape \\x1b here"\ndate: 2024-01-01\n---\nText\n', 2),
    ('---\ntitle: Fine\nsummary: "nul \\0 here"\ndate: 2024-01-01\n---\nText\n', 3),
    ('---\ntitle: "non-character \\uFFFE"\ndate: 2024-01-01\n---\nText\n', 2),
], ids=["body ESC BEL", "title ESC", "summary NUL", "title U+FFFE"])
def test_control_characters_never_crash_the_build(text: str, line: int, journal, tmp_path: Path) -> None:
    root = journal({"entries/good.md": entry("Good", "2023-01-01")})
    assert build("build", root).code == 0
    (root / "entries/bad.md").write_bytes(text.encode())
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    if result.code == 1:
        assert any(p.startswith(f"entries/bad.md:{line}: ") for p in problems(result)), result.err
    else:
        for feed in (root / "_site").rglob("*.xml"):
            ET.parse(feed)  # well-formed XML


def test_a_link_problem_names_the_line_of_the_link(journal, tmp_path: Path) -> None:
    root = journal({"entries/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nFirst line,\nsecond line,\nthird with [a link](missing.md).\n"})
    result = guarded_build(tmp_path, root)
    assert "entries/a.md:7: warning: links to entries/missing.md" in result.err, result.err


def test_links_that_climb_out_of_the_journal_copy_nothing(journal, tmp_path: Path) -> None:
    secret = "KEY-" + os.urandom(6).hex()
    (tmp_path / "outside.txt").write_text(secret)
    root = journal({
        "publog.yaml": "title: x\n",
        "secret.txt": secret,
        "entries/sub/a.md": entry(body=(
            "[1](../../secret.txt) [2](/secret.txt) [3](../../publog.yaml) ![4](%2e%2e/%2e%2e/secret.txt)\n\n"
            "[5](..\\..\\secret.txt) [6](file:///etc/passwd) [7](../../../outside.txt) [8](/../outside.txt)\n\n"
            "[9](sub/../../secret.txt) ![10](<../../secret.txt>) [11](/entries/../secret.txt)")),
    })
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    assert result.code == 0, result.err
    assert not any(secret.encode() in data for data in site_bytes(root / "_site").values())
    assert not any(name.endswith(("secret.txt", "outside.txt", "publog.yaml")) for name in site_bytes(root / "_site"))


def test_a_feed_item_carries_at_most_twenty_categories(journal, tmp_path: Path) -> None:
    import feedparser

    tags = ", ".join(f"t{i:02d}" for i in range(30))
    root = journal({"entries/a.md": f"---\ntitle: Many\ndate: 2024-01-01\ntags: [{tags}]\n---\nText\n"})
    assert guarded_build(tmp_path, root).code == 0
    item = feedparser.parse((root / "_site/feed.xml").read_bytes()).entries[0]
    assert [t.term for t in item.tags] == [f"T{i:02d}" for i in range(20)]
