"""A rebuild after any change writes exactly what a cold build of the changed journal writes."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Callable

import pytest

from publog.journal import assemble as journal_mod
from publog.run.build import Options, build
from publog.run.session import Session

from conftest import entry, snapshot, write


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def cold_site(root: Path, cold: Path, options: Options = Options()) -> dict[str, bytes]:
    """The site a build from nothing makes of the journal at ``root``, copied to ``cold`` without its site and cache."""
    shutil.copytree(root, cold, ignore=shutil.ignore_patterns("_site", ".publog-cache"))
    assert build(cold, options).ok
    return files(options.out or cold / "_site")


def make(root: Path) -> Path:
    topics = ["sql", "python", "career", "Product Management", "product-management"]
    entries = {
        f"entries/2024-0{1 + i // 4}-{10 + i}-entry-{i}.md": entry(
            f"Entry {i}", f"2024-0{1 + i // 4}-{10 + i}", tags=f"[{topics[i % 5]}, {topics[(i + 2) % 5]}]",
            body=f"Body of entry {i}.\n\nSee [the first one](2024-01-10-entry-0.md)." if i % 3 == 0 else f"Body {i}.\n\n![chart](img/c.svg)",
        )
        for i in range(14)
    }
    return write(root, {
        "publog.yaml": "title: Inc\nper_page: 3\nbase_url: https://example.org/\n",
        **entries,
        "entries/img/c.svg": '<svg xmlns="http://www.w3.org/2000/svg"><title>c</title></svg>',
        "static/extra.txt": "hello\n",
    })


def edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        target = root / path
        text = target.read_text()
        assert old in text, (old, text)
        target.write_text(text.replace(old, new, 1))

    return change


E5 = "entries/2024-02-15-entry-5.md"
E0 = "entries/2024-01-10-entry-0.md"


def _rename(root: Path) -> None:
    (root / E5).rename(root / "entries/2024-02-15-renamed.md")


def _new_entry(root: Path) -> None:
    write(root, {"entries/2024-02-20-new.md": entry("Brand new", "2024-02-20", tags="[sql, fresh]")})


def _template(root: Path) -> None:
    write(root, {"theme/templates/entry.html": "{% extends 'base.html' %}{% block main %}<h1>{{ entry.title }}!</h1>{{ content }}{% endblock %}\n"})


CHANGES: dict[str, Callable[[Path], None]] = {
    "body": edit(E5, "Body 5.", "Body five, rewritten with **more** words."),
    "body below its summary": lambda root: (root / E5).write_text((root / E5).read_text() + "\nA last paragraph, added.\n"),
    "body of a linking entry": lambda root: (root / E0).write_text((root / E0).read_text() + "\nAnd one more thought.\n"),
    "body of an embedded note": edit("entries/2024-03-20-entry-10.md", "Body 10.", "Body 10.\n\n![[Entry 5]]"),
    "title": edit(E5, "title: Entry 5", "title: Entry five"),
    "tags": edit(E5, "tags: [", "tags: [newtopic, "),
    "topic display name flips": edit("entries/2024-02-14-entry-4.md", "product-management", "Product Management"),
    "date": edit(E5, "date: 2024-02-15", "date: 2024-03-30"),
    "draft on": edit(E5, "title:", "draft: true\ntitle:"),
    "deleted": lambda root: (root / E5).unlink(),
    "renamed": _rename,
    "new entry": _new_entry,
    "slug of a linked entry": edit(E0, "title:", "slug: first\ntitle:"),
    "template": _template,
    "wiki link added": edit(E5, "Body 5.", "Body 5 builds on [[Entry 0]]."),
    "backlink sentence changed": edit("entries/2024-01-13-entry-3.md", "See [the first one]", "Read [the first one]"),
    "series joined": edit(E5, "title:", "series: Basics\ntitle:"),
    "series order": lambda root: (edit(E0, "title:", "series: Basics\nseries_order: 2\ntitle:")(root),
                                  edit(E5, "title:", "series: Basics\nseries_order: 1\ntitle:")(root)),
    "config title": edit("publog.yaml", "title: Inc", "title: Incremental"),
    "config per_page": edit("publog.yaml", "per_page: 3", "per_page: 4"),
    "static file": lambda root: (root / "static/extra.txt").write_text("changed\n"),
    "image next to entries": lambda root: (root / "entries/img/c.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><title>d</title></svg>'),
}


# Every change, in a process that keeps the last journal, plan and cards (publog serve, and the kept build
# process that publog build hands its builds to): what it may reuse, and what it must not.
KEPT = tuple(sorted(CHANGES))


@pytest.mark.parametrize("change, kept", [(c, False) for c in sorted(CHANGES)] + [(c, True) for c in KEPT],
                         ids=[*sorted(CHANGES), *(f"{c}, kept in memory" for c in KEPT)])
def test_rebuild_equals_cold_build(change: str, kept: bool, tmp_path: Path) -> None:
    """As a build in a new process (publog build) and as one that keeps the last journal (publog serve)."""
    warm = make(tmp_path / "warm")
    store = Session(warm) if kept else None
    assert build(warm, Options(), store).ok
    CHANGES[change](warm)
    result = build(warm, Options(), store)
    assert result.ok, result.problems

    assert files(warm / "_site") == cold_site(warm, tmp_path / "cold")


def test_a_kept_journal_is_reused_only_when_nothing_but_the_text_of_entries_changed(tmp_path: Path, monkeypatch) -> None:
    root = make(tmp_path / "j")
    store = Session(root)
    assert build(root, Options(), store).ok
    placed = []
    assemble = journal_mod.assemble
    monkeypatch.setattr(journal_mod, "assemble", lambda *a, **k: placed.append(1) or assemble(*a, **k))

    def reused(change: Callable[[Path], None]) -> bool:
        placed.clear()
        change(root)
        assert build(root, Options(), store).ok
        return not placed

    assert reused(CHANGES["body below its summary"])
    assert reused(CHANGES["body of a linking entry"])
    assert not reused(CHANGES["body"])  # its summary (the first paragraph) changed: placed again
    assert not reused(CHANGES["tags"])
    assert not reused(edit(E5, "A last paragraph, added.", "See [[Entry 3]]."))  # a new link
    assert not reused(CHANGES["body of an embedded note"])
    assert not reused(lambda root: (root / E5).write_text((root / E5).read_text() + "\nShown where it is embedded.\n"))
    assert reused(lambda root: (root / E0).write_text((root / E0).read_text() + "\nNobody embeds this one.\n"))


def test_draft_turned_off_appears(tmp_path: Path) -> None:
    root = make(tmp_path / "j")
    edit(E5, "title:", "draft: true\ntitle:")(root)
    build(root, Options())
    assert not (root / "_site/2024/entry-5").exists()
    edit(E5, "draft: true\n", "")(root)
    build(root, Options())
    assert (root / "_site/2024/entry-5/index.html").is_file()


def test_body_edit_renders_only_the_pages_that_show_the_entry(tmp_path: Path) -> None:
    root = make(tmp_path / "j")
    edit("publog.yaml", "title: Inc", "title: Inc\nsearch: false")(root)  # the search index is remade whole
    first = build(root, Options())
    assert build(root, Options()).rendered == 0
    edit(E5, "Body 5.", "Body 5, edited.")(root)
    result = build(root, Options())
    # its page, its neighbours, its home and topic pages, the archive, the feeds that hold it (three
    # of the site, three of each of its two topics)
    assert 0 < result.rendered <= 18 < first.pages
    assert "Body 5, edited." in (root / "_site/2024/entry-5/index.html").read_text()


def test_the_cache_holds_the_html_of_the_current_entries_and_no_other(tmp_path: Path) -> None:
    import sqlite3

    from publog.run.cache import Cache

    root = make(tmp_path / "journal")
    build(root, Options())
    edit(E5, "Body 5.", "Body 5, longer now.")(root)
    (root / "entries/2024-01-11-entry-1.md").unlink()
    assert build(root, Options()).ok

    db = sqlite3.connect(Cache(root).file)
    named = {row[0] for row in db.execute("SELECT json_extract(record, '$.digest') FROM entries")}
    kept = {row[0]: row[1] for row in db.execute("SELECT digest, html FROM html")}
    assert len(named) == 13 and set(kept) == named
    edited = db.execute("SELECT json_extract(record, '$.digest') FROM entries WHERE path = ?", (E5,)).fetchone()[0]
    assert "Body 5, longer now." in kept[edited]


def test_a_kept_plan_after_text_edits_is_the_plan_a_new_build_makes(tmp_path: Path) -> None:
    """publog serve keeps the last plan: after edits to the text of entries it changes only the
    fingerprints of the pages showing them, and must end where planning from scratch ends."""
    from conftest import SAMPLE
    from publog.site import pages

    root = tmp_path / "journal"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("_site", ".publog-cache"))
    store = Session(root)
    serving = Options(search_later=True)  # as publog serve builds: with the last search index, made again later
    assert build(root, serving, store).ok
    kept = store.planned
    edited = ["2026-04-22-learning-sql-part-1-select-and-where.md", "2026-07-14-how-i-finally-understood-joins.md",
              "2026-11-20-seven-months-of-learning-in-public.md", "2026-06-01-qa-why-is-select-so-hard-to-style.md"]
    for round, names in enumerate([edited, edited[1:3] + ["2026-05-14-the-dashboard-that-misled-our-launch.md"]]):
        for name in names:  # the second round: pages the first one planned again, and others
            path = root / "entries" / name
            path.write_text(path.read_text(encoding="utf-8") + f"\nA paragraph added at the end, *round {round}*.\n",
                            encoding="utf-8")
        result = build(root, serving, store)
        assert result.ok and result.written >= len(names)

        assert store.planned.cards is kept.cards  # planned again from the kept plan, not from scratch
        fresh = pages.plan(store.planned.journal, *store.planned.inputs)
        assert [(p.file, p.fingerprint) for p in store.planned.pages] == [(p.file, p.fingerprint) for p in fresh]
    # A new file to copy (as a new search index is, in publog serve): the pages are kept, the copies made again.
    (root / "static").mkdir(exist_ok=True)
    (root / "static/notes.txt").write_text("Copied as it is.\n")
    assert build(root, serving, store).ok
    assert store.planned.cards is kept.cards
    fresh = pages.plan(store.planned.journal, *store.planned.inputs)
    assert [(p.file, p.fingerprint) for p in store.planned.pages] == [(p.file, p.fingerprint) for p in fresh]
    assert (root / "_site/notes.txt").read_text() == "Copied as it is.\n"

    assert files(root / "_site") == cold_site(root, tmp_path / "cold", serving)


def test_related_entries_kept_from_the_last_journal_are_those_of_a_journal_made_from_nothing(tmp_path: Path) -> None:
    """A process that keeps its journal (publog serve, the kept build process) keeps related entries the
    last journal found where no entry's candidates changed: after random changes of tags, they are
    exactly those found from nothing."""
    import datetime as dt
    import importlib.util
    import random
    from dataclasses import replace

    from publog.journal import assemble as journal_mod
    from publog.run.cache import Cache
    from publog.run.inputs import discover as _discover
    from publog.settings.config import load

    spec = importlib.util.spec_from_file_location("make_journal", Path(__file__).parent.parent / "benchmarks" / "make_journal.py")
    assert spec and spec.loader
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    root = tmp_path / "j"
    generator.write(root, 150)
    build(root, Options(out=tmp_path / "site"))
    config, _ = load(root)
    store = Cache(root, writable=False)
    found = _discover(root, root / config.entries, root / "_site", ())
    compiled = [store.records[p][2] for p in found.entries]
    journal = journal_mod.assemble(compiled, config, journal_mod.Options(now=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)),
                                   "entries", found.files, {}, {}, [])[0]
    topics = sorted({t for e in journal.entries for t in e.topics})
    rng = random.Random(6)
    changed = 0
    for trial in range(30):
        entries = [replace(e, related=()) for e in journal.entries]
        for _ in range(rng.randint(1, 3)):
            n = rng.randrange(len(entries))
            entries[n] = replace(entries[n], topics=tuple(rng.sample(topics, rng.randint(1, 4))))
        found_again = [e.related for e in journal_mod._related(entries, journal.entries)]
        assert found_again == [e.related for e in journal_mod._related(entries)], trial
        changed += found_again != [e.related for e in journal.entries]
    assert changed > 20  # the changes of tags moved related entries: the kept ones were really checked


def test_a_process_that_keeps_its_journal_and_plan_builds_what_a_new_process_builds_after_random_edits(tmp_path: Path) -> None:
    """A process that keeps its journal and plan (publog serve, the kept build process) keeps the objects of
    unchanged entries and topics, what pages show of a topic, and the fingerprints of unchanged cards:
    after each of random changes of bodies, titles, tags (their spelling names a topic), kinds, dates and
    the time zone, its plan gives every page the fingerprint a new process gives it, and the two sites are the
    same bytes."""
    import random
    import re

    generator = _generator()
    root = tmp_path / "j"
    generator.write(root, 120)
    config = root / "publog.yaml"
    # Broader topics, so that sub-topics show on their parents' pages and the other way round.
    settings = config.read_text() + ("topics:\n  data: {name: Data}\n  sql: {name: SQL, parent: data}\n"
                                     "  metrics: {parent: data}\n  python: {parent: sql}\n")
    config.write_text(settings, encoding="utf-8")
    # Dated by its file's time, in the journal's time zone.
    (root / "entries/notes-on-joins.md").write_text("---\ntitle: Notes on joins\ntags: [sql, metrics]\n---\nText.\n",
                                                   encoding="utf-8")
    # Three entries whose spellings of one tag name its topic: the most used spelling wins.
    spelled = [root / f"entries/2024-02-0{n}-spelling-{n}.md" for n in (1, 2, 3)]
    for n, (path, spelling) in enumerate(zip(spelled, ["Data Eng", "Data Eng", "data eng"])):
        path.write_text(entry(f"Spelling {n}", f"2024-02-0{n + 1}", tags=f"[{spelling}, sql]"), encoding="utf-8")
    files = sorted((root / "entries").glob("2*.md"))
    topics = [*generator.TOPICS, "Data Eng", "data eng", "DATA ENG"]
    kept = Session(root)
    assert build(root, Options(out=tmp_path / "kept"), kept).ok
    rng = random.Random(14)
    views_kept = 0
    for trial in range(12):
        for _ in range(rng.randint(1, 3)):
            path = rng.choice(files)
            text = path.read_text(encoding="utf-8")
            # The first edit renames the topic ("data eng" becomes the most used spelling), the second moves
            # the undated entry's date to another time zone; then anything.
            change = ("spelling", "zone")[trial] if trial < 2 else rng.choice(
                ["title", "tags", "tags", "kind", "date", "zone", "spelling", "body", "body"])
            if change == "body":  # its text only: the kept journal is reused, with that entry's new digest
                text += f"\nA sentence added in edit {trial}.\n"
            elif change == "spelling":  # the topic's name may change, and with it every card of its entries
                path = spelled[0] if trial == 0 else rng.choice(spelled)
                text = path.read_text(encoding="utf-8")
                text = text.replace("Data Eng", "data eng") if "Data Eng" in text else text.replace("data eng", "Data Eng")
            elif change == "title":
                text = re.sub(r'^title: "(.*)"$', lambda m: f'title: "{m.group(1)} {trial}"', text, count=1, flags=re.M)
            elif change == "tags":  # often into or out of python, a sub-topic whose count its parent's page shows
                tags = sorted(set(rng.sample(topics, rng.randint(1, 3))) ^ ({"python"} if rng.random() < 0.6 else set()))
                text = re.sub(r"^tags: \[.*\]$", f"tags: [{', '.join(tags or ['sql'])}]", text, count=1, flags=re.M)
            elif change == "kind":
                text = re.sub(r"^kind: .*$", f"kind: {rng.choice(['til', 'log', 'case-study', 'failure'])}", text, count=1, flags=re.M)
            elif change == "date":
                text = re.sub(r"^date: (\d{4})-", lambda m: f"date: {int(m.group(1)) - 1}-", text, count=1, flags=re.M)
            else:
                zone = "Asia/Tokyo" if trial == 1 else rng.choice(["UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Tokyo"])
                config.write_text(re.sub(r"^timezone: .*$", f"timezone: {zone}", settings, flags=re.M), encoding="utf-8")
            path.write_text(text, encoding="utf-8")
        before = kept.planned
        assert build(root, Options(out=tmp_path / "kept"), kept).ok, trial
        views_kept += sum(k in before.views and kept.planned.views[k].view is before.views[k].view for k in kept.planned.views)
        fresh = Session(root)
        assert build(root, Options(out=tmp_path / "fresh"), fresh).ok, trial
        assert [(p.file, p.fingerprint) for p in kept.planned.pages] == [(p.file, p.fingerprint) for p in fresh.planned.pages], trial
        assert {f: b for f, (b, _) in snapshot(tmp_path / "kept").items()} == {f: b for f, (b, _) in snapshot(tmp_path / "fresh").items()}, trial
    assert views_kept > 12  # the views of topics no edit touched were kept: the kept ones were really checked


def _generator():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_journal", Path(__file__).parent.parent / "benchmarks" / "make_journal.py")
    assert spec and spec.loader
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    return generator


def test_a_kept_journal_places_again_only_the_files_that_changed(tmp_path: Path) -> None:
    """After a change of front matter the journal is assembled again, but a file whose record is the same
    is not placed again (its placing is the very same object); after a change of settings every file is."""
    root = make(tmp_path / "j")
    store = Session(root)
    assert build(root, Options(), store).ok
    before = dict(store.assembled.placings)
    edit(E5, "title: Entry 5", "title: Entry five")(root)
    assert build(root, Options(), store).ok
    after = store.assembled.placings
    assert set(after) == set(before) and after[E5] is not before[E5]
    assert all(after[p] is before[p] for p in before if p != E5)
    assert {e.path: e.title for e in store.assembled.journal.entries}[E5] == "Entry five"
    edit("publog.yaml", "title: Inc", "title: Incremental")(root)
    assert build(root, Options(), store).ok
    assert not any(store.assembled.placings[p] is after[p] for p in after)


def test_publog_serves_site_is_known_without_looking_and_stays_what_a_new_build_makes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """publog serve's site is in the cache folder, which nothing else writes to: after its builds, what
    each of its files is stays known, and a build looks only at the files it changed. Through edits,
    an entry added, edited twice in a row and removed, the site is what a build from nothing makes."""
    import os

    from conftest import SAMPLE
    from publog.run.serve import site_folder
    from publog.write import output

    root = tmp_path / "journal"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("_site", ".publog-cache"))
    store, site = Session(root), site_folder(root)
    serving = Options(out=site, search_later=True, watched=True)
    assert build(root, serving, store).ok
    looked: list[str] = []
    lstat = os.lstat

    def counted(path, *args, **kwargs):
        if str(path).startswith(str(site) + os.sep):
            looked.append(str(path))
        return lstat(path, *args, **kwargs)

    monkeypatch.setattr(output.os, "lstat", counted)
    entries = sorted((root / "entries").glob("*.md"))
    added = root / "entries/2026-11-30-a-new-note.md"
    steps = [
        lambda: entries[0].write_text(entries[0].read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8"),
        lambda: added.write_text(entry("A new note", "2026-11-30", body="Fresh words."), encoding="utf-8"),
        lambda: added.write_text(entry("A new note", "2026-11-30", body="Fresh words, edited."), encoding="utf-8"),
        lambda: added.write_text(entry("A new note", "2026-11-30", body="Edited again."), encoding="utf-8"),
        lambda: entries[3].write_text(entries[3].read_text(encoding="utf-8") + "\nA last line.\n", encoding="utf-8"),
        lambda: added.unlink(),
    ]
    for number, step in enumerate(steps):
        step()
        looked.clear()
        result = build(root, serving, store)
        assert result.ok
        assert len(looked) < result.pages // 3, (number, result.pages, len(looked))  # not one a file, not even at first
        cold = cold_site(root, tmp_path / f"cold-{number}", Options(out=tmp_path / f"site-{number}", search_later=True))
        assert files(site) == cold, number
    # serve started again, at another port: its first build looks at what it keeps of the last serve's site, and
    # after it what each file is is known again.
    store, serving = Session(root), replace(serving, base_url="http://127.0.0.1:8124/")
    looked.clear()
    assert build(root, serving, store).ok
    assert looked
    steps[0]()
    looked.clear()
    result = build(root, serving, store)
    assert result.ok and len(looked) < result.pages // 3, (result.pages, len(looked))
    assert files(site) == cold_site(root, tmp_path / "cold-again", Options(out=tmp_path / "site-again", search_later=True,
                                                                           base_url="http://127.0.0.1:8124/"))


@pytest.mark.parametrize("kept", [False, True], ids=["no-kept-site", "kept-site"])
def test_a_file_of_serves_site_replaced_while_a_build_runs_is_made_again_by_the_next_save(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept: bool) -> None:
    """What a build of publog serve knows of its site is what is there: files it kept, replaced by a link or written
    into after the build looked at them (the first build of a serve started again), and a page it wrote, replaced as
    the site was swapped in, are made again by the next save's build, before any pause looks at the site again.
    ``kept``: the last serve left the site it replaced, whose files are hard links to the live ones, and the build
    stages in it."""
    import os

    from conftest import SAMPLE
    from publog.run.serve import site_folder
    from publog.write import output

    root = tmp_path / "journal"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("_site", ".publog-cache"))
    site = site_folder(root)
    entries = sorted((root / "entries").glob("*.md"))
    first, last = Options(out=site, base_url="http://127.0.0.1:8001/", search_later=True, watched=True), Session(root)
    assert build(root, first, last).ok
    if kept:
        entries[0].write_text(entries[0].read_text(encoding="utf-8") + "\nA first line.\n", encoding="utf-8")
        assert build(root, first, last).ok
    serving, store = Options(out=site, base_url="http://127.0.0.1:8002/", search_later=True, watched=True), Session(root)
    begin = output.Output.begin

    def linked_as_it_renders(self: output.Output) -> None:  # current() has looked at every file it keeps by now
        (site / "humans.txt").unlink()
        (site / "humans.txt").symlink_to("robots.txt")
        with (site / "static/favicon.svg").open("wb") as changed:  # in place: the same inode, other bytes
            changed.write(b'<svg xmlns="http://www.w3.org/2000/svg"></svg>')
        monkeypatch.setattr(output.Output, "begin", begin)
        begin(self)

    monkeypatch.setattr(output.Output, "begin", linked_as_it_renders)
    assert build(root, serving, store).ok  # serve started again, at another port
    exchange = output._exchange

    def linked_as_it_swaps(new: Path, out: Path) -> None:
        exchange(new, out)
        page = next(p for p in out.rglob("*.html") if b"A line to swap." in p.read_bytes())
        page.unlink()
        page.symlink_to(os.path.relpath(out / "404.html", page.parent))
        monkeypatch.setattr(output, "_exchange", exchange)

    monkeypatch.setattr(output, "_exchange", linked_as_it_swaps)
    entries[2].write_text(entries[2].read_text(encoding="utf-8") + "\nA line to swap.\n", encoding="utf-8")
    assert build(root, serving, store).ok
    assert output._exchange is exchange
    entries[4].write_text(entries[4].read_text(encoding="utf-8") + "\nAnother line.\n", encoding="utf-8")
    assert build(root, serving, store).ok
    assert not [p for p in site.rglob("*") if p.is_symlink()]
    assert files(site) == cold_site(root, tmp_path / "cold", Options(out=tmp_path / "cold-site", search_later=True,
                                                                     base_url="http://127.0.0.1:8002/"))


def test_a_kept_process_readies_itself_without_looking_through_the_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kept process left by a build that found the journal unchanged places the journal and plans the site while
    it waits; the site itself is the next build's to look at (36,000 files at N=10000), and that build makes
    what a build from nothing makes."""
    import os

    from publog.run import daemon
    from publog.write import output

    root = make(tmp_path / "j")
    assert build(root, Options(), Session(root)).ok
    kept = Session(root)
    site = str(root / "_site") + os.sep
    looked: list[str] = []
    lstat = os.lstat

    def counted(path, *args, **kwargs):
        if str(path).startswith(site):
            looked.append(str(path))
        return lstat(path, *args, **kwargs)

    monkeypatch.setattr(output.os, "lstat", counted)
    for _ in daemon._priming(root, kept, root / "_site"):
        pass
    assert kept.assembled is not None and kept.planned is not None
    assert looked == []
    monkeypatch.undo()
    edit(E5, "Body 5.", "Body five.")(root)
    assert build(root, Options(), kept).ok
    assert files(root / "_site") == cold_site(root, tmp_path / "cold")


def test_a_look_at_serves_site_cut_short_by_a_save_leaves_the_rest_to_the_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Serve looks again at its site's files in a pause; a save that comes meanwhile does not wait for the end
    of it: the files not looked at yet are the build's to look at, so a file changed from outside is still
    made again by that build."""
    from conftest import SAMPLE
    from publog.run.output_folder import recheck
    from publog.run.serve import site_folder
    from publog.write import spare

    monkeypatch.setattr(spare, "_FILES_A_STEP", 16)  # the sample's site is a few hundred files
    root = tmp_path / "journal"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("_site", ".publog-cache"))
    store, site = Session(root), site_folder(root)
    serving = Options(out=site, search_later=True, watched=True)
    assert build(root, serving, store).ok
    entry_file = sorted((root / "entries").glob("*.md"))[1]
    entry_file.write_text(entry_file.read_text(encoding="utf-8") + "\nA line.\n", encoding="utf-8")
    assert build(root, serving, store).ok  # from here on, what each file of the site is stays known
    known = list(store.live_files[str(site)])
    assert len(known) > 100
    planted = site / [file for file in known if file.endswith(".html")][-1]  # among the last looked at
    made = planted.read_bytes()
    with planted.open("ab") as changed:  # in place: the same file, another size and time
        changed.write(b"<p>planted</p>")
    asked: list[int] = []
    recheck(store, site, waited=lambda: bool(asked.append(1)) or len(asked) > 1)  # a save came after one step
    assert 1 < len(asked) < 10
    assert build(root, serving, store).ok  # the build of that save
    assert planted.read_bytes() == made


def test_pauses_freeze_what_builds_left_and_still_collect_the_cycles_they_let_go_of(tmp_path: Path) -> None:
    """A pause collects what the builds left and freezes the rest, so that the next pause looks only at what
    builds made since; a cycle let go of after it was frozen is collected a few pauses later."""
    import gc
    import weakref

    from publog.run import session as session_mod

    class Node:
        pass

    kept = Session(tmp_path)
    node = Node()
    node.itself = node
    gone = weakref.ref(node)
    try:
        kept.idle()
        assert gc.get_freeze_count() > 0 and gc.isenabled()
        del node
        gc.collect()
        assert gone() is not None  # frozen: the pauses look past it
        for _ in range(session_mod._THAW_EVERY):
            kept.idle()
        assert gone() is None
    finally:
        gc.unfreeze()


@pytest.mark.parametrize("known", ["copied while it waited", "left by its own builds"])
def test_a_failed_build_of_another_process_leaves_nothing_a_kept_process_publishes(tmp_path: Path, known: str) -> None:
    """A build that fails leaves what it staged in the kept previous site: a kept process that knows what that
    copy holds (it made it, or its own builds left it) no longer believes it once another process's build began.
    Here the other build includes drafts and fails at a template, and the kept process's next build publishes
    no page of a draft: its site is what a build from nothing makes."""
    from publog.run.output_folder import mirror_spare

    root = write(tmp_path / "j", {
        "publog.yaml": "title: T\nbase_url: https://example.org/\nsearch: false\n",
        **{f"entries/2024-05-0{i}-d{i}.md": entry(f"Day {i}", f"2024-05-0{i}", body=f"Text {i}.") for i in range(1, 6)},
        "entries/2024-05-06-secret.md": entry("Secret plans", "2024-05-06", body="DRAFT-ONLY TEXT", draft="true"),
        "entries/2024-05-07-boom.md": entry("Boom", "2024-05-07", body="x", draft="true", tags="[boomtag]"),
        "theme/templates/topic.html": '{% extends "collection.html" %}{% block intro %}'
                                      '{% if "boom" in (collection.name|string|lower) %}{{ boom.x.y }}{% endif %}{% endblock %}\n',
    })
    assert build(root, Options(), Session(root)).ok
    edit("entries/2024-05-01-d1.md", "Text 1.", "Edited once.")(root)
    assert build(root, Options(), Session(root)).ok  # a build of its own: it keeps the site it replaced
    kept = Session(root)
    if known == "copied while it waited":
        mirror_spare(root, root / "_site", kept)
    else:
        for body in ("Own 1.", "Own 2."):
            (root / "entries/2024-05-04-d4.md").write_text(entry("Day 4", "2024-05-04", body=body))
            assert build(root, Options(), kept).ok
    assert not build(root, Options(drafts=True), Session(root)).ok  # another process's, which fails
    assert not any(b"DRAFT-ONLY" in p.read_bytes() for p in (root / "_site").rglob("*.html"))  # the old site stayed
    edit("entries/2024-05-02-d2.md", "Text 2.", "Edited twice.")(root)
    assert build(root, Options(), kept).ok
    assert not [p for p in (root / "_site").rglob("*") if p.is_file() and b"DRAFT-ONLY" in p.read_bytes()]
    assert files(root / "_site") == cold_site(root, tmp_path / "cold")


def test_a_build_that_saves_no_manifest_leaves_no_record_of_an_unchanged_journal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build whose cache was found damaged twice runs once more without writing it: it saves no manifest of the
    site it made, so it leaves no record that would take the older manifest for that site. A file of the site
    deleted afterwards is made again by the next build."""
    from publog.run import cache as cache_mod

    root = make(tmp_path / "j")
    assert build(root, Options(), Session(root)).ok
    write(root, {"static/new.txt": "hello\n"})
    real = cache_mod.Cache.lookup

    def damaged(self, *args, **kwargs):
        if self.writable:
            raise cache_mod.Damaged("a test's damage")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(cache_mod.Cache, "lookup", damaged)
    assert build(root, Options(), Session(root)).ok
    monkeypatch.undo()
    assert (root / "_site/new.txt").read_text() == "hello\n"
    (root / "_site/new.txt").unlink()
    again = build(root, Options(), Session(root))
    assert again.ok and (root / "_site/new.txt").read_text() == "hello\n"
