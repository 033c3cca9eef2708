"""Where an entry's date comes from, and what 'in the future' means."""

from __future__ import annotations

import os
import subprocess

import pytest

from conftest import entry


def published(root) -> str:
    return (root / "_site/archive/index.html").read_text()


@pytest.mark.parametrize(
    "written, expected",
    [
        ("2024-05-01", "2024-05-01T00:00:00+02:00"),
        ("2024-05-01 21:15", "2024-05-01T21:15:00+02:00"),
        ("2024-05-01T21:15:30", "2024-05-01T21:15:30+02:00"),
        ("2024-05-01T21:15:00+09:00", "2024-05-01T21:15:00+09:00"),
        ("2024-05-01T19:15:00Z", "2024-05-01T19:15:00+00:00"),
        ("2024-01-15 08:00", "2024-01-15T08:00:00+01:00"),  # winter time
    ],
)
def test_dates_use_the_journal_timezone_when_they_have_no_offset(journal, publog, written, expected) -> None:
    root = journal({"publog.yaml": "timezone: Europe/Berlin\n", "entries/a.md": entry(date=written)})
    assert publog("build", root).code == 0, publog("check", root).err
    assert f'datetime="{expected}"' in (root / "_site/2024/a/index.html").read_text()


def test_date_from_file_name(journal, publog) -> None:
    root = journal({"entries/2023-11-05-named.md": "---\ntitle: Named\n---\nText\n"})
    assert publog("build", root).code == 0
    assert 'datetime="2023-11-05T00:00:00+00:00"' in (root / "_site/2023/named/index.html").read_text()


def test_date_from_modification_time(journal, publog) -> None:
    root = journal({"entries/undated.md": "# Undated\n\nText\n"})
    stamp = 1_600_000_000  # 2020-09-13T12:26:40Z
    os.utime(root / "entries/undated.md", (stamp, stamp))
    assert publog("build", root).code == 0
    assert 'datetime="2020-09-13T12:26:40+00:00"' in (root / "_site/2020/undated/index.html").read_text()


def test_date_from_first_git_commit(journal, publog) -> None:
    root = journal({"entries/undated.md": "# Undated\n\nText\n"})
    env = {**os.environ, "GIT_AUTHOR_DATE": "2022-02-03T04:05:06Z", "GIT_COMMITTER_DATE": "2022-02-03T04:05:06Z",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "."], cwd=root, check=True)
    subprocess.run(["git", "commit", "-qm", "first"], cwd=root, check=True, env=env)
    # a later commit of the same file does not move its date
    (root / "entries/undated.md").write_text("# Undated\n\nText, edited\n")
    later = {**env, "GIT_AUTHOR_DATE": "2023-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2023-01-01T00:00:00Z"}
    subprocess.run(["git", "commit", "-qam", "edit"], cwd=root, check=True, env=later)
    assert publog("build", root).code == 0
    assert 'datetime="2022-02-03T04:05:06+00:00"' in (root / "_site/2022/undated/index.html").read_text()


def test_same_instant_entries_have_a_stable_order(journal, publog) -> None:
    root = journal({f"entries/{c}.md": entry(f"Entry {c}", "2024-05-01 10:00") for c in "dbca"})
    publog("build", root)
    home = (root / "_site/index.html").read_text()
    positions = [home.index(f"Entry {c}<") for c in "abcd"]
    assert positions == sorted(positions)
