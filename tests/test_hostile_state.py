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
import sqlite3
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


def strict_build(base: Path, root: Path, *args: str | Path) -> object:
    """A build that may change nothing below ``base`` but the output folder: not even the cache,
    which is a link here (what it points to is not publog's)."""
    __tracebackhide__ = True
    before = tree(base)
    run = build("build", root, "--no-daemon", *args)
    strays = outside(before, tree(base), base, [root / "_site"])
    assert not strays, "changed outside the output folder:\n" + "\n".join(strays[:20]) + f"\n{run.err[-2000:]}"
    return run


def links_in(folder: Path) -> list[str]:
    return [str(p) for p in folder.rglob("*") if p.is_symlink()]


def version_folder(root: Path) -> Path:
    [found] = [p for p in (root / ".publog-cache").iterdir() if p.is_dir() and not p.is_symlink()]
    return found


# --- a cache folder that is a link ----------------------------------------------------------------

@pytest.mark.parametrize("target", [".", "..", "../victim", "entries"])
def test_a_cache_folder_that_is_a_link_is_left_alone(target: str, victim: Path, journal, cold, tmp_path: Path) -> None:
    root = journal(files())
    os.symlink(target, root / ".publog-cache")
    for version in ("v1", "v2", "v3"):
        rewrite(root, version)
        run = strict_build(tmp_path, root)
        assert_clear(run)
        assert run.code == 0, run.err
        assert any(p.startswith(".publog-cache:1: warning: ") and "link" in p for p in problems(run)), run.err
        assert site_bytes(root / "_site") == cold(version)
    assert os.readlink(root / ".publog-cache") == target


# --- a link where publog keeps its own files --------------------------------------------------------

def _kept_site(root: Path) -> Path:
    [site] = version_folder(root).glob("site-output-*")
    return site


PLACES = {
    # what publog keeps, and where the link put in its place points (from the journal's folder)
    "version folder": (lambda root: version_folder(root), "../victim"),
    "database": (lambda root: version_folder(root) / "cache.sqlite", "../victim/made.sqlite"),
    "database journal": (lambda root: version_folder(root) / "cache.sqlite-journal", "../victim/made.txt"),
    "lock": (lambda root: root / ".publog-cache/lock", "../victim/made.txt"),
    "gitignore": (lambda root: root / ".publog-cache/.gitignore", "../victim/made.txt"),
    "manifest": (lambda root: next(version_folder(root).glob("output-*.json")), "../victim/keep.txt"),
    "last build": (lambda root: next(version_folder(root).glob("last-build-*.json")), "../victim/keep.txt"),
    "kept site": (_kept_site, "../victim"),
    "another version": (lambda root: root / ".publog-cache/0123456789ab", "../victim"),
}


def _link_in_place(root: Path, place: str) -> Path:
    """A link, in place of what publog keeps at ``place``; its path."""
    where, target = PLACES[place]
    path = where(root)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(os.path.relpath(root / target, path.parent), path)
    return path


@pytest.mark.parametrize("place", list(PLACES))
def test_a_link_where_publog_keeps_its_files_is_never_followed(place: str, victim: Path, journal, cold, tmp_path: Path) -> None:
    root = journal(files())
    for version in ("v1", "v2"):  # the second build keeps the first one's site
        rewrite(root, version)
        assert build("build", root, "--no-daemon").code == 0
    path = _link_in_place(root, place)
    for version in ("v3", "v4"):
        rewrite(root, version)
        run = guarded_build(tmp_path, root, "--no-daemon")
        assert_clear(run)
        assert run.code == 0, run.err
        shown = path.relative_to(root).as_posix()
        assert any(p.startswith(f"{shown}:1: warning: ") for p in problems(run)), run.err
        assert site_bytes(root / "_site") == cold(version)
    assert path.is_symlink()


@pytest.mark.parametrize("place", list(PLACES))
def test_a_link_put_where_publog_keeps_its_files_while_a_process_runs_is_never_followed(
        place: str, victim: Path, journal, cold) -> None:
    """The kept build process and serve made their session while the cache was sound: a link put in it
    since is found by the next build, which then reads and writes nothing in the cache."""
    from publog.run.build import Options, build as build_here
    from publog.run.session import Session

    root = journal(files())
    kept = Session(root)
    for version in ("v1", "v2"):
        rewrite(root, version)
        assert build_here(root, Options(), kept).ok
    path = _link_in_place(root, place)
    before = tree(victim)
    for version in ("v3", "v4"):
        rewrite(root, version)
        result = build_here(root, Options(), kept)
        assert result.ok, result.problems
        shown = path.relative_to(root).as_posix()
        assert any(p.path == shown and p.severity == "warning" for p in result.problems), result.problems
        assert site_bytes(root / "_site") == cold(version)
    assert path.is_symlink()
    assert tree(victim) == before


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


# --- a damaged cache ----------------------------------------------------------------------------------

def _sql(*statements: str):
    def damage(db: Path) -> None:
        with sqlite3.connect(db) as conn:
            for statement in statements:
                conn.execute(statement)
        conn.close()
    return damage


def _overwrite(at: float, data: bytes = b"\xa5" * 64):
    def damage(db: Path) -> None:
        raw = bytearray(db.read_bytes())
        start = int(len(raw) * at)
        raw[start:start + len(data)] = data
        db.write_bytes(bytes(raw))
    return damage


def _truncate(at: float):
    def damage(db: Path) -> None:
        with open(db, "r+b") as handle:
            handle.truncate(int(db.stat().st_size * at))
    return damage


def _everywhere(db: Path) -> None:
    """Every 512th byte flipped."""
    raw = bytearray(db.read_bytes())
    for i in range(100, len(raw), 512):
        raw[i] ^= 0xFF
    db.write_bytes(bytes(raw))


DAMAGE = {
    "garbage record": (_sql("UPDATE entries SET record = '{not json'"), True),
    "record of another shape": (_sql("UPDATE entries SET record = '{\"path\": 1}'"), True),
    "record of wrong types": (_sql("UPDATE entries SET record = json_set(record, '$.words', 'many', '$.tags', 7)"), True),
    "changed record text": (_sql("UPDATE entries SET record = replace(record, 'Entry', 'Evil')"), True),
    "html rows deleted": (_sql("DELETE FROM html"), True),
    "changed html": (_sql("UPDATE html SET html = replace(html, 'Text', 'Evil')"), True),
    "html table dropped": (_sql("DROP TABLE html"), True),
    "entries table dropped": (_sql("DROP TABLE entries"), True),
    "truncated to nothing": (_truncate(0), False),
    "truncated to half": (_truncate(0.5), False),
    "cut after its header": (_truncate(0.02), False),
    "bytes overwritten at a third": (_overwrite(0.33), False),
    "bytes overwritten at two thirds": (_overwrite(0.66), False),
    "bytes overwritten at the end": (_overwrite(0.97), False),
    "header overwritten": (_overwrite(0.0, b"garbage" * 4), False),
    "flipped everywhere": (_everywhere, False),
    "a folder": (lambda db: (db.unlink(), db.mkdir()), False),
}


EDITED = entry("Entry 0", "2024-01-10", tags="[t0]", body="Edited.")


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_cache_is_discarded_with_a_warning(damage: str, journal, cold, tmp_path: Path) -> None:
    root = journal(files())
    assert build("build", root, "--no-daemon").code == 0
    hurt, warned = DAMAGE[damage]
    hurt(version_folder(root) / "cache.sqlite")
    (root / "entries/2024-01-10-e0.md").write_text(EDITED)  # the others' records and HTML come from the cache
    run = guarded_build(tmp_path, root, "--no-daemon")
    assert_clear(run)
    assert run.code == 0, run.err
    if warned:
        assert any(p.startswith(".publog-cache/") and ":1: warning: the build cache was damaged (" in p
                   for p in problems(run)), run.err
    reference = journal({**files(), "entries/2024-01-10-e0.md": EDITED}, name="reference")
    assert build("build", reference, "--no-daemon").code == 0
    assert site_bytes(root / "_site") == site_bytes(reference / "_site")
    # and the cache works again
    rewrite(root, "v3")
    again = guarded_build(tmp_path, root, "--no-daemon")
    assert again.code == 0 and "damaged" not in again.err, again.err
    assert site_bytes(root / "_site") == cold("v3")


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


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["html rows deleted", "changed html", "truncated to nothing"])
def test_a_cache_damaged_under_the_kept_build_process_is_discarded(damage: str, journal) -> None:
    """The kept process (daemon.py) holds the cache's records in memory and reads HTML from its file."""
    from test_daemon import cli as kept_cli, gone, kept

    root = journal(files())
    try:
        first = kept_cli("build", root)
        assert first.code == 0, first.err
        assert kept(root), "no build process was kept"
        DAMAGE[damage][0](version_folder(root) / "cache.sqlite")
        (root / "entries/2024-01-10-e0.md").write_text(EDITED)
        run = kept_cli("build", root)
        assert_clear(run)
        assert run.code == 0, run.err
        if damage != "truncated to nothing":  # the process may still read the file it opened before
            assert "warning: the build cache was damaged (" in run.err, run.err
        reference = journal({**files(), "entries/2024-01-10-e0.md": EDITED}, name="reference")
        assert build("build", reference, "--no-daemon").code == 0
        assert site_bytes(root / "_site") == site_bytes(reference / "_site")
    finally:
        (root / ".publog-cache/build.sock").unlink(missing_ok=True)
        if not gone(root):
            for pid in kept(root):
                os.kill(pid, 9)
