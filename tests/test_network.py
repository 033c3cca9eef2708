"""The learning network: network.yaml, credits, the network page and the OPML files."""

from __future__ import annotations

import re
from pathlib import Path

import listparser
import pytest

from conftest import entry

NETWORK = """\
- name: Teresa Torres
  id: teresa
  site: https://www.producttalk.org/
  feed: https://www.producttalk.org/feed/
  topics: [discovery]
  why: Weekly interviews.
- name: Ada Lovelace
  site: https://ada.example/
  feed: https://ada.example/feed.xml
  topics: [python, discovery]
- name: Friend Without Feed
  topics: [python]
"""

JOURNAL = {
    "publog.yaml": "title: N\nbase_url: https://example.org/notes/\n",
    "network.yaml": NETWORK,
    "entries/2024-01-01-interviews.md": entry("Interviews", "2024-01-01", tags="[discovery]", via="[teresa]"),
    "entries/2024-01-02-loops.md": entry("Loops", "2024-01-02", tags="[python]", kind="log",
                                         sources="[{type: book, title: Notes, author: Ada Lovelace}]"),
    "entries/2024-01-03-other.md": entry("Other", "2024-01-03", tags="[python]"),
}


def test_the_blogroll_lists_every_feed_by_topic_and_every_page_points_to_it(journal, publog) -> None:
    root = journal(JOURNAL)
    assert publog("build", root, "--strict").code == 0
    site = root / "_site"
    parsed = listparser.parse((site / ".well-known/recommendations.opml").read_bytes())
    assert not parsed.bozo
    assert sorted((f.title, f.url, tuple(map(tuple, f.categories))) for f in parsed.feeds) == [
        ("Ada Lovelace", "https://ada.example/feed.xml", (("Python",),)),
        ("Teresa Torres", "https://www.producttalk.org/feed/", (("Discovery",),)),
    ]
    for page in site.rglob("*.html"):
        assert '<link rel="blogroll" type="text/xml" title="Blogroll" href="/notes/.well-known/recommendations.opml">' in page.read_text(), page


def test_the_journals_own_feeds_are_in_one_opml_file(journal, publog) -> None:
    root = journal(JOURNAL)
    assert publog("build", root, "--strict").code == 0
    parsed = listparser.parse((root / "_site/feeds.opml").read_bytes())
    assert not parsed.bozo
    urls = sorted(f.url for f in parsed.feeds)
    assert urls == sorted([
        "https://example.org/notes/feed.xml", "https://example.org/notes/topics/discovery/feed.xml",
        "https://example.org/notes/topics/python/feed.xml", "https://example.org/notes/kinds/log/feed.xml"])
    for url in urls:
        assert (root / "_site" / url.removeprefix("https://example.org/notes/")).is_file()


def test_the_network_page_credits_people_where_entries_name_them(journal, publog) -> None:
    root = journal(JOURNAL)
    assert publog("build", root, "--strict").code == 0
    html = (root / "_site/network/index.html").read_text()
    teresa = re.search(r'<li id="teresa">(.*?)</li>\s*</ul>', html, re.S).group(1)
    assert '<a href="https://www.producttalk.org/">Teresa Torres</a>' in teresa and "Weekly interviews." in teresa
    assert '<a href="/notes/2024/interviews/">Interviews</a>' in teresa
    ada = re.search(r'<li id="ada-lovelace">(.*?)</li>\s*</ul>', html, re.S).group(1)
    assert '<a href="/notes/2024/loops/">Loops</a>' in ada
    assert 'id="friend-without-feed"' in html
    loops = (root / "_site/2024/loops/index.html").read_text()
    assert 'Learned via <a href="/notes/network/#ada-lovelace">Ada Lovelace</a>.' in loops
    assert "Learned via" not in (root / "_site/2024/other/index.html").read_text()


def test_no_network_file_means_no_network_pages(journal, publog) -> None:
    root = journal({k: v for k, v in JOURNAL.items() if k != "network.yaml"} | {
        "entries/2024-01-01-interviews.md": entry("Interviews", "2024-01-01")})
    assert publog("build", root, "--strict").code == 0
    assert not (root / "_site/network").exists() and not (root / "_site/.well-known").exists()
    assert 'rel="blogroll"' not in (root / "_site/index.html").read_text()


@pytest.mark.parametrize("network, problem", [
    ("- site: https://a.example/\n", "network.yaml:1: every person needs a 'name'"),
    ("- name: A\n  feed: ftp://a.example/feed\n", "network.yaml:2: 'feed' must be an http(s) URL such as https://example.org/feed.xml, not 'ftp://a.example/feed'"),
    ("- name: A\n  colour: red\n", "network.yaml:2: unknown key 'colour'; use name, id, site, feed, topics, why, since"),
    ("- name: A\n- name: a\n", "network.yaml:2: 'a' is listed twice (also at line 1); give one of them another 'id'"),
    ("name: A\n", "network.yaml:1: must be a list of people, each starting with '- name: ...'"),
    ("- name: [A\n", "network.yaml:2: invalid YAML"),
])
def test_a_bad_network_file_is_reported_at_its_line(journal, publog, network: str, problem: str) -> None:
    root = journal({**JOURNAL, "network.yaml": network,
                    "entries/2024-01-01-interviews.md": entry("Interviews", "2024-01-01", tags="[discovery]")})
    result = publog("build", root)
    assert result.code == 1
    assert any(p.startswith(problem) for p in result.problems), result.err
    assert not (root / "_site").exists()
    assert publog("check", root).code == 1


def test_crediting_someone_not_in_the_network_is_an_error(journal, publog) -> None:
    root = journal({**JOURNAL, "entries/2024-01-01-interviews.md": entry("Interviews", "2024-01-01", tags="[discovery]", via="[teresa, bob]")})
    result = publog("build", root)
    assert result.code == 1
    assert result.problems == ["entries/2024-01-01-interviews.md:5: 'via': 'bob' is nobody in network.yaml "
                               "(known: ada-lovelace, friend-without-feed, teresa); add them there or fix the id"]


def test_editing_the_network_file_rebuilds_the_network_pages(journal, publog) -> None:
    root = journal(JOURNAL)
    assert publog("build", root).code == 0
    (root / "network.yaml").write_text(NETWORK.replace("Weekly interviews.", "Interviews, every week."))
    assert publog("build", root).code == 0
    assert "Interviews, every week." in (root / "_site/network/index.html").read_text()
