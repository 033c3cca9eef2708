"""Hostile journals, reading (issue 23): only regular files are read, links to folders outside are
named, and `publog check` finds what `publog build` finds.

A named pipe opened for reading blocks until something writes to it: one named like an entry hung
the build while it held the journal's lock. A socket or a device is no file to publish either.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from conftest import entry
from hostile_support import assert_clear, cli, problems

GOOD = entry("Good one", "2024-01-01")

# Where a journal's files are read from: entries, files beside them, static files, the theme, settings.
FIFO_PLACES = [
    "entries/x.md",
    "entries/notes.txt",
    "entries/picture.png",
    "static/style.css",
    "theme/templates/base.html",
    "theme/static/extra.css",
    "publog.yaml",
    "network.yaml",
    "hugo.toml",
    ".obsidian/templates.json",
    "mentions/x.json",
    "pulled/x.json",
]


@pytest.mark.parametrize("place", FIFO_PLACES)
def test_a_named_pipe_is_skipped_with_a_warning_not_opened(place: str, journal, tmp_path: Path) -> None:
    root = journal({"entries/good.md": GOOD + "\n![a picture](picture.png)\n"})
    (root / place).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(root / place)
    for command in ("check", "build"):
        result = cli(command, root, timeout=20)
        assert_clear(result)
        assert result.code == 0, result.err
        assert f"{place}:1: warning: not a regular file; skipped" in problems(result), result.err
    assert (root / "_site/index.html").is_file()


def test_a_socket_beside_the_entries_is_skipped_with_a_warning(journal, tmp_path: Path, monkeypatch) -> None:
    root = journal({"entries/good.md": GOOD})
    held = socket.socket(socket.AF_UNIX)
    monkeypatch.chdir(root)  # a socket's path has a short limit: bind it by a relative name
    held.bind("entries/sock.md")
    try:
        result = cli("build", root, timeout=20)
    finally:
        held.close()
    assert_clear(result)
    assert result.code == 0, result.err
    assert "entries/sock.md:1: warning: not a regular file; skipped" in problems(result), result.err
