"""An entry as the generator its journal was written for would have read it.

The journal stage asks here, for each entry file: is it an entry at all (Jekyll
renders a page only if it has front matter), what is its title when it has none
(its file name), is it a draft (Jekyll's _drafts), which of its categories are
topics, what are the parts of its URL (Hugo's section, Jekyll's categories), and
which old addresses redirect to it. Pure functions of an entry's Source and the
journal's Layout (see read/layouts/).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from .. import urls
from ..settings.config import Config
from ..markdown.generators import Notice
from .dates import strip_date
from .layouts.layout import Layout
from .load import Reading, Source
from ..problems import Problem, warning

@dataclass(frozen=True)
class Place:
    """Where an entry file is: its path below the entries folder, in the terms of permalink patterns."""

    relative: str  # below the entries folder
    folder: str  # its folder there; a page bundle's (folder/index.md): the folder it is in
    name: str  # its file name without extension; a page bundle's: its folder's name
    index: bool  # an index file: the page of its folder


def place(path: str, entries_dir: str) -> Place:
    prefix = entries_dir + "/" if entries_dir else ""
    relative = path[len(prefix) :] if path.startswith(prefix) else path
    folder = posixpath.dirname(relative)
    name = posixpath.splitext(posixpath.basename(relative))[0]
    # Eleventy reads a dated index (folder/2018-07-02-index.md) as its folder's page, as it reads index.md.
    if name in ("index", "_index") or strip_date(name) == "index":
        return Place(relative, posixpath.dirname(folder), posixpath.basename(folder), True)
    return Place(relative, folder, name, False)


def _within(relative: str, folder: str) -> bool:
    return relative == folder or relative.startswith(folder + "/")


def takes(path: str, source: Source | None, layout: Layout, entries_dir: str) -> bool:
    """Whether the old generator made a page of this file (one with errors, unless it is in a skipped folder)."""
    if any(_within(path, folder) for folder in layout.skip):
        return False
    if source is None:
        return True
    if layout.name == "jekyll":
        where = place(path, entries_dir)
        in_posts = any(f"/{folder}/" in f"/{where.relative}" for folder in layout.posts)
        # Jekyll copies a file without front matter as it is; 'layout: home' is its list of posts.
        return (in_posts or source.front_matter) and source.extra.get("layout") != "home"
    if layout.name == "hugo":
        # _index.md heads a list page (publog writes its own lists); headless bundles are never pages.
        return posixpath.basename(source.path) != "_index.md" and source.extra.get("headless") is not True
    return True


def reading(layout: Layout, own: bool) -> Reading:
    """How front matter is read: as the folder's own tool reads it, strictly in a journal of publog's own
    (``own``: it has a publog.yaml or an entries folder). Obsidian (and Quartz, and GitHub for a plain
    folder) still shows a note whose properties do not read; Jekyll builds it with none."""
    plain = layout.name == "publog" and not own
    return Reading(recover=plain or layout.name in ("obsidian", "quartz", "jekyll"),
                   lenient=plain or layout.imported, word_tags=layout.name in ("obsidian", "jekyll"))


def title(source: Source, layout: Layout) -> str:
    """The title of an entry without one: the file name as Obsidian and GitHub show it, or as words (Jekyll)."""
    if not source.untitled or layout.name in ("obsidian", "quartz", "publog"):
        return source.title
    words = strip_date(source.title)
    if " " in words.strip():
        return words.strip()
    return " ".join(w.capitalize() for w in words.replace("_", "-").split("-") if w) or source.title


def is_draft(source: Source, layout: Layout, where: Place) -> bool:
    return source.draft or any(_within(where.relative, folder) for folder in layout.drafts)


def is_hidden(source: Source, config: Config, where: Place) -> bool:
    """Whether the entry is never published, whatever the build's options: private, or not chosen for publishing."""
    return source.private or not_chosen(source, config, where)


def not_chosen(source: Source, config: Config, where: Place) -> bool:
    """Whether the author left the entry out on purpose: publish: false, or publog.yaml's publish: rule."""
    return (source.publish is False or (config.publish.require and source.publish is not True)
            or any(_within(where.relative, folder) for folder in config.publish.exclude))


def categories(source: Source, layout: Layout, where: Place) -> tuple[str, ...]:
    """Its categories, with those its folders imply: Jekyll's blog/_posts, Pelican's folder."""
    found = source.categories
    if layout.name == "jekyll" and "/_posts/" in f"/{where.relative}":
        above = f"/{where.relative}".split("/_posts/", 1)[0].strip("/")
        found = tuple(above.split("/")) + found if above else found
    elif layout.folder_categories and not found and where.folder and not any(
            _within(where.relative, f) for f, _ in layout.permalinks if f):
        found = (where.folder.split("/")[0],)
    return found


def topics(source: Source, inline: tuple[str, ...], config: Config, found: tuple[str, ...]) -> tuple[str, ...]:
    """The names of its topics: tags (front matter and #inline) and categories, as the journal chooses."""
    chosen: tuple[str, ...] = ()
    if "tags" in config.topics_from:
        chosen += source.tags + inline
    if "categories" in config.topics_from:
        chosen += found
    return chosen


def pattern(where: Place, layout: Layout, default: str) -> str:
    """The permalink pattern of an entry: its folder's (the most specific), else the journal's."""
    best, length = default, -1
    for folder, written in layout.permalinks:
        inside = not folder or _within(where.relative, folder) or (
            folder in layout.posts and f"/{folder}/" in f"/{where.relative}")
        if inside and len(folder) > length:
            best, length = written, len(folder)
    return best


def url_parts(source: Source, layout: Layout, where: Place, found: tuple[str, ...]) -> dict[str, str]:
    """The fields of a permalink pattern beyond date and slug (see urls.PERMALINK_FIELDS)."""
    lower = layout.name == "hugo"  # Hugo lower-cases its URLs; Jekyll and Eleventy keep a path as written
    name = _url_part(source.slug or where.name, lower)
    folder = "/".join(_url_part(p, lower) for p in where.folder.split("/") if p)
    if where.index:
        path = f"{folder}/{name}/" if name else f"{folder}/"
    else:
        path = f"{folder}/{name}"
    return {
        "title": source.slug or urls.slugify(source.title),
        "name": name,
        "folder": folder,
        "path": path.lstrip("/"),
        "section": folder.split("/")[0] if "/" in where.relative else "",
        "categories": "/".join(dict.fromkeys(c.lower() for c in found)),
        "category": urls.slugify(found[0]) if found else "misc",
    }


def _url_part(text: str, lower: bool) -> str:
    part = "-".join(text.split())
    return part.lower() if lower else part


def redirects(source: Source, layout: Layout, where: Place, url: str) -> tuple[str, ...]:
    """The old site paths that lead to this entry: Jekyll's redirect_from, Hugo's aliases (or any alias that is a path)."""
    found: list[str] = []
    for alias in source.redirect_from + tuple(a for a in source.aliases if _is_path(a, layout)):
        if not alias.startswith("/") and layout.name == "hugo":
            # Hugo reads a relative alias from the page's folder: posts/new.md's old-name is /posts/old-name/.
            alias = posixpath.normpath(posixpath.join("/", where.folder, alias))
        path = urls.site_path(alias)
        if path != url and path not in found:
            found.append(path)
    return tuple(found)


def other_names(source: Source, layout: Layout) -> tuple[str, ...]:
    """Obsidian's aliases: other names a wiki link may use for the note."""
    return tuple(a for a in source.aliases if not _is_path(a, layout))


def _is_path(alias: str, layout: Layout) -> bool:
    return layout.name == "hugo" or alias.startswith("/")


def notices(path: str, found: tuple[Notice, ...], layout: Layout) -> list[Problem]:
    """Warnings for what the old generator would have run in this body and publog did not (markdown/generators.py)."""
    return [warning(path, n.line, n.message) for n in found]
