"""Helpers shared by the tests: real journals in temporary folders, the real CLI."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

# Where bytecode is not written (PYTHONDONTWRITEBYTECODE, as in CI), each Python process the tests start
# (publog's CLI, kept build processes, the benchmark, the workers) compiled publog's modules again: hundreds
# of processes. They share a bytecode cache in a temporary folder instead, deleted at the end: the tree
# stays as clean as the setting keeps it. The workers inherit it from the process that starts them.
_BYTECODE = "publog-tests-bytecode-"  # then the number of the process whose run made it


def _remove_left_bytecode() -> None:
    """The folders of runs killed before their end (atexit never ran): this user's, of a process that is gone."""
    for left in Path(tempfile.gettempdir()).glob(f"{_BYTECODE}*-*"):
        pid = left.name.removeprefix(_BYTECODE).split("-")[0]
        try:
            if not pid.isdigit() or (hasattr(os, "getuid") and left.lstat().st_uid != os.getuid()):
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(left, ignore_errors=True)
        except OSError:
            continue


if os.environ.get("PYTHONDONTWRITEBYTECODE") and not os.environ.get("PYTHONPYCACHEPREFIX"):
    _remove_left_bytecode()
    _bytecode = tempfile.mkdtemp(prefix=f"{_BYTECODE}{os.getpid()}-")
    atexit.register(shutil.rmtree, _bytecode, True)
    os.environ["PYTHONPYCACHEPREFIX"] = sys.pycache_prefix = _bytecode
    del os.environ["PYTHONDONTWRITEBYTECODE"]
    sys.dont_write_bytecode = False

from publog.cli.main import main  # noqa: E402

# `publog build` run by a test in a process of its own keeps no build process warm after it (daemon.py):
# tests of that set PUBLOG_DAEMON=1 themselves.
os.environ["PUBLOG_DAEMON"] = "0"


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto`: a worker more than there are processors. Many tests wait on the processes, servers and
    browsers they start, and a worker of its own keeps the processors busy meanwhile."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # pytest-xdist's own reading of it
    return len(os.sched_getaffinity(0)) + 1 if hasattr(os, "sched_getaffinity") else None


REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample-journal"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def problems(self) -> list[str]:
        return [line for line in self.err.splitlines() if not line.startswith("publog:")]


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a journal: file name -> text (dedented) or bytes."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def journal(tmp_path: Path):
    """A factory: journal({'entries/a.md': '...'}) -> the journal folder."""

    def make(files: dict[str, str | bytes], name: str = "journal") -> Path:
        return write(tmp_path / name, files)

    return make


@pytest.fixture
def publog(capsys: pytest.CaptureFixture[str]):
    """Run the publog CLI in this process and capture what it prints."""

    def run(*args: str | Path) -> Run:
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def run_cli(*args: str | Path, cwd: Path | None = None) -> Run:
    """Run `python -m publog` in a new process, as a user would."""
    proc = subprocess.run(
        [sys.executable, "-m", "publog", *map(str, args)], capture_output=True, text=True, cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def entry(title: str = "An entry", date: str = "2024-05-01", body: str = "Some text.", **meta: str) -> str:
    lines = [f"title: {title}", f"date: {date}"] + [f"{k}: {v}" for k, v in meta.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below ``folder`` with its bytes and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*")) if p.is_file()
    }
