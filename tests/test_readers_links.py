"""No reference in the sample site leads nowhere: links, images, stylesheets, feed links of every page,
and the site's own URLs named by feeds, the sitemap, robots.txt and the stylesheets."""

from __future__ import annotations

from pathlib import Path

import pytest

from readers_support import assert_none, build_sample, copy_site, reference_problems, sample_config
from test_site import broken_links


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(tmp_path_factory)


def test_no_page_links_to_a_missing_file(site: Path) -> None:
    assert_none(broken_links(site, sample_config()["base_url"]))


def test_feeds_sitemap_robots_and_css_name_only_existing_pages(site: Path) -> None:
    assert_none(reference_problems(site, sample_config()["base_url"]))


def test_every_page_has_a_stylesheet_and_feed_links_that_exist(site: Path) -> None:
    """broken_links only sees what is there: make sure what should be there is."""
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        name = page.relative_to(site).as_posix()
        assert 'rel="stylesheet"' in text, name
        assert 'rel="alternate" type="application/rss+xml"' in text, name


# --- the checkers themselves, on a deliberately broken site -------------------------------------------

def test_link_checkers_find_broken_references(site: Path, tmp_path: Path) -> None:
    base = sample_config()["base_url"]
    broken = copy_site(site, tmp_path / "broken")
    page = broken / "archive/index.html"
    text = page.read_text(encoding="utf-8")
    text = text.replace("</main>", '<p><img src="/images/missing.png" alt="gone"> <a href="/2026/nowhere/">x</a>'
                                   ' <a href="/topics/#no-such-anchor">y</a></p></main>', 1)
    text = text.replace("</head>", '<link rel="stylesheet" href="/static/missing.css">'
                                   '<link rel="alternate" type="application/rss+xml" href="/topics/none/feed.xml"></head>', 1)
    page.write_text(text, encoding="utf-8")
    assert sorted(broken_links(broken, base)) == sorted([
        "archive/index.html: /images/missing.png",
        "archive/index.html: /2026/nowhere/",
        "archive/index.html: /topics/#no-such-anchor (no such anchor)",
        "archive/index.html: /static/missing.css",
        "archive/index.html: /topics/none/feed.xml",
    ])

    sitemap = broken / "sitemap.xml"
    sitemap.write_text(sitemap.read_text(encoding="utf-8").replace("</urlset>", f"<url><loc>{base}2026/gone/</loc></url></urlset>"),
                       encoding="utf-8")
    rss = broken / "feed.xml"
    rss.write_text(rss.read_text(encoding="utf-8").replace("<p>", f'<p><a href="{base}2026/lost/#here">lost</a>', 1),
                   encoding="utf-8")
    css = broken / "static/style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nbody { background: url(../images/nope.svg); }\n", encoding="utf-8")
    (broken / "robots.txt").write_text(f"Sitemap: {base}sitemap-old.xml\n", encoding="utf-8")
    assert sorted(reference_problems(broken, base)) == sorted([
        f"sitemap.xml: {base}2026/gone/",
        f"feed.xml: {base}2026/lost/#here",
        f"static/style.css: {base}images/nope.svg",
        f"robots.txt: {base}sitemap-old.xml",
    ])
