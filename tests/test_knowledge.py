"""Links between entries: wiki links, backlinks, series, related entries."""

from __future__ import annotations

import re

import pytest
from pathlib import Path

from conftest import entry
from test_incremental import files


def page(root: Path, url: str) -> str:
    return (root / "_site" / url.strip("/") / "index.html").read_text()


def section(html: str, title: str) -> str:
    """The text of the <section> whose heading is ``title``, or ''."""
    found = re.search(r"<section[^>]*>\s*<h2[^>]*>" + re.escape(title) + r"</h2>(.*?)</section>", html, re.S)
    return found.group(1) if found else ""


NOTES = {
    "publog.yaml": "title: Notes\nbase_url: https://example.org/\n",
    "entries/2024-01-01-joins.md": entry("How JOINs work", "2024-01-01", body="## Fan-out\n\nRows multiply."),
    "entries/tils/2024-01-05-count-distinct.md": entry("COUNT DISTINCT", "2024-01-05", body="Counting once."),
}


def test_wiki_links_resolve_by_file_name_slug_or_title(journal, publog) -> None:
    root = journal({**NOTES, "entries/2024-02-01-review.md": entry("Review", "2024-02-01", body=(
        "By name [[2024-01-01-joins]], with suffix [[2024-01-01-joins.md]], by slug [[count-distinct]],\n"
        "by title in any case [[how joins WORK]], aliased [[joins|the joins post]],\n"
        "to a heading [[2024-01-01-joins#Fan-out]] and [[How JOINs work#Fan-out|fan-out]], by path [[tils/2024-01-05-count-distinct]]."))})
    result = publog("build", root, "--strict")
    assert result.code == 0, result.err
    html = page(root, "/2024/review/")
    assert '<a href="/2024/2024-01-01-joins/">' not in html
    links = re.findall(r'<a href="(/2024/[^"]*)">([^<]*)</a>', html.split('class="content e-content"')[1].split("</div>")[0])
    assert links == [
        ("/2024/joins/", "2024-01-01-joins"), ("/2024/joins/", "2024-01-01-joins.md"),
        ("/2024/count-distinct/", "count-distinct"), ("/2024/joins/", "how joins WORK"),
        ("/2024/joins/", "the joins post"), ("/2024/joins/#fan-out", "2024-01-01-joins › Fan-out"),
        ("/2024/joins/#fan-out", "fan-out"), ("/2024/count-distinct/", "tils/2024-01-05-count-distinct"),
    ]
    assert 'id="fan-out"' in page(root, "/2024/joins/")


def test_wiki_links_in_code_stay_as_written(journal, publog) -> None:
    root = journal({**NOTES, "entries/2024-02-01-code.md": entry("Code", "2024-02-01", body=(
        "Inline `[[joins]]` stays.\n\n```\n[[joins]]\n```\n\n    [[joins]]\n"))})
    assert publog("build", root, "--strict").code == 0
    content = page(root, "/2024/code/").split('class="content e-content"')[1].split("</article>")[0]
    assert "<code>[[joins]]</code>" in content
    assert content.count("[[joins]]") == 3
    assert "/2024/joins/" not in content


def test_an_unresolved_wiki_link_warns_and_renders_as_missing_text(journal, publog) -> None:
    root = journal({**NOTES, "entries/2024-02-01-a.md": entry("A", "2024-02-01", body="First line.\nSee [[Nowhere to be found|this]].")})
    result = publog("build", root)
    assert result.code == 0
    assert ("entries/2024-02-01-a.md:6: warning: [[Nowhere to be found]] matches no entry's file name, slug or title; "
            "fix the link or write the entry") in result.problems
    assert '<a class="missing-link">this</a>' in page(root, "/2024/a/")
    strict = publog("build", root, "--strict")
    assert strict.code == 1
    assert "entries/2024-02-01-a.md:6: warning: [[Nowhere to be found]]" in strict.err


def test_an_ambiguous_wiki_link_warns_naming_obsidians_choice_and_the_qualified_forms(journal, publog) -> None:
    root = journal({
        **NOTES,
        "entries/logs/2024-01-02-week-1.md": entry("Week 1", "2024-01-02"),
        "entries/tils/2024-01-02-week-1.md": entry("Week 1 TIL", "2024-01-02", slug="week-1-til"),
        "entries/2024-02-01-a.md": entry("A", "2024-02-01", body="See [[week 1 til]]... no, [[2024-01-02-week-1]]."),
    })
    result = publog("build", root)
    assert result.code == 0
    assert result.problems == [
        "entries/2024-02-01-a.md:5: warning: [[2024-01-02-week-1]] could mean 2 entries; publog links "
        "entries/logs/2024-01-02-week-1.md, as Obsidian would; to choose, write [[logs/2024-01-02-week-1]] for "
        "entries/logs/2024-01-02-week-1.md, [[tils/2024-01-02-week-1]] for entries/tils/2024-01-02-week-1.md",
    ]
    assert publog("build", root, "--strict").code == 1
    (root / "entries/2024-02-01-a.md").write_text(entry("A", "2024-02-01", body="See [[tils/2024-01-02-week-1]] and [[Week 1]]."))
    assert publog("build", root, "--strict").code == 0
    assert re.findall(r'<a href="([^"]+)">', page(root, "/2024/a/").split('class="content e-content"')[1])[:2] == [
        "/2024/week-1-til/", "/2024/week-1/"]


def test_links_to_drafts_and_future_entries_are_plain_text_and_never_backlinks(journal, publog) -> None:
    root = journal({
        **NOTES,
        "entries/2024-02-01-secret-plans.md": entry("Secret plans for Acme", "2024-02-01", draft="true", body="See [[joins]]."),
        "entries/2999-01-01-later.md": entry("Later", "2999-01-01", body="See [[joins]]."),
        "entries/2024-02-02-public.md": entry("Public", "2024-02-02", body="Soon: [[Secret plans for Acme|my plans]] and [[later]]."),
    })
    result = publog("build", root)
    assert result.code == 0
    html = page(root, "/2024/public/")
    assert '<a class="missing-link">my plans</a>' in html and '<a class="missing-link">later</a>' in html
    assert "Acme" not in html
    assert "entries/2024-02-02-public.md:5: warning: links to [[Secret plans for Acme]], which is not published" in result.err
    assert "Referenced by" not in page(root, "/2024/joins/")


def test_backlinks_list_every_linking_entry_with_its_sentence(journal, publog) -> None:
    root = journal({
        **NOTES,
        "entries/2024-02-01-a.md": entry("Wiki linker", "2024-02-01", body="Intro here. I finally got [[joins|joins]] after weeks! Then more."),
        "entries/2024-03-01-b.md": entry("Path linker", "2024-03-01", body="Some words.\nAs [the joins post](2024-01-01-joins.md) showed,\nrows multiply. Next."),
        "entries/2024-03-02-c.md": entry("Self and twice", "2024-03-02", body="[[joins]] once. [[joins]] twice."),
    })
    assert publog("build", root, "--strict").code == 0
    backlinks = section(page(root, "/2024/joins/"), "Referenced by")
    items = re.findall(r'<li><a href="([^"]+)">([^<]+)</a>.*?<blockquote>(.*?)</blockquote></li>', backlinks, re.S)
    assert items == [
        ("/2024/c/", "Self and twice", "joins once."),
        ("/2024/b/", "Path linker", "As the joins post showed, rows multiply."),
        ("/2024/a/", "Wiki linker", "I finally got joins after weeks!"),
    ]
    assert "Referenced by" not in page(root, "/2024/a/")


SERIES = {
    "publog.yaml": "title: S\nbase_url: https://example.org/\n",
    "entries/2024-01-10-part-b.md": entry("Part B", "2024-01-10", series="Learning SQL", series_order="2"),
    "entries/2024-01-01-part-a.md": entry("Part A", "2024-01-01", series="Learning SQL", series_order="1"),
    "entries/2024-03-01-part-c.md": entry("Part C", "2024-03-01", series="learning sql"),
    "entries/2024-02-01-aside.md": entry("Aside", "2024-02-01"),
}


def test_series_show_their_contents_and_the_way_on(journal, publog) -> None:
    root = journal(SERIES)
    assert publog("build", root, "--strict").code == 0
    middle = page(root, "/2024/part-b/")
    toc = re.search(r'<nav class="series-toc"(.*?)</nav>', middle, re.S).group(1)
    assert "Part 2 of 3 in the series Learning SQL" in toc and '<a href="/series/learning-sql/">The series Learning SQL</a>' in toc
    assert re.findall(r"<li>(.*?)</li>", toc) == [
        '<a href="/2024/part-a/">Part A</a>', '<span aria-current="page">Part B</span>', '<a href="/2024/part-c/">Part C</a>']
    step = re.search(r'<nav class="series-step"(.*?)</nav>', middle, re.S).group(1)
    assert re.findall(r'<a href="([^"]+)"><span>(.*?)</span>', step) == [
        ("/2024/part-a/", "Previous in the series"), ("/2024/part-c/", "Next in the series")]
    assert "Next in the series" not in page(root, "/2024/part-c/")
    assert "series-toc" not in page(root, "/2024/aside/")
    listing = page(root, "/series/learning-sql/")
    assert re.findall(r'<h2 class="p-name"><a class="u-url" href="([^"]+)">', listing) == ["/2024/part-a/", "/2024/part-b/", "/2024/part-c/"]
    assert '<a href="/series/learning-sql/">Learning SQL</a> <span class="count">3</span>' in page(root, "/series/")
    assert '<a href="/series/">Series</a>' in page(root, "/")


def test_a_journal_without_series_has_no_series_pages(journal, publog) -> None:
    root = journal(NOTES)
    assert publog("build", root).code == 0
    assert not (root / "_site/series").exists()
    assert "/series/" not in page(root, "/")


def test_a_series_order_that_is_no_number_is_an_error_at_its_line(journal, publog) -> None:
    root = journal({**SERIES, "entries/2024-01-01-part-a.md": entry("Part A", "2024-01-01", series="Learning SQL", series_order="first")})
    result = publog("build", root)
    assert result.code == 1
    assert result.problems == ["entries/2024-01-01-part-a.md:5: 'series_order' should be a number: "
                               "this entry's place in its series (1, 2, 3 ...)"]


def test_related_entries_prefer_links_then_shared_topics_and_are_stable(journal, publog, tmp_path) -> None:
    files_ = {
        "publog.yaml": "title: R\nbase_url: https://example.org/\n",
        "entries/2024-01-01-hub.md": entry("Hub", "2024-01-01", tags="[sql, python]"),
        "entries/2024-01-02-linked.md": entry("Linked", "2024-01-02", tags="[cooking]", body="Back to [[hub]]."),
        "entries/2024-01-03-both.md": entry("Both topics", "2024-01-03", tags="[sql, python]"),
        "entries/2024-01-04-one.md": entry("One topic", "2024-01-04", tags="[sql]"),
        "entries/2024-01-05-none.md": entry("Unrelated", "2024-01-05", tags="[travel]"),
    }
    first = journal(files_, name="one")
    second = journal(files_, name="two")
    assert publog("build", first).code == 0 and publog("build", second).code == 0
    related = section(page(first, "/2024/hub/"), "Read next")
    assert re.findall(r'<a href="([^"]+)">', related) == ["/2024/linked/", "/2024/both/", "/2024/one/"]
    assert files(first / "_site") == files(second / "_site")


def test_a_new_backlink_rerenders_the_target_page(journal) -> None:
    from publog.run.build import Options, build

    root = journal(NOTES)
    assert build(root, Options()).ok
    before = page(root, "/2024/joins/")
    (root / "entries/2024-03-01-new.md").write_text(entry("New", "2024-03-01", body="Building on [[How JOINs work]]."))
    result = build(root, Options())
    assert result.ok
    after = page(root, "/2024/joins/")
    assert "Referenced by" not in before and '<a href="/2024/new/">New</a>' in section(after, "Referenced by")


MAP = {
    "publog.yaml": """\
        title: M
        base_url: https://example.org/
        topics:
          product: {name: Product, goal: Ship what matters}
          discovery: {name: Discovery, parent: product, description: Finding out what to build, goal: Interview weekly}
        """,
    "entries/2024-01-10-first.md": entry("First", "2024-01-10", tags="[discovery]", kind="log",
                                         sources="[{type: book, title: Continuous Discovery Habits, author: Teresa Torres}]"),
    "entries/2024-03-05-ask.md": entry("How do I recruit?", "2024-03-05", tags="[discovery]", kind="question"),
    "entries/2024-03-20-til.md": entry("A TIL", "2024-03-20", tags="[discovery, other]", kind="til"),
}


def test_a_topic_page_is_a_map_of_what_was_learned(journal, publog) -> None:
    root = journal(MAP)
    assert publog("build", root, "--strict").code == 0
    html = page(root, "/topics/discovery/")
    learned = re.search(r'<section class="topic-map".*?</section>', html, re.S).group(0)
    assert 'Part of <a href="/topics/product/">Product</a>' in learned
    assert "<strong>Goal:</strong> Interview weekly" in learned
    assert re.search(r'Started with <a href="/2024/first/">First</a> on <time[^>]*>10 January 2024</time>; '
                     r'last wrote <a href="/2024/til/">A TIL</a>', learned)
    kinds = re.findall(r'<a href="/kinds/([^/]+)/">[^<]+</a> <span class="count">(\d+)</span>', learned)
    assert sorted(kinds) == [("log", "1"), ("question", "1"), ("til", "1")]
    assert '<a href="/2024/ask/">How do I recruit?</a>' in learned
    assert "Continuous Discovery Habits</a> by Teresa Torres" in learned
    assert re.findall(r'<span class="month">([^<]+)</span>.*?<span class="count">(\d+)', learned) == [
        ("Jan 2024", "1"), ("Feb 2024", "0"), ("Mar 2024", "2")]
    parent = page(root, "/topics/product/")
    assert '<a href="/topics/discovery/">Discovery</a> <span class="count">3</span>' in parent
    assert re.findall(r'<h2 class="p-name"><a class="u-url" href="([^"]+)">', parent) == ["/2024/til/", "/2024/ask/", "/2024/first/"]
    index = page(root, "/topics/")
    assert re.search(r'<a href="/topics/product/">Product</a>.*?<ul class="topic-list">\s*<li><a href="/topics/discovery/">', index, re.S)


@pytest.mark.parametrize("topics, message", [
    ("a: {parent: nowhere}", "topic 'a': its parent 'nowhere' is not a topic here; add it under 'topics:' or use one of a"),
    ("a: {parent: b}\n  b: {parent: a}", "topic 'a': parents go round in a circle (a > b > a); one of them must have none"),
    ("a: {colour: red}", "topic 'a': 'topics' maps a topic to its name, description, goal and parent, e.g. 'sql: {name: SQL, parent: data}'"),
])
def test_bad_topic_settings_are_errors(journal, publog, topics: str, message: str) -> None:
    root = journal({"publog.yaml": f"topics:\n  {topics}\n", "entries/a.md": entry()})
    result = publog("build", root)
    assert result.code == 1
    assert f"publog.yaml:1: {message}" in result.problems


def test_the_now_page_shows_the_weeks_up_to_the_newest_entry(journal, publog) -> None:
    root = journal({**MAP, "entries/2023-01-01-old.md": entry("Old", "2023-01-01", tags="[ancient]", kind="log",
                                                             sources="[{type: book, title: Old Book}]")})
    assert publog("build", root, "--strict").code == 0
    html = page(root, "/now/")
    assert "since 5 March 2024" in html
    assert re.findall(r'<a href="/topics/([^/]+)/">', html) == ["discovery", "other"]
    assert '<a href="/2024/ask/">How do I recruit?</a>' in html
    assert "Old Book" not in html and "Continuous Discovery Habits" not in html  # that log is older than six weeks
    assert '<a href="/now/">Now</a>' in page(root, "/")


def test_link_maps_are_drawn_at_build_time_with_a_text_alternative(journal, publog) -> None:
    import xml.etree.ElementTree as ET

    root = journal({
        "publog.yaml": "title: L\nbase_url: https://example.org/\n",
        "entries/2024-01-01-hub.md": entry("Hub", "2024-01-01", tags="[sql]", body="See [[spoke one]]."),
        "entries/2024-01-02-spoke-one.md": entry("Spoke one", "2024-01-02", tags="[sql]", body="Back to [[hub]]."),
        "entries/2024-01-03-spoke-two.md": entry("Spoke two", "2024-01-03", tags="[sql]", body="Also [[hub]]."),
        "entries/2024-01-04-alone.md": entry("Alone", "2024-01-04", tags="[sql]"),
    })
    assert publog("build", root, "--strict").code == 0
    hub = page(root, "/2024/hub/")
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", hub.split('class="connections"')[1], re.S).group(0))
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.get("aria-hidden") == "true"  # the lists say the same in text
    assert sorted(a.get("href") for a in svg.iter(f"{ns}a")) == ["/2024/hub/", "/2024/spoke-one/", "/2024/spoke-two/"]
    assert len(list(svg.iter(f"{ns}line"))) == 2
    assert "links to 1 and from 2 entries" in hub
    assert 'Links to: <a href="/2024/spoke-one/">Spoke one</a>.' in hub
    assert "Connections" not in page(root, "/2024/alone/")
    topic = page(root, "/topics/sql/")
    drawn = ET.fromstring(re.search(r"<svg.*?</svg>", topic.split("How these entries link")[1], re.S).group(0))
    assert len(list(drawn.iter(f"{ns}circle"))) == 3 and len(list(drawn.iter(f"{ns}line"))) == 3
