"""Dates the tools entries were written for read (issue 24, item 5): one-digit hours, days and months
(Jekyll's Time.parse, Hugo, Pelican's dateutil), Eleventy's `Last Modified`, `Created`, `git Last
Modified` and `git Created`, Obsidian's epoch milliseconds, a web clipper's `published:` date. A date no
tool reads (a Templater placeholder) is a warning in a vault, and the note gets its file's date; in
publog's own journal it stays an error."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import entry

UTC = dt.timezone.utc


def published(root: Path) -> dict[str, str]:
    """Each entry page's title -> the instant its page says it was published."""
    found = {}
    for html in (root / "_site").rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        when = re.search(r'<time class="dt-published" datetime="([^"]+)"', text)
        title = re.search(r'<h1 class="p-name">(.*?)</h1>', text)
        if when and title and '<article class="entry h-entry' in text:
            found[title.group(1)] = when.group(1)
    return found


def updated(root: Path, title: str) -> str | None:
    for html in (root / "_site").rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        if f'<h1 class="p-name">{title}</h1>' in text and '<article class="entry h-entry' in text:
            found = re.search(r'<time class="dt-updated" datetime="([^"]+)"', text)
            return found.group(1) if found else None
    raise AssertionError(f"no page of {title!r}")


def dated(title: str, date: str, body: str = "Text.") -> str:
    return f"---\ntitle: {title}\ndate: {date}\n---\n{body}\n"


def touch(path: Path, when: dt.datetime) -> None:
    os.utime(path, (when.timestamp(), when.timestamp()))


def test_jekyll_posts_with_one_digit_hours_build(journal, publog) -> None:
    root = journal({
        "_config.yml": "title: Blog\ntimezone: UTC\n",
        "_posts/2019-04-25-recipe.markdown": dated("A Recipe", "  2019-04-25 9:00:00"),
        "_posts/2023-02-10-logseq.md": dated("Logseq", " 2023-02-10  1:00:00 -05:00"),
        "_posts/2015-06-14-offset.md": dated("Offset", "2015-06-14 5:30:00 -0700"),
    })
    result = publog("build", root, "--strict")
    assert result.code == 0, result.err
    assert published(root) == {"A Recipe": "2019-04-25T09:00:00+00:00", "Logseq": "2023-02-10T01:00:00-05:00",
                               "Offset": "2015-06-14T05:30:00-07:00"}


def test_hugo_posts_with_one_digit_hours_build(journal, publog) -> None:
    root = journal({
        "config.toml": 'title = "Blog"\nbaseURL = "https://blog.example/"\n',
        "content/post/leadership-ci.md": dated("Leadership", "2019-04-09T8:09:26-07:00"),
        "content/post/firmware.md": '+++\ntitle = "Firmware"\ndate = "2019-05-08T8:09:26-07:00"\n+++\nText.\n',
        "content/post/notebook.md": dated("Notebook", "2014-06-06 2:00"),
    })
    result = publog("build", root, "--strict")
    assert result.code == 0, result.err
    assert published(root) == {"Leadership": "2019-04-09T08:09:26-07:00", "Firmware": "2019-05-08T08:09:26-07:00",
                               "Notebook": "2014-06-06T02:00:00+00:00"}


def test_pelican_articles_with_one_digit_days_and_months_build(journal, publog) -> None:
    root = journal({
        "pelicanconf.py": "SITENAME = 'Blog'\nPATH = 'content'\nTIMEZONE = 'Asia/Taipei'\n",
        "content/2014/classy.md": "Title: Classy\nDate: 2014-12-4 14:22\nCategory: ctf\n\nText.\n",
        "content/2015/adventure.md": "Title: Adventure\nDate: 2015-4-3 0:00\n\nText.\n",
    })
    result = publog("build", root, "--strict")
    assert result.code == 0, result.err
    assert published(root) == {"Classy": "2014-12-04T14:22:00+08:00", "Adventure": "2015-04-03T00:00:00+08:00"}


def git(root: Path, *args: str, when: dt.datetime | None = None) -> None:
    stamp = f"{int(when.timestamp())} +0000" if when else ""
    env = {**os.environ, "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "A",
           "GIT_COMMITTER_EMAIL": "a@example.org", "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_eleventys_words_for_the_files_own_dates(journal, publog) -> None:
    root = journal({
        ".eleventy.js": "module.exports = () => ({ dir: { input: 'src' } });\n",
        "src/posts/modified.md": dated("Modified", "Last Modified"),
        "src/posts/created.md": dated("Created", "Created"),
        "src/posts/git-modified.md": dated("Git modified", "git Last Modified"),
        "src/posts/git-created.md": dated("Git created", "git Created"),
        "src/posts/uncommitted.md": dated("Uncommitted", "git Created"),
        "src/posts/lastmod.md": "---\ntitle: Lastmod\ndate: 2020-01-01\nupdated: git Last Modified\n---\nText.\n",
    })
    first, second = dt.datetime(2021, 3, 1, 12, tzinfo=UTC), dt.datetime(2022, 7, 1, 12, tzinfo=UTC)
    git(root, "init", "-q")
    git(root, "add", "src/posts/git-modified.md", "src/posts/git-created.md", "src/posts/lastmod.md")
    git(root, "commit", "-q", "-m", "first", when=first)
    for name in ("git-modified.md", "git-created.md", "lastmod.md"):
        (root / "src/posts" / name).write_text((root / "src/posts" / name).read_text() + "More.\n")
    git(root, "commit", "-q", "-am", "second", when=second)
    touched = dt.datetime(2023, 9, 9, 9, 9, 9, tzinfo=UTC)
    for name in ("modified.md", "created.md", "git-modified.md", "git-created.md", "uncommitted.md"):
        touch(root / "src/posts" / name, touched)
    result = publog("build", root, "--strict")
    assert result.code == 0, result.err
    shown = published(root)
    assert {k: shown[k] for k in ("Modified", "Created", "Uncommitted")} == dict.fromkeys(
        ("Modified", "Created", "Uncommitted"), "2023-09-09T09:09:09+00:00")
    assert shown["Git modified"] == "2022-07-01T12:00:00+00:00"
    assert shown["Git created"] == "2021-03-01T12:00:00+00:00"
    assert updated(root, "Lastmod") == "2022-07-01T12:00:00+00:00"


def test_obsidian_epoch_milliseconds_and_seconds(journal, publog) -> None:
    root = journal({
        ".obsidian/app.json": "{}\n",
        "Notes/Milliseconds.md": "---\ncreated: 1700000000000\n---\nText.\n",
        "Notes/Seconds.md": "---\ncreated: 1700000000\n---\nText.\n",
        "Notes/Quoted.md": '---\ncreated: "1700000000123"\n---\nText.\n',
    })
    result = publog("build", root, "--strict")
    assert result.code == 0, result.err
    assert published(root) == {"Milliseconds": "2023-11-14T22:13:20+00:00", "Seconds": "2023-11-14T22:13:20+00:00",
                               "Quoted": "2023-11-14T22:13:20.123+00:00"}


def test_a_web_clippers_published_date_builds(journal, publog) -> None:
    root = journal({
        ".obsidian/app.json": "{}\n",
        "Clippings/An article.md": "---\ntitle: An article\nsource: https://example.org/a\npublished: 2025-07-21\n---\nText.\n",
    })
    result = publog("build", root, "--strict")
    assert result.code == 0, result.err
    assert "An article" in published(root)


@pytest.mark.parametrize("vault", [True, False], ids=["vault", "plain folder of notes"])
@pytest.mark.parametrize("placeholder", ['<%tp.date.now("YYYY-MM-DD")%>', "someday"])
def test_a_date_no_tool_reads_in_a_vault_is_a_warning_and_the_file_dates_the_note(journal, publog, placeholder, vault) -> None:
    # A Quartz garden's content/ built on its own is a plain folder of notes: as forgiving as a vault.
    root = journal({
        **({".obsidian/app.json": "{}\n"} if vault else {}),
        "99 Meta/Daily.md": f"---\ntags: [daily]\ndate: {placeholder}\n---\nText.\n",
        "2024-03-05 Standup.md": f"---\ndate: {placeholder}\n---\nText.\n",
    })
    touch(root / "99 Meta/Daily.md", dt.datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC))
    result = publog("build", root)
    assert result.code == 0, result.err
    assert result.problems == [
        f"2024-03-05 Standup.md:2: warning: 'date': {placeholder!r} is not a valid date; write it as 2024-05-01, "
        "2024-05-01 09:30 or 2024-05-01T09:30:00+02:00; until then it is dated by the date in its file name",
        f"99 Meta/Daily.md:3: warning: 'date': {placeholder!r} is not a valid date; write it as 2024-05-01, "
        "2024-05-01 09:30 or 2024-05-01T09:30:00+02:00; until then it is dated by the file's modification date",
    ]
    assert published(root) == {"Daily": "2024-02-03T04:05:06+00:00", "2024-03-05 Standup": "2024-03-05T00:00:00+00:00"}
    assert publog("build", root, "--strict").code == 1


def test_in_publogs_own_journal_an_unreadable_date_stays_an_error_and_a_readable_one_builds(journal, publog) -> None:
    root = journal({
        "publog.yaml": "title: Mine\n",
        "entries/a.md": dated("A", '<%tp.date.now("YYYY-MM-DD")%>'),
        "entries/b.md": dated("B", "2024-5-1 9:00"),
    })
    result = publog("build", root)
    assert result.code == 1
    assert result.problems == ["entries/a.md:3: 'date': '<%tp.date.now(\"YYYY-MM-DD\")%>' is not a valid date; "
                               "write it as 2024-05-01, 2024-05-01 09:30 or 2024-05-01T09:30:00+02:00"]
    (root / "entries/a.md").write_text(entry("A", "2024-05-02"))
    assert publog("build", root, "--strict").code == 0
    assert published(root) == {"A": "2024-05-02T00:00:00+00:00", "B": "2024-05-01T09:00:00+00:00"}


def test_a_cached_entry_keeps_a_date_its_file_gives(journal, publog) -> None:
    root = journal({"publog.yaml": "title: Mine\n", "entries/a.md": dated("A", "Last Modified")})
    touch(root / "entries/a.md", dt.datetime(2024, 2, 3, tzinfo=UTC))
    assert publog("build", root, "--strict").code == 0
    assert publog("build", root, "--strict", "--out", root / "again").code == 0  # from the cache
    assert (root / "again").is_dir()
    assert published(root) == {"A": "2024-02-03T00:00:00+00:00"}
