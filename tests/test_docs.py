"""The README and docs/ point at what exists: every relative link finds its file and heading,
every module docs/how-it-works.md names is in src/publog, and the README stays a short read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"\]\((?!https?://|mailto:|#)([^)\s]+)\)")


def anchors(markdown: str) -> set[str]:
    """The ids GitHub gives a file's headings."""
    found = set()
    for heading in re.findall(r"^#+ (.+)$", markdown, re.M):
        text = re.sub(r"[`*]", "", heading).strip().lower()
        found.add(re.sub(r"[^\w\- ]", "", text).replace(" ", "-"))
    return found


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_relative_link_finds_its_file_and_heading(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```|`[^`\n]*`", "", text, flags=re.S)  # examples of Markdown are not links
    broken = []
    for target in LINK.findall(text):
        path, _, fragment = target.partition("#")
        file = (doc.parent / path).resolve()
        if not file.exists():
            broken.append(target)
        elif fragment and file.suffix == ".md" and fragment not in anchors(file.read_text(encoding="utf-8")):
            broken.append(target)
    assert not broken, f"{doc.name} links to what is not there: {broken}"


def test_the_readme_is_a_short_read_for_users() -> None:
    assert len((REPO / "README.md").read_bytes()) < 20_000


def test_how_it_works_names_modules_that_exist() -> None:
    text = (REPO / "docs/how-it-works.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:[a-z_]+/)?[a-z_]+\.py)`", text))
    assert len(named) > 20
    missing = sorted(m for m in named if not (REPO / "src/publog" / m).is_file())
    assert not missing, f"docs/how-it-works.md names modules that are not there: {missing}"
