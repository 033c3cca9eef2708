"""Shared by the tests/test_hostile_*.py suite (issue 8): hostile journals built through the real CLI.

`build()` runs `publog` in this process like the `publog` fixture, but turns an exception escaping
the CLI into what a user would see (a traceback on stderr, exit code 1), so every test can state the
user's expectations plainly: no traceback, every line of stderr a `path:line: message` problem (or
publog's one-line summary), exit code 0 or 1, the previous site untouched when the build fails, and
nothing written outside the output folder and the journal's `.publog-cache`.

Tests that may crash the interpreter itself (a segfault in a C extension) or that need a second
process use `cli()` instead, which runs `python -m publog` in a new process.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import os
import re
import signal
import subprocess
import sys
import textwrap
import traceback
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, Run, snapshot
from publog.cli.main import main

# One problem: `path:line: message`, or `path:line: warning: message`.
PROBLEM = re.compile(r"^(?P<path>[^\n:]+):(?P<line>[1-9]\d*): (?P<warning>warning: )?(?P<message>\S.*)$")
STAGING = re.compile(r"\.publog-staging")


def build(*args: str | Path) -> Run:
    """`publog ARGS` in this process; an exception escaping it becomes a traceback on stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        except Exception:  # noqa: BLE001 - what a user would see: a traceback
            traceback.print_exc()
            code = 1
    return Run(code, out.getvalue(), err.getvalue())


def spawn(*args: str | Path, preamble: str = "", cwd: Path | None = None) -> subprocess.Popen[str]:
    """Start `python -m publog ARGS` in a new process; ``preamble`` is Python run first (fault injection)."""
    # As a terminal runs it: Ctrl-C reaches it. Tests run as a background job inherit SIGINT ignored (a
    # shell ignores it in the jobs it starts with &), and Python keeps it so, as publog rightly does.
    code = ("import signal\nsignal.signal(signal.SIGINT, signal.default_int_handler)\n" + textwrap.dedent(preamble)
            + "\nimport sys\nfrom publog.cli.main import main\nsys.exit(main(sys.argv[1:]))\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO / "tests")])}
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, cwd=cwd, env=env, start_new_session=True,
    )


def collect(proc: subprocess.Popen[str], timeout: float = 120) -> Run:
    """Wait for a process from spawn(); one killed by a signal gets code -N and says so on stderr."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the build and the workers it forked
        out, err = proc.communicate()
        pytest.fail(f"publog {' '.join(map(str, proc.args[3:]))} took more than {timeout} s\n{err[-2000:]}")
    if proc.returncode < 0:
        err += f"\n[killed by signal {-proc.returncode}: {signal.Signals(-proc.returncode).name}]"
    return Run(proc.returncode, out, err)


def cli(*args: str | Path, timeout: float = 120, preamble: str = "", cwd: Path | None = None) -> Run:
    """`python -m publog ARGS` in a new process, as a user would run it."""
    return collect(spawn(*args, preamble=preamble, cwd=cwd), timeout)


def problems(run: Run) -> list[str]:
    return [line for line in run.err.splitlines() if not line.startswith("publog:")]


def bad_lines(run: Run) -> list[str]:
    """Lines of stderr that are neither a `path:line: message` problem nor publog's summary line."""
    return [line for line in run.err.splitlines() if not (line.startswith("publog: ") or PROBLEM.match(line))]


def assert_clear(run: Run) -> None:
    """What every build must give: exit 0 or 1, no traceback, nothing but problems on stderr."""
    __tracebackhide__ = True
    assert "Traceback" not in run.err, f"publog crashed:\n{run.err[-3000:]}"
    assert run.code in (0, 1), f"exit code {run.code}\n{run.err[-3000:]}"
    assert not bad_lines(run), "stderr lines that are not 'path:line: message':\n" + "\n".join(bad_lines(run)[:20])
    if run.code == 1:
        assert [p for p in problems(run) if "warning:" not in p], f"exit 1 without an error:\n{run.err}"


def assert_fails_with(run: Run, *expected: str) -> None:
    """Exit 1, a clear report, and each ``expected`` the start of one of its problems."""
    __tracebackhide__ = True
    assert_clear(run)
    assert run.code == 1, f"expected a failure, got exit 0\n{run.out}{run.err}"
    for prefix in expected:
        assert any(p.startswith(prefix) for p in problems(run)), f"no problem starts with {prefix!r}:\n{run.err}"


# --- the file system around a build ---------------------------------------------------------------

def tree(base: Path) -> dict[str, tuple[str, int, str]]:
    """Everything below ``base`` (links not followed): relative path -> (kind, mtime_ns, content digest)."""
    state: dict[str, tuple[str, int, str]] = {}
    for folder, dirs, files in os.walk(base):
        for name in dirs + files:
            path = Path(folder, name)
            st = path.lstat()
            rel = path.relative_to(base).as_posix()
            if path.is_symlink():
                state[rel] = ("link", st.st_mtime_ns, os.readlink(path))
            elif path.is_dir():
                state[rel] = ("dir", 0, "")
            else:
                state[rel] = ("file", st.st_mtime_ns, hashlib.blake2b(path.read_bytes(), digest_size=12).hexdigest())
    return state


def outside(before: dict[str, tuple[str, int, str]], after: dict[str, tuple[str, int, str]],
            base: Path, allowed: list[Path]) -> list[str]:
    """Paths below ``base`` created, changed or removed outside the ``allowed`` folders."""
    keep = [a.resolve().relative_to(base.resolve()).as_posix() for a in allowed]

    def free(rel: str) -> bool:
        return any(rel == k or rel.startswith(k + "/") for k in keep)

    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    # A folder that is a parent of an allowed folder may appear (publog creates the output's parents).
    parents = {p for k in keep for p in _parents(k)}
    return sorted(k for k in changed if not free(k) and not (k in parents and after.get(k, ("",))[0] == "dir"))


def _parents(rel: str) -> list[str]:
    parts = rel.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


_CHECK_FLAGS = ("--drafts", "--future", "--strict")


def guarded_build(base: Path, root: Path, *args: str | Path, out: Path | None = None, configured: Path | None = None) -> Run:
    """build(root, ARGS) checking what every build must do to the file system below ``base``:

    nothing written outside the output folder and ``root/.publog-cache``, no staging folder left,
    and on failure the output folder exactly as it was (bytes and modification times).
    ``out`` is passed as --out; ``configured`` is where publog.yaml puts the output (default _site).
    """
    __tracebackhide__ = True
    given = out
    out = out if out is not None else configured if configured is not None else root / "_site"
    before, site_before = tree(base), snapshot(out) if out.is_dir() else None
    # `publog check` runs a build's every check and writes nothing: on the same journal it gives what
    # the build gives (with --out, which check does not take, the build alone is tried).
    checked = build("check", root, *(a for a in args if a in _CHECK_FLAGS)) if given is None else None
    if checked is not None:
        assert (snapshot(out) if out.is_dir() else None) == site_before, "publog check changed the output folder"
    run = build("build", root, *args, *(["--out", given] if given is not None else []))
    if checked is not None and "Traceback" not in run.err + checked.err:
        assert (checked.code, sorted(problems(checked))) == (run.code, sorted(problems(run))), \
            f"publog check and publog build disagree:\ncheck ({checked.code}):\n{checked.err}\nbuild ({run.code}):\n{run.err}"
    after = tree(base)
    strays = outside(before, after, base, [out, root / ".publog-cache"])
    assert not strays, "written outside the output folder and the cache:\n" + "\n".join(strays[:20]) + f"\n{run.err[-2000:]}"
    left = [k for k in after if STAGING.search(k)]
    assert not left, f"staging folders left behind: {left}"
    if run.code != 0 and "Traceback" not in run.err:
        now = snapshot(out) if out.is_dir() else None
        assert now == site_before, "a failed build changed the output folder"
    return run


def site_bytes(out: Path) -> dict[str, bytes]:
    """Every file of the site; the search index's gzip-compressed files as the text they hold."""
    return {k: gzip.decompress(v[0]) if v[0][:2] == b"\x1f\x8b" else v[0] for k, v in snapshot(out).items()}


def leaks(out: Path, *secrets: str) -> list[str]:
    """Files of the site whose name or bytes contain one of ``secrets`` (case-insensitive)."""
    found = []
    for rel, data in site_bytes(out).items():
        low = data.lower()
        for secret in secrets:
            if secret.lower() in rel.lower() or secret.lower().encode() in low:
                found.append(f"{rel}: {secret}")
    return found


# --- small file systems (root only) ---------------------------------------------------------------

@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``where``; skips the test where mounting is not allowed."""
    where.mkdir(parents=True, exist_ok=True)
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        if subprocess.run(["umount", str(where)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(where)], capture_output=True)


def remount_read_only(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True, capture_output=True)


def token() -> str:
    """A word found nowhere else: put it in what must never be published, then search the site for it."""
    return "zq" + uuid.uuid4().hex[:12]
