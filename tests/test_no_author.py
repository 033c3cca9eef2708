"""A folder that names no author (19 of the 28 real folders the sweep built) shows no "By Anonymous":
pages have no byline, the footer no "by", and feeds name the journal's title as their author."""

from __future__ import annotations

import feedparser

from conftest import entry


def test_a_journal_that_names_no_author_shows_no_byline_and_feeds_name_its_title(journal, publog) -> None:
    root = journal({"publog.yaml": "title: Field notes\nbase_url: https://example.org/\n",
                    "entries/2024-05-01-a.md": entry("A", "2024-05-01", "Text.", updated="2024-06-01"),
                    "entries/2024-05-02-b.md": entry("B", "2024-05-02", "More.")})
    assert publog("build", root, "--strict", "--no-daemon").code == 0
    site = root / "_site"
    for page in site.rglob("*"):
        if page.is_file() and page.suffix in (".html", ".xml", ".json", ".txt", ".opml"):
            assert "Anonymous" not in page.read_text(), page
    a = (site / "2024/a/index.html").read_text()
    assert "By " not in a and '<p class="byline">Updated <time class="dt-updated"' in a
    assert '<p class="byline">' not in (site / "2024/b/index.html").read_text()
    assert "Field notes. Follow along" in (site / "index.html").read_text()
    atom = feedparser.parse((site / "atom.xml").read_bytes())
    assert not atom.bozo and atom.feed.author == "Field notes"
    rss = feedparser.parse((site / "feed.xml").read_bytes())
    assert not rss.bozo and len(rss.entries) == 2
