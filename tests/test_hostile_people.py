"""Other people's words on the site (issue 23): the URLs settings and front matter link to, and what
the members of a community site write, are checked as readers will meet them, on pages and in feeds.

Two holes of one kind: a `javascript:` URL in `author.url` reached a `rel="me"` link, and a member's
`<script>` ran on every page and in every feed that showed their entry.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from conftest import entry, write
from hostile_support import assert_clear, assert_fails_with, build, guarded_build

# A URL in an href or src that is no web address, written as people slip it past a careless check.
NOT_WEB = [
    "javascript:alert(1)",
    "' JaVaScRiPt:alert(1)'",
    "\"java\\tscript:alert(1)\"",
    "'data:text/html,<script>alert(1)</script>'",
    "vbscript:msgbox(1)",
    "'&#106;avascript:alert(1)'",
    "//evil.example/",
]

# Each setting that becomes a link, and the start of the problem that must name it.
SETTINGS = {
    "author.url": ("author:\n  name: Ada\n  url: {url}\n", "publog.yaml:1: 'author.url'"),
    "author.links": ("author:\n  name: Ada\n  links: [{url}]\n", "publog.yaml:1: 'author.links'"),
    "webmention": ("webmention: {url}\n", "publog.yaml:1: 'webmention'"),
    "respond": ("respond: {url}\n", "publog.yaml:1: 'respond'"),
    "member links": ("members:\n  - id: ada\n    name: Ada\n    links: [{url}]\n", "publog.yaml:1: member 1 (ada) 'links'"),
    "member feed": ("members:\n  - id: ada\n    name: Ada\n    feed: {url}\n", "publog.yaml:1: member 1 (ada) 'feed'"),
}


@pytest.mark.parametrize("url", NOT_WEB)
@pytest.mark.parametrize("setting", SETTINGS)
def test_a_setting_that_links_somewhere_takes_only_a_web_address(tmp_path: Path, setting: str, url: str) -> None:
    written, problem = SETTINGS[setting]
    root = write(tmp_path / "journal", {
        "publog.yaml": written.format(url=url),
        "entries/2024-05-01-a.md": entry("A", "2024-05-01"),
    })
    run = guarded_build(tmp_path, root)
    assert_fails_with(run, problem)
    assert not (root / "_site").exists()


def test_the_authors_own_web_address_is_their_rel_me_link(tmp_path: Path) -> None:
    root = write(tmp_path / "journal", {
        "publog.yaml": "author:\n  name: Ada\n  url: HTTPS://ada.example/\n",
        "entries/2024-05-01-a.md": entry("A", "2024-05-01"),
    })
    run = build("build", root)
    assert_clear(run)
    assert run.code == 0, run.err
    links = [a for a in _elements((root / "_site/index.html").read_text()) if a[0] == "a" and "me" in a[1].get("rel", "")]
    assert [a[1]["href"] for a in links] == ["HTTPS://ada.example/"]


# Front matter keys that become links, each given a URL that is no web address.
FRONT_MATTER = {
    "discuss": {"discuss": "javascript:alert(1)"},
    "syndication": {"syndication": "[https://social.example/@ada/1, ' javascript:alert(1)']"},
    "sources": {"kind": "log", "sources": "[{title: A book, url: 'JAVASCRIPT:alert(1)'}]"},
    "answer": {"kind": "question", "status": "answered", "answer": "javascript:alert(1)"},
}


@pytest.mark.parametrize("key", FRONT_MATTER)
def test_a_link_in_front_matter_takes_only_a_web_address(tmp_path: Path, key: str) -> None:
    meta = FRONT_MATTER[key]
    root = write(tmp_path / "journal", {"entries/2024-05-01-a.md": entry("A", "2024-05-01", **meta)})
    line = 4 + list(meta).index(key)  # after ---, title and date
    run = guarded_build(tmp_path, root)
    assert_fails_with(run, f"entries/2024-05-01-a.md:{line}: '{key}'")
    assert not (root / "_site").exists()


# --- reading pages and feeds as a browser and a feed reader do -----------------------------------------

class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))


def _elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.found


def _content(page: str) -> str:
    """An entry page's body, as written between its content's tags."""
    match = re.search(r'<div class="content e-content">(.*?)\n  </div>\n', page, re.S)
    assert match, "no entry content on the page"
    return match.group(1)


def _dangers(html: str) -> list[str]:
    """What in ``html`` could run code, load a page, or draw over the site."""
    found = []
    for tag, attrs in _elements(html):
        if tag in FORBIDDEN:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}>")
            elif name in URL_ATTRIBUTES:
                plain = re.sub(r"[\x00-\x20]", "", value).lower()
                scheme = re.match(r"([a-z][a-z0-9+.-]*):", plain)
                if scheme and scheme.group(1) not in SAFE_SCHEMES:
                    found.append(f"<{tag} {name}={value!r}>")
            elif name == "style" and not re.fullmatch(r"text-align:\s*\w+;?", value.strip()):
                found.append(f"<{tag} style={value!r}>")
    return found


def _page_dangers(page: str) -> list[str]:
    """Dangers of a whole page but the site's own: the meta and link elements of its head, and the
    SVG of its link maps and calendars (an entry's content is checked on its own, SVG included)."""
    head, _, body = page.partition("<body>")
    return [d for d in _dangers(head) if d not in ("<meta>", "<link>")] + [d for d in _dangers(body) if d != "<svg>"]


def _parsed(path: Path) -> feedparser.FeedParserDict:
    return feedparser.parse(path.read_bytes(), sanitize_html=False, resolve_relative_uris=False)


def _feed_items(site: Path) -> list[tuple[str, str, str]]:
    """(feed, item title, item HTML) of every item of every feed of the site."""
    items = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.name in ("feed.xml", "atom.xml"):
            for item in _parsed(path).entries:
                html = "".join(c.value for c in item.get("content", [])) or item.get("summary", "")
                items.append((rel, item.get("title", ""), html))
        elif path.name == "feed.json":
            for item in json.loads(path.read_text())["items"]:
                items.append((rel, item.get("title", ""), item.get("content_html", "")))
    return items
