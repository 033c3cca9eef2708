"""What an entry's Markdown turns into on its page."""

from __future__ import annotations

from conftest import entry

BODY = """\
A paragraph with ~~old~~ new words and a footnote.[^1]

## Tables and tasks

| tool | cost |
| --- | ---: |
| SQL | free |

- [x] learn SELECT
- [ ] learn window functions

```python
def retention(users):
    return len(users)
```

```
plain <code> block
```

[^1]: The footnote text.
"""


def test_markdown_features(journal, publog) -> None:
    root = journal({"entries/a.md": entry(body=BODY)})
    assert publog("build", root).code == 0
    page = (root / "_site/2024/a/index.html").read_text()
    assert "<s>old</s>" in page
    assert '<h2 id="tables-and-tasks"><a class="self" href="#tables-and-tasks">Tables and tasks</a></h2>' in page
    assert "<table tabindex=\"0\">" in page and '<th style="text-align:right">cost</th>' in page
    assert '<label><input class="task-list-item-checkbox" checked="checked" disabled="disabled" type="checkbox"> learn SELECT</label>' in page
    assert 'id="fn1"' in page and "The footnote text." in page
    # Pygments at build time: spans with classes, no JavaScript
    assert '<pre tabindex="0"><code class="language-python"><span class="k">def</span>' in page
    assert "plain &lt;code&gt; block" in page
    assert "<script" not in page


def test_links_between_entries_point_to_their_pages(journal, publog) -> None:
    root = journal({
        "entries/2024-01-01-joins.md": entry("Joins", "2024-01-01", body="## Fan out\n\nText."),
        "entries/logs/week-1.md": entry(
            "Week 1", "2024-01-08",
            body="See [joins](../2024-01-01-joins.md#fan-out), [by path](/entries/2024-01-01-joins.md), "
                 "[from entries](/2024-01-01-joins.md) and [the web](https://example.org/a.md).",
        ),
    })
    result = publog("build", root)
    assert result.code == 0 and result.err == ""
    page = (root / "_site/2024/week-1/index.html").read_text()
    assert '<a href="/2024/joins/#fan-out">joins</a>' in page
    assert '<a href="/2024/joins/">by path</a>' in page
    assert '<a href="/2024/joins/">from entries</a>' in page
    assert '<a href="https://example.org/a.md">the web</a>' in page


def test_images_next_to_entries_are_copied_and_linked(journal, publog) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>dot</title></svg>'
    root = journal({
        "entries/2024/post.md": entry("Post", body="![A chart](img/chart.svg)"),
        "entries/2024/img/chart.svg": svg,
        "entries/2024/img/unused.svg": svg,
    })
    assert publog("build", root).code == 0
    page = (root / "_site/2024/post/index.html").read_text()
    assert '<img src="/2024/img/chart.svg" alt="A chart"' in page
    assert (root / "_site/2024/img/chart.svg").read_text() == svg
    assert not (root / "_site/2024/img/unused.svg").exists()  # only what published entries use


def test_missing_image_is_a_warning(journal, publog) -> None:
    root = journal({"entries/a.md": entry(body="![gone](nope.png)")})
    result = publog("build", root)
    assert result.code == 0
    assert "entries/a.md:5: warning: entries/nope.png is not a file in the entries folder" in result.err


def test_title_from_heading_when_there_is_no_front_matter(journal, publog) -> None:
    root = journal({"entries/2024-03-05-pairing.md": "# Notes from pairing\n\nWe paired on SQL.\n"})
    assert publog("build", root).code == 0
    page = (root / "_site/2024/pairing/index.html").read_text()
    assert "<h1 class=\"p-name\">Notes from pairing</h1>" in page
    assert page.count("Notes from pairing</h1>") == 1  # the heading is not repeated in the body
    assert 'datetime="2024-03-05T00:00:00+00:00"' in page


def test_heading_repeating_the_title_is_not_shown_twice(journal, publog) -> None:
    root = journal({"entries/a.md": entry("Same title", body="# Same title\n\nBody.")})
    assert publog("build", root).code == 0
    page = (root / "_site/2024/a/index.html").read_text()
    assert page.count("Same title</h1>") == 1


def test_html_in_titles_and_text_is_escaped(journal, publog) -> None:
    root = journal({"entries/a.md": entry('"Q&A: why is <select> hard? 🤔"', body="Text with & and <b>bold</b>.")})
    assert publog("build", root).code == 0
    page = (root / "_site/2024/a/index.html").read_text()
    assert "<h1 class=\"p-name\">Q&amp;A: why is &lt;select&gt; hard? 🤔</h1>" in page
    assert "<title>Q&amp;A: why is &lt;select&gt; hard? 🤔 · " in page
