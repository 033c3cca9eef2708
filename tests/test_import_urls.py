"""Issue 24: where real folders' notes go, and which note a link finds.

A vault or a plain folder of notes gets URLs that follow its paths, as GitHub, Obsidian
Publish and Quartz show them; publog's own journal keeps its dated ones and never lets two
entries of one slug and year overwrite each other; slugs are read as their tools read them;
wiki links find what Obsidian finds; the author's own pages win over the pages publog writes.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from conftest import entry
from hostile_support import assert_clear, assert_fails_with, guarded_build, problems
from import_support import content, page, site_file


def built(root: Path, publog, *args: str) -> list[str]:
    result = publog("build", root, *args)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    return result.problems


# --- URLs that follow paths ---------------------------------------------------------------------------


def test_a_til_folder_of_same_named_notes_builds_with_urls_that_follow_its_paths(journal, publog) -> None:
    root = journal({
        "go/replace-the-current-process.md": "# Replace the process in Go\n\nUse syscall.Exec.\n",
        "ruby/replace-the-current-process.md": "# Replace the process in Ruby\n\nUse exec.\n",
        "Programming Languages/Go/ORM.md": "# ORM in Go\n\ngorm.\n",
        "Programming Languages/Python/ORM.md": "# ORM in Python\n\nSQLAlchemy.\n",
        "go/README.md": "# Go\n\nWhat I learned about Go.\n",
    })
    assert not [p for p in built(root, publog) if "URL" in p]
    assert "syscall.Exec" in page(root, "/go/replace-the-current-process/")
    assert "Use exec." in page(root, "/ruby/replace-the-current-process/")
    assert "gorm" in page(root, "/Programming-Languages/Go/ORM/")
    assert "SQLAlchemy" in page(root, "/Programming-Languages/Python/ORM/")
    assert "What I learned about Go." in page(root, "/go/")  # a folder's README is the folder's page


def test_a_vault_keeps_daily_notes_dates_emoji_and_spacing_apart(journal, publog) -> None:
    root = journal({
        ".obsidian/app.json": "{}",
        "Journal/Daily/2024-12-21.md": "Today in the daily folder.\n",
        "Journal/Archive/2024/2024-12-21.md": "Today in the archive.\n",
        "highlights/Articles/The Truth Machine.md": "Highlights.\n",
        "Notes/🟦 The Truth Machine.md": "My note on the book.\n",
        "Notes/🟦  The Truth Machine.md": "A second note, its name with two spaces.\n",
    })
    built(root, publog)
    assert "Today in the daily folder." in page(root, "/Journal/Daily/2024-12-21/")
    assert "Today in the archive." in page(root, "/Journal/Archive/2024/2024-12-21/")
    assert "Highlights." in page(root, "/highlights/Articles/The-Truth-Machine/")
    assert "My note on the book." in page(root, "/Notes/🟦-The-Truth-Machine/")
    assert "two spaces" in page(root, "/Notes/🟦--The-Truth-Machine/")


def test_vault_paths_differing_only_in_case_are_an_error_saying_how_to_fix_it(journal, tmp_path: Path) -> None:
    root = journal({
        ".obsidian/app.json": "{}",
        "Goals/Quarterly Goals/2021-Q1.md": "One.\n",
        "Goals/quarterly goals/2021-Q1.md": "Two.\n",
    })
    assert_fails_with(guarded_build(tmp_path, root),
                      "Goals/Quarterly Goals/2021-Q1.md:1: /Goals/Quarterly-Goals/2021-Q1/ and /Goals/quarterly-goals/2021-Q1/ "
                      "(Goals/quarterly goals/2021-Q1.md) differ only in case")


def test_names_of_emoji_only_get_pages_of_their_own(journal, publog) -> None:
    root = journal({
        "entries/🚀.md": entry("Launch", "2024-01-01"),
        "entries/🎉.md": "---\ntitle: 🎉\ndate: 2024-01-01\n---\nParty.\n",
    })
    built(root, publog)
    assert "Launch" in page(root, "/2024/launch/")
    assert "Party." in page(root, "/2024/🎉/")


def test_a_journals_same_slug_entries_of_one_year_both_get_pages(journal, publog) -> None:
    root = journal({
        "entries/2024-01-05-joins.md": entry("Joins, first try", "2024-01-05"),
        "entries/sql/2024-03-01-joins.md": entry("Joins, again", "2024-03-01"),
    })
    assert built(root, publog) == [
        "entries/sql/2024-03-01-joins.md:1: warning: /2024/joins/ is also the URL of entries/2024-01-05-joins.md, dated "
        "earlier; this entry is published at /2024/joins-2024-03-01/: give it another 'slug' to choose its URL"]
    assert "Joins, first try" in page(root, "/2024/joins/")
    assert "Joins, again" in page(root, "/2024/joins-2024-03-01/")


# --- slugs ---------------------------------------------------------------------------------------------


def test_slugs_are_read_as_their_tools_read_them(journal, publog) -> None:
    root = journal({
        "pelicanconf.py": "PATH = 'content'\n",
        "content/one.md": "Title: Empty slug\nDate: 2020-01-01 10:00\nSlug: \n\nText one.\n",
        "content/two.md": "Title: Old URL\nDate: 2020-01-02 10:00\nSlug: seccon_re+crypto_200_lost\n\nText two.\n",
        "content/three.md": "Title: Spaces\nDate: 2020-01-03 10:00\nSlug: github code viewer\n\nText three.\n",
    })
    found = built(root, publog)
    assert "Text one." in page(root, "/empty-slug.html")
    assert "Text two." in page(root, "/seccon_re+crypto_200_lost.html")  # the live URL stays live
    assert "Text three." in page(root, "/github-code-viewer.html")
    assert found == ["content/three.md:3: warning: slug 'github code viewer' is not usable in a URL as written; "
                     "publog uses 'github-code-viewer'"]


def test_a_slug_of_slash_is_the_root_as_docusaurus_reads_it(journal, publog) -> None:
    root = journal({
        "intro.md": "---\nslug: /\n---\n# Knowledge\n\nMy wiki starts here.\n",
        "topics/go.md": "# Go\n\nNotes on Go.\n",
    })
    found = built(root, publog)
    assert "My wiki starts here." in page(root, "/")
    assert any(p.startswith("intro.md:2: warning: slug '/' starts with '/'") for p in found), found
    assert "Notes on Go." in page(root, "/topics/go/")


# --- wiki links --------------------------------------------------------------------------------------


def test_wiki_links_find_the_exact_name_then_the_folder_then_the_shortest_path(journal, publog) -> None:
    root = journal({
        ".obsidian/app.json": "{}",
        "Notes/🟦  How To Arbitrage.md": "Two spaces.\n",
        "Notes/🟦 How To Arbitrage.md": "One space.\n",
        "Lit/🟨 How To Arbitrage.md": "Yellow.\n",
        "a/Topic.md": "Topic in a.\n",
        "b/Topic.md": "Topic in b.\n",
        "b/Reader.md": "See [[Topic]], [[🟦  How To Arbitrage]], [[🟨 How To Arbitrage]] and [[Elsewhere]].\n",
        "x/Elsewhere.md": "Deep.\n",
        "x/y/Elsewhere.md": "Deeper.\n",
        "Start.md": "See [[Topic]].\n",
    })
    found = built(root, publog)
    html = content(page(root, "/b/Reader/"))
    assert '<a href="/b/Topic/">Topic</a>' in html  # the linking note's folder
    assert f'<a href="/Notes/{quote("🟦")}--How-To-Arbitrage/">' in html  # the name as written, two spaces and all
    assert f'<a href="/Lit/{quote("🟨")}-How-To-Arbitrage/">' in html  # never the blue note whose name differs by an emoji
    assert '<a href="/x/Elsewhere/">' in html  # the shortest path
    assert '<a href="/a/Topic/">Topic</a>' in content(page(root, "/Start/"))  # Obsidian's choice, with a warning
    assert found == ["Start.md:1: warning: [[Topic]] could mean 2 entries; publog links a/Topic.md, as Obsidian would; "
                     "to choose, write [[a/Topic]] for a/Topic.md, [[b/Topic]] for b/Topic.md"]


def test_a_markdown_link_with_bracketed_text_is_a_link_not_a_wiki_link(journal, publog) -> None:
    root = journal({"entries/a.md": entry("A", body="Code: [[lilian/gym]](https://github.com/lilianweng/gym).")})
    assert built(root, publog, "--strict") == []
    assert '<a href="https://github.com/lilianweng/gym">[lilian/gym]</a>' in content(page(root, "/2024/a/"))


# --- the author's pages win over publog's ----------------------------------------------------------------


def test_the_authors_pages_and_files_win_over_the_pages_publog_writes(journal, tmp_path: Path) -> None:
    root = journal({
        "static/robots.txt": "User-agent: *\nDisallow: /drafts/\n",
        "entries/archive.md": entry("My archive", "2024-01-01", permalink="/archive/"),
        "entries/a.md": entry("A post", "2024-02-01", permalink="/topics/2019/a/"),
    })
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    assert result.code == 0, result.err
    assert (root / "_site/robots.txt").read_text() == "User-agent: *\nDisallow: /drafts/\n"
    assert "My archive" in page(root, "/archive/")
    assert "A post" in page(root, "/topics/2019/a/")  # below a folder of publog's own: nothing is in its way
    assert site_file(root, "/topics/").exists()
    assert sorted(p.split(": warning: ")[0] for p in problems(result)) == ["entries/archive.md:4", "static/robots.txt:1"]


def test_two_of_the_authors_own_pages_at_one_url_stay_an_error(journal, tmp_path: Path) -> None:
    root = journal({"static/2024/good/index.html": "<p>mine</p>", "entries/good.md": entry("Good", "2024-01-01")})
    assert_fails_with(guarded_build(tmp_path, root), "static/2024/good/index.html:1: ")


def test_same_named_notes_of_one_date_in_two_folders_have_two_feed_ids(journal, publog) -> None:
    # Their URLs follow their paths; their feed ids must differ too, or a reader shows one of them.
    import feedparser

    note = "---\ndate: 2024-05-01\n---\nThe {} one.\n"
    root = journal({".obsidian/app.json": "{}\n", "Go/Proposal.md": note.format("go"),
                    "Rust/Proposal.md": note.format("rust")})
    assert publog("build", root).code == 0
    items = feedparser.parse((root / "_site/atom.xml").read_bytes()).entries
    ids = [i.id for i in items if "Proposal" in i.title]
    assert len(ids) == 2 and len(set(ids)) == 2, ids
    first = publog("build", root)  # ids never change from one build to the next
    assert first.code == 0
    assert sorted(i.id for i in feedparser.parse((root / "_site/atom.xml").read_bytes()).entries if "Proposal" in i.title) == sorted(ids)


def test_a_folder_with_a_readme_and_an_index_publishes_both(journal, publog) -> None:
    # GitHub shows the README as the folder; Quartz, Hugo and Jekyll make the index the folder's page.
    # With both, the index is the folder and the README keeps its name, as those tools publish it.
    root = journal({
        "docs/README.md": "# About the docs\n\nHow to read these notes.\n",
        "docs/index.md": "# Docs\n\nThe docs' own front page.\n",
        "go/README.md": "# Go\n\nWhat I learned about Go.\n",
        "hugo/_index.md": "# Hugo\n\nThe section page.\n",
        "hugo/readme.md": "# Read me\n\nA readme beside it.\n",
    })
    assert not [p for p in built(root, publog) if "URL" in p]
    assert "The docs' own front page." in page(root, "/docs/")
    assert "How to read these notes." in page(root, "/docs/README/")
    assert "What I learned about Go." in page(root, "/go/")
    assert "The section page." in page(root, "/hugo/")
    assert "A readme beside it." in page(root, "/hugo/readme/")
