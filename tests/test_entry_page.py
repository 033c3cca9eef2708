"""An entry's page as a reader meets it: the title first, the reading time, headings that link to
themselves, and on a long entry a table of contents; the feeds keep the plain headings."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
from lxml import html as lxml_html

from conftest import entry

SETTINGS = "title: T\nbase_url: https://example.org/\n"
SECTIONS = ["## Why joins", "Words " * 400, "### Fan-out", "Words " * 400, "## What I check now", "Words " * 400,
            "## [A link](https://example.org/) in a heading", "The end."]
LONG = "\n\n".join(SECTIONS)  # 1200 words and more, four headings


def page(root: Path, url: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring((root / "_site" / url.strip("/") / "index.html").read_bytes())


def toc(root: Path, url: str) -> list[tuple[str, str, int]]:
    """The table of contents: (text, link, how deep) of each of its links."""
    return [(a.text_content(), a.get("href"), len(a.xpath("ancestor::ol")))
            for a in page(root, url).xpath('//nav[@class="toc"]//a')]


def test_a_long_entry_lists_its_headings_nested_by_level(journal, publog) -> None:
    root = journal({"publog.yaml": SETTINGS, "entries/2024-01-01-joins.md": entry("Joins", body=LONG)})
    assert publog("build", root, "--strict").code == 0
    assert toc(root, "/2024/joins/") == [
        ("Why joins", "#why-joins", 1), ("Fan-out", "#fan-out", 2), ("What I check now", "#what-i-check-now", 1),
        ("A link in a heading", "#a-link-in-a-heading", 1)]
    doc = page(root, "/2024/joins/")
    for _, href, _ in toc(root, "/2024/joins/"):
        assert doc.xpath(f'//div[contains(@class, "e-content")]//*[@id="{href[1:]}"]'), href
    # It comes before the text, and a screen reader finds it by its name.
    assert doc.xpath('//nav[@class="toc"]/@aria-labelledby') == ["toc-title"]
    assert doc.xpath('//*[@id="toc-title"]/text()') == ["Contents"]
    assert doc.xpath('//nav[@class="toc"]/following::div[contains(@class, "e-content")]')


def test_short_entries_few_headings_and_toc_words_0_have_no_table_of_contents(journal, publog) -> None:
    two_headings = "\n\n".join(SECTIONS[:4]) + "\n\n" + "Words " * 600
    root = journal({"publog.yaml": SETTINGS, "entries/2024-01-01-short.md": entry("Short", body="\n\n".join(SECTIONS[::2])),
                    "entries/2024-01-02-two.md": entry("Two", body=two_headings),
                    "entries/2024-01-03-long.md": entry("Long", body=LONG)})
    assert publog("build", root, "--strict").code == 0
    assert toc(root, "/2024/short/") == [] and toc(root, "/2024/two/") == [] and len(toc(root, "/2024/long/")) == 4
    (root / "publog.yaml").write_text(SETTINGS + "toc_words: 0\n")
    assert publog("build", root, "--strict").code == 0
    assert toc(root, "/2024/long/") == []
    (root / "publog.yaml").write_text(SETTINGS + "toc_words: 10\n")
    assert publog("build", root, "--strict").code == 0
    assert [text for text, _, _ in toc(root, "/2024/short/")] == ["Why joins", "Fan-out", "What I check now",
                                                                 "A link in a heading"]


def test_toc_words_must_be_a_whole_number(journal, publog) -> None:
    root = journal({"publog.yaml": SETTINGS + "toc_words: -5\n", "entries/2024-01-01-a.md": entry()})
    result = publog("build", root)
    assert result.code != 0
    assert "publog.yaml:3: 'toc_words' must be a whole number of words, or 0 for none, not -5" in result.err


def test_headings_link_to_themselves_on_pages_not_in_feeds(journal, publog) -> None:
    root = journal({"publog.yaml": SETTINGS, "entries/2024-01-01-joins.md": entry("Joins", body=LONG)})
    assert publog("build", root, "--strict").code == 0
    doc = page(root, "/2024/joins/")
    assert doc.xpath('//h2[@id="why-joins"]/a[@class="self"]/@href') == ["#why-joins"]
    assert doc.xpath('//h3[@id="fan-out"]/a[@class="self"]/@href') == ["#fan-out"]
    # A heading that holds a link keeps it alone: links do not nest.
    assert doc.xpath('//h2[@id="a-link-in-a-heading"]//a/@href') == ["https://example.org/"]
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((root / "_site" / name).read_bytes())
        assert not feed.bozo and len(feed.entries) == 1
        content = feed.entries[0].content[0].value
        assert '<h2 id="why-joins">Why joins</h2>' in content and 'class="self"' not in content
        assert 'class="toc"' not in content and "Contents" not in content


def test_the_title_comes_before_the_series_box_and_the_reading_time_is_shown(journal, publog) -> None:
    root = journal({"publog.yaml": SETTINGS,
                    "entries/2024-01-01-a.md": entry("Part one", "2024-01-01", series="SQL", body="Words " * 500),
                    "entries/2024-01-02-b.md": entry("Part two", "2024-01-02", series="SQL", body="Short.")})
    assert publog("build", root, "--strict").code == 0
    html = (root / "_site/2024/a/index.html").read_text()
    assert html.index("<h1") < html.index('class="series-toc"') < html.index('class="content e-content"')
    meta = page(root, "/2024/a/").xpath('//article/header/p[@class="meta"]')[0]
    assert meta.xpath('./span[@class="reading-time"]/text()') == ["3 min read"]  # 500 words at 230 a minute
    assert page(root, "/2024/b/").xpath('//span[@class="reading-time"]/text()') == ["1 min read"]
    assert not re.search(r"min read", (root / "_site/index.html").read_text())  # lists keep their cards short
