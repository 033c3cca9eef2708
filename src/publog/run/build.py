"""A whole build, as a short list of named stages: load -> read -> assemble -> plan -> write.

The only module that calls every stage; each stage stays unaware of the others' I/O, and hands
the next a typed value. Used by `publog build`, `publog check` and `publog serve`.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import cache as cache_mod
from . import made, pool
from ..journal import assemble as journal_mod
from ..journal import history
from ..learning import consistency
from ..markdown import generators
from ..privacy import guard as guard_mod
from ..privacy import leaks as leaks_mod
from ..problems import JournalError, Problem, error, errors_in, warning
from ..read import conventions
from ..read import dates as dates_mod
from ..read import files as files_mod
from ..read import folder as read
from ..read import layouts
from ..read.dates import FileDate, date_from_name
from ..render.search import FOLDER as SEARCH_FOLDER
from ..settings import config as config_mod
from ..settings import theme as theme_mod
from ..site import pages as pages_mod
from ..site.set_aside import place_key
from ..social import community
from ..social import mentions as mentions_mod
from ..social import network as network_mod
from ..social import pulled as pulled_mod
from ..urls import Urls
from ..write import output as output_mod
from ..write import unchanged
from .checks import clashes, guard, shown, unwritten
from .inputs import Shelves, discover, linked_out, local_address, member_folders, not_regular, own, shelves_of, statics
from .loaded import CODE
from .lock import journal_lock
from .options import Hooks, Options, Result
from .output_folder import Rehearsal, claim, stamp, target
from .session import Session
from .unchanged_journal import Seen, last_result, memo_file, remember

if TYPE_CHECKING:
    from ..render.templates import Renderer

__all__ = ["Hooks", "Options", "Result", "Session", "build", "member_folders"]

_ATTEMPTS = 3


def build(root: Path, options: Options = Options(), session: Session | None = None, hooks: Hooks = Hooks()) -> Result:
    """Build the journal at ``root``; ``session`` lets a long-running process keep what it made in memory.

    Two builds of one journal never run at once: the second waits for the first. A cache found
    damaged midway is discarded, and the build starts again from the entries.
    """
    if session is None or session.cache.writable == options.check_only:
        session = Session(root, writable=not options.check_only)
    for attempt in range(_ATTEMPTS):
        try:
            with ExitStack() as held:
                return _build(root, options, hooks, session, held)
        except cache_mod.Damaged as damage:
            session.restart(str(damage))
            if attempt == _ATTEMPTS - 2:
                session.cache.writable = False  # the last attempt keeps every entry's HTML in memory: it cannot fail so
    raise AssertionError("unreachable: a cache that is not written cannot be damaged")


class _Laps:
    """The seconds each stage of one build took."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.timings: dict[str, float] = {}

    def lap(self, name: str) -> None:
        self.timings[name] = self.seconds() - sum(self.timings.values())

    def seconds(self) -> float:
        return time.perf_counter() - self.started


@dataclass(frozen=True)
class Setup:
    """What a build found before reading any entry: the settings, the theme, its folders."""

    config: config_mod.Config
    members: list[community.Folder]
    theme: theme_mod.Theme
    entries_dir: Path
    out: Path
    has_setup: bool  # a publog.yaml or an entries folder: otherwise every Markdown file may be an entry
    network_bytes: bytes
    # An error in the settings: the entries are still read and checked, with defaults for what is wrong,
    # so that one run reports every problem; and nothing at all is written.
    early: bool
    # The site's address as publog.yaml gives it, where --base-url (a preview, publog serve) builds for
    # another: responses received are for pages of this one.
    home: str = ""


@dataclass(frozen=True)
class Entries:
    """Every entry file, compiled (from the cache where it is unchanged)."""

    found: read.Found
    shelves: Shelves
    scan: read.Scan
    compiled: list[read.Compiled]
    by_path: dict[str, read.Compiled]
    reported: list[Problem]  # the cache's own warning, which the record of an unchanged journal leaves out


@dataclass(frozen=True)
class Assembly:
    """The journal, and what its pages show besides: people, responses, pulled posts."""

    journal: journal_mod.Journal
    undated: list[str]  # entries dated from git or the file: never a build the unchanged check may skip
    people: tuple[network_mod.Person, ...]
    credited: dict[str, tuple[str, ...]]  # who each entry credits
    pulled: tuple[pulled_mod.PulledItem, ...]
    responses: mentions_mod.Mentions


@dataclass(frozen=True)
class SitePlan:
    pages: list[pages_mod.Page]
    statics: list[tuple[str, str, str]]
    theme_digest: str
    search_pending: journal_mod.Journal | None
    drawn_card: Callable[[str], bytes]  # a drawn social card's PNG, by its site file
    # The search index is being made while the pages render: its files as pages to copy, once it is
    # made, and the problems they bring (see _plan).
    completed: Callable[[], tuple[list[pages_mod.Page], list[Problem]]] | None = None


@dataclass(frozen=True)
class Written:
    manifest: output_mod.Manifest
    stale: int = 0
    staged: set[str] = field(default_factory=set)
    pages: int = 0  # of the site written (a search index made while rendering adds its files to the plan's)
    found: list[Problem] = field(default_factory=list)  # in the plan completed then: reported with the others
    failed: list[Problem] = field(default_factory=list)  # found in the pages: reported with the others, in order
    unwritten: list[Problem] = field(default_factory=list)  # the site could not be written: reported last


def _build(root: Path, options: Options, hooks: Hooks, session: Session, held: ExitStack) -> Result:
    laps = _Laps()
    now = options.now or dt.datetime.now(dt.timezone.utc)
    code = CODE
    network_bytes = network_mod.read(root)
    refused = cache_mod.refusal(root)
    memo, seen = None, None
    if not options.check_only and not options.watched and refused is None:
        memo = memo_file(root, options, network_bytes, layouts.fingerprint(root), code)
        quick, seen = last_result(root, memo, now)
        if quick is not None:
            seconds = laps.seconds()
            return replace(quick, seconds=seconds, timings={"unchanged": seconds})

    setup, problems = _load(root, options, network_bytes, refused)
    if setup.early and (not setup.entries_dir.is_dir() and setup.has_setup and not setup.config.members):
        return Result(problems, setup.out)
    if setup.early:
        session = Session(root, writable=False)
    elif not options.check_only:
        held.enter_context(journal_lock(root))  # only now: a refused build writes nothing at all
    # A link put in the cache folder since the session was made (a kept process's, serve's): this build
    # reads and writes nothing there, as a build in a process of its own would not.
    if refused is not None and session.cache.usable:
        session = Session(root, writable=False)
    entries = _read(root, setup, session, options, hooks, seen)
    problems += entries.reported
    laps.lap("read")
    session.placing()

    assembly, more = _assemble(root, setup, entries, session, options, now)
    problems += more
    journal = assembly.journal
    laps.lap("journal")
    if memo is not None and not setup.early:
        unchanged.forget(memo)  # until this build has succeeded
    checked = journal if options.check_only and not setup.early else None
    if errors_in(problems, options.strict) or options.journal_only:
        session.cache.save(entries.found.entries, entries.compiled)
        return Result(sorted(problems), setup.out, len(journal.entries), timings=laps.timings, seconds=laps.seconds(),
                      journal=checked)

    site, more = _plan(root, setup, entries, assembly, session, options, held, code)
    problems += more
    if errors_in(problems, options.strict) or options.plan_only:
        session.cache.save(entries.found.entries, entries.compiled)
        return Result(sorted(problems), setup.out, len(journal.entries), seconds=laps.seconds())
    laps.lap("plan")

    written = _write(root, setup, entries, journal, site, session, options, hooks, laps)
    if written.failed or written.unwritten:
        return Result(sorted(problems + written.failed) + written.unwritten, setup.out, len(journal.entries))
    problems += written.found
    if (memo is not None and session.cache.writable  # where the manifest was saved: the record names the site by it
            and not assembly.undated and site.search_pending is None and not history.wanted(journal.entries)):
        remember(memo, root, setup.theme, entries.found, entries.shelves, setup.entries_dir, setup.out, journal,
                 [p for p in problems if p not in entries.reported], written.pages)

    def result() -> Result:
        return Result(sorted(problems), setup.out, len(journal.entries), written.pages, written.stale,
                      len(written.staged), laps.seconds(), laps.timings, journal=checked, search_pending=site.search_pending)

    if hooks.finished is not None:
        # The record of an unchanged journal is written: it looks at the inputs as they are when it is made, so a
        # caller told before it could change one the record would then take for built.
        hooks.finished(result())
    session.cache.save(entries.found.entries, entries.compiled)  # found again by file stats: nothing waits for it
    return result()


def _load(root: Path, options: Options, network_bytes: bytes, refused: Problem | None) -> tuple[Setup, list[Problem]]:
    """The settings, with a community's members' merged in, the theme and the folders of this build."""
    config, problems = config_mod.load(root)
    home = config.base_url
    if refused is not None:
        problems.append(refused)
    if options.base_url:
        config = replace(config, base_url=options.base_url)
    # publog serve's own address is as it should be; settings with errors stop the build anyway.
    if not options.watched and not options.journal_only and not errors_in(problems):
        problems += local_address(root, config, options.base_url)
    has_setup = (root / config_mod.CONFIG_FILE).is_file() or (root / config.entries).is_dir()
    entries_dir = root / config.entries if has_setup else root
    if has_setup and not entries_dir.is_dir() and not config.members:  # a community's members may write all of it
        problems.append(error(config_mod.CONFIG_FILE, 1, f"the entries folder '{config.entries}' does not exist; create it or set 'entries:'"))
    members, more = member_folders(root, config)
    problems += more
    config = community.merged(config, members)
    theme, more = theme_mod.resolve(root, config.theme, own(root, config))
    problems += more
    out = options.out if options.out is not None else root / config.output
    if not options.journal_only:
        outside = output_mod.refuse(out, root, str(out))
        if outside:
            problems.append(outside)
    early = bool(errors_in(problems))
    return Setup(config, members, theme, entries_dir, out, has_setup, network_bytes, early, home), problems


def _read(root: Path, setup: Setup, session: Session, options: Options, hooks: Hooks, seen: Seen | None) -> Entries:
    """Every entry file found and compiled: from the cache where its file is as it was."""
    shelves = shelves_of(setup.members)
    if seen is not None and seen[0] == (setup.entries_dir, setup.out, shelves):
        found = seen[1]  # the check for an unchanged journal walked the same folders just now
    else:
        found = discover(root, setup.entries_dir, setup.out, shelves)
    store = session.cache
    store.prepare()
    reported = store.reported()
    by_path: dict[str, read.Compiled] = {}
    todo = []
    config = setup.config
    scan = read.Scan(leaks_mod.compile_terms(config.never_publish), conventions.reading(config.layout, setup.has_setup),
                     syntax=generators.syntax_of(root, config.layout.name))
    scanned_with = scan.key  # a digest of the list and the detectors: once, not once an entry
    for path, st in found.entries.items():
        hit = store.lookup(path, st)
        if hit is None or hit.scanned_with != scanned_with:  # a changed never-publish list: check every entry again
            todo.append(path)
        else:
            by_path[path] = hit
    if hooks.progress and todo:
        hooks.progress("reading", 0, len(todo))
    for item, html in read.compile_all(root, todo, pool.jobs(options.jobs), scan):
        by_path[item.path] = item
        if html is not None:
            store.add_html(item.digest, html)
    if hooks.progress and todo:
        hooks.progress("reading", len(todo), len(todo))
    return Entries(found, shelves, scan, [by_path[p] for p in found.entries], by_path, reported)


def _assemble(root: Path, setup: Setup, entries: Entries, session: Session, options: Options,
              now: dt.datetime) -> tuple[Assembly, list[Problem]]:
    """The journal from the compiled entries, and what else its pages show; every problem found in them."""
    config, found, compiled = setup.config, entries.found, entries.compiled
    undated = [
        c.path for c in compiled
        if c.source is not None and (c.source.date is None and date_from_name(Path(c.path).stem) is None
                                     or isinstance(c.source.date, FileDate) or isinstance(c.source.updated, FileDate))
    ]
    # Planted (for undated entries) and last tended (for every one: journal/place.py): one git log of the folder.
    folder = "" if setup.entries_dir == root else setup.entries_dir.relative_to(root).as_posix()
    planted, tended = read.git_dates(root, (c.path for c in compiled if c.source is not None), folder)
    fallback = read.fallback_dates(undated, found, planted, config.zone)
    dated = dates_mod.settle(compiled, planted, tended, found.entries, config.zone, entries.scan.reading.lenient)
    journal, problems, session.assembled = journal_mod.assemble_again(
        session.assembled, dated, config, journal_mod.Publishing(options.drafts, options.future, now),
        folder, found.files, fallback,
        tended, setup.members,
    )
    problems += [warning(path, 1, "is a link to a file outside the journal; it is left out") for path in found.outside]
    problems += found.left_out  # what the folder's own generator leaves out (read/ignores.py)
    problems += [warning(path, 1, files_mod.NOT_REGULAR) for path in sorted({*found.irregular, *not_regular(root, setup.theme)})]
    problems += linked_out(root, setup.entries_dir)
    people, more = network_mod.gather(setup.network_bytes, root, setup.members)
    problems += more
    credited, more = network_mod.credits(people, journal.entries)
    problems += more
    problems += consistency.stage_problems(journal.entries)
    if setup.has_setup and config.layout.name == "publog":
        problems += unwritten(journal.entries, entries.by_path, config.kinds)
    problems += _leaks(journal, entries.by_path)
    problems += guard_mod.settings(root, entries.scan.terms)
    problems += network_mod.leaks(setup.network_bytes, root, setup.members, entries.scan.terms)
    pulled, more = pulled_mod.load(root)
    problems += more
    responses, more = mentions_mod.load(root / mentions_mod.MENTIONS_DIR, setup.home or config.base_url,
                                        config.mention_photos)
    problems += more + mentions_mod.link_problems(journal.entries)
    return Assembly(journal, undated, people, credited, pulled, responses), problems


def _leaks(journal: journal_mod.Journal, compiled: dict[str, read.Compiled]) -> list[Problem]:
    """Every secret and never-publish term in what this build would publish, at its line."""
    return [
        error(entry.path, line, f"would publish {what}; remove it, or (for a false alarm, secrets only) "
                                "add the comment 'pragma: allowlist secret' on its line")
        for entry in journal.entries if entry.path in compiled
        for line, what in compiled[entry.path].leaks
    ]


def _plan(root: Path, setup: Setup, entries: Entries, assembly: Assembly, session: Session, options: Options,
          held: ExitStack, code: str) -> tuple[SitePlan, list[Problem]]:
    """Every page and file of the site, with its fingerprint; the problems of pages that clash.

    While Pagefind makes a part of the search index, the plan leaves its files out and says how to
    complete it (``completed``): the pages render meanwhile, and the index's files join them last."""
    journal = assembly.journal
    copied, problems = guard_mod.member_files(statics(root, setup.theme, journal, setup.out), journal.config.members, root)
    pending, indexing, searched = None, None, []
    if setup.config.search:
        searched, pending, indexing, found = made.search_files(journal, session, options, held)
        problems += found
        if indexing is not None and not indexing.beside_pages:  # made now, or kept: its files are known
            searched, found = indexing.finish()
            problems += found
            indexing = None
    cards, drawn_card = made.card_files(journal, entries.by_path, copied + searched, session, options, held)
    published = {e.path for e in journal.entries}
    hidden = [c.source for c in entries.compiled if c.source is not None and c.path not in published]
    revisions, more_problems = history.revisions(root, journal.entries, hidden, entries.scan.terms)
    problems += more_problems
    theme_digest = setup.theme.digest()

    def planned(search_files: list[tuple[str, str, str]]) -> list[pages_mod.Page]:
        plan, session.planned = pages_mod.plan_again(session.planned, journal, code + theme_digest,
                                                     copied + search_files, assembly.people, assembly.credited,
                                                     assembly.responses, revisions, assembly.pulled, cards)
        return plan

    plan, aside = pages_mod.set_aside(planned(searched), journal)  # the author's own pages and files win over publog's
    problems += [replace(p, path=shown(Path(p.path), root)) if os.path.isabs(p.path) else p for p in aside]
    problems += clashes(plan, root)
    completed = None
    if indexing is not None:
        underway = indexing

        def completed() -> tuple[list[pages_mod.Page], list[Problem]]:
            """The index's files, as pages to copy, and the problems of the plan with them. Each is a file
            of the author's kind, which no page of publog's gives way to: only their clashes are new."""
            files, problems = underway.finish()
            planned(files)  # the whole plan, for the next build of a long-running process to start from
            joining = pages_mod.copies(files)
            places = {place_key(p.file) for p in joining}
            return joining, problems + clashes([p for p in plan if place_key(p.file) in places] + joining, root)

    return SitePlan(plan, copied + searched, theme_digest, pending, drawn_card, completed), problems


def _write(root: Path, setup: Setup, entries: Entries, journal: journal_mod.Journal, site: SitePlan, session: Session,
           options: Options, hooks: Hooks, laps: _Laps) -> Written:
    """The pages that changed rendered, checked, and swapped in with the rest of the site."""
    manifest_path, folder = target(session, setup.out, served=options.watched)
    if options.check_only:
        folder = Rehearsal(folder)
    stale = [p for p in site.pages if not folder.current(p.file, p.fingerprint)]
    files = {p.file: p.fingerprint for p in site.pages}
    written = Written(folder.manifest, len(stale), pages=len(site.pages))
    if stale or set(files) != set(folder.manifest.files) or folder.fresh or site.completed is not None:
        claim(session, manifest_path)
        renderer = _renderer(root, setup, entries, journal, site, session)
        written = _swap_in(root, setup.out, folder, partial(_render_and_write, renderer, folder), stale, files, options,
                           hooks, laps, site.completed, renderer.prepare)
        if written.failed or written.unwritten:
            return written
        if session.cache.writable:
            output_mod.save_manifest(manifest_path, written.manifest)
            session.manifests[str(manifest_path)] = (stamp(manifest_path), written.manifest)
        laps.lap("write")
    if folder.left is not None:
        session.spare_files[str(setup.out)] = folder.left
    if folder.live is not None:
        session.live_files[str(setup.out)] = folder.live
    return written


def _swap_in(root: Path, out: Path, folder: output_mod.Output, work: pool.Work, stale: list[pages_mod.Page],
             files: dict[str, str], options: Options, hooks: Hooks, laps: _Laps,
             completed: Callable[[], tuple[list[pages_mod.Page], list[Problem]]] | None = None,
             shared: Callable[[list[pages_mod.Page]], None] | None = None) -> Written:
    """Render ``stale`` into the staged site and put it in place; what went wrong, as problems.
    ``completed``: the whole plan, once the search index rendered meanwhile is made; its new files join;
    ``shared``: makes what many pages share (pool.render)."""
    try:
        folder.begin()
        # The search index's files cost little each to copy and check: a new part of it (after an edit, in
        # publog serve) is no reason to fork a large process.
        costly = sum(1 for p in stale if not (p.kind == pages_mod.COPY and p.file.startswith(SEARCH_FOLDER)))
        jobs = pool.jobs(options.jobs) if costly >= pool.RENDER_POOL_THRESHOLD else 1
        staged = pool.render(stale, work, jobs, hooks.progress, shared)
        found: list[Problem] = []
        if completed is not None:  # the search index, made meanwhile
            joining, found = completed()
            if errors_in(found, options.strict):
                raise JournalError(found)
            files = {**files, **{p.file: p.fingerprint for p in joining}}
            joining = [p for p in joining if not folder.current(p.file, p.fingerprint)]
            staged |= set(work(joining))
            stale = stale + joining
        laps.lap("render")
        with hooks.lock:
            manifest = folder.commit(files, staged, hooks.replaced)
        if hooks.swapped and staged:
            hooks.swapped()
        return Written(manifest, len(stale), staged, len(files), found)
    except JournalError as exc:
        folder.abort()
        return Written(folder.manifest, failed=exc.problems)
    except OSError as exc:  # a full disk, a read-only folder, a file gone from under us
        folder.abort()
        gone = exc.errno == errno.ENOENT and exc.filename and not shown(Path(exc.filename), root).startswith("/")
        if gone:
            problem = error(shown(Path(exc.filename), root), 1, "was deleted while the site was being built; build again")
        else:
            where = f" ({exc.filename})" if exc.filename else ""
            problem = error(str(out), 1, f"cannot write the site: {exc.strerror or exc}{where}; "
                            "free some space, check the folder's permissions, or build again")
        return Written(folder.manifest, unwritten=[problem])
    except BaseException:
        folder.abort()
        raise


def _renderer(root: Path, setup: Setup, entries: Entries, journal: journal_mod.Journal, site: SitePlan,
              session: Session) -> Renderer:
    from ..render.templates import Renderer  # Jinja2 and feedgen load only when something is rendered

    config, digest = setup.config, site.theme_digest
    # Cards as lists show them, kept in the session for the next build of a long-running process (serve,
    # run/daemon.py) while the theme and the settings are the same: a change of front matter renders lists again.
    kept = session.cards
    if kept is None or kept[0] != (digest, config) or len(kept[1]) > 2 * len(journal.entries) + 64:  # many edited away
        kept = session.cards = ((digest, config), {})
    renderer = Renderer(setup.theme, Urls(config.base_url), session.cache.html, str(root), digest, kept[1])
    renderer.guard = replace(guard(config, entries.compiled, journal, site.pages, root),
                             untrusted=guard_mod.untrusted_svgs(site.statics))
    renderer.drawn_card = site.drawn_card
    renderer.body_html = community.shown_html(renderer.body_html, journal.entries, config.members)
    return renderer


def _render_and_write(renderer: Renderer, target: output_mod.Output, pages: list[pages_mod.Page]) -> list[str]:
    """Render and check here while a thread writes: creating files is slow on some disks and needs no GIL."""
    with ThreadPoolExecutor(1) as writer:
        writes = []
        for page in pages:
            data = renderer.render(page)
            # Entries' own text was checked for secrets as it was read; what else a page holds comes from the
            # templates, which the home page shows as well as any. Copied files and the search index have no such check.
            repeats = page.repeats or (page.kind == pages_mod.TEMPLATE and page.url != "/")
            problems = renderer.guard.check(page.file, data, repeats=repeats)
            if problems:
                raise JournalError(problems)
            writes.append((page.file, writer.submit(target.write, page.file, data)))
        return [file for file, staged in writes if staged.result()]
