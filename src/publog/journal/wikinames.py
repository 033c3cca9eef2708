"""The names a wiki link ([[name]]) may use for an entry, and the entry a name finds, as Obsidian finds it."""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata
from collections import defaultdict
from typing import Any

from .. import urls
from ..markdown.body import NAME_END, NAME_SEP, NAME_START
from ..problems import Problem, warning
from ..read import conventions
from ..read.folder import Compiled
from .place import entry_slug


class WikiNames:
    """Every name a wiki link may use for an entry, published or not, so that a link's meaning
    does not change when a draft comes out.

    Names are tried in Obsidian's order of preference: a path, a file name, a slug, a title, an
    alias (Obsidian's aliases: property); the first kind of name that matches decides, and of two
    entries it matches there, Obsidian's choice is made (see find). A page bundle (folder/index.md)
    is also named by its folder.
    """

    def __init__(self, compiled: list[Compiled], entries_dir: str, layout: Any = None):
        self.prefix = entries_dir + "/" if entries_dir else ""
        self.compiled, self.entries_dir, self.layout = compiled, entries_dir, layout

    @functools.cached_property
    def tiers(self) -> list[tuple[dict[str, list[str]], dict[str, list[str]]]]:
        """Made on the first wiki link: most journals have none. Each kind of name is kept as written
        (but for case) and with its spaces folded: the name as written is tried first, as Obsidian does."""
        compiled, entries_dir, layout = self.compiled, self.entries_dir, self.layout
        tiers: list[tuple[dict[str, list[str]], dict[str, list[str]]]] = [(defaultdict(list), defaultdict(list)) for _ in range(5)]
        paths, stems, slugs, titles, aliases = tiers

        def add(tier: tuple[dict[str, list[str]], dict[str, list[str]]], name: str, path: str) -> None:
            tier[0][_exact(name)].append(path)
            tier[1][_folded(name)].append(path)

        for item in compiled:
            source = item.source
            if source is None:
                continue
            where = conventions.place(source.path, entries_dir)
            add(paths, posixpath.splitext(where.relative)[0], source.path)
            stem = posixpath.splitext(posixpath.basename(source.path))[0]
            add(stems, stem, source.path)
            if where.index and where.name:
                add(paths, posixpath.join(where.folder, where.name), source.path)
                add(stems, where.name, source.path)
            slug = entry_slug(urls.written_slug(source.slug)[0], source.title, where, stem)
            if slug:
                add(slugs, slug, source.path)
            add(titles, source.title, source.path)
            for name in conventions.other_names(source, layout) if layout is not None else ():
                add(aliases, name, source.path)
        return tiers

    def find(self, target: str, source: str, line: int) -> tuple[str, Problem | None]:
        """The entry a wiki link names, as Obsidian finds it: the name as written, then with its spaces folded;
        of several, the one in the linking note's folder, else the one nearest the root. Where Obsidian
        would still have to choose, the first by path, with a warning."""
        name = (target[:-3] if target.lower().endswith(".md") else target).lstrip("/")
        here = posixpath.dirname(source[len(self.prefix):] if source.startswith(self.prefix) else source)
        beside = posixpath.normpath(posixpath.join(here, name)) if here and "/" in name else None
        # A name slugify() would strip of emoji or signs is no slug: [[🟨 X]] must not find '🟦 X'.
        slugged = urls.slugify(name) if all(c.isascii() or unicodedata.category(c)[0] in "LNZP" for c in name) else None
        paths, stems, slugs, titles, aliases = self.tiers
        for tier, keys in ((paths, (name, beside)), (stems, (name,)), (slugs, (name, slugged)), (titles, (name,)),
                           (aliases, (name,))):
            for index, form in ((tier[0], _exact), (tier[1], _folded)):
                found = sorted({p for k in keys if k for p in index.get(form(k), ())})
                if found:
                    return self._choose(found, target, source, line)
        return "", warning(source, line, f"[[{target}]] matches no entry's file name, slug or title; fix the link or write the entry")

    def _choose(self, found: list[str], target: str, source: str, line: int) -> tuple[str, Problem | None]:
        if len(found) == 1:
            return found[0], None
        folder = posixpath.dirname(source)
        nearest = [p for p in found if posixpath.dirname(p) == folder] or found
        depth = min(p.count("/") for p in nearest)
        nearest = [p for p in nearest if p.count("/") == depth]
        if len(nearest) == 1:
            return nearest[0], None
        forms = ", ".join(f"[[{posixpath.splitext(p[len(self.prefix):])[0]}]] for {p}" for p in nearest)
        return nearest[0], warning(source, line, f"[[{target}]] could mean {len(nearest)} entries; publog links "
                                   f"{nearest[0]}, as Obsidian would; to choose, write {forms}")


def _exact(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _folded(name: str) -> str:
    return " ".join(_exact(name).split())


_MARKED = re.compile(f"{NAME_START}([^{NAME_SEP}]*){NAME_SEP}([^{NAME_END}]*){NAME_END}")


def shown_names(text: str, path: str, names: WikiNames, private: set[str]) -> str:
    """Text with the names of wiki link targets (see markdown.NAME_START) shown, unless the target is private."""
    if NAME_START not in text:
        return text

    def show(match: re.Match[str]) -> str:
        target, _ = names.find(match.group(1), path, 0)
        return "a private note" if target in private else match.group(2)

    return _MARKED.sub(show, text)
