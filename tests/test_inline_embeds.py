"""![[note]] inside a sentence shows the note, as Obsidian does; the page stays valid HTML and never
shows a note that is not published."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import entry
from publog.run.build import Options, build
from readers_support import describe_nu, nu_check

NOTE = entry("Joins, explained", "2024-04-01", body="A join pairs rows.\n\n## Why rows double\n\nOne row matches two.")


def content(html: str) -> str:
    return html.split('<div class="content e-content">', 1)[1].split("</article>", 1)[0]


class _Blocks(HTMLParser):
    """Where a block opens inside a paragraph, which browsers would tear apart."""

    def __init__(self) -> None:
        super().__init__()
        self.open_p = 0
        self.wrong: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            self.open_p += 1
        elif tag in ("div", "h2", "ul", "blockquote") and self.open_p:
            self.wrong.append(f"<{tag}> inside <p> at line {self.getpos()[0]}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self.open_p -= 1


def blocks_in_paragraphs(html: str) -> list[str]:
    parser = _Blocks()
    parser.feed(html)
    return parser.wrong


def test_an_embed_in_a_sentence_shows_the_note_after_its_paragraph(journal, publog) -> None:
    root = journal({
        "entries/joins.md": NOTE,
        "entries/a.md": entry("A", "2024-05-01", body="As I wrote in ![[joins]], the **count ![[joins#Why rows double]] doubled**.\n\n"
                                                       "- a list item with ![[joins]] in it\n- and another\n\n> quoted ![[joins]] here\n"),
    })
    result = publog("build", root, "--strict")
    assert result.code == 0, result.err
    html = content((root / "_site/2024/a/index.html").read_text())
    assert blocks_in_paragraphs(html) == []
    # The sentence keeps its words and its link to the note; the note (and the section) follow the paragraph.
    assert ('<p>As I wrote in <a href="/2024/joins/">joins</a>, the <strong>count '
            '<a href="/2024/joins/#why-rows-double">joins › Why rows double</a> doubled</strong>.</p>\n'
            '<div class="embed">\n<p class="embed-source"><a href="/2024/joins/">Joins, explained</a></p>\n'
            "<p>A join pairs rows.</p>\n<h2>Why rows double</h2>\n<p>One row matches two.</p>\n</div>\n"
            '<div class="embed">\n<p class="embed-source"><a href="/2024/joins/#why-rows-double">Joins, explained</a></p>\n'
            "<h2>Why rows double</h2>\n<p>One row matches two.</p>\n</div>\n") in html
    assert html.count('<div class="embed">') == 4  # the sentence's two, the list item's and the quote's
    assert re.search(r'<li>a list item with <a href="/2024/joins/">joins</a> in it<div class="embed">', html)
    assert re.search(r'<blockquote>\n<p>quoted <a href="/2024/joins/">joins</a> here</p>\n<div class="embed">', html)


def test_a_paragraph_of_embeds_alone_is_the_notes(journal, publog) -> None:
    root = journal({
        "entries/joins.md": NOTE,
        "entries/b.md": entry("B", "2024-05-01", body="Two notes:\n\n![[joins]]\n![[joins#Why rows double]]\n"),
    })
    assert publog("build", root, "--strict").code == 0
    html = content((root / "_site/2024/b/index.html").read_text())
    assert html.count('<div class="embed">') == 2 and "<p><a" not in html and blocks_in_paragraphs(html) == []


def test_an_image_embedded_in_a_sentence_stays_in_it(journal, publog) -> None:
    from PIL import Image

    root = journal({"entries/c.md": entry("C", "2024-05-01", body="The chart ![[chart.png|200]] says it all.\n")})
    Image.new("RGB", (8, 8)).save(root / "entries/chart.png")
    assert publog("build", root, "--strict").code == 0
    html = content((root / "_site/2024/c/index.html").read_text())
    assert '<p>The chart <img src="/chart.png" alt="" width="200" /> says it all.</p>' in html
    assert "embed" not in html


@pytest.mark.parametrize("hidden", ["private: true", "draft: true"])
def test_a_note_not_published_embedded_in_a_sentence_shows_nothing_of_it(journal, publog, hidden: str) -> None:
    secret = "---\ntitle: Salary talk plan\ndate: 2024-04-01\n" + hidden + "\n---\nAsk for forty-two thousand.\n"
    root = journal({
        "entries/plan.md": secret,
        "entries/a.md": entry("A", "2024-05-01", body="Intro.\n\nBefore the review I read ![[plan]] twice.\n"),
    })
    result = publog("build", root)
    assert result.code == 0, result.err
    assert result.problems == ["entries/a.md:7: warning: links to [[plan]], which is not published "
                               "(a draft, private or dated in the future); the link shows as plain text"]
    html = content((root / "_site/2024/a/index.html").read_text())
    assert "<p>Before the review I read <a class=\"missing-link\">" in html and "embed" not in html
    for file in (root / "_site").rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            assert b"forty-two" not in data and b"Salary talk" not in data and b"plan]]" not in data, file


def test_editing_a_note_embedded_in_a_sentence_changes_the_page_showing_it(journal) -> None:
    root = journal({"entries/joins.md": NOTE, "entries/a.md": entry("A", "2024-05-01", body="See ![[joins]] first.\n")})
    build(root, Options())
    note = root / "entries/joins.md"
    note.write_text(note.read_text().replace("A join pairs rows.", "A join pairs rows, edited."))
    build(root, Options())
    assert "A join pairs rows, edited." in (root / "_site/2024/a/index.html").read_text()


@pytest.mark.slow
def test_pages_with_inline_embeds_pass_the_nu_checker(journal, publog) -> None:
    root = journal({
        "entries/joins.md": NOTE,
        "entries/a.md": entry("A", "2024-05-01", body="As I wrote in ![[joins]], **the ![[joins]] count** doubled.\n\n"
                                                       "- with ![[joins#Why rows double]] in it\n\n> quoted ![[joins]]\n"),
    })
    assert publog("build", root, "--strict").code == 0
    site = root / "_site"
    errors, _ = nu_check([site / "2024/a/index.html"])
    assert [describe_nu(m, site) for m in errors] == []
