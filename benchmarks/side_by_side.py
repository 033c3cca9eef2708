"""publog beside Hugo and Eleventy on the same generated journal, in the same run (issue 26).

For a journal of N entries made with publog's defaults (search on), the same
entries with `search: false`, and the same entries as a Hugo site and an Eleventy
site (benchmarks/peers.py), it times whole processes, the commands alternating in
each round and the median of the rounds kept:

- the cold build of each (no cache, no output folder; publog with --no-daemon);
- after a one-line edit of one entry's body: publog with --no-daemon, search on and
  off, and Hugo's rebuild (a full build into its existing output folder);
- the same kind of edit through publog's kept build process, search on and off
  (a build primes the process, and the edit comes EDIT_AFTER seconds after it).

Each figure is the wall clock of the command and the peak memory of its process
tree: the largest sum of the RSS of the tree's processes, sampled every 20 ms, or
the peak RSS of any one of them if that is larger. The RSS of forked workers counts
the pages they share with their parent once for each: for publog the sum is an upper
bound (benchmarks/run.py's memory probe measures its PSS). Each tool's folder (publog's
journals, the Hugo and Eleventy sites) is copied to /dev/shm where there is one, and each
writes there, so every tool reads and writes memory, not this machine's disk. publog builds
with its defaults: its site goes to the journal's _site, beside its cache, as in an author's
journal. The targets of issue 26 are checked here and nowhere else.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import peers as peer_tools

SAMPLE_SECONDS = 0.02
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
EDITED = "\nOne more sentence, written by the benchmark to time a one-line edit ({round}).\n"


# ---------------------------------------------------------------- timing whole processes


@dataclass(frozen=True)
class Timed:
    seconds: float
    peak_mb: float  # the process tree's peak: RSS summed over the tree, or one process's peak RSS if larger
    ok: bool = True
    output: str = ""  # the end of what it printed, kept when it failed


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return kids
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids += [int(k) for k in f.read().split()]
        except OSError:
            continue
    return kids


def _tree(root: int) -> list[int]:
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += _children(pid)
    return tree


def _rss_kb(pid: int) -> int:
    # statm, not smaps_rollup's PSS: reading smaps_rollup walks the page tables under the process's
    # memory lock, which for a process of a gigabyte took longer than the sampling interval and slowed
    # the very process measured (Hugo's builds took half as long again).
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE_KB
    except (OSError, ValueError, IndexError):
        return 0


def measure(command: Sequence[str], env: dict[str, str], cwd: Path | None = None) -> Timed:
    """Run ``command`` to its end: its wall clock and its process tree's peak memory."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                                start_new_session=True)
        ended: dict[str, Any] = {}

        def wait() -> None:  # wait4 gives the end to the moment and the largest RSS of the tree's processes
            _, status, usage = os.wait4(proc.pid, 0)
            ended["at"], ended["status"], ended["rss_kb"] = time.perf_counter(), status, usage.ru_maxrss

        waiter = threading.Thread(target=wait, daemon=True)
        waiter.start()
        peak = 0
        try:
            while waiter.is_alive():
                peak = max(peak, sum(_rss_kb(pid) for pid in _tree(proc.pid)))
                waiter.join(SAMPLE_SECONDS)
        except BaseException:
            os.killpg(proc.pid, 9)
            raise
        proc.returncode = os.waitstatus_to_exitcode(ended["status"])
        out.seek(0)
        printed = out.read().decode(errors="replace")
    ok = proc.returncode == 0
    return Timed(ended["at"] - started, max(peak, ended["rss_kb"]) / 1024, ok, "" if ok else printed[-2000:])


def median(runs: list[Timed]) -> Timed:
    return Timed(statistics.median(r.seconds for r in runs), statistics.median(r.peak_mb for r in runs))


# ---------------------------------------------------------------- the run


@dataclass
class Contestant:
    """One command to time: how to make it cold, how to run it, where its edits go."""

    name: str
    command: list[str]
    cold: Callable[[], None]
    cwd: Path | None = None
    entries: Path | None = None  # the folder of its copy of the entries


@dataclass
class Comparison:
    label: str
    repeat: int
    figures: dict[str, Timed] = field(default_factory=dict)  # name -> the median of the rounds
    runs: list[dict[str, Timed]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def scratch(name: str) -> Path:
    """A folder for outputs, in memory where the machine has /dev/shm."""
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() and os.access("/dev/shm", os.W_OK) else Path(tempfile.gettempdir())
    return Path(tempfile.mkdtemp(prefix=f"publog-bench-{name}-", dir=base))


def _remove(*paths: Path) -> Callable[[], None]:
    def clean() -> None:
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)
    return clean


def compare(
    journal: Path, search_off: Path, label: str, repeat: int, found: peer_tools.Peers | None,
    env: Callable[[bool], dict[str, str]], clean: Callable[[Path], None],
    log: Callable[[str], None] = lambda s: None, edits: bool = True, edit_after: float = 2.0,
) -> Comparison:
    """Time publog (defaults and `search: false`), Hugo and Eleventy on the same entries.

    ``env(daemon)`` is the environment publog runs in; ``clean(journal)`` ends the build process
    kept for a journal and takes its cache and site away. The journals are copied, and edited only
    as copies.
    """
    result = Comparison(label, repeat)
    out = scratch(label.replace("/", "-"))
    entries = journal / "entries"
    python = [sys.executable, "-m", "publog", "build"]

    def publog(name: str, source: Path) -> Contestant:
        # Its defaults: the site in the journal's _site, beside its cache, as an author's journal has them.
        folder = out / name
        shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".publog-*", "_site"))

        return Contestant(name, [*python, str(folder), "--no-daemon"], lambda: clean(folder), entries=folder / "entries")

    contestants = [publog("publog", journal), publog("publog-search-off", search_off)]
    if found is not None and found.hugo is not None:
        site = peer_tools.hugo_site(entries, out / "hugo-site")
        dest = out / "hugo"
        contestants.append(Contestant("hugo", peer_tools.hugo_command(found.hugo, site, dest),
                                      _remove(dest, site / "resources"), entries=site / "content" / "posts"))
    if found is not None and found.eleventy is not None:
        site = peer_tools.eleventy_site(entries, out / "eleventy-site", found.eleventy)
        dest = out / "eleventy"
        contestants.append(Contestant("eleventy", peer_tools.eleventy_command(found.eleventy, dest),
                                      _remove(dest, site / ".cache"), cwd=site))
    if found is not None:
        result.notes += found.notes
    target = sorted(entries.glob("*.md"))[len(list(entries.glob("*.md"))) // 2].name
    editable = [c for c in contestants if c.name != "eleventy"]
    originals = {c.name: (c.entries / target).read_bytes() for c in editable}

    def edit(c: Contestant, n: int) -> None:
        (c.entries / target).write_bytes(originals[c.name] + EDITED.format(round=n).encode())

    def run(name: str, command: list[str], daemon: bool = False, cwd: Path | None = None) -> Timed:
        timed = measure(command, env(daemon), cwd)
        if not timed.ok:
            raise RuntimeError(f"{name} failed:\n{timed.output}")
        return timed

    try:
        for round_ in range(repeat):
            figures: dict[str, Timed] = {}
            turn = contestants[round_ % len(contestants):] + contestants[: round_ % len(contestants)]
            for c in turn:  # alternating: who goes first changes each round
                c.cold()
                figures[f"cold:{c.name}"] = run(c.name, c.command, cwd=c.cwd)
            if edits:
                for c in editable:
                    edit(c, 2 * round_)
                for c in editable:  # each over its own cold build's output and cache
                    figures[f"edit:{c.name}"] = run(c.name, c.command, cwd=c.cwd)
                for c in (c for c in editable if c.name.startswith("publog")):
                    kept = [a for a in c.command if a != "--no-daemon"]
                    folder = Path(c.command[len(python)])
                    run(c.name, kept, daemon=True)  # the build that leaves the process behind
                    time.sleep(edit_after)
                    edit(c, 2 * round_ + 1)
                    figures[f"kept:{c.name}"] = run(c.name, kept, daemon=True)
                    clean(folder)
                for c in editable:
                    (c.entries / target).write_bytes(originals[c.name])
            result.runs.append(figures)
            log(f"N={label} side by side, round {round_ + 1}/{repeat}: "
                + ", ".join(f"{k} {t.seconds:.2f} s {t.peak_mb:.0f} MB" for k, t in figures.items()))
    finally:
        for c in editable:
            (c.entries / target).write_bytes(originals[c.name])
        for c in contestants:
            c.cold()
        shutil.rmtree(out, ignore_errors=True)
    for key in result.runs[0]:
        result.figures[key] = median([r[key] for r in result.runs])
    return result


# ---------------------------------------------------------------- report

ROWS = (
    ("cold:hugo", "Hugo, cold build"),
    ("cold:eleventy", "Eleventy, cold build"),
    ("cold:publog", "**publog, defaults (search on), cold build**"),
    ("cold:publog-search-off", "publog, `search: false`, cold build"),
    ("edit:publog", "publog after a one-line body edit, `--no-daemon`"),
    ("edit:publog-search-off", "publog, `search: false`, after the edit, `--no-daemon`"),
    ("kept:publog", "publog after the edit, through the kept process"),
    ("kept:publog-search-off", "publog, `search: false`, after the edit, kept process"),
    ("edit:hugo", "Hugo after the same edit (a full rebuild)"),
)


def _x(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a is not None and b else "-"


def table(c: Comparison, floor2: float | None = None) -> str:
    """One size's figures, each with its ratios to Hugo's and Eleventy's cold builds of the same run."""
    f = c.figures
    hugo, eleventy = f.get("cold:hugo"), f.get("cold:eleventy")
    long = c.label[5:] if c.label.startswith("long-") else ""
    what = f"{long} long {'entry' if long == '1' else 'entries'}" if long else f"N={c.label}"
    lines = [f"| {what} (median of {c.repeat}) | wall s | / Hugo cold | / Eleventy cold | peak MB | / Hugo's |",
             "|---|---:|---:|---:|---:|---:|"]
    if floor2 is not None:
        lines.append(f"| Markdown floor, 2 processes | {floor2:.2f} | {_x(floor2, hugo and hugo.seconds)} | "
                     f"{_x(floor2, eleventy and eleventy.seconds)} | - | - |")
    for key, name in ROWS:
        t = f.get(key)
        if t is None:
            continue
        lines.append(f"| {name} | {t.seconds:.2f} | {_x(t.seconds, hugo and hugo.seconds)} | "
                     f"{_x(t.seconds, eleventy and eleventy.seconds)} | {t.peak_mb:.0f} | "
                     f"{_x(t.peak_mb, hugo and hugo.peak_mb)} |")
    cold = f.get("cold:publog")
    if cold:
        for key, name in (("edit:publog", "`--no-daemon`"), ("kept:publog", "kept process")):
            if key in f:
                lines.append(f"| publog's edit ({name}) / its cold build | {f[key].seconds / cold.seconds:.1%} | | | | |")
    for note in c.notes:
        lines.append(f"\n{note}.")
    return "\n".join(lines)


def targets(comparisons: list[Comparison], long: Comparison | None = None, long_count: int = 0) -> list[dict[str, Any]]:
    """The targets of issue 26: (name, value, limit, passed; None when not measured)."""
    by_n = {c.label: c for c in comparisons}
    checks: list[dict[str, Any]] = []

    def check(name: str, value: float | None, limit: float, unit: str = "x") -> None:
        passed = None if value is None else value <= limit if unit == "x" and "at most" in name else value < limit
        checks.append({"target": name, "value": value, "limit": limit, "unit": unit, "passed": passed})

    def ratio(c: Comparison | None, a: str, b: str) -> float | None:
        if c is None or a not in c.figures or b not in c.figures:
            return None
        return c.figures[a].seconds / c.figures[b].seconds

    check("cold build, defaults: at most 1.5x Hugo's, N=4000", ratio(by_n.get("4000"), "cold:publog", "cold:hugo"), 1.5)
    check("cold build, defaults: at most Hugo's, N=10000", ratio(by_n.get("10000"), "cold:publog", "cold:hugo"), 1.0)
    for label in ("1000", "4000", "10000"):
        c = by_n.get(label)
        check(f"one-line edit, `--no-daemon`: under 10% of the cold build, N={label}",
              ratio(c, "edit:publog", "cold:publog"), 0.10)
        check(f"one-line edit, kept process: under 3% of the cold build, N={label}",
              ratio(c, "kept:publog", "cold:publog"), 0.03)
    c10 = by_n.get("10000")
    check("peak memory of the process tree, search on: under 400 MB, N=10000",
          c10.figures["cold:publog"].peak_mb if c10 else None, 400, unit=" MB")
    cold_long = long.figures.get("cold:publog") if long and long_count == 60 else None
    check("60 entries of 80 KB with math and code: cold build under 3 s",
          cold_long.seconds if cold_long else None, 3.0, unit=" s")
    return checks


def target_report(checks: list[dict[str, Any]]) -> str:
    lines = ["| target (issue 26) | measured | limit | result |", "|---|---:|---:|---|"]
    for c in checks:
        value, limit = c["value"], c["limit"]
        if c["unit"] == "x":
            shown = "-" if value is None else f"{value:.1%}" if limit < 1 else f"{value:.2f}x"
            bound = f"{limit:.0%}" if limit < 1 else f"{limit:.2f}x"
        elif c["unit"] == " s":
            shown, bound = ("-" if value is None else f"{value:.2f} s"), f"{limit:g} s"
        else:
            shown, bound = ("-" if value is None else f"{value:.0f} MB"), f"{limit:g} MB"
        verdict = "not measured" if c["passed"] is None else "met" if c["passed"] else "**missed**"
        lines.append(f"| {c['target']} | {shown} | {bound} | {verdict} |")
    return "\n".join(lines)


def as_data(c: Comparison) -> dict[str, Any]:
    def plain(t: Timed) -> dict[str, float]:
        return {"seconds": t.seconds, "peak_mb": t.peak_mb}

    return {"repeat": c.repeat, "figures": {k: plain(t) for k, t in c.figures.items()},
            "runs": [{k: plain(t) for k, t in r.items()} for r in c.runs], "notes": c.notes}
