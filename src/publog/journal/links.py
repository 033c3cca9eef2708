"""Linking: each published entry's links resolved to entries and files, the backlinks and embeds
they make, and answered questions pointed to their answers."""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import replace
from typing import Any, Mapping

from .. import urls
from ..markdown.body import NAME_START, Reference
from ..markdown.embeds import MAX_DEPTH, Embed
from ..markdown.vault import TAG_KEY
from ..problems import Problem, error, warning
from ..read.folder import Compiled
from ..social import community
from .model import Asset, Entry
from .wikinames import WikiNames, shown_names

WIKI_KEY = "[["  # wiki link targets are kept apart from paths in an entry's links
PRIVATE = ""  # where a link to a private entry leads: nowhere, and its name is not shown


def links(
    compiled: list[Compiled], entries: list[Entry], entries_dir: str, files: frozenset[str],
    hidden: set[str], unchosen: set[str], layout: Any, homes: community.Homes,
) -> tuple[list[Entry], tuple[Asset, ...], list[Problem]]:
    """Resolve each published entry's links to entries and files; report the broken ones.

    Also gathers backlinks: which published entries link to which, and with what sentence.
    Drafts link out like any entry but never count as a backlink. ``hidden`` entries (private,
    or not chosen by publish:) are linked to as private ones: as plain text, without their name;
    links to the ``unchosen`` ones, left out on purpose, are no warning.
    """
    published = {e.path: e for e in entries}
    resolver = _Resolver(compiled, published, entries_dir, files, hidden, unchosen, layout, homes)
    resolved: dict[str, tuple[tuple[str, str | None], ...]] = {}
    outlinks: dict[str, list[str]] = {}
    backlinks: dict[str, dict[str, str]] = defaultdict(dict)
    embedded: dict[str, dict[str, str]] = defaultdict(dict)  # entry -> its embeds' targets -> their paths
    summaries: dict[str, str] = {}
    for item in compiled:
        if item.source is None or item.source.path not in published or not (item.references or item.tags):
            continue
        path = item.source.path
        entry = published[path]
        found: dict[str, str | None] = {}
        targets: list[str] = []
        for tag in item.tags:  # a #tag leads to its topic's page, when it is a topic of the journal
            key = urls.slugify(tag)
            found[TAG_KEY + tag] = f"/topics/{key}/" if key in entry.topics else None
        for ref in item.references:
            link = resolver.resolve(ref, path)
            if link is None:
                continue
            written, url, target = link
            found[written] = url
            if not target:
                continue
            if ref.embed:
                embedded[path].setdefault(ref.target, target)
            if target != path:
                targets.append(target)
                if not entry.draft:
                    backlinks[target].setdefault(path, ref.context)
        resolved[path] = tuple(sorted(found.items()))
        outlinks[path] = list(dict.fromkeys(targets))
        if NAME_START in entry.summary:
            summaries[path] = shown_names(entry.summary, path, resolver.names, hidden)
    entries = _linked(entries, resolved, outlinks, backlinks, summaries, resolver.names, hidden)
    return _embeds(entries, embedded), tuple(sorted(resolver.assets.values(), key=lambda a: a.source)), resolver.problems


class _Resolver:
    """What resolving one link needs of the whole journal; gathers the files linked and the problems found."""

    def __init__(self, compiled: list[Compiled], published: Mapping[str, Entry], entries_dir: str, files: frozenset[str],
                 hidden: set[str], unchosen: set[str], layout: Any, homes: community.Homes):
        self.published, self.files, self.hidden, self.unchosen, self.homes = published, files, hidden, unchosen, homes
        self.sources = {c.source.path for c in compiled if c.source}
        self.names = WikiNames(compiled, entries_dir, layout)
        self.by_name = _Files(files, entries_dir)
        self.prefix = entries_dir + "/" if entries_dir else ""
        self.assets: dict[str, Asset] = {}
        self.problems: list[Problem] = []

    def resolve(self, ref: Reference, path: str) -> tuple[str, str | None, str] | None:
        """One link of the entry at ``path``: its key in the entry's links, where it leads (None: nowhere),
        and the published entry it links to ('' for none); None when a path from the root is no file."""
        key = WIKI_KEY + ref.target if ref.wiki else ref.target
        if ref.wiki:
            target, problem = self.names.find(ref.target, path, ref.line) if ref.to_entry else ("", None)
            if target and problem is not None:
                self.problems.append(problem)  # Obsidian's choice among several, which publog made too
            elif problem is not None or not ref.to_entry:
                # ![[image.png]], [[report.pdf]]: a file, found anywhere in the journal as Obsidian finds it.
                file = self.by_name.find(ref.target, path)
                if file is not None:
                    return key, self._asset(file), ""
                self.problems.append(problem or warning(path, ref.line, f"![[{ref.target}]] matches no file of the journal; fix the name or add the file"))
                return key, None, ""
        elif ref.to_entry:
            target = _entry_target(ref.target, self.prefix, self.sources)
            if target not in self.sources:
                self.problems.append(warning(path, ref.line, f"links to {ref.target}, which is no entry; fix the path (it is relative to this file)"))
                return key, None, ""
        else:
            file = _file_target(ref.target, self.prefix, self.files)
            if file is not None:
                return key, self._asset(file), ""
            if ref.target.startswith("/"):  # a path from the root may be a page of the site (/about/)
                return None
            self.problems.append(warning(path, ref.line, f"{ref.target} is not a file in the entries folder; fix the path (it is relative to this file)"))
            return key, None, ""
        if target not in self.published:
            if target not in self.unchosen:
                shown = f"[[{ref.target}]]" if ref.wiki else target
                self.problems.append(warning(path, ref.line, f"links to {shown}, which is not published (a draft, private or dated in the future); the link shows as plain text"))
            return key, PRIVATE if target in self.hidden else None, ""
        return key, self.published[target].url, target

    def _asset(self, file: str) -> str:
        return self.assets.setdefault(file, Asset(file, _asset_url(file, self.prefix, self.homes))).url


def _linked(entries: list[Entry], resolved: Mapping[str, tuple[tuple[str, str | None], ...]],
            outlinks: Mapping[str, list[str]], backlinks: Mapping[str, dict[str, str]], summaries: Mapping[str, str],
            names: WikiNames, hidden: set[str]) -> list[Entry]:
    """The entries with what linking found: their links, outlinks, backlinks (newest first) and summaries
    with the names of the notes they link to shown."""
    for sources in backlinks.values():
        for source, context in sources.items():
            if NAME_START in context:
                sources[source] = shown_names(context, source, names, hidden)
    order = {e.path: n for n, e in enumerate(entries)}  # newest first
    return [
        replace(e, links=resolved.get(e.path, e.links), outlinks=tuple(outlinks.get(e.path, ())),
                summary=summaries.get(e.path, shown_names(e.summary, e.path, names, hidden)),
                backlinks=tuple(sorted(backlinks[e.path].items(), key=lambda b: order[b[0]])) if e.path in backlinks else ())
        if e.path in resolved or e.path in backlinks or NAME_START in e.summary else e  # most entries link nowhere
        for e in entries
    ]


def _embeds(entries: list[Entry], embedded: Mapping[str, Mapping[str, str]]) -> list[Entry]:
    """Give each entry the published notes it embeds, each with its own embeds, never one already shown."""
    by_path = {e.path: e for e in entries}

    def tree(path: str, shown: tuple[str, ...]) -> tuple[Embed, ...]:
        if len(shown) > MAX_DEPTH:
            return ()
        found = []
        for written, target in embedded.get(path, {}).items():
            if target in shown:
                continue  # a note embedding itself, or two embedding each other: shown once
            note = by_path[target]
            found.append(Embed(written, note.title, note.digest, note.links, tree(target, shown + (target,))))
        return tuple(found)

    return [replace(e, embeds=tree(e.path, (e.path,))) if e.path in embedded else e for e in entries]


def _asset_url(file: str, prefix: str, homes: community.Homes) -> str:
    """Where a file an entry shows is published: a member's files below their pages, as their entries are."""
    home = homes(file)
    if home:
        return community.MEMBERS_URL + home.member + "/" + file[len(home.prefix):]
    return "/" + (file[len(prefix) :] if file.startswith(prefix) else file)


def _file_target(target: str, prefix: str, files: frozenset[str]) -> str | None:
    """The journal file a link names: relative to the linking entry, or from the journal root or entries folder."""
    if not target.startswith("/"):
        return target if target in files else None
    found = [target.lstrip("/"), posixpath.normpath(prefix + target.lstrip("/"))]
    return next((f for f in found if f in files), None)


class _Files:
    """The files of the journal by name, as Obsidian finds ![[image.png]]: by path, else by file name anywhere."""

    def __init__(self, files: frozenset[str], entries_dir: str):
        self.files = files
        self.prefix = entries_dir + "/" if entries_dir else ""
        self.names: dict[str, list[str]] = defaultdict(list)
        for file in files:
            self.names[posixpath.basename(file).casefold()].append(file)

    def find(self, target: str, source: str) -> str | None:
        name = target.strip().lstrip("/")
        if not name or posixpath.basename(name).casefold() not in self.names:
            return None
        for candidate in (self.prefix + name, posixpath.normpath(posixpath.join(posixpath.dirname(source), name))):
            if candidate in self.files:
                return candidate
        if "/" in name:
            return next((f for f in sorted(self.names[posixpath.basename(name).casefold()]) if f.endswith("/" + name)), None)
        found = sorted(self.names[name.casefold()])
        here = posixpath.dirname(source)
        # The one beside the note, else the one nearest the vault's root, as Obsidian's shortest path does.
        return next((f for f in found if posixpath.dirname(f) == here), None) or min(found, key=lambda f: (f.count("/"), f))


def _entry_target(target: str, prefix: str, sources: set[str]) -> str:
    """A link by path (/x.md) may be written from the journal root or from the entries folder."""
    if not target.startswith("/"):
        return target
    from_root = target.lstrip("/")
    if from_root in sources or not prefix:
        return from_root
    return posixpath.normpath(prefix + from_root)


def answers(entries: list[Entry], sources: set[str], entries_dir: str) -> tuple[list[Entry], list[Problem]]:
    """Point each answered question to the entry (or URL) that answers it."""
    published = {e.path: e for e in entries}
    prefix = entries_dir + "/" if entries_dir else ""
    problems = []
    result = []
    for entry in entries:
        answer = entry.fields.get("answer")
        if not answer:
            result.append(entry)
            continue
        if answer.startswith(("https://", "http://")):
            result.append(replace(entry, answer=answer))
            continue
        target = answer.split("#", 1)[0]
        candidates = [posixpath.normpath(posixpath.join(posixpath.dirname(entry.path), target)),
                      posixpath.normpath(prefix + target.lstrip("/"))]
        found = next((c for c in candidates if c in published), None)
        if found is None:
            unpublished = any(c in sources for c in candidates)
            why = "is not published (a draft, or dated in the future)" if unpublished else "is no entry"
            problems.append(error(entry.path, entry.lines.get("answer", 1), f"'answer': {answer} {why}; give the answering entry's file (relative to this one) or a URL"))
            result.append(entry)
        else:
            result.append(replace(entry, answer=published[found].url))
    return result, problems
