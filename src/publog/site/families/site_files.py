"""The pages every site has besides its entries: search, page not found, the sitemap and robots.txt."""

from __future__ import annotations

from typing import Any, Iterator, Sequence

from ..inputs import Inputs
from ..page import TEMPLATE, TEXT, Draft, Env, Page, titled


def search(inputs: Inputs) -> Iterator[Draft]:
    if inputs.env.site["search_url"]:
        yield Draft("/search/", "search.html", titled, ("Search", f"Find an entry of {inputs.config.title} by its words", {}))


def not_found(inputs: Inputs) -> Iterator[Draft]:
    yield Draft("/404.html", "404.html", titled, ("Page not found", "This page does not exist.", {}))


def crawlers(inputs: Inputs, pages: Sequence[Page]) -> Iterator[Draft]:
    """The sitemap of ``pages`` (every page of the other families), and robots.txt, which names it."""
    absolute = inputs.env.urls.absolute
    listed = sorted({p.url: p.lastmod for p in pages if p.kind == TEMPLATE and p.url != "/404.html"}.items())
    yield Draft("/sitemap.xml", "sitemap", _sitemap, ([(absolute(u), m) for u, m in listed],), kind=TEXT)
    yield Draft("/robots.txt", "robots", _robots, (absolute("/sitemap.xml"),), kind=TEXT)


def _sitemap(env: Env, urls: list[tuple[str, str]]) -> dict[str, Any]:
    return {"urls": urls}


def _robots(env: Env, sitemap: str) -> dict[str, Any]:
    return {"sitemap": sitemap}
