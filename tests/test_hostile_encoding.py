"""Hostile journals, encoding (issue 8): files from every editor build, or are named with their line.

Non-UTF-8 text, byte order marks, CRLF, CR and mixed line endings, NUL bytes, empty files, front
matter alone, files of several megabytes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import entry, snapshot
from hostile_support import assert_clear, assert_fails_with, guarded_build

GOOD = entry("Good one", "2024-01-01")

# file bytes -> the problem a user must see (the start of it: path:line: message)
UNREADABLE = {
    "latin-1 in the body": ("---\ntitle: x\ndate: 2024-01-01\n---\nCaf\xe9\n".encode("latin-1"),
                            "entries/bad.md:5: is not UTF-8 text (byte 0xe9); re-save the file as UTF-8"),
    "latin-1 in the front matter": ("---\ntitle: Caf\xe9\n---\nText\n".encode("latin-1"),
                                    "entries/bad.md:2: is not UTF-8 text (byte 0xe9)"),
    "Windows-1252 quotes": ("---\ntitle: x\n---\n\nHe said \u201chi\u201d\n".encode("cp1252"),
                            "entries/bad.md:5: is not UTF-8 text (byte 0x93)"),
    "a truncated UTF-8 sequence at the end": (b"---\ntitle: x\n---\nEuro \xe2\x82", "entries/bad.md:4: is not UTF-8 text (byte 0xe2)"),
    "an overlong UTF-8 encoding": (b"---\ntitle: x\n---\n\n\xc0\xaf\n", "entries/bad.md:5: is not UTF-8 text (byte 0xc0)"),
    "an encoded surrogate": (b"---\ntitle: x\n---\n\xed\xa0\x80\n", "entries/bad.md:4: is not UTF-8 text (byte 0xed)"),
    "CRLF file with latin-1": ("---\r\ntitle: x\r\n---\r\n\r\nCaf\xe9\r\n".encode("latin-1"), "entries/bad.md:5: is not UTF-8 text"),
    "NUL byte in the body": (b"---\ntitle: x\n---\nab\x00cd\n", "entries/bad.md:4: contains NUL bytes"),
    "NUL byte in the front matter": (b"---\ntitle: a\x00b\n---\nText\n", "entries/bad.md:2: contains NUL bytes"),
    "a binary file named .md": (bytes(range(256)) * 4, "entries/bad.md:1: contains NUL bytes"),
    "CRLF YAML error": (b"---\r\ntitle: x\r\ntags: [a, b\r\ndate: 2024-01-01\r\n---\r\n", "entries/bad.md:4: invalid YAML"),
    "unclosed front matter with CRLF": (b"---\r\ntitle: x\r\n\r\nText\r\n", "entries/bad.md:1: the front matter opened here is never closed"),
}


@pytest.mark.parametrize("case", sorted(UNREADABLE))
def test_an_unreadable_file_is_named_with_its_line_and_the_site_stays(case: str, journal, tmp_path: Path) -> None:
    data, expected = UNREADABLE[case]
    root = journal({"entries/good.md": GOOD})
    assert guarded_build(tmp_path, root).code == 0
    before = snapshot(root / "_site")
    (root / "entries/bad.md").write_bytes(data)
    result = guarded_build(tmp_path, root)
    assert_fails_with(result, expected)
    assert snapshot(root / "_site") == before


@pytest.mark.parametrize("data", [b"", b"  \n\n\t\n", b"\xef\xbb\xbf", b"---\n---\n"],
                         ids=["an empty file", "blank lines only", "a BOM only", "empty front matter"])
def test_an_empty_file_builds_titled_by_its_name_with_a_warning(data: bytes, journal, tmp_path: Path) -> None:
    """Obsidian and GitHub show an empty note under its file name: a warning, never a stop (issue 24)."""
    root = journal({"entries/good.md": GOOD, "entries/bad.md": data})
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    assert result.code == 0, result.err
    assert "entries/bad.md:1: warning: the title is missing, so publog used the file name 'bad'" in result.err


@pytest.mark.parametrize("data, expected", [
    ("---\rtitle: x\rdate: 2024-01-01\r---\rline five caf\xe9\r".encode("latin-1"), "entries/bad.md:5: is not UTF-8 text"),
    (b"---\rtitle: x\r---\rline four\rline five \x00\r", "entries/bad.md:5: contains NUL bytes"),
], ids=["latin-1", "NUL"])
def test_cr_only_files_report_the_right_line(data: bytes, expected: str, journal, tmp_path: Path) -> None:
    root = journal({"entries/bad.md": data})
    assert_fails_with(guarded_build(tmp_path, root), expected)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-32"])
def test_utf16_and_utf32_files_are_named_as_not_utf8(codec: str, journal, tmp_path: Path) -> None:
    root = journal({"entries/bad.md": "---\ntitle: Wide\ndate: 2024-01-01\n---\nText\n".encode(codec)})
    result = guarded_build(tmp_path, root)
    assert_fails_with(result, "entries/bad.md:1: ")
    assert "UTF-8" in result.err and "binary" not in result.err


GOOD_FILES = {
    "bom.md": ("\ufeff---\ntitle: With BOM\ndate: 2024-01-01\n---\nText\n".encode(), "With BOM"),
    "bom-crlf.md": ("\ufeff---\r\ntitle: BOM and CRLF\r\ndate: 2024-01-02\r\n---\r\nText\r\n".encode(), "BOM and CRLF"),
    "crlf.md": (b"---\r\ntitle: CRLF\r\ndate: 2024-01-03\r\n---\r\nOne\r\nTwo\r\n", "CRLF"),
    "cr.md": (b"---\rtitle: Classic Mac\rdate: 2024-01-04\r---\rText\r", "Classic Mac"),
    "mixed.md": (b"---\r\ntitle: Mixed endings\ndate: 2024-01-05\r---\r\nOne\rTwo\nThree\r\n", "Mixed endings"),
    "front-matter-only.md": (b"---\ntitle: Front matter only\ndate: 2024-01-06\n---\n", "Front matter only"),
    "no-final-newline.md": (b"---\ntitle: No final newline\ndate: 2024-01-07\n---", "No final newline"),
    "heading-only.md": (b"# Heading only\n", "Heading only"),
    "bom-heading.md": ("\ufeff# BOM heading\r\n\r\nText".encode(), "BOM heading"),
    "trailing-spaces.md": (b"---   \ntitle: Trailing spaces\ndate: 2024-01-08\n---  \nText\n", "Trailing spaces"),
}


def test_bom_line_endings_and_front_matter_only_all_build(journal, tmp_path: Path) -> None:
    root = journal({f"entries/{name}": data for name, (data, _) in GOOD_FILES.items()})
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    assert result.code == 0, result.err
    home = (root / "_site/index.html").read_text(encoding="utf-8")
    for _, title in GOOD_FILES.values():
        assert f">{title}<" in home, title
    page = (root / "_site/2024/mixed/index.html").read_text(encoding="utf-8")
    assert "\r" not in page and "One" in page and "Three" in page
    # front matter only: a page with an empty body, not the YAML shown as text
    only = (root / "_site/2024/front-matter-only/index.html").read_text(encoding="utf-8")
    assert "date: 2024-01-06" not in only


def test_line_numbers_count_crlf_lines_like_lf_lines(journal, tmp_path: Path) -> None:
    body = "---\ntitle: x\ndate: 2024-01-01\n---\nOne\n\nSee [gone](gone.md).\n"
    root = journal({"entries/lf.md": body.encode(), "entries/crlf.md": body.replace("\n", "\r\n").encode(),
                    "entries/cr.md": body.replace("\n", "\r").encode()})
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    for name in ("lf", "crlf", "cr"):
        assert f"entries/{name}.md:7: warning: links to entries/gone.md" in result.err, result.err


@pytest.mark.slow
def test_a_file_of_several_megabytes_builds(journal, tmp_path: Path) -> None:
    paragraph = "Learning **in public** means writing `notes` like [this one](https://example.org). " * 12
    body = "\n\n".join(f"{paragraph}{i}" for i in range(3_000))  # about 3 MB
    root = journal({"entries/2024-01-01-big.md": f"---\ntitle: Big\n---\n{body}\n\nTHE-END-MARK\n"})
    assert (root / "entries/2024-01-01-big.md").stat().st_size > 2_900_000
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    assert result.code == 0, result.err
    page = (root / "_site/2024/big/index.html").read_text(encoding="utf-8")
    assert "THE-END-MARK" in page and page.count("<strong>in public</strong>") == 36_000
