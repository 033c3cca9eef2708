"""Every feed of the sample site as feed readers read it, compared with the site's own pages.

feedparser (what many readers are built on) must read every RSS and Atom feed without its bozo flag;
feed.json must have the JSON Feed 1.1 shape; and each feed must hold the newest min(feed_items,
entries) entries of its listing page, with the ids, titles, dates and links the entry pages show.
"""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest

from readers_support import assert_none, build_sample, copy_site, feed_files, feed_problems, sample_config, xml_well_formed


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory)


def all_feeds(site: Path) -> list[Path]:
    return [p for p in feed_files(site) if p.suffix == ".xml"]


def test_every_feed_parses_without_bozo(site: Path) -> None:
    feeds = all_feeds(site)
    names = {p.relative_to(site).as_posix() for p in feeds}
    topics = sorted(p.parent.name for p in site.glob("topics/*/index.html"))
    assert len(topics) >= 4
    assert {"feed.xml", "atom.xml"} | {f"topics/{t}/{f}" for t in topics for f in ("feed.xml", "atom.xml")} <= names
    for file in feeds:
        name = file.relative_to(site).as_posix()
        assert xml_well_formed(file) is None, name
        feed = feedparser.parse(file.read_bytes())
        assert not feed.bozo, f"{name}: {feed.get('bozo_exception')}"
        assert feed.version == ("atom10" if file.name == "atom.xml" else "rss20"), name
        assert feed.entries, name
    assert xml_well_formed(site / "sitemap.xml") is None


def test_feeds_match_the_pages_of_the_site(site: Path) -> None:
    config = sample_config()
    assert_none(feed_problems(site, config["base_url"], config["feed_items"]))


def test_feed_counts_follow_feed_items(site: Path) -> None:
    """The sample has more entries than feed_items, and topics with fewer: both sides of min() are used."""
    limit = sample_config()["feed_items"]
    counts = {p.relative_to(site).as_posix(): len(feedparser.parse(p.read_bytes(), sanitize_html=False).entries)
              for p in all_feeds(site)}
    assert counts["feed.xml"] == counts["atom.xml"] == limit
    assert any(0 < n < limit for n in counts.values()), counts


# --- the checker itself, on deliberately broken feeds -------------------------------------------------

def test_feed_checker_finds_broken_feeds(site: Path, tmp_path: Path) -> None:
    config = sample_config()
    base = config["base_url"]
    broken = copy_site(site, tmp_path / "broken")
    topic = sorted(p.parent.name for p in broken.glob("topics/*/index.html"))[0]

    rss = broken / "feed.xml"  # an undefined entity: feed readers' XML parsers stop there
    rss.write_text(rss.read_text(encoding="utf-8").replace("<title>", "<title>&nbsp;", 1), encoding="utf-8")

    atom = broken / "atom.xml"  # the newest entry dropped
    text = atom.read_text(encoding="utf-8")
    start, end = text.index("<entry>"), text.index("</entry>") + len("</entry>")
    atom.write_text(text[:start] + text[end:], encoding="utf-8")

    topic_feed = broken / f"topics/{topic}/atom.xml"  # an item linking to a page that does not exist
    text = topic_feed.read_text(encoding="utf-8")
    link = text.split("<entry>", 1)[1].split('<link href="', 1)[1].split('"', 1)[0]
    topic_feed.write_text(text.replace(f'<link href="{link}"', f'<link href="{base}2026/no-such-entry/"', 1), encoding="utf-8")

    json_feed = broken / "feed.json"  # wrong version, a date without a zone, a duplicate id
    text = json_feed.read_text(encoding="utf-8").replace("version/1.1", "version/1", 1)
    import json
    data = json.loads(text)
    data["items"][1]["date_published"] = "2026-05-04 10:00"
    data["items"][2]["id"] = data["items"][3]["id"]
    json_feed.write_text(json.dumps(data), encoding="utf-8")

    problems = "\n".join(feed_problems(broken, base, config["feed_items"]))
    assert "feed.xml: not well-formed for feed readers (bozo)" in problems
    assert f"atom.xml: {config['feed_items'] - 1} items, expected" in problems
    assert f"topics/{topic}/atom.xml: item '{base}2026/no-such-entry/': its link is not a page of the site" in problems
    assert "feed.json: version 'https://jsonfeed.org/version/1'" in problems
    assert "feed.json: items[1]: date_published '2026-05-04 10:00' is not an RFC 3339 date-time" in problems
    assert "feed.json: item" in problems and "duplicate id" in problems


def test_feed_checker_finds_a_wrong_date_and_title(site: Path, tmp_path: Path) -> None:
    config = sample_config()
    broken = copy_site(site, tmp_path / "broken")
    atom = broken / "atom.xml"
    text = atom.read_text(encoding="utf-8")
    first = text.index("<entry>")
    head, rest = text[:first], text[first:]
    updated = rest.split("<updated>", 1)[1].split("</updated>", 1)[0]
    rest = rest.replace(f"<updated>{updated}</updated>", "<updated>2001-01-01T00:00:00+00:00</updated>", 1)
    title = rest.split("<title>", 1)[1].split("</title>", 1)[0]
    rest = rest.replace(f"<title>{title}</title>", "<title>Another title</title>", 1)
    atom.write_text(head + rest, encoding="utf-8")
    problems = "\n".join(feed_problems(broken, config["base_url"], config["feed_items"]))
    assert "title 'Another title' but the page says" in problems
    assert "updated 2001-01-01T00:00:00+00:00 but the page says" in problems
