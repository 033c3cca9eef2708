"""Warnings a build gives on doubtful input, each at its file and line, and the build goes on."""

from __future__ import annotations

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
