"""Every problem of a journal is reported at once as path:line: message, and nothing is written."""

from __future__ import annotations

import pytest

from conftest import entry, snapshot

BAD_ENTRIES = {
    "broken YAML": (
        "---\ntitle: ok\ntags: [a, b\ndate: 2024-01-01\n---\n",
        "entries/bad.md:4: invalid YAML: did not find expected ',' or ']'",
    ),
    "front matter is a list": ("---\n- one\n- two\n---\nText\n", "entries/bad.md:2: front matter must be 'key: value' lines, not a list"),
    "front matter is a value": ("---\njust words\n---\nText\n", "entries/bad.md:2: front matter must be 'key: value' lines, not a single value"),
    "unclosed front matter": ("---\ntitle: x\n\nText\n", "entries/bad.md:1: the front matter opened here is never closed"),
    "invalid date": ("---\ntitle: x\ndate: 2024-02-30\n---\n", "entries/bad.md:3: 'date': '2024-02-30' is not a valid date"),
    "date of the wrong type": ("---\ntitle: x\ndate: [2024]\n---\n", "entries/bad.md:3: 'date': [2024] is not a date"),
    "tags of the wrong type": ("---\ntitle: x\ntags: 5\n---\n", "entries/bad.md:3: 'tags' must be a list such as [python, sql], not 5"),
    "title of the wrong type": ("---\ntitle: [a, b]\n---\n", "entries/bad.md:2: 'title' must be text, not ['a', 'b']"),
    "draft of the wrong type": ("---\ntitle: x\ndraft: maybe\n---\n", "entries/bad.md:3: 'draft' must be true or false, not 'maybe'"),
    "not UTF-8": ("---\ntitle: x\n---\ncaf\xe9\n".encode("latin-1"), "entries/bad.md:4: is not UTF-8 text (byte 0xe9); re-save the file as UTF-8"),
    "slug escaping the site": ("---\ntitle: x\nslug: ../../etc\n---\n", "entries/bad.md:3: slug '../../etc' is not usable in a URL"),
    "slug with a slash": ("---\ntitle: x\nslug: a/b\n---\n", "entries/bad.md:3: slug 'a/b' is not usable in a URL"),
    "duplicate key": ("---\ntitle: x\ntitle: y\n---\n", "entries/bad.md:3: 'title' is given twice (first on line 2); keep one"),
    "YAML alias bomb": (
        "---\ntitle: x\na: &a [1, 1]\nb: &b [*a, *a]\nc: [*b, *b]\n---\n",
        "entries/bad.md:4: YAML aliases (*name) are not allowed",
    ),
    "python tag": ("---\ntitle: !!python/object/apply:os.system [echo hi]\n---\n", "entries/bad.md:2: invalid YAML: could not determine a constructor"),
    "tab indentation": ("---\ntitle: x\ntags:\n\t- a\n---\n", "entries/bad.md:4: invalid YAML"),
    "NUL byte": (b"---\ntitle: x\n---\nab\x00cd\n", "entries/bad.md:4: contains NUL bytes"),
    "tag that normalises to nothing": ("---\ntitle: x\ntags: [ok, '!!!']\n---\n", "entries/bad.md:3: tag '!!!' has no letters or digits"),
}


@pytest.mark.parametrize("case", sorted(BAD_ENTRIES))
def test_bad_entry_is_reported_with_its_line_and_nothing_is_written(case: str, journal, publog) -> None:
    content, expected = BAD_ENTRIES[case]
    root = journal({"entries/good.md": entry("Good one")})
    assert publog("build", root).code == 0
    before = snapshot(root / "_site")

    (root / "entries/bad.md").write_bytes(content if isinstance(content, bytes) else content.encode())
    result = publog("build", root)
    assert result.code == 1
    assert any(p.startswith(expected) for p in result.problems), result.err
    assert "Traceback" not in result.err
    assert snapshot(root / "_site") == before  # same bytes, same modification times


def test_every_problem_is_reported_in_one_run(journal, publog) -> None:
    root = journal({
        f"entries/{name.replace(' ', '-')}.md": content
        for name, (content, _) in BAD_ENTRIES.items() if name != "tag that normalises to nothing"
    })
    result = publog("build", root)
    assert result.code == 1
    reported = {p.split(":", 1)[0] for p in result.problems}
    assert len(reported) == len(BAD_ENTRIES) - 1
    assert not (root / "_site").exists()


def test_good_files_bom_and_crlf_are_fine(journal, publog) -> None:
    root = journal({
        "entries/bom.md": "\ufeff---\ntitle: With BOM\ndate: 2024-01-01\n---\nText\n".encode("utf-8"),
        "entries/crlf.md": b"---\r\ntitle: With CRLF\r\ndate: 2024-01-02\r\n---\r\nLine one\r\nLine two\r\n",
        "entries/old-mac.md": b"---\rtitle: With CR\rdate: 2024-01-03\r---\rText\r",
    })
    result = publog("build", root)
    assert result.code == 0, result.err
    home = (root / "_site/index.html").read_text()
    assert "With BOM" in home and "With CRLF" in home and "With CR" in home


def test_two_entries_with_one_url_name_each_other(journal, publog) -> None:
    # Of one day: nothing tells them apart (on different days the later one gets its date: test_import_urls.py).
    root = journal({
        "entries/2024-01-01-same.md": entry("One", "2024-01-01"),
        "entries/other/2024-01-01-same.md": entry("Two", "2024-01-01"),
    })
    result = publog("build", root)
    assert result.code == 1
    assert "entries/2024-01-01-same.md:1: /2024/same/ is also the URL of entries/other/2024-01-01-same.md" in result.err
    assert "entries/other/2024-01-01-same.md:1: /2024/same/ is also the URL of entries/2024-01-01-same.md" in result.err


def test_url_collision_reports_the_slug_line(journal, publog) -> None:
    root = journal({
        "entries/a.md": entry("One", slug="same"),
        "entries/b.md": entry("Two", slug="Same"),  # differs only in case: one file on macOS
    })
    result = publog("build", root)
    assert result.code == 1
    assert any(p.startswith("entries/a.md:4: /2024/same/ and /2024/Same/ (entries/b.md) differ only in case, so they "
                            "are one page on macOS, Windows and many hosts; rename one") for p in result.problems), result.err


def test_an_entry_takes_a_page_publog_would_write(journal, publog) -> None:
    root = journal({"publog.yaml": "permalink: /{slug}/\n", "entries/a.md": entry("Topics", slug="topics")})
    result = publog("build", root)
    assert result.code == 0, result.err
    assert "entries/a.md:4: warning: /topics/ takes /topics/, a page publog writes itself" in result.err
    assert "<h1" in (root / "_site/topics/index.html").read_text() and "Topics" in (root / "_site/topics/index.html").read_text()


def test_config_problems_name_the_key_and_line(journal, publog) -> None:
    root = journal({
        "publog.yaml": "title: My notes\nper_page: many\ncolour: blue\ntimezone: Mars/Olympus\nbase_url: example.org\n",
        "entries/a.md": entry(),
    })
    result = publog("build", root)
    assert result.code == 1
    assert result.problems == [
        "publog.yaml:2: 'per_page' must be a whole number above 0, not 'many'",
        "publog.yaml:3: unknown setting 'colour'; known settings: author, base_url, cadence, description, entries, feed_items, journal_id, kinds, language, layout, members, mention_photos, mentions, output, per_page, permalink, privacy, publish, respond, search, social_cards, theme, timezone, title, toc_words, topics, topics_from, webmention",
        "publog.yaml:4: 'timezone' must be a timezone name such as Europe/Berlin or UTC (this one is unknown), not 'Mars/Olympus'",
        "publog.yaml:5: 'base_url' must be an absolute http(s) URL such as https://example.org/ or https://example.org/notes/, not 'example.org'",
    ]


def test_config_that_is_broken_yaml(journal, publog) -> None:
    root = journal({"publog.yaml": "title: x\n  bad: indent\n", "entries/a.md": entry()})
    result = publog("build", root)
    assert result.code == 1
    assert result.problems[0].startswith("publog.yaml:2: invalid YAML")


def test_missing_entries_folder_named_in_config(journal, publog) -> None:
    root = journal({"publog.yaml": "entries: posts\n"})
    result = publog("build", root)
    assert result.code == 1
    assert "the entries folder 'posts' does not exist" in result.err


def test_link_to_missing_entry_warns_and_strict_fails(journal, publog) -> None:
    root = journal({"entries/a.md": entry(body="Text\n\nSee [the other](missing.md) one.")})
    result = publog("build", root)
    assert result.code == 0
    assert "entries/a.md:7: warning: links to entries/missing.md, which is no entry" in result.err
    page = (root / "_site/2024/a/index.html").read_text()
    assert '<a class="missing-link">the other</a>' in page
    strict = publog("build", root, "--strict")
    assert strict.code == 1


def test_link_to_a_draft_is_left_out(journal, publog) -> None:
    root = journal({
        "entries/a.md": entry(body="See [my draft](b.md)."),
        "entries/b.md": entry("Secret plan", draft="true"),
    })
    result = publog("build", root)
    assert "entries/a.md:5: warning: links to entries/b.md, which is not published" in result.err
    page = (root / "_site/2024/a/index.html").read_text()
    assert "b.md" not in page and "secret-plan" not in page
