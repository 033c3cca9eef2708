"""Real folders build as their own tool shows them (issue 24): titles, front matter, control characters.

Each journal here is laid out as the real folders the sweep found are: a TIL repository (a plain
folder of Markdown, as GitHub shows it), an Obsidian vault, a Quartz garden's content folder, a Hugo
site, a Jekyll blog. What their tool shows, publog builds, with a `path:line: warning:` where it had
to decide something; what would publish the wrong thing (a private note) stays an error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile_support import assert_clear, assert_fails_with, guarded_build, leaks, problems, site_bytes, token

from conftest import write
from publog.run.build import Options, build

VAULT = {".obsidian/app.json": "{}\n"}
HUGO = {"config.toml": 'title = "Notes"\nbaseURL = "https://example.org/"\n'}
JEKYLL = {"_config.yml": "title: Blog\n"}


def pages(root: Path) -> str:
    """The text of every page and feed of the site (not the search index's binary files)."""
    return "".join(data.decode("utf-8") for name, data in site_bytes(root / "_site").items()
                   if name.endswith((".html", ".xml", ".json")) and not name.startswith("pagefind/"))


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
    assert '<h2 id="more-core"><a class="self" href="#more-core">more core</a></h2>' in note  # a heading under the note's text stays in it
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


# --- front matter their tools tolerate ---------------------------------------------------------------


def test_vault_properties_that_are_not_yaml_build_with_a_warning(tmp_path: Path) -> None:
    root, found = built(tmp_path, {**VAULT,
        "Reference/10 Year Vision.md": "---\ntitle: 10 Year Vision: Write of Passage\ntype: reference\n---\nNotes.\n",
        "Reference/Full Stack Serverless.md": ("---\ntitle: {{Full Stack Serverless}}\ntype: [[__ Reference Note]] \n"
                                               "author: @naderdabit\ndomain(s):\n- [[Serverless]]\n---\n"
                                               "# Full Stack Serverless\n\nA book.\n"),
        "Literature/Four Types.md": "---\ntype:[[__ Literature Note]]\nsource: [[How to Take Smart Notes]]\n---\n\nFour.\n",
        "Streams/Vault Design.md": '---\ntags:\n  - "#type/video-stream/\n  - stream\nstatus: done\n---\n\n## Annotations\n',
    })
    made = entries(root)
    assert made["Reference/10 Year Vision.md"].title == "10 Year Vision: Write of Passage"
    assert made["Reference/Full Stack Serverless.md"].title == "Full Stack Serverless"
    assert made["Reference/Full Stack Serverless.md"].extra.get("author") == "@naderdabit"
    assert made["Literature/Four Types.md"].title == "Four Types"  # Obsidian shows it under its name
    assert made["Streams/Vault Design.md"].topics == ("stream",)
    warned = {p.split(": warning: ")[0]: p for p in found if "invalid YAML" in p}
    assert set(warned) == {"Reference/10 Year Vision.md:2", "Reference/Full Stack Serverless.md:4",
                           "Literature/Four Types.md:3", "Streams/Vault Design.md:3"}, found
    assert "left out line 2" in warned["Reference/Full Stack Serverless.md:4"]
    assert "left out line 3" in warned["Streams/Vault Design.md:3"]
    assert "{{" not in pages(root)


def test_a_plain_folder_and_a_jekyll_post_recover_too(tmp_path: Path) -> None:
    root, found = built(tmp_path, {"til/a.md": "---\ntitle: Git: the good parts\n---\nText.\n"})
    assert [e.title for e in entries(root).values()] == ["Git: the good parts"]
    assert any(p.startswith("til/a.md:2: warning: invalid YAML") for p in found), found
    jekyll, _ = built(tmp_path / "j", {**JEKYLL, "_posts/2024-05-01-a.md": "---\ntitle: Rails: a tour\n---\nText.\n"})
    assert [e.title for e in entries(jekyll).values()] == ["Rails: a tour"]


def test_broken_properties_never_publish_a_private_note(tmp_path: Path) -> None:
    secret = token()
    root, found = built(tmp_path, {**VAULT, "public.md": "Public.\n",
                                   "diary.md": f"---\ntitle: Diary: day one\nprivate: true\n---\n{secret}\n"})
    assert set(entries(root)) == {"public.md"}
    assert leaks(root / "_site", secret) == []
    for private in ("private: [true", "private: yes: really", "draft: 'true"):
        other = write(tmp_path / private.replace(" ", "").replace(":", "").replace("'", "q").replace("[", "b"),
                      {**VAULT, "diary.md": f"---\ntitle: Diary: day one\n{private}\n---\n{secret}\n"})
        result = guarded_build(tmp_path, other)
        assert_clear(result)
        assert result.code == 1, (private, result.err)
        assert leaks(other / "_site", secret) == [] if (other / "_site").exists() else True


def test_broken_yaml_in_a_journal_of_publog_s_own_is_still_an_error(tmp_path: Path) -> None:
    root = write(tmp_path / "journal", {"entries/a.md": "---\ntitle: Git: the good parts\ndate: 2024-05-01\n---\nText.\n"})
    assert_fails_with(guarded_build(tmp_path, root), "entries/a.md:2: invalid YAML: mapping values are not allowed")


def test_a_key_given_twice_takes_the_last_with_a_warning(tmp_path: Path) -> None:
    root, found = built(tmp_path, {**HUGO, "content/post/a.md": "---\ntitle: First\ndate: 2024-05-01\ntitle: Second\n---\nText.\n"})
    assert [e.title for e in entries(root).values()] == ["Second"]
    assert "content/post/a.md:4: warning: 'title' is given twice (first on line 2); publog took this one, " \
           "as Hugo and Jekyll do; keep one" in found


def test_a_publishing_flag_given_twice_differently_is_an_error(tmp_path: Path) -> None:
    secret = token()
    root = write(tmp_path / "site", {**HUGO, "content/post/a.md": f"---\ntitle: A\ndraft: true\ndraft: false\n---\n{secret}\n"})
    result = guarded_build(tmp_path, root)
    assert_fails_with(result, "content/post/a.md:4: 'draft' is given twice (first on line 3); keep one")


def test_an_empty_list_item_is_skipped(tmp_path: Path) -> None:
    root, found = built(tmp_path, {**HUGO, "content/notes/a.md": "---\ntitle: A\ndate: 2024-05-01\ntags:\n  - \n---\nText.\n",
                                   "content/notes/b.md": "---\ntitle: B\ndate: 2024-05-01\ntags:\n- \n- security\n---\nText.\n"})
    assert {p: e.topics for p, e in entries(root).items()} == {"content/notes/a.md": (), "content/notes/b.md": ("security",)}
    assert not [p for p in found if "tags" in p], found


def test_a_title_list_from_a_web_clipper_is_joined_with_a_warning(tmp_path: Path) -> None:
    root, found = built(tmp_path, {**VAULT, "web_archive/dataview.md": (
        "---\ntitle:\n- Using Dataview on Obsidian Publish\n- Using Dataview on Obsidian Publish\n---\nClipped.\n")})
    assert [e.title for e in entries(root).values()] == ["Using Dataview on Obsidian Publish"]
    assert any(p.startswith("web_archive/dataview.md:2: warning: 'title' is a list") for p in found), found


def test_a_web_clipper_s_published_date_is_a_property_not_a_flag(tmp_path: Path) -> None:
    root, found = built(tmp_path, {**VAULT, "Clippings/Article.md": (
        "---\ntitle: An article\nsource: https://example.org/a\npublished: 2025-07-21\ncreated: 2025-08-01\n---\nClipped.\n")})
    made = entries(root)["Clippings/Article.md"]
    assert not made.draft and made.extra.get("published") == "2025-07-21"
    assert not found, found


def test_a_file_name_with_no_letters_still_loads_with_a_title(tmp_path: Path) -> None:
    from publog.read import load

    source, found = load.parse("().md", "Just text.\n")
    assert source is not None and source.title == "()" and not found


# --- tags as each tool reads them ----------------------------------------------------------------------


@pytest.mark.parametrize("files, path, expected", [
    ({**JEKYLL, "_posts/2018-01-23-rl.md": "---\ntitle: RL\ntags: reinforcement-learning long-read math-heavy\n---\nText.\n"},
     "_posts/2018-01-23-rl.md", ("reinforcement-learning", "long-read", "math-heavy")),
    ({**VAULT, "note.md": "---\ntags: rust, ownership memory\n---\nText.\n"}, "note.md", ("rust", "ownership", "memory")),
    ({**HUGO, "content/post/a.md": "---\ntitle: A\ndate: 2024-05-01\ntags: machine learning\n---\nText.\n"},
     "content/post/a.md", ("machine-learning",)),
], ids=["jekyll words", "obsidian words and commas", "hugo one tag"])
def test_a_tags_text_is_read_as_its_tool_reads_it(files: dict[str, str], path: str, expected: tuple[str, ...], tmp_path: Path) -> None:
    root, _ = built(tmp_path, files)
    assert entries(root)[path].topics == expected


# --- invisible control characters ----------------------------------------------------------------------


def test_control_characters_are_left_out_with_a_warning(tmp_path: Path) -> None:
    root, found = built(tmp_path, {**HUGO, "content/presentation/go.md": (
        b"---\ntitle: The Legacy of Go\ndate: 2015-09-30\n---\nLine one.\n\nA vertical tab \x0b here and a shift \x0f there.\n")})
    assert found == ["content/presentation/go.md:7: warning: contains 2 invisible control characters (U+000B, U+000F); "
                     "publog left them out"]
    site = pages(root)
    assert "\x0b" not in site and "\x0f" not in site and "A vertical tab  here" in site
