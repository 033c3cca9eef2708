"""The sample site in a real browser: Debian's Chromium driven by Playwright, the site served over HTTP.

A reader's walk (home, an entry, a topic, the next page, the archive, the feeds) by clicking links, at
phone and desktop widths, with no console error, failed request or broken image on the way; every
other page of the site is loaded once too. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import feedparser
import pytest

from readers_support import (ARTIFACTS, Monitor, assert_none, broken_images, horizontal_overflow,
                             page_url, serve)

# The sample site, served, and a browser: fixtures shared with the other browser tests.
from readers_support import browser, server, site  # noqa: E402,F401

pytestmark = pytest.mark.slow

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
SHOTS = ARTIFACTS / "screenshots"


def look(page: Any, monitor: Monitor, width: str, name: str, problems: list[str]) -> None:
    """Check the loaded page as a reader sees it and take its screenshot."""
    page.wait_for_load_state("load")
    where = f"{width} {name} ({page.url})"
    problems += [f"{where}: {p}" for p in monitor.take()]
    problems += [f"{where}: broken image {src}" for src in broken_images(page)]
    if width == "phone" and (extra := horizontal_overflow(page)):
        problems.append(f"{where}: the page is {extra}px wider than the phone's screen")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{width}-{name}.png"), full_page=True)


def click(page: Any, selector: str) -> str:
    """Click the first link matching selector and wait for the page it leads to; return its href."""
    link = page.locator(selector).first
    href = link.get_attribute("href")
    with page.expect_navigation():
        link.click()
    return href


def read_feed(page: Any, url: str, problems: list[str]) -> None:
    response = page.request.get(url)
    body = response.body()
    if response.status != 200:
        problems.append(f"feed {url}: HTTP {response.status}")
    elif url.endswith(".json"):
        if b'"https://jsonfeed.org/version/1.1"' not in body:
            problems.append(f"feed {url}: not a JSON Feed 1.1")
    else:
        feed = feedparser.parse(body, sanitize_html=False)
        if feed.bozo or not feed.entries:
            problems.append(f"feed {url}: feedparser cannot read it ({feed.get('bozo_exception')})")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_reader_walks_through_the_site(browser: Any, server: str, width: str) -> None:
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    monitor = Monitor(page)
    problems: list[str] = []
    try:
        page.goto(server)
        look(page, monitor, width, "home", problems)
        feeds = page.locator('head link[rel="alternate"]').evaluate_all("links => links.map(l => l.href)")
        assert len(feeds) >= 3, feeds  # RSS, Atom, JSON Feed

        entry = click(page, "ol.entry-list h2 a")
        assert page.url == server + entry.lstrip("/")
        assert page.locator("article.entry h1").is_visible()
        look(page, monitor, width, "entry", problems)

        topic = click(page, "article.entry header a.topic")
        assert page.url == server + topic.lstrip("/")
        look(page, monitor, width, "topic", problems)
        feeds += page.locator('head link[rel="alternate"]').evaluate_all("links => links.map(l => l.href)")
        for label in ("RSS", "Atom"):  # the topic's own feed links, followed as a reader would
            href = page.get_by_role("link", name=label, exact=True).first.get_attribute("href")
            feeds.append(server + href.lstrip("/"))

        click(page, ".site-header .site-title a")
        assert page.url == server
        nxt = click(page, 'nav.pagination a[rel="next"]')
        assert page.url == server + nxt.lstrip("/") and "/page/2/" in page.url
        look(page, monitor, width, "page-2", problems)

        page.locator('nav[aria-label="Site"] summary').click()  # "More": the places not in sight
        click(page, 'nav[aria-label="Site"] a:text-is("Archive")')
        assert page.url.endswith("/archive/")
        look(page, monitor, width, "archive", problems)

        feed_link = page.locator('nav[aria-label="Site"] a:text-is("Feed")')
        feed_url = server + feed_link.get_attribute("href").lstrip("/")
        with page.expect_response(feed_url) as answer:
            feed_link.click()
        assert answer.value.status == 200 and "xml" in answer.value.headers.get("content-type", "")
        feeds.append(feed_url)
        problems += [f"{width} feed: {p}" for p in monitor.take()]

        for url in dict.fromkeys(feeds):
            read_feed(page, url, problems)
    finally:
        context.close()
    assert_none(problems)


def test_every_page_loads_cleanly(browser: Any, server: str, site: Path) -> None:
    """No console error, failed request or broken image on any page, at desktop width."""
    context = browser.new_context(viewport=WIDTHS["desktop"])
    page = context.new_page()
    monitor = Monitor(page)
    problems: list[str] = []
    pages = sorted(site.rglob("*.html"))
    try:
        for file in pages:
            url = page_url(site, file, server)
            response = page.goto(url)
            if response is None or response.status != 200:
                problems.append(f"{url}: HTTP {response and response.status}")
            problems += [f"{url}: {p}" for p in monitor.take()]
            problems += [f"{url}: broken image {src}" for src in broken_images(page)]
    finally:
        context.close()
    assert len(pages) > 40
    assert_none(problems)


# --- the checks themselves, on a deliberately broken page ----------------------------------------------

BROKEN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Broken</title>
<link rel="stylesheet" href="/static/missing.css"></head>
<body><p>Hello</p><img src="/images/missing.png" alt="gone"><img src="/garbage.png" alt="not an image">
<script>console.error("boom"); undefined_function();</script>
<div style="width: 900px">too wide for a phone</div>
</body></html>
"""


def test_the_checks_see_what_a_reader_would(browser: Any, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "garbage.png").write_bytes(b"this is not a PNG")
    with serve(tmp_path) as url:
        context = browser.new_context(viewport=WIDTHS["phone"])
        page = context.new_page()
        monitor = Monitor(page)
        problems: list[str] = []
        try:
            page.goto(url)
            look(page, monitor, "phone", "checker-self-test", problems)
        finally:
            context.close()
    text = "\n".join(problems)
    assert f"HTTP 404: {url}static/missing.css" in text
    assert f"HTTP 404: {url}images/missing.png" in text
    assert "console error: boom" in text
    assert "script error: " in text and "undefined_function" in text
    assert "broken image /images/missing.png" in text and "broken image /garbage.png" in text
    assert "wider than the phone's screen" in text
    (SHOTS / "phone-checker-self-test.png").unlink()
