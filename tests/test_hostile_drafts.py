"""Hostile journals, what must stay private (issue 8): drafts and future entries are never published.

Not as a page, nor in lists, feeds, the sitemap, a topic, a kind, the library, help wanted, a link's
address, or a copied image; not after a --drafts build either, nor from `publog check`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import entry
from hostile_support import assert_clear, build, guarded_build, leaks, tree, token


def private_journal(journal, secret: str) -> Path:
    """A journal whose drafts and future entries carry ``secret`` in every field that could leak."""
    return journal({
        "entries/2024-01-01-public.md": entry(
            "Public", "2024-01-01", tags="[shared]",
            body=f"See [my plan](2024-02-01-{secret}-draft.md) and [the future](future-{secret}.md).\n\n"
                 f"An [answer]({secret}-question.md)."),
        f"entries/2024-02-01-{secret}-draft.md": "---\n" + "\n".join([
            f"title: Draft {secret}", "draft: true", f"tags: [shared, only-{secret}]", f"summary: Summary {secret}",
            "kind: log", f"sources: [{{type: book, title: Book {secret}, author: A {secret}, url: 'https://{secret}.example/'}}]",
            f"takeaways: [Takeaway {secret}]", f"id: tag:{secret}",
        ]) + f"\n---\nBody {secret}\n\n![chart](chart-{secret}.svg)\n",
        f"entries/chart-{secret}.svg": f"<svg><!-- {secret} --></svg>",
        f"entries/{secret}-question.md": "---\n" + "\n".join([
            f"title: Question {secret}", "date: 2024-03-01", "draft: yes", "kind: question", "status: open",
            f"tags: [only-{secret}]"]) + f"\n---\nHelp {secret}\n",
        f"entries/future-{secret}.md": "---\n" + "\n".join([
            f"title: Future {secret}", "date: 2999-01-01T00:00:00+14:00", f"tags: [shared, only-{secret}]",
            "kind: question", "status: open"]) + f"\n---\nLater {secret}\n\n![chart](chart-{secret}.svg)\n",
    })


def test_drafts_and_future_entries_leave_no_trace_in_the_site(journal, tmp_path: Path) -> None:
    secret = token()
    root = private_journal(journal, secret)
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    assert result.code == 0, result.err
    assert leaks(root / "_site", secret) == []
    assert (root / "_site/topics/shared/index.html").is_file()
    assert not (root / f"_site/topics/only-{secret}").exists()


def test_a_drafts_build_followed_by_a_normal_build_removes_every_trace(journal, tmp_path: Path) -> None:
    secret = token()
    root = private_journal(journal, secret)
    assert guarded_build(tmp_path, root, "--drafts", "--future").code == 0
    assert leaks(root / "_site", secret)  # they were there
    result = guarded_build(tmp_path, root)
    assert result.code == 0, result.err
    assert leaks(root / "_site", secret) == []


def test_an_entry_turned_draft_disappears_from_the_next_build(journal, tmp_path: Path) -> None:
    secret = token()
    root = journal({"entries/a.md": entry(f"Soon private {secret}", "2024-01-01", tags=f"[{secret}]"),
                    "entries/b.md": entry("Stays", "2024-01-02")})
    assert guarded_build(tmp_path, root).code == 0
    assert leaks(root / "_site", secret)
    (root / "entries/a.md").write_text(entry(f"Soon private {secret}", "2024-01-01", tags=f"[{secret}]", draft="true"))
    assert guarded_build(tmp_path, root).code == 0
    assert leaks(root / "_site", secret) == []


@pytest.mark.parametrize("value", ["true", "True", "TRUE", "yes", "on"])
def test_every_yaml_spelling_of_true_keeps_a_draft_out(value: str, journal, tmp_path: Path) -> None:
    secret = token()
    root = journal({"entries/a.md": entry("Public", "2024-01-01"), "entries/b.md": entry(f"Draft {secret}", "2024-01-02", draft=value)})
    assert guarded_build(tmp_path, root).code == 0
    assert leaks(root / "_site", secret) == []


def test_check_writes_nothing_at_all(journal, tmp_path: Path) -> None:
    root = private_journal(journal, token())
    before = tree(tmp_path)
    result = build("check", root, "--drafts", "--future")
    assert_clear(result)
    assert result.code == 0, result.err
    assert tree(tmp_path) == before


@pytest.mark.parametrize("key", ["published: false", "private: true"])
def test_an_entry_marked_private_by_another_tool_is_never_published_silently(key: str, journal, tmp_path: Path) -> None:
    secret = token()
    name, value = key.split(": ")
    root = journal({"entries/a.md": entry("Public", "2024-01-01"),
                    "entries/b.md": entry(f"Private {secret}", "2024-01-02", **{name: value})})
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    if result.code == 1:
        assert any(p.startswith("entries/b.md:4: ") for p in result.err.splitlines()), result.err
    else:
        assert leaks(root / "_site", secret) == []


def test_a_private_entry_leaves_no_trace_even_with_drafts_and_future(journal, tmp_path: Path) -> None:
    secret = token()
    root = journal({
        "entries/2024-01-01-public.md": entry("Public", "2024-01-01", tags="[shared]", body=f"See [[Private {secret}]]."),
        "entries/2024-01-03-other.md": entry("Other", "2024-01-03", body=f"Intro.\n\nBoth [[public]] and [[Private {secret}]] say so."),
        "entries/2024-01-02-private.md": entry(f"Private {secret}", "2024-01-02", private="true", tags=f"[shared, {secret}]",
                                               kind="question", status="open", body=f"Client {secret} [[public]]."),
    })
    result = guarded_build(tmp_path, root, "--drafts", "--future")
    assert_clear(result)
    assert result.code == 0, result.err
    assert leaks(root / "_site", secret) == []
    public = (root / "_site/2024/public/index.html").read_text()
    assert "Referenced by" in public and '<a class="missing-link">a private note</a>' in public
    assert "<blockquote>Both public and a private note say so.</blockquote>" in public


def test_private_must_be_true_or_false(journal, tmp_path: Path) -> None:
    root = journal({"entries/a.md": entry("A", "2024-01-01", private="maybe")})
    result = guarded_build(tmp_path, root)
    assert result.code == 1
    assert "entries/a.md:4: 'private' must be true or false, not 'maybe'" in result.err
