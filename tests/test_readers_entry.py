"""The sample journal's entry pages as a reader gets them: what they show at the top."""

from __future__ import annotations

from pathlib import Path

import pytest

from readers_support import entry_pages, parse_html, text_of

from readers_support import site  # noqa: E402,F401

pytestmark = pytest.mark.slow


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

