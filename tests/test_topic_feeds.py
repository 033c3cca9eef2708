"""A JSON Feed for every topic and every kind, beside their RSS and Atom feeds, as feed readers see it."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from conftest import entry
from readers_support import build_sample, sample_config

JSON_FEED = "https://jsonfeed.org/version/1.1"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory)


def lists(site: Path) -> list[Path]:
    """The first page of every topic and every kind."""
    found = sorted(site.glob("topics/*/index.html")) + sorted(site.glob("kinds/*/index.html"))
    assert len(found) >= 8
    return [p.parent for p in found]


class _Alternates(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "link" and dict(attrs).get("rel") == "alternate":
            self.found.append(dict(attrs))


def alternates(page: Path) -> list[dict[str, str | None]]:
    parser = _Alternates()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.found


def test_every_topic_and_kind_has_a_json_feed_with_its_atom_feeds_entries(site: Path) -> None:
    base = sample_config()["base_url"]
    for folder in lists(site):
        name = folder.relative_to(site).as_posix()
        feed = json.loads((folder / "feed.json").read_text(encoding="utf-8"))
        assert feed["version"] == JSON_FEED, name
        assert feed["feed_url"] == f"{base}{name}/feed.json" and feed["home_page_url"] == f"{base}{name}/", name
        assert isinstance(feed["title"], str) and feed["title"], name
        items = feed["items"]
        assert items, name
        for item in items:
            assert isinstance(item["id"], str) and item["id"], name
            assert item["url"].startswith(base) and isinstance(item["content_html"], str) and item["content_html"], name
        atom = feedparser.parse((folder / "atom.xml").read_bytes())
        assert not atom.bozo, name
        # The same entries, in the same order, with the same ids and links as the topic's Atom feed.
        assert [(i["id"], i["url"], i["title"]) for i in items] == [(e.id, e.link, e.title) for e in atom.entries], name


def test_topic_and_kind_pages_list_their_json_feed(site: Path) -> None:
    for folder in lists(site):
        name = folder.relative_to(site).as_posix()
        own = [a for a in alternates(folder / "index.html") if a["href"] == f"/{name}/feed.json"]
        assert len(own) == 1 and own[0]["type"] == "application/feed+json", name


def test_json_feeds_hold_no_draft_or_private_entry(site: Path) -> None:
    # In the sample, a draft and a private entry are both about "career".
    hidden = {"Am I becoming the", "Notes to myself before my performance review", "am-i-becoming-a-technical-pm",
              "notes-before-my-review"}
    career = json.loads((site / "topics/career/feed.json").read_text(encoding="utf-8"))
    assert career["items"]
    for file in [site / "feed.json", *(f / "feed.json" for f in lists(site))]:
        text = file.read_text(encoding="utf-8")
        assert not [h for h in hidden if h in text], file.relative_to(site).as_posix()


def test_topic_json_feed_is_byte_identical_between_builds(journal, publog, tmp_path: Path) -> None:
    root = journal({f"entries/e{i}.md": entry(f"E{i}", f"2024-05-0{i}", tags="[x]", kind="til") for i in range(1, 4)})
    publog("build", root, "--out", tmp_path / "a")
    shutil.rmtree(root / ".publog-cache")
    publog("build", root, "--out", tmp_path / "b")
    for name in ("topics/x/feed.json", "kinds/til/feed.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_a_topic_page_names_its_three_feeds_where_readers_see_them(site: Path) -> None:
    for folder in lists(site):
        lead = (folder / "index.html").read_text().split('<p class="lead">', 1)[1].split("</p>", 1)[0]
        assert [href for href in re.findall(r'href="([^"]+)"', lead) if "feed" in href or "atom" in href][-3:] == [
            f"/{folder.relative_to(site).as_posix()}/{name}" for name in ("feed.xml", "atom.xml", "feed.json")], folder
