"""`publog serve`: build, serve over HTTP, rebuild on every save, reload the browser.

The site is built into the cache folder, never into the journal's output
folder, because a served site shows drafts. The live-reload script is added to
HTML responses on the way out; no built file ever contains it.
"""

from __future__ import annotations

import errno
import json
import os
import posixpath
import queue
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable
from urllib.parse import unquote, urlsplit

from . import cache as cache_mod
from .. import problems as problems_mod
from .build import Hooks, Options, Result, build
from .inputs import watched
from .output_folder import mirror_spare, recheck
from .session import Session
from .warm import prepare
from ..problems import Problem
from ..urls import Urls

if TYPE_CHECKING:
    from ..journal.model import Journal

# What a watcher reports of one save: (the kind of change, the path saved).
Change = tuple[Any, str]

EVENTS = "/__publog/events"
# Seconds without a save before serve makes the search index again: a save makes one part of it again
# (render/search.py), so the words just written can be found about a second after the save.
INDEX_AFTER = 0.5
MIRROR_AFTER = 100  # files written by a build, above which serve brings the kept previous site up to date at once
_SCRIPT = """<script>
(() => {
  const show = (problems) => {
    let box = document.getElementById("publog-problems");
    if (!problems.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "publog-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;z-index:99999;" +
        "background:#3b0d0c;color:#fff;font:14px/1.5 ui-monospace,monospace;padding:1rem;white-space:pre-wrap";
      document.body.append(box);
    }
    box.textContent = "publog could not rebuild; still showing the last good site:\\n\\n" + problems.join("\\n");
  };
  let generation = null;
  const source = new EventSource("%s");
  source.onmessage = (event) => {
    const state = JSON.parse(event.data);
    if (generation !== null && state.generation !== generation) { location.reload(); return; }
    generation = state.generation;
    show(state.problems);
  };
})();
</script>
"""


@dataclass
class ServeState:
    """What the server knows of the latest build; changed only under ``changed``."""

    generation: int = 0
    problems: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def swapped(self) -> None:
        """A build put a new site in place (it has no errors, or it would not have): browsers reload now,
        while it saves its cache."""
        with self.changed:
            self.generation += 1
            self.problems = []
            self.changed.notify_all()

    def publish(self, result: Result) -> None:
        """A build ended: its errors show on the page (a new site it made was announced as it was swapped in)."""
        with self.changed:
            self.problems = [str(p) for p in result.problems if p.severity == "error"]
            self.changed.notify_all()

    def snapshot(self) -> str:
        return json.dumps({"generation": self.generation, "problems": self.problems})


def failure(exc: BaseException, path: str) -> Problem:
    """An exception a build raised, as one problem: at ``path`` (what changed since the last good build,
    when one file did; the journal otherwise)."""
    return problems_mod.failure(exc, path, " to build the site", "; undo the last change to build again")


def site_folder(root: Path) -> Path:
    """Inside the cache of this publog version, which is what clears stale cache folders."""
    return root / cache_mod.CACHE_DIR / cache_mod.settings_key() / "site"


def make_handler(site: Path, base_path: str, state: ServeState, lock: threading.Lock) -> type[SimpleHTTPRequestHandler]:
    real_site = os.path.realpath(site)

    class Handler(SimpleHTTPRequestHandler):
        server_version = "publog"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # the terminal is for build problems

        def do_GET(self) -> None:  # noqa: N802
            path = unquote(urlsplit(self.path).path)
            if path == EVENTS:
                return self._events()
            if not path.startswith(base_path):
                if path == "/" or path == base_path.rstrip("/"):
                    return self._redirect(base_path)
                return self._not_found()
            file = _inside(real_site, path[len(base_path):])
            if file is not None and os.path.isdir(file):
                if not path.endswith("/"):
                    return self._redirect(path + "/")
                file = os.path.join(file, "index.html")
            with lock:
                data = _read(file) if file else None
            if data is None:
                return self._not_found()
            self._send(HTTPStatus.OK, file or "", data)

        do_HEAD = do_GET

        def _not_found(self) -> None:
            with lock:
                # A body, for the live-reload script: a first build that failed shows its problems here.
                data = _read(os.path.join(real_site, "404.html")) or b"<!doctype html><title>Not found</title><body><h1>Not found</h1></body>"
            self._send(HTTPStatus.NOT_FOUND, "404.html", data)

        def _redirect(self, location: str) -> None:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _send(self, status: HTTPStatus, file: str, data: bytes) -> None:
            kind = self.guess_type(file)
            if kind.startswith("text/html"):
                data = data.replace(b"</body>", (_SCRIPT % EVENTS).encode() + b"</body>", 1)
            self.send_response(status)
            self.send_header("Content-Type", kind if "charset" in kind or not kind.startswith("text/") else kind + "; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            last = None
            try:
                while True:
                    with state.changed:
                        current = state.snapshot()
                        if current == last:
                            state.changed.wait(timeout=15)
                            current = state.snapshot()
                    if current != last:
                        self.wfile.write(f"data: {current}\n\n".encode())
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    last = current
            except (BrokenPipeError, ConnectionResetError, OSError):
                return

    return Handler


def _inside(real_site: str, rel: str) -> str | None:
    """The file a request path names, or None when it would leave the site (.., symlinks)."""
    normal = posixpath.normpath("/" + rel).lstrip("/")
    if any(part == ".." for part in rel.split("/")) or "\x00" in rel or "\\" in rel:
        return None
    real = os.path.realpath(os.path.join(real_site, normal))
    if real != real_site and not real.startswith(real_site + os.sep):
        return None
    return real


def _read(file: str) -> bytes | None:
    try:
        with open(file, "rb") as f:
            return f.read()
    except OSError:
        return None


def _watch_filter(root: Path, site: Path, out: Path) -> Callable[[Any, str], bool]:
    ignored = [str(root / cache_mod.CACHE_DIR), str(site), str(out)]

    def keep(change: Any, path: str) -> bool:
        if any(path == i or path.startswith(i + os.sep) for i in ignored):
            return False
        name = os.path.basename(path)
        return not (name.startswith(".") or name.endswith(("~", ".swp", ".tmp")))

    return keep


class _Builds:
    """The builds of one `publog serve`: one at a time, each from the session the last one left."""

    def __init__(self, root: Path, options: Options, hooks: Hooks, state: ServeState, stop: threading.Event,
                 said: int = 0):
        self.root, self.options, self.hooks, self.state, self.stop, self.said = root, options, hooks, state, stop, said
        self.session = self._session()
        self.untidy = False  # a build ran since the garbage was last collected
        self.building = threading.Lock()  # the watcher and the search indexer both rebuild
        self.indexing: list[threading.Thread] = []
        self.later: list[threading.Timer] = []  # the search index to make, once the saves pause
        self.changed: set[str] = set()  # saved since the last good build: one of them is what broke it

    def rebuild(self, saved: Iterable[Change] = ()) -> None:
        self.changed.update(os.path.relpath(path, self.root) for _, path in saved)
        with self.building:
            if self.stop.is_set():  # a search index finished after serve stopped: nothing to show it to
                return
            started, first = time.perf_counter(), self.state.generation == 0
            self.untidy = True
            try:
                result = build(self.root, self.options, self.session, self.hooks)
            except Exception as exc:  # noqa: BLE001  (serve outlives any build; the last good site stays)
                self.session = self._session()  # what the failed build kept in memory is not trusted
                result = Result([failure(exc, next(iter(self.changed)) if len(self.changed) == 1 else ".")])
            # Begun under the lock, which serve's end (close) waits for: never once serve has stopped.
            if result.ok and result.written > MIRROR_AFTER and result.out is not None:
                threading.Thread(target=self.mirror, args=(result.out,), daemon=True).start()
            if result.search_pending is not None:
                # The pages are served already; the search index follows once the author has stopped saving
                # for a moment, so that making it never slows the builds of a run of saves.
                self.cancel()
                self.later[:] = [threading.Timer(INDEX_AFTER, self.index, args=(result.search_pending,))]
                self.later[0].daemon = True
                self.later[0].start()
        if result.ok:
            self.changed.clear()
        for problem in result.problems:
            if self.said >= 0 or problem.severity == "error":
                print(problem, file=sys.stderr)
        if result.ok and self.said >= 0:
            done = "built" if first else "rebuilt"
            print(f"{done}: {result.written} files changed in {time.perf_counter() - started:.2f} s", flush=True)
            if self.said > 0:
                print("  " + ", ".join(f"{stage} {spent:.3f} s" for stage, spent in result.timings.items()), flush=True)
        self.state.publish(result)

    def _session(self) -> Session:
        session = Session(self.root)
        # A collection of a large journal's objects takes a tenth of a second or more: made during a build, it
        # would delay the page a save changed. The builds leave the collector off, and serve collects in a pause.
        session.collect = False
        return session

    def tidy(self, waited: Callable[[], bool] | None = None) -> None:
        """While no save waits and no build runs: collect what the builds left, and look again at the site's
        files, which the builds take to be as they left them (output_folder.recheck); once ``waited`` says a
        save came, the files not looked at yet are the next build's to look at."""
        if self.untidy and self.building.acquire(blocking=False):
            try:
                self.session.idle()
                if self.options.out is not None:
                    recheck(self.session, self.options.out, waited)
                self.untidy = False
            finally:
                self.building.release()

    def cancel(self) -> None:
        for waiting in self.later:
            waiting.cancel()

    def close(self) -> None:
        """Serve stopped: once a build under way has ended, none runs again, nor what follows one."""
        with self.building:
            self.cancel()
            self.session.close()

    def mirror(self, out: Path) -> None:
        with self.building:
            if self.stop.is_set():
                return
            try:
                mirror_spare(self.root, out, self.session)
            except OSError:  # the next build looks through the kept site and finishes the work
                pass

    def after_builds(self) -> None:
        with self.building:  # a build holds it: the index waits, rather than share the processor with it
            if self.stop.is_set():
                raise _Stopped  # the index stops its Pagefind runs

    def index(self, journal: Journal) -> None:
        from ..render import search

        if any(t.is_alive() for t in self.indexing):
            return  # the rebuild that follows that index schedules this journal's, if it still needs one
        self.indexing[:] = [threading.current_thread()]
        reader = cache_mod.Cache(self.root, writable=False, records=False)
        reader.prepare()
        try:
            search.index(journal, reader.html, self.session.cache.dir / "search", wait=self.after_builds)
        except cache_mod.Damaged:  # a save since replaced an entry's HTML in the cache: this journal is out of date
            pass
        except _Stopped:
            return
        self.rebuild()  # publishes the index, or schedules the index of the journal as it is now


class _Stopped(Exception):
    """Serve stopped while its search index was being made."""


class _Watching:
    """Watch the folders the journal's builds read, and only those: a build writes tens of thousands
    of files on a large journal, and their events would overflow the system's queue of them."""

    def __init__(self, root: Path, site: Path, watch: Callable[..., Any]):
        self.root, self.site, self.watch = root, site, watch
        self.saved = queue.Queue[set[Change]]()
        self.folders: tuple[list[Path], list[Path]] | None = None  # what is watched
        self.until = threading.Event()  # stops its watchers

    def follow(self) -> None:
        deep, flat, out = watched(self.root)
        if (deep, flat) == self.folders:
            return
        self.until.set()
        self.folders, self.until = (deep, flat), threading.Event()
        for folders, recursive in ((deep, True), (flat, False)):
            if folders:
                threading.Thread(target=self._watcher, args=([str(f) for f in folders], recursive, out, self.until),
                                 daemon=True).start()

    def _watcher(self, folders: list[str], recursive: bool, out: Path, until: threading.Event) -> None:
        try:
            for changes in self.watch(*folders, watch_filter=_watch_filter(self.root, self.site, out), stop_event=until,
                                      step=30, debounce=1600, recursive=recursive):
                self.saved.put(changes)
        except (OSError, RuntimeError):  # a watched folder went away: build, and watch what is there now
            self.folders = None
            self.saved.put(set())

    def waiting(self) -> bool:
        """Whether a save waits for its build."""
        return not self.saved.empty()

    def changes(self) -> set[Change] | None:
        """What was saved since the last call, in one set; None when nothing was for a moment."""
        try:
            changes = set(self.saved.get(timeout=0.2))
        except queue.Empty:
            return None
        while not self.saved.empty():  # saves that came in during the last build: one build for them all
            changes.update(self.saved.get_nowait())
        return changes


def _listen(host: str, port: int, handler: type[SimpleHTTPRequestHandler]) -> ThreadingHTTPServer | None:
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"publog: port {port} is in use already; try another one, e.g. --port {port + 1}", file=sys.stderr)
        else:
            print(f"publog: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        return None
    server.daemon_threads = True
    return server


def serve(root: Path, host: str, port: int, options: Options, ready: threading.Event | None = None,
          stop: threading.Event | None = None, open_browser: bool = False, said: int = 0) -> int:
    """Serve until ``stop`` is set or Ctrl-C; returns the exit code. The site lives below the path of
    ``options.base_url`` when given (publog serve --base-url), else of publog.yaml's. ``said``: -1 prints
    errors only (--quiet), 1 also each rebuild's stages (--verbose)."""
    from watchfiles import watch

    from ..settings.config import load as load_config

    root = root.resolve()
    config, _ = load_config(root)
    base_path = Urls(options.base_url or config.base_url).base_path
    site = site_folder(root)
    lock = threading.Lock()
    state = ServeState()
    server = _listen(host, port, make_handler(site, base_path, state, lock))
    if server is None:
        return 1
    port = server.server_address[1]
    options = replace(options, out=site, base_url=f"http://{host}:{port}{base_path}", search_later=True, watched=True)
    stop = stop or threading.Event()
    builds = _Builds(root, options, Hooks(lock=lock, swapped=state.swapped), state, stop, said)
    watching = _Watching(root, site, watch)
    # Watching starts before the first build: a save made while a large journal builds is not missed.
    watching.follow()
    serving = False
    try:
        builds.rebuild()
        cache_file = builds.session.cache.file if builds.session.cache.usable else None
        threading.Thread(target=prepare, args=(root, cache_file), daemon=True).start()
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)  # stops at once
        thread.start()
        serving = True
        print(f"Serving {root} at http://{host}:{port}{base_path} (Ctrl-C to stop)", flush=True)
        if open_browser:
            import webbrowser

            webbrowser.open(f"http://{host}:{port}{base_path}")
        if ready is not None:
            ready.set()
        while not stop.is_set():
            changes = watching.changes()
            if changes is None:
                builds.tidy(watching.waiting)
                continue
            builds.rebuild(changes)
            try:
                watching.follow()  # a member, a theme or a static folder added: watched from now on
            except Exception as exc:  # noqa: BLE001  (the folders watched stay as they were)
                print(failure(exc, "."), file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        print("\nstopped", flush=True)
    finally:
        stop.set()
        watching.until.set()
        if serving:  # shutdown waits for serve_forever, which a Ctrl-C in the first build never reached
            server.shutdown()
        server.server_close()
        builds.close()
    return 0
