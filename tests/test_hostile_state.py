"""Hostile journals, state folders (issue 23): publog never touches what is not its own.

The build cache (.publog-cache), the kept copy of the site inside it and the output folder are
publog's; what a link there points to is not. A cache folder that is a link (to a shared folder,
or to '..' as a cloned repository could ship it), a link where publog keeps its own files, a link
inside the output folder or in place of it: publog never writes, deletes or moves anything through
one. And a cache that is damaged is thrown away with a warning: the site is the one a build from
nothing gives.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import entry
from hostile_support import (
    assert_clear, assert_fails_with, build, guarded_build, outside, problems, site_bytes, tree,
)

def files(version: str = "v1", n: int = 6) -> dict[str, str]:
    made: dict[str, str] = {"publog.yaml": "title: State\nsearch: false\n"}
    for i in range(n):
        made[f"entries/2024-0{i % 3 + 1}-{i + 10}-e{i}.md"] = entry(
            f"Entry {i}", f"2024-0{i % 3 + 1}-{i + 10}", tags=f"[t{i % 2}]", body=f"Text {i} {version}.")
    return made


def rewrite(root: Path, version: str) -> None:
    for name, text in files(version).items():
        if name.startswith("entries/"):
            (root / name).write_text(text)


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A folder outside the journal that publog must leave exactly as it is."""
    where = tmp_path / "victim"
    (where / "sub").mkdir(parents=True)
    (where / "keep.txt").write_text("not publog's\n")
    (where / "sub/deep.txt").write_text("not publog's either\n")
    (where / "index.html").write_text("<p>another site</p>\n")
    (where / ".publog").write_text("another publog site\n")
    return where


@pytest.fixture
def cold(journal):
    """The site a build from nothing makes of ``files(version)``."""
    made: dict[str, dict[str, bytes]] = {}

    def site(version: str) -> dict[str, bytes]:
        if version not in made:
            root = journal(files(version), name=f"cold-{version}")
            run = build("build", root, "--no-daemon")
            assert run.code == 0, run.err
            made[version] = site_bytes(root / "_site")
        return made[version]

    return site


def links_in(folder: Path) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.is_symlink()]


def version_folder(root: Path) -> Path:
    [found] = [p for p in (root / ".publog-cache").iterdir() if p.is_dir() and not p.is_symlink()]
    return found


# --- the kept copy of the site --------------------------------------------------------

def _kept_site(root: Path) -> Path:
    [site] = version_folder(root).glob("site-output-*")
    return site


def test_links_inside_the_kept_site_are_never_followed(victim: Path, journal, cold, tmp_path: Path) -> None:
    root = journal(files())
    for version in ("v1", "v2"):
        rewrite(root, version)
        assert build("build", root, "--no-daemon").code == 0
    kept = _kept_site(root)
    [folder] = [p for p in kept.iterdir() if p.name.startswith("20")]
    shutil.rmtree(folder)
    os.symlink(victim, folder)  # a folder of pages
    for name, target in [("index.html", victim / "keep.txt"), (".index.html.publog-new", victim / "made.txt"),
                         ("atom.xml", victim / "made.xml"), ("gone.html", victim / "sub")]:
        (kept / name).unlink(missing_ok=True)
        os.symlink(target, kept / name)
    for version in ("v3", "v4", "v5"):
        rewrite(root, version)
        run = guarded_build(tmp_path, root, "--no-daemon")
        assert_clear(run)
        assert run.code == 0, run.err
        assert site_bytes(root / "_site") == cold(version)
        assert links_in(root / "_site") == []


# --- the output folder ------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["publog.yaml", "--out"])
def test_an_output_folder_that_is_a_link_is_refused(how: str, journal, tmp_path: Path) -> None:
    other = journal(files(), name="other")  # another journal's site: a folder publog would replace
    assert build("build", other, "--no-daemon").code == 0
    root = journal(files("v2"))
    out = root / "_site" if how == "publog.yaml" else tmp_path / "www"
    os.symlink(other / "_site", out)
    for version in ("v2", "v3"):
        rewrite(root, version)
        before = tree(tmp_path)
        run = build("build", root, "--no-daemon", *(["--out", out] if how == "--out" else []))
        assert_fails_with(run, f"{out}:1: ")
        assert "link" in run.err
        assert outside(before, tree(tmp_path), tmp_path, [root / ".publog-cache"]) == []


def test_an_output_folder_reached_through_a_link_in_the_journal_is_refused(victim: Path, journal, tmp_path: Path) -> None:
    root = journal({**files(), "publog.yaml": "title: State\nsearch: false\noutput: public/site\n"})
    os.symlink(victim, root / "public")
    before = tree(tmp_path)
    run = build("build", root, "--no-daemon")
    assert_fails_with(run)
    assert "link" in run.err
    assert outside(before, tree(tmp_path), tmp_path, [root / ".publog-cache"]) == []


def test_links_inside_the_output_folder_are_never_followed(victim: Path, journal, cold, tmp_path: Path) -> None:
    root = journal(files())
    assert build("build", root, "--no-daemon").code == 0
    out = root / "_site"
    [folder] = [p for p in out.iterdir() if p.name.startswith("20")]
    shutil.rmtree(folder)
    os.symlink(victim, folder)
    (out / "index.html").unlink()
    os.symlink(victim / "index.html", out / "index.html")
    os.symlink(victim / "sub", out / "elsewhere")
    for version in ("v2", "v3", "v4"):
        rewrite(root, version)
        run = guarded_build(tmp_path, root, "--no-daemon")
        assert_clear(run)
        assert run.code == 0, run.err
        assert site_bytes(out) == cold(version)
        assert links_in(out) == []


def test_links_named_as_publog_s_staging_folders_are_never_followed(victim: Path, journal, cold, tmp_path: Path) -> None:
    root = journal(files())
    os.symlink(victim, root / "._site.publog-staging-1")
    os.symlink(victim / "sub", root / "_site.publog-previous")
    for version in ("v1", "v2", "v3"):
        rewrite(root, version)
        before = tree(tmp_path)
        run = build("build", root, "--no-daemon")
        assert outside(before, tree(tmp_path), tmp_path, [root / "_site", root / ".publog-cache"]) == []
        assert_clear(run)
        assert run.code == 0, run.err
        assert site_bytes(root / "_site") == cold(version)


# --- a damaged manifest ----------------------------------------------------------------------------------

MANIFEST_DAMAGE = {
    "garbage": "{not json",
    "a list": "[1, 2]",
    "wrong types": '{"index.html": 5}',
    "out of the site": '{"../../victim/keep.txt": ["x", 14, 0], "/etc/passwd": ["x", 1, 0]}',
}


@pytest.mark.parametrize("damage", list(MANIFEST_DAMAGE))
def test_a_damaged_manifest_or_kept_site_gives_the_whole_site(damage: str, victim: Path, journal, cold, tmp_path: Path) -> None:
    root = journal(files())
    for version in ("v1", "v2"):
        rewrite(root, version)
        assert build("build", root, "--no-daemon").code == 0
    next(version_folder(root).glob("output-*.json")).write_text(MANIFEST_DAMAGE[damage])
    kept = _kept_site(root)
    [folder] = [p for p in kept.iterdir() if p.name.startswith("20")]
    shutil.rmtree(folder)
    (kept / "index.html").unlink()
    (kept / "stray.html").write_text("left here")
    rewrite(root, "v3")
    run = guarded_build(tmp_path, root, "--no-daemon")
    assert_clear(run)
    assert run.code == 0, run.err
    assert site_bytes(root / "_site") == cold("v3")
