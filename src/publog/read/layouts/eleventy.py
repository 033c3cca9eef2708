"""A folder written for Eleventy: its config gives the input folder, its directory data files the
permalinks and drafts of each folder, and its global data (_data/site.js ...) the site's title,
URL and author. Data files that are code are read as text, never run (see read/jsvalues.py)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Iterable

from ... import urls
from .. import files, jsvalues
from ..configs import eleventy_folders
from ..detect import ELEVENTY_CONFIGS, detect
from ...problems import Problem, warning
from .oldconfig import OldConfig, site_settings
from .layout import Layout


def find(root: Path) -> OldConfig:
    """What Eleventy's config and data files say of the folder."""
    source, skip, data_dir = eleventy_folders(root)
    file = next((n for n in ELEVENTY_CONFIGS if (root / n).is_file()), "")
    permalinks: list[tuple[str, str]] = []
    drafts: list[str] = []
    unpublished: list[str] = []
    problems: list[Problem] = []
    prefix = "" if source == "." else source + "/"
    for folder, shown, data, text in _folder_data(root, source, skip):
        written = data.get("permalink")
        if written is False:
            unpublished.append(prefix + folder)  # Eleventy writes no page of these files: data for other pages
        elif isinstance(written, str):
            pattern, unknown = _permalink(written)
            if unknown:
                problems.append(warning(shown, jsvalues.line_of(text, "permalink"), f"the permalink uses {unknown}, "
                                        f"which publog has no field for; the pages in {prefix + folder}/ get Eleventy's "
                                        "default URLs (their paths)"))
            else:
                permalinks.append((folder, pattern))
        if data.get("draft") is True:
            drafts.append(folder)
    layout = Layout(name="eleventy", source=file, permalinks=tuple(permalinks) + (("", "/{path}/"),),
                    drafts=tuple(drafts), skip=tuple(sorted(set(skip) | set(unpublished))))
    return OldConfig(layout, source, "/{path}/", _site_data(root, data_dir), tuple(problems))


# A folder's data file, lowest priority first: Eleventy merges them, the later winning.
_DIRECTORY_DATA = (".json", ".11tydata.json", ".11tydata.mjs", ".11tydata.cjs", ".11tydata.js")
_GLOBAL_DATA = ("metadata", "meta", "site")  # the files naming the site, the later winning; author.* names its author
_DATA_SUFFIXES = (".json", ".mjs", ".cjs", ".js")


def _folder_data(root: Path, source: str, skip: Iterable[str]) -> list[tuple[str, str, dict[str, Any], str]]:
    """(folder below the input folder, file shown in problems, its merged data, the text of the file that gave
    its permalink) of each folder with a directory data file (posts/posts.json, posts/posts.11tydata.js)."""
    base = root if source == "." else root / source
    skipped = {root / f for f in skip}
    found: list[tuple[str, str, dict[str, Any], str]] = []
    pending = [(base, "")]
    while pending:
        here, relative = pending.pop()
        try:
            listing = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError:
            continue
        names = {e.name for e in listing}
        if relative:
            data: dict[str, Any] = {}
            shown, text = "", ""
            for suffix in _DIRECTORY_DATA:
                name = here.name + suffix
                if name in names:
                    read, raw = _data_file(here / name)
                    if "permalink" in read:
                        shown, text = (Path(here, name).relative_to(root)).as_posix(), raw
                    data.update(read)
            if data:
                found.append((relative, shown or here.relative_to(root).as_posix(), data, text))
        for item in listing:
            if (item.is_dir(follow_symlinks=False) and not item.name.startswith(".") and item.name != "node_modules"
                    and Path(item.path) not in skipped):
                pending.append((Path(item.path), f"{relative}/{item.name}".lstrip("/")))
    return found


def _data_file(path: Path) -> tuple[dict[str, Any], str]:
    """The values of an Eleventy data file (JSON, or a module read as text), and its text."""
    try:
        text = files.read_text(path, "utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}, ""
    if path.suffix == ".json":
        try:
            value = json.loads(text)
        except ValueError:
            return {}, text
        return (value if isinstance(value, dict) else {}), text
    return jsvalues.exported(text), text


def data_files(root: Path) -> tuple[str, ...]:
    """The global data files publog reads, for the build's fingerprint."""
    if detect(root) != "eleventy":
        return ()
    data_dir = eleventy_folders(root)[2]
    return tuple(f"{data_dir}/{name}{suffix}" for name in (*_GLOBAL_DATA, "author") for suffix in _DATA_SUFFIXES)


def _site_data(root: Path, data_dir: str) -> tuple[tuple[str, Any], ...]:
    """The site's title, description, URL, language and author from Eleventy's global data (_data/site.js ...)."""
    def read(name: str) -> dict[str, Any]:
        for suffix in _DATA_SUFFIXES:
            if (root / data_dir / (name + suffix)).is_file():
                return _data_file(root / data_dir / (name + suffix))[0]
        return {}

    site: dict[str, Any] = {}
    for name in _GLOBAL_DATA:
        site.update(read(name))
    base = next((site[k] for k in ("url", "baseUrl", "baseURL", "base_url") if isinstance(site.get(k), str)), None)
    return site_settings(site.get("title"), site.get("description"), base, site.get("language") or site.get("lang"),
                 None, site.get("author") or read("author"))


# Eleventy permalink expressions -> publog's fields. page.fileSlug is the file's name without its date, or an
# index file's folder's; publog's {slug}, which is the same in slug form (as the slug filter writes it).
_ELEVENTY_FIELDS = {"page.fileSlug": "{slug}", "fileSlug": "{slug}", "slug": "{slug}", "page.filePathStem": "{path}",
                    "title": "{title}", "page.date.getFullYear()": "{year}"}
_ELEVENTY_FILTERS = ("slug", "slugify", "url", "lower")
_DATE_TOKENS = {"%Y": "{year}", "%m": "{month}", "%d": "{day}", "yyyy": "{year}", "MM": "{month}", "dd": "{day}"}


def _permalink(written: str) -> tuple[str, str]:
    """An Eleventy permalink template in publog's fields; and the first expression publog has none for."""
    unknown: list[str] = []

    def field(match: re.Match[str]) -> str:
        head, *filters = [part.strip() for part in match.group(1).split("|")]
        if head in ("page.date", "date") and len(filters) == 1:
            format = re.fullmatch(r"""date\s*(?::\s*|\(\s*)(["'])(.*?)\1\s*\)?""", filters[0])
            if format:
                parts = re.split(r"(%[Ymd]|yyyy|MM|dd)", format.group(2))
                if all(p in _DATE_TOKENS or re.fullmatch(r"[-/_.]*", p) for p in parts):
                    return "".join(_DATE_TOKENS.get(p, p) for p in parts)
        elif head in _ELEVENTY_FIELDS and all(f in _ELEVENTY_FILTERS for f in filters):
            return _ELEVENTY_FIELDS[head]
        unknown.append(match.group(0))
        return match.group(0)

    pattern = re.sub(r"{{-?\s*(.*?)\s*-?}}", field, written)
    if not unknown and "{%" in pattern:
        unknown.append(pattern[pattern.index("{%"):].split("%}", 1)[0] + "%}")
    pattern = "/" + pattern.strip().lstrip("/")
    if pattern.endswith("/index.html"):
        pattern = pattern[: -len("index.html")]  # Eleventy writes blog/x/index.html: the page /blog/x/
    if not unknown and urls.pattern_problem(pattern):
        unknown.append(written)
    return pattern, unknown[0] if unknown else ""
