"""Helpers for the tests of journals written for other tools (tests/test_import_*.py)."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

DATA = Path(__file__).resolve().parent / "data" / "import"


def copy(name: str, where: Path) -> Path:
    """A fresh copy of the test journal tests/data/import/NAME, as its author keeps it."""
    target = where / name
    shutil.copytree(DATA / name, target)
    return target


def site_file(root: Path, url: str) -> Path:
    """The file of the built site that serves ``url`` (a site path)."""
    path = unquote(urlsplit(url).path)
    if path.endswith("/"):
        path += "index.html"
    return root / "_site" / path.lstrip("/")


def page(root: Path, url: str) -> str:
    return site_file(root, url).read_text(encoding="utf-8")


def content(html: str) -> str:
    """The entry's own text on its page."""
    found = re.search(r'<div class="content e-content">(.*?)\n  </div>', html, re.S)
    assert found, "no entry content on this page"
    return found.group(1)


def redirect(root: Path, url: str) -> str:
    """Where the page at ``url`` sends the reader (its meta refresh), checked against its canonical link."""
    html = page(root, url)
    refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html)
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html)
    assert refresh and canonical and refresh.group(1) == canonical.group(1), html
    assert "<script" not in html
    return refresh.group(1)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in ("href", "src"):
                self.found.append(value)
            if value and name == "content" and ("http-equiv", "refresh") in attrs:
                self.found.append(value.split("url=", 1)[1])


def broken_links(root: Path, base_url: str) -> list[str]:
    """Every link, image and redirect of every page of the built site that leads nowhere in it."""
    site = root / "_site"
    broken = []
    for html in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(html.read_text(encoding="utf-8"))
        for link in parser.found:
            if link.startswith(base_url):
                link = "/" + link[len(base_url):]
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue  # elsewhere on the web, or relative within the page
            if not site_file(root, parts.path).is_file() and not (site / unquote(parts.path).lstrip("/") / "index.html").is_file():
                broken.append(f"{html.relative_to(site)}: {link}")
    return broken


def site_text(root: Path) -> str:
    """Every text file of the built site, for what must never be published."""
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted((root / "_site").rglob("*"))
                     if p.is_file() and p.suffix in (".html", ".xml", ".json", ".txt", ".opml"))
