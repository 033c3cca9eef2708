"""A build process kept warm between runs of `publog build`, as Gradle and Bazel keep theirs.

A new Python process spends most of a small rebuild starting up: importing its libraries,
reading the cache of every entry, placing every entry and planning every page again,
compiling the theme's templates. So after a build, `publog build` leaves a copy of itself
behind that keeps all of that in memory, as `publog serve` does between saves; the next
`publog build` of the same journal hands its build to that process and prints what it
reports, and starts no pipeline of its own. The output is the same: the warm process runs
the same build, on the files as they are on disk then, and trusts nothing it remembers that
another process may have changed (the Session's kept site and manifest, the cache's rows).

The kept process listens on JOURNAL/.publog-cache/build.sock, which only its user may open
(and it checks the caller's user id), takes one build at a time, and exits after ten minutes
without one, when its socket or cache folder is deleted, or when a caller runs another
version of publog or of Python. None is kept where CI is set (as CI services set it), with
PUBLOG_DAEMON=0, with --no-daemon, or on systems without fork and Unix sockets.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import stat
import struct
import sys
import sysconfig
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Generator, Iterator

from .loaded import CODE

if TYPE_CHECKING:
    from .build import Result
    from .session import Session

SOCKET = ".publog-cache/build.sock"
IDLE_SECONDS = 600.0
_PROTOCOL = 1
_LONGEST_REQUEST = 1 << 16
_CHECK_EVERY = 1.0  # seconds between the kept process's looks at its socket and cache folder
# Kept processes of one user at once: the journals built last. A script that builds many journals
# in a row leaves this many, not one each. Each names itself with an abstract socket (Linux), which
# the others list in /proc/net/unix; elsewhere nothing counts them and each ends when idle.
MOST_KEPT = 3
_MARK = "publog-kept-{uid}-"


def wanted(refused: bool) -> bool:
    """Whether builds may use and keep a warm process: ``refused`` is --no-daemon."""
    if refused or not hasattr(os, "fork") or not hasattr(socket, "AF_UNIX") or not hasattr(socket, "SO_PEERCRED"):
        return False
    chosen = os.environ.get("PUBLOG_DAEMON", "").strip().lower()
    if chosen:
        return chosen not in ("0", "false", "no", "off")
    return os.environ.get("CI", "").strip().lower() in ("", "0", "false", "no")


def _identity() -> dict[str, Any]:
    """What a kept process must share with a caller for its builds to be the caller's: the same publog
    code, the same Python, the same installed libraries (pip changes the folder they are in)."""
    libraries = sysconfig.get_paths()["purelib"]
    try:
        installed = os.stat(libraries).st_mtime_ns
    except OSError:
        installed = 0
    return {"protocol": _PROTOCOL, "code": CODE, "python": [sys.executable, sys.version],
            "libraries": [libraries, installed]}


@contextmanager
def _in_folder(folder: Path) -> Iterator[None]:
    """Sockets are named relative to their folder: a Unix socket's whole path may hold only ~100 bytes."""
    here = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(here)


# ------------------------------------------------------------------------------ the caller


def ask(root: Path, out: Path | None, drafts: bool, future: bool, strict: bool, jobs: int,
        show: Callable[[str, int, int], None] | None) -> dict[str, Any] | None:
    """The result of building ``root`` (with build.Options' settings of these names) in its kept process,
    as sent; None when there is none to ask, or it declined (then the caller builds, and keeps a process
    of its own). Imports nothing of the pipeline: that is most of what asking saves."""
    path = root / SOCKET
    if not _ours(path):
        return None
    request = {
        **_identity(),
        "journal": os.path.realpath(root),
        "options": {"out": os.path.abspath(out) if out is not None else None, "drafts": drafts, "future": future,
                    "strict": strict, "jobs": jobs},
    }
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(5)
            with _in_folder(path.parent):
                conn.connect(path.name)
            conn.sendall(json.dumps(request).encode() + b"\n")
            conn.settimeout(None)  # a large build takes its time; the process reports as it goes
            for line in conn.makefile("rb"):
                reply = json.loads(line)
                if "progress" in reply:
                    if show is not None:
                        show(*reply["progress"])
                    continue
                result: dict[str, Any] | None = reply.get("result")
                return result
    except (OSError, ValueError, TypeError):
        return None  # no process there, or it went away mid-build: this process builds
    return None


def _ours(path: Path) -> bool:
    """Whether ``path`` is a socket of this user's in a cache folder that is a folder, not a link (to a
    folder where someone else's process may listen)."""
    try:
        folder, sock = os.lstat(path.parent), os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(folder.st_mode) and stat.S_ISSOCK(sock.st_mode) and sock.st_uid == os.getuid()


# ------------------------------------------------------------------------------ the kept process


def keep(root: Path, session: Session, out: Path | None, idle: float | None = None) -> bool:
    """After a build of ``root`` into ``out`` in this process, leave a copy of it, and of the ``session``
    that build ran in, that takes the next builds.

    Returns at once in this process, saying whether a copy was left; the copy never returns. Nothing
    happens when another kept process answers on the socket already, or the socket cannot be made.
    """
    if not session.cache.usable:  # the cache folder is not publog's to make a socket in (cache.refusal)
        return False
    listener = _listen(root / SOCKET)
    if listener is None:
        return False
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    # Before the fork: a socket deleted as soon as this process has returned (before the copy runs) is then
    # seen to be gone.
    mine, home = _file(root / SOCKET, born=True), _file((root / SOCKET).parent)
    # SIGTERM waits until the copy can end through its cleanup (_serve): a `kill` as soon as it exists too.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        pid = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        listener.close()
        return False
    if pid:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        listener.close()
        return True
    code = 0
    try:
        os.setsid()  # not stopped with the terminal or the caller's process group
        quiet = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # a caller reading this process's output waits for no one
            os.dup2(quiet, fd)
        session.collect = False  # collected after each reply, while no one waits (_after)
        mark = _marked()
        _serve(root, session, listener, out, idle if idle is not None else _idle_seconds(), parent, mine, home, blocked)
        del mark
    except BaseException:  # noqa: BLE001  (a kept process ends quietly; the next build runs in its caller)
        code = 1
    finally:
        os._exit(code)  # never back into the caller's code, whose process this copy is


def _marked() -> socket.socket | None:
    """This kept process's name among its user's, by when it was kept: an abstract socket, gone with it."""
    if not sys.platform.startswith("linux"):
        return None
    mark = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        mark.bind("\0" + _MARK.format(uid=os.getuid()) + f"{time.time_ns():020d}-{os.getpid()}")
    except OSError:
        mark.close()
        return None
    return mark


def outnumbered(pid: int | None = None) -> bool:
    """Whether MOST_KEPT kept processes of this user were kept after this one (``pid``: this process)."""
    prefix = "@" + _MARK.format(uid=os.getuid())
    try:
        listed = Path("/proc/net/unix").read_text().split("\n")
    except OSError:
        return False
    names = sorted(word[len(prefix):] for line in listed for word in line.split()[-1:] if word.startswith(prefix))
    ours = [n for n in names if n.endswith(f"-{pid or os.getpid()}")]
    return bool(ours) and len([n for n in names if n > ours[0]]) >= MOST_KEPT


def _idle_seconds() -> float:
    try:
        return float(os.environ.get("PUBLOG_DAEMON_IDLE", IDLE_SECONDS))
    except ValueError:
        return IDLE_SECONDS


def _listen(path: Path) -> socket.socket | None:
    if not path.parent.is_dir():
        return None
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        with _in_folder(path.parent):
            try:
                probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                with probe:
                    probe.settimeout(1)
                    probe.connect(path.name)
                listener.close()
                return None  # a kept process answers already
            except OSError:
                pass
            try:
                os.unlink(path.name)  # left by a process that was killed
            except FileNotFoundError:
                pass
            mask = os.umask(0o177)  # the socket is its user's alone
            try:
                listener.bind(path.name)
            finally:
                os.umask(mask)
        listener.listen(8)
    except OSError:
        listener.close()
        return None
    return listener


def _file(path: Path, born: bool = False) -> tuple[int, ...] | None:
    """What a file is, whatever its name: a deleted file's inode number is soon another file's, so ``born``
    adds when it was made (for the socket; a folder's changes with every file made in it)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_ctime_ns) if born else (st.st_dev, st.st_ino)


def _serve(root: Path, session: Session, listener: socket.socket, out: Path | None, idle: float, parent: int,
           mine: tuple[int, ...] | None, home: tuple[int, ...] | None, mask: set[signal.Signals] | None = None) -> None:
    """Take builds until idle for ``idle`` seconds, or the socket (``mine``) or its folder (``home``) is gone."""
    from .warm import preparing

    path = root / SOCKET
    identity = _identity()
    journal = os.path.realpath(root)
    listener.settimeout(_CHECK_EVERY)
    # Work for idle moments, done a step at a time, each step only while no caller waits: the templates
    # and the Markdown parser, which the build that made this copy may not have needed, and what
    # follows every build (_after). None before the process this is a copy of has ended: the collector
    # writes to every object, and each page written would be copied while the two share it.
    warm: list[tuple[str, Generator[None, None, None]]] = [("prepare", preparing(root, session.cache.file)),
                                                           *_after(root, session, out)]
    last = counted = time.monotonic()
    try:
        # Ended by a signal, as a shutdown or `kill` does: through the cleanup below, not past it.
        signal.signal(signal.SIGTERM, _ended)
        if mask is not None:  # the caller's, which keep() blocked SIGTERM from until here
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        while time.monotonic() - last < idle and _file(path, born=True) == mine and _file(path.parent) == home:
            if time.monotonic() - counted >= _CHECK_EVERY:
                counted = time.monotonic()
                if outnumbered():
                    return
            alone = os.getppid() != parent
            if warm and alone and not select.select([listener], [], [], 0)[0]:
                try:
                    next(warm[0][1])
                except Exception:  # noqa: BLE001  (done, or failed: either way the next build does what is left)
                    warm.pop(0)
                continue
            listener.settimeout(_CHECK_EVERY if alone or not warm else 0.01)
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                if not _same_user(conn):
                    continue
                go_on, result = _take(conn, root, session, identity, journal)
            if not go_on:
                return
            if result is not None:
                if result.rendered:  # a site was swapped in: a copy of the one before it is no use
                    for kind, steps in warm:
                        if kind == "mirror":
                            steps.close()
                    warm = [item for item in warm if item[0] != "mirror"]
                waiting = {kind for kind, _ in warm}
                warm += [item for item in _after(root, session, result.out) if item[0] not in waiting]
                # The replaced site first: the folder beside the output still holds what the new site took away,
                # and the next build would otherwise delete it while its caller waits.
                warm.sort(key=lambda item: item[0] != "tidy")
            last = time.monotonic()
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second one (a shutdown's, a `kill` again) waits for this
        for _ in _tidying(session):  # no replaced site outlives the process
            pass
        if _file(path, born=True) == mine:
            try:
                os.unlink(path)
            except OSError:
                pass


def _after(root: Path, session: Session, out: Path | None) -> list[tuple[str, Generator[None, None, None]]]:
    """What to make ready after a build: the index of which page shows which entry (plan_again makes it
    on the first edit otherwise), and a copy of the site to swap the next one in with, where the build
    left none that this process knows (a build into an empty folder leaves none at all)."""
    from .output_folder import mirroring

    steps: list[tuple[str, Generator[None, None, None]]] = [("collect", _collecting(session))]
    if session.replaced:
        steps.append(("tidy", _tidying(session)))
    if session.assembled is None and out is not None:
        steps.insert(0, ("prime", _priming(root, session, out)))
    if session.planned is not None and session.planned.shown is None:
        steps.append(("index", _indexing(session)))
    if out is not None and session.cache.writable and session.spare_files.get(str(out)) is None:
        steps.append(("mirror", mirroring(root, out, session)))
    return steps


def _priming(root: Path, session: Session, out: Path) -> Generator[None, None, None]:
    """The journal placed and the site planned, where the build that made this copy found the journal
    unchanged and did neither: else the first edit after it waits for both. A check, which writes
    nothing (and so runs in a session of its own, whose cache it cannot write) and stops at the plan: the
    site is the next build's to look at, and what it finds is the next build's to report."""
    from .build import build
    from .options import Options
    from .session import Session

    yield
    checked = Session(root, writable=False)
    build(root, Options(out=out, check_only=True, plan_only=True), checked)
    if session.assembled is None:  # no build came in between
        session.assembled, session.planned = checked.assembled, checked.planned
        yield from _indexing(session)


def _ended(signum: int, frame: object) -> None:
    raise SystemExit(1)


def _tidying(session: Session) -> Generator[None, None, None]:
    """Delete the sites that builds replaced, a few hundred files at a time."""
    from ..write.links import removing

    while session.replaced:
        yield from removing(str(session.replaced[0]))
        session.replaced.pop(0)


def _collecting(session: Session) -> Generator[None, None, None]:
    session.idle()  # the garbage of the builds, which left the collector off
    yield


def _indexing(session: Session) -> Generator[None, None, None]:
    from ..site.pages import indexed

    if session.planned is not None:
        session.planned = indexed(session.planned)
    yield


def _same_user(conn: socket.socket) -> bool:
    try:
        _, uid, _ = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))
    except OSError:
        return False
    return bool(uid == os.getuid())


def _take(conn: socket.socket, root: Path, session: Session, identity: dict[str, Any],
          journal: str) -> tuple[bool, Result | None]:
    """Build for one caller: whether this process goes on (not when the caller runs other code), and
    the result of the build, if one ran."""
    from .build import Hooks, Options, build

    conn.settimeout(5)
    try:
        line = conn.makefile("rb").readline(_LONGEST_REQUEST)
        request = json.loads(line)
        if {k: request.get(k) for k in identity} != identity or request.get("journal") != journal:
            return False, None  # the caller builds, and keeps a process of its own
        asked = request["options"]
        out = Path(asked["out"]) if asked["out"] is not None else None
        drafts, future, strict, jobs = bool(asked["drafts"]), bool(asked["future"]), bool(asked["strict"]), int(asked["jobs"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return True, None
    conn.settimeout(None)

    def report(stage: str, done: int, total: int) -> None:
        # A caller that went away (Ctrl-C) stops the build here, before its site is swapped in.
        conn.sendall(json.dumps({"progress": [stage, done, total]}).encode() + b"\n")

    @contextmanager
    def still_asked() -> Iterator[None]:
        """Held while the new site is swapped in: a caller that went away (Ctrl-C) was told its site
        stays as it was, so it does."""
        try:
            gone = conn.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            gone = False
        if gone:
            raise ConnectionAbortedError("the build was interrupted")
        yield

    answered = False

    def answer(result: Result) -> None:
        """The caller is told as soon as its site is in place; the build then saves its cache meanwhile."""
        nonlocal answered
        if answered:  # a build made again after its cache was found damaged
            return
        answered = True
        try:
            conn.sendall(json.dumps({"result": _sent(result, root)}).encode() + b"\n")
        except OSError:
            pass

    options = Options(out=out, drafts=drafts, future=future, strict=strict, jobs=jobs)
    try:
        result = build(root, options, session, Hooks(lock=still_asked(), progress=report, replaced=session.replaced.append,
                                                     finished=answer))
    except OSError:  # the caller went away while the journal was read
        return True, None
    answer(result)
    return True, result


def _sent(result: Result, root: Path) -> dict[str, Any]:
    out = result.out
    inside = None
    if out is not None:
        relative = os.path.relpath(out, root)
        inside = None if relative.startswith("..") or os.path.isabs(relative) else relative
    return {
        "problems": [[p.path, p.line, p.message, p.severity] for p in result.problems],
        "entries": result.entries, "pages": result.pages, "written": result.written, "seconds": result.seconds,
        "timings": result.timings,
        "out": None if out is None else str(out), "inside": inside,
    }
