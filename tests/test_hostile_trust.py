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


# --- a community member's files ---------------------------------------------------------------------

EVIL_SVG = ('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x "zqentity">]>\n'
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)" '
            'viewBox="0 0 10 10"><script>alert("zqscript")</script>'
            '<svg:script xmlns:svg="http://www.w3.org/2000/svg">alert("zqprefixed")</svg:script>'
            '<rect width="10" height="10" fill="red" onclick="alert(2)" ONMOUSEOVER="alert(3)"/>'
            '<a xlink:href="javascript:alert(4)"><text x="1" y="5">&x; link</text></a>'
            '<a href=" JavaScript:alert(5)"><circle r="1"/></a><a href="https://example.com/ok"><circle r="2"/></a>'
            '<use href="#r"/><image href="data:text/html,zqdata"/>'
            '<set attributeName="href" to="javascript:alert(6)"/><animate attributeName="onclick" to="alert(7)"/>'
            '<foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><script>zqforeign()</script></body></foreignObject>'
            '<h:iframe xmlns:h="http://www.w3.org/1999/xhtml" src="javascript:alert(8)"/>'
            '</svg>\n')
ACTIVE = ("alert", "zqscript", "zqprefixed", "zqforeign", "javascript:", "zqdata", "iframe", "onload", "onclick")


def _community(tmp_path: Path) -> Path:
    files: dict[str, str] = {
        "publog.yaml": SITE + "members:\n  - id: grace\n    name: Grace\n    journal: members/grace\n"
                              "  - id: tim\n    name: Tim\n    journal: members/tim\n    trusted: true\n",
        "entries/2024-05-01-hello.md": entry("Hello", "2024-05-01", "Welcome."),
    }
    for member in ("grace", "tim"):
        files |= {
            f"members/{member}/2024-05-02-chart.md": entry("Chart", "2024-05-02",
                                                           "![A chart](chart.svg) and [a demo](demo.html), [code](tool.js)."),
            f"members/{member}/chart.svg": EVIL_SVG,
            f"members/{member}/demo.html": "<!doctype html><title>Demo</title><script>zqpage()</script>",
            f"members/{member}/tool.js": "zqtool();",
        }
    return write(tmp_path / "guild", files)


def test_an_untrusted_members_active_files_are_sanitised_or_not_published(tmp_path: Path) -> None:
    root = _community(tmp_path)
    run = guarded_build(tmp_path, root)
    assert_clear(run)
    assert run.code == 0, run.err
    site = root / "_site"
    svg = (site / "members/grace/chart.svg").read_text(encoding="utf-8")
    assert "<rect" in svg and "https://example.com/ok" in svg and 'href="#r"' in svg and "zqentity link" in svg
    assert not [word for word in ACTIVE if word in svg.lower()], svg
    assert not (site / "members/grace/demo.html").exists()
    assert not (site / "members/grace/tool.js").exists()
    warned = [p for p in problems(run) if "warning:" in p]
    assert any(p.startswith("members/grace/demo.html:1: warning:") and "trusted" in p for p in warned), run.err
    assert any(p.startswith("members/grace/tool.js:1: warning:") for p in warned), run.err
    # a trusted member's files are theirs to publish as they are
    assert (site / "members/tim/chart.svg").read_text(encoding="utf-8") == EVIL_SVG
    assert (site / "members/tim/demo.html").exists() and (site / "members/tim/tool.js").exists()
    assert not any("members/tim" in p for p in warned), run.err


def test_an_untrusted_members_broken_svg_is_not_published(tmp_path: Path) -> None:
    root = _community(tmp_path)
    (root / "members/grace/chart.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>zqbroken()</script>')
    run = guarded_build(tmp_path, root)
    assert_clear(run)
    assert run.code == 0, run.err
    assert not (root / "_site/members/grace/chart.svg").exists()
    assert any(p.startswith("members/grace/chart.svg:1: warning:") for p in problems(run)), run.err
