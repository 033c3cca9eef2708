"""The one place that turns names into slugs, paths into URLs and URLs into files."""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from slugify import slugify as _slugify

# Files and folders of the site that publog writes itself; no entry may take them.
RESERVED = ("index.html", "404.html", "page/", "topics/", "kinds/", "help-wanted/", "library/", "archive/",
            "static/", "feed.xml", "atom.xml", "feed.json", "sitemap.xml", "robots.txt", "series/", "now/",
            "network/", "search/", "pagefind/", ".well-known/", "feeds.opml", "weeks/", "stages/")

_REPLACEMENTS = [["+", "-plus"], ["#", "-sharp"], ["&", "-and-"]]


_SLUG_ALREADY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """A lowercase ASCII slug: 'Product Management' -> 'product-management', 'C++' -> 'c-plus-plus'."""
    if len(text) <= 80 and _SLUG_ALREADY.fullmatch(text):
        return text  # most file names and tags are slugs already; python-slugify is slow
    return str(_slugify(text, max_length=80, word_boundary=True, replacements=_REPLACEMENTS))


def permalink(pattern: str, date: dt.datetime, slug: str) -> str:
    """Expand a permalink pattern such as /{year}/{slug}/ into a site path."""
    path = pattern.format(year=f"{date.year:04d}", month=f"{date.month:02d}", day=f"{date.day:02d}", slug=slug)
    return posixpath.normpath(path) + ("/" if path.endswith("/") else "")


def output_file(path: str) -> str:
    """The file that serves a site path: /2024/slug/ -> 2024/slug/index.html."""
    path = path.lstrip("/")
    if path == "" or path.endswith("/"):
        return path + "index.html"
    return path


_RESERVED_FILES = frozenset(r for r in RESERVED if not r.endswith("/"))
_RESERVED_FOLDERS = tuple(r for r in RESERVED if r.endswith("/"))


def reserved(file: str) -> bool:
    """Whether an output file belongs to the pages publog writes itself."""
    return file in _RESERVED_FILES or file.startswith(_RESERVED_FOLDERS)


def escapes(path: str) -> bool:
    """Whether a site path would land outside the output folder."""
    normal = posixpath.normpath("/" + path)
    return ".." in path.split("/") or "\\" in path or "\x00" in path or not normal.startswith("/")


@dataclass(frozen=True)
class Urls:
    """Builds links for a site that may live below a path of its host."""

    base_url: str  # absolute, ends with /

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path or "/"

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).hostname or "localhost"

    def page(self, path: str) -> str:
        """A link from one page of the site to another: /2024/slug/ -> /notes/2024/slug/."""
        return self.base_path + _quote(path.lstrip("/"))

    def absolute(self, path: str) -> str:
        """The full URL of a site path, for feeds, sitemaps and canonical links."""
        return self.base_url + _quote(path.lstrip("/"))


_URL_SAFE = re.compile(r"[A-Za-z0-9/_.~#%-]*")


def _quote(path: str) -> str:
    # Slugs are URL-safe already; quote() only for the paths that need it, it is slow.
    return path if _URL_SAFE.fullmatch(path) else quote(path, safe="/#%~")
