"""Topic names as a reader sees them: one spelling per topic, everywhere, and the same URLs as before."""

from __future__ import annotations

import re
from collections import Counter

import feedparser
import pytest

from conftest import entry
from publog.journal.topics import topic_name


def topic_links(html: str) -> dict[str, str]:
    return dict(re.findall(r'<a [^>]*href="/topics/([^"/]+)/"[^>]*>([^<]+)</a>', html))


def test_a_journal_shows_each_topic_in_one_spelling_in_sentence_case(journal, publog) -> None:
    root = journal({
        "publog.yaml": "topics:\n  learning-in-public: {name: Learning in public}\n  sql: {name: SQL}\n",
        "entries/a.md": entry("A", "2024-05-01", tags="[learning-in-public, career, data-visualisation]"),
        "entries/b.md": entry("B", "2024-05-02", tags="[career, sql, Python]"),
        "entries/c.md": entry("C", "2024-05-03", tags="[Learning In Public, data_visualisation, python, python]"),
        "entries/d.md": entry("D", "2024-05-04", tags="[CAREER]", private="true"),  # a private spelling never counts
    })
    assert publog("build", root).code == 0
    site = root / "_site"
    shown = topic_links((site / "topics/index.html").read_text())
    assert shown == {"career": "Career", "data-visualisation": "Data visualisation",
                     "learning-in-public": "Learning in public", "python": "Python", "sql": "SQL"}
    # The same names on an entry's page, in a topic's title and in the feeds' categories.
    assert topic_links((site / "2024/a/index.html").read_text()) == {k: shown[k] for k in ("learning-in-public", "career", "data-visualisation")}
    assert "<title>Data visualisation" in (site / "topics/data-visualisation/index.html").read_text()
    item = next(e for e in feedparser.parse((site / "atom.xml").read_bytes()).entries if e.title == "A")
    assert sorted(t.term for t in item.tags) == ["Career", "Data visualisation", "Learning in public"]


@pytest.mark.parametrize(("spellings", "name"), [
    ({"career": 3}, "Career"),
    ({"data-visualisation": 2, "data_visualisation": 1}, "Data visualisation"),
    ({"learning in public": 1}, "Learning in public"),
    ({"follow-up questions": 1}, "Follow-up questions"),  # written as words: its hyphen is part of one
    ({"sql": 5, "SQL": 1}, "SQL"),  # a capital letter is a choice someone made
    ({"Machine learning": 2, "Machine Learning": 2}, "Machine Learning"),  # a tie: the first in code point order
    ({"iOS": 1}, "iOS"),
    ({"c++": 1}, "C++"),
    ({}, "Product management"),  # a configured parent topic no entry tags
])
def test_the_name_of_a_topic_publog_yaml_does_not_name(spellings: dict[str, int], name: str) -> None:
    assert topic_name("product-management" if not spellings else "x", Counter(spellings)) == name


def test_the_name_does_not_depend_on_the_order_entries_are_read_in() -> None:
    a = Counter(["career", "Career", "career", "CAREER"])
    b = Counter(["CAREER", "career", "Career", "career"])
    assert topic_name("career", a) == topic_name("career", b) == "CAREER"


def test_a_lower_case_tag_is_written_as_the_journal_s_titles_write_it(journal, publog) -> None:
    root = journal({
        "entries/a.md": entry("Learning SQL with JavaScript", "2024-05-01", tags="[sql, javascript, data-viz]"),
        "entries/b.md": entry("More SQL, and Python", "2024-05-02", tags="[sql, python, git]"),
        "entries/c.md": entry("PYTHON IS FUN", "2024-05-03", tags="[python]"),  # one shout against a Python
        "entries/d.md": entry("Why git add -p", "2024-05-04", tags="[git]"),
    })
    assert publog("build", root).code == 0
    shown = topic_links((root / "_site/topics/index.html").read_text())
    assert shown == {"sql": "SQL", "javascript": "JavaScript", "python": "Python", "git": "Git", "data-viz": "Data viz"}
