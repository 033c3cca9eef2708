"""Search on a static host: the Pagefind index of the sample site, used in a real headless browser."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from conftest import entry
from readers_support import Monitor, assert_none, serve
from readers_support import browser, server, site  # noqa: F401

pytestmark = pytest.mark.slow


def search(browser, url: str, words: str) -> list[tuple[str, str]]:  # noqa: F811
    page = browser.new_page()
    monitor = Monitor(page)
    page.goto(url + "search/")
    page.get_by_label("Words to look for in every entry").fill(words)
    page.wait_for_selector("#search-results li a", timeout=10000)
    results = page.eval_on_selector_all("#search-results li a", "els => els.map(e => [e.getAttribute('href'), e.textContent])")
    assert "found" in page.inner_text("#search-status")
    assert_none(monitor.take())
    page.close()
    return [tuple(r) for r in results]


def test_search_finds_an_entry_by_a_word_of_its_body(browser, server) -> None:  # noqa: F811
    # "reconcile" appears in the body of the JOINs entry, not in any title
    results = search(browser, server, "reconcile")
    assert ("/2026/how-i-finally-understood-joins/", "Learning SQL, part 3: how I finally understood JOINs") in results


def test_the_search_page_says_what_to_do_without_javascript(browser, server) -> None:  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "search/")
    text = page.inner_text("main")
    assert "needs JavaScript" in text
    assert page.get_attribute("noscript a, main a[href='/archive/']", "href") == "/archive/"
    # The form still searches: the words go to a web search engine, limited to the site's host.
    asked: list[str] = []
    page.route("https://duckduckgo.com/**", lambda route: (asked.append(route.request.url), route.fulfill(body="ok")))
    page.get_by_label("Words to look for in every entry").fill("reconcile joins")
    page.keyboard.press("Enter")
    page.wait_for_url("https://duckduckgo.com/**")
    assert asked == ["https://duckduckgo.com/?q=reconcile+joins&sites=maya.example.org"]
    context.close()


def test_a_site_on_localhost_sends_a_search_without_javascript_to_its_archive(journal, publog) -> None:
    root = journal({"entries/2024-01-01-a.md": entry("A", "2024-01-01", body="Words about llamas.")})
    assert publog("build", root).code == 0
    page = (root / "_site/search/index.html").read_text(encoding="utf-8")
    assert 'action="/archive/"' in page and "duckduckgo" not in page


def index_text(site_: Path) -> str:
    """Every word the index holds: its fragments are gzip-compressed."""
    return "".join(gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in (site_ / "pagefind/fragment").iterdir())


def test_drafts_and_private_entries_are_never_indexed(journal, publog) -> None:
    root = journal({
        "entries/2024-01-01-public.md": entry("Public", "2024-01-01", body="Plain words about zebras."),
        "entries/2024-01-02-draft.md": entry("Draft", "2024-01-02", draft="true", body="Secret word quokka."),
        "entries/2024-01-03-private.md": entry("Private", "2024-01-03", private="true", body="Secret word axolotl."),
    })
    assert publog("build", root, "--drafts").code == 0
    text = index_text(root / "_site")
    assert "zebras" in text and "quokka" not in text and "axolotl" not in text
    assert publog("build", root).code == 0
    text = index_text(root / "_site")
    assert "zebras" in text and "quokka" not in text and "axolotl" not in text


def test_the_index_is_remade_only_when_an_entry_changed(journal, publog) -> None:
    root = journal({"entries/2024-01-01-a.md": entry("A", "2024-01-01", body="Words about llamas."),
                    "static/x.txt": "one"})
    assert publog("build", root).code == 0
    before = {p: p.stat().st_mtime_ns for p in (root / "_site/pagefind").rglob("*") if p.is_file()}
    (root / "static/x.txt").write_text("two")
    assert publog("build", root).code == 0
    assert {p: p.stat().st_mtime_ns for p in (root / "_site/pagefind").rglob("*") if p.is_file()} == before
    (root / "entries/2024-01-01-a.md").write_text(entry("A", "2024-01-01", body="Words about alpacas."))
    assert publog("build", root).code == 0
    assert "alpacas" in index_text(root / "_site") and "llamas" not in index_text(root / "_site")


def test_search_can_be_turned_off(journal, publog) -> None:
    root = journal({"publog.yaml": "search: false\n", "entries/2024-01-01-a.md": entry("A", "2024-01-01")})
    assert publog("build", root).code == 0
    assert not (root / "_site/pagefind").exists() and not (root / "_site/search").exists()
    assert "/search/" not in (root / "_site/index.html").read_text()


def test_an_entry_at_an_html_address_is_found(journal, publog) -> None:
    # An old site's /2017/06/21/post.html: its page was a folder to Pagefind, which left it out.
    root = journal({"publog.yaml": "permalink: /{year}/{slug}.html\n",
                    "entries/2024-01-01-a.md": entry("A", "2024-01-01", body="Words about capybaras and $x_i$."),
                    "entries/2024-01-02-b.md": entry("B", "2024-01-02", body="Words about wombats.")})
    assert publog("build", root).code == 0
    text = index_text(root / "_site")
    assert "capybaras" in text and "wombats" in text
    assert '"url":"/2024/a.html"' in text.replace(" ", "")


def test_search_finds_entries_in_every_part_of_the_index(browser, journal, publog, monkeypatch) -> None:  # noqa: F811
    from publog.render import search as search_mod

    monkeypatch.setattr(search_mod, "PART_SIZE", 3)  # a journal of twelve in four parts; the rule is the same at any size
    animals = "aardvark badger cheetah dingo eland ferret gecko heron ibex jackal koala lemur".split()
    root = journal({f"entries/2024-01-{n + 1:02d}-note-{n}.md": entry(f"Note {n}", f"2024-01-{n + 1:02d}",
                                                                     body=f"Zebras and a {animal}.")
                    for n, animal in enumerate(animals)})
    assert publog("build", root).code == 0
    assert (root / "_site/pagefind/parts.json").read_text() == '["part-1", "part-2", "part-3"]'
    with serve(root / "_site") as url:
        found = search(browser, url, "zebras")
        assert sorted(href for href, _ in found) == sorted(f"/2024/note-{n}/" for n in range(12))
        assert search(browser, url, "heron") == [("/2024/note-7/", "Note 7")]
