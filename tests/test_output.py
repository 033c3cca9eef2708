"""The output folder: replaced all or nothing, unchanged files untouched, nothing outside it written."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import entry, snapshot
from hostile_support import site_bytes


def test_rebuild_keeps_unchanged_files_and_their_mtimes(journal, publog) -> None:
    root = journal({"entries/2024-01-01-a.md": entry("A", "2024-01-01"), "entries/2024-01-02-b.md": entry("B", "2024-01-02")})
    publog("build", root)
    before = snapshot(root / "_site")
    publog("build", root)
    assert snapshot(root / "_site") == before

    (root / "entries/2024-01-01-a.md").write_text(entry("A", "2024-01-01", body="New words."))
    publog("build", root)
    after = snapshot(root / "_site")
    assert b"New words." in after["2024/a/index.html"][0]
    assert after["2024/a/index.html"][1] != before["2024/a/index.html"][1]
    assert after["2024/b/index.html"] == before["2024/b/index.html"]  # same bytes, same mtime
    assert after["static/style.css"] == before["static/style.css"]


def test_without_a_cache_unchanged_files_still_keep_their_mtimes(journal, publog) -> None:
    root = journal({"entries/a.md": entry()})
    publog("build", root)
    before = snapshot(root / "_site")
    import shutil

    shutil.rmtree(root / ".publog-cache")
    publog("build", root)
    assert snapshot(root / "_site") == before


def test_deleted_entry_disappears_from_the_site(journal, publog) -> None:
    root = journal({"entries/a.md": entry("A"), "entries/b.md": entry("B")})
    publog("build", root)
    assert (root / "_site/2024/b/index.html").exists()
    (root / "entries/b.md").unlink()
    publog("build", root)
    assert not (root / "_site/2024/b").exists()
    assert (root / "_site/2024/a/index.html").exists()


def test_refuses_to_replace_a_folder_publog_did_not_write(journal, publog, tmp_path: Path) -> None:
    root = journal({"entries/a.md": entry()})
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.docx").write_bytes(b"years of work")
    result = publog("build", root, "--out", precious)
    assert result.code == 1
    assert "has no .publog marker" in result.err
    assert [p.name for p in precious.iterdir()] == ["thesis.docx"]


def test_refuses_the_journal_itself_or_its_parent(journal, publog) -> None:
    root = journal({"entries/a.md": entry()})
    before = snapshot(root)
    for out in (root, root.parent):
        result = publog("build", root, "--out", out)
        assert result.code == 1
        assert "would contain the journal itself" in result.err
    assert snapshot(root) == before


def test_an_empty_folder_is_fine(journal, publog, tmp_path: Path) -> None:
    root = journal({"entries/a.md": entry()})
    out = tmp_path / "empty"
    out.mkdir()
    assert publog("build", root, "--out", out).code == 0
    assert (out / "index.html").is_file() and (out / ".publog").is_file()


def test_writes_nothing_outside_the_output_folder_and_the_cache(journal, publog, tmp_path: Path) -> None:
    root = journal({"entries/a.md": entry(), "entries/b.md": entry("B", body="[a](a.md)")})
    out = tmp_path / "site" / "public"
    outside_before = {p for p in tmp_path.rglob("*")}
    assert publog("build", root, "--out", out).code == 0
    (root / "entries/b.md").write_text(entry("B", body="changed"))
    assert publog("build", root, "--out", out).code == 0
    new = {p for p in tmp_path.rglob("*")} - outside_before
    allowed = (out, root / ".publog-cache")
    strays = [p for p in new if not any(p == a or a in p.parents for a in allowed) and p != out.parent]
    assert strays == []


def test_a_broken_template_is_a_problem_with_its_line_and_the_site_stays(journal, publog) -> None:
    root = journal({"entries/a.md": entry()})
    publog("build", root)
    before = snapshot(root / "_site")
    (root / "entries/a.md").write_text(entry(body="changed"))
    (root / "theme/templates").mkdir(parents=True)
    (root / "theme/templates/entry.html").write_text("{% extends 'base.html' %}\n{% block main %}\n{{ entry.nope.deeper }}\n{% endblock %}\n")
    result = publog("build", root)
    assert result.code == 1
    assert "theme/templates/entry.html:3: template error:" in result.err
    assert "Traceback" not in result.err
    assert snapshot(root / "_site") == before
    assert not [p for p in root.iterdir() if "staging" in p.name]


def test_the_site_is_the_same_bytes_every_build(journal, publog, tmp_path: Path) -> None:
    files = {f"entries/2024-0{i}-0{i}-e{i}.md": entry(f"E{i}", f"2024-0{i}-0{i}", tags="[a, b]") for i in range(1, 8)}
    one = journal(files, name="one")
    two = journal(files, name="two")
    publog("build", one, "--out", tmp_path / "out1")
    publog("build", two, "--out", tmp_path / "out2", "--jobs", "1")
    first = {k: v[0] for k, v in snapshot(tmp_path / "out1").items()}
    second = {k: v[0] for k, v in snapshot(tmp_path / "out2").items()}
    assert first == second
    assert os.path.exists(tmp_path / "out1" / "feed.xml")


# A journal as it changes: adds, edits, deletions, pages that move.
VERSIONS = [
    {"entries/2024-01-01-a.md": entry("A", "2024-01-01"), "entries/2024-01-02-b.md": entry("B", "2024-01-02", tags="[x]")},
    {"entries/2024-01-01-a.md": entry("A", "2024-01-01", body="Edited."), "entries/2024-01-02-b.md": entry("B", "2024-01-02", tags="[x]"),
     "entries/2024-01-03-c.md": entry("C", "2024-01-03", tags="[x, y]")},
    {"entries/2024-01-03-c.md": entry("C", "2024-01-03", tags="[y]")},
    {"entries/2024-01-01-a.md": entry("A", "2024-01-01", body="Back again."), "entries/2024-01-03-c.md": entry("C", "2024-01-03", tags="[x]")},
]


def test_builds_through_the_kept_previous_site_give_what_a_clean_build_gives(journal, publog, tmp_path: Path) -> None:
    """The site a build replaces is kept and brought up to date by the next build: after adds, edits,
    deletions, a page that becomes a folder, and a stray file dropped into the site, every build is
    byte for byte what a clean build of the same journal makes."""
    versions = VERSIONS
    root = journal(versions[0])
    for number, files in enumerate(versions):
        for old in (root / "entries").glob("*.md"):
            old.unlink()
        for name, text in files.items():
            (root / name).write_text(text)
        assert publog("build", root).code == 0
        (root / "_site/dropped-by-a-deploy-tool.txt").write_text("not publog's")
        reference = journal(files, name=f"clean-{number}")
        assert publog("build", reference).code == 0
        site = site_bytes(root / "_site")
        site.pop("dropped-by-a-deploy-tool.txt")
        assert site == site_bytes(reference / "_site"), f"version {number}"
    assert list((root / ".publog-cache").rglob("site-output-*"))  # the previous site, kept for the next build


def test_a_failed_build_through_the_kept_site_never_changes_the_live_one(journal, publog) -> None:
    """The kept site shares its unchanged files with the live one (hard links): a build that writes new
    pages into it and then fails must leave every byte and mtime of the live site as it was."""
    root = journal({"entries/2024-01-01-a.md": entry("A", "2024-01-01"), "entries/2024-01-02-b.md": entry("B", "2024-01-02")})
    for body in ("One.", "Two."):
        (root / "entries/2024-01-01-a.md").write_text(entry("A", "2024-01-01", body=body))
        assert publog("build", root).code == 0
    before = snapshot(root / "_site")
    (root / "entries/2024-01-02-b.md").write_text(entry("B", "2024-01-02", body="Three."))  # its page: one inode in both
    (root / "theme/templates").mkdir(parents=True)
    (root / "theme/templates/index.html").write_text("{% extends 'base.html' %}\n{% block main %}{{ nope.deeper }}{% endblock %}\n")
    result = publog("build", root, "--jobs", "1")
    assert result.code == 1, result.err
    assert "theme/templates/index.html:2" in result.err
    kept = [p for p in (root / ".publog-cache").rglob("site-output-*/2024/b/index.html")]
    assert kept and b"Three." in kept[0].read_bytes()  # the failed build had written into the kept site
    assert snapshot(root / "_site") == before
    (root / "theme/templates/index.html").unlink()
    assert publog("build", root).code == 0
    assert b"Three." in (root / "_site/2024/b/index.html").read_bytes()


def _many(n: int = 160) -> dict[str, str]:
    return {f"entries/2024-{1 + i // 28:02d}-{1 + i % 28:02d}-e{i}.md": entry(f"Entry {i}", f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}",
                                                                              tags=f"[t{i % 70}, all]", body=f"Words of entry {i}.")
            for i in range(n)}


@pytest.mark.slow
def test_a_build_over_several_processes_gives_the_bytes_of_one_process(journal, publog) -> None:
    """Enough pages for the render to be shared between this process and a worker: the same site."""
    one, two = journal(_many(), name="one"), journal(_many(), name="two")
    assert publog("build", one, "--jobs", "1").code == 0
    result = publog("build", two, "--jobs", "2")
    assert result.code == 0, result.err
    pages = int(result.out.split(" pages")[0].split()[-1])
    assert pages >= 400  # publog renders in one process below that
    assert site_bytes(one / "_site") == site_bytes(two / "_site")


@pytest.mark.slow
def test_a_template_error_in_a_shared_render_is_reported_and_the_site_stays(journal, publog) -> None:
    root = journal(_many())
    assert publog("build", root, "--jobs", "2").code == 0
    before = snapshot(root / "_site")
    (root / "theme/templates").mkdir(parents=True)
    (root / "theme/templates/topic.html").write_text("{% extends 'base.html' %}\n{% block main %}\n{{ nope.deeper }}\n{% endblock %}\n")
    result = publog("build", root, "--jobs", "2")
    assert result.code == 1
    assert "theme/templates/topic.html:3: template error:" in result.err
    assert "Traceback" not in result.err
    assert snapshot(root / "_site") == before


def test_a_kept_site_mirrored_between_builds_is_the_live_one_and_builds_on(journal, publog) -> None:
    """publog serve brings the kept previous site up to date after a build that rewrote most pages:
    it then holds the live site's very files (hard links, nothing copied into the live one), and the
    next build through it is what a clean build makes."""
    from publog.run.output_folder import mirror_spare
    from publog.run.session import Session

    files = {"entries/2024-01-01-a.md": entry("A", "2024-01-01"), "entries/2024-01-02-b.md": entry("B", "2024-01-02", tags="[x]")}
    root = journal(files)
    assert publog("build", root).code == 0
    (root / "theme/templates").mkdir(parents=True)
    (root / "theme/templates/entry.html").write_text("{% extends 'base.html' %}{% block main %}<h1>{{ entry.title }}!</h1>{% endblock %}\n")
    assert publog("build", root).code == 0  # every entry page rewritten: the kept site has the old ones
    before = snapshot(root / "_site")
    mirror_spare(root, root / "_site", Session(root))
    assert snapshot(root / "_site") == before
    spare = next((root / ".publog-cache").rglob("site-output-*"))
    live = {p.relative_to(root / "_site"): p.stat().st_ino for p in (root / "_site").rglob("*") if p.is_file()}
    kept = {p.relative_to(spare): p.stat().st_ino for p in spare.rglob("*") if p.is_file()}
    assert kept == live

    (root / "entries/2024-01-02-b.md").write_text(entry("B", "2024-01-02", tags="[y]", body="Edited."))
    assert publog("build", root).code == 0
    reference = journal({**files, "entries/2024-01-02-b.md": entry("B", "2024-01-02", tags="[y]", body="Edited."),
                         "theme/templates/entry.html": (root / "theme/templates/entry.html").read_text()}, name="clean")
    assert publog("build", reference).code == 0
    assert site_bytes(root / "_site") == site_bytes(reference / "_site")


def test_a_process_that_copied_the_site_it_found_unchanged_builds_through_the_copy_unlooked(journal, monkeypatch) -> None:
    """The kept build process whose first build found the journal unchanged makes the kept previous site a copy
    of the live one while it waits (run/daemon.py): the first edit after that stages in the copy without
    looking through it again, and gives what a clean build gives. What the live folder held that no build
    made (a file put there by hand before the process began) is in no site it swaps in later."""
    from publog.run.build import Options, build
    from publog.run.output_folder import mirror_spare
    from publog.run.session import Session
    from publog.write import spare

    files = {"entries/2024-01-01-a.md": entry("A", "2024-01-01"), "entries/2024-01-02-b.md": entry("B", "2024-01-02", tags="[x]")}
    root = journal(files)
    assert build(root, Options(), Session(root)).ok
    (root / "entries/2024-01-01-a.md").write_text(entry("A", "2024-01-01", body="Edited once."))
    assert build(root, Options(), Session(root)).ok  # the kept previous site is the first site: it lacks the edit
    (root / "_site/stray.txt").write_text("put here by hand")

    kept = Session(root)
    assert build(root, Options(), kept).written == 0  # unchanged
    mirror_spare(root, root / "_site", kept)
    walks = []
    looked = spare._prune
    monkeypatch.setattr(spare, "_prune", lambda *args: walks.append(args) or looked(*args))
    for n, body in enumerate(["Edited twice.", "Edited three times.", "Edited four times."]):
        files = {**files, "entries/2024-01-01-a.md": entry("A", "2024-01-01", body=body)}
        (root / "entries/2024-01-01-a.md").write_text(files["entries/2024-01-01-a.md"])
        assert build(root, Options(), kept).ok
        if n == 0:
            assert walks == []  # the copy was known
        reference = journal(files, name=f"clean-{n}")
        assert build(reference, Options()).ok
        assert site_bytes(root / "_site") == site_bytes(reference / "_site"), f"edit {n}"


def _tamper_add(spare: Path) -> None:
    (spare / "stray.txt").write_text("put in the kept site by hand")


def _tamper_link(spare: Path) -> None:
    (spare / "robots.txt").unlink()  # a file no edit changes
    (spare / "robots.txt").symlink_to("/etc/hostname")


def _tamper_remove(spare: Path) -> None:
    shutil.rmtree(spare / "topics")


@pytest.mark.parametrize("process", ["one a build", "kept, copying while it waits"])
def test_a_page_that_becomes_a_folder_and_back_builds_each_time(journal, process: str) -> None:
    """An entry whose permalink goes from /b.html/ (a folder with its index.html) to /b.html (a file) and
    back: the kept previous site, which the next build completes, holds the other shape; every build
    succeeds and gives what a clean build gives."""
    from publog.run.build import Options, build
    from publog.run.output_folder import mirror_spare
    from publog.run.session import Session

    root = journal({"entries/2024-01-01-a.md": entry("A", "2024-01-01")})
    kept = Session(root)
    for n, permalink in enumerate(["/b.html/", "/b.html/", "/b.html", "/b.html", "/b.html/", "/b.html/"]):
        files = {"entries/2024-01-01-a.md": entry("A", "2024-01-01", body=f"Version {n}."),
                 "entries/2024-01-02-b.md": entry("B", "2024-01-02", permalink=permalink)}
        for name, text in files.items():
            (root / name).write_text(text)
        result = build(root, Options(), kept if process.startswith("kept") else Session(root))
        assert result.ok, (n, result.problems)
        if process.startswith("kept"):
            mirror_spare(root, root / "_site", kept)
        reference = journal(files, name=f"clean-{n}")
        assert build(reference, Options()).ok
        assert site_bytes(root / "_site") == site_bytes(reference / "_site"), n


def test_carrying_a_file_onto_itself_leaves_nothing_beside_it(tmp_path: Path) -> None:
    """A file carried into the kept site where that very file is already (a hard link to it): the rename
    of the link made beside it does nothing, and nothing may be left there to be published."""
    from publog.write.links import carry

    (tmp_path / "live").mkdir()
    (tmp_path / "kept").mkdir()
    (tmp_path / "live/page.html").write_text("<p>page</p>")
    os.link(tmp_path / "live/page.html", tmp_path / "kept/page.html")
    carry(str(tmp_path / "live/page.html"), str(tmp_path / "kept/page.html"), replace=True)
    assert sorted(p.name for p in (tmp_path / "kept").iterdir()) == ["page.html"]


def test_a_kept_process_told_the_output_folder_two_ways_publishes_no_deleted_entry(journal, monkeypatch) -> None:
    """The kept process of `publog build` run in the journal's folder names the output folder `_site`; a later
    `publog build --out _site` names it by its whole path. What the process knows of the kept previous site
    under one name never stands for a copy made under the other: an entry deleted after both is in no page."""
    from publog.run import daemon
    from publog.run.build import Options, build
    from publog.run.session import Session

    files = {"entries/2024-01-01-a.md": entry("A", "2024-01-01"), "entries/2024-01-02-b.md": entry("B", "2024-01-02")}
    root = journal(files)
    monkeypatch.chdir(root)
    here = Path(".")
    kept = Session(here)

    def built(options: Options) -> None:
        result = build(here, options, kept)
        assert result.ok, result.problems
        for _, steps in daemon._after(here, kept, result.out):  # what the process does while it waits
            for _ in steps:
                pass

    built(Options())
    (root / "entries/2024-01-03-secret.md").write_text(entry("Secret", "2024-01-03", body="Deleted later."))
    built(Options(out=(root / "_site").resolve()))
    (root / "entries/2024-01-03-secret.md").unlink()
    built(Options())
    reference = journal(files, name="clean")
    assert build(reference, Options()).ok
    assert site_bytes(root / "_site") == site_bytes(reference / "_site")


def test_a_kept_site_changed_as_the_copy_is_made_is_not_believed(tmp_path: Path) -> None:
    """A folder changed since the look through the copy began (by the copy, or by anyone) is looked in again,
    once the file system's clock, which ticks coarsely, has moved on: what was put there meanwhile shows."""
    from publog.write.spare import clock, stamps, still

    copy = tmp_path / "site-output-x"
    since = clock(copy)
    assert since is not None
    (copy / "a").mkdir(parents=True)
    (copy / "a/index.html").write_text("a")
    (copy / "index.html").write_text("home")
    held = {name: (st.st_dev, st.st_ino) for name in ("a/index.html", "index.html") for st in [(copy / name).lstat()]}
    made = stamps(copy, held, since)
    assert made is not None and set(made) == {"", "a"} and still(copy, made, held, set())
    (copy / "a/stray.txt").write_text("put there as the copy was made")
    assert stamps(copy, held, since) is None  # looked in again: what the look found is not what is there
    assert not still(copy, made, held, set())
    (copy / "a/stray.txt").unlink()
    (copy / "index.html").unlink()
    (copy / "index.html").symlink_to("/etc/hostname")
    assert stamps(copy, held, since) is None


@pytest.mark.parametrize("tamper", [_tamper_add, _tamper_link, _tamper_remove])
@pytest.mark.parametrize("first", ["unchanged", "own", "own, then nothing to write", "own, while the pages render"])
def test_a_kept_site_changed_after_the_process_copied_it_is_looked_through(journal, monkeypatch, tamper, first: str) -> None:
    """What a long-running process found its kept previous site to hold as it made it a copy of the live
    one is believed only while no one put a file or a link in it or took one out: the next build then
    looks through it, and its site is what a clean build makes. ``first``: the process's first build found
    the journal unchanged, or wrote the site itself (and, after the copy, a build found nothing to write;
    or the change is made while the next build renders its pages)."""
    from publog.write.output import Output
    from publog.run.build import Options, build
    from publog.run.output_folder import mirror_spare
    from publog.run.session import Session

    files = {"entries/2024-01-01-a.md": entry("A", "2024-01-01", tags="[x]"), "entries/2024-01-02-b.md": entry("B", "2024-01-02")}
    root = journal(files)
    assert build(root, Options(), Session(root)).ok
    files["entries/2024-01-02-b.md"] = entry("B", "2024-01-02", body="Edited once.")
    (root / "entries/2024-01-02-b.md").write_text(files["entries/2024-01-02-b.md"])
    kept = Session(root)
    assert build(root, Options(), Session(root) if first == "unchanged" else kept).ok
    if first == "unchanged":
        assert build(root, Options(), kept).written == 0
    mirror_spare(root, root / "_site", kept)
    assert kept.copies
    if first == "own, then nothing to write":
        os.utime(root / "entries/2024-01-02-b.md", ns=(1, 2 * 10**18))  # saved again, the same bytes
        assert build(root, Options(), kept).written == 0
    copy = next((root / ".publog-cache").rglob("site-output-*"))
    if first == "own, while the pages render":
        commit = Output.commit
        monkeypatch.setattr(Output, "commit", lambda self, *args: tamper(copy) or commit(self, *args))
    else:
        tamper(copy)
    files["entries/2024-01-02-b.md"] = entry("B", "2024-01-02", body="Edited twice.")
    (root / "entries/2024-01-02-b.md").write_text(files["entries/2024-01-02-b.md"])
    assert build(root, Options(), kept).ok
    reference = journal(files, name="clean")
    assert build(reference, Options()).ok
    assert site_bytes(root / "_site") == site_bytes(reference / "_site")
    assert not [p for p in (root / "_site").rglob("*") if p.is_symlink()]


@pytest.mark.parametrize("idle", [False, True])
def test_a_file_put_in_the_site_by_hand_is_in_no_later_site_of_a_kept_process(journal, idle: bool) -> None:
    """A file put in the output folder by hand (a CNAME, say) while the kept build process runs: the next
    build's site does not have it, and it never comes back (it went, with the replaced site, into the copy
    the next build stages in). ``idle``: the process readies that copy between the builds."""
    from publog.run import daemon
    from publog.run.build import Options, build
    from publog.run.session import Session

    files = {"entries/2024-01-01-a.md": entry("A", "2024-01-01"), "entries/2024-01-02-b.md": entry("B", "2024-01-02")}
    root = journal(files)
    kept = Session(root)
    for n, body in enumerate(["One.", "Two.", "Three.", "Four.", "Five."]):
        (root / "entries/2024-01-01-a.md").write_text(entry("A", "2024-01-01", body=body))
        assert build(root, Options(), kept).ok
        if n == 1:
            (root / "_site/CNAME").write_text("journal.example.org\n")
        elif n > 1:
            assert not (root / "_site/CNAME").exists(), f"build {n}"
        if idle:
            for _, steps in daemon._after(root, kept, root / "_site"):
                for _ in steps:
                    pass


def test_builds_by_one_process_that_knows_its_kept_site_give_what_a_clean_build_gives(journal, tmp_path: Path) -> None:
    """A long-running process keeps its cache between builds and, once it made the kept previous site a
    copy of the live one while it waited, does not look through it again: after adds, edits, deletions
    and a page that becomes a folder, every build is what a clean build makes."""
    from publog.run.build import Options, build
    from publog.run.output_folder import mirror_spare
    from publog.run.session import Session

    versions = VERSIONS + [
        {"entries/2024-01-01-a.md": entry("A", "2024-01-01", body="Back again.", slug="x"),
         "entries/2024-01-03-c.md": entry("C", "2024-01-03", tags="[x]", permalink="/2024/x/deeper/")},
        {"entries/2024-01-01-a.md": entry("A", "2024-01-01", body="Once more."), "entries/2024-01-03-c.md": entry("C", "2024-01-03", tags="[x]")},
    ]
    root = journal(versions[0])
    store = Session(root)
    for number, files in enumerate(versions):
        for old in (root / "entries").glob("*.md"):
            old.unlink()
        for name, text in files.items():
            (root / name).write_text(text)
        result = build(root, Options(), store)
        reference = journal(files, name=f"clean-{number}")
        expected = build(reference, Options())
        assert result.ok and expected.ok, (result.problems, expected.problems)
        assert site_bytes(root / "_site") == site_bytes(reference / "_site"), f"version {number}"
        mirror_spare(root, root / "_site", store)
        assert store.spare_files  # what the kept site holds is known: the next build does not look it up


def test_a_kept_cache_that_did_not_write_the_site_looks_through_the_kept_one(journal) -> None:
    """The build cache is safe to delete: a process that keeps its cache (publog serve) but did not
    write the site there, or whose manifest another build replaced, does not trust what it remembers."""
    import shutil

    from publog.run.build import Options, build
    from publog.run.session import Session

    files = {f"entries/2024-01-0{n}-e{n}.md": entry(f"E{n}", f"2024-01-0{n}", tags="[x]") for n in range(1, 5)}
    root = journal(files)
    assert build(root, Options()).ok
    shutil.rmtree(root / ".publog-cache")
    store = Session(root)
    for number, body in enumerate(["One.", "Two.", "Three.", "Four."]):
        files["entries/2024-01-02-e2.md"] = entry("E2", "2024-01-02", tags="[x]", body=body)
        (root / "entries/2024-01-02-e2.md").write_text(files["entries/2024-01-02-e2.md"])
        if number == 2:  # another process builds the same output folder meanwhile
            (root / "entries/2024-01-04-e4.md").unlink()
            files.pop("entries/2024-01-04-e4.md")
            assert build(root, Options()).ok
        result = build(root, Options(), store)
        assert result.ok, result.problems
        reference = journal(files, name=f"clean-{number}")
        assert build(reference, Options()).ok
        assert site_bytes(root / "_site") == site_bytes(reference / "_site"), f"build {number}"


def test_a_replaced_site_deleted_step_by_step_loses_its_links_not_what_they_point_to(tmp_path: Path) -> None:
    from publog.write.links import removing

    kept = tmp_path / "elsewhere"
    (kept / "inner").mkdir(parents=True)
    (kept / "inner/notes.txt").write_text("mine")
    old = tmp_path / "old-site"
    for n in range(7):
        (old / f"2024/{n}").mkdir(parents=True)
        (old / f"2024/{n}/index.html").write_text("page")
    (old / "2024/folder-link").symlink_to(kept)
    (old / "file-link").symlink_to(kept / "inner/notes.txt")
    steps = sum(1 for _ in removing(str(old), step=3))
    assert steps >= 2  # a few files a step
    assert not os.path.lexists(old)
    assert (kept / "inner/notes.txt").read_text() == "mine"


def test_a_replaced_site_swapped_for_a_link_between_steps_is_not_deleted_through(tmp_path: Path) -> None:
    """Found by a red-team pass: the folder, or one inside it, put in place of a link to the user's files
    while a kept process deletes it a few files at a time."""
    from publog.write.links import removing

    victim = tmp_path / "victim"
    (victim / "sub").mkdir(parents=True)
    for name in ("a", "sub/b"):
        (victim / name).write_text("mine")

    def site(name: str) -> Path:
        old = tmp_path / name
        for n in range(6):
            (old / f"x/{n}").mkdir(parents=True)
            (old / f"x/{n}/index.html").write_text("page")
        return old

    whole = site("whole")
    steps = removing(str(whole), step=2)
    whole.rename(tmp_path / "whole-moved")  # before the first step
    whole.symlink_to(victim)
    for _ in steps:
        pass
    inner = site("inner")
    steps = removing(str(inner), step=2)
    next(steps)
    (inner / "x/0").rename(tmp_path / "inner-moved")  # a folder not yet emptied
    (inner / "x/0").symlink_to(victim)
    for _ in steps:
        pass
    assert sorted(p.relative_to(victim).as_posix() for p in victim.rglob("*")) == ["a", "sub", "sub/b"]
    assert not os.path.lexists(inner)


def test_a_replaced_site_of_deep_folders_is_deleted_without_a_recursion_error(tmp_path: Path) -> None:
    """Found by a red-team pass: one call per folder level ran past Python's recursion limit."""
    from publog.write.links import removing

    old = tmp_path / "old-site"
    old.mkdir()
    here = os.open(old, os.O_RDONLY)
    for _ in range(1100):  # made a level at a time: os.makedirs itself recurses
        os.mkdir("d", dir_fd=here)
        inner = os.open("d", os.O_RDONLY, dir_fd=here)
        os.close(here)
        here = inner
    os.close(os.open("index.html", os.O_CREAT | os.O_WRONLY, dir_fd=here))
    os.close(here)
    try:
        for _ in removing(str(old)):
            pass
        assert not os.path.lexists(old)
    finally:  # pytest's own clean-up of old temporary folders recurses, and would fail on what is left
        subprocess.run(["rm", "-rf", str(old)], check=False)
