"""Real folders build as their own tool shows them (issue 24): titles, front matter, control characters.

Each journal here is laid out as the real folders the sweep found are: a TIL repository (a plain
folder of Markdown, as GitHub shows it), an Obsidian vault, a Quartz garden's content folder, a Hugo
site, a Jekyll blog. What their tool shows, publog builds, with a `path:line: warning:` where it had
to decide something; what would publish the wrong thing (a private note) stays an error.
"""

from __future__ import annotations

from pathlib import Path

from hostile_support import assert_clear, assert_fails_with, guarded_build, problems, token

from conftest import write
from publog.build import Options, build

def entries(root: Path) -> dict[str, object]:
    """path -> the entry publog made of it."""
    journal = build(root, Options(check_only=True)).journal
    assert journal is not None
    return {e.path: e for e in journal.entries}


def built(tmp_path: Path, files: dict[str, str | bytes]) -> tuple[Path, list[str]]:
    """A folder built as it is: it must build; returns it and its problems (warnings)."""
    root = write(tmp_path / "folder", files)
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    assert result.code == 0, result.err
    return root, problems(result)


# --- titles ----------------------------------------------------------------------------------------


def test_a_til_folder_titles_notes_by_their_heading_or_file_name(tmp_path: Path) -> None:
    root, found = built(tmp_path, {
        "git/GitCommitsForNonGitUsers.md": "#Git Commits For Non-Git Users\n\nOn GitHub this line is text.\n",
        "rails/find_by_exceptions.md": "## Exceptions Raised by find_by\n\n`find_by` raises nothing.\n",
        "setext.md": "Setext Title\n============\n\nBody.\n",
        "sysadmin/zcat-:-tool.md": "- Date : 2019-02-18\n\nzcat reads gzip files.\n",
        "keyboards/qmk.md": "## [QMK firmware](https://qmk.fm)\n\nKeyboards.\n",
        "brain.md": "https://example.com/a-talk\n\n## more core\n\nNotes on the talk.\n",
    })
    assert not [p for p in found if "title" in p], found  # GitHub shows these; nothing to warn about
    made = entries(root)
    assert {path: e.title for path, e in made.items()} == {
        "git/GitCommitsForNonGitUsers.md": "GitCommitsForNonGitUsers",  # '#Title' is no heading: the file name
        "rails/find_by_exceptions.md": "Exceptions Raised by find_by",
        "setext.md": "Setext Title",
        "sysadmin/zcat-:-tool.md": "zcat-:-tool",
        "keyboards/qmk.md": "QMK firmware",  # a link in the heading: its words
        "brain.md": "brain",  # a heading under its text heads a section
    }
    note = (root / "_site" / made["brain.md"].url.strip("/") / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="more-core">more core</h2>' in note  # a heading under the note's text stays in it
    top = (root / "_site" / made["rails/find_by_exceptions.md"].url.strip("/") / "index.html").read_text(encoding="utf-8")
    assert "<h2" not in top.split("e-content", 1)[1]  # the heading at its top is its title, not shown twice
    text = (root / "_site" / made["git/GitCommitsForNonGitUsers.md"].url.strip("/") / "index.html").read_text(encoding="utf-8")
    assert "Commits For Non-Git Users</p>" in text  # a line of text, as GitHub shows it


def test_a_quartz_garden_without_titles_is_titled_by_file_names(tmp_path: Path) -> None:
    root, found = built(tmp_path, {
        "concepts/Ownership.md": "---\ntags: [rust]\ndate: 2024-05-01\n---\nEvery value has one owner.\n",
        "fleeting/an idea.md": "---\ndate: 2024-05-02\n---\nWrite it down.\n",
    })
    assert not [p for p in found if "title" in p], found
    assert {e.title for e in entries(root).values()} == {"Ownership", "an idea"}


def test_a_first_level_heading_still_wins_over_an_earlier_lower_one(tmp_path: Path) -> None:
    root, _ = built(tmp_path, {"a.md": "## Context\n\nSome words.\n\n# The real title\n\nMore.\n"})
    assert [e.title for e in entries(root).values()] == ["The real title"]


def test_a_heading_in_code_or_a_list_never_titles_a_note(tmp_path: Path) -> None:
    root, _ = built(tmp_path, {
        "a.md": "```\n# not a title\n```\n\n- item\nstill the item\n---\n\ntext\n",
    })
    assert [e.title for e in entries(root).values()] == ["a"]


def test_a_missing_title_in_a_journal_of_publog_s_own_is_a_warning(tmp_path: Path) -> None:
    root, found = built(tmp_path, {"entries/2024-05-01-no-title.md": "Just text.\n"})
    assert found == ["entries/2024-05-01-no-title.md:1: warning: the title is missing, so publog used the file name "
                     "'2024-05-01-no-title'; add 'title: ...' to the front matter or a '# Title' line"]


def test_a_title_all_private_is_still_an_error_in_a_plain_folder(tmp_path: Path) -> None:
    secret = token()
    root = write(tmp_path / "folder", {"a.md": f'---\ntitle: "<!-- private -->{secret}<!-- /private -->"\n---\nText.\n'})
    result = guarded_build(tmp_path, root)
    assert_fails_with(result, "a.md:2: the title is all private")
    assert secret not in result.err
