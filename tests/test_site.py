"""The sample journal's site as readers' tools see it: pages, links, feeds, sitemap."""

from __future__ import annotations

import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import pytest

from conftest import SAMPLE, entry, snapshot


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        for key in ("href", "src"):
            if a.get(key) and not (tag == "link" and a.get("rel") == "canonical"):
                self.refs.append(str(a[key]))


def broken_links(site: Path, base_url: str) -> list[str]:
    """Every internal href/src of every page that does not lead to a file (or anchor) of the site."""
    base = urlsplit(base_url)
    pages: dict[str, _Refs] = {}
    for page in site.rglob("*.html"):
        parser = _Refs()
        parser.feed(page.read_text(encoding="utf-8"))
        pages[page.relative_to(site).as_posix()] = parser
    broken = []
    for name, parser in pages.items():
        url = base_url + (name[: -len("index.html")] if name.endswith("index.html") else name)
        for ref in parser.refs:
            target = urlsplit(urljoin(url, ref))
            if target.netloc not in ("", base.netloc) or target.scheme not in ("http", "https", ""):
                continue
            if not target.path.startswith(base.path):
                broken.append(f"{name}: {ref} (outside the base path)")
                continue
            rel = unquote(target.path[len(base.path):])
            file = site / rel / "index.html" if rel == "" or rel.endswith("/") else site / rel
            if not file.is_file():
                broken.append(f"{name}: {ref}")
            elif target.fragment and file.suffix == ".html":
                key = file.relative_to(site).as_posix()
                if target.fragment not in pages[key].ids:
                    broken.append(f"{name}: {ref} (no such anchor)")
    return broken


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from publog.run.build import Options, build

    root = tmp_path_factory.mktemp("sample") / "journal"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("_site", ".publog-cache"))
    result = build(root, Options())
    assert result.ok, [str(p) for p in result.problems]
    assert [str(p) for p in result.problems] == []
    return root / "_site"


def test_sample_site_has_every_page(sample_site: Path) -> None:
    for name in ("index.html", "page/2/index.html", "topics/index.html", "topics/sql/index.html",
                 "archive/index.html", "404.html", "feed.xml", "atom.xml", "feed.json", "sitemap.xml",
                 "robots.txt", "static/style.css", "static/favicon.svg", "humans.txt", "topics/sql/feed.xml", "topics/sql/atom.xml"):
        assert (sample_site / name).is_file(), name
    entries = [p for p in sample_site.glob("2026/*/index.html")]
    assert len(entries) == 29  # 30 files, one a draft


def test_sample_site_has_no_broken_internal_link(sample_site: Path) -> None:
    assert broken_links(sample_site, "https://maya.example.org/") == []


def test_sample_site_never_shows_the_draft(sample_site: Path) -> None:
    text = "".join(p.read_text(errors="replace") for p in sample_site.rglob("*") if p.is_file())
    assert "technical PM" not in text and "technical-pm" not in text


def test_feeds_parse_and_match_the_journal(sample_site: Path) -> None:
    for name, version in (("feed.xml", "rss20"), ("atom.xml", "atom10")):
        feed = feedparser.parse((sample_site / name).read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.version == version
        assert len(feed.entries) == 20
        newest = feed.entries[0]
        assert newest.title == "Seven months of learning in public: what changed, in numbers"
        assert newest.link == "https://maya.example.org/2026/seven-months-of-learning-in-public/"
        assert newest.id.startswith("tag:maya.example.org,2026-11-20:")
        assert newest.published_parsed[:3] == (2026, 11, 20)
        content = newest.content[0].value
        assert "<table tabindex=\"0\">" in content
        hrefs = re.findall(r'(?:href|src)="([^"]+)"', content)
        assert hrefs and all(h.startswith(("https://", "http://", "#", "mailto:")) for h in hrefs), hrefs
        assert {t.term for t in newest.tags} >= {"Learning in public"}
    jf = json.loads((sample_site / "feed.json").read_text())
    assert jf["version"] == "https://jsonfeed.org/version/1.1"
    assert len(jf["items"]) == 20 and jf["items"][0]["url"].startswith("https://maya.example.org/2026/")


def test_topic_feed_holds_only_that_topic(sample_site: Path) -> None:
    feed = feedparser.parse((sample_site / "topics/sql/feed.xml").read_bytes())
    assert not feed.bozo
    assert feed.feed.title.endswith(": SQL")
    assert feed.entries and all("SQL" in {t.term for t in e.tags} for e in feed.entries)


def test_escaping_in_feeds(sample_site: Path) -> None:
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((sample_site / name).read_bytes())
        titles = [e.title for e in feed.entries]
        assert "Q&A: why is <select> so hard to style?" in titles or len(titles) == 20
    page = (sample_site / "2026/why-is-select-so-hard-to-style/index.html").read_text()
    assert "<h1 class=\"p-name\">Q&amp;A: why is &lt;select&gt; so hard to style?</h1>" in page


def test_sitemap_and_robots(sample_site: Path) -> None:
    sitemap = (sample_site / "sitemap.xml").read_text()
    urls = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert "https://maya.example.org/" in urls
    assert "https://maya.example.org/2026/seven-months-of-learning-in-public/" in urls
    assert not any("404" in u for u in urls)
    assert "<lastmod>2026-11-20</lastmod>" in sitemap
    assert "Sitemap: https://maya.example.org/sitemap.xml" in (sample_site / "robots.txt").read_text()


def test_entry_page_metadata(sample_site: Path) -> None:
    page = (sample_site / "2026/seven-months-of-learning-in-public/index.html").read_text()
    assert '<link rel="canonical" href="https://maya.example.org/2026/seven-months-of-learning-in-public/">' in page
    assert '<meta property="og:title" content="Seven months of learning in public: what changed, in numbers">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert 'rel="alternate" type="application/rss+xml"' in page
    assert 'href="/topics/learning-in-public/"' in page
    assert 'rel="prev"' in page  # an older entry to go to


def test_site_below_a_path_has_no_broken_link(journal, publog, tmp_path: Path) -> None:
    root = tmp_path / "j"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("_site", ".publog-cache"))
    config = (root / "publog.yaml").read_text().replace("base_url: https://maya.example.org/", "base_url: https://example.org/notes/")
    (root / "publog.yaml").write_text(config)
    assert publog("build", root).code == 0
    site = root / "_site"
    assert broken_links(site, "https://example.org/notes/") == []
    assert 'href="/notes/static/style.css"' in (site / "index.html").read_text()
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert all(e.link.startswith("https://example.org/notes/2026/") for e in feed.entries)
    assert "<loc>https://example.org/notes/</loc>" in (site / "sitemap.xml").read_text()


def test_a_link_to_a_site_path_keeps_its_trailing_slash(journal, publog) -> None:
    root = journal({
        "publog.yaml": "base_url: https://example.org/notes/\n",
        "entries/2024-05-01-a.md": entry("A", "2024-05-01", tags="[sql]", body="See [SQL](/topics/sql/), [a file](/static/a.txt) and [home](/)."),
    })
    assert publog("build", root).code == 0
    page = (root / "_site/2024/a/index.html").read_text()
    assert '<a href="/notes/topics/sql/">SQL</a>' in page  # a static host may not redirect /topics/sql to it
    assert '<a href="/notes/static/a.txt">a file</a>' in page and '<a href="/notes/">home</a>' in page


def test_feed_ids_stay_when_an_entry_is_edited(journal, publog) -> None:
    root = journal({"entries/2024-05-01-joins.md": entry("Joins", "2024-05-01", tags="[sql]")})
    publog("build", root)
    first = feedparser.parse((root / "_site/atom.xml").read_bytes()).entries[0]
    (root / "entries/2024-05-01-joins.md").write_text(
        entry("Joins, finally understood", "2024-05-01", tags="[sql, data]", updated="2024-06-01", body="New text.")
    )
    publog("build", root)
    second = feedparser.parse((root / "_site/atom.xml").read_bytes()).entries[0]
    assert second.id == first.id
    assert second.title == "Joins, finally understood"
    assert second.updated_parsed[:3] == (2024, 6, 1) and first.updated_parsed[:3] == (2024, 5, 1)


def test_entry_can_pin_its_feed_id(journal, publog) -> None:
    root = journal({"entries/a.md": entry(id="urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427")})
    publog("build", root)
    assert feedparser.parse((root / "_site/feed.xml").read_bytes()).entries[0].id == "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427"


def test_feeds_are_byte_identical_between_builds(journal, publog, tmp_path: Path) -> None:
    root = journal({f"entries/e{i}.md": entry(f"E{i}", f"2024-05-0{i}", tags="[x]") for i in range(1, 6)})
    publog("build", root, "--out", tmp_path / "a")
    shutil.rmtree(root / ".publog-cache")
    publog("build", root, "--out", tmp_path / "b")
    for name in ("feed.xml", "atom.xml", "feed.json", "topics/x/feed.xml", "sitemap.xml"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_pagination(journal, publog) -> None:
    root = journal({"publog.yaml": "per_page: 2\n", **{f"entries/e{i}.md": entry(f"E{i}", f"2024-05-0{i}", tags="[t]") for i in range(1, 6)}})
    publog("build", root)
    site = root / "_site"
    assert (site / "page/3/index.html").is_file() and not (site / "page/1").exists()
    page2 = (site / "page/2/index.html").read_text()
    assert 'rel="prev" href="/"' in page2 and 'rel="next" href="/page/3/"' in page2
    assert "E3<" in page2 and "E2<" in page2
    assert (site / "topics/t/page/3/index.html").is_file()


def test_topics_are_normalised_and_named(journal, publog) -> None:
    root = journal({
        "publog.yaml": "topics:\n  sql: {name: SQL, description: Querying data.}\n",
        "entries/a.md": entry("A", tags="[Product Management, sql]"),
        "entries/b.md": entry("B", tags="[product-management]"),
        "entries/c.md": entry("C", tags="[Product Management]"),
    })
    publog("build", root)
    topics = (root / "_site/topics/index.html").read_text()
    assert '<a href="/topics/product-management/">Product Management</a> <span class="count">3</span>' in topics
    assert '<a href="/topics/sql/">SQL</a>' in topics and "Querying data." in topics


def test_theme_override_and_static_files(journal, publog) -> None:
    root = journal({
        "entries/a.md": entry(),
        "theme/static/style.css": "body { color: rebeccapurple; }\n",
        "theme/templates/404.html": "{% extends 'base.html' %}{% block main %}<h1>Lost?</h1>{% endblock %}\n",
        "static/CNAME": "notes.example.org\n",
    })
    publog("build", root)
    site = root / "_site"
    assert (site / "static/style.css").read_text() == "body { color: rebeccapurple; }\n"
    assert "<h1>Lost?</h1>" in (site / "404.html").read_text()
    assert "<h1 class=\"p-name\">" in (site / "index.html").read_text()  # the other templates still come from the theme
    assert (site / "CNAME").read_text() == "notes.example.org\n"


def test_a_theme_macro_imported_without_context_can_show_cards(journal, publog) -> None:
    """`card` is a global of the templates, so macros that a theme imports (without the page's context) have it."""
    root = journal({
        "entries/2024-05-01-a.md": entry("Alpha", "2024-05-01"),
        "theme/templates/partials/lists.html": "{% macro listing(entries) %}<ol class=\"mine\">{% for item in entries %}"
                                               "<li>{{ card(item) }}</li>{% endfor %}</ol>{% endmacro %}\n",
        "theme/templates/index.html": "{% extends 'base.html' %}{% from 'partials/lists.html' import listing %}"
                                      "{% block main %}{{ listing(entries) }}{% endblock %}\n",
    })
    result = publog("build", root)
    assert result.code == 0, result.err
    home = (root / "_site/index.html").read_text()
    assert '<ol class="mine"><li>' in home and "Alpha" in home


def test_unchanged_sample_build_is_stable(sample_site: Path, tmp_path: Path) -> None:
    from publog.run.build import Options, build

    root = sample_site.parent
    before = snapshot(sample_site)
    result = build(root, Options())
    assert result.written == 0 and result.rendered == 0
    assert snapshot(sample_site) == before


def test_permalink_pattern_and_slug(journal, publog) -> None:
    root = journal({
        "publog.yaml": "permalink: /notes/{year}/{month}/{day}/{slug}/\n",
        "entries/2024-03-09-first-steps.md": entry("First steps", "2024-03-09"),
        "entries/other.md": entry("Other", "2024-12-25", slug="christmas-notes"),
    })
    assert publog("build", root).code == 0
    assert (root / "_site/notes/2024/03/09/first-steps/index.html").is_file()
    assert (root / "_site/notes/2024/12/25/christmas-notes/index.html").is_file()


def test_theme_setting_names_a_folder_of_the_journal(journal, publog) -> None:
    root = journal({
        "publog.yaml": "theme: mytheme\n",
        "mytheme/templates/index.html": "{% extends 'base.html' %}{% block main %}<h1>My own home</h1>{% endblock %}\n",
        "mytheme/static/style.css": "/* mine */\n",
        "entries/a.md": entry(),
    })
    assert publog("build", root).code == 0
    assert "<h1>My own home</h1>" in (root / "_site/index.html").read_text()
    assert (root / "_site/static/style.css").read_text() == "/* mine */\n"
    assert "<h1 class=\"p-name\">An entry</h1>" in (root / "_site/2024/a/index.html").read_text()  # falls back to default

    (root / "publog.yaml").write_text("theme: nowhere\n")
    result = publog("build", root)
    assert result.code == 1 and "theme 'nowhere' is neither a built-in theme (default, garden) nor a folder" in result.err


TRICKY = 'Q&A: <select> "quoted" \'single\' 🚀 שלום עולם'


def test_tricky_text_survives_every_feed(journal, publog) -> None:
    root = journal({"entries/a.md": entry(json.dumps(TRICKY, ensure_ascii=False), summary=json.dumps(TRICKY, ensure_ascii=False), tags="['R&D']",
                                          body="Fish & chips <em>now</em> — مرحبا 🚀")})
    assert publog("build", root).code == 0
    site = root / "_site"
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((site / name).read_bytes())
        assert not feed.bozo
        item = feed.entries[0]
        assert item.title == TRICKY
        summary = item.summary if item.summary_detail.type == "text/plain" else html.unescape(item.summary)
        assert summary == TRICKY
        assert "Fish &amp; chips <em>now</em> — مرحبا 🚀" in item.content[0].value
        assert [t.term for t in item.tags] == ["R&D"]
    item = json.loads((site / "feed.json").read_text())["items"][0]
    assert item["title"] == TRICKY and "Fish &amp; chips <em>now</em>" in item["content_html"]
    page = (site / "2024/a/index.html").read_text()
    assert "<h1 class=\"p-name\">Q&amp;A: &lt;select&gt; &#34;quoted&#34; &#39;single&#39; 🚀 שלום עולם</h1>" in page


def test_the_search_index_s_binary_files_wake_no_secret_detector(sample_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind's index files are binary: a colon and an @ between its numbers are no password in a URL. The final
    scan reads them without running a detector, which loading detect-secrets for costs an edit's build 60 ms."""
    from publog.privacy import scan, secrets
    from publog.privacy.terms import Terms

    def detectors() -> None:
        raise AssertionError("a detector was run")

    monkeypatch.setattr(secrets, "_detectors", detectors)
    index = sorted(sample_site.glob("pagefind/**/*.pf_*"))
    assert len(index) > 10
    for file in index:
        assert scan.find_in_output(file.read_bytes(), file.name, Terms()) == (), file
    secret = b"see postgres://admin:Sup3rS3cretPassw0rd1@db.example.com/app"
    with pytest.raises(AssertionError, match="a detector was run"):  # a password in a URL still runs them
        scan.find_in_output(secret, "page.html", Terms())
