"""The feeds of the network -> ``pulled/<id>.json``, all at once, each within publog's limits.

``publog pull`` fetches the feed of every person in network.yaml who has one (and of a
community's members who publish elsewhere), all at once, and keeps what it read in the
journal's ``pulled/`` folder, one file per feed (see ``pulled`` for the files, and
``feed_document`` for reading a feed). A feed that fails keeps its last good items.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Literal, Sequence

from .. import __version__
from . import community, fetch, untrusted
from .community import Member
from .feed_document import MAX_ITEMS, Parsed, parse
from .network import Person
from .pulled import (PULLED_DIR, SOURCE_ID, Failure, FeedSource, PulledFeed, read_state, size_text, stored_items,
                     to_json, validator, web_link)
from .whole_file import write_whole

MAX_BYTES = 5 * 2**20  # of a feed as sent
USER_AGENT = f"publog/{__version__} (feed reader)"
_ACCEPT = "application/atom+xml, application/rss+xml, application/feed+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"

Status = Literal["updated", "unchanged", "failed"]


@dataclass(frozen=True)
class Outcome:
    """What a pull did with one feed."""

    source: FeedSource
    status: Status
    items: int  # the items pulled/ holds for the feed afterwards
    reason: str = ""  # why it failed
    note: str = ""  # what was odd about a feed that was read all the same

    def lines(self) -> list[str]:
        """What the person who ran the pull should read about this feed: ``URL: reason`` lines."""
        if self.status == "failed":
            kept = f"; its {_count(self.items, 'earlier item')} kept" if self.items else ""
            return [f"{self.source.url}: {self.reason}{kept}"]
        return [f"{self.source.url}: {self.note}"] if self.note else []


@dataclass(frozen=True)
class PullReport:
    """What a pull did with every feed, in the order they were given."""

    outcomes: tuple[Outcome, ...] = ()

    def count(self, status: Status) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def items(self) -> int:
        return sum(o.items for o in self.outcomes)

    @property
    def nothing_pulled(self) -> bool:
        """True when there were feeds and every one failed: offline, or the folder cannot be written."""
        return bool(self.outcomes) and self.count("failed") == len(self.outcomes)

    def lines(self) -> list[str]:
        return [line for outcome in self.outcomes for line in outcome.lines()]

    def summary(self) -> str:
        """One line, e.g. "12 feeds: 10 updated, 1 unchanged, 1 failed; 143 items"."""
        return (f"{_count(len(self.outcomes), 'feed')}: {self.count('updated')} updated, "
                f"{self.count('unchanged')} unchanged, {self.count('failed')} failed; {_count(self.items, 'item')}")


def sources(people: Iterable[Person], members: Iterable[Member] = ()) -> tuple[FeedSource, ...]:
    """The feeds of network.yaml's people who have one, in the file's order; then those of a
    community's members who publish elsewhere, whose files' names no id of network.yaml can take."""
    return (tuple(FeedSource(p.id, p.name, p.feed) for p in people if p.feed)
            + tuple(FeedSource(community.MEMBER_SOURCE + m.id, m.name, m.feed) for m in members if m.feed))


# --- pulling ------------------------------------------------------------------------------------


def pull(root: Path, feeds: Sequence[FeedSource], timeout: float = 20, workers: int = 16,
         max_bytes: int = MAX_BYTES, max_items: int = MAX_ITEMS, now: dt.datetime | None = None) -> PullReport:
    """Fetch every feed at once into ``root/pulled/<id>.json``; never raises for what a feed does.

    Promises, for each feed: a conditional GET (its stored ETag and Last-Modified); no
    wait longer than ``timeout`` seconds for the connection or any read, and the body read
    within ``timeout`` seconds (give or take one read); a body refused past ``max_bytes``;
    the ``max_items`` newest items kept, every field checked and its HTML
    sanitised; its file replaced whole (temporary file, then rename), and only when
    what it holds changed. A feed that fails, whatever the reason, keeps its items and
    records only why (``last_error``); it never stops the other feeds. ``now`` (UTC,
    default: the clock) dates what the files record.
    """
    now = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)
    seen: set[str] = set()
    refused: dict[int, Outcome] = {}
    for number, source in enumerate(feeds):
        why = _source_problem(source, seen)
        seen.add(source.id)
        if why:
            refused[number] = Outcome(source, "failed", 0, why)
    todo = [(n, s) for n, s in enumerate(feeds) if n not in refused]
    done: dict[int, Outcome] = dict(refused)
    if todo:
        executor = ThreadPoolExecutor(max_workers=max(1, min(workers, len(todo))), thread_name_prefix="publog-pull")
        try:
            futures = {n: executor.submit(_pull_one, root, s, timeout, max_bytes, max_items, now) for n, s in todo}
            done.update({n: future.result() for n, future in futures.items()})
        finally:
            # On Ctrl-C, feeds not started are dropped; those being read end within their timeout,
            # each writing its file whole or not at all.
            executor.shutdown(wait=True, cancel_futures=True)
    return PullReport(tuple(done[n] for n in range(len(feeds))))


def _source_problem(source: FeedSource, seen: set[str]) -> str:
    if not SOURCE_ID.fullmatch(source.id):
        return f"'{source.id}' cannot name a file; use an id of lowercase letters, digits and dashes in network.yaml"
    if source.id in seen:
        return f"another feed has the id '{source.id}' already; give one of them another 'id' in network.yaml"
    if not web_link(source.url):
        return "is not an http(s) URL"
    return ""


def _pull_one(root: Path, source: FeedSource, timeout: float, max_bytes: int, max_items: int, now: dt.datetime) -> Outcome:
    path = root / PULLED_DIR / f"{source.id}.json"
    source = replace(source, name=untrusted.one_line(source.name, untrusted.MAX_NAME))  # as load will show it
    old, problems = read_state(path, source.id)
    unreadable = bool(problems) and old is None and path.exists()
    # Validators belong to the URL they came from: a feed that moved is asked afresh.
    same = old is not None and old.url == source.url
    try:
        answer = _fetch(source.url, old.etag if old and same else "", old.last_modified if old and same else "",
                        timeout, max_bytes)
    except fetch.Refused as refused:
        return _failed(path, source, old, _reason(refused, timeout, max_bytes), now, unreadable)
    note = ""
    if answer.status == 304:
        if old is None or not same:
            return _failed(path, source, old, "answered 304 Not Modified to a request that asked nothing of the kind", now, unreadable)
        new = replace(old, name=source.name, last_error=None,
                      items=tuple(replace(i, source_name=source.name) for i in old.items))
    else:
        try:
            parsed = parse(answer.body, answer.url, source, content_type=answer.content_type, now=now, max_items=max_items)
        except Exception as exc:  # feedparser is third-party code fed hostile bytes; one feed must not stop the rest
            parsed = Parsed(failure=f"could not be read ({exc.__class__.__name__}: {str(exc)[:200]})")
        if parsed.failure:
            return _failed(path, source, old, parsed.failure, now, unreadable)
        note = parsed.note
        new = PulledFeed(source.id, source.url, source.name, parsed.site, parsed.title, answer.etag, answer.last_modified,
                         old.last_success if old else None, None, parsed.items)
    status: Status = "unchanged" if old is not None and stored_items(old.items) == stored_items(new.items) else "updated"
    if old is None or replace(old, last_success=None) != replace(new, last_success=None):
        new = replace(new, last_success=now)
    try:
        _write_feed(path, new)
    except OSError as exc:
        return Outcome(source, "failed", len(old.items) if old else 0,
                       f"cannot write {PULLED_DIR}/{path.name} ({exc.strerror or exc}); free some space or fix its permissions")
    return Outcome(source, status, len(new.items), note=note)


def _failed(path: Path, source: FeedSource, old: PulledFeed | None, reason: str, now: dt.datetime, unreadable: bool) -> Outcome:
    """Record why a feed failed, changing nothing else; a file publog cannot read is left as it is."""
    if unreadable:
        return Outcome(source, "failed", 0, f"{reason} ({PULLED_DIR}/{path.name} cannot be read either; delete it)")
    state = old or PulledFeed(source.id, source.url, source.name)
    since = old.last_error.since if old and old.last_error and old.last_error.reason == reason else now
    try:
        _write_feed(path, replace(state, last_error=Failure(reason, since)))
    except OSError as exc:
        reason += f" (and {PULLED_DIR}/{path.name} cannot be written: {exc.strerror or exc})"
    return Outcome(source, "failed", len(state.items), reason)


def _write_feed(path: Path, state: PulledFeed) -> None:
    """Replace the file whole with ``state``, unless it holds exactly that already."""
    data = to_json(state)
    try:
        if path.read_bytes() == data:
            return
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = 0o644  # the temporary file is private (0600); this one is data to commit and share
    write_whole(path, data)
    os.chmod(path, mode)


def _fetch(url: str, etag: str, modified: str, timeout: float, max_bytes: int) -> fetch.Answer:
    """The answer to a conditional GET, its validators only those that can go back into a request."""
    headers = {"User-Agent": USER_AGENT, "Accept": _ACCEPT}
    if validator(etag):
        headers["If-None-Match"] = etag
    if validator(modified):
        headers["If-Modified-Since"] = modified
    answer = fetch.get(url, headers, timeout, max_bytes)
    return replace(answer, etag=validator(answer.etag), last_modified=validator(answer.last_modified))


def _reason(refused: fetch.Refused, timeout: float, max_bytes: int) -> str:
    """Why a feed could not be fetched, completing "URL: ..."."""
    reasons = {
        "declared-too-large": f"is {size_text(refused.size)}, more than the {size_text(max_bytes)} publog reads of a feed",
        "too-large": f"sent more than the {size_text(max_bytes)} publog reads of a feed",
        "slow-body": f"did not finish sending within {timeout:g} s",
        "no-answer": f"did not answer within {timeout:g} s",
        "http": f"answered HTTP {refused.code} {refused.detail}",
        "redirect": "redirects to a URL that is not http(s)",
        "unreachable": f"cannot be reached ({refused.detail})",
        "bad-url": f"is not a URL publog can fetch ({refused.detail})",
        "broke-off": f"the connection broke off ({refused.detail})",
    }
    return reasons[refused.why]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
