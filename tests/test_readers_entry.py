"""The sample journal's entry pages as a reader gets them: what they show at the top, and what they weigh."""

from __future__ import annotations

import gzip
import statistics
from pathlib import Path

import pytest

from readers_support import entry_pages, parse_html, text_of

from readers_support import site  # noqa: E402,F401

pytestmark = pytest.mark.slow

BUDGET = 30_000  # bytes of HTML and CSS an entry page costs a reader, images aside


def test_a_long_entry_of_the_sample_has_a_table_of_contents(site: Path) -> None:
    shown = {}
    for url, file in entry_pages(site).items():
        doc = parse_html(file)
        header = doc.xpath("//article/header")[0]
        assert text_of(header.xpath(".//*[@class='reading-time']")[0]).endswith(" min read"), url
        links = doc.xpath('//nav[@class="toc"]//a/@href')
        if links:
            shown[url] = links
            assert all(doc.xpath(f'//div[contains(@class, "e-content")]//*[@id="{href[1:]}"]') for href in links), url
    part4 = "/2026/learning-sql-part-4-window-functions-for-retention/"
    assert part4 in shown and len(shown[part4]) >= 3, sorted(shown)
    # In a series, the title comes first, then the series, then the contents, then the text.
    html = (site / part4.strip("/") / "index.html").read_text(encoding="utf-8")
    assert html.index("<h1") < html.index('class="series-toc"') < html.index('class="toc"') < html.index('e-content')


def test_entry_pages_stay_light(site: Path) -> None:
    """A typical entry page and the style sheet, as files, and the largest as a host sends them
    (compressed), stay under the budget."""
    css = (site / "static/style.css").read_bytes()
    pages = {url: file.read_bytes() for url, file in entry_pages(site).items()}
    typical = statistics.median(len(html) for html in pages.values()) + len(css)
    assert typical < BUDGET, f"a typical entry page and its CSS are {typical:.0f} bytes"
    largest = max(pages, key=lambda url: len(pages[url]))
    sent = len(gzip.compress(pages[largest])) + len(gzip.compress(css))
    assert sent < BUDGET, f"{largest} and its CSS are {sent} bytes compressed"
