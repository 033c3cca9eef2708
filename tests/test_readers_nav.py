"""The site's navigation as readers meet it, in Chromium at a phone's width and a desktop's.

On every page type the header's navigation is at most two lines high on a phone and one on a desktop,
and no page scrolls sideways. The places readers go first are in sight; the others open from a "More"
disclosure that works by keyboard and without JavaScript. Every page links to every place the
navigation ever linked to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from readers_support import assert_none, horizontal_overflow, parse_html

# The sample site, served, and a browser: fixtures shared with the other browser tests.
from readers_support import browser, server, site  # noqa: E402,F401

pytestmark = pytest.mark.slow

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
MOST_LINES = {"phone": 2, "desktop": 1}
NAV = 'nav[aria-label="Site"]'
# Every place the navigation linked to before it had a menu; the sample journal has series, a network
# and search, so their conditional links are there too.
PLACES = {"/", "/topics/", "/kinds/", "/help-wanted/", "/library/", "/now/", "/archive/", "/feed.xml",
          "/series/", "/network/", "/search/"}


def page_types(site: Path) -> dict[str, str]:
    """A name -> the URL path of every entry page and of one page of each other type (home, page 2, a
    topic, the topics, a kind, the kinds, a week, the weeks, a series, the series, 404 ...)."""
    found: dict[str, str] = {}
    for file in sorted(site.rglob("*.html")):
        rel = file.relative_to(site).as_posix()
        folders = rel.split("/")[:-1]
        if folders and folders[0].isdigit():
            name = "entry " + folders[-1]
        elif not folders:
            name = "home" if rel == "index.html" else rel
        else:
            name = folders[0] + (" (one of them)" if len(folders) > 1 else "")
        found.setdefault(name, "/" + rel.removesuffix("index.html"))
    return found


def nav_lines(page: Any) -> tuple[int, float, float]:
    """How many lines the header's navigation takes (its items' distinct tops), its height, one line's height.
    One question to the page: a locator's round trips cost more than the measuring."""
    tops, height, line = page.evaluate("""nav => {
        const items = [...document.querySelectorAll(nav + ' > ul > li')].map(li => li.getBoundingClientRect());
        return [items.map(r => Math.round(r.top)), document.querySelector(nav).getBoundingClientRect().height,
                Math.max(...items.map(r => r.height))];
    }""", NAV)
    assert tops and height > 0, "the site's navigation is not shown"
    return len(set(tops)), height, line


def layout_problems(page: Any, width: str, where: str) -> list[str]:
    """What is wrong with the loaded page's layout at ``width``: sideways scroll, a navigation too high."""
    problems = []
    if extra := horizontal_overflow(page):
        problems.append(f"{where}: the page is {extra}px wider than the window")
    lines, height, line = nav_lines(page)
    most = MOST_LINES[width]
    if lines > most or height > most * line + (most - 1) * line / 2:
        problems.append(f"{where}: the navigation takes {lines} lines ({height:.0f}px, a line is {line:.0f}px)")
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_the_navigation_fits_on_every_page_type(browser: Any, server: str, site: Path, width: str) -> None:
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    problems: list[str] = []
    types = page_types(site)
    try:
        for name, path in types.items():
            page.goto(server + path.lstrip("/"))
            problems += layout_problems(page, width, f"{width} {name} ({path})")
        page.goto(server)
        page.locator(f"{NAV} summary").click()
        menu = page.locator(f"{NAV} details ul").bounding_box()
        if menu["x"] < 0 or menu["x"] + menu["width"] > WIDTHS[width]["width"] or horizontal_overflow(page):
            problems.append(f"{width}: the open menu leaves the window: {menu}")
    finally:
        context.close()
    assert {"home", "entry how-i-finally-understood-joins", "topics", "topics (one of them)", "kinds (one of them)",
            "archive", "series", "library", "now", "search", "help-wanted", "network", "404.html"} <= set(types), types
    assert_none(problems)


def test_every_page_links_to_every_place(site: Path) -> None:
    problems = []
    for file in sorted(site.rglob("*.html")):
        links = set(parse_html(file).xpath(f'//nav[@aria-label="Site"]//a/@href'))
        if links != PLACES:
            problems.append(f"{file.relative_to(site)}: missing {sorted(PLACES - links)}, more {sorted(links - PLACES)}")
    assert_none(problems)


def test_the_menu_opens_without_javascript_and_by_keyboard(browser: Any, server: str) -> None:
    context = browser.new_context(viewport=WIDTHS["phone"], java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(server)
        menu = page.locator(f"{NAV} details a")
        hidden = menu.evaluate_all("links => links.map(a => a.textContent)")
        assert "Library" in hidden and "Archive" in hidden and not menu.first.is_visible()
        # A reader who tabs through the header reaches "More" after the links in sight, opens it with
        # Enter, and tabs on into its links.
        focused = []
        for _ in range(12):
            page.keyboard.press("Tab")
            focused.append(page.evaluate("() => document.activeElement.textContent.trim()"))
            if focused[-1].startswith("More"):
                break
        assert focused[-5:] == ["Entries", "Topics", "Search", "Feed", "More"], focused
        page.keyboard.press("Enter")
        assert all(menu.nth(n).is_visible() for n in range(menu.count())), hidden
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.textContent") == hidden[0]
        with page.expect_navigation():
            page.locator(f"{NAV} details").get_by_role("link", name="Library").click()
        assert page.url == server + "library/"
    finally:
        context.close()
