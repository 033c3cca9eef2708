"""An entry's content in feeds: the same in every feed that carries it (the journal's, its kind's, each of
its topics'), in RSS, Atom and JSON Feed, whatever characters it holds, as a feed reader reads it."""

from __future__ import annotations

import html
import json
from pathlib import Path

import feedparser

from conftest import entry

TRICKY = ('Quotes " and \\ backslashes, a tab\there, <b>bold</b> &amp; an ampersand, ünïcödé ✓ 🚀, a line'
          "\u2028separator, and the words publog-content-0 and ]]&gt; written out.")
TOPIC_FEEDS = ("topics/alpha", "topics/beta", "kinds/til")


def contents(site: Path, folder: str, title: str) -> dict[str, str]:
    """The content of the item titled ``title`` in the three feeds of ``folder`` ("" is the site's)."""
    base = site / folder if folder else site
    found = {}
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((base / name).read_bytes())
        assert not parsed.bozo, (folder, name, parsed.get("bozo_exception"))
        [item] = [e for e in parsed.entries if e.title == title]
        found[name] = item.content[0].value.strip()  # feedparser strips the newline after the last paragraph
    [item] = [i for i in json.loads((base / "feed.json").read_text(encoding="utf-8"))["items"] if i["title"] == title]
    found["feed.json"] = item["content_html"].strip()
    return found


def test_an_entry_has_one_content_in_every_feed_and_format(journal, publog) -> None:
    root = journal({
        "publog.yaml": "title: Feeds\nbase_url: https://example.org/\n",
        "entries/2024-03-01-tricky.md": entry("Tricky publog-content-1", "2024-03-01", body=TRICKY + "\n",
                                              tags="[alpha, beta]", kind="til"),
        "entries/2024-03-02-plain.md": entry("Plain", "2024-03-02", body="Just *plain* words.\n",
                                             tags="[alpha, beta]", kind="til"),
    })
    assert publog("build", root, "--no-daemon").code == 0
    site = root / "_site"
    page = (site / "2024/tricky/index.html").read_text(encoding="utf-8")
    for title, words in (("Tricky publog-content-1", "ünïcödé ✓ 🚀"), ("Plain", "<em>plain</em>")):
        seen = {(folder, name): text for folder in ("", *TOPIC_FEEDS)
                for name, text in contents(site, folder, title).items()}
        assert len(set(seen.values())) == 1, seen  # one content, wherever and however it is carried
        content = next(iter(seen.values()))
        assert words in content
    tricky = html.unescape(contents(site, "", "Tricky publog-content-1")["feed.json"])
    for text in ('Quotes " and \\ backslashes', "a tab\there", "<b>bold</b> & an ampersand", "\u2028separator",
                 "publog-content-0 and ]]> written"):
        assert text in tricky and text in html.unescape(page), text
