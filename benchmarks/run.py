#!/usr/bin/env python3
"""publog's performance benchmark (issues 6 and 26): publog beside Hugo and Eleventy, and against the Markdown floor.

    python benchmarks/run.py [--sizes 1000 4000 10000 10000/50] [--repeat R] [--long K] [--no-peers] [--json OUT]

Its headline (issue 26, benchmarks/side_by_side.py): for each size, publog with its
default settings (search on) and with `search: false`, Hugo and Eleventy build the
same generated journal in the same run, their commands alternating; every figure is
printed as a ratio to the peers', beside issue 26's targets. --long K also times
the cold build of a journal of K long entries heavy with math and code (default 60).
The peers are installed on first use into benchmarks/journals/.peers (--peers DIR);
--no-peers leaves them out.

A size N/M is a community (issue 14) of M members sharing the N entries.

For each size N it generates a journal of N entries into benchmarks/journals/N/
(reused while the generator, the seed and the files are unchanged), then
measures, each in a fresh process:

- the Markdown floor (benchmarks/floor.py) in one process and in two;
- a cold build (no cache, no output folder): the wall clock of the whole
  `python -m publog build JOURNAL --out JOURNAL/_site` command;
- a rebuild with nothing changed;
- a rebuild after appending a sentence to the body of one entry in the middle of the list;
- a rebuild after then changing that entry's title, and one after changing its tags
  (the entry's bytes are restored afterwards);
- the peak memory of a cold build: the largest RSS of any one process, and the
  largest sum of the PSS of the build's whole process tree, sampled every 20 ms.

The journal measured is made with publog's defaults (search on). Times are the
best of R repeats (default 3 for N <= 4000, 1 above; the side-by-side figures
are the medians of R rounds). It prints a Markdown table of the figures and their
ratios, then the targets of issue 6, each passed, missed or not measured;
--no-detail leaves this part out. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / "journals"
PEERS = WORK / ".peers"  # where Hugo and Eleventy are installed on first use
DEFAULT_LONG = 60
TRASH = ".trash-"  # the folders clean() moves aside start so
sys.path.insert(0, str(BENCH))

import make_journal  # noqa: E402  (a sibling script, not a package)
import peers  # noqa: E402
import side_by_side  # noqa: E402

DEFAULT_SIZES = (1000, 4000, 10000)
STAMP = ".bench-journal.json"
OUT_NAME = "_site"
CACHE_NAME = ".publog-cache"
SAMPLE_SECONDS = 0.02
EDIT_AFTER = 2.0  # default seconds from the end of a build to the next: an author's next save comes no sooner
FIRST_EDIT_AFTER = 1.5  # serve's first save, in pauses between builds (--edit-after): 3 s by default
SOCKET = ".publog-cache/build.sock"  # where a kept build process listens (src/publog/daemon.py)
SUMMARY = re.compile(r"(\d+) entries, (\d+) pages \((\d+) written\) in ([\d.]+) s")
REBUILDS = ("nochange", "body", "title", "tags")
LABELS = {
    "cold": "cold build",
    "nochange": "no-change rebuild",
    "body": "body edit rebuild",
    "title": "title edit rebuild",
    "tags": "tags edit rebuild",
}
SHORT = {"nochange": "no-change", "body": "body edit", "title": "title edit", "tags": "tags edit"}
APPENDED = "\nOne more sentence, appended by the benchmark to see what a small edit costs.\n"


# ---------------------------------------------------------------- the journal


def _digest_files(journal: Path) -> str:
    """A fingerprint of the journal's settings and entries: names and bytes."""
    h = hashlib.blake2b(digest_size=16)
    files = [journal / "publog.yaml"] + sorted(p for d in _corpus_dirs(journal) for p in d.rglob("*"))
    for path in files:
        if path.is_file():
            h.update(path.relative_to(journal).as_posix().encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def _corpus_dirs(journal: Path) -> list[Path]:
    """The folders holding the entries: the journal's entries folder, and a community's members' folders."""
    return [d for d in (journal / make_journal.ENTRIES_DIR, journal / make_journal.MEMBERS_DIR) if d.is_dir()]


def corpus(journal: Path) -> Path:
    """The folder the floor renders: every entry is below it."""
    members = journal / make_journal.MEMBERS_DIR
    return members if members.is_dir() else journal / make_journal.ENTRIES_DIR


def _generator_key(n: int, seed: int, members: int = 0, search: bool = True, long: int = 0) -> dict[str, Any]:
    source = Path(make_journal.__file__).read_bytes()
    return {
        "generator_version": make_journal.GENERATOR_VERSION,
        "generator_source": hashlib.blake2b(source, digest_size=8).hexdigest(),
        "n": n,
        "seed": seed,
        **({"members": members} if members else {}),
        **({} if search else {"search": False}),
        **({"long": long} if long else {}),
    }


def journal_name(n: int, members: int = 0, search: bool = True, long: int = 0) -> str:
    name = f"{n}-members-{members}" if members else f"long-{long}" if long and not n else str(n)
    return name + ("-search-off" if not search else "")


def ensure_journal(n: int, seed: int = make_journal.DEFAULT_SEED, work: Path = WORK, members: int = 0,
                   search: bool = True, long: int = 0) -> Path:
    """journals/N (journals/N-members-M for a community of M members, N-search-off with `search: false`,
    long-K for K long entries alone): the journal of N entries, generated unless an identical one is
    there already."""
    journal = work / journal_name(n, members, search, long)
    key = _generator_key(n, seed, members, search, long)
    stamp = journal / STAMP
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
        if recorded["key"] == key and recorded["digest"] == _digest_files(journal):
            return journal
    except (OSError, ValueError, KeyError, TypeError):
        pass
    if journal.exists():
        shutil.rmtree(journal)
    if members:
        make_journal.write_community(journal, n, members, seed)
    else:
        make_journal.write(journal, n, seed, search=search, long=long)
    stamp.write_text(json.dumps({"key": key, "digest": _digest_files(journal)}, indent=1) + "\n", encoding="utf-8")
    return journal


def edit_target(journal: Path) -> Path:
    """The entry the edits go to: the middle one of the sorted file names (so, by date); in a
    community, one member's."""
    names = sorted((p for d in _corpus_dirs(journal) for p in d.rglob("*.md")), key=lambda p: p.name)
    return names[len(names) // 2]


def _edit_body(text: str) -> str:
    return text + APPENDED


def _edit_title(text: str) -> str:
    new, count = re.subn(r'^title: "(.*)"$', r'title: "\1, revised"', text, count=1, flags=re.M)
    assert count == 1, "no title line to edit"
    return new


def _edit_tags(text: str) -> str:
    match = re.search(r"^tags: \[(.*)\]$", text, flags=re.M)
    assert match, "no tags line to edit"
    tags = [t.strip() for t in match.group(1).split(",")]
    # Leave one topic and join another: both topics' pages, and the entry's own, change.
    added = next(t for t in make_journal.TOPICS if t not in tags)
    new_tags = tags[1:] + [added]
    return text[: match.start()] + f"tags: [{', '.join(new_tags)}]" + text[match.end() :]


EDITS: dict[str, Callable[[str], str]] = {"body": _edit_body, "title": _edit_title, "tags": _edit_tags}


# ---------------------------------------------------------------- measurements


# Where the measured processes keep compiled bytecode (set by bench_size); None: wherever
# the environment says. A user's Python caches bytecode, so every start does not compile
# publog again; an environment with PYTHONDONTWRITEBYTECODE=1 would add that to each build.
_pycache: Path | None = None
_warmed: set[Path] = set()
# The folder holding the publog package the subprocesses import (see snapshot()).
_code: Path = REPO / "src"
# Whether the measured builds may hand their work to a kept build process (set by main, --no-daemon),
# and the pause before each rebuild (--edit-after).
_daemon = True
_edit_after = EDIT_AFTER


def snapshot(checkout: Path, work: Path) -> Path:
    """Copy a checkout's publog package and themes into journals/.publog-snapshot and measure that copy.

    The code then stays the same for the whole run, even while someone edits the checkout.
    """
    global _code
    dest = work / ".publog-snapshot"
    if dest.exists():
        shutil.rmtree(dest)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(checkout / "src" / "publog", dest / "publog", ignore=skip)
    shutil.copytree(checkout / "themes", dest / "publog" / "themes", ignore=skip, dirs_exist_ok=True)
    _code = dest
    return dest


def _env() -> dict[str, str]:
    """Subprocesses run this checkout's publog (or its snapshot), whichever way it is installed."""
    path = os.pathsep.join(filter(None, [str(_code), os.environ.get("PYTHONPATH", "")]))
    env = {**os.environ, "PYTHONPATH": path, "PUBLOG_DAEMON": "1" if _daemon else "0"}
    if _pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(_pycache)  # outside the source tree
    return env


def warm_up(work: Path) -> None:
    """Build a tiny journal once, unmeasured: bytecode and the OS caches are then warm."""
    key = (work / ".warm-up").resolve()
    if key in _warmed:
        return
    journal = ensure_journal(20, make_journal.DEFAULT_SEED, work / ".warm-up")
    clean(journal)
    _checked(run_tree(build_command(journal, journal / OUT_NAME)))
    clean(journal)
    _warmed.add(key)


def run_tree(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    """subprocess.run in a session of its own: if the benchmark is stopped, the command's
    whole process tree (a build's pool workers too) is killed, not left orphaned."""
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), start_new_session=True
    ) as proc:
        try:
            stdout, stderr = proc.communicate()
        except BaseException:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
            raise
    return subprocess.CompletedProcess(list(command), proc.returncode, stdout, stderr)


def _checked(proc: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(proc.args[1:3])}... failed ({proc.returncode}):\n{proc.stdout}{_head(proc.stderr)}")
    return proc


def build_command(journal: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "publog", "build", str(journal), "--out", str(out), "--timings"]


@dataclass
class Build:
    seconds: float  # wall clock of the whole command, start-up included
    entries: int
    pages: int
    written: int
    reported: float  # the seconds publog itself reports
    stages: dict[str, float] = field(default_factory=dict)  # what `--timings` reports: stage -> seconds


def parse_summary(stdout: str) -> tuple[int, int, int, float]:
    match = SUMMARY.search(stdout)
    if not match:
        raise RuntimeError(f"publog printed no summary line:\n{stdout}")
    entries, pages, written, seconds = match.groups()
    return int(entries), int(pages), int(written), float(seconds)


def run_build(journal: Path, out: Path) -> Build:
    started = time.perf_counter()
    proc = run_tree(build_command(journal, out))
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"publog build failed ({proc.returncode}):\n{proc.stdout}{_head(proc.stderr)}")
    return Build(seconds, *parse_summary(proc.stdout), parse_timings(proc.stdout))


def parse_timings(stdout: str) -> dict[str, float]:
    """The stages of `publog build --timings`: "timings: read 4.812 s, journal 0.290 s, ..."."""
    line = next((line for line in stdout.splitlines() if line.startswith("timings: ")), "")
    return {name: float(spent) for name, spent in re.findall(r"(\w+) ([\d.]+) s", line)}


def _head(text: str, lines: int = 20) -> str:
    """The first lines of a build's complaints: a broken generator can make thousands."""
    kept = text.splitlines()
    more = f"\n... and {len(kept) - lines} more lines" if len(kept) > lines else ""
    return "\n".join(kept[:lines]) + more


def run_floor(corpus: Path, jobs: int) -> float:
    """The floor's in-process seconds, measured in a fresh process."""
    proc = _checked(run_tree([sys.executable, str(BENCH / "floor.py"), str(corpus), "--jobs", str(jobs), "--json"]))
    return float(json.loads(proc.stdout.strip().splitlines()[-1])["seconds"])


def run_startup() -> float:
    """Wall clock of `python -m publog --version`: what every build pays before it starts."""
    started = time.perf_counter()
    _checked(run_tree([sys.executable, "-m", "publog", "--version"]))
    return time.perf_counter() - started


def entry_path(journal: Path, entry: Path) -> str:
    """The site path of a generated entry: /{year}/{slug}/ (publog's default), below /members/ID in a community."""
    parts = entry.relative_to(journal).parts
    prefix = f"/members/{parts[1]}" if parts[0] == make_journal.MEMBERS_DIR else ""
    return f"{prefix}/{entry.stem[:4]}/{entry.stem[11:]}/"


def run_serve(journal: Path, edits: int = 4, timeout: float = 900) -> tuple[list[float], list[float]]:
    """`publog serve`: for each of a few edits of one entry, the seconds from the save to the page
    with the edit in it, fetched as an open page's live reload fetches it: when serve's event stream
    announces a new site (polling the server instead would compete with its build for the processor);
    and the seconds from the save to a served search index that holds the edit's new word (looked for
    in the index's fragments, in the served folder, each time serve announces a new site).

    The first edit comes FIRST_EDIT_AFTER pauses (--edit-after) after serve says it is serving, as an author's
    first save comes after they opened the page: serve's first build renders every page (the
    port is in its URLs), and serve uses that pause to keep a copy of the site for the next build.
    """
    import http.client
    import socket

    from publog.run.serve import site_folder

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    target = edit_target(journal)
    original = target.read_bytes()
    url = f"http://127.0.0.1:{port}{entry_path(journal, target)}"
    command = [sys.executable, "-m", "publog", "serve", str(journal), "--port", str(port)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=_env(),
                            start_new_session=True)
    seconds: list[float] = []
    found: list[float] = []
    try:
        deadline = time.monotonic() + timeout
        assert proc.stdout is not None
        for line in proc.stdout:  # its first build
            if line.startswith("Serving") or time.monotonic() > deadline:
                break
        time.sleep(FIRST_EDIT_AFTER * _edit_after)
        events = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        events.request("GET", "/__publog/events")
        stream = events.getresponse()

        def generation() -> int:
            while True:
                line = stream.fp.readline()
                if not line:
                    raise RuntimeError("publog serve closed its event stream")
                if line.startswith(b"data: "):
                    return int(json.loads(line[len(b"data: "):])["generation"])

        shown = generation()  # sent at once: the site being served
        for n in range(edits):
            marker = f"serveedit{n}x{time.time_ns()}"
            target.write_bytes(original + f"\n{marker}\n".encode())
            saved, since = time.perf_counter(), time.time_ns()
            while True:
                now = generation()
                if now != shown:
                    shown = now
                    if marker.encode() in _get(url):
                        break
            seconds.append(time.perf_counter() - saved)
            while not _indexed(site_folder(journal.resolve()), marker, since):
                if time.perf_counter() - saved > 60:
                    raise RuntimeError("publog serve's search index did not find an edit within a minute")
                shown = generation()
            found.append(time.perf_counter() - saved)
            time.sleep(min(0.3, _edit_after))
        events.close()
    finally:
        target.write_bytes(original)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        proc.wait()
    return seconds, found


def _indexed(site: Path, word: str, since: int) -> bool:
    """Whether a part of the served search index made after ``since`` (ns) holds ``word``."""
    import gzip

    for fragment in (site / "pagefind").rglob("*.pf_fragment"):
        try:
            if fragment.stat().st_mtime_ns >= since and word.encode() in gzip.decompress(fragment.read_bytes()):
                return True
        except OSError:  # replaced by the next index meanwhile
            continue
    return False


def _get(url: str) -> bytes:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.read()
    except (urllib.error.URLError, OSError):
        return b""


def clean(journal: Path) -> None:
    """Move the build cache and the output folder aside: the next build is cold.

    Moved, not deleted: deleting the thousands of files of a site here (a disk mounted with
    discard) slowed every file write of the builds that followed for tens of seconds (the
    render stage of a cold build at N=4000 took 3.5, 4.2, then 4.9 s after three deletions in a
    row, 2.7 s after moving the folders aside), which is the cost of the benchmark's own cleaning,
    not of a build. The trash is emptied when the run ends (empty_trash): emptied between sizes, it
    slowed the next size's cold build by a quarter, though the floor was measured in between.
    """
    stop_kept(journal)
    for folder in (journal / CACHE_NAME, journal / OUT_NAME):
        if folder.exists():
            folder.rename(Path(tempfile.mkdtemp(prefix=TRASH, dir=journal.parent)) / folder.name)


def empty_trash(work: Path) -> None:
    """Delete what clean() moved aside below ``work``, a killed run's too."""
    for trash in [*work.glob(TRASH + "*"), *work.glob("*/" + TRASH + "*")]:
        shutil.rmtree(trash, ignore_errors=True)


def stop_kept(journal: Path, timeout: float = 30) -> None:
    """Stop the build process a build of ``journal`` kept (it ends when its socket goes), and wait
    until it has: it must not share the processor with what is measured next."""
    try:
        (journal / SOCKET).unlink()
    except FileNotFoundError:
        pass
    named = os.fsencode(str(journal))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kept = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    words = f.read().split(b"\0")
            except OSError:
                continue
            if b"publog" in words and b"build" in words and named in words and int(pid) != os.getpid():
                kept.append(pid)
        if not kept:
            return
        time.sleep(0.05)


def _children(pid: int) -> list[int]:
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    kids: list[int] = []
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids += [int(k) for k in f.read().split()]
        except OSError:
            continue
    return kids


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants that are alive now."""
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += _children(pid)
    return tree


def _alive(pid: int) -> bool:
    """Running still: not ended, nor ended and waiting for its parent to see it (a zombie)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def probe_memory(command: Sequence[str], interval: float = SAMPLE_SECONDS) -> dict[str, Any]:
    """Run ``command``, sampling its process tree's PSS; meant to run in a fresh wrapper process.

    ru_maxrss of RUSAGE_CHILDREN is the largest RSS any waited-for descendant had;
    the process must be fresh, or an earlier child could hold that maximum.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        # The environment as run_memory set it up for this wrapper (PYTHONPATH to the code measured).
        proc = subprocess.Popen(command, stdout=out, stderr=err)
        peak, samples = 0, 0
        dropped = 0
        while proc.poll() is None:
            tree = process_tree(proc.pid)
            total = sum(pss_kb(pid) for pid in tree)
            # A process that ended while the sample was read (a render worker, the build once it has kept a
            # copy of itself) was counted with half of the pages it shared, and the process it shared them
            # with, read after, with all of them: the sample counts those pages one and a half times.
            if all(_alive(pid) for pid in tree) and process_tree(proc.pid) == tree:
                peak = max(peak, total)
            else:
                dropped += 1
            samples += 1
            time.sleep(interval)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    return {
        "returncode": proc.returncode,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "peak_pss_mb": peak / 1024,
        "samples": samples,
        "samples_dropped": dropped,
        "seconds": seconds,
        "stdout": stdout,
        "stderr": stderr,
    }


def run_memory(journal: Path) -> dict[str, Any]:
    """Peak memory of a cold build, measured by a fresh wrapper process."""
    clean(journal)
    proc = _checked(
        run_tree([sys.executable, str(Path(__file__).resolve()), "--probe-memory", str(journal), str(journal / OUT_NAME)])
    )
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    if figures["returncode"] != 0:
        raise RuntimeError(f"publog build failed under the memory probe:\n{figures['stdout']}{_head(figures['stderr'])}")
    figures["entries"], figures["pages"], figures["written"], _ = parse_summary(figures["stdout"])
    return {k: v for k, v in figures.items() if k not in ("stdout", "stderr", "returncode")}


@dataclass
class SizeResult:
    n: int
    repeat: int
    members: int = 0  # a community of this many members; 0: a journal of one

    @property
    def label(self) -> str:
        return f"{self.n}/{self.members}" if self.members else str(self.n)
    floor1: float = float("inf")
    floor2: float = float("inf")
    builds: dict[str, Build] = field(default_factory=dict)  # best of the repeats, by kind
    startup: float = float("inf")  # the wall clock of `python -m publog --version`
    memory: dict[str, Any] = field(default_factory=dict)
    runs: list[dict[str, Any]] = field(default_factory=list)  # every repeat's figures
    serve: list[float] = field(default_factory=list)  # seconds from a save to the served edit, per edit
    serve_search: list[float] = field(default_factory=list)  # seconds from a save to a served index that finds it


def _keep_best(result: SizeResult, kind: str, build: Build) -> None:
    if kind not in result.builds or build.seconds < result.builds[kind].seconds:
        result.builds[kind] = build


def bench_size(
    n: int, repeat: int, seed: int = make_journal.DEFAULT_SEED, work: Path = WORK,
    memory: bool = True, log: Callable[[str], None] = lambda s: None, bytecode_cache: bool = True, members: int = 0,
    serve: bool = True,
) -> SizeResult:
    global _pycache
    _pycache = work / ".pycache" if bytecode_cache else None
    warm_up(work)
    journal = ensure_journal(n, seed, work, members)
    out = journal / OUT_NAME
    target = edit_target(journal)
    original = target.read_bytes()
    result = SizeResult(n, repeat, members)
    for attempt in range(1, repeat + 1):
        # The load before the repeat: anything else running on the machine shows up in the times.
        load = os.getloadavg()[0]
        run: dict[str, Any] = {"load_before": load, "floor1": run_floor(corpus(journal), 1)}
        run["floor2"] = run_floor(corpus(journal), 2)
        result.floor1 = min(result.floor1, run["floor1"])
        result.floor2 = min(result.floor2, run["floor2"])
        run["startup"] = run_startup()
        result.startup = min(result.startup, run["startup"])
        clean(journal)
        try:
            run["cold"] = run_build(journal, out)
            time.sleep(_edit_after)
            run["nochange"] = run_build(journal, out)
            text = original.decode("utf-8")
            for kind, edit in EDITS.items():
                time.sleep(_edit_after)
                text = edit(text)
                target.write_bytes(text.encode("utf-8"))
                run[kind] = run_build(journal, out)
        finally:
            target.write_bytes(original)
            stop_kept(journal)
        for kind in ("cold", *REBUILDS):
            _keep_best(result, kind, run[kind])
        result.runs.append({k: asdict(v) if isinstance(v, Build) else v for k, v in run.items()})
        log(
            f"N={n} run {attempt}/{repeat} (load {load:.1f}): floor {run['floor1']:.2f}/{run['floor2']:.2f} s, "
            + ", ".join(f"{k} {run[k].seconds:.2f} s ({run[k].written} written)" for k in ("cold", *REBUILDS))
        )
    if serve:
        result.serve, result.serve_search = run_serve(journal)
        log(f"N={result.label} serve: an edit shown after " + ", ".join(f"{t * 1000:.0f}" for t in result.serve)
            + " ms, found by search after " + ", ".join(f"{t * 1000:.0f}" for t in result.serve_search) + " ms")
    if memory:
        result.memory = run_memory(journal)
        log(f"N={n} memory: max RSS {result.memory['max_rss_mb']:.0f} MB, peak PSS {result.memory['peak_pss_mb']:.0f} MB")
    clean(journal)
    return result


def compare(n: int, repeat: int, seed: int, work: Path, found: peers.Peers | None,
            log: Callable[[str], None], long: int = 0) -> side_by_side.Comparison:
    """publog (defaults and `search: false`), Hugo and Eleventy on the same journal of N entries
    (of ``long`` long entries alone when N is 0); a journal of long entries gets only cold builds."""
    warm_up(work)
    journal = ensure_journal(n, seed, work, long=long)
    search_off = ensure_journal(n, seed, work, search=False, long=long)
    def env(daemon: bool) -> dict[str, str]:
        return {**_env(), "PUBLOG_DAEMON": "1" if daemon else "0"}

    def cleaned(copy: Path) -> None:  # the copies are in memory: what clean moves aside is deleted at once
        clean(copy)
        empty_trash(copy.parent)

    label = journal_name(n, long=long)
    return side_by_side.compare(journal, search_off, label, repeat, found, env, cleaned, log,
                                edits=not long, edit_after=_edit_after)


# ---------------------------------------------------------------- report


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def figures(results: list[SizeResult], commit: str | None = None) -> dict[str, Any]:
    """Every figure and ratio, as plain data (what --json writes)."""
    sizes: dict[str, Any] = {}
    for r in results:
        cold = r.builds["cold"].seconds
        sizes[r.label] = {
            "members": r.members,
            "repeat": r.repeat,
            "floor_1_job_s": r.floor1,
            "floor_2_jobs_s": r.floor2,
            "startup_s": r.startup,
            "builds": {k: asdict(b) for k, b in r.builds.items()},
            "cold_over_floor_2_jobs": _ratio(cold, r.floor2),
            # Reading, checking and rendering every entry's Markdown: what of a build the floor stands for.
            "cold_read_over_floor_2_jobs": _ratio(r.builds["cold"].stages.get("read"), r.floor2),
            "rebuild_over_cold": {k: _ratio(r.builds[k].seconds, cold) for k in REBUILDS},
            "memory": r.memory,
            "serve_edit_s": r.serve,
            "serve_edit_median_s": statistics.median(r.serve) if r.serve else None,
            "serve_search_s": r.serve_search,
            "runs": r.runs,
        }
    by_n = {r.n: r for r in results if not r.members}
    growth = {}
    if 4000 in by_n and 10000 in by_n:
        growth = {
            k: _ratio(by_n[10000].builds[k].seconds, by_n[4000].builds[k].seconds)
            for k in ("cold", *REBUILDS)
        }
        growth["floor_2_jobs"] = _ratio(by_n[10000].floor2, by_n[4000].floor2)
    return {
        "machine": {
            "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "bytecode_cache": _pycache is not None,
        },
        "kept_build_process": _daemon,
        "edit_after_s": _edit_after,
        "publog_commit": commit,
        "generator_version": make_journal.GENERATOR_VERSION,
        "sizes": sizes,
        "growth_10000_over_4000": growth,
        "targets": targets(results),
    }


def _git_commit(checkout: Path = REPO) -> str | None:
    try:
        head = subprocess.run(["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(checkout), "status", "--porcelain", "--", "src", "themes"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return head + ("+changes" if dirty else "")


def targets(results: list[SizeResult]) -> list[dict[str, Any]]:
    """The targets of issue 6: (name, measured value, limit, passed or None when not measured)."""
    by_n = {r.n: r for r in results if not r.members}
    checks: list[dict[str, Any]] = []

    def check(name: str, value: float | None, limit: float, unit: str = "x", strict: bool = False) -> None:
        passed = None if value is None else (value < limit if strict else value <= limit)
        checks.append({"target": name, "value": value, "limit": limit, "unit": unit, "strict": strict, "passed": passed})

    r4 = by_n.get(4000)
    cold4 = r4.builds["cold"].seconds if r4 else None
    check("cold build <= 1.15x floor (2 jobs), N=4000", _ratio(cold4, r4.floor2) if r4 else None, 1.15)
    for kind, limit in (("nochange", 0.05), ("body", 0.05), ("title", 0.10), ("tags", 0.10)):
        value = _ratio(r4.builds[kind].seconds, cold4) if r4 else None
        check(f"{LABELS[kind]} < {limit:.0%} of cold, N=4000", value, limit, strict=True)
    check("publog serve shows an edit < 0.3 s after the save (median), N=4000",
          statistics.median(r4.serve) if r4 and r4.serve else None, 0.3, unit=" s", strict=True)
    check("publog serve's search finds an edit's words < 2 s after the save (median), N=4000",
          statistics.median(r4.serve_search) if r4 and r4.serve_search else None, 2.0, unit=" s", strict=True)
    r10 = by_n.get(10000)
    for kind in ("cold", "nochange", "body"):
        value = _ratio(r10.builds[kind].seconds, r4.builds[kind].seconds) if r4 and r10 else None
        check(f"growth of the {LABELS[kind]}, N=10000 / N=4000 <= 2.6", value, 2.6)
    for key, what in (("max_rss_mb", "largest process RSS"), ("peak_pss_mb", "process tree PSS")):
        value = r10.memory.get(key) if r10 and r10.memory else None
        check(f"peak memory ({what}) at N=10000 < 400 MB", value, 400, unit=" MB", strict=True)
    # Issue 14: a community of 10,000 entries within the targets of a journal of 10,000: its growth over the
    # journal of 4000 and, when one was measured in the same run, over a community of 4000 (200 entries a member).
    c4 = next((r for r in results if r.members and r.n == 4000), None)
    for c in (r for r in results if r.members and r.n == 10000):
        for kind in ("cold", "nochange", "body"):
            value = _ratio(c.builds[kind].seconds, r4.builds[kind].seconds) if r4 else None
            check(f"community {c.label}: growth of the {LABELS[kind]} over the N=4000 journal <= 2.6", value, 2.6)
            if c4 is not None:
                check(f"community {c.label}: growth of the {LABELS[kind]} over the community {c4.label} <= 2.6",
                      _ratio(c.builds[kind].seconds, c4.builds[kind].seconds), 2.6)
        for key, what in (("max_rss_mb", "largest process RSS"), ("peak_pss_mb", "process tree PSS")):
            check(f"community {c.label}: peak memory ({what}) < 400 MB", c.memory.get(key) if c.memory else None,
                  400, unit=" MB", strict=True)
    return checks


def table(results: list[SizeResult]) -> str:
    heads = [f"N={r.n}" + (f", {r.members} members" if r.members else "") for r in results]
    rows: list[list[str]] = []

    def row(name: str, cells: list[str]) -> None:
        rows.append([name, *cells])

    def secs(b: Build) -> str:
        return f"{b.seconds:.2f} s ({b.written} written)"

    row("repeats (best of)", [str(r.repeat) for r in results])
    row("entries / pages", [f"{r.builds['cold'].entries} / {r.builds['cold'].pages}" for r in results])
    row("floor, 1 process", [f"{r.floor1:.2f} s" for r in results])
    row("floor, 2 processes", [f"{r.floor2:.2f} s" for r in results])
    row("cold build", [secs(r.builds["cold"]) for r in results])
    row("**cold / floor (2 processes)**", [f"**{_ratio(r.builds['cold'].seconds, r.floor2):.2f}x**" for r in results])
    row("cold build by stage (`--timings`)",
        [", ".join(f"{k} {v:.2f}" for k, v in r.builds["cold"].stages.items()) + " s" for r in results])
    row("cold read stage / floor (2 processes)",
        [f"{_ratio(r.builds['cold'].stages.get('read'), r.floor2):.2f}x" if r.builds["cold"].stages.get("read") else "-"
         for r in results])
    for kind in REBUILDS:
        row(LABELS[kind], [secs(r.builds[kind]) for r in results])
        row(f"**{SHORT[kind]} / cold**", [f"**{_ratio(r.builds[kind].seconds, r.builds['cold'].seconds):.1%}**" for r in results])
    row(
        "publog's own reported time: cold, no-change, body, title, tags",
        [", ".join(f"{r.builds[k].reported:.2f}" for k in ("cold", *REBUILDS)) + " s" for r in results],
    )
    row("start-up: `python -m publog --version`", [f"{r.startup:.2f} s" for r in results])
    row("`publog serve`: save to served edit (median)",
        [f"{statistics.median(r.serve) * 1000:.0f} ms" if r.serve else "-" for r in results])
    row("peak RSS, largest process", [f"{r.memory['max_rss_mb']:.0f} MB" if r.memory else "-" for r in results])
    row("peak PSS, whole process tree", [f"{r.memory['peak_pss_mb']:.0f} MB" if r.memory else "-" for r in results])
    lines = ["| figure | " + " | ".join(heads) + " |", "|---|" + "---:|" * len(heads)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    by_n = {r.n: r for r in results if not r.members}
    if 4000 in by_n and 10000 in by_n:
        a, b = by_n[10000], by_n[4000]
        lines.append("")
        lines.append("| growth N=10000 / N=4000 | ratio |")
        lines.append("|---|---:|")
        lines.append(f"| floor, 2 processes | {a.floor2 / b.floor2:.2f}x |")
        for kind in ("cold", *REBUILDS):
            lines.append(f"| {LABELS[kind]} | {a.builds[kind].seconds / b.builds[kind].seconds:.2f}x |")
    return "\n".join(lines)


def target_report(checks: list[dict[str, Any]]) -> str:
    lines = ["| target (issue 6) | measured | result |", "|---|---:|---|"]
    for c in checks:
        if c["value"] is None:
            value, verdict = "-", "not measured"
        else:
            if c["unit"] == "x" and c["limit"] < 1:
                value = f"{c['value']:.1%}"
            elif c["unit"] == "x":
                value = f"{c['value']:.2f}x"
            elif c["unit"] == " s":
                value = f"{c['value']:.2f}{c['unit']}"
            else:
                value = f"{c['value']:.0f}{c['unit']}"
            verdict = "pass" if c["passed"] else "**MISS**"
        lines.append(f"| {c['target']} | {value} | {verdict} |")
    return "\n".join(lines)


# ---------------------------------------------------------------- command line


def _size(text: str) -> tuple[int, int]:
    """N, or N/M: N entries, by M members of a community."""
    n, _, members = text.partition("/")
    try:
        return int(n), int(members or 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not N or N/M (entries, members)") from None


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=_size, nargs="+", default=[(n, 0) for n in DEFAULT_SIZES],
                    help="journal sizes, N/M for a community of M members (default: 1000 4000 10000)")
    ap.add_argument("--repeat", type=int, help="repeats, best kept (default: 3 for N <= 4000, else 1)")
    ap.add_argument("--seed", type=int, default=make_journal.DEFAULT_SEED, help="the generator's seed")
    ap.add_argument("--json", type=Path, metavar="OUT", help="also write every figure to this JSON file")
    ap.add_argument("--work", type=Path, default=WORK, help="where the journals go (default: benchmarks/work)")
    ap.add_argument("--no-memory", action="store_true", help="skip the memory measurement")
    ap.add_argument("--no-serve", action="store_true", help="skip the measurement of `publog serve`")
    ap.add_argument(
        "--no-bytecode-cache", action="store_true",
        help="leave the environment's bytecode settings alone (default: cache bytecode in WORK/.pycache)",
    )
    ap.add_argument(
        "--checkout", type=Path, default=REPO,
        help="the publog checkout to measure (default: this one); its src/publog and themes are "
        "copied when the run starts, so edits made meanwhile do not mix into the figures",
    )
    ap.add_argument("--no-daemon", action="store_true",
                    help="every build in a process of its own, none kept warm between builds (publog build --no-daemon)")
    ap.add_argument("--edit-after", type=float, default=EDIT_AFTER, metavar="S",
                    help=f"seconds between a build and the next rebuild (default: {EDIT_AFTER:g}, an author's pace)")
    ap.add_argument("--fail-on-miss", action="store_true", help="exit 1 when a measured target is missed")
    ap.add_argument("--no-peers", action="store_true", help="leave Hugo and Eleventy out (and install nothing)")
    ap.add_argument("--peers", type=Path, default=PEERS, metavar="DIR",
                    help="where Hugo and Eleventy are installed on first use (default: benchmarks/journals/.peers)")
    ap.add_argument("--long", type=int, default=DEFAULT_LONG, metavar="K",
                    help=f"also time a journal of K long entries with math and code (default: {DEFAULT_LONG}; 0: no)")
    ap.add_argument("--no-detail", action="store_true",
                    help="only the side-by-side figures: leave out the rebuilds, serve and memory of issue 6")
    ap.add_argument("--probe-memory", nargs=2, metavar=("JOURNAL", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.probe_memory:  # the wrapper process of run_memory
        journal, out = (Path(p) for p in args.probe_memory)
        print(json.dumps(probe_memory(build_command(journal, out))))
        return 0

    # Stopped early (Ctrl-C, kill): unwind, so the edited entry gets its bytes back.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    signal.signal(signal.SIGINT, signal.default_int_handler)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    global _daemon, _edit_after
    _daemon, _edit_after = not args.no_daemon, args.edit_after
    commit = _git_commit(args.checkout)  # of the code copied now, which the whole run measures
    snapshot(args.checkout, args.work)
    found = None if args.no_peers else peers.ensure(args.peers, log)
    results, compared, failed = [], [], False
    long = None
    global _pycache
    _pycache = None if args.no_bytecode_cache else args.work / ".pycache"
    try:
        for n, members in args.sizes:
            repeat = args.repeat or (3 if n <= 4000 else 1)
            try:
                if not args.no_detail:
                    results.append(
                        bench_size(n, repeat, args.seed, args.work, not args.no_memory, log, not args.no_bytecode_cache,
                                   members, not args.no_serve)
                    )
                if not members:
                    compared.append(compare(n, repeat, args.seed, args.work, found, log))
            except RuntimeError as exc:
                # Report the sizes measured so far rather than losing them.
                log(f"N={n}: {exc}")
                failed = True
                break
        if args.long and not failed:
            try:
                long = compare(0, args.repeat or 3, args.seed, args.work, found, log, long=args.long)
            except RuntimeError as exc:
                log(f"{args.long} long entries: {exc}")
                failed = True
    finally:
        empty_trash(args.work)
    if not results and not compared:
        return 2
    data = figures(results, commit) if results else {"publog_commit": commit, "targets": []}
    floors = {r.label: r.floor2 for r in results}
    for c in [*compared, *([long] if long else [])]:
        print(side_by_side.table(c, floors.get(c.label)))
        print()
    data["side_by_side"] = {c.label: side_by_side.as_data(c) for c in [*compared, *([long] if long else [])]}
    data["targets_issue_26"] = side_by_side.targets(compared, long, args.long)
    print(side_by_side.target_report(data["targets_issue_26"]))
    if results:
        print()
        print("publog with its defaults, in detail (issue 6):")
        print()
        print(table(results))
        print()
        print(target_report(data["targets"]))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    missed = any(c["passed"] is False for c in [*data["targets"], *data["targets_issue_26"]])
    return 2 if failed else 1 if missed and args.fail_on_miss else 0


if __name__ == "__main__":
    sys.exit(main())
