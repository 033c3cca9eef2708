"""Hostile journals, trust (issue 23): short private passages the final scan must still watch, without
false alarms; a community member's active files (SVG scripts, HTML pages); a kept search index holding links.

Each journal is built through the CLI in a temp folder and the site is searched for what must not be there.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import entry, write
from hostile_support import assert_clear, guarded_build, leaks, problems, token

SITE = "base_url: https://example.org/\n"


# --- short private passages -----------------------------------------------------------------------

def test_a_short_private_passage_pasted_elsewhere_fails_the_build(tmp_path: Path) -> None:
    secret = token()
    root = write(tmp_path / "journal", {
        "publog.yaml": SITE,
        "entries/2024-05-01-pay.md": entry("Pay", "2024-05-01", f"Offer: <!-- private -->95k, {secret}<!-- /private -->."),
        "entries/2024-05-02-pasted.md": entry("Pasted", "2024-05-02", f"Pasted by mistake: 95k, {secret}."),
    })
    run = guarded_build(tmp_path, root)
    assert_clear(run)
    assert run.code == 1
    assert any("a private passage of entries/2024-05-01-pay.md" in p for p in problems(run)), run.err


def test_the_end_of_a_private_block_after_a_long_sentence_is_watched(tmp_path: Path) -> None:
    """A tail of fewer than ten words after the last long sentence: a copy of the block's end is found."""
    root = write(tmp_path / "journal", {
        "publog.yaml": SITE,
        "entries/2024-05-01-review.md": entry("Review", "2024-05-01",
                                              "Public words.\n\n<!-- private -->\nMy manager said the migration plan was far too "
                                              "risky for this quarter and asked me to wait. She will decide in March."
                                              "\n<!-- /private -->\n"),
        "entries/2024-05-02-quote.md": entry("Quote", "2024-05-02",
                                             "Overheard: this quarter and asked me to wait. She will decide in March."),
    })
    run = guarded_build(tmp_path, root)
    assert_clear(run)
    assert run.code == 1
    assert any("a private passage of entries/2024-05-01-review.md" in p for p in problems(run)), run.err


def test_a_short_private_passage_the_entry_also_says_publicly_is_no_leak(tmp_path: Path) -> None:
    code = token()
    root = write(tmp_path / "journal", {
        "publog.yaml": SITE,
        "entries/2024-05-01-code.md": entry("Code", "2024-05-01",
                                            f"The build is {code}. <!-- private -->Built {code}<!-- /private --> then left."),
    })
    run = guarded_build(tmp_path, root)
    assert_clear(run)
    assert run.code == 0, run.err


def test_a_common_short_private_word_is_no_leak(tmp_path: Path) -> None:
    """A private "yes", a year, a version or an amount with its unit: other pages may say it by chance."""
    root = write(tmp_path / "journal", {
        "publog.yaml": SITE,
        "entries/2024-05-01-offer.md": entry("Offer", "2024-05-01",
                                             "Did I take it? <!-- private -->Yes, 95k in 2024 with python3<!-- /private -->"),
        "entries/2024-05-02-other.md": entry("Other", "2024-05-02", "Yes, 95k in 2024 with python3 is what they all say."),
        "entries/2024-05-03-secret.md": entry("Secret", "2024-05-03", "## Next steps\n\nYes.", private="true"),
        "entries/2024-05-04-steps.md": entry("Steps", "2024-05-04", "## Next steps\n\nYes."),
    })
    run = guarded_build(tmp_path, root)
    assert_clear(run)
    assert run.code == 0, run.err


# --- a kept search index ----------------------------------------------------------------------------

def test_a_link_inside_a_kept_search_index_is_never_followed(tmp_path: Path) -> None:
    """A cloned repository may ship .publog-cache with a search index whose files link outside: the index
    is made again, with a warning, and the file linked to is never published."""
    outside = tmp_path / "home" / "id_rsa"
    outside.parent.mkdir()
    secret = token()
    outside.write_text(f"pretend key {secret}\n")
    root = write(tmp_path / "journal", {
        "publog.yaml": SITE + "search: true\n",
        "entries/2024-05-01-a.md": entry("A", "2024-05-01", "Something to find."),
    })
    first = guarded_build(tmp_path, root)
    assert first.code == 0, first.err
    kept = [p for p in (root / ".publog-cache").rglob("*") if "search" in p.parts and p.is_file() and p.name != "done"]
    assert kept, "no search index was kept"
    # a link to a file outside, in place of a file of the index, and a linked folder beside them
    victim = kept[0]
    victim.unlink()
    victim.symlink_to(outside)
    os.symlink(outside.parent, victim.parent / "more")
    shutil.rmtree(root / "_site")  # as a fresh clone has none
    run = guarded_build(tmp_path, root)
    assert_clear(run)
    assert run.code == 0, run.err
    assert not leaks(root / "_site", secret)
    assert any("warning:" in p and "search index" in p for p in problems(run)), run.err
    assert not any(p.is_symlink() for p in (root / ".publog-cache").rglob("*")), "the linked index was kept"
    assert outside.read_text() == f"pretend key {secret}\n"
