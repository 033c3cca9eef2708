"""The garden theme (`theme: garden`) as readers meet it: the sample journal built with it, read with the
tools the default theme is checked with (the Nu checker, axe-core, Chromium at a phone's and a desktop's
width), and what a digital garden promises: notes with their stage and last tending, backlinks and the
link map beside them, previews of linked notes on hover or focus where scripts run, plain links where
they do not. Screenshots of a garden note and the garden's entrance go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import shutil
import statistics
from pathlib import Path
from typing import Any

import pytest

from readers_support import (ARTIFACTS, SAMPLE, Monitor, assert_none, axe_problems, describe_nu, entry_pages,
                             horizontal_overflow, nu_check, parse_html, text_of)
# A local web server and a browser, shared with the other browser tests; `server` serves this module's site.
from readers_support import browser, server  # noqa: E402,F401
from test_readers_a11y import CONFIGS, entries_to_check
from test_readers_entry import BUDGET
from test_readers_nav import WIDTHS, layout_problems, page_types

pytestmark = pytest.mark.slow

SHOTS = ARTIFACTS / "screenshots"
NOTE = "/2026/how-i-finally-understood-joins/"  # evergreen, in a series, linked from five notes, with a toc of none
SCRIPT_MOST = 6_000  # bytes of garden.js: a small enhancement, counted apart from the HTML and CSS


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample journal, built with `theme: garden` (its own publog.yaml keeps the default)."""
    from publog.run.build import Options, build

    root = tmp_path_factory.mktemp("garden") / "journal"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("_site", ".publog-cache"))
    config = root / "publog.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\ntheme: garden\n", encoding="utf-8")
    result = build(root, Options())
    assert result.ok and not result.problems, [str(p) for p in result.problems]
    return root / "_site"


def note(site: Path, path: str) -> Any:
    return parse_html(site / path.strip("/") / "index.html")


# --- what the pages show ------------------------------------------------------------------------

def test_a_note_shows_its_stage_its_tending_and_its_backlinks_beside_it(site: Path) -> None:
    doc = note(site, NOTE)
    header = doc.xpath("//article/header")[0]
    assert text_of(header.xpath(".//a[contains(@class, 'stage')]")[0]) == "evergreen"
    assert "Planted 14 July 2026" in text_of(header) and "Last tended 2 August 2026" in text_of(header)
    assert header.xpath(".//time[contains(@class, 'dt-updated')]/@datetime")[0].startswith("2026-08-02")
    # Beside the note (after it in the page, in a column of its own on a wide screen): every note whose
    # text links here, each once, and the map of its links.
    side = doc.xpath("//div[@class='note-side']")[0]
    linking = sorted(url for url, file in entry_pages(site).items()
                     if NOTE in {h.split("#")[0] for h in parse_html(file).xpath("//div[contains(@class, 'e-content')]//a/@href")})
    backlinks = side.xpath(".//section[@class='backlinks']//li/a/@href")
    assert len(linking) >= 3 and sorted(backlinks) == linking, (backlinks, linking)
    assert side.xpath(".//figure[@class='link-map']/svg") and "Link map" in text_of(side)
    assert not doc.xpath("//nav[@class='neighbours']")  # notes, not a dated river: no older / newer


def test_the_entrance_shows_recently_tended_notes_and_the_topics(site: Path) -> None:
    home = parse_html(site / "index.html")
    tended = home.xpath("//section[@aria-labelledby='tended-title']//a[@class='note-title']/@href")
    dates = home.xpath("//section[@aria-labelledby='tended-title']//time/@datetime")
    assert len(tended) == 6 and dates == sorted(dates, reverse=True), dates
    # The first is the note tended last: its own page says so.
    last = note(site, tended[0]).xpath("//article/header//time/@datetime")
    assert dates[0] == max(last), (dates[0], last)
    topics = home.xpath("//section[@aria-labelledby='topics-title']//a/@href")
    assert "/topics/sql/" in topics and all((site / t.strip("/") / "index.html").is_file() for t in topics)
    assert home.xpath("//ol[contains(@class, 'note-index')]/li/a/@href")  # and every note, page by page


def test_note_pages_stay_light(site: Path) -> None:
    """A typical note page with its two style sheets stays under the default theme's budget; the
    script is small and counted apart."""
    css = len((site / "static/style.css").read_bytes()) + len((site / "static/garden.css").read_bytes())
    typical = statistics.median(len(f.read_bytes()) for f in entry_pages(site).values()) + css
    script = len((site / "static/garden.js").read_bytes())
    assert typical < BUDGET, f"a typical note page and its CSS are {typical:.0f} bytes"
    assert script < SCRIPT_MOST, f"garden.js is {script} bytes"


def test_every_page_is_valid_html(site: Path) -> None:
    files = sorted(site.rglob("*.html"))
    errors, _ = nu_check(files)
    assert len(files) > 40
    assert_none([describe_nu(m, site) for m in errors])


# --- in a browser -------------------------------------------------------------------------------

@pytest.mark.parametrize("config", CONFIGS)
def test_no_serious_accessibility_violation(browser: Any, server: str, site: Path, config: str) -> None:
    """The pages the garden draws its own way (its entrance, its notes, with a preview open too)."""
    context = browser.new_context(**CONFIGS[config])
    page = context.new_page()
    problems: list[str] = []
    paths = {"home": "/", "page 2": "/page/2/", "note": NOTE, **{f"note {n}": u for n, u in enumerate(entries_to_check(site))}}
    try:
        for kind, path in paths.items():
            page.goto(server + path.lstrip("/"))
            problems += axe_problems(page, f"{config} {kind} ({path})")[0]
        page.goto(server + NOTE.lstrip("/"))
        page.locator(".e-content a[href^='/2026/']").first.focus()
        page.locator("#note-preview").wait_for(state="visible")
        problems += axe_problems(page, f"{config} note with a preview open")[0]
    finally:
        context.close()
    assert_none(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways_and_the_navigation_fits(browser: Any, server: str, site: Path, width: str) -> None:
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    monitor = Monitor(page)
    problems: list[str] = []
    try:
        for name, path in page_types(site).items():
            page.goto(server + path.lstrip("/"))
            where = f"{width} {name} ({path})"
            problems += [f"{where}: {p}" for p in monitor.take()]
            problems += layout_problems(page, width, where)
        SHOTS.mkdir(parents=True, exist_ok=True)
        for name, path in (("note", NOTE), ("home", "/")):
            page.goto(server + path.lstrip("/"))
            page.screenshot(path=str(SHOTS / f"{width}-garden-{name}.png"), full_page=True)
    finally:
        context.close()
    assert_none(problems)


def summary_of(site: Path, path: str) -> str:
    return note(site, path).xpath("//article/header/data[contains(@class, 'p-summary')]/@value")[0]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_linked_note_previews_on_hover_and_on_focus(browser: Any, server: str, site: Path, width: str) -> None:
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    monitor = Monitor(page)
    preview = page.locator("#note-preview")
    try:
        page.goto(server + NOTE.lstrip("/"))
        link = page.locator(".e-content a[href^='/2026/']").first
        target = link.get_attribute("href")
        link.hover()
        preview.wait_for(state="visible")
        assert summary_of(site, target) in text_of_page(preview)
        if width == "desktop":
            page.screenshot(path=str(SHOTS / "desktop-garden-preview.png"))
        page.mouse.move(0, 0)  # away from the link and its preview: it closes
        preview.wait_for(state="hidden")

        backlink = page.locator(".note-side .backlinks a").first  # by keyboard, beside the note too
        backlink.focus()
        preview.wait_for(state="visible")
        assert summary_of(site, backlink.get_attribute("href")) in text_of_page(preview)
        assert backlink.get_attribute("aria-describedby") == "note-preview"
        assert not horizontal_overflow(page)
        page.keyboard.press("Escape")
        preview.wait_for(state="hidden")
        assert backlink.get_attribute("aria-describedby") is None
        assert monitor.take() == []
    finally:
        context.close()


def text_of_page(locator: Any) -> str:
    return " ".join(locator.inner_text().split())


def test_links_are_plain_links_without_javascript(browser: Any, server: str) -> None:
    context = browser.new_context(viewport=WIDTHS["desktop"], java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(server + NOTE.lstrip("/"))
        link = page.locator(".e-content a[href^='/2026/']").first
        target = link.get_attribute("href")
        link.hover()
        assert page.locator("#note-preview").count() == 0
        with page.expect_navigation():
            link.click()
        assert page.url == server + target.lstrip("/")
        assert page.locator("article.entry h1").is_visible()
    finally:
        context.close()
