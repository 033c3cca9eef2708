"""Conventions of other tools that work in every journal: callouts and GitHub alerts, ==highlights==,
%% comments %%, #tags, other front matter formats and keys, old URLs and the addresses that redirect."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import entry
from import_support import content, page, redirect

from publog.run.build import Options, build


def body(root: Path, url: str = "/2024/a/") -> str:
    return content(page(root, url))


def test_github_alerts_and_callouts_work_in_every_journal(journal, publog) -> None:
    root = journal({"entries/a.md": entry("A", body=(
        "> [!NOTE]\n> Useful to know.\n\n"
        "> [!tip] A *good* tip\n> Try it.\n\n"
        "> [!faq]+ Open by default\n> Answer.\n\n"
        "> [!example]-\n> Folded, titled by its type.\n\n"
        "> Just a quote [!tip]\n"))})
    assert publog("build", root, "--strict").code == 0
    html = body(root)
    assert ('<div class="callout callout-note" data-callout="note" role="note">\n<p class="callout-title">Note</p>\n'
            "<p>Useful to know.</p>\n</div>") in html
    assert '<p class="callout-title">A <em>good</em> tip</p>\n<p>Try it.</p>' in html
    assert ('<details class="callout callout-faq" data-callout="faq" open="">\n<summary class="callout-title">Open by default'
            "</summary>\n<p>Answer.</p>\n</details>") in html
    assert '<details class="callout callout-example" data-callout="example">\n<summary class="callout-title">Example</summary>' in html
    assert "<blockquote>\n<p>Just a quote [!tip]</p>\n</blockquote>" in html


def test_highlights_become_marks_except_in_code(journal, publog) -> None:
    root = journal({"entries/a.md": entry("A", body="A ==key idea== here, not `==code==`, nor a == b.")})
    assert publog("build", root, "--strict").code == 0
    assert body(root).strip() == "<p>A <mark>key idea</mark> here, not <code>==code==</code>, nor a == b.</p>"


def test_a_heading_in_a_comment_never_titles_an_entry(journal, publog) -> None:
    root = journal({"entries/a.md": "---\ndate: 2024-05-01\n---\n%%\n# Secret title\n%%\nText.\n"})
    result = publog("build", root)
    assert result.problems == ["entries/a.md:1: warning: the title is missing, so publog used the file name 'a'; "
                               "add 'title: ...' to the front matter or a '# Title' line"]
    assert "Secret title" not in page(root, "/2024/a/")


def test_comments_are_never_published(journal, publog) -> None:
    root = journal({"entries/a.md": "---\ntitle: A\ndate: 2024-05-01\n---\n%%\n# Not a heading\n%%\n" + (
        "Visible %% hidden %% text.\n\n"
        "Starts here %% and spans\n\n- a list\n- of secrets\n\n```\nsecret code\n```\n\nuntil here %% and goes on.\n\n"
        "`%% in code %%` stays, and so does\n\n```\n%% in a block %%\n```\n\n"
        "Jekyll's {% comment %}note to self{% endcomment %}too.\n")})
    assert publog("build", root, "--strict").code == 0
    html = body(root)
    for secret in ("hidden", "Not a heading", "spans", "a list", "of secrets", "secret code", "until here", "note to self"):
        assert secret not in html, secret
    assert "<p>Visible  text.</p>" in html and "<p>Starts here</p>" in html and "<p>and goes on.</p>" in html
    assert "<code>%% in code %%</code>" in html and "<code>%% in a block %%\n</code>" in html
    assert "<p>Jekyll's too.</p>" in html


def test_inline_tags_are_topics_linked_to_their_pages(journal, publog) -> None:
    root = journal({"entries/a.md": entry("A", tags="[sql]", body=(
        "Learning #python and #data/pandas today.\n\n"
        "Not tags: issue #42, C#, a [link](https://example.org/#top), `#code`, and#this.\n"))})
    assert publog("build", root, "--strict").code == 0
    html = body(root)
    assert '<a href="/topics/python/" class="tag">#python</a>' in html
    assert '<a href="/topics/data-pandas/" class="tag">#data/pandas</a>' in html
    assert "issue #42, C#," in html and "<code>#code</code>" in html and "and#this" in html
    assert build(root, Options(check_only=True)).journal.entries[0].topics == ("sql", "python", "data-pandas")
    assert '<a href="/2024/a/">A</a>' in page(root, "/topics/data-pandas/")


def test_toml_front_matter(journal, publog) -> None:
    root = journal({"entries/a.md": '+++\ntitle = "From Hugo"\ndate = 2024-05-01T10:00:00Z\ntags = ["go"]\n+++\nText.\n'})
    assert publog("build", root, "--strict").code == 0
    assert "From Hugo" in page(root, "/2024/a/")


@pytest.mark.parametrize("text, problem", [
    ('+++\ntitle = "A"\ndate = 2024-05-01\nno value here\n+++\nText\n', "entries/a.md:4: invalid TOML"),
    ('+++\ntitle = "A"\n', "entries/a.md:1: the TOML front matter opened here is never closed; add a '+++' line after it"),
    ('+++\ntitle = "A"\ndate = "someday"\n+++\nText\n', "entries/a.md:3: 'date': 'someday' is not a valid date"),
])
def test_toml_problems_name_their_line(journal, publog, text: str, problem: str) -> None:
    result = publog("build", journal({"entries/a.md": text}))
    assert result.code == 1
    assert any(p.startswith(problem) for p in result.problems), result.problems


def test_a_pelican_header_needs_a_title_so_notes_stay_notes(journal, publog) -> None:
    root = journal({
        "entries/pelican.md": "Title: From Pelican\nDate: 2024-05-01 10:20\nTags: a, b\n\nThe text.\n",
        "entries/note.md": "---\ntitle: A note\ndate: 2024-05-02\n---\nIts text.\n",
        "entries/plain.md": "# Plain\n\nNote: this line is text.\n\nMore.\n",
    })
    assert publog("build", root, "--strict").code == 0
    entries = build(root, Options(check_only=True)).journal.by_path
    assert entries["entries/pelican.md"].title == "From Pelican" and entries["entries/pelican.md"].topics == ("a", "b")
    assert "Note: this line is text." in page(root, entries["entries/plain.md"].url)


def test_other_generators_keys_map_onto_publogs(journal) -> None:
    root = journal({
        "entries/a.md": entry("A", categories="[Product Management, sql]", tags="[sql, '#python']",
                              description="The summary.", lastmod="2024-05-09", layout="post"),
        "entries/b.md": entry("B", "2024-05-02", last_modified_at="2024-05-10", categories="jekyll update"),
        "entries/c.md": entry("C", "2024-05-03", modified="2024-05-11", draft="true"),
        "entries/d.md": entry("D", "2024-05-04", published="false"),
    })
    journal_ = build(root, Options(check_only=True, drafts=True)).journal
    a, b = journal_.by_path["entries/a.md"], journal_.by_path["entries/b.md"]
    assert a.topics == ("sql", "python", "product-management") and a.summary == "The summary."
    assert a.extra == {"layout": "post"}
    assert [e.updated.date().isoformat() for e in (a, b)] == ["2024-05-09", "2024-05-10"]
    assert b.topics == ("jekyll", "update")
    assert journal_.by_path["entries/c.md"].draft and journal_.by_path["entries/d.md"].draft
    (root / "publog.yaml").write_text("topics_from: [tags]\n")
    assert build(root, Options(check_only=True)).journal.by_path["entries/a.md"].topics == ("sql", "python")


@pytest.mark.parametrize("written, url", [
    ("/notes/old-name/", "/notes/old-name/"),
    ("notes/old-name", "/notes/old-name/"),  # Obsidian Publish writes no leading slash
    ("/2019/05/old.html", "/2019/05/old.html"),  # a file, as the old site served it
])
def test_a_permalink_is_the_entrys_exact_url(journal, publog, written: str, url: str) -> None:
    root = journal({"entries/a.md": entry("A", permalink=written), "entries/b.md": entry("B", url="/b-page/")})
    assert publog("build", root, "--strict").code == 0
    assert "<h1" in page(root, url) and "<h1" in page(root, "/b-page/")


@pytest.mark.parametrize("files, problem", [
    ({"entries/a.md": entry("A", permalink="/../../etc/")},
     "entries/a.md:4: URL /../../etc/ would be outside the site; change its 'permalink'"),
    ({"entries/a.md": entry("A", permalink="/same/"), "entries/b.md": entry("B", slug="same", permalink="/same")},
     "entries/a.md:4: /same/ is also the URL of entries/b.md; give one of them another 'slug'"),
    ({"entries/a.md": entry("A", aliases="[/2024/b/]"), "entries/b.md": entry("B")},
     "entries/a.md:4: /2024/b/ is also an address of entries/b.md (its URL or an alias); remove the alias, or give one of them another 'slug'"),
    ({"entries/a.md": entry("A", redirect_from="[/x/../../../up/]")},
     "entries/a.md:4: URL /x/../../../up/ would be outside the site; change the alias"),
])
def test_permalinks_and_aliases_are_checked_like_any_url(journal, publog, files: dict[str, str], problem: str) -> None:
    result = publog("build", journal(files))
    assert result.code == 1
    assert problem in result.problems, result.problems


def test_aliases_that_are_paths_redirect_and_names_are_for_wiki_links(journal, publog) -> None:
    root = journal({
        "publog.yaml": "base_url: https://example.org/notes/\n",
        "entries/a.md": entry("A", aliases="[/old/a/, JOINs explained]", redirect_from="/a.html"),
        "entries/b.md": entry("B", body="See [[JOINs explained]]."),
    })
    assert publog("build", root, "--strict").code == 0
    assert redirect(root, "/old/a/") == redirect(root, "/a.html") == "https://example.org/notes/2024/a/"
    assert '<a href="/notes/2024/a/">JOINs explained</a>' in body(root, "/2024/b/")


def test_an_entry_at_slash_is_the_home_page(journal, publog) -> None:
    root = journal({"entries/home.md": entry("Welcome", permalink="/", body="Hello, reader."),
                    "entries/a.md": entry("A", "2024-05-02")})
    assert publog("build", root, "--strict").code == 0
    assert "Hello, reader." in body(root, "/")
    assert '<a href="/2024/a/">A</a>' in page(root, "/archive/")


@pytest.mark.parametrize("setting, problem", [
    ("layout: wordpress", "publog.yaml:1: 'layout' must be one of auto, publog, hugo, jekyll, pelican, eleventy, obsidian, not 'wordpress'"),
    ("publish: yes", "publog.yaml:1: 'publish' must be a mapping such as {require: true, exclude: [Private, Templates]}"),
    ("publish: {require: maybe}", "publog.yaml:1: 'publish.require' must be true or false"),
    ("topics_from: [labels]", "publog.yaml:1: 'topics_from' must be a list of tags and categories, such as [tags]"),
])
def test_import_settings_are_checked(journal, publog, setting: str, problem: str) -> None:
    result = publog("build", journal({"publog.yaml": setting + "\n", "entries/a.md": entry()}))
    assert result.code == 1 and result.problems == [problem]


def test_a_missing_title_is_a_warning_in_a_publog_journal(journal, publog) -> None:
    result = publog("build", journal({"entries/untitled.md": "---\ndate: 2024-05-01\n---\nNo heading.\n"}))
    assert result.code == 0
    assert result.problems == ["entries/untitled.md:1: warning: the title is missing, so publog used the file name "
                               "'untitled'; add 'title: ...' to the front matter or a '# Title' line"]


def test_an_eleventy_site_builds_with_its_input_folder_and_urls(journal, publog) -> None:
    root = journal({
        ".eleventy.js": 'module.exports = function () {\n  return { dir: { input: "src", output: "_site" } };\n};\n',
        "src/_includes/base.njk": "<main>{{ content | safe }}</main>\n",
        "src/_includes/partial.md": "Never a page.\n",
        "src/posts/first-post.md": "---\ntitle: First post\ndate: 2024-05-01\n---\nHello from Eleventy.\n",
        "src/about/index.md": "---\ntitle: About\ndate: 2024-01-01\n---\nAbout me.\n",
        "src/old.md": "---\ntitle: Old\ndate: 2023-01-01\npermalink: /legacy/old.html\n---\nOld.\n",
        "src/feed-source.md": "---\ntitle: Data only\ndate: 2023-01-01\npermalink: false\n---\nNo page.\n",
    })
    assert publog("build", root, "--strict").code == 0
    urls = {e.path: e.url for e in build(root, Options(check_only=True)).journal.entries}
    assert urls == {"src/posts/first-post.md": "/posts/first-post/", "src/about/index.md": "/about/",
                    "src/old.md": "/legacy/old.html"}
