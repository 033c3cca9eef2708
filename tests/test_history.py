"""`history: true`: an entry's revisions from git, shown on its page."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from conftest import entry


def git(root: Path, *args: str, when: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "M",
           "GIT_AUTHOR_EMAIL": "m@example.org", "GIT_COMMITTER_NAME": "M", "GIT_COMMITTER_EMAIL": "m@example.org"}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_history_lists_every_revision_newest_first(journal, publog) -> None:
    root = journal({"entries/2024-01-01-a.md": entry("A", "2024-01-01", history="true", body="First."),
                    "entries/2024-01-02-b.md": entry("B", "2024-01-02")})
    git(root, "init", "-q", when="2024-01-01T10:00:00+00:00")
    git(root, "add", ".", when="2024-01-01T10:00:00+00:00")
    git(root, "commit", "-qm", "Plant the note", when="2024-01-01T10:00:00+00:00")
    (root / "entries/2024-01-01-a.md").write_text(entry("A", "2024-01-01", history="true", body="First. Then more."))
    git(root, "commit", "-qam", "Tend: add what I learned", when="2024-02-03T09:00:00+00:00")
    assert publog("build", root, "--strict").code == 0
    page = (root / "_site/2024/a/index.html").read_text()
    assert re.findall(r"<li><time[^>]*>([^<]+)</time> ([^<]+) <code>", page) == [
        ("3 February 2024", "Tend: add what I learned"), ("1 January 2024", "Plant the note")]
    assert "History: 2 revisions" in page
    assert "History" not in (root / "_site/2024/b/index.html").read_text()


def test_history_outside_git_is_a_warning(journal, publog) -> None:
    root = journal({"entries/2024-01-01-a.md": entry("A", "2024-01-01", history="true")})
    result = publog("build", root)
    assert result.code == 0
    assert result.problems == ["entries/2024-01-01-a.md:4: warning: 'history: true' needs the journal to be a git "
                               "repository with this file committed; commit it, or remove the key"]


def test_without_dates_in_front_matter_git_gives_planted_and_last_tended(journal, publog) -> None:
    root = journal({"entries/garden-note.md": "---\ntitle: Garden note\nstage: seedling\n---\nA seed.\n"})
    git(root, "init", "-q", when="2024-03-01T10:00:00+00:00")
    git(root, "add", ".", when="2024-03-01T10:00:00+00:00")
    git(root, "commit", "-qm", "Plant", when="2024-03-01T10:00:00+00:00")
    assert publog("build", root, "--strict").code == 0
    page = (root / "_site/2024/garden-note/index.html").read_text()
    assert 'datetime="2024-03-01T10:00:00+00:00"' in page and "dt-updated" not in page  # planted, never tended
    (root / "entries/garden-note.md").write_text("---\ntitle: Garden note\nstage: budding\n---\nA seed, growing.\n")
    git(root, "commit", "-qam", "Tend", when="2024-04-15T08:30:00+00:00")
    assert publog("build", root, "--strict").code == 0
    page = (root / "_site/2024/garden-note/index.html").read_text()
    assert re.search(r'[Ll]ast tended <time class="dt-updated" datetime="2024-04-15T08:30:00\+00:00">15 April 2024</time>', page)
    assert 'class="dt-published" datetime="2024-03-01T10:00:00+00:00"' in page
