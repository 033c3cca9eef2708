"""A folder written for Pelican builds as it is, and every old URL keeps working.

The test site (tests/data/import/pelican) is laid out as Pelican sites are:
pelicanconf.py and publishconf.py, content/ with category folders, pages/ and
images/, Markdown files with Pelican's 'Key: value' metadata header.
"""

from __future__ import annotations

from pathlib import Path

from import_support import broken_links, content, copy, page, site_file

from publog.run.build import Options, build

BASE = "https://cy.example.org/"


def test_a_pelican_site_builds_with_no_configuration(tmp_path: Path, publog) -> None:
    root = copy("pelican", tmp_path)
    result = publog("build", root, "--strict")
    assert result.code == 0, result.err
    assert "<title>Cy&#39;s Learning Log</title>" in page(root, "/")
    # publishconf.py's SITEURL, which is the address the site was published at
    assert f'<link rel="canonical" href="{BASE}posts/2024/joins-explained/">' in page(root, "/posts/2024/joins-explained/")


def test_urls_follow_article_url_and_page_url(tmp_path: Path) -> None:
    result = build(copy("pelican", tmp_path), Options(check_only=True))
    assert {e.path: e.url for e in result.journal.entries} == {
        "content/sql/joins-explained.md": "/posts/2024/joins-explained/",  # ARTICLE_URL = 'posts/{date:%Y}/{slug}/'
        "content/sql/window-functions.md": "/posts/2024/window-functions-for-retention/",  # a slug from the title
        "content/pages/about.md": "/pages/about.html",  # Pelican's PAGE_URL
    }
    # content/unfinished.md says 'Status: draft'.


def test_the_metadata_header_maps_onto_publogs_model(tmp_path: Path) -> None:
    entries = build(copy("pelican", tmp_path), Options(check_only=True)).journal.by_path
    joins = entries["content/sql/joins-explained.md"]
    assert joins.title == "Joins, explained"
    assert joins.date.isoformat() == "2024-04-02T10:20:00+02:00"  # pelicanconf.py's TIMEZONE
    assert joins.updated is not None and joins.updated.date().isoformat() == "2024-04-05"  # Modified
    assert joins.summary == "What I finally understood about joins."
    assert joins.topics == ("sql", "databases")  # tags, and the folder as its category
    assert entries["content/sql/window-functions.md"].topics == ("sql", "analytics")  # Category: Analytics


def test_pelicans_link_syntax_and_static_paths(tmp_path: Path, publog) -> None:
    root = copy("pelican", tmp_path)
    assert publog("build", root).code == 0
    html = content(page(root, "/posts/2024/joins-explained/"))
    assert '<img src="/images/joins.png" alt="the diagram" />' in html  # {static}
    assert '<a href="/posts/2024/window-functions-for-retention/">window functions</a>' in html  # {filename}
    assert '<a href="/topics/databases/">databases</a>' in html  # {tag}
    # STATIC_PATHS are copied whole, used or not.
    assert (root / "_site/images/unused.png").read_bytes() == (root / "content/images/unused.png").read_bytes()


def test_every_link_resolves_in_the_built_site(tmp_path: Path, publog) -> None:
    root = copy("pelican", tmp_path)
    assert publog("build", root).code == 0
    assert broken_links(root, BASE) == []
    assert not site_file(root, "/posts/2024/unfinished-thoughts/").exists()


def test_a_pelican_theme_folder_is_pelicans_not_an_override_of_publogs(tmp_path: Path, publog) -> None:
    # Pelican sites often keep their theme in theme/ (THEME = 'theme'); its templates speak Pelican's
    # variables, so taken for publog's own theme/ override they stopped the build with a template error.
    root = copy("pelican", tmp_path)
    (root / "theme/templates").mkdir(parents=True)
    (root / "theme/templates/base.html").write_text("<title>{{ SITENAME }}</title>{{ AUTHOR.name }}{% block content %}{% endblock %}\n")
    (root / "theme/templates/entry.html").write_text("{% extends 'base.html' %}{% block content %}{{ article.content }}{% endblock %}\n")
    result = publog("build", root)
    assert result.code == 0, result.err
    assert "Joins, explained" in page(root, "/posts/2024/joins-explained/")
