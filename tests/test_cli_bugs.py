"""A bug in publog is one problem line, never a traceback (issue 23): every command turns an exception
raised inside publog into `PATH:1: publog failed (...); this is a bug in publog, please report it`,
exits 1, leaves the old site as it was and no staging folder behind, and releases the journal's lock.
PUBLOG_DEBUG=1 shows the traceback."""

from __future__ import annotations

import fcntl
import os
import re
from pathlib import Path

import pytest
from conftest import entry, snapshot
from hostile_support import STAGING, build, cli, problems

# Raised while pages are rendered, after the staging folder was made: the build's cleanup must run.
AT_RENDER = """
from publog.render import templates as render
_render, _n = render.Renderer.render, [0]
def raising(self, page):
    _n[0] += 1
    if _n[0] == 3:
        raise RuntimeError("injected fault")
    return _render(self, page)
render.Renderer.render = raising
"""
# Raised at the journal stage, which check and status run too.
AT_JOURNAL = """
import publog.run.build as build
def raising(journal, compiled):
    raise RuntimeError("injected fault")
build._leaks = raising
"""
AT_NEW = """
import publog.cli.scaffold as scaffold
def raising(*args, **kwargs):
    raise RuntimeError("injected fault")
scaffold.new_entry = raising
"""
BUG = re.compile(r"^(?P<path>[^:]+):1: publog failed \(RuntimeError in (?P<module>[\w/]+\.py), line \d+: injected fault\); "
                 r"this is a bug in publog, please report it$")


def files(n: int = 6, version: str = "v1") -> dict[str, str]:
    made = {"publog.yaml": "title: Bugs\n"}
    for i in range(n):
        made[f"entries/2024-01-0{i + 1}-e{i}.md"] = entry(f"Entry {i} {version}", f"2024-01-0{i + 1}", body=f"Text {version}.")
    return made


def one_bug(run, module: str, path: str = "publog.yaml") -> None:
    __tracebackhide__ = True
    assert "Traceback" not in run.err, run.err
    assert run.code == 1, run.err
    shown = problems(run)
    assert len(shown) == 1, run.err
    found = BUG.match(shown[0])
    assert found, shown[0]
    assert found["path"] == path and found["module"] == module, shown[0]


def staging_left(*folders: Path) -> list[str]:
    return [p.name for folder in folders for p in folder.iterdir() if STAGING.search(p.name)]


@pytest.mark.parametrize("command, preamble", [
    ("build", AT_RENDER), ("build", AT_JOURNAL), ("check", AT_JOURNAL), ("status", AT_JOURNAL),
])
def test_a_bug_in_a_command_is_one_problem_line_and_the_old_site_stays(journal, command, preamble) -> None:
    root = journal(files())
    assert build("build", root).code == 0
    before = snapshot(root / "_site")
    for name, text in files(version="v2").items():
        (root / name).write_text(text)
    jobs = ("--jobs", "1") if command != "status" else ()
    one_bug(cli(command, root, *jobs, preamble=preamble), "run/build.py")
    assert snapshot(root / "_site") == before
    assert staging_left(root) == []


def test_a_bug_in_new_names_the_journal_folder_when_it_has_no_publog_yaml(journal) -> None:
    root = journal({"entries/a.md": entry("A")})
    run = cli("new", "A title", "--journal", root, preamble=AT_NEW)
    one_bug(run, "cli/main.py", path=".")


def test_publog_debug_shows_the_traceback(journal) -> None:
    root = journal(files())
    run = cli("check", root, preamble="import os\nos.environ['PUBLOG_DEBUG'] = '1'\n" + AT_JOURNAL)
    assert run.code == 1
    assert "Traceback" in run.err and "RuntimeError: injected fault" in run.err


def test_the_lock_is_released_and_no_staging_is_left_after_a_bug_in_this_process(journal, monkeypatch) -> None:
    from publog.render import templates as render

    root = journal(files())
    assert build("build", root).code == 0
    before = snapshot(root / "_site")
    for name, text in files(version="v2").items():
        (root / name).write_text(text)
    real, count = render.Renderer.render, [0]

    def raising(self, page):
        count[0] += 1
        if count[0] == 3:
            raise RuntimeError("injected fault")
        return real(self, page)

    monkeypatch.setattr(render.Renderer, "render", raising)
    run = build("build", root, "--jobs", "1")
    assert "Traceback" not in run.err and run.code == 1, run.err
    assert snapshot(root / "_site") == before and staging_left(root) == []
    handle = os.open(root / ".publog-cache" / "lock", os.O_RDWR)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if the failed build still held it
    finally:
        os.close(handle)
    monkeypatch.undo()
    assert build("build", root).code == 0
    assert snapshot(root / "_site") != before
