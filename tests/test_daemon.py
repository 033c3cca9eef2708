"""`publog build` keeps a warm build process that takes the next build (daemon.py).

Each test runs the real command in processes of its own, as a user does, and checks the site
against a build made from nothing in a process of its own (--no-daemon) into another folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pytest

from conftest import REPO, Run, entry, snapshot, write
from publog.run import daemon

pytestmark = pytest.mark.slow


def cli(*args: str | Path, env: dict[str, str] | None = None, python: str = sys.executable) -> Run:
    proc = subprocess.run(
        [python, "-m", "publog", *map(str, args)], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO / "src"), "PUBLOG_DAEMON": "1", "PUBLOG_DAEMON_IDLE": "60",
             **(env or {})},
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def kept(journal: Path) -> set[int]:
    """The processes that are `publog build` of this journal: after a build has returned, its kept copy."""
    named = os.fsencode(str(journal))
    found = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"build" in words and named in words:
            found.add(int(pid))
    return found


def gone(journal: Path, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not kept(journal):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Path]:
    journal = write(tmp_path / "journal", {
        "publog.yaml": "title: Kept\nbase_url: https://example.org/\n",
        **{f"entries/2024-05-0{n}-day-{n}.md": entry(f"Day {n}", f"2024-05-0{n}", f"Text of day {n}.", tags="[sql, habits]")
           for n in range(1, 6)},
    })
    yield journal
    (journal / ".publog-cache" / "build.sock").unlink(missing_ok=True)
    if not gone(journal):
        for pid in kept(journal):
            os.kill(pid, 9)
        pytest.fail("a kept build process outlived its socket")


def clean_build(journal: Path, out: Path) -> dict[str, tuple[bytes, int]]:
    """The site as a build from nothing in a process of its own makes it."""
    copy = journal.parent / "copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(journal, copy, ignore=shutil.ignore_patterns(".publog-cache", "_site"))
    run = cli("build", copy, "--no-daemon", "--out", out)
    assert run.code == 0, run.err
    return {name: data for name, (data, _) in snapshot(out).items()}


def built(journal: Path) -> dict[str, bytes]:
    return {name: data for name, (data, _) in snapshot(journal / "_site").items()}


def test_the_next_build_is_the_kept_process_s_and_makes_the_same_site(site: Path, tmp_path: Path) -> None:
    first = cli("build", site)
    assert first.code == 0, first.err
    assert (site / ".publog-cache" / "build.sock").exists()
    (warm,) = kept(site)  # the command returned, and left one copy of itself

    changes = [
        lambda: (site / "entries/2024-05-03-day-3.md").write_text(entry("Day 3", "2024-05-03", "Text of day 3, edited."), encoding="utf-8"),
        lambda: (site / "entries/2024-05-02-day-2.md").write_text(entry("Day two", "2024-05-02", "Text of day 2.", tags="[sql, habits]"), encoding="utf-8"),
        lambda: (site / "entries/2024-05-04-day-4.md").write_text(entry("Day 4", "2024-05-04", "Text of day 4.", tags="[sql, reading]"), encoding="utf-8"),
        lambda: (site / "entries/2024-05-09-day-9.md").write_text(entry("Day 9", "2024-05-09", "A new one, see [day 1](2024-05-01-day-1.md)."), encoding="utf-8"),
        lambda: (site / "entries/2024-05-05-day-5.md").unlink(),
        lambda: (site / "entries/2024-05-01-day-1.md").write_text(entry("Day 1", "2024-05-01", "Text.", draft="true"), encoding="utf-8"),
    ]
    for n, change in enumerate(changes):
        change()
        run = cli("build", site)
        assert run.code == 0, run.err
        assert kept(site) == {warm}, "the build was the kept process's: no other was started"
        assert built(site) == clean_build(site, tmp_path / f"clean-{n}"), f"change {n}"
    again = cli("build", site)
    assert "(0 written)" in again.out and kept(site) == {warm}


def test_a_process_kept_after_an_unchanged_build_makes_the_same_site_after_edits(site: Path, tmp_path: Path) -> None:
    """The build that leaves it placed and planned nothing (the journal was as it was): the copy does both
    while it waits, and the builds it takes then make the site a build from nothing makes."""
    assert cli("build", site, "--no-daemon").code == 0
    unchanged = cli("build", site)
    assert unchanged.code == 0 and "(0 written)" in unchanged.out
    (warm,) = kept(site)
    time.sleep(1.5)  # while it places and plans
    (site / "entries/2024-05-03-day-3.md").write_text(entry("Day 3", "2024-05-03", "Text of day 3, edited."), encoding="utf-8")
    run = cli("build", site)
    assert run.code == 0, run.err
    assert kept(site) == {warm}
    assert built(site) == clean_build(site, tmp_path / "clean-edit")
    (site / "entries/2024-05-02-day-2.md").write_text("---\ntitle: [broken\n---\nText.\n", encoding="utf-8")
    broken = cli("build", site)
    assert broken.code == 1 and "entries/2024-05-02-day-2.md:" in broken.err


def test_problems_come_back_as_from_a_build_of_its_own_and_the_site_stays(site: Path) -> None:
    assert cli("build", site).code == 0
    before = snapshot(site / "_site")
    (site / "entries/2024-05-03-day-3.md").write_text("---\ntitle: [broken\n---\nText.\n", encoding="utf-8")
    run = cli("build", site)
    own = cli("build", site, "--no-daemon")
    assert run.code == own.code == 1
    assert run.err == own.err and "entries/2024-05-03-day-3.md:3:" in run.err and "nothing was written" in run.err
    assert snapshot(site / "_site") == before


def test_another_publog_is_not_served_by_the_kept_process(site: Path, tmp_path: Path) -> None:
    assert cli("build", site).code == 0
    (old,) = kept(site)
    upgraded = tmp_path / "upgraded"  # publog's code changed since the kept process started: an upgrade, say
    shutil.copytree(REPO / "src" / "publog", upgraded / "publog", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "themes", upgraded / "publog" / "themes", dirs_exist_ok=True)
    with open(upgraded / "publog" / "__init__.py", "a", encoding="utf-8") as f:
        f.write("# a later version\n")
    (site / "entries/2024-05-03-day-3.md").write_text(entry("Day 3", "2024-05-03", "Edited."), encoding="utf-8")
    run = cli("build", site, env={"PYTHONPATH": str(upgraded)})
    assert run.code == 0, run.err
    assert gone_pid(old), "the kept process of the old publog ended"
    assert len(kept(site)) == 1 and kept(site) != {old}  # the caller built, and keeps its own
    assert built(site) == clean_build(site, tmp_path / "clean")


def gone_pid(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists():
            return True
        time.sleep(0.05)
    return False


def test_a_build_beside_the_kept_process_is_seen_by_it(site: Path, tmp_path: Path) -> None:
    assert cli("build", site).code == 0
    (site / "entries/2024-05-03-day-3.md").write_text(entry("Day 3", "2024-05-03", "Edited by hand."), encoding="utf-8")
    assert cli("build", site, "--no-daemon").code == 0  # replaces the site, the manifest and cache rows
    (site / "entries/2024-05-04-day-4.md").write_text(entry("Day four", "2024-05-04", "Edited again."), encoding="utf-8")
    (site / "entries/2024-05-05-day-5.md").unlink()
    assert cli("build", site).code == 0
    assert built(site) == clean_build(site, tmp_path / "clean")


def test_it_ends_when_idle_or_when_its_cache_goes_and_none_is_kept_in_ci(site: Path) -> None:
    assert cli("build", site, env={"PUBLOG_DAEMON_IDLE": "1"}).code == 0
    assert kept(site)
    assert gone(site), "ended after a second without a build"
    assert not (site / ".publog-cache" / "build.sock").exists()

    assert cli("build", site).code == 0 and kept(site)
    shutil.rmtree(site / ".publog-cache")
    assert gone(site), "ended when its cache folder was deleted"
    assert cli("build", site).code == 0
    (site / ".publog-cache" / "build.sock").unlink()
    assert gone(site)

    for env, args in (({"PUBLOG_DAEMON": "", "CI": "true"}, ()), ({}, ("--no-daemon",)), ({"PUBLOG_DAEMON": "0"}, ())):
        assert cli("build", site, *args, env=env).code == 0
        assert not kept(site) and not (site / ".publog-cache" / "build.sock").exists(), (env, args)


def test_at_most_a_few_are_kept_the_journals_built_last(tmp_path: Path) -> None:
    # A script that builds many journals in a row: the processes of the ones built first end.
    journals = [write(tmp_path / f"j{n}", {"publog.yaml": "base_url: https://example.org/\n",
                                            "entries/2024-05-01-a.md": entry("A", "2024-05-01")})
                for n in range(daemon.MOST_KEPT + 2)]
    try:
        for journal in journals:
            run = cli("build", journal)
            assert run.code == 0, run.err
            assert "A build process stays warm for this journal's next build" in run.out
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(kept(j) for j in journals[:2]):
            time.sleep(0.1)
        assert not kept(journals[0]) and not kept(journals[1])  # the first two built are outnumbered
        assert kept(journals[-1])  # (another test's kept process, made meanwhile, may outnumber more of these)
        assert "keeps none" not in cli("build", journals[0], "--no-daemon").out
    finally:
        for journal in journals:
            (journal / ".publog-cache" / "build.sock").unlink(missing_ok=True)
            for pid in kept(journal):
                os.kill(pid, 9)


def test_a_site_on_another_file_system_is_replaced_and_the_old_one_deleted_while_it_waits(site: Path, tmp_path: Path) -> None:
    """With the site on another file system than the cache, no previous site can be kept to make the next
    one in: the kept process deletes the site each build replaced once it has answered, and leaves none."""
    other = Path("/dev/shm")
    if not other.is_dir() or os.stat(other).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("no second file system to put the site on")
    holder = Path(tempfile.mkdtemp(dir=other, prefix="publog-test-"))
    out = holder / "site"
    try:
        assert cli("build", site, "--out", out).code == 0
        for n in range(3):
            (site / "entries/2024-05-03-day-3.md").write_text(entry("Day 3", "2024-05-03", f"Edited {n} times."), encoding="utf-8")
            run = cli("build", site, "--out", out)
            assert run.code == 0, run.err
            clean = clean_build(site, tmp_path / f"clean-{n}")
            assert {name: data for name, (data, _) in snapshot(out).items()} == clean
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(os.listdir(holder)) > 1:
            time.sleep(0.05)
        assert os.listdir(holder) == ["site"]
    finally:
        shutil.rmtree(holder, ignore_errors=True)


def test_a_kept_process_ended_by_a_signal_cleans_up_as_when_idle(site: Path) -> None:
    """`kill` (or a shutdown) ends it through its cleanup: it deletes what it made beside the output folder
    and its socket, as when it ends idle, rather than leave them for the next build."""
    assert cli("build", site).code == 0
    (warm,) = kept(site)
    os.kill(warm, 15)
    assert gone(site)
    assert not (site / ".publog-cache" / "build.sock").exists()


def test_the_kept_process_answers_once_the_site_is_in_place_before_it_saves_its_cache(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The caller is told as soon as its site is in place; what makes the next build quick (the cache, the
    record of an unchanged journal) is saved after, while the caller has gone on."""
    import json
    import socket
    import threading

    from publog.run import cache as cache_mod
    from publog.run.session import Session

    assert cli("build", site, "--no-daemon").code == 0
    (site / "entries/2024-05-01-day-1.md").write_text(entry("Day 1", "2024-05-01", "Edited text.", tags="[sql]"))
    saving, release = threading.Event(), threading.Event()
    save = cache_mod.Cache.save

    def held(self, *args, **kwargs):
        saving.set()
        release.wait(10)
        return save(self, *args, **kwargs)

    monkeypatch.setattr(cache_mod.Cache, "save", held)
    ours, theirs = socket.socketpair()
    request = {**daemon._identity(), "journal": os.path.realpath(site),
               "options": {"out": None, "drafts": False, "future": False, "strict": False, "jobs": 1}}
    theirs.sendall(json.dumps(request).encode() + b"\n")
    taken: list[object] = []
    worker = threading.Thread(target=lambda: taken.append(daemon._take(ours, site, Session(site), daemon._identity(),
                                                                       os.path.realpath(site))))
    worker.start()
    try:
        theirs.settimeout(20)
        reply = next(r for r in map(json.loads, theirs.makefile("rb")) if "progress" not in r)
        assert reply["result"]["written"] >= 1 and not reply["result"]["problems"]
        assert saving.wait(10) and worker.is_alive()  # answered before the cache was saved
        assert "Edited text." in (site / "_site/2024/day-1/index.html").read_text()
    finally:
        release.set()
        worker.join(20)
        ours.close()
        theirs.close()
    assert taken and taken[0][0] is True


def test_a_file_changed_right_after_the_answer_is_built_by_the_next_build(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The record of an unchanged journal looks at the inputs as they are when it is written: it is written
    before the caller is answered, or a file the caller changes at once would be taken for built."""
    import json
    import socket
    import threading

    from publog.run import build as build_mod
    from publog.run.build import Options, build
    from publog.run.session import Session

    (site / "static").mkdir()
    (site / "static/style.css").write_text("body { color: black; }\n")
    assert cli("build", site, "--no-daemon").code == 0
    (site / "entries/2024-05-01-day-1.md").write_text(entry("Day 1", "2024-05-01", "Edited text.", tags="[sql]"))
    changed = threading.Event()
    remember = build_mod.remember

    def late(*args, **kwargs):  # as if the record took long to make, and the caller went on meanwhile
        changed.wait(3)
        return remember(*args, **kwargs)

    monkeypatch.setattr(build_mod, "remember", late)
    ours, theirs = socket.socketpair()
    request = {**daemon._identity(), "journal": os.path.realpath(site),
               "options": {"out": None, "drafts": False, "future": False, "strict": False, "jobs": 1}}
    theirs.sendall(json.dumps(request).encode() + b"\n")
    worker = threading.Thread(target=daemon._take, args=(ours, site, Session(site), daemon._identity(),
                                                         os.path.realpath(site)))
    worker.start()
    try:
        theirs.settimeout(20)
        assert "result" in next(r for r in map(json.loads, theirs.makefile("rb")) if "progress" not in r)
        (site / "static/style.css").write_text("body { color: navy; }\n")
        changed.set()
    finally:
        worker.join(20)
        ours.close()
        theirs.close()
    monkeypatch.setattr(build_mod, "remember", remember)
    assert build(site, Options()).ok
    assert (site / "_site/style.css").read_text() == "body { color: navy; }\n"
