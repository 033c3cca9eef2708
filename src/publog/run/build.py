"""A whole build: config -> read -> journal -> pages -> render -> output.

The only module that calls every stage; each stage stays unaware of the others'
I/O. Used by `publog build`, `publog check` and `publog serve`.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import errno
import fcntl
import gc
import multiprocessing
from concurrent.futures import ThreadPoolExecutor
import os
import tempfile
import time
import unicodedata
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Generator, Iterator

from . import cache as cache_mod
from .. import code_digest
from ..social import community
from ..read import layouts
from ..settings import config as config_mod
from ..journal import assemble as journal_mod
from ..write import output as output_mod
from ..site import pages as pages_mod
from ..read import folder as read
from ..settings import theme as theme_mod
from ..learning import consistency
from ..read import conventions
from ..markdown import generators
from ..journal import history
from ..read import files as files_mod
from ..privacy import guard as guard_mod
from ..privacy import leaks as leaks_mod
from ..social import mentions as mentions_mod
from ..social import network as network_mod
from ..social import pulled as pull_mod
from ..render import search as search_mod
from ..write import unchanged
from ..read import dates as dates_mod
from ..read.dates import FileDate, date_from_name
from ..problems import JournalError, Problem, error, errors_in, warning
from ..urls import Urls

# Below this many pages to render, a process pool costs more than it saves.
RENDER_POOL_THRESHOLD = 400
STATIC_DIR = "static"


Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Options:
    out: Path | None = None
    drafts: bool = False
    future: bool = False
    strict: bool = False
    # Run every step of a build, rendering the pages a build would render, and write nothing: `publog check`
    # finds what `publog build` finds.
    check_only: bool = False
    # With check_only: stop once the journal is assembled, for commands that report on it (status, share).
    journal_only: bool = False
    jobs: int = 0  # 0: one per core
    now: dt.datetime | None = None
    base_url: str | None = None  # instead of the configured one (publog serve)
    search_later: bool = False  # build with the last search index; Result.search_pending says if it is out of date
    # The caller builds only after its watcher saw a change (publog serve): no check for an unchanged
    # journal, and no record of this build's inputs for one.
    watched: bool = False
    # Held while the output folder changes, so a server never reads a half-moved site.
    lock: AbstractContextManager[Any] = field(default_factory=nullcontext)
    progress: Progress | None = None  # told (stage, done, total) as a long build goes
    # Told once a new site is in place, before the build saves its cache: publog serve reloads browsers then.
    swapped: Callable[[], None] | None = None
    # False: the garbage collector is off from when the build places entries, and the build leaves it off:
    # placing entries, planning and rendering pages make hundreds of thousands of objects that live on, and
    # its passes over them took up to half of a rebuild; turned on again at the end, its first pass looked at
    # every one of them. For a caller that collects, and turns it on, while it waits (run/daemon.py).
    collect: bool = True


@dataclass(frozen=True)
class Result:
    problems: list[Problem]
    out: Path | None = None
    entries: int = 0
    pages: int = 0
    rendered: int = 0
    written: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    journal: journal_mod.Journal | None = None  # set by check-only runs, for commands that report on it
    search_pending: journal_mod.Journal | None = None  # whose search index is still to be made (search_later)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def _jobs(requested: int) -> int:
    if requested > 0:
        return requested
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def build(root: Path, options: Options = Options(), store: cache_mod.Cache | None = None) -> Result:
    """Build the journal at ``root``; ``store`` lets a long-running process keep its cache in memory.

    Two builds of one journal never run at once: the second waits for the first. A cache found
    damaged midway is discarded, and the build starts again from the entries.
    """
    if store is None or store.writable == options.check_only:
        store = cache_mod.Cache(root, writable=not options.check_only)
    for attempt in range(_ATTEMPTS):
        try:
            with ExitStack() as held:
                return _build(root, options, store, held)
        except cache_mod.Damaged as damage:
            store.restart(str(damage))
            if attempt == _ATTEMPTS - 2:
                store.writable = False  # the last attempt keeps every entry's HTML in memory: it cannot fail so
    raise AssertionError("unreachable: a cache that is not written cannot be damaged")


_ATTEMPTS = 3


@contextmanager
def _journal_lock(root: Path) -> Iterator[None]:
    handle = _lock(root)
    if handle is None:  # a read-only or full journal folder: build, unguarded, rather than not at all
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes, even if the process is killed
        yield
    finally:
        os.close(handle)


def _lock(root: Path) -> int | None:
    """The file a build locks: ``lock`` in the cache folder, or the journal's folder itself, where the cache
    folder is not publog's to write in (cache.refusal) and nothing may be made in it."""
    if cache_mod.refusal(root) is None:
        folder = root / cache_mod.CACHE_DIR
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return os.open(folder / "lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except OSError:
            pass
    try:
        return os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None


def _build(root: Path, options: Options, store: cache_mod.Cache, held: ExitStack) -> Result:
    started = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str) -> None:
        timings[name] = time.perf_counter() - started - sum(timings.values())

    now = options.now or dt.datetime.now(dt.timezone.utc)
    code = code_digest()
    network_bytes = network_mod.read(root)
    refused = cache_mod.refusal(root)
    memo = None
    if not options.check_only and not options.watched and refused is None:
        memo = unchanged.record_file(
            root / cache_mod.CACHE_DIR / cache_mod.settings_key(), _bytes(root / config_mod.CONFIG_FILE) + b"\0" + network_bytes + b"\0" + layouts.fingerprint(root),
            # The output folder as a path from the root: the kept build process is asked with the folder a
            # build in a process of its own was given from wherever it ran.
            (os.path.abspath(options.out) if options.out is not None else None, options.drafts, options.future,
             options.strict, options.base_url), code,
        )
        quick, seen = _unchanged(root, memo, now)
        if quick is not None:
            seconds = time.perf_counter() - started
            return replace(quick, seconds=seconds, timings={"unchanged": seconds})
    else:
        seen = None

    config, problems = config_mod.load(root)
    if refused is not None:
        problems.append(refused)
    if options.base_url:
        config = replace(config, base_url=options.base_url)
    has_setup = (root / config_mod.CONFIG_FILE).is_file() or (root / config.entries).is_dir()
    entries_dir = root / config.entries if has_setup else root
    if has_setup and not entries_dir.is_dir() and not config.members:  # a community's members may write all of it
        problems.append(error(config_mod.CONFIG_FILE, 1, f"the entries folder '{config.entries}' does not exist; create it or set 'entries:'"))
    members, more = member_folders(root, config)
    problems += more
    config = community.merged(config, members)
    theme, more = theme_mod.resolve(root, config.theme, _own(root, config))
    problems += more
    out = options.out if options.out is not None else root / config.output
    if not options.journal_only:
        refused = output_mod.refuse(out, root, str(out))
        if refused:
            problems.append(refused)
    # With an error in the settings, the entries are still read and checked, with defaults for what is
    # wrong, so that one run reports every problem; and nothing at all is written.
    early = bool(errors_in(problems))
    if early and (not entries_dir.is_dir() and has_setup and not config.members):
        return Result(problems, out)
    if early:
        store = cache_mod.Cache(root, writable=False)
    elif not options.check_only:
        held.enter_context(_journal_lock(root))  # only now: a refused build writes nothing at all

    shelves = _shelves(members)
    if seen is not None and seen[0] == (entries_dir, out, shelves):
        found = seen[1]  # the check for an unchanged journal walked the same folders just now
    else:
        found = _discover(root, entries_dir, out, shelves)
    if refused is not None and store.usable:  # a link put in the cache folder since the store was made
        store = cache_mod.Cache(root, writable=False)
    store.prepare()
    reported = store.reported()
    problems += reported
    compiled_by_path: dict[str, read.Compiled] = {}
    todo = []
    scan = read.Scan(leaks_mod.compile_terms(config.never_publish), conventions.reading(config.layout, has_setup),
                     syntax=generators.syntax_of(root, config.layout.name))
    for path, stat in found.entries.items():
        hit = store.lookup(path, stat)
        if hit is None or hit.scanned_with != scan.key:  # a changed never-publish list: check every entry again
            todo.append(path)
        else:
            compiled_by_path[path] = hit
    jobs = _jobs(options.jobs)
    if options.progress and todo:
        options.progress("reading", 0, len(todo))
    for item, html in read.compile_all(root, todo, jobs, scan):
        compiled_by_path[item.path] = item
        if html is not None:
            store.add_html(item.digest, html)
    if options.progress and todo:
        options.progress("reading", len(todo), len(todo))
    compiled = [compiled_by_path[p] for p in found.entries]
    lap("read")
    if not options.collect:
        gc.disable()

    undated = [
        c.path for c in compiled
        if c.source is not None and (c.source.date is None and date_from_name(Path(c.path).stem) is None
                                     or isinstance(c.source.date, FileDate) or isinstance(c.source.updated, FileDate))
    ]
    planted, tended = read.git_dates(root, undated)  # planted and last tended: from git when front matter says neither
    fallback = read.fallback_dates(undated, found, planted, config.zone)
    dated = dates_mod.settle(compiled, planted, tended, found.entries, config.zone, scan.reading.lenient)
    journal, more, store.assembled = journal_mod.assemble_again(
        store.assembled, dated, config, journal_mod.Options(options.drafts, options.future, now),
        "" if entries_dir == root else entries_dir.relative_to(root).as_posix(), found.files, fallback, tended, members,
    )
    problems += more
    problems += [warning(path, 1, "is a link to a file outside the journal; it is left out") for path in found.outside]
    problems += found.left_out  # what the folder's own generator leaves out (read/ignores.py)
    problems += [warning(path, 1, files_mod.NOT_REGULAR) for path in sorted({*found.irregular, *_not_regular(root, theme)})]
    problems += _linked_out(root, entries_dir)
    people, more = network_mod.gather(network_bytes, root, members)
    problems += more
    credited, more = network_mod.credits(people, journal.entries)
    problems += more
    problems += consistency.stage_problems(journal.entries)
    problems += _leaks(journal, compiled_by_path)
    problems += guard_mod.settings(root, scan.terms) + network_mod.leaks(network_bytes, root, members, scan.terms)
    pulled, more = pull_mod.load(root)
    problems += more
    responses, more = mentions_mod.load(root / mentions_mod.MENTIONS_DIR, config.base_url, config.mention_photos)
    problems += more + mentions_mod.link_problems(journal.entries)
    lap("journal")
    if memo is not None and not early:
        unchanged.forget(memo)  # until this build has succeeded
    checked = journal if options.check_only and not early else None
    if errors_in(problems, options.strict) or options.journal_only:
        store.save(found.entries, compiled)
        return Result(sorted(problems), out, len(journal.entries), timings=timings, seconds=time.perf_counter() - started,
                      journal=checked)

    statics, more = guard_mod.member_files(_statics(root, theme, journal, out), journal.config.members, root)
    problems += more
    pending = None
    if config.search:
        # Without a cache, the index is made in a folder of this build's own.
        folder = store.dir / "search" if store.usable else Path(held.enter_context(tempfile.TemporaryDirectory()))
        ready = search_mod.ready(journal, folder) if options.search_later or options.check_only else None
        if ready is not None:
            statics += ready
        elif options.check_only:  # a check makes no index: Pagefind's own problems are warnings
            statics += search_mod.latest(folder)
            problems += search_mod.refused(journal, folder)
        elif options.search_later:  # the pages first, with the last index; the caller makes the new one
            statics += search_mod.latest(folder)
            pending = journal
        else:
            found_index, more = search_mod.index(journal, store.html, folder)
            problems += more
            statics += found_index
    published = {e.path for e in journal.entries}
    hidden = [c.source for c in compiled if c.source is not None and c.path not in published]
    revisions, more = history.revisions(root, journal.entries, hidden, scan.terms)
    problems += more
    theme_digest = theme.digest()
    plan, store.planned = pages_mod.plan_again(store.planned, journal, code + theme_digest, statics, people, credited,
                                               responses, revisions, pulled)
    plan, aside = pages_mod.set_aside(plan, journal)  # the author's own pages and files win over publog's
    problems += [replace(p, path=_shown(Path(p.path), root)) if os.path.isabs(p.path) else p for p in aside]
    problems += _clashes(plan, root)
    if errors_in(problems, options.strict):
        store.save(found.entries, compiled)
        return Result(sorted(problems), out, len(journal.entries), seconds=time.perf_counter() - started)
    lap("plan")

    manifest_path, target = _target(store, out)
    if options.check_only:
        target = _Rehearsal(target)
    stale = [p for p in plan if not target.current(p.file, p.fingerprint)]
    files = {p.file: p.fingerprint for p in plan}
    staged: set[str] = set()
    manifest = target.manifest
    if stale or set(files) != set(target.manifest.files) or target.fresh:
        renderer = _renderer(theme, config, store, root, theme_digest, len(journal.entries))
        renderer.guard = replace(_guard(config, compiled, journal, plan, root), untrusted=guard_mod.untrusted_svgs(statics))
        renderer.body_html = community.shown_html(renderer.body_html, journal.entries, config.members)
        try:
            target.begin()
            staged = _render(renderer, stale, target, jobs, options.progress)
            lap("render")
            with options.lock:
                manifest = target.commit(files, staged)
            if options.swapped and staged:
                options.swapped()
        except JournalError as exc:
            target.abort()
            return Result(sorted(problems + exc.problems), out, len(journal.entries))
        except OSError as exc:  # a full disk, a read-only folder, a file gone from under us
            target.abort()
            gone = exc.errno == errno.ENOENT and exc.filename and not _shown(Path(exc.filename), root).startswith("/")
            if gone:
                problem = error(_shown(Path(exc.filename), root), 1, "was deleted while the site was being built; build again")
            else:
                where = f" ({exc.filename})" if exc.filename else ""
                problem = error(str(out), 1, f"cannot write the site: {exc.strerror or exc}{where}; "
                                "free some space, check the folder's permissions, or build again")
            return Result(sorted(problems) + [problem], out, len(journal.entries))
        except BaseException:
            target.abort()
            raise
        if store.writable:
            output_mod.save_manifest(manifest_path, manifest)
            store.manifests[str(manifest_path)] = (_stamp(manifest_path), manifest)
        lap("write")
    if target.left is not None:
        store.spare_files[str(out)] = target.left
    if memo is not None and not undated and pending is None and not history.wanted(journal.entries):
        folders = _input_folders(root, theme)
        unchanged.write(memo, unchanged.Record(
            key=unchanged.key(found.entries, _input_files(root, found, shelves), folders),
            entries_dir=str(entries_dir), out=str(out), theme=[str(f) for f in folders], members=[list(s) for s in shelves],
            valid_until=journal.next_change.isoformat() if journal.next_change else None,
            warnings=[asdict(p) for p in problems if p not in reported], entries=len(journal.entries), pages=len(plan),
            output=unchanged.output_digest(manifest.files),
        ))
    store.save(found.entries, compiled)
    return Result(
        sorted(problems), out, len(journal.entries), len(plan), len(stale), len(staged),
        time.perf_counter() - started, timings, journal=checked, search_pending=pending,
    )


class _Rehearsal(output_mod.Output):
    """The output folder as `publog check` renders into it: the pages a build would write are rendered and
    checked as the build would, and their bytes dropped. The folder is looked at, never written."""

    def __init__(self, target: output_mod.Output):
        self.__dict__.update(target.__dict__)
        self.spare = self.left = None

    def begin(self) -> None:
        pass

    def write(self, file: str, data: bytes) -> bool:
        return False

    def commit(self, files: dict[str, str], staged: set[str]) -> output_mod.Manifest:
        return self.manifest

    def abort(self) -> None:
        pass


def _target(store: cache_mod.Cache, out: Path) -> tuple[Path, output_mod.Output]:
    """Where the manifest of ``out`` is kept, and the output folder as the last build left it.

    What the output folder and the kept previous site hold is known without looking when this
    cache wrote both and the manifest on disk is still the one it saved: in publog serve, whose
    site nothing else writes to. Any other writer of the manifest makes the next build look.
    """
    manifest_path = store.dir / output_mod.manifest_name(out)
    if not store.usable:  # nothing in the cache folder is read or written
        return manifest_path, output_mod.Output(out, output_mod.Manifest({}))
    spare = store.dir / ("site-" + manifest_path.stem) if store.writable else None
    known = store.spare_files.pop(str(out), None)  # the caller keeps the target's ``left`` again
    kept = store.manifests.get(str(manifest_path))
    if kept is not None and kept[0] == _stamp(manifest_path):
        return manifest_path, output_mod.Output(out, kept[1], spare, known, ours=True)
    return manifest_path, output_mod.Output(out, output_mod.Manifest.read(manifest_path), spare)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def mirror_spare(root: Path, out: Path, store: cache_mod.Cache) -> None:
    """After a build that wrote most of the site, or into an empty folder, make the previous site kept
    for the next build a copy of this one (Output.mirroring); publog serve does it between saves."""
    for _ in mirroring(root, out, store):
        pass


def mirroring(root: Path, out: Path, store: cache_mod.Cache) -> Generator[None, None, None]:
    """``mirror_spare`` a few hundred files at a time, for a process that has builds to run between them
    (run/daemon.py); the journal is locked during each step, not between them. What the copy holds is
    trusted only if no build replaced the site meanwhile; a copy left half made is finished by the next
    build, which then looks through it."""
    if not store.usable or cache_mod.refusal(root) is not None:
        return
    with _journal_lock(root):
        manifest_path, target = _target(store, out)
        stamp = _stamp(manifest_path)
        steps = target.mirroring()
    while True:
        if not (root / cache_mod.CACHE_DIR).is_dir():  # deleted meanwhile: taking the lock would make it again
            return
        with _journal_lock(root):
            if _stamp(manifest_path) != stamp:  # another build swapped a site in between two steps
                return
            try:
                next(steps)
            except StopIteration:
                if target.left is not None:
                    store.spare_files[str(out)] = target.left
                return
        yield


def prepare(root: Path) -> None:
    """Make ready what the build after an edit needs and a build that rendered nothing did not make:
    the theme's compiled templates, the Markdown parser. publog serve calls it after its first
    build, so that the first save shows as quickly as the next ones."""
    for _ in preparing(root):
        pass


def preparing(root: Path) -> Generator[None, None, None]:
    """``prepare``, one template at a time."""
    from ..markdown import body as markdown
    from ..read.load import Source
    from ..render.templates import templates

    _, _, theme, problems = _settings(root)
    if errors_in(problems):
        return
    markdown.render(Source(path="ready.md", title="", body="Text\n\n```python\nready = True\n```\n", body_line=1))
    yield
    import feedgen.feed  # noqa: F401  (what rendering a feed imports the first time)
    yield
    env = templates(theme, theme.digest())
    for name in env.list_templates(extensions=("html", "xml", "txt")):
        try:
            env.get_template(name)
        except Exception:  # noqa: BLE001  (a template's error is the build's to report, with its line)
            pass
        yield


def watched(root: Path) -> tuple[list[Path], list[Path], Path]:
    """What a build of the journal reads, for a watcher: the folders read with everything below
    them, the folders whose own files only are read (the journal's, for publog.yaml and network.yaml;
    each member journal's), and the output folder, which is written, never read."""
    config, members, theme, _ = _settings(root)
    has_setup = (root / config_mod.CONFIG_FILE).is_file() or (root / config.entries).is_dir()
    entries_dir = root / config.entries if has_setup else root
    deep = [entries_dir, *_input_folders(root, theme), *(Path(f.entries) for f in members)]
    flat = [root, *(f.root for f in members)]
    if root in deep:  # a journal without an entries folder: everything in it may be an entry
        flat = [f for f in flat if f != root]
    return ([f for f in dict.fromkeys(deep) if f.is_dir()], [f for f in dict.fromkeys(flat) if f.is_dir()],
            root / config.output)


def _settings(root: Path) -> tuple[config_mod.Config, list[community.Folder], theme_mod.Theme, list[Problem]]:
    """The settings as a build reads them (with a community's members' merged in), the members'
    folders and the theme, for what runs beside builds."""
    config, problems = config_mod.load(root)
    members, more = member_folders(root, config)
    config = community.merged(config, members)
    theme, most = theme_mod.resolve(root, config.theme, _own(root, config))
    return config, members, theme, problems + more + most


def _own(root: Path, config: config_mod.Config) -> bool:
    """Whether the journal is publog's own: its `theme/` folder then overrides publog's templates."""
    return (root / config_mod.CONFIG_FILE).is_file() or not config.layout.imported


def member_folders(root: Path, config: config_mod.Config) -> tuple[list[community.Folder], list[Problem]]:
    """A community's member folders, their problems named at publog.yaml's ``members:`` line."""
    if not config.members:
        return [], []
    return community.folders(root, config.members, config.permalink, config_mod.CONFIG_FILE,
                             _line_of(root / config_mod.CONFIG_FILE, "members"))


def _shown(path: Path, root: Path) -> str:
    """A path as problems name it: relative to the journal when it is in it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _line_of(path: Path, key: str) -> int:
    """The line of a top-level key of a YAML file, for problems found after its settings were read."""
    for number, line in enumerate(_bytes(path).decode("utf-8", "replace").splitlines(), 1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def _bytes(path: Path) -> bytes:
    try:
        return files_mod.read_bytes(path)
    except OSError:
        return b""


def _skipped(root: Path, entries_dir: Path, out: Path) -> list[Path]:
    """Folders below the entries folder that hold no entries."""
    skip = [out, root / cache_mod.CACHE_DIR, root / "theme"]
    if entries_dir == root:
        skip += [root / STATIC_DIR, root / mentions_mod.MENTIONS_DIR, root / pull_mod.PULLED_DIR]
    return skip + layouts.skipped(root)  # an old generator's folders of templates and includes


def _input_folders(root: Path, theme: theme_mod.Theme) -> list[Path]:
    """Folders whose every file a build may read: the journal's theme and static files, the theme."""
    return list(dict.fromkeys([root / "theme", root / STATIC_DIR, root / mentions_mod.MENTIONS_DIR, root / pull_mod.PULLED_DIR, *theme.folders]))


def _linked_out(root: Path, entries_dir: Path) -> list[Problem]:
    """The entries and static folders that are links to folders outside the journal: followed, since people
    keep them elsewhere on purpose, and said once, since a build publishes what they hold."""
    journal = os.path.realpath(root)
    return [warning(folder.relative_to(root).as_posix(), 1, "is a link to a folder outside the journal; publog reads it "
                    "and publishes what it holds as if it were in the journal (links inside it to other places are left out)")
            for folder in dict.fromkeys([entries_dir, root / STATIC_DIR])
            if folder != root and folder.is_symlink() and folder.is_dir() and not read.inside(str(folder), journal)]


def _not_regular(root: Path, theme: theme_mod.Theme) -> list[str]:
    """Named pipes, sockets and devices among the settings files and in the folders whose every file a
    build reads: each is skipped where it is read (opening a pipe would wait for a writer), and named here."""
    # publog.yaml is not among them: settings that cannot be read are an error (settings/config.py), since building
    # without them could publish what they keep private.
    found = [name for name in (network_mod.NETWORK_FILE, *layouts.MARKERS) if files_mod.irregular(root / name)]
    pending = [str(f) for f in _input_folders(root, theme) if not str(f).startswith(str(theme_mod.BUILTIN))]
    while pending:
        try:
            listing = list(os.scandir(pending.pop()))
        except OSError:
            continue
        for item in listing:
            if item.name.startswith("."):
                continue
            if item.is_dir(follow_symlinks=False):
                pending.append(item.path)
            elif not item.is_file() and files_mod.irregular(item.path):
                found.append(files_mod.shown(item.path, root))
    return found


def _input_files(root: Path, found: read.Found, shelves: Shelves = ()) -> list[Path]:
    return [root / name for name in found.files] + [Path(file) for _, _, *more in shelves for file in more if file]


# A community's member folders, as the check for an unchanged journal finds them again without
# reading any settings: (entries folder, its path from the journal, the member's publog.yaml or "",
# the member's network.yaml).
Shelves = tuple[tuple[str, ...], ...]


def _shelves(members: list[community.Folder]) -> Shelves:
    return tuple((str(f.entries), f.prefix, str(f.root / config_mod.CONFIG_FILE) if f.config else "",
                  str(f.root / network_mod.NETWORK_FILE)) for f in members)


def _discover(root: Path, entries_dir: Path, out: Path, shelves: Shelves) -> read.Found:
    """The journal's entry files and other files, and those of its members' folders, by journal-relative path."""
    # The members' folders, resolved once: each folder's walk leaves out the others (a community has many).
    theirs = {shelf[0]: os.path.realpath(shelf[0]) for shelf in shelves}

    def skipped(folder: Path, below: Path) -> list[str]:
        return [os.path.realpath(p) for p in _skipped(folder, below, out)]

    found = read.discover(root, entries_dir, skipped(root, entries_dir) + list(theirs.values()))
    entries, files, outside, irregular = dict(found.entries), set(found.files), list(found.outside), list(found.irregular)
    left_out = list(found.left_out)
    for folder, prefix, *_ in shelves:
        more = read.discover(Path(folder), Path(folder),
                             skipped(Path(folder), Path(folder)) + [real for other, real in theirs.items() if other != folder])
        entries.update((prefix + path, stat) for path, stat in more.entries.items())
        files.update(prefix + path for path in more.files)
        outside += [prefix + path for path in more.outside]
        irregular += [prefix + path for path in more.irregular]
        left_out += [replace(p, path=prefix + p.path) for p in more.left_out]
    return read.Found(entries, frozenset(files), tuple(outside), tuple(irregular), tuple(left_out))


Seen = tuple[tuple[Path, Path, Shelves], read.Found]


def _unchanged(root: Path, memo: Path, now: dt.datetime) -> tuple[Result | None, Seen | None]:
    """The last build's result, when nothing it read has changed and its output is intact;
    and what the check found in the entries folder, for the build to reuse."""
    record = unchanged.read(memo)
    if record is None:
        return None, None
    entries_dir, out = Path(record.entries_dir), Path(record.out)
    shelves: Shelves = tuple(tuple(shelf) for shelf in record.members)
    found = _discover(root, entries_dir, out, shelves)
    seen = ((entries_dir, out, shelves), found)
    folders = [Path(f) for f in record.theme]
    if not unchanged.still_valid(record, now) or (
        unchanged.key(found.entries, _input_files(root, found, shelves), folders) != record.key
    ):
        return None, seen
    manifest = output_mod.Manifest.read(root / cache_mod.CACHE_DIR / cache_mod.settings_key() / output_mod.manifest_name(out))
    if unchanged.output_digest(manifest.files) != record.output or not output_mod.intact(out, manifest):
        return None, seen
    return Result(record.problems, out, record.entries, record.pages), seen


def _statics(root: Path, theme: theme_mod.Theme, journal: journal_mod.Journal, out: Path) -> list[tuple[str, str, str]]:
    """(output file, source file, stamp) for the theme's static files, the journal's and the assets."""
    found: list[tuple[str, Path]] = [(f"static/{rel}", path) for rel, path in theme.static_files().items()]
    static = root / STATIC_DIR
    if static.is_dir():
        real = os.path.realpath(static)
        for path in sorted(static.rglob("*")):
            if (path.is_file() and not any(part.startswith(".") for part in path.relative_to(static).parts)
                    and out.resolve() not in path.resolve().parents and read.inside(str(path), real)):
                found.append((path.relative_to(static).as_posix(), path))
    found += [(asset.url.lstrip("/"), root / asset.source) for asset in journal.assets]
    found += layouts.static_files(root, journal.config.layout, out, (a.source for a in journal.assets))
    statics = []
    for file, path in found:
        try:
            st = path.stat()
        except OSError:
            continue  # deleted since it was listed: the site is built without it
        statics.append((file, str(path), f"{st.st_mtime_ns}:{st.st_size}"))
    return statics


def _clashes(plan: list[pages_mod.Page], root: Path) -> list[Problem]:
    seen: dict[str, pages_mod.Page] = {}
    problems = []
    for page in plan:
        if ".." in page.file.split("/") or page.file.startswith("/"):  # never: every path is made inside the site
            problems.append(error(_shown(Path(page.name), root) if page.kind == pages_mod.COPY else page.url, 1,
                                  f"would be written outside the site ({page.file}); rename it"))
            continue
        # One file on macOS and Windows: names differing in case or in Unicode normalisation.
        key = unicodedata.normalize("NFC", page.file).casefold()
        if key in seen:
            what = _shown(Path(page.name), root) if page.kind == pages_mod.COPY else page.url
            problems.append(error(what, 1, f"would be written to {page.file}, which {seen[key].url} uses already; rename one of them"))
        else:
            seen[key] = page
    return problems


def _leaks(journal: journal_mod.Journal, compiled: dict[str, read.Compiled]) -> list[Problem]:
    """Every secret and never-publish term in what this build would publish, at its line."""
    return [
        error(entry.path, line, f"would publish {what}; remove it, or (for a false alarm, secrets only) "
                                "add the comment 'pragma: allowlist secret' on its line")
        for entry in journal.entries if entry.path in compiled
        for line, what in compiled[entry.path].leaks
    ]


def _guard(config: config_mod.Config, compiled: list[read.Compiled], journal: journal_mod.Journal,
           plan: list[pages_mod.Page], root: Path) -> guard_mod.Guard:
    """What the final scan looks for: the never-publish terms and the passages of private entries and parts;
    and where a finding is looked for again: the file a page is made from, or every file pages are made from."""
    from ..privacy import leaks

    published = {e.path for e in journal.entries}
    allowlisted = frozenset(f for c in compiled if c.path in published for f in c.allowlisted)
    origins = {p: c.path for c in compiled for p in c.private}
    sources = {pages_mod.output_file(e.url): e.path for e in journal.entries}
    sources.update((p.file, _shown(Path(p.name), root)) for p in plan if p.kind == pages_mod.COPY)
    sources.update((p.file, network_mod.NETWORK_FILE) for p in plan if p.name in ("network.html", "opml"))
    candidates = (*(e.path for e in journal.entries), network_mod.NETWORK_FILE, guard_mod.SETTINGS_FILE)
    return guard_mod.Guard(leaks.compile_terms(config.never_publish), tuple(origins), allowlisted, tuple(origins.values()),
                           sources, candidates, str(root))


def _renderer(theme: theme_mod.Theme, config: config_mod.Config, store: cache_mod.Cache, root: Path, digest: str,
              entries: int) -> Any:
    from ..render.templates import Renderer  # Jinja2 and feedgen load only when something is rendered

    # Cards as lists show them, kept in the cache object for the next build of a long-running process (serve,
    # run/daemon.py) while the theme and the settings are the same: a change of front matter renders lists again.
    kept = store.cards
    if kept is None or kept[0] != (digest, config) or len(kept[1]) > 2 * entries + 64:  # many edited away: start again
        kept = store.cards = ((digest, config), {})
    return Renderer(theme, Urls(config.base_url), store.html, str(root), digest, kept[1])


# Set in each render worker process by _start_worker; the main process never sets it.
_worker: tuple[Any, list[pages_mod.Page], output_mod.Output] | None = None


def _start_worker(renderer: Any, pages: list[pages_mod.Page], target: output_mod.Output) -> None:
    global _worker
    _worker = (renderer, pages, target)


def _render_slice(indices: range) -> tuple[int, list[str]]:
    assert _worker is not None
    renderer, pages, target = _worker
    return len(indices), _render_and_write(renderer, [pages[i] for i in indices], target)


def _render_and_write(renderer: Any, pages: list[pages_mod.Page], target: output_mod.Output) -> list[str]:
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


def _give_back_memory() -> None:
    """Return the memory of what was read and thrown away to the system (glibc keeps it otherwise),
    so that the render workers are forked from a smaller process."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _render(renderer: Any, pages: list[pages_mod.Page], target: output_mod.Output, jobs: int,
            progress: Progress | None = None) -> set[str]:
    step = max(16, len(pages) // (max(jobs, 1) * 8))
    slices = [range(i, min(i + step, len(pages))) for i in range(0, len(pages), step)]
    done: set[str] = set()
    if jobs <= 1 or len(pages) < RENDER_POOL_THRESHOLD:
        for part in slices:
            done.update(_render_and_write(renderer, [pages[i] for i in part], target))
            if progress:
                progress("rendering", part.stop, len(pages))
        return done
    # Workers are forked after the plan exists, so they share it without pickling; this process renders
    # its share too rather than wait, one copy of the build fewer in memory. Frozen, the objects that exist
    # now are left alone by the workers' garbage collector, whose visits would copy every page of them.
    _give_back_memory()
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs - 1, initializer=_start_worker, initargs=(renderer, pages, target)) as pool:
            theirs = pool.imap_unordered(_render_slice, [part for n, part in enumerate(slices) if n % jobs])
            count = 0

            def collect(wait: bool) -> None:
                nonlocal count
                while True:
                    try:
                        rendered, files = theirs.next(timeout=None if wait else 0)
                    except (StopIteration, multiprocessing.TimeoutError):
                        return
                    count += rendered
                    done.update(files)
                    if progress:
                        progress("rendering", count, len(pages))

            for part in slices[::jobs]:
                done.update(_render_and_write(renderer, [pages[i] for i in part], target))
                count += len(part)
                collect(wait=False)
            collect(wait=True)
    finally:
        gc.unfreeze()
    if progress:
        progress("rendering", len(pages), len(pages))
    return done
