"""`publog serve` against a real journal on a free port: edits show up, errors show and clear."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest

from publog.run.build import Hooks, Options
from publog.run.serve import serve

from conftest import entry


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, root: Path, port: int):
        self.root, self.port = root, port
        self.ready, self.stop = threading.Event(), threading.Event()
        self.thread = threading.Thread(
            target=serve, args=(root, "127.0.0.1", port, Options(drafts=True), self.ready, self.stop), daemon=True
        )

    def get(self, path: str) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read().decode("utf-8", "replace")
        conn.close()
        return response.status, body

    def wait_for(self, path: str, text: str, present: bool = True, timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            _, body = self.get(path)
            if (text in body) == present:
                return body
            time.sleep(0.05)
        raise AssertionError(f"{text!r} {'never appeared' if present else 'never went away'} at {path}")

    def events(self) -> dict:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        conn.request("GET", "/__publog/events")
        response = conn.getresponse()
        line = response.fp.readline().decode()
        conn.close()
        return json.loads(line.removeprefix("data: "))


@contextlib.contextmanager
def serving(root: Path) -> Iterator[Server]:
    running = Server(root, free_port())
    running.thread.start()
    try:
        assert running.ready.wait(20)
        yield running
    finally:
        running.stop.set()
        running.thread.join(10)


@pytest.fixture
def server(journal) -> Iterator[Server]:
    root = journal({
        "entries/2024-05-01-first.md": entry("First", "2024-05-01", body="Original text."),
        "entries/2024-05-02-plan.md": entry("A draft plan", "2024-05-02", draft="true"),
    })
    running = Server(root, free_port())
    running.thread.start()
    assert running.ready.wait(20)
    yield running
    running.stop.set()
    running.thread.join(10)


def test_serves_the_site_with_drafts_and_live_reload(server: Server) -> None:
    status, home = server.get("/")
    assert status == 200
    assert "A draft plan" in home and '<span class="draft">draft</span>' in home
    assert "/__publog/events" in home  # the live-reload script, only when served
    assert not (server.root / "_site").exists()  # drafts never reach the real output folder
    for built in (server.root / ".publog-cache").rglob("*.html"):
        assert "__publog" not in built.read_text()


def test_an_edit_is_served_and_announced(server: Server) -> None:
    before = server.events()["generation"]
    path = server.root / "entries/2024-05-01-first.md"
    path.write_text(entry("First", "2024-05-01", body="Edited text."))
    server.wait_for("/2024/first/", "Edited text.")
    deadline = time.monotonic() + 10  # the new page is served a moment before the event that announces it
    while server.events()["generation"] == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.events()["generation"] > before


def test_the_builds_leave_the_collector_off_and_serve_collects_in_a_pause(journal, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a large journal a collection of the objects serve keeps takes a tenth of a second or more: a build
    made with the collector on could be stopped by one before its page is shown. Serve's builds leave it off,
    and serve collects once no save has come for a moment."""
    import gc

    import publog.run.serve

    root = journal({"publog.yaml": "search: false\n", "entries/2024-05-01-first.md": entry("First", "2024-05-01")})
    after_builds: list[bool] = []
    real_build = publog.run.serve.build

    def build(*args, **kwargs):
        result = real_build(*args, **kwargs)
        after_builds.append(gc.isenabled())
        return result

    monkeypatch.setattr(publog.run.serve, "build", build)
    try:
        with serving(root) as running:
            (root / "entries/2024-05-01-first.md").write_text(entry("First", "2024-05-01", body="Edited text."))
            running.wait_for("/2024/first/", "Edited text.")
            deadline = time.monotonic() + 10
            while not gc.isenabled() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert len(after_builds) >= 2 and not any(after_builds)  # the first build and the edit's
            assert gc.isenabled()  # collected in the pause, and collecting as usual until the next build
    finally:
        gc.enable()


def test_serve_stopped_after_a_build_leaves_the_collector_on(journal, monkeypatch: pytest.MonkeyPatch) -> None:
    """A program that serves and goes on (these tests do) gets the collector back as it was, even when serve
    stops right after a build, before the pause in which it collects."""
    import gc

    import publog.run.serve

    root = journal({"publog.yaml": "search: false\n", "entries/2024-05-01-first.md": entry("First", "2024-05-01")})
    real_build = publog.run.serve.build
    running: list[Server] = []

    def build(*args, **kwargs):
        result = real_build(*args, **kwargs)
        if running:  # the edit's build: serve is told to stop before it can pause
            running[0].stop.set()
        return result

    monkeypatch.setattr(publog.run.serve, "build", build)
    try:
        with serving(root) as server:
            running.append(server)
            (root / "entries/2024-05-01-first.md").write_text(entry("First", "2024-05-01", body="Edited text."))
            server.thread.join(20)
            assert not server.thread.is_alive()
        assert gc.isenabled()
    finally:
        gc.enable()


def test_a_ctrl_c_in_the_first_build_ends_serve_cleanly(journal, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while the first build runs (a large journal's takes a while): serve says it stopped, frees its
    port and leaves the collector on, as after any other build."""
    import gc

    import publog.run.serve

    root = journal({"publog.yaml": "search: false\n", "entries/2024-05-01-first.md": entry("First", "2024-05-01")})
    real_build = publog.run.serve.build

    def build(*args, **kwargs):
        real_build(*args, **kwargs)  # the builds leave the collector off
        raise KeyboardInterrupt

    monkeypatch.setattr(publog.run.serve, "build", build)
    port = free_port()
    try:
        assert serve(root, "127.0.0.1", port, Options()) == 0
        assert gc.isenabled()
        with socket.socket() as again:
            again.bind(("127.0.0.1", port))  # the port is free again
    finally:
        gc.enable()


def test_nothing_serve_began_runs_after_it_returned(journal, monkeypatch: pytest.MonkeyPatch) -> None:
    """Serve stopped while its search index's build ran, and saves had come meanwhile: that build's search
    index, which serve makes a moment later, is never begun once serve has returned."""
    import publog.render.search
    import publog.run.serve

    root = journal({"entries/2024-05-01-first.md": entry("First", "2024-05-01")})
    real_build, real_index = publog.run.serve.build, publog.render.search.index
    stop = threading.Event()
    indexed: list[float] = []
    returned: list[float] = []

    def build(*args, **kwargs):
        if threading.current_thread() is not server.thread:  # the index's build: Ctrl-C, and a save came
            stop.set()
            time.sleep(0.6)  # serve's loop has ended by now, and its end waits for this build
            (root / "entries/2024-05-02-second.md").write_text(entry("Second", "2024-05-02"), encoding="utf-8")
        return real_build(*args, **kwargs)

    def index(*args, **kwargs):
        indexed.append(time.monotonic())
        return real_index(*args, **kwargs)

    monkeypatch.setattr(publog.run.serve, "build", build)
    monkeypatch.setattr(publog.render.search, "index", index)
    server = Server(root, free_port())
    server.stop = stop
    server.thread = threading.Thread(target=lambda: (serve(root, "127.0.0.1", server.port, Options(), server.ready, stop),
                                                     returned.append(time.monotonic())), daemon=True)
    server.thread.start()
    assert server.ready.wait(20)
    server.thread.join(20)
    assert returned and len(indexed) == 1, indexed  # the first build's index, made a moment after it
    time.sleep(publog.run.serve.INDEX_AFTER + 1)
    assert [t for t in indexed if t > returned[0]] == []


def test_an_edit_is_announced_once_its_site_is_in_place_before_the_cache_is_saved(journal, monkeypatch: pytest.MonkeyPatch) -> None:
    """Browsers reload as soon as the new site is swapped in, not after the build has also saved its
    cache: the announcement comes while the save is held back, the page it announces has the edit,
    and the build that follows does not announce it twice."""
    import publog.run.cache

    root = journal({"publog.yaml": "search: false\n", "entries/2024-05-01-first.md": entry("First", "2024-05-01", body="Original text.")})
    holding, release = threading.Event(), threading.Event()
    save = publog.run.cache.Cache.save

    def held_save(self, *args, **kwargs):
        if holding.is_set():
            release.wait(10)
        return save(self, *args, **kwargs)

    monkeypatch.setattr(publog.run.cache.Cache, "save", held_save)
    running = Server(root, free_port())
    running.thread.start()
    try:
        assert running.ready.wait(20)
        before = running.events()["generation"]
        holding.set()
        (root / "entries/2024-05-01-first.md").write_text(entry("First", "2024-05-01", body="Edited text."))
        deadline = time.monotonic() + 10
        while running.events()["generation"] == before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert running.events()["generation"] == before + 1, "announced while the cache save is held"
        assert "Edited text." in running.get("/2024/first/")[1]
        holding.clear()
        release.set()
        time.sleep(0.5)  # the build ends
        assert running.events()["generation"] == before + 1
    finally:
        release.set()
        running.stop.set()
        running.thread.join(10)


def test_a_save_made_while_the_first_build_runs_is_not_missed(journal, monkeypatch: pytest.MonkeyPatch) -> None:
    import publog.run.serve

    # No search index: its indexing would build again after the first build, and catch the save by chance.
    root = journal({"publog.yaml": "search: false\n", "entries/2024-05-01-first.md": entry("First", "2024-05-01", body="Original text.")})
    builds = []

    def build_and_save(*args, **kwargs):  # the author saves while a large journal's first build runs
        result = build(*args, **kwargs)
        if not builds:
            time.sleep(0.3)  # the watcher, started before this build, is watching by now
            (root / "entries/2024-05-01-first.md").write_text(entry("First", "2024-05-01", body="Saved meanwhile."))
        builds.append(result)
        return result

    build = publog.run.serve.build
    monkeypatch.setattr(publog.run.serve, "build", build_and_save)
    running = Server(root, free_port())
    running.thread.start()
    try:
        assert running.ready.wait(20)
        running.wait_for("/2024/first/", "Saved meanwhile.")
    finally:
        running.stop.set()
        running.thread.join(10)


def test_a_save_in_a_members_journal_beside_the_community_is_served(tmp_path: Path) -> None:
    from conftest import write

    write(tmp_path / "ada", {"publog.yaml": "title: Ada\n", "entries/2024-05-01-joins.md": entry("Joins", "2024-05-01", body="First.")})
    root = write(tmp_path / "guild", {
        "publog.yaml": "search: false\nmembers:\n  - id: ada\n    name: Ada\n    journal: ../ada\n",
        "entries/2024-05-02-hello.md": entry("Hello", "2024-05-02"),
    })
    running = Server(root, free_port())
    running.thread.start()
    try:
        assert running.ready.wait(20)
        (tmp_path / "ada/entries/2024-05-01-joins.md").write_text(entry("Joins", "2024-05-01", body="Saved in Ada's journal."))
        running.wait_for("/members/ada/2024/joins/", "Saved in Ada&#39;s journal.")
        (root / "static").mkdir()  # a folder the builds read from now on: watched too
        running.wait_for("/", "Hello")
        time.sleep(0.5)
        (root / "static/notes.txt").write_text("served")
        running.wait_for("/notes.txt", "served")
    finally:
        running.stop.set()
        running.thread.join(10)


def test_a_broken_entry_keeps_the_last_good_site_and_shows_the_error(server: Server) -> None:
    path = server.root / "entries/2024-05-01-first.md"
    path.write_text("---\ntitle: [broken\n---\nNew text\n")
    deadline = time.monotonic() + 10
    while not server.events()["problems"] and time.monotonic() < deadline:
        time.sleep(0.05)
    problems = server.events()["problems"]
    assert problems and problems[0].startswith("entries/2024-05-01-first.md:3: invalid YAML")
    assert "Original text." in server.get("/2024/first/")[1]

    path.write_text(entry("First", "2024-05-01", body="Fixed text."))
    server.wait_for("/2024/first/", "Fixed text.")
    deadline = time.monotonic() + 10  # the new page is served a moment before the event that clears the error
    while server.events()["problems"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.events()["problems"] == []


@pytest.mark.parametrize("path", ["/../publog.yaml", "/%2e%2e/%2e%2e/etc/passwd", "/static/../../entries/2024-05-01-first.md",
                                  "/..%2fentries/2024-05-01-first.md", "/nothing-here/"])
def test_unknown_and_escaping_paths_get_the_404_page(server: Server, path: str) -> None:
    status, body = server.get(path)
    assert status == 404
    assert "Page not found" in body and "Original text" not in body


def test_symlinks_leading_out_are_not_followed(server: Server, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    site = next(p.parent for p in (server.root / ".publog-cache").rglob("404.html"))
    (site / "leak.txt").symlink_to(secret)
    assert server.get("/leak.txt")[0] == 404


def test_a_port_in_use_is_a_clear_message(journal, capsys: pytest.CaptureFixture[str]) -> None:
    root = journal({"entries/a.md": entry()})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = serve(root, "127.0.0.1", port, Options())
    assert code == 1
    assert f"port {port} is in use already; try another one, e.g. --port {port + 1}" in capsys.readouterr().err


@pytest.mark.slow
def test_an_open_page_reloads_by_itself_and_shows_errors(server: Server) -> None:
    """In a real headless browser: save, and the page shows the new text; break it, an overlay; fix it, gone."""
    from readers_support import chromium

    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{server.port}/2024/first/")
        assert "Original text." in page.inner_text("main")
        page.wait_for_timeout(500)  # the page's event stream opens

        path = server.root / "entries/2024-05-01-first.md"
        path.write_text(entry("First", "2024-05-01", body="Saved in the editor."))
        page.wait_for_function("() => document.body.innerText.includes('Saved in the editor.')", timeout=10000)

        path.write_text("---\ntitle: [broken\n---\n")
        overlay = page.wait_for_selector("#publog-problems", timeout=10000)
        assert "entries/2024-05-01-first.md:3: invalid YAML" in overlay.inner_text()
        assert "Saved in the editor." in page.inner_text("main")  # the last good page stays

        path.write_text(entry("First", "2024-05-01", body="Fixed again."))
        # One condition, checked in the page: a reload (the search index follows the pages) may come between two queries.
        page.wait_for_function("() => document.body.innerText.includes('Fixed again.')"
                               " && document.querySelector('#publog-problems') === null", timeout=10000)


def test_the_search_index_follows_the_pages(server: Server) -> None:
    """Pages are served first; the index of the new text arrives after, made in the background."""
    import gzip

    def indexed() -> str:
        folder = next(server.root.joinpath(".publog-cache").rglob("site/pagefind/fragment"), None)
        if folder is None:
            return ""
        return "".join(gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in folder.iterdir())

    deadline = time.monotonic() + 20
    while "Original" not in indexed() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "Original" in indexed()
    assert server.get("/pagefind/pagefind.js")[0] == 200
    (server.root / "entries/2024-05-01-first.md").write_text(entry("First", "2024-05-01", body="Axolotls everywhere."))
    server.wait_for("/2024/first/", "Axolotls everywhere.")
    deadline = time.monotonic() + 20
    while "axolotls" not in indexed().lower() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "axolotls" in indexed().lower()
    assert server.get("/search/")[0] == 200


def test_an_index_whose_entries_changed_meanwhile_is_made_again(journal, monkeypatch: pytest.MonkeyPatch) -> None:
    """The search index is made in the background from the journal of a build; a save can replace an
    entry's HTML in the cache before the index reads it. That index is dropped and the next one made."""
    import gzip

    import publog.render.search
    from publog.run.cache import Damaged

    real, calls = publog.render.search.index, []

    def outdated_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # what the cache raises for the HTML of an entry saved since
            raise Damaged("the HTML of 0123 is missing")
        return real(*args, **kwargs)

    monkeypatch.setattr(publog.render.search, "index", outdated_once)
    root = journal({"entries/2024-05-01-first.md": entry("First", "2024-05-01", body="Quokkas everywhere.")})
    running = Server(root, free_port())
    running.thread.start()
    try:
        assert running.ready.wait(20)
        deadline = time.monotonic() + 30
        found = ""
        while "quokkas" not in found and time.monotonic() < deadline:
            folder = next(root.joinpath(".publog-cache").rglob("site/pagefind/fragment"), None)
            found = "".join(gzip.decompress(p.read_bytes()).decode("utf-8", "replace").lower()
                            for p in folder.iterdir()) if folder else ""
            time.sleep(0.1)
        assert "quokkas" in found and len(calls) >= 2
    finally:
        running.stop.set()
        running.thread.join(10)


@pytest.mark.parametrize("change", ["appended", "renamed over", "made a link", "deleted"])
def test_a_file_of_the_served_site_changed_from_outside_is_made_again_after_a_pause(tmp_path: Path, change: str) -> None:
    """serve's builds take its site's files to be as the last build left them (nothing else writes in the
    cache folder), and look at them again in the pause after a build: from the build after that pause on, a
    file changed there from outside is made again, and never swapped back in from the kept previous site."""
    import os
    import shutil

    from conftest import SAMPLE
    from publog.run.serve import ServeState, _Builds, site_folder

    root = tmp_path / "journal"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("_site", ".publog-cache"))
    site = site_folder(root)
    builds = _Builds(root, Options(out=site, search_later=True, watched=True, base_url="http://127.0.0.1:9/"),
                     Hooks(), ServeState(), threading.Event(), said=-1)
    entries = sorted((root / "entries").glob("*.md"))

    def edit(n: int) -> None:
        path = entries[n % 3]
        path.write_text(path.read_text(encoding="utf-8") + f"\nLine {n}.\n", encoding="utf-8")
        builds.rebuild()

    try:
        builds.rebuild()
        for n in range(3):  # what each file is becomes known
            edit(n)
            builds.tidy()
        target = site / "humans.txt"
        original = target.read_bytes()
        if change == "appended":
            with open(target, "ab") as f:
                f.write(b"changed\n")
        elif change == "renamed over":
            (site / "other.txt").write_bytes(b"changed\n")
            os.replace(site / "other.txt", target)
        elif change == "made a link":
            target.unlink()
            target.symlink_to(tmp_path / "elsewhere.txt")
        else:
            target.unlink()
        edit(3)  # may still serve the changed file: it was changed after the last pause
        builds.tidy()
        for n in range(4, 8):
            edit(n)
            assert not target.is_symlink() and target.read_bytes() == original, n
            builds.tidy()
    finally:  # as serve ends: the search index it would make later is not made in the tests that follow
        builds.stop.set()
        builds.close()
