"""A folder written for Hugo builds as it is, and every old URL keeps working.

The test site (tests/data/import/hugo) is laid out as Hugo sites are: hugo.toml,
content/ with sections, _index.md list pages, a page bundle, static/, TOML and
YAML front matter, shortcodes in bodies.
"""

from __future__ import annotations

from pathlib import Path

from import_support import broken_links, content, copy, page, redirect, site_file

from publog.run.build import Options, build

BASE = "https://ada.example.org/"
WARNINGS = [
    "content/posts/goroutines.md:9: warning: {{ .Site.Title }} is template code publog does not run, "
    "so it shows as written; replace it with Markdown or HTML",
]


def test_a_hugo_site_builds_with_no_configuration(tmp_path: Path, publog) -> None:
    root = copy("hugo", tmp_path)
    result = publog("build", root)
    assert result.code == 0, result.err
    assert result.problems == WARNINGS
    for url in ("/2024/01/first-steps-with-go/", "/2024/02/goroutines-at-last/", "/2024/03/a-page-bundle/",
                "/about-me/", "/notes/til-defer/"):
        assert site_file(root, url).is_file(), url
    assert "Generics (unfinished)" not in page(root, "/archive/")  # draft = true
    assert "Welcome to my notes" not in page(root, "/")  # _index.md heads Hugo's list: publog writes its own
    assert "<title>Ada Learns Go</title>" in page(root, "/")  # the site's title, from hugo.toml
    assert f'<link rel="canonical" href="{BASE}about-me/">' in page(root, "/about-me/")


def test_urls_follow_hugos_permalinks_and_defaults(tmp_path: Path) -> None:
    result = build(copy("hugo", tmp_path), Options(check_only=True))
    urls = {e.path: e.url for e in result.journal.entries}
    assert urls == {
        "content/posts/first-steps.md": "/2024/01/first-steps-with-go/",  # [permalinks] posts: /:year/:month/:slug/
        "content/posts/goroutines.md": "/2024/02/goroutines-at-last/",  # :slug is the slug when there is one
        "content/posts/bundle-of-joy/index.md": "/2024/03/a-page-bundle/",
        "content/notes/til-defer.md": "/notes/til-defer/",  # no pattern for notes: Hugo's default, the file's path
        "content/about.md": "/about-me/",  # url: in front matter is the exact URL
    }


def test_toml_front_matter_maps_onto_publogs_model(tmp_path: Path) -> None:
    result = build(copy("hugo", tmp_path), Options(check_only=True))
    entry = result.journal.by_path["content/posts/first-steps.md"]
    assert entry.title == "First steps with Go"
    assert entry.date.isoformat() == "2024-01-15T09:30:00+01:00"
    assert entry.updated is not None and entry.updated.date().isoformat() == "2024-01-20"  # lastmod
    assert entry.summary == "Installing Go and writing hello world."  # description
    assert entry.topics == ("go", "learning", "programming")  # tags and categories
    assert entry.extra["comments"] is True  # kept for templates, never an error


def test_aliases_become_redirect_pages_at_the_old_addresses(tmp_path: Path, publog) -> None:
    root = copy("hugo", tmp_path)
    assert publog("build", root).code == 0
    new = BASE + "2024/01/first-steps-with-go/"
    assert redirect(root, "/old/first-steps/") == new  # an alias from the site's root
    assert redirect(root, "/posts/hello-go/") == new  # a page-relative alias, from the page's folder
    assert "/old/first-steps/" not in page(root, "/sitemap.xml")


def test_ref_relref_and_figure_shortcodes_become_links_and_images(tmp_path: Path, publog) -> None:
    root = copy("hugo", tmp_path)
    assert publog("build", root).code == 0
    html = content(page(root, "/2024/01/first-steps-with-go/"))
    assert '<a href="/2024/02/goroutines-at-last/">goroutines</a>' in html
    assert '<a href="/about-me/">about me</a>' in html
    assert '<img src="/images/gopher.png" alt="The Go gopher" />' in html
    # A link to the video, as no third party's frame is put on a page
    assert '<p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">YouTube video dQw4w9WgXcQ</a></p>' in html
    # An escaped shortcode shows as Hugo shows it.
    assert "<code>{{&lt; ref &quot;goroutines.md&quot; &gt;}}\n</code>" in html
    later = content(page(root, "/2024/02/goroutines-at-last/"))
    assert '<a href="/2024/01/first-steps-with-go/">first steps</a>' in later
    assert '<a href="/notes/til-defer/">TIL</a>' in later


def test_bundle_files_and_the_static_folder_are_copied(tmp_path: Path, publog) -> None:
    root = copy("hugo", tmp_path)
    assert publog("build", root).code == 0
    html = content(page(root, "/2024/03/a-page-bundle/"))
    assert '<img src="/posts/bundle-of-joy/chart.png" alt="Chart" />' in html
    assert '<a href="/posts/bundle-of-joy/data.csv">the data</a>' in html
    for copied, source in (("posts/bundle-of-joy/chart.png", "content/posts/bundle-of-joy/chart.png"),
                           ("images/gopher.png", "static/images/gopher.png"), ("favicon.ico", "static/favicon.ico")):
        assert (root / "_site" / copied).read_bytes() == (root / source).read_bytes()


def test_every_link_alias_and_redirect_resolves_in_the_built_site(tmp_path: Path, publog) -> None:
    root = copy("hugo", tmp_path)
    assert publog("build", root).code == 0
    assert broken_links(root, BASE) == []


def test_publog_check_names_what_it_could_not_map(tmp_path: Path, publog) -> None:
    root = copy("hugo", tmp_path)
    checked = publog("check", root)
    assert checked.code == 0 and checked.problems == WARNINGS
    assert not (root / "_site").exists()
    assert publog("check", root, "--strict").code == 1


def test_publog_yaml_wins_over_hugo_toml(tmp_path: Path) -> None:
    root = copy("hugo", tmp_path)
    (root / "publog.yaml").write_text("title: My own title\npermalink: /notes/{year}/{slug}/\n")
    result = build(root, Options(check_only=True))
    assert result.journal.config.title == "My own title"
    assert result.journal.config.base_url == BASE  # not in publog.yaml: still hugo.toml's
    assert result.journal.by_path["content/posts/first-steps.md"].url == "/notes/2024/first-steps/"


def test_a_change_to_hugo_toml_rebuilds_the_site(tmp_path: Path, publog) -> None:
    root = copy("hugo", tmp_path)
    assert publog("build", root).code == 0
    config = root / "hugo.toml"
    config.write_text(config.read_text().replace('posts = "/:year/:month/:slug/"', 'posts = "/blog/:slug/"'))
    assert publog("build", root).code == 0
    assert site_file(root, "/blog/first-steps-with-go/").is_file()
    assert not site_file(root, "/2024/01/first-steps-with-go/").exists()
