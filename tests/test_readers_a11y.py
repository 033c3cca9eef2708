"""axe-core (bundled by axe-playwright-python) in Chromium finds no accessibility violation of serious
or critical impact on any page type of the sample site, in the light and the dark colour scheme, and
at phone width (where code blocks and tables start to scroll).

Page types: home, page 2, topics, a topic, archive, 404, every other page of the site navigation
(kinds, help wanted, library ...) with its first sub-page, and entries chosen to cover code, a table,
footnotes, a task list, an image and every kind of entry. All violations, of any impact, are written to
test-artifacts/axe-*.json.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from readers_support import ARTIFACTS, assert_none, axe_problems, entry_pages, parse_html

# The sample site, served, and a browser: fixtures shared with the other browser tests.
from readers_support import browser, server, site  # noqa: E402,F401

pytestmark = pytest.mark.slow

CONFIGS = {
    "light-desktop": {"color_scheme": "light", "viewport": {"width": 1280, "height": 800}},
    "dark-desktop": {"color_scheme": "dark", "viewport": {"width": 1280, "height": 800}},
    "light-phone": {"color_scheme": "light", "viewport": {"width": 390, "height": 844}},
}

FEATURES = {
    "code": "//pre",
    "table": "//main//table",
    "footnote": '//*[contains(@class, "footnote-ref")]',
    "task list": '//input[@type="checkbox"]',
    "image": "//main//img",
}


def entries_to_check(site: Path) -> list[str]:
    """Few entry pages that together show every Markdown feature and every kind of entry (greedy cover)."""
    offers: dict[str, set[str]] = {}
    for url, file in entry_pages(site).items():
        doc = parse_html(file)
        has = {name for name, xpath in FEATURES.items() if doc.xpath(xpath)}
        has |= {c for c in doc.xpath('//article/@class')[0].split() if c.startswith("kind-")}
        offers[url] = has
    wanted = set().union(*offers.values())
    missing = set(FEATURES) - wanted
    assert not missing, f"no entry of the sample journal shows {missing}: the accessibility check would miss them"
    chosen: list[str] = []
    while wanted:
        best = max(sorted(offers), key=lambda u: len(offers[u] & wanted))
        chosen.append(best)
        wanted -= offers[best]
    return chosen


def pages_to_check(site: Path) -> dict[str, str]:
    """Page type -> URL path."""
    home = parse_html(site / "index.html")
    pages = {"home": "/", "page 2": "/page/2/", "topics": "/topics/", "archive": "/archive/", "404": "/404.html"}
    for href in home.xpath('//nav[@aria-label="Site"]//a/@href'):
        if href.endswith("/") and href != "/":
            name = href.strip("/").replace("/", " ")
            pages.setdefault(name, href)
            index = parse_html(site / href.lstrip("/") / "index.html")
            sub = [h for h in index.xpath("//main//a/@href") if h.startswith(href) and h != href and h.endswith("/")]
            if sub:
                pages.setdefault(f"a page of {name}", sub[0])
    for n, url in enumerate(entries_to_check(site), 1):
        pages[f"entry {n}"] = url
    for path in pages.values():
        file = site / path.lstrip("/") / "index.html" if path.endswith("/") else site / path.lstrip("/")
        assert file.is_file(), path
    return pages


@pytest.mark.parametrize("config", CONFIGS)
def test_no_serious_accessibility_violation(browser: Any, server: str, site: Path, config: str) -> None:
    context = browser.new_context(**CONFIGS[config])
    page = context.new_page()
    problems: list[str] = []
    report: dict[str, Any] = {}
    try:
        for kind, path in pages_to_check(site).items():
            page.goto(server + path.lstrip("/"))
            found, results = axe_problems(page, f"{config} {kind} ({path})")
            problems += found
            report[path] = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
                             "targets": [n["target"] for n in v["nodes"]]} for v in results["violations"]]
    finally:
        context.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{config}.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    assert_none(problems)


def test_a_growth_stage_is_named_by_its_word_alone(browser: Any, server: str) -> None:
    """The emoji before a stage's name is decoration: a screen reader says "seedling", not the emoji's
    name and then "seedling" again."""
    page = browser.new_page()
    try:
        page.goto(server + "stages/")
        for stage in ("seedling", "budding", "evergreen"):
            heading = page.locator(f"h2#stage-{stage}")
            snapshot = heading.aria_snapshot()
            assert re.fullmatch(rf'- heading "{stage.capitalize()} \(\d+\)" \[level=2\]', snapshot), snapshot
            badge = heading.locator(".stage")
            assert badge.evaluate("e => getComputedStyle(e, '::before').content").startswith('"'), stage  # the emoji is shown
    finally:
        page.close()


# --- the checker itself, on a deliberately inaccessible page -------------------------------------------

BROKEN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Inaccessible</title></head>
<body><main>
<h1>Inaccessible</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p><input type="checkbox" disabled> a task</p>
<p style="color: #999; background: #aaa">faint text</p>
<pre style="width: 10rem; overflow-x: auto">a line of code far too long to fit in a box only ten rem wide, so it scrolls</pre>
</main></body></html>
"""


def test_axe_finds_serious_violations(browser: Any) -> None:
    context = browser.new_context(**CONFIGS["light-desktop"])
    page = context.new_page()
    try:
        page.set_content(BROKEN)
        problems, _ = axe_problems(page, "broken")
    finally:
        context.close()
    found = {p.split(": ", 1)[1].split(" ", 1)[0] for p in problems}
    assert {"image-alt", "label", "color-contrast", "scrollable-region-focusable"} <= found, problems
