"""An Obsidian vault builds as a journal, and only what its author chose is published.

The test vault (tests/data/import/obsidian) is laid out as vaults are: .obsidian/,
notes in folders with and without properties and titled by their file names, an
attachments folder, a templates folder, embeds, callouts, comments and #tags.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from import_support import broken_links, content, copy, page, site_file, site_text

from publog.run.build import Options, build

BASE = "http://localhost:8000/"
SECRETS = ("I almost gave up", "A longer thought", "with a list", "Acme", "Secret Plan", "Tired today", "2024-05-03")


def test_a_vault_builds_with_no_configuration(tmp_path: Path, publog) -> None:
    root = copy("obsidian", tmp_path)
    result = publog("build", root)
    assert result.code == 0, result.err
    journal = build(root, Options(check_only=True)).journal
    assert {e.path: (e.title, e.url) for e in journal.entries} == {
        "Learning Rust.md": ("Learning Rust", "/Learning-Rust/"),  # titled by its file name; its URL follows its path
        "Concepts/Ownership.md": ("Ownership", "/Concepts/Ownership/"),
        "Concepts/Borrowing.md": ("Borrowing", "/Concepts/Borrowing/"),
        "Home.md": ("Home", "/"),  # Obsidian Publish's permalink
        "Slow notes.md": ("Slow notes", "/slow/"),  # a permalink without its leading slash
        "Loop.md": ("Loop", "/Loop/"),
        "Undated thought.md": ("Undated thought", journal.by_path["Undated thought.md"].url),
    }
    # Templates/ (named in .obsidian/templates.json) holds templates, not notes.
    assert not any("Daily note" in e.title for e in journal.entries)


def test_an_undated_note_is_dated_by_its_file(tmp_path: Path) -> None:
    root = copy("obsidian", tmp_path)
    os.utime(root / "Undated thought.md", (1_700_000_000, 1_700_000_000))  # November 2023
    entry = build(root, Options(check_only=True)).journal.by_path["Undated thought.md"]
    assert entry.date.year == 2023 and entry.url == "/Undated-thought/"  # a vault's URLs follow its paths


def test_a_note_whose_permalink_is_slash_is_the_home_page(tmp_path: Path, publog) -> None:
    root = copy("obsidian", tmp_path)
    assert publog("build", root).code == 0
    home = page(root, "/")
    assert "Welcome to my garden" in content(home)
    assert '<a href="/Learning-Rust/">Learning Rust</a>' in content(home)


def test_wiki_links_find_notes_by_file_name_and_alias(tmp_path: Path, publog) -> None:
    root = copy("obsidian", tmp_path)
    assert publog("build", root).code == 0
    html = content(page(root, "/Learning-Rust/"))
    assert '<a href="/Concepts/Ownership/">Ownership</a>' in html
    assert '<a href="/Concepts/Borrowing/">the borrowing note</a>' in html
    # 'move semantics' is one of Ownership's aliases (a name, not a path).
    assert '<a href="/Concepts/Ownership/">move semantics</a>' in content(page(root, "/Concepts/Borrowing/"))


def test_embeds_show_the_note_its_section_or_the_image(tmp_path: Path, publog) -> None:
    root = copy("obsidian", tmp_path)
    assert publog("build", root).code == 0
    html = content(page(root, "/Learning-Rust/"))
    embeds = re.findall(r'<div class="embed">\n<p class="embed-source">(.*?)</p>\n(.*?)</div>', html, re.S)
    assert [source for source, _ in embeds] == ['<a href="/Concepts/Ownership/">Ownership</a>',
                                                '<a href="/Concepts/Ownership/#moves">Ownership</a>']
    whole, section = embeds[0][1], embeds[1][1]
    assert "Every value has one owner." in whole and "<h2>Copies</h2>" in whole
    assert section == "<h2>Moves</h2>\n<p>Values move into functions.</p>\n"
    # The image is found in Attachments/, anywhere in the vault as Obsidian finds it.
    assert '<img src="/Attachments/diagram.png" alt="" width="400" />' in html
    assert (root / "_site/Attachments/diagram.png").is_file()


def test_a_note_embedding_itself_shows_once(tmp_path: Path, publog) -> None:
    root = copy("obsidian", tmp_path)
    assert publog("build", root).code == 0
    html = content(page(root, "/Loop/"))
    assert html.strip() == "<p>A note that shows itself:</p>"


def test_callouts_highlights_and_tags(tmp_path: Path, publog) -> None:
    root = copy("obsidian", tmp_path)
    assert publog("build", root).code == 0
    html = content(page(root, "/Learning-Rust/"))
    assert ('<div class="callout callout-tip" data-callout="tip" role="note">\n<p class="callout-title">Read the book</p>\n'
            "<p>The Rust book is free, and <strong>good</strong>.</p>\n</div>") in html
    assert ('<details class="callout callout-warning" data-callout="warning">\n'
            '<summary class="callout-title">Spoilers ahead</summary>\n<p>Lifetimes are hard.</p>\n</details>') in html
    assert "<p><mark>The borrow checker is my friend.</mark></p>" in html
    assert '<a href="/topics/rust/" class="tag">#rust</a>' in html
    assert '<a href="/topics/rust-ownership/" class="tag">#rust/ownership</a>' in html
    journal = build(root, Options(check_only=True)).journal
    assert journal.by_path["Learning Rust.md"].topics == ("learning", "rust", "rust-ownership")
    assert "/Learning-Rust/" in page(root, "/topics/rust/")


def test_comments_private_and_unpublished_notes_never_reach_the_site(tmp_path: Path, publog) -> None:
    root = copy("obsidian", tmp_path)
    assert publog("build", root).code == 0
    html = content(page(root, "/Learning-Rust/"))
    # A link to a private note (private: true) or an unpublished one (publish: false) is plain text, without its name.
    assert "Not <a class=\"missing-link\">a private note</a>, nor <a class=\"missing-link\">a private note</a>." in html
    text = site_text(root)
    for secret in SECRETS:
        assert secret not in text, secret
    assert not any("Journal" in str(p) for p in (root / "_site").rglob("*"))


def test_publish_in_publog_yaml_publishes_only_what_the_author_chose(tmp_path: Path, publog) -> None:
    root = copy("obsidian", tmp_path)
    (root / "publog.yaml").write_text("publish:\n  require: true\n  exclude: [Concepts]\n")
    for name in ("Learning Rust.md", "Concepts/Ownership.md"):
        note = root / name
        note.write_text(note.read_text().replace("---\n", "---\npublish: true\n", 1))
    result = publog("build", root, "--strict")  # links to notes left out on purpose are no warnings
    assert result.code == 0, result.err
    journal = build(root, Options(check_only=True)).journal
    assert [e.path for e in journal.entries] == ["Learning Rust.md"]  # Ownership is in an excluded folder
    html = content(page(root, "/Learning-Rust/"))
    assert "Ownership" not in html and "Borrowing" not in html and "embed" not in html
    assert html.count('<a class="missing-link">a private note</a>') == 3  # Ownership, Secret Plan, the daily note
    assert '<a class="missing-link">the borrowing note</a>' in html  # the author's own words for the link stay
    assert not site_file(root, "/Concepts/Ownership/").exists() and not site_file(root, "/slow/").exists()


def test_a_folder_that_publog_yaml_declares_a_vault_is_one(journal, publog) -> None:
    root = journal({
        "publog.yaml": "layout: obsidian\n",
        "Reading list.md": "---\ncreated: 2024-06-01\n---\nBooks I want to read. See [[Notes/Gardening]].\n",
        "Notes/Gardening.md": "---\ncreated: 2024-06-02\n---\nA digital garden grows.\n",
    })
    assert publog("build", root, "--strict").code == 0
    assert '<a href="/Notes/Gardening/">Notes/Gardening</a>' in content(page(root, "/Reading-list/"))


def test_every_link_and_embed_resolves_in_the_built_site(tmp_path: Path, publog) -> None:
    root = copy("obsidian", tmp_path)
    assert publog("build", root).code == 0
    assert broken_links(root, BASE) == []


def test_a_rebuild_from_the_cache_shows_the_same_notes(tmp_path: Path, publog) -> None:
    root = copy("obsidian", tmp_path)
    assert publog("build", root).code == 0
    first = page(root, "/Learning-Rust/")
    (root / "publog.yaml").write_text("title: My garden\n")  # a new setting: every page again, from cached notes
    assert publog("build", root).code == 0
    assert content(page(root, "/Learning-Rust/")) == content(first)
