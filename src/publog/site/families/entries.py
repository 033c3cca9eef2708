"""An entry's own page, with everything around it (its neighbours, backlinks, series, credits,
responses and history), and the redirects from its old addresses."""

from __future__ import annotations

from typing import Any, Iterator, Mapping, Sequence

from markupsafe import Markup

from ...read.dates import iso
from ...render.social_cards import SocialImage
from ...social.mentions import Responses
from .. import linkmap
from ..cards import Teaser, date_text
from ..inputs import Inputs
from ..page import TEXT, Draft, Env, page_meta, titled


def entry_pages(inputs: Inputs) -> Iterator[Draft]:
    config, cards, entries = inputs.config, inputs.env.cards, inputs.entries
    series_of = {path: series for series in inputs.journal.series for path in series.entries}
    credited = {key: set(paths) for key, paths in inputs.credited.items()}
    teasers = cards.teasers
    for index, entry in enumerate(entries):
        newer = entries[index - 1] if index > 0 else None
        older = entries[index + 1] if index + 1 < len(entries) else None
        kind = config.kinds.get(entry.kind) if entry.kind else None
        series = series_of.get(entry.path)
        yield Draft(entry.url, kind.template if kind else "entry.html", _entry_page, (
            (entry.title, entry.summary), teasers[entry.path],
            cards.fingerprint[entry.path], newer and cards.fingerprint[newer.path], older and cards.fingerprint[older.path],
            tuple((p, teasers[p], c) for p, c in entry.backlinks), cards.teasers_of(entry.related),
            tuple((p, teasers[p]) for p in entry.outlinks),
            series and (series.name, inputs.env.urls.page(series.url), tuple((p, teasers[p]) for p in series.entries), entry.path),
            tuple((p.id, p.name) for p in inputs.people if entry.path in credited.get(p.id, ())),
            inputs.responses.get(entry.url) if inputs.responses else None, inputs.revisions.get(entry.path),
            inputs.social.entries.get(entry.path),
        ), lastmod=cards.lastmod([entry]), author=entry.path)


def _entry_page(env: Env, meta: tuple[str, str], own: Teaser, card: str, newer: str | None, older: str | None,
                backlinks: Sequence[tuple[str, Teaser, str]], related: Sequence[Teaser],
                outlinks: Sequence[tuple[str, Teaser]], series: tuple[str, str, Sequence[tuple[str, Teaser]], str] | None,
                credits: Sequence[tuple[str, str]], found: Responses | None, history: Sequence[Any] | None,
                image: SocialImage | None) -> dict[str, Any]:
    cards, urls = env.cards, env.urls
    return {
        "page": {**page_meta(*meta, env.feeds, "article"), "image": image}, "entry": cards.card(card),
        "newer": newer and cards.card(newer), "older": older and cards.card(older),
        "backlinks": [{**t.view(), "context": c} for _, t, c in backlinks],
        "related": [t.view() for t in related],
        "series": series and _series_view(*series),
        "credits": [{"name": name, "url": urls.page("/network/") + "#" + key} for key, name in credits],
        "responses": _responses_view(found) if found is not None else None,
        "link_map": linkmap.around(meta[0], own.view(), [(p, t.view()) for p, t in outlinks],
                                   [(p, t.view()) for p, t, _ in backlinks]),
        "links_out": [t.view() for _, t in outlinks],
        "history": [{"date_iso": iso(r.when), "date_text": date_text(r.when), "message": r.message, "commit": r.commit}
                    for r in history or ()],
    }


def _series_view(name: str, url: str, entries: Sequence[tuple[str, Teaser]], current: str) -> dict[str, Any]:
    """A series as an entry of it shows it: the table of contents and the way on."""
    place = [p for p, _ in entries].index(current)
    toc = [{**t.view(), "current": p == current} for p, t in entries]
    return {
        "name": name, "url": url, "entries": toc, "number": place + 1, "total": len(toc),
        "previous": toc[place - 1] if place > 0 else None,
        "next": toc[place + 1] if place + 1 < len(toc) else None,
    }


def _responses_view(found: Responses) -> dict[str, Any] | None:
    """What other sites said about an entry, ready to show; the reply HTML is sanitised already."""
    if not found.count:
        return None

    def reply(r: Any) -> dict[str, Any]:
        return {"author": r.author, "url": r.url, "name": r.name, "content": Markup(r.content),
                "date_iso": iso(r.published) if r.published else "", "date_text": date_text(r.published) if r.published else ""}

    return {"likes": found.likes, "reposts": found.reposts, "bookmarks": found.bookmarks,
            "replies": [reply(r) for r in found.replies], "mentions": [reply(r) for r in found.mentions]}


def redirects(inputs: Inputs) -> Iterator[Draft]:
    """An entry's old addresses (Hugo's aliases, Jekyll's redirect_from) lead to it."""
    for entry in inputs.entries:
        for alias in entry.aliases:
            yield Draft(alias, "redirect", _redirect, (inputs.env.urls.absolute(entry.url), entry.title), kind=TEXT,
                        author=entry.path)


def _redirect(env: Env, url: str, title: str) -> Mapping[str, Any]:
    return {"url": url, "title": title}


def series_pages(inputs: Inputs) -> Iterator[Draft]:
    """A page of each series, its entries in order, and the series."""
    series, urls, cards = inputs.journal.series, inputs.env.urls, inputs.env.cards
    for one in series:
        members = [inputs.by_path[p] for p in one.entries]
        yield Draft(one.url, "series.html", _series_page, (one.name, urls.page(one.url), cards.of(members)),
                    lastmod=cards.lastmod(members))
    if series:
        shown = [{"name": one.name, "url": urls.page(one.url), "count": len(one.entries),
                  "first": inputs.teaser(one.entries[0]), "latest": inputs.teaser(one.entries[-1])} for one in series]
        yield Draft("/series/", "series-index.html", titled,
                    ("Series", f"Entries of {inputs.config.title} that are read in order", {"series": shown}),
                    lastmod=inputs.newest_change)


def _series_page(env: Env, name: str, url: str, shown: Sequence[str]) -> dict[str, Any]:
    return {"page": page_meta(name, f"A series of {len(shown)} entries of {env.config.title}", env.feeds, "website"),
            "series": {"name": name, "url": url}, "entries": env.cards.shown(shown)}
