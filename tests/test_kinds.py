"""Entry kinds: their fields on the page, their pages and feeds, help wanted, the library, custom kinds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import feedparser
import pytest

from conftest import SAMPLE, entry

KINDS = ["log", "case-study", "failure", "question", "til"]


def test_new_entry_of_every_kind_builds(tmp_path: Path, publog) -> None:
    publog("init", tmp_path)
    for kind in KINDS:
        result = publog("new", f"A {kind}", "--kind", kind, "--journal", tmp_path)
        assert result.code == 0
        assert f"kind: {kind}" in Path(result.out.strip()).read_text()
    result = publog("build", tmp_path)
    assert result.code == 0, result.err
    for kind in KINDS:
        page = next((tmp_path / "_site").glob(f"*/a-{kind}/index.html")).read_text()
        assert f'class="entry h-entry kind-{kind}"' in page
    log = next((tmp_path / "_site").glob("*/a-log/index.html")).read_text()
    assert "<dt>Period</dt>" in log
    question = next((tmp_path / "_site").glob("*/a-question/index.html")).read_text()
    assert "This is an open question." in question


def test_unknown_kind_in_new_lists_the_known_ones(tmp_path: Path, publog) -> None:
    result = publog("new", "x", "--kind", "poem", "--journal", tmp_path)
    assert result.code == 2
    assert "unknown kind 'poem'; known kinds: case-study, failure, log, question, til" in result.err


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from publog.run.build import Options, build

    root = tmp_path_factory.mktemp("kinds") / "journal"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("_site", ".publog-cache"))
    assert build(root, Options()).ok
    return root / "_site"


def test_sample_pages_show_structured_fields(site: Path) -> None:
    log = (site / "2026/week-1-hello-python/index.html").read_text()
    assert "<dt>Period</dt>" in log and "6–12 April 2026" in log
    assert "<cite>Automate the Boring Stuff with Python</cite></a> by Al Sweigart" in log
    assert "<dt>Key takeaways</dt>" in log and "<li>Thirty focused minutes a day beats a lost Saturday.</li>" in log

    case = (site / "2026/automating-the-weekly-nps-report/index.html").read_text()
    for label in ("Context", "What I tried", "What worked", "What didn&#39;t", "Outcome", "What I&#39;d do differently"):
        assert f"<dt>{label}</dt>" in case

    failure = (site / "2026/the-dashboard-that-misled-our-launch/index.html").read_text()
    assert "<dt>What happened</dt>" in failure and "<dt>What I learned</dt>" in failure

    answered = (site / "2026/why-do-my-joins-duplicate-rows/index.html").read_text()
    assert '<a href="/2026/how-i-finally-understood-joins/">Read the answer</a>' in answered
    external = (site / "2026/why-is-select-so-hard-to-style/index.html").read_text()
    assert 'href="https://developer.mozilla.org/' in external and "Read the answer" in external


def _entries_on(page: Path) -> list[str]:
    return re.findall(r'<h2 class="p-name"><a class="u-url" href="([^"]+)">', page.read_text())


def test_help_wanted_lists_exactly_the_open_questions(site: Path) -> None:
    open_questions = sorted(
        f"/2026/{p.parent.name}/" for p in site.glob("2026/*/index.html")
        if "This is an open question." in p.read_text()
    )
    assert len(open_questions) == 2
    assert sorted(_entries_on(site / "help-wanted/index.html")) == open_questions
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((site / "help-wanted" / name).read_bytes())
        assert not feed.bozo
        assert sorted(e.link.removeprefix("https://maya.example.org") for e in feed.entries) == open_questions


def test_kind_pages_and_feeds(site: Path) -> None:
    kinds = (site / "kinds/index.html").read_text()
    for kind, plural in (("log", "Learning logs"), ("case-study", "Case studies"), ("failure", "Failures"),
                         ("question", "Questions"), ("til", "TILs")):
        assert f'<a href="/kinds/{kind}/">{plural}</a>' in kinds
        feed = feedparser.parse((site / f"kinds/{kind}/feed.xml").read_bytes())
        assert not feed.bozo and feed.entries
        for item in feed.entries:
            page = site / item.link.removeprefix("https://maya.example.org/") / "index.html"
            assert f'class="entry h-entry kind-{kind}"' in page.read_text()
    home = (site / "index.html").read_text()
    assert '<a class="kind kind-case-study" href="/kinds/case-study/">Case study</a>' in home


def test_library_lists_every_source_with_its_entries(site: Path) -> None:
    library = (site / "library/index.html").read_text()
    cited = {}
    for page in site.glob("2026/*/index.html"):
        for title in re.findall(r'<span class="source-type">[^<]+</span> (?:<a href="[^"]+">)?<cite>([^<]+)</cite>', page.read_text()):
            cited.setdefault(title, set()).add(f"/2026/{page.parent.name}/")
    assert len(cited) >= 5
    for title, pages in cited.items():
        item = re.search(r'<li id="[^"]+">\s*(?:<a href="[^"]+">)?<cite>' + re.escape(title) + r"</cite>.*?</ul>", library, re.S)
        assert item, title
        assert set(re.findall(r'<li><a href="([^"]+)">', item.group(0))) == pages


def test_custom_kind_end_to_end(journal, publog) -> None:
    root = journal({
        "publog.yaml": """\
            kinds:
              book-notes:
                label: Book notes
                plural: Book notes
                description: Notes on books I read.
                required: {book: text, rating: number}
                optional: [quote]
                template: book.html
              til:
                label: Today I learned
            """,
        "theme/templates/book.html": "{% extends 'entry.html' %}{% block head %}<meta name=\"book\" content=\"{{ entry.fields_by_name.book }}\">{% endblock %}\n",
        "entries/a.md": entry("On Inspired", kind="book-notes", book="Inspired", rating="4", quote="'Fall in love with the problem'"),
        "entries/b.md": entry("A short one", kind="til"),
    })
    result = publog("build", root)
    assert result.code == 0, result.err
    page = (root / "_site/2024/a/index.html").read_text()
    assert '<meta name="book" content="Inspired">' in page
    assert "<dt>Book</dt>" in page and "<dt>Rating</dt>" in page and "Fall in love with the problem" in page
    assert '<a href="/kinds/book-notes/">Book notes</a>' in (root / "_site/kinds/index.html").read_text()
    assert (root / "_site/kinds/book-notes/feed.xml").is_file()
    assert "Today I learned" in (root / "_site/2024/b/index.html").read_text()

    (root / "entries/a.md").write_text(entry("On Inspired", kind="book-notes", rating="great"))
    result = publog("build", root)
    assert result.code == 1
    assert "entries/a.md:4: 'book' is required for a book notes entry; write a sentence or two" in result.err
    assert "entries/a.md:5: 'rating' must be a number, not 'great'" in result.err


BAD_FIELDS = {
    "unknown kind": ("kind: poem", "entries/a.md:4: unknown kind 'poem'; known kinds: case-study, failure, log, question, til"),
    "status": ("kind: question\nstatus: solved", "entries/a.md:5: 'status' must be 'open' or 'answered', not 'solved'"),
    "answered without answer": ("kind: question\nstatus: answered", "entries/a.md:5: an answered question needs 'answer'"),
    "answer to nothing": ("kind: question\nstatus: answered\nanswer: nope.md", "entries/a.md:6: 'answer': nope.md is no entry"),
    "period": ("kind: log\nperiod: last week", "entries/a.md:5: 'period' must be '{start: 2024-05-06, end: 2024-05-12}', not 'last week'"),
    "period backwards": ("kind: log\nperiod: {start: 2024-05-10, end: 2024-05-01}", "entries/a.md:5: 'period' ends (2024-05-01) before it starts (2024-05-10)"),
    "takeaways": ("kind: log\ntakeaways: {a: b}", "entries/a.md:5: 'takeaways' must be a list of short texts"),
    "source type": ("kind: log\nsources: [{type: movie, title: Up}]", "entries/a.md:5: 'sources' has a source of type 'movie'"),
    "source without title": ("sources: [{author: Someone}]", "entries/a.md:4: 'sources' must be a list of sources, each with a 'title'"),
    "case study text": ("kind: case-study\noutcome: [1, 2]", "entries/a.md:5: 'outcome' must be text, not [1, 2]"),
}


@pytest.mark.parametrize("case", sorted(BAD_FIELDS))
def test_kind_field_validation(case: str, journal, publog) -> None:
    front, expected = BAD_FIELDS[case]
    root = journal({"entries/a.md": f"---\ntitle: A\ndate: 2024-05-01\n{front}\n---\nText\n"})
    result = publog("build", root)
    assert result.code == 1
    assert any(p.startswith(expected) for p in result.problems), result.err


def test_bad_kind_declaration_in_config(journal, publog) -> None:
    root = journal({"publog.yaml": "kinds:\n  x:\n    required: {a: colour}\n", "entries/a.md": entry()})
    result = publog("build", root)
    assert result.code == 1
    assert "publog.yaml:1: kind 'x': field 'a' has type 'colour'; use one of text, texts, date" in result.err
