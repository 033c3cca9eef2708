"""A community's journals on one site: its members, where their entries are, who wrote what.

A community site is a journal whose publog.yaml lists ``members:``. A member's
entries are in the community's own entries folder (``author: ada`` in their front
matter), or in a folder of their own (``journal:``): a folder of the community
repository, or the member's own journal with its own publog.yaml, next to it.
The entries of a member's folder are theirs and live below /members/ID/, so
their URLs do not change when another member's entries do.

A member's own journal keeps its settings: its kinds, topics and permalink
pattern apply to its entries, and its never-publish list to the whole site
(a term one member must never publish must not reach the site from anyone).

What members write is theirs, not the community's: the HTML of their entries goes through
the sanitiser of replies (see ``shown_html``), unless publog.yaml says ``trusted: true``
of them. Entries without an author are the community's own, and keep their HTML.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from ..markdown.body import ENTRY_LINK, FILE_LINK, WIKI_LINK
from .mentions import Allowed, sanitise
from ..settings import config as config_mod
from ..settings.people import MEMBERS_URL, Member
from ..problems import Problem, error

NEW_URL = "/new/"  # "New this week"
MEMBER_SOURCE = "member_"  # + a member's id: the source of their feed in pulled/ (network ids are slugs, never with "_")


@dataclass(frozen=True)
class Folder:
    """Where one member's entries are, in the community's terms."""

    member: str  # id
    root: Path  # the member's folder (their journal, when it has a publog.yaml)
    entries: Path  # the folder their entries are in
    prefix: str  # the entries folder relative to the community's folder, ending in "/": ../ada/entries/
    permalink: str  # their URL pattern, below /members/ID
    config: config_mod.Config | None = None  # their own Config, when their folder is a journal


def folders(root: Path, members: Sequence[Member], permalink: str, file: str, line: int) -> tuple[list[Folder], list[Problem]]:
    """The members' own folders; a folder with a publog.yaml is a journal, read with its own settings."""
    found: list[Folder] = []
    problems: list[Problem] = []
    for member in members:
        if not member.journal:
            continue
        folder = (root / member.journal).resolve()
        if not folder.is_dir():
            problems.append(error(file, line, f"member {member.id}: the journal folder '{member.journal}' does not exist; "
                                              "fix the path (it is relative to this file's folder)"))
            continue
        if folder == root.resolve() or folder in root.resolve().parents:
            problems.append(error(file, line, f"member {member.id}: the journal folder '{member.journal}' holds the community's "
                                              "own folder; give the folder of their entries or of their journal"))
            continue
        own = None
        entries = folder
        if (folder / config_mod.CONFIG_FILE).is_file():
            own, more = config_mod.load(folder)
            shown = relative(folder, root) + config_mod.CONFIG_FILE
            problems += [replace(p, path=shown if p.path == config_mod.CONFIG_FILE else p.path) for p in more]
            entries = folder / own.entries if (folder / own.entries).is_dir() else folder
        found.append(Folder(member.id, folder, entries, relative(entries, root), own.permalink if own else permalink, own))
    return found, problems


def merged(config: config_mod.Config, found: Sequence[Folder]) -> config_mod.Config:
    """The community's settings with what its members' journals add: their kinds and topics (the
    community's own win where both define one; a topic takes its description and goal from the
    first that gives them), their never-publish lists, and how readers reply to each of them."""
    settings_of = {folder.member: folder.config for folder in found if folder.config is not None}
    if not settings_of:
        return config
    members = tuple(replace(m, respond=settings_of[m.id].respond, email=settings_of[m.id].author.email)
                    if m.id in settings_of else m for m in config.members)
    kinds, topics, never = dict(config.kinds), dict(config.topics), list(config.never_publish)
    for settings in settings_of.values():
        for key, kind in settings.kinds.items():
            kinds.setdefault(key, kind)
        for key, topic in settings.topics.items():
            known = topics.setdefault(key, topic)  # the first to define a topic names it; others fill in what it left out
            topics[key] = replace(known, **{f: getattr(topic, f) for f in ("name", "description", "goal", "parent")
                                            if not getattr(known, f) and getattr(topic, f)})
        never += [t for t in settings.never_publish if t not in never]
    return replace(config, kinds=kinds, topics=topics, never_publish=tuple(never), members=members)


class Homes:
    """The member folder an entry file is in, if any (the deepest, should one hold another);
    found by the file's folders, not by trying every member's, as a community has many."""

    def __init__(self, found: Sequence[Folder]):
        self._by_prefix = {folder.prefix: folder for folder in found}

    def __call__(self, path: str) -> Folder | None:
        if not self._by_prefix:
            return None
        parts = path.split("/")
        for end in range(len(parts) - 1, 0, -1):
            folder = self._by_prefix.get("/".join(parts[:end]) + "/")
            if folder is not None:
                return folder
        return None


def authors(value: Any, members: Sequence[Member], path: str, line: int) -> tuple[tuple[str, ...], list[Problem]]:
    """An entry's ``author:`` (an id or a list of them) in a community's own entries folder."""
    if value is None:
        return (), []
    given = [value] if isinstance(value, str) else value if isinstance(value, list) else None
    ids = {m.id for m in members}
    known = ", ".join(sorted(ids))
    if given is None or not all(isinstance(v, str) for v in given):
        return (), [error(path, line, f"'author' should be a member's id, or a list of them; the members are {known}")]
    unknown = [v for v in given if v not in ids]
    if unknown:
        return (), [error(path, line, f"'author': {', '.join(unknown)} is no member of this community; the members are {known} "
                                      "(add them under 'members:' in publog.yaml)")]
    return tuple(dict.fromkeys(given)), []


def relative(folder: Path, root: Path) -> str:
    """A folder as seen from the community's folder, as problems name it: ``../ada/``, "" for itself."""
    rel = Path(os.path.relpath(folder, root.resolve())).as_posix()
    return "" if rel == "." else rel + "/"


# The MathML markdown/math.py writes: MathML Core's elements (and <menclose>, which markdown/math.py writes for \boxed and
# \cancel), each with the attributes that only lay it out. Never <maction>, whose statusline and tooltip
# show text of the author's choosing outside the formula, nor <annotation-xml>, which may hold HTML;
# no href, event handler or style on any of them.
_MATH_LAYOUT = frozenset({"displaystyle", "scriptlevel", "mathvariant"})
_MATH = {
    "math": {"display", "alttext"}, "semantics": set(), "annotation": {"encoding"}, "mi": set(), "mn": set(),
    "mo": {"form", "fence", "separator", "lspace", "rspace", "stretchy", "symmetric", "maxsize", "minsize", "largeop",
           "movablelimits"},
    "ms": set(), "mtext": set(), "mspace": {"width", "height", "depth"}, "mrow": set(), "mfrac": {"linethickness"},
    "msqrt": set(), "mroot": set(), "mstyle": set(), "merror": set(), "mpadded": {"width", "height", "depth", "lspace", "voffset"},
    "mphantom": set(), "msub": set(), "msup": set(), "msubsup": set(), "munder": {"accentunder"}, "mover": {"accent"},
    "munderover": {"accent", "accentunder"}, "mmultiscripts": set(), "mprescripts": set(), "none": set(),
    "mtable": set(), "mtr": set(), "mtd": {"columnspan", "rowspan"}, "menclose": {"notation"},
}

# A member's entry keeps what publog's Markdown makes of it: headings, tables (aligned), images, audio and
# video, footnotes, task lists, callouts, highlighted code, math, and the placeholders of links to other
# entries and files, which the render stage turns into URLs; its relative links stay as written.
MEMBER_ENTRIES = Allowed(
    frozenset({"a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "i", "ins", "li", "ol", "p", "pre", "q",
               "s", "small", "strong", "sub", "sup", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "figure",
               "figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "div", "span", "section",
               "details", "summary", "mark", "kbd", "samp", "var", "dfn", "u", "dl", "dt", "dd", "time", "audio", "video",
               "source", "label", "input", *_MATH}),
    {**{name: frozenset(names | _MATH_LAYOUT) for name, names in _MATH.items()},
     "*": frozenset({"class", "id", "title", "lang", "dir"}), "a": frozenset({"href", "data-publog-named"}),
     "img": frozenset({"src", "alt", "width", "height"}), "audio": frozenset({"src", "controls"}),
     "video": frozenset({"src", "controls"}), "source": frozenset({"src", "type"}),
     "th": frozenset({"style", "colspan", "rowspan"}), "td": frozenset({"style", "colspan", "rowspan"}),
     "table": frozenset({"tabindex"}), "pre": frozenset({"tabindex"}), "input": frozenset({"checked"}),
     "div": frozenset({"data-publog-embed", "data-callout", "role"}), "ol": frozenset({"start", "reversed"}),
     "li": frozenset({"value"}), "details": frozenset({"open"}), "time": frozenset({"datetime"})},
    schemes=frozenset({"http", "https", "mailto", *(s.rstrip(":") for s in (ENTRY_LINK, FILE_LINK, WIKI_LINK))}),
    relative=True, rel=None, styles=frozenset({"text-align"}),
    forced={"input": {"type": "checkbox", "disabled": "disabled"}},  # a task list's, which nobody can tick
    longest=None,
)


def shown_html(html_of: Callable[[str], str], entries: Iterable[Any], members: Sequence[Member]) -> Callable[[str], str]:
    """Entries' HTML by digest (``html_of``: as Markdown made it), as pages and feeds show it: sanitised
    where an author of the entry is a member publog.yaml does not call trusted. An entry without
    authors is the community's own; HTML of a digest no entry has (none is asked for) is sanitised."""
    if not members:
        return html_of  # a journal of one: all of it is its author's
    trusted = {m.id for m in members if m.trusted}
    own, theirs = set(), set()
    for entry in entries:
        (own if all(a in trusted for a in entry.authors) else theirs).add(entry.digest)
    kept = own - theirs  # a digest names the text: a member's copy of someone else's entry is theirs
    cleaned: dict[str, str] = {}

    def html(digest: str) -> str:
        if digest in kept:
            return html_of(digest)
        if digest not in cleaned:  # an entry shows on its page and in a few feeds
            cleaned[digest] = sanitise(html_of(digest), allowed=MEMBER_ENTRIES)
        return cleaned[digest]

    return html
