""""Last tended" from git: an entry's last commit, when it is on a later day than its updated: or date:."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import feedparser
import mf2py

from conftest import entry, write


def git(root: Path, *args: str, when: str = "") -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-c", "user.name=Maya", "-c", "user.email=maya@example.org", "-c", "commit.gpgsign=false",
                    *args], cwd=root, env=env, check=True, capture_output=True)


def commit(root: Path, when: str, message: str = "write") -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, when=when)


def updated(site: Path, url: str) -> str | None:
    """The update date the entry's page shows, as a microformats reader finds it."""
    found = mf2py.parse(doc=(site / url.strip("/") / "index.html").read_text(encoding="utf-8"))
    item = next(i for i in found["items"] if "h-entry" in i["type"])
    shown = item["properties"].get("updated")
    return dt.datetime.strptime(shown[0], "%Y-%m-%dT%H:%M:%S%z").isoformat() if shown else None


def atom(site: Path) -> dict[str, tuple[str, str]]:
    """Each item of the Atom feed by title: its id and its updated date."""
    return {e.title: (e.id, e.updated) for e in feedparser.parse((site / "atom.xml").read_bytes()).entries}


JOURNAL = {
    "publog.yaml": "title: Tended\nbase_url: https://maya.example.org/\ntimezone: Europe/Stockholm\n",
    "entries/2024-05-01-joins.md": entry("Joins", "2024-05-01", body="First take."),
    "entries/2024-05-02-windows.md": entry("Windows", "2024-05-02", updated="2024-07-01", body="Window functions."),
    "entries/2024-04-01-old.md": entry("Old", "2024-04-01", body="Written before the journal was in git."),
    "entries/2024-05-03-same-day.md": entry("Same day", "2024-05-03", body="Typo fixed the same evening."),
}


def make(tmp_path: Path) -> Path:
    root = write(tmp_path / "journal", JOURNAL)
    git(root, "init", "-q")
    commit(root, "2024-05-03T09:00:00+00:00", "plant")
    (root / "entries/2024-05-03-same-day.md").write_text(entry("Same day", "2024-05-03", body="Typo fixed the same evening!"))
    commit(root, "2024-05-03T19:00:00+00:00", "fix a typo")
    return root


def test_the_last_commit_is_the_update_when_it_is_on_a_later_day(tmp_path: Path, publog) -> None:
    root = make(tmp_path)
    assert publog("build", root, "--strict").code == 0
    site = root / "_site"
    before = atom(site)
    assert updated(site, "/2024/joins/") is None  # committed once: planted, never tended since

    for name in ("entries/2024-05-01-joins.md", "entries/2024-05-02-windows.md", "entries/2024-04-01-old.md"):
        (root / name).write_text((root / name).read_text() + "\nTended.\n")
    commit(root, "2024-06-10T08:30:00+00:00", "tend")
    result = publog("build", root, "--strict")
    assert result.code == 0, result.err
    assert updated(site, "/2024/joins/") == "2024-06-10T10:30:00+02:00"  # the commit, in the journal's zone
    assert updated(site, "/2024/old/") == "2024-06-10T10:30:00+02:00"
    assert updated(site, "/2024/windows/") == "2024-07-01T00:00:00+02:00"  # updated: says later than the commit
    assert updated(site, "/2024/same-day/") is None  # its second commit was on the day it was written
    after = atom(site)
    # An entry's feed id never changes when it is tended; its feed date does.
    assert {t: i for t, (i, _) in after.items()} == {t: i for t, (i, _) in before.items()}
    assert after["Joins"][1] == "2024-06-10T10:30:00+02:00" and before["Joins"][1] != after["Joins"][1]
    assert "/2024/joins/" in (site / "tended/index.html").read_text()


def test_a_commit_alone_changes_the_next_build(tmp_path: Path, publog) -> None:
    """The file is edited and built, then committed on a later day with no other change: the check for an
    unchanged journal must not keep the last build's pages."""
    root = make(tmp_path)
    note = root / "entries/2024-05-01-joins.md"
    note.write_text(note.read_text() + "\nTended.\n")
    assert publog("build", root, "--strict").code == 0
    assert updated(root / "_site", "/2024/joins/") is None  # not committed yet
    commit(root, "2024-06-10T08:30:00+00:00", "tend")
    assert publog("build", root, "--strict").code == 0
    assert updated(root / "_site", "/2024/joins/") == "2024-06-10T10:30:00+02:00"


def test_builds_of_the_same_history_are_the_same_bytes(tmp_path: Path, publog) -> None:
    root = make(tmp_path)
    note = root / "entries/2024-05-01-joins.md"
    note.write_text(note.read_text() + "\nTended.\n")
    commit(root, "2024-06-10T08:30:00+00:00", "tend")
    sites = []
    for name in ("a", "b"):
        shutil.rmtree(root / ".publog-cache", ignore_errors=True)
        os.utime(note, (1_800_000_000, 1_800_000_000))  # the files' own times are no input
        assert publog("build", root, "--out", tmp_path / name).code == 0
        sites.append({p.relative_to(tmp_path / name).as_posix(): p.read_bytes()
                      for p in sorted((tmp_path / name).rglob("*")) if p.is_file()})
    assert sites[0] == sites[1]


def test_a_journal_outside_git_has_no_update_from_it(tmp_path: Path, publog) -> None:
    root = write(tmp_path / "journal", JOURNAL)
    assert publog("build", root, "--strict").code == 0
    assert updated(root / "_site", "/2024/joins/") is None
    assert updated(root / "_site", "/2024/windows/") == "2024-07-01T00:00:00+02:00"


def test_a_commit_dated_past_the_clock_or_past_any_calendar_is_no_update(tmp_path: Path, publog) -> None:
    """A commit's date is whatever the machine that made it said: one in the future is not shown as an
    update, and one no calendar holds (a crafted commit) neither, nor does it stop the build."""
    root = make(tmp_path)
    (root / "entries/2024-05-01-joins.md").write_text(entry("Joins", "2024-05-01", body="Second take."))
    commit(root, "@7258118400 +0000", "from the year 2200")
    assert publog("build", root, "--no-daemon").code == 0
    assert updated(root / "_site", "/2024/joins/") is None
    (root / "entries/2024-05-01-joins.md").write_text(entry("Joins", "2024-05-01", body="Third take."))
    git(root, "add", "-A")
    tree = subprocess.run(["git", "write-tree"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    crafted = (f"tree {tree}\nparent {head}\nauthor M <m@example.org> 999999999999999 +0000\n"
               f"committer M <m@example.org> 999999999999999 +0000\n\ncrafted\n")
    made = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--literally", "--stdin"], cwd=root,
                          input=crafted, capture_output=True, text=True, check=True).stdout.strip()
    git(root, "update-ref", "HEAD", made)
    run = publog("build", root, "--no-daemon")
    assert run.code == 0, run.err
    assert "Traceback" not in run.err and "bug" not in run.err
    assert updated(root / "_site", "/2024/joins/") is None
