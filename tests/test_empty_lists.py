"""Lists an imported blog would show empty are not made, nor linked: the kinds where no entry has one,
help wanted where no entry asks a question (the sweep found both empty on all 28 real folders)."""

from __future__ import annotations

from conftest import entry


def test_a_blog_of_plain_posts_has_no_kinds_or_help_wanted_pages_or_links(journal, publog) -> None:
    root = journal({"entries/2024-05-01-a.md": entry("A", "2024-05-01", "Text."),
                    "entries/2024-05-02-b.md": entry("B", "2024-05-02", "More.")})
    assert publog("build", root, "--strict", "--no-daemon").code == 0
    site = root / "_site"
    assert not (site / "kinds").exists() and not (site / "help-wanted").exists()
    for page in site.rglob("*.html"):
        html = page.read_text()
        assert 'href="/kinds/"' not in html and 'href="/help-wanted/"' not in html, page


def test_a_question_makes_help_wanted_and_kinds_even_once_answered(journal, publog) -> None:
    root = journal({"entries/2024-05-01-q.md": entry("Why?", "2024-05-01", "I wonder.", kind="question",
                                                     status="answered", answer="https://example.org/a")})
    assert publog("build", root, "--no-daemon").code == 0, publog("build", root, "--no-daemon").err
    site = root / "_site"
    assert (site / "help-wanted/index.html").is_file() and (site / "kinds/index.html").is_file()
    assert 'href="/help-wanted/"' in (site / "index.html").read_text()
