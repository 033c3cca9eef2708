"""The one place that turns names into slugs, paths into URLs and URLs into files."""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from slugify import slugify as _slugify

# Files and folders of the site that publog writes itself; no entry may take them.
RESERVED = ("index.html", "404.html", "page/", "topics/", "kinds/", "help-wanted/", "library/", "archive/",
            "static/", "feed.xml", "atom.xml", "feed.json", "sitemap.xml", "robots.txt", "series/", "now/",
            "network/", "search/", "pagefind/", ".well-known/", "feeds.opml", "weeks/", "stages/", "tended/")

_REPLACEMENTS = [["+", "-plus"], ["#", "-sharp"], ["&", "-and-"]]


_SLUG_ALREADY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """A lowercase ASCII slug: 'Product Management' -> 'product-management', 'C++' -> 'c-plus-plus'."""
    if len(text) <= 80 and _SLUG_ALREADY.fullmatch(text):
        return text  # most file names and tags are slugs already; python-slugify is slow
    return str(_slugify(text, max_length=80, word_boundary=True, replacements=_REPLACEMENTS))


# Fields a permalink pattern may use. Beyond publog's own (year, month, day, slug), those other
# generators build their URLs from, so an old site's pattern can be written in publog's terms:
#   title       the slug, else the title in slug form (Hugo's :slug, Pelican's {slug})
#   name        the slug, else the file's name as it is, date and all; a page bundle's (folder/index.md): its folder's
#   folder      the folder of the file below the entries folder (a bundle's: the folder it is in)
#   path        folder/name, or folder/ for an index file (Jekyll's and Eleventy's pages, Hugo's default)
#   section     the first folder below the entries folder (Hugo's :section)
#   categories  the categories in lower case, as folders (Jekyll's :categories)
#   category    the first category in slug form (Pelican's {category})
#   file        the file's path as Quartz and Obsidian Publish show a note: folders and name as written, case kept,
#               each space a dash; a folder's README or index is the folder (a vault's and a plain folder's URLs)
PERMALINK_FIELDS = ("year", "month", "day", "slug", "title", "name", "folder", "path", "section", "categories", "category",
                    "file")
_NAMING_FIELDS = ("slug", "title", "name", "path", "file")  # a pattern needs one, or every entry gets one URL
_FIELD = re.compile(r"{([^{}]*)}")


def pattern_problem(pattern: object) -> str | None:
    """What is wrong with a permalink pattern written in publog.yaml, or None."""
    hint = "a pattern such as /{year}/{slug}/ using " + ", ".join("{%s}" % f for f in PERMALINK_FIELDS)
    if not isinstance(pattern, str) or not pattern.startswith("/"):
        return hint + " (it must start with /)"
    names = _FIELD.findall(pattern)
    if not any(n in _NAMING_FIELDS for n in names):
        return hint + " (it must contain {slug}, {title}, {name}, {path} or {file})"
    if any(n not in PERMALINK_FIELDS for n in names) or ".." in pattern or "\\" in pattern:
        return hint
    return None


@functools.lru_cache(maxsize=64)
def needs_parts(pattern: str) -> bool:
    """Whether a pattern uses fields beyond the date and the slug (which cost a little to make for each entry)."""
    return bool(set(_FIELD.findall(pattern)) - {"year", "month", "day", "slug"})


# What a browser or a host would read as something else in a path: a query, a fragment, an escape, a separator.
_NOT_IN_PATH = {"?": "", "#": "", "%": "-percent", "&": "-and-", "\\": "-"}
_SPACE = re.compile(r"\s")
FOLDER_PAGES = ("index", "_index", "readme")  # a note with one of these names is its folder's page


def file_part(relative: str, slug: str | None = None) -> str:
    """The {file} field of a note at ``relative`` below the entries folder (see PERMALINK_FIELDS).

    'Go/ORM.md' -> 'Go/ORM', 'Go/README.md' -> 'Go', 'a  b.md' -> 'a--b': every space is kept as a
    dash, as Quartz makes its URLs, so two notes whose names differ only in spacing keep two pages.
    A slug, when the note gives one, takes the place of its name.
    """
    folder, base = posixpath.split(unicodedata.normalize("NFC", relative))
    stem = posixpath.splitext(base)[0]
    name = slug or ("" if stem.casefold() in FOLDER_PAGES else stem)
    return "/".join(_path_segment(part) for part in (*folder.split("/"), name) if part and _path_segment(part))


def _path_segment(part: str) -> str:
    for char, instead in _NOT_IN_PATH.items():
        part = part.replace(char, instead)
    part = _SPACE.sub("-", "".join(c for c in part if unicodedata.category(c) != "Cc"))
    return "" if part in (".", "..") else part


_SLUG_WRITTEN = re.compile(r"\w[\w.~+-]*")


def written_slug(written: str | None) -> tuple[str | None, str | None, str, bool]:
    """A slug as front matter gives it -> (slug, site path, what publog did about it, whether that is an error).

    Empty is no slug, as Pelican and Hugo read it (the file name or title is used). A slug of
    letters, digits, '.', '_', '~', '+' and '-' is kept as written: the old site served it so
    ('seccon_re+crypto_200' in Pelican's '{slug}.html'). One starting with '/' is a path from the
    site's root, as Docusaurus reads it ('slug: /' is the home page). Any other is slugified,
    as Hugo does with 'github code viewer'. A slash or '..' inside one would name another folder
    of the site, perhaps outside it: that is an error.
    """
    text = unicodedata.normalize("NFC", written or "").strip()
    if not text:
        return None, None, "", False
    if text.startswith("/") and not escapes(text):
        path = site_path(text)
        return None, path, (f"slug {written!r} starts with '/', a path from the site's root as Docusaurus reads it; "
                            f"the entry's URL is {path}"), False
    if "/" in text or "\\" in text or ".." in text:
        return None, None, f"slug {written!r} is not usable in a URL; use letters, digits and dashes only", True
    if _SLUG_WRITTEN.fullmatch(text):
        return text, None, "", False
    made = slugify(text)
    if not made:
        return None, None, f"slug {written!r} has no letters or digits; the URL is made from the file name or title", False
    return made, None, f"slug {written!r} is not usable in a URL as written; publog uses {made!r}", False


def fallback_slug(text: str) -> str:
    """A slug for a name that slugify() leaves empty (emoji, signs): the name itself, spaces as dashes, lower case."""
    return re.sub(r"-+", "-", _path_segment(unicodedata.normalize("NFC", text.strip()).lower())).strip("-.")


def permalink(pattern: str, date: dt.datetime, slug: str, **parts: str) -> str:
    """Expand a permalink pattern such as /{year}/{slug}/ into a site path.

    ``parts`` gives the other fields (see PERMALINK_FIELDS); those not given are empty,
    and the empty folders they leave are dropped: /{categories}/{slug}/ -> /slug/.
    """
    values = {field: "" for field in PERMALINK_FIELDS}
    values.update(parts, year=f"{date.year:04d}", month=f"{date.month:02d}", day=f"{date.day:02d}", slug=slug)
    path = "/" + _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), pattern).lstrip("/")
    path = re.sub(r"/+", "/", path)
    # /{path}.html for an index file (path 'about/') is the folder's own page.
    path = path.replace("/.html", "/") if path.endswith("/.html") else path
    return posixpath.normpath(path) + ("/" if path.endswith("/") and path != "/" else "")


def suffixed(path: str, suffix: str) -> str:
    """A site path with ``suffix`` after its last name: /2024/same/ -> /2024/same-2024-03-01/, same.html -> same-....html."""
    if path.endswith("/"):
        return path[:-1] + suffix + "/"
    stem, ext = posixpath.splitext(path)
    return stem + suffix + ext


def site_path(written: str) -> str:
    """An old site's URL as an entry's front matter gives it (url:, permalink:, aliases:) -> a site path.

    A leading slash is optional (Obsidian Publish writes none). A path ending in .html or .htm is a
    file; any other is served as a folder's index.html, which every host answers for /path and /path/.
    """
    path = "/" + written.strip().split("#", 1)[0].split("?", 1)[0].lstrip("/")
    if path == "/" or path.endswith("/") or path.lower().endswith((".html", ".htm")):
        return path
    return path + "/"


def output_file(path: str) -> str:
    """The file that serves a site path: /2024/slug/ -> 2024/slug/index.html."""
    path = path.lstrip("/")
    if path == "" or path.endswith("/"):
        return path + "index.html"
    return path


_RESERVED_FILES = frozenset(r for r in RESERVED if not r.endswith("/"))
_RESERVED_FOLDERS = tuple(r for r in RESERVED if r.endswith("/"))


def reserved(file: str) -> bool:
    """Whether an output file belongs to the pages publog writes itself (or would need one of its files as a folder)."""
    return file in _RESERVED_FILES or file.startswith(_RESERVED_FOLDERS) or file.split("/", 1)[0] in _RESERVED_FILES


def escapes(path: str) -> bool:
    """Whether a site path would land outside the output folder."""
    normal = posixpath.normpath("/" + path)
    return ".." in path.split("/") or "\\" in path or "\x00" in path or not normal.startswith("/")


@dataclass(frozen=True)
class Urls:
    """Builds links for a site that may live below a path of its host."""

    base_url: str  # absolute, ends with /

    @functools.cached_property
    def base_path(self) -> str:  # every link of every page starts with it
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


_URL_SAFE = re.compile(r"[A-Za-z0-9/_.~#%+-]*")


@functools.lru_cache(maxsize=1 << 16)
def _quote(path: str) -> str:
    # Slugs are URL-safe already; quote() only for the paths that need it, it is slow. The same
    # paths are linked from many pages: each is looked at once.
    return path if _URL_SAFE.fullmatch(path) else quote(path, safe="/#%~+")
