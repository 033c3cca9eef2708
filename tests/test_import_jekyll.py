"""A folder written for Jekyll builds as it is, and every old URL keeps working.

The test site (tests/data/import/jekyll) is laid out as Jekyll sites are:
_config.yml, _posts/ with dated file names, _drafts/, pages with front matter,
_layouts/ and _includes/, assets/, a README without front matter, a CNAME.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from import_support import broken_links, content, copy, page, redirect

from publog.run.build import Options, build

BASE = "https://bea.example.org/"


def test_a_jekyll_site_builds_with_no_configuration(tmp_path: Path, publog) -> None:
    root = copy("jekyll", tmp_path)
    result = publog("build", root)
    assert result.code == 0, result.err
    assert result.problems == [
        "_posts/2024-01-10-pandas-groupby.md:16: warning: {% include note.html content=\"Split, apply, combine.\" %} "
        "is a Liquid tag publog does not know, so it is left out of the page; replace it with Markdown or HTML",
    ]
    assert "<title>Bea&#39;s Field Notes</title>" in page(root, "/")


def test_posts_keep_jekylls_urls_and_pages_their_permalinks(tmp_path: Path) -> None:
    result = build(copy("jekyll", tmp_path), Options(check_only=True))
    assert {e.path: e.url for e in result.journal.entries} == {
        # permalink: /:categories/:year/:month/:day/:title:output_ext, with 'categories: jekyll update'
        "_posts/2023-11-05-welcome-to-jekyll.md": "/jekyll/update/2023/11/05/welcome-to-jekyll.html",
        "_posts/2024-01-10-pandas-groupby.md": "/2024/01/10/pandas-groupby.html",
        "_posts/2024-02-01-no-title-here.md": "/2024/02/01/no-title-here.html",
        "about.md": "/about/",
    }
    # Not pages in Jekyll: README.md has no front matter, index.md is the list of posts ('layout: home'),
    # _includes/ holds includes; published: false is a draft.


def test_names_give_date_slug_and_a_missing_title(tmp_path: Path) -> None:
    entries = build(copy("jekyll", tmp_path), Options(check_only=True)).journal.by_path
    untitled = entries["_posts/2024-02-01-no-title-here.md"]
    assert untitled.title == "No Title Here"
    assert untitled.date.isoformat() == "2024-02-01T00:00:00+01:00"  # _config.yml's timezone: Europe/Berlin
    grouped = entries["_posts/2024-01-10-pandas-groupby.md"]
    assert grouped.updated is not None and grouped.updated.date().isoformat() == "2024-01-12"  # last_modified_at
    assert grouped.topics == ("pandas", "python")
    assert grouped.extra["layout"] == "post" and grouped.extra["comments"] is True
    assert entries["_posts/2023-11-05-welcome-to-jekyll.md"].topics == ("jekyll", "update")  # categories


def test_redirect_from_becomes_redirect_pages(tmp_path: Path, publog) -> None:
    root = copy("jekyll", tmp_path)
    assert publog("build", root).code == 0
    assert redirect(root, "/pandas-groupby/") == BASE + "2024/01/10/pandas-groupby.html"
    assert redirect(root, "/2024/01/groupby.html") == BASE + "2024/01/10/pandas-groupby.html"


def test_liquid_links_become_links(tmp_path: Path, publog) -> None:
    root = copy("jekyll", tmp_path)
    assert publog("build", root).code == 0
    html = content(page(root, "/2024/01/10/pandas-groupby.html"))
    assert '<a href="/jekyll/update/2023/11/05/welcome-to-jekyll.html">starting out</a>' in html  # post_url
    assert '<img src="/assets/img/plot.png" alt="A plot" />' in html  # {{ site.baseurl }}
    assert "{{</span><span" in html and "raw" not in html  # {% raw %} shows its text as Jekyll does


def test_files_jekyll_copies_are_copied(tmp_path: Path, publog) -> None:
    root = copy("jekyll", tmp_path)
    assert publog("build", root).code == 0
    site = root / "_site"
    assert (site / "CNAME").read_text() == "bea.example.org\n"
    assert (site / "assets/img/plot.png").read_bytes() == (root / "assets/img/plot.png").read_bytes()
    for never in ("assets/css/style.scss", "Gemfile", "README.md", "_config.yml", "_includes", "_layouts"):
        assert not (site / never).exists(), never  # processed by Jekyll, its own, or not for the site


def test_drafts_folder_holds_drafts(tmp_path: Path) -> None:
    root = copy("jekyll", tmp_path)
    titles = [e.title for e in build(root, Options(check_only=True, drafts=True)).journal.entries if e.draft]
    assert sorted(titles) == ["Not yet", "Thinking about models"]
    assert "Thinking about models" not in [e.title for e in build(root, Options(check_only=True)).journal.entries]


@pytest.mark.parametrize("written, url", [
    ("pretty", "/jekyll/update/2023/11/05/welcome-to-jekyll/"),
    ("none", "/jekyll/update/welcome-to-jekyll.html"),
    ("/blog/:year/:title/", "/blog/2023/welcome-to-jekyll/"),
])
def test_jekylls_permalink_setting_is_publogs_permalink(tmp_path: Path, written: str, url: str) -> None:
    root = copy("jekyll", tmp_path)
    config = root / "_config.yml"
    config.write_text(config.read_text().replace("/:categories/:year/:month/:day/:title:output_ext", written))
    result = build(root, Options(check_only=True))
    assert result.journal.by_path["_posts/2023-11-05-welcome-to-jekyll.md"].url == url


def test_a_permalink_token_publog_lacks_is_a_warning_at_its_line(tmp_path: Path) -> None:
    root = copy("jekyll", tmp_path)
    config = root / "_config.yml"
    config.write_text(config.read_text().replace("/:categories/:year/:month/:day/:title:output_ext", "/:year/:i_month/:title/"))
    result = build(root, Options(check_only=True))
    assert [str(p) for p in result.problems if p.path == "_config.yml"] == [
        "_config.yml:6: warning: the permalink uses :i_month, which publog has no field for; "
        "posts get Jekyll's default URLs (/:categories/:year/:month/:day/:title.html)"]
    assert result.journal.by_path["_posts/2024-01-10-pandas-groupby.md"].url == "/2024/01/10/pandas-groupby.html"


def test_every_link_and_redirect_resolves_in_the_built_site(tmp_path: Path, publog) -> None:
    root = copy("jekyll", tmp_path)
    assert publog("build", root).code == 0
    assert broken_links(root, BASE) == []
