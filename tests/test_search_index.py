"""The search index in parts (issue 26): an edit makes one part again, and after any sequence of
edits, adds, deletes, renames, drafts and private entries the site's index is, byte for byte, the
one a cold build of the same journal makes."""

from __future__ import annotations

import gzip
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import entry, snapshot
from publog.render import search
from publog.run import pool

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    # Parts of a few entries, so that a journal of thirty has eight of them; the rule is the same at any size.
    monkeypatch.setattr(search, "PART_SIZE", 4)


def words(n: int) -> str:
    return f"Notes number {n} about word{n}x and more."


def start(journal) -> Path:
    kinds = ({"kind": "til"}, {"kind": "log"}, {})
    return journal({f"entries/2024-01-{n + 1:02d}-note-{n}.md": entry(f"Note {n}", f"2024-01-{n + 1:02d}", body=words(n),
                                                                     **kinds[n % 3]) for n in range(28)})


def index_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted((site / "pagefind").rglob("*")) if p.is_file()}


def indexed_text(site: Path) -> str:
    return "".join(gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in (site / "pagefind").rglob("*.pf_fragment"))


def cold(root: Path, tmp_path: Path, publog) -> dict[str, bytes]:
    again = tmp_path / "cold"
    shutil.rmtree(again, ignore_errors=True)
    shutil.copytree(root, again, ignore=shutil.ignore_patterns(".publog-cache", "_site"))
    assert publog("build", again).code == 0
    return index_of(again / "_site")


def test_an_edit_makes_one_part_of_the_index_again(journal, publog) -> None:
    root = start(journal)
    assert publog("build", root).code == 0
    parts = (root / "_site/pagefind/parts.json").read_text()
    assert parts == '["part-1", "part-2", "part-3", "part-4", "part-5", "part-6", "part-7"]'
    before = snapshot(root / "_site/pagefind")
    (root / "entries/2024-01-06-note-5.md").write_text(entry("Note 5", "2024-01-06", body="Now about okapis."))
    assert publog("build", root).code == 0
    after = snapshot(root / "_site/pagefind")
    changed = {name.split("/")[0] if name.startswith("part-") else "first" for name in set(before) ^ set(after)}
    changed |= {name.split("/")[0] if name.startswith("part-") else "first"
                for name in set(before) & set(after) if before[name] != after[name]}
    assert len(changed) == 1, changed  # the part of the edited entry, and no other
    assert "okapis" in indexed_text(root / "_site") and "word5x" not in indexed_text(root / "_site")


def test_after_any_edits_the_index_is_the_one_a_cold_build_makes(journal, publog, tmp_path: Path) -> None:
    root = start(journal)
    assert publog("build", root).code == 0
    steps = [
        lambda: (root / "entries/2024-01-03-note-2.md").write_text(entry("Note 2", "2024-01-03", body="Edited: llamas.")),
        lambda: (root / "entries/2024-02-01-added.md").write_text(entry("Added", "2024-02-01", body="New: alpacas.")),
        lambda: (root / "entries/2024-01-04-note-3.md").unlink(),
        lambda: (root / "entries/2024-01-05-note-4.md").rename(root / "entries/2024-01-05-renamed.md"),
        lambda: (root / "entries/2024-01-07-note-6.md").write_text(entry("Note 6", "2024-01-07", body=words(6), draft="true")),
        lambda: (root / "entries/2024-01-08-note-7.md").write_text(entry("Note 7", "2024-01-08", body=words(7), private="true")),
        lambda: (root / "entries/2024-01-09-note-8.md").write_text(entry("Note 8 retitled", "2024-01-09", body=words(8))),
    ]
    for step in steps:
        step()
        assert publog("build", root).code == 0
        assert index_of(root / "_site") == cold(root, tmp_path, publog)
    text = indexed_text(root / "_site")
    assert "llamas" in text and "alpacas" in text and "word4x" in text
    assert "word3x" not in text and "word6x" not in text and "word7x" not in text and "word2x" not in text
    assert publog("build", root, "--drafts").code == 0
    assert "word6x" not in indexed_text(root / "_site")  # a draft is never indexed, not even in a preview


def test_a_journal_that_grows_past_a_part_size_gets_more_parts(journal, publog) -> None:
    root = journal({f"entries/2024-01-{n + 1:02d}-n{n}.md": entry(f"N {n}", f"2024-01-{n + 1:02d}", body=words(n))
                    for n in range(4)})
    assert publog("build", root).code == 0
    assert (root / "_site/pagefind/parts.json").read_text() == "[]"
    (root / "entries/2024-01-05-n4.md").write_text(entry("N 4", "2024-01-05", body=words(4)))
    assert publog("build", root).code == 0
    assert (root / "_site/pagefind/parts.json").read_text() == '["part-1"]'
    assert all(f"word{n}x" in indexed_text(root / "_site") for n in range(5))


def test_the_words_of_a_highlighted_code_block_are_indexed_as_its_page_shows_them(journal, publog) -> None:
    """Pagefind reads code blocks without their highlighting (a quarter of its time on long entries with code):
    every word of the code is still found, in the order the page shows it."""
    code = 'def greet_warmly(name):\n    return f"hello {name}" if name else None\n'
    root = journal({"entries/2024-01-01-greet.md": entry("Greet", "2024-01-01", body=f"Kept.\n\n```python\n{code}```\n")})
    assert publog("build", root).code == 0
    assert '<span class="k">def</span>' in (root / "_site/2024/greet/index.html").read_text()  # the page highlights it
    text = indexed_text(root / "_site")
    assert 'def greet_warmly(name): return f\\"hello {name}\\" if name else None' in text, text


def test_a_failing_pagefind_leaves_no_run_behind_and_the_site_is_built_without_search(
        journal, publog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A Pagefind that fails on the first part (after the next has started) and takes its time on the others,
    # each noting its process id.
    started = tmp_path / "started"
    fake = tmp_path / "pagefind"
    fake.write_text(f'#!/bin/sh\necho $$ >> "{started}"\ncase "$*" in *"/8-0-"*) sleep 1; exit 3;; esac\nexec sleep 30\n')
    fake.chmod(0o755)
    monkeypatch.setattr(search, "_pagefind", lambda: fake)
    run = publog("build", start(journal), "--no-daemon")
    assert run.code == 0, run.err
    assert "the search index could not be made" in run.err
    ids = [int(pid) for pid in started.read_text().split()]
    assert len(ids) >= 2  # a run was going on beside the one that failed
    for pid in ids:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2], \
            f"Pagefind run {pid} outlived the build"


def test_a_build_that_stops_while_pagefind_runs_leaves_no_run_and_no_half_part_behind(
        journal, publog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pagefind reads a part while the pages render; a page the final scan refuses stops the build then.
    root = start(journal)
    assert publog("build", root, "--no-daemon").code == 0
    before = snapshot(root / "_site")
    started = tmp_path / "started"
    fake = tmp_path / "pagefind"
    # Each run writes some of its part (its --output-path is the 4th argument), then takes its time.
    fake.write_text(f'#!/bin/sh\nmkdir -p "$4" && touch "$4/half"\necho $$ >> "{started}"\nexec sleep 30\n')
    fake.chmod(0o755)
    monkeypatch.setattr(search, "_pagefind", lambda: fake)
    rendering = pool.render

    def render_once_pagefind_runs(*args, **kwargs):  # as with a journal whose pages take longer than a start
        deadline = time.monotonic() + 10
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        return rendering(*args, **kwargs)

    monkeypatch.setattr(pool, "render", render_once_pagefind_runs)
    (root / "publog.yaml").write_text("privacy:\n  never_publish: [Okapi Holdings]\n")
    (root / "static").mkdir()
    (root / "static/notes.txt").write_text("A note about Okapi Holdings.\n")
    (root / "entries/2024-01-06-note-5.md").write_text(entry("Note 5", "2024-01-06", body="Now about okapis."))
    made, making = [], tempfile.mkdtemp

    def mkdtemp(*args, **kwargs):  # the folders this build writes Pagefind's pages in
        made.append(Path(making(*args, **kwargs)))
        return str(made[-1])

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    run = publog("build", root, "--no-daemon")
    assert run.code == 1 and "static/notes.txt:1: the built site would publish the never-publish term" in run.err
    ids = [int(pid) for pid in started.read_text().split()]
    assert ids  # Pagefind was running when the build stopped
    for pid in ids:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2], \
            f"Pagefind run {pid} outlived the build"
    assert snapshot(root / "_site") == before  # the old site, whole
    kept = list(root.glob(".publog-cache/*/search"))
    assert len(kept) == 1 and list(kept[0].glob("8-*")) and not list(kept[0].glob("*.tmp"))  # no part half made
    assert made and not any(folder.exists() for folder in made)  # the pages written for Pagefind are gone


def test_a_part_whose_pages_cannot_be_written_stops_the_runs_begun_before_it(
        journal, publog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # publog serve makes the index in the background: an entry's HTML replaced by a save meanwhile stops it
    # while the second part's pages are written, after the first part's run has begun.
    from publog.run import cache as cache_mod
    from publog.run.build import Options, build

    monkeypatch.setattr(search.os, "cpu_count", lambda: 2)
    root = journal({f"entries/2024-01-{n + 1:02d}-n{n}.md": entry(f"N {n}", f"2024-01-{n + 1:02d}", body=words(n))
                    for n in range(8)})
    assert publog("build", root, "--no-daemon").code == 0
    (root / "entries/2024-01-01-n0.md").write_text(entry("N 0", "2024-01-01", body="edited"))
    pending = build(root, Options(search_later=True)).search_pending
    started, fake = tmp_path / "started", tmp_path / "pagefind"
    fake.write_text(f'#!/bin/sh\necho $$ >> "{started}"\nexec sleep 30\n')
    fake.chmod(0o755)
    monkeypatch.setattr(search, "_pagefind", lambda: fake)
    planned, read = search.plan(pending), []
    assert len(planned) == 2
    made, making = [], tempfile.mkdtemp

    def mkdtemp(*args, **kwargs):
        made.append(Path(making(*args, **kwargs)))
        return str(made[-1])

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)

    def body_html(digest: str) -> str:
        read.append(digest)
        if len(read) > len(planned[0][1]):  # the second part's first entry
            deadline = time.monotonic() + 5
            while not started.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            raise cache_mod.Damaged("replaced")
        return "<p>text</p>"

    (tmp_path / "search").mkdir()
    with pytest.raises(cache_mod.Damaged):
        search.index(pending, body_html, tmp_path / "search", wait=lambda: None)
    ids = [int(pid) for pid in started.read_text().split()]
    assert ids
    for pid in ids:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2], \
            f"Pagefind run {pid} outlived the index"
    assert made and not any(folder.exists() for folder in made)


def test_serve_at_localhost_uses_the_index_a_build_for_the_sites_address_made(
        journal, publog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = start(journal)
    (root / "publog.yaml").write_text("base_url: https://notes.example.org/\n")
    assert publog("build", root, "--no-daemon").code == 0
    built = index_of(root / "_site")
    runs = tmp_path / "runs"
    real = search._pagefind()
    fake = tmp_path / "pagefind"
    fake.write_text(f'#!/bin/sh\necho run >> "{runs}"\nexec "{real}" "$@"\n')
    fake.chmod(0o755)
    monkeypatch.setattr(search, "_pagefind", lambda: fake)
    # As publog serve builds, at its own address: not one part made again, and the same index.
    assert publog("build", root, "--no-daemon", "--base-url", "http://127.0.0.1:8123/", "--out", tmp_path / "served").code == 0
    assert not runs.exists()
    assert index_of(tmp_path / "served") == built
    # A site at another path is another index: its pages' addresses are in it.
    assert publog("build", root, "--no-daemon", "--base-url", "https://example.org/notes/", "--out", tmp_path / "sub").code == 0
    assert runs.exists()
    assert "/notes/2024/" in indexed_text(tmp_path / "sub") and "/notes/2024/" not in indexed_text(root / "_site")


def test_publog_serve_copies_a_new_index_in_without_forking(journal, monkeypatch: pytest.MonkeyPatch) -> None:
    # publog serve makes the index in the background, then builds to publish it: hundreds of the index's files
    # are new, and no page made from a template. Forking the serve process (a large one, on a large journal) to
    # copy them took longer than copying them in it.
    from publog.run.build import Options, build
    from publog.run.session import Session

    root = journal({f"entries/2024-{n // 28 + 1:02d}-{n % 28 + 1:02d}-n{n}.md":
                    entry(f"N {n}", f"2024-{n // 28 + 1:02d}-{n % 28 + 1:02d}", body=words(n)) for n in range(60)})
    session, serving = Session(root), Options(search_later=True, jobs=2)
    pending = build(root, serving, session).search_pending
    assert pending is not None
    search.index(pending, session.cache.html, session.cache.dir / "search")

    def fork(method: str) -> None:
        raise AssertionError(f"a {method}ed worker")

    monkeypatch.setattr(pool.multiprocessing, "get_context", fork)
    published = build(root, serving, session)
    assert published.ok and published.search_pending is None
    site = root / "_site"
    assert len(list((site / "pagefind").rglob("*.pf_fragment"))) == 60
    assert "word59x" in indexed_text(site)


def test_pagefind_is_found_where_its_own_package_looks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from pagefind.service import get_executable

    assert search._pagefind() == get_executable() is not None
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "elsewhere"))
    assert search._pagefind() == get_executable() == tmp_path / "elsewhere"
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    # A package of the extended program left without it, or a folder of its name: passed over, never a failed build.
    found = search._pagefind()
    for body in ("", "def get_executable():\n    raise FileNotFoundError('no program')\n"):
        folder = tmp_path / ("empty" if not body else "broken") / "pagefind_bin_extended"
        folder.mkdir(parents=True)
        (folder / "__init__.py").write_text(body)
        monkeypatch.syspath_prepend(str(folder.parent))
        monkeypatch.delitem(sys.modules, "pagefind_bin_extended", raising=False)
        assert search._pagefind() == found
