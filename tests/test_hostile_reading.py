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

from hostile_support import assert_clear, build, cli, problems

GOOD = entry("Good one", "2024-01-01")

# Where a journal's files are read from: entries, files beside them, static files, the theme, settings.
FIFO_PLACES = [
    "entries/x.md",
    "entries/notes.txt",
    "entries/picture.png",
    "static/style.css",
    "theme/templates/base.html",
    "theme/static/extra.css",
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


def test_a_named_pipe_for_publog_yaml_is_one_error_not_opened(journal, tmp_path: Path) -> None:
    # Its never-publish terms and privacy settings cannot be read: building without them could publish them.
    root = journal({"entries/good.md": GOOD})
    os.mkfifo(root / "publog.yaml")
    for command in ("check", "build"):
        result = cli(command, root, timeout=20)
        assert_clear(result)
        assert result.code == 1, result.err
        assert [p for p in problems(result) if p.startswith("publog.yaml:")] == [
            "publog.yaml:1: is not a regular file (a named pipe, socket or device); replace it with a file of settings"]
    assert not (root / "_site").exists()


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


# --- check and build agree ------------------------------------------------------------------------

def _journal(zone: str, *dates: str, cadence: str = "weekly") -> dict[str, str]:
    files = {"publog.yaml": f"timezone: {zone}\ncadence: {cadence}\n"}
    for n, date in enumerate(dates):
        files[f"entries/e{n}.md"] = f"---\ntitle: Entry {n}\ndate: {date}\nupdated: {date}\nkind: log\n---\nText {n}.\n"
    return files


HOSTILE_JOURNALS = {
    "zero date alone": _journal("UTC", "0001-01-01"),
    "zero date, Hugo's form": _journal("UTC", "0001-01-01T00:00:00Z"),
    "zero date east of UTC": _journal("Pacific/Kiritimati", "0001-01-01"),
    "zero date with an offset": _journal("UTC", "'0001-01-01T00:00:00+05:00'"),
    "zero date west of UTC": _journal("America/New_York", "0001-01-01"),
    "last day alone": _journal("UTC", "9999-12-31"),
    "last day west of UTC": _journal("Pacific/Pago_Pago", "9999-12-31"),
    "last instant with an offset": _journal("UTC", "'9999-12-31T23:59:59-05:00'"),
    "last instant east of UTC": _journal("Pacific/Kiritimati", "'9999-12-31T23:59:59'"),
    "first and last together": _journal("Europe/Berlin", "0001-01-01", "9999-12-31", "2024-05-01"),
    "ordinal first and last": _journal("UTC", "'0001-001'", "'9999-365'"),
    "year 0, quoted": _journal("UTC", "'0000-01-01'"),
    "year 0, YAML date": _journal("UTC", "0000-01-01"),
    "year 10000": _journal("UTC", "'10000-01-01'"),
    "year 10000, YAML date": _journal("UTC", "10000-01-01"),
    "zero date, monthly": _journal("UTC", "0001-01-01", cadence="monthly"),
    "last day, biweekly": _journal("UTC", "9999-12-31", cadence="biweekly"),
    "last day, daily": _journal("Pacific/Kiritimati", "9999-12-31", cadence="daily"),
    "a template that does not parse": {
        "entries/a.md": GOOD, "theme/templates/entry.html": "{% if %}\n",
    },
    "an output folder publog did not write": {"entries/a.md": GOOD, "_site/mine.txt": "mine"},
}


@pytest.mark.parametrize("name", HOSTILE_JOURNALS)
def test_check_and_build_agree_on_a_hostile_journal(name: str, journal) -> None:
    root = journal(HOSTILE_JOURNALS[name])
    checked = build("check", root, "--future")
    built = build("build", root, "--future")
    for run in (checked, built):
        assert_clear(run)
    assert (checked.code, problems(checked)) == (built.code, problems(built)), f"check:\n{checked.err}\nbuild:\n{built.err}"
    assert_clear(build("status", root))


@pytest.mark.parametrize("name", ["zero date alone", "zero date with an offset", "first and last together",
                                  "last instant with an offset"])
def test_an_extreme_date_is_published_with_valid_dates(name: str, journal) -> None:
    from test_hostile_dates import invalid_dates

    root = journal(HOSTILE_JOURNALS[name])
    result = build("build", root, "--future")
    assert_clear(result)
    assert result.code == 0, result.err
    assert invalid_dates(root / "_site") == []
    assert "Entry " in (root / "_site/now/index.html").read_text(encoding="utf-8")


# --- folders linked from outside ------------------------------------------------------------------

def test_entries_and_static_linked_from_outside_are_read_and_named_once(journal, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "notes").mkdir(parents=True)
    (elsewhere / "notes/a.md").write_text(entry("Kept elsewhere", "2024-01-01"), encoding="utf-8")
    (elsewhere / "assets").mkdir()
    (elsewhere / "assets/style.css").write_text("body { color: teal }\n", encoding="utf-8")
    root = journal({"publog.yaml": "title: Linked\n"})
    (root / "entries").symlink_to(elsewhere / "notes", target_is_directory=True)
    (root / "static").symlink_to(elsewhere / "assets", target_is_directory=True)
    for command in ("check", "build"):
        result = build(command, root)
        assert_clear(result)
        assert result.code == 0, result.err
        for name in ("entries", "static"):
            said = [p for p in problems(result) if p.startswith(f"{name}:1: warning: is a link to a folder outside the journal; publog reads it")]
            assert len(said) == 1, result.err
    assert "Kept elsewhere" in (root / "_site/index.html").read_text(encoding="utf-8")
    assert (root / "_site/style.css").read_text(encoding="utf-8") == "body { color: teal }\n"
