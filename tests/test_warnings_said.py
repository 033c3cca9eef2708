"""Warnings a build gives on doubtful input, each at its file and line, and the build goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import entry
from publog.render import search


def test_a_hugo_config_that_is_not_toml_is_a_warning_and_the_folder_builds(journal, publog) -> None:
    root = journal({"hugo.toml": 'title = "Notes\nbaseURL = https://x.example/\n',
                    "content/posts/a.md": entry("A", "2024-01-01", "Text.")})
    run = publog("build", root, "--no-daemon")
    assert run.code == 0, run.err
    assert "hugo.toml:1: warning: is not valid TOML (" in run.err and "its settings are not used" in run.err


def test_a_config_that_is_not_utf8_is_a_warning(journal, publog) -> None:
    root = journal({"hugo.toml": b'title = "Caf\xe9"\n', "content/posts/a.md": entry("A", "2024-01-01", "Text.")})
    run = publog("build", root, "--no-daemon")
    assert run.code == 0, run.err
    assert "hugo.toml:1: warning: cannot be read as UTF-8 text; its settings are not used" in run.err


def test_a_clipped_title_list_in_a_vault_is_joined_with_a_warning_at_its_line(journal, publog) -> None:
    """A web clipper writes the title as a list; Obsidian and Quartz show it as text, and so does publog."""
    root = journal({".obsidian/app.json": "{}",
                    "Clippings/a.md": "---\ndate: 2024-01-01\ntitle: [Part one, Part two]\n---\nText.\n"})
    run = publog("build", root, "--no-daemon")
    assert run.code == 0, run.err
    assert "Clippings/a.md:3: warning: 'title' is a list; publog joined it into 'Part one, Part two'" in run.err


def test_search_without_pagefind_is_a_warning_and_the_site_builds_without_it(
        journal, publog, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "_pagefind", lambda: None)
    root = journal({"publog.yaml": "title: T\nbase_url: https://example.org/\n",
                    "entries/2024-01-01-a.md": entry("A", "2024-01-01", "Text.")})
    run = publog("build", root, "--no-daemon")
    assert run.code == 0, run.err
    assert "publog.yaml:1: warning: search is on but Pagefind is not installed" in run.err
    assert not (root / "_site/pagefind").exists() and (root / "_site/2024/a/index.html").is_file()


def test_an_entry_with_no_text_yet_is_a_warning_at_its_body_until_written(journal, publog) -> None:
    """publog new writes front matter only: built at once, the entry would be published with nothing to read."""
    root = journal({"publog.yaml": "title: T\nbase_url: https://example.org/\nsearch: false\n", "entries/.keep": ""})
    made = publog("new", "What I learned", "--journal", root)
    path = Path(made.out.strip()).resolve().relative_to(root.resolve()).as_posix()
    run = publog("build", root, "--no-daemon")
    assert run.code == 0
    lines = (root / path).read_text().splitlines()
    assert f"{path}:{len(lines) + 1}: warning: has no text yet: write it below the front matter" in run.err
    assert publog("build", root, "--no-daemon", "--strict").code == 1
    (root / path).write_text((root / path).read_text() + "Joins keep every pair of rows that match.\n")
    assert "has no text yet" not in publog("build", root, "--no-daemon").err
