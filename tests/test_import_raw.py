"""Nothing raw on a page (issue 24): what another generator runs in a body renders as it would.

Each test lays out a small journal the way real folders are (a Jekyll `_config.yml` and `_posts/`,
a Hugo `config.toml` and `content/`, Eleventy's `.eleventy.js`, Pelican's `pelicanconf.py`), builds
it through the CLI, and asserts on the built pages: no raw `{{<`, `{%` or `{:` outside code, and
code stays code.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from hostile_support import assert_clear, build

from conftest import write

RAW = re.compile(r"\{\{[<%]|\{%|\{\{-?\s*[\w.'\"]|\{:")


def text_outside_code(html: str) -> str:
    """A page's text as a reader sees it, code and preformatted blocks left out."""
    html = re.sub(r"<(pre|code|script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def assert_nothing_raw(site: Path) -> None:
    __tracebackhide__ = True
    raw = {name: RAW.search(text_outside_code(html)) for name, html in pages(site).items()}
    shown = {name: text_outside_code(pages(site)[name])[max(0, m.start() - 30): m.end() + 40]
             for name, m in raw.items() if m}
    assert not shown, f"raw generator syntax on pages: {shown}"


def body_of(site: Path, needle: str) -> str:
    """The entry text of the one built entry page whose text holds ``needle``."""
    found = [m.group(1) for html in pages(site).values()
             if (m := re.search(r'<div class="content e-content">(.*?)\n  </div>', html, re.S)) and needle in m.group(1)]
    assert len(found) == 1, f"{len(found)} entry pages hold {needle!r}"
    return found[0]


# --- Pelican ----------------------------------------------------------------------------------------

PELICAN = {
    "pelicanconf.py": "AUTHOR = 'Kim'\nSITENAME = 'Kim'\nPATH = 'content'\n",
}


def test_a_pelican_tag_link_first_in_a_post_links_to_the_topic(tmp_path: Path) -> None:
    root = write(tmp_path / "blog", {**PELICAN, "content/2010/video.md": """\
        Title: Cavemen live
        Date: 2010-05-01 10:00
        Tags: video, music

        See the [section about videos]({tag}video), the [music]({category}music) category,
        and [the other post]({filename}/2010/other.md).
        """, "content/2010/other.md": "Title: Other\nDate: 2010-04-01 10:00\n\nText.\n"})
    run = build("build", root, "--out", tmp_path / "site")
    assert_clear(run)
    assert run.code == 0, run.err
    html = body_of(tmp_path / "site", "section about videos")
    assert '<a href="/topics/video/">section about videos</a>' in html
    assert '<a href="/topics/music/">music</a>' in html
    other = re.search(r'<a href="([^"]+)">the other post</a>', html)
    assert other and (tmp_path / "site" / other.group(1).lstrip("/")).is_file()
