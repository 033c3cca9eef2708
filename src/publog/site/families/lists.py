"""The pages that list the whole journal or a part of it: the home page, the kinds, help wanted,
recently tended, the library, the archive, the site's feeds and its list of feeds."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import Any, Iterator, Mapping, NamedTuple, Sequence

from ...journal.model import Entry
from ...learning import consistency, maps
from ..cards import kind_view, source_key
from ..inputs import Inputs
from ..page import FEED, FEED_FORMATS, TEXT, Draft, Env, Shared, outline, page_meta, titled
from .collections import collection, entries_feed, paginated


class ArchiveLine(NamedTuple):
    """An entry as the archive lists it: its teaser and the date and kind it is grouped by, and no more,
    so that editing a body does not touch the archive; cards of every entry cost a tenth of a second."""

    title: str
    url: str
    date: dt.datetime
    date_iso: str
    date_text: str
    kind: Mapping[str, str] | None  # name, label, url

    __repr__ = tuple.__repr__  # what the archive's fingerprint hashes: the fields, written by C, not by Python


TENDED_SHOWN = 6  # notes a garden's entrance shows as recently tended


def home(inputs: Inputs) -> Iterator[Draft]:
    """The newest entries, page by page; an entry whose permalink is / is the home page instead. Besides them,
    the recently tended notes and the topics, for a theme whose home is a garden's entrance (themes/garden)."""
    config = inputs.config
    if not any(e.url == "/" for e in inputs.entries):
        tended = consistency.recently_tended(inputs.entries, inputs.teaser, TENDED_SHOWN)
        yield from paginated(inputs, inputs.entries, "/", "index.html", (config.title, config.description, inputs.env.feeds),
                             Shared({"streak": inputs.streak, "tended": tended,
                                     "topics": maps.topic_tree(inputs.journal, inputs.env.urls)}))


def kinds(inputs: Inputs) -> Iterator[Draft]:
    """A list of each kind of entry, and the kinds."""
    config = inputs.config
    for kind, members in inputs.kinds:
        yield from collection(inputs, f"/kinds/{kind.name}/", "kind.html",
                              {"key": kind.name, "name": kind.plural, "description": kind.description},
                              members, kind.plural, kind.description or f"Every {kind.label.lower()} of {config.title}")
    if inputs.env.site["kinds_url"]:  # the page is where the site links to it (site_links)
        yield Draft("/kinds/", "kinds.html", titled, ("Kinds of entries", f"Entries of {config.title} by kind",
                                                      {"kinds": _kinds_listed(inputs)}), lastmod=inputs.newest_change)


def _kinds_listed(inputs: Inputs) -> list[dict[str, Any]]:
    return [{"name": kind.name, "label": kind.label, "plural": kind.plural,
             "url": inputs.env.urls.page(f"/kinds/{kind.name}/"), "description": kind.description, "count": len(members)}
            for kind, members in inputs.kinds]


def help_wanted(inputs: Inputs) -> Iterator[Draft]:
    """The open questions, where the journal asks any (answered ones leave it empty, and say so)."""
    config = inputs.config
    if not inputs.env.site["help_wanted_url"]:  # the page is where the site links to it (site_links)
        return
    yield from collection(inputs, "/help-wanted/", "help-wanted.html",
                          {"key": "help-wanted", "name": "Help wanted",
                           "description": f"Open questions {'we' if config.members else 'I'} would love your help with."},
                          [e for e in inputs.entries if maps.is_open_question(e)], "Help wanted",
                          f"Open questions of {config.title}: can you help?")


def tended(inputs: Inputs) -> Iterator[Draft]:
    """Entries as they grow, the last updated first."""
    found = sorted((e for e in inputs.entries if e.updated), key=lambda e: (-e.updated.timestamp(), e.path))  # type: ignore[union-attr]
    if found:
        yield from collection(inputs, "/tended/", "tended.html",
                              {"key": "tended", "name": "Recently tended", "description": "Entries as they grow, the last updated first."},
                              found, "Recently tended", f"Entries of {inputs.config.title} as they grow: each time one is updated")


def library(inputs: Inputs) -> Iterator[Draft]:
    """Every source the entries cite, with the entries that cite it."""
    cards = inputs.env.cards
    sources = tuple(({k: v for k, v in s.items() if k != "entries"}, cards.of(s["entries"])) for s in _library(inputs.entries))
    yield Draft("/library/", "library.html", _library_page, (sources,), lastmod=inputs.newest_change)


def _library_page(env: Env, sources: Sequence[tuple[Mapping[str, Any], Sequence[str]]]) -> dict[str, Any]:
    return {"page": page_meta("Library", f"Every book, talk, podcast and article {env.config.title} learned from", env.feeds,
                              "website"),
            "sources": [{**s, "entries": env.cards.shown(shown)} for s, shown in sources]}


def _library(entries: list[Entry]) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for card in reversed(entries):  # oldest first, so the first citation names the source
        for source in card.sources:
            key = source_key(source)
            item = found.setdefault(key, {**source, "id": key, "entries": []})
            if not item["url"] and source["url"]:
                item["url"] = source["url"]
            if not item["entries"] or item["entries"][-1] is not card:  # cited twice by one entry
                item["entries"].append(card)
    for item in found.values():
        item["entries"].reverse()  # newest first, like every list of the site
    return sorted(found.values(), key=lambda s: (s["type"], s["title"].casefold(), s["id"]))


def archive(inputs: Inputs) -> Iterator[Draft]:
    """Every entry, by year and month."""
    urls, teasers = inputs.env.urls, inputs.env.cards.teasers
    kinds = {name: kind_view(kind, urls) for name, kind in inputs.config.kinds.items()}
    lines = tuple(ArchiveLine(t.title, t.url, e.date, t.date_iso, t.date_text, kinds.get(e.kind) if e.kind else None)
                  for e in inputs.entries for t in [teasers[e.path]])
    yield Draft("/archive/", "archive.html", _archive_page, (lines,), lastmod=inputs.newest_change)


def _archive_page(env: Env, lines: Sequence[ArchiveLine]) -> dict[str, Any]:
    years = []
    for year, in_year in groupby(lines, key=lambda c: c.date.year):
        months = [
            {"name": f"{month_lines[0].date:%B}", "entries": month_lines}
            for _, group in groupby(in_year, key=lambda c: c.date.month)
            for month_lines in [list(group)]
        ]
        years.append({"year": year, "months": months, "count": sum(len(m["entries"]) for m in months)})
    return {"page": page_meta("Archive", f"Every entry of {env.config.title}, by month", env.feeds, "website"),
            "years": years}


def feeds(inputs: Inputs) -> Iterator[Draft]:
    """The site's feeds of its newest entries."""
    newest = inputs.env.cards.of(inputs.entries[: inputs.config.feed_items])
    for fmt, name, _ in FEED_FORMATS:
        yield Draft("/" + name, fmt, entries_feed, (newest, None, inputs.env.urls.absolute("/" + name)), kind=FEED)


def feeds_opml(inputs: Inputs) -> Iterator[Draft]:
    """Every feed of the site, for a feed reader to subscribe to at once."""
    config, absolute = inputs.config, inputs.env.urls.absolute
    own = [("Everything", [(config.title, absolute("/feed.xml"), absolute("/"), config.description)]),
           ("Topics", [(t.name, absolute(t.url + "feed.xml"), absolute(t.url), t.description) for t in inputs.journal.topics]),
           ("Kinds", [(k["plural"], absolute(f"/kinds/{k['name']}/feed.xml"), absolute(f"/kinds/{k['name']}/"), k["description"])
                      for k in _kinds_listed(inputs)])]
    yield Draft("/feeds.opml", "opml", outline, (f"Feeds of {config.title}", own), kind=TEXT)
