"""Hostile journals, faults (issue 8): the machine fails mid-build, and the old site stays whole.

A read-only output folder, a full disk (a small tmpfs where root may mount one, and patched writes
everywhere), a build interrupted or killed midway, two builds of one journal at once, files deleted
while the build reads them. Every one gets a clear `path:line:` answer, never a traceback, and the
site in the output folder is always one whole build: the old one or the new one, never a mix.
"""

from __future__ import annotations

import errno
import os
import pathlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import entry, snapshot
from hostile_support import (
    STAGING, assert_clear, build, cli, collect, problems, remount_read_only, site_bytes, spawn, tmpfs,
)

from publog.read import files as files_mod

def many_entries(n: int = 12, version: str = "v1", drafts: int = 0) -> dict[str, str]:
    files = {f"entries/2024-01-{i + 1:02d}-e{i}.md": entry(f"Entry {i} {version}", f"2024-01-{i + 1:02d}",
                                                           tags=f"[t{i % 3}]", body=f"Text {i} {version}.") for i in range(n)}
    for i in range(drafts):
        files[f"entries/draft-{i}.md"] = entry(f"Draft {i}", "2024-02-01", tags="[t0, secret]", draft="true")
    return files


def rewrite(root: Path, version: str, n: int = 12) -> None:
    for name, text in many_entries(n, version).items():
        (root / name).write_text(text)


def reference(journal, files: dict[str, str], *args: str, name: str) -> dict[str, bytes]:
    """The site a clean build of ``files`` makes, as bytes by file."""
    root = journal(files, name=name)
    result = build("build", root, *args)
    assert result.code == 0, result.err
    return site_bytes(root / "_site")


def whole(site: dict[str, bytes], *builds: dict[str, bytes]) -> bool:
    return any(site == b for b in builds)


def mixed(site: dict[str, bytes], old: dict[str, bytes], new: dict[str, bytes], names: tuple[str, str] = ("old", "new")) -> str:
    """How a site differs from both whole builds, for the failure message."""
    from_old = sorted(k for k in site if old.get(k) == site[k] and new.get(k) != site[k])
    from_new = sorted(k for k in site if new.get(k) == site[k] and old.get(k) != site[k])
    neither = sorted(k for k in site if site[k] not in (old.get(k), new.get(k)))
    missing = sorted(k for k in old.keys() & new.keys() if k not in site)
    return (f"a mix: {len(from_old)} files only of the {names[0]} site ({from_old[:3]}), {len(from_new)} only of the "
            f"{names[1]} site ({from_new[:3]}), {len(neither)} of neither, {len(missing)} missing ({missing[:3]})")


def staging_left(*folders: Path) -> list[str]:
    return [str(p) for folder in folders for p in folder.iterdir() if STAGING.search(p.name)]


# --- read-only output folder ----------------------------------------------------------------------

@pytest.fixture
def lockable(tmp_path: Path):
    """A folder for the output, and a function making it read-only: a tmpfs remounted read-only
    when running as root (whom file modes do not stop), else file modes. Writable again afterwards."""
    where = tmp_path / "www"
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        with tmpfs(where, "4m"):
            yield where, lambda: remount_read_only(where)
        return
    where.mkdir()
    locked: list[Path] = []

    def lock() -> None:
        for path in [where, *where.rglob("*")]:
            if path.is_dir():
                path.chmod(0o555)
                locked.append(path)

    yield where, lock
    for path in locked:
        path.chmod(0o755)


def test_a_read_only_output_folder_is_a_clear_problem_and_the_site_stays(lockable, journal) -> None:
    where, lock = lockable
    out = where / "site"
    root = journal(many_entries())
    assert build("build", root, "--out", out).code == 0
    before = snapshot(out)
    rewrite(root, "v2")
    lock()
    result = build("build", root, "--out", out)
    assert_clear(result)
    assert result.code == 1
    assert any(p.startswith(f"{out}:") for p in problems(result)), result.err
    assert snapshot(out) == before
    assert staging_left(where, root) == []


def test_a_write_refused_midway_through_moving_the_site_in_leaves_one_whole_site(journal, monkeypatch) -> None:
    """The output folder turns read-only (or a file in it is locked) while the new site is moved in."""
    root = journal(many_entries())
    assert build("build", root).code == 0
    old = site_bytes(root / "_site")
    rewrite(root, "v2")
    new = reference(journal, many_entries(version="v2"), name="reference")
    # The new site is completed beside the old one (unchanged files hard-linked in), then swapped in at once.
    real, calls = os.link, []

    def link(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if STAGING.search(str(dst)):
            calls.append(dst)
            if len(calls) == 4:
                raise PermissionError(errno.EACCES, "Permission denied", str(src))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "link", link)
    result = build("build", root)
    monkeypatch.undo()
    assert len(calls) >= 4, "the fault was never injected: does publog still carry unchanged files over with os.link?"
    site = site_bytes(root / "_site")
    assert whole(site, old, new), mixed(site, old, new)
    assert_clear(result)
    assert result.code == 1
    assert staging_left(root) == []


# --- a full disk ----------------------------------------------------------------------------------

def test_a_full_disk_while_writing_pages_is_a_clear_problem_and_the_site_stays(journal, monkeypatch) -> None:
    root = journal(many_entries())
    assert build("build", root).code == 0
    before = snapshot(root / "_site")
    rewrite(root, "v2")
    real, staged = pathlib.Path.write_bytes, []

    def write_bytes(self: Path, data: bytes) -> int:
        if STAGING.search(str(self)):
            staged.append(self)
            if len(staged) >= 5:
                raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", write_bytes)
    result = build("build", root, "--jobs", "1")
    monkeypatch.undo()
    assert len(staged) >= 5, "the fault was never injected: does publog still stage pages with Path.write_bytes?"
    assert snapshot(root / "_site") == before
    assert staging_left(root) == []
    assert_clear(result)
    assert result.code == 1
    assert any("space" in p.lower() for p in problems(result)), result.err
    # with space again, the next build gives exactly the site a clean build gives
    assert build("build", root).code == 0
    assert site_bytes(root / "_site") == reference(journal, many_entries(version="v2"), name="reference")


def test_a_full_disk_while_writing_the_cache_is_a_clear_problem(journal, monkeypatch) -> None:
    root = journal(many_entries())
    real, hit = pathlib.Path.write_text, []

    def write_text(self: Path, *args, **kwargs) -> int:  # type: ignore[no-untyped-def]
        if ".publog-cache" in str(self):
            hit.append(self)
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "write_text", write_text)
    result = build("build", root, "--jobs", "1")
    monkeypatch.undo()
    assert hit, "the fault was never injected: does publog still write its cache with Path.write_text?"
    assert_clear(result)  # the cache is optional: build without it, or say the disk is full
    if result.code == 1:
        assert any("space" in p.lower() for p in problems(result)), result.err
        assert not (root / "_site").exists()


@pytest.mark.slow
def test_a_real_full_disk_is_a_clear_problem_and_the_old_site_stays(journal, tmp_path: Path) -> None:
    """The output folder on a 256 KiB tmpfs (root only): a small site fits, a big one does not."""
    with tmpfs(tmp_path / "small", "256k") as small:
        out = small / "site"
        root = journal({**many_entries(3), "publog.yaml": "search: false\n"})  # Pagefind's scripts alone fill 256 KiB
        assert build("build", root, "--out", out).code == 0
        before = snapshot(out)
        for i in range(40):
            (root / f"entries/2024-03-{i % 28 + 1:02d}-big{i}.md").write_text(entry(f"Big {i}", f"2024-03-{i % 28 + 1:02d}", body="words " * 3000))
        result = build("build", root, "--out", out)
        assert snapshot(out) == before
        assert staging_left(small, root) == []
        assert_clear(result)
        assert result.code == 1
        assert any(p.startswith(f"{out}:") and "space" in p.lower() for p in problems(result)), result.err


# --- interrupted and killed builds ----------------------------------------------------------------

def test_a_build_interrupted_midway_leaves_the_old_site_whole(journal, monkeypatch) -> None:
    from publog.render import templates as render

    root = journal(many_entries())
    assert build("build", root).code == 0
    before = snapshot(root / "_site")
    rewrite(root, "v2")
    real, calls = render.Renderer.render, []

    def interrupted(self, page):  # type: ignore[no-untyped-def]
        calls.append(page)
        if len(calls) == 5:
            raise KeyboardInterrupt
        return real(self, page)

    monkeypatch.setattr(render.Renderer, "render", interrupted)
    from publog.cli.main import main

    assert main(["build", str(root), "--jobs", "1"]) == 130  # said so, no traceback
    monkeypatch.undo()
    assert snapshot(root / "_site") == before
    assert staging_left(root) == []
    assert build("build", root).code == 0
    assert site_bytes(root / "_site") == reference(journal, many_entries(version="v2"), name="reference")


def test_ctrl_c_says_what_happened_without_a_traceback(journal) -> None:
    root = journal(many_entries())
    preamble = """
        import os, signal
        from publog.render import templates as render
        _render, _n = render.Renderer.render, [0]
        def interrupted(self, page):
            _n[0] += 1
            if _n[0] == 5:
                os.kill(os.getpid(), signal.SIGINT)
            return _render(self, page)
        render.Renderer.render = interrupted
    """
    result = cli("build", root, "--jobs", "1", preamble=preamble)
    assert "Traceback" not in result.err, result.err
    assert result.code == 130, result.err
    assert not (root / "_site").exists()


def test_ctrl_c_in_a_terminal_reaches_the_render_workers_and_none_prints_a_traceback(journal) -> None:
    """Found by a red-team pass: a terminal's Ctrl-C goes to the whole process group, forked workers
    included, and each printed its own traceback."""
    root = journal({f"entries/2024-{i % 12 + 1:02d}-{i // 12 + 1:02d}-e{i}.md":
                    entry(f"Entry {i}", f"2024-{i % 12 + 1:02d}-{i // 12 + 1:02d}", tags=f"[t{i % 5}]", body=f"Text {i}.")
                    for i in range(40)})
    preamble = """
        import os, signal
        from publog.render import templates as render
        _render, _n, _main = render.Renderer.render, [0], os.getpid()
        def interrupted(self, page):
            if os.getpid() != _main:
                _n[0] += 1
                if _n[0] == 3:
                    os.killpg(os.getpgid(0), signal.SIGINT)  # as a terminal sends it
            return _render(self, page)
        render.Renderer.render = interrupted
    """
    result = cli("build", root, "--jobs", "2", "--no-daemon", preamble=preamble)
    assert "Traceback" not in result.err and "ForkPoolWorker" not in result.err, result.err
    assert result.code == 130, result.err
    assert not (root / "_site").exists()


KILL_AT_REPLACE = """
    import os
    _n = [0]
    def dying(call):
        def wrapped(src, dst, *a, **k):
            if ".publog-staging" in str(dst) or "/site-output-" in str(dst):  # a new folder, or the kept spare
                _n[0] += 1
                if _n[0] == {n}:
                    os._exit(137)  # killed while the new site is being completed: no cleanup, no finally
            return call(src, dst, *a, **k)
        return wrapped
    os.link, os.replace = dying(os.link), dying(os.replace)
"""

KILL_AT_RENDER = """
    import os
    from publog.render import templates as render
    _render, _n = render.Renderer.render, [0]
    def render_then_die(self, page):
        _n[0] += 1
        if _n[0] == 5:
            os._exit(137)
        return _render(self, page)
    render.Renderer.render = render_then_die
"""


@pytest.mark.slow
def test_a_build_killed_while_moving_the_site_in_leaves_one_whole_site(journal) -> None:
    root = journal(many_entries())
    assert build("build", root).code == 0
    old = site_bytes(root / "_site")
    rewrite(root, "v2")
    new = reference(journal, many_entries(version="v2"), name="reference")
    killed = cli("build", root, "--jobs", "1", preamble=KILL_AT_REPLACE.replace("{n}", "6"))
    assert killed.code == 137, killed.err
    site = site_bytes(root / "_site")
    assert whole(site, old, new), mixed(site, old, new)


@pytest.mark.slow
def test_the_build_after_a_killed_one_gives_the_whole_new_site(journal) -> None:
    root = journal(many_entries())
    assert build("build", root).code == 0
    for version, preamble in (("v2", KILL_AT_RENDER), ("v3", KILL_AT_REPLACE.replace("{n}", "6"))):
        rewrite(root, version)
        assert cli("build", root, "--jobs", "1", preamble=preamble).code == 137
        result = build("build", root)
        assert_clear(result)
        assert result.code == 0, result.err
        assert site_bytes(root / "_site") == reference(journal, many_entries(version=version), name=f"ref-{version}")


@pytest.mark.slow
def test_the_build_after_a_killed_one_removes_its_leftovers(journal) -> None:
    root = journal(many_entries())
    assert build("build", root).code == 0
    rewrite(root, "v2")
    killed = spawn("build", root, "--jobs", "1", preamble=KILL_AT_RENDER)
    assert collect(killed).code == 137
    # The pages it wrote for Pagefind, while the site's rendered, in memory where the system has it.
    pages = list(Path("/dev/shm").glob(f"publog-search-{killed.pid}-*"))
    assert pages or not os.access("/dev/shm", os.W_OK)
    assert build("build", root).code == 0
    assert staging_left(root) == []
    assert not [p for p in pages if p.exists()]


def test_folders_that_only_look_like_a_killed_builds_are_left_and_stop_nothing(journal) -> None:
    """Found by a red-team pass: a name with a huge or non-ASCII number failed every build, and an earlier
    version's random name, which may be all digits, would have been taken for a dead process's."""
    memory = Path("/dev/shm")
    if not os.access(memory, os.W_OK):
        pytest.skip("no memory folder to put them in")
    root = journal(many_entries())
    odd = [memory / f"publog-search-{name}" for name in ("99999999999999999999-x", "\u00b2-x", "12345678")]
    try:
        for folder in odd:
            folder.mkdir()
        assert_clear(build("build", root))
        assert all(folder.is_dir() for folder in odd)
    finally:
        for folder in odd:
            shutil.rmtree(folder, ignore_errors=True)


# --- two builds at once ---------------------------------------------------------------------------

def gate(folder: Path, slow: float = 0.0, delay: float = 0.0) -> str:
    """Fault injection: hold each build at the start of Output.commit until both are there (or 3 s),
    then wait ``delay`` seconds and move files in, ``slow`` seconds per file, as on a slow disk."""
    return f"""
        import os, time
        from pathlib import Path
        from publog.write import output
        _commit = output.Output.commit
        def commit(self, *a, **k):
            gate = Path({str(folder)!r})
            (gate / str(os.getpid())).touch()
            end = time.time() + 3
            while len(list(gate.iterdir())) < 2 and time.time() < end:
                time.sleep(0.005)
            time.sleep({delay})
            _replace = os.replace
            def replace(src, dst, *ra, **rk):
                time.sleep({slow})
                return _replace(src, dst, *ra, **rk)
            os.replace = replace
            try:
                return _commit(self, *a, **k)
            finally:
                os.replace = _replace
        output.Output.commit = commit
    """


def together(root: Path, folder: Path, *runs: tuple[tuple[str, ...], float, float]) -> list:
    """Two builds of ``root`` at once: each (arguments, seconds per file moved in, seconds of delay)."""
    folder.mkdir()
    procs = [spawn("build", root, *args, preamble=gate(folder, slow, delay)) for args, slow, delay in runs]
    return [collect(p, timeout=60) for p in procs]


@pytest.mark.slow
def test_two_first_builds_at_once_neither_crashes_nor_corrupts(journal, tmp_path: Path) -> None:
    root = journal(many_entries())
    runs = together(root, tmp_path / "gate", ((), 0, 0), ((), 0, 0))
    for run in runs:
        assert_clear(run)
    assert any(r.code == 0 for r in runs), [r.err for r in runs]
    assert site_bytes(root / "_site") == reference(journal, many_entries(), name="reference")
    assert staging_left(root) == []


@pytest.mark.slow
def test_two_builds_at_once_leave_one_whole_site(journal, tmp_path: Path) -> None:
    files = many_entries(drafts=2)
    root = journal(files)
    assert build("build", root).code == 0
    rewrite(root, "v2")
    plain = reference(journal, {**files, **many_entries(version="v2")}, name="plain")
    drafts = reference(journal, {**files, **many_entries(version="v2")}, "--drafts", name="drafts")
    # the --drafts build moves its files in slowly; the plain build starts moving in the middle of it
    runs = together(root, tmp_path / "gate", (("--jobs", "1", "--drafts"), 0.05, 0), (("--jobs", "1"), 0, 0.4))
    site = site_bytes(root / "_site")
    assert whole(site, plain, drafts), mixed(site, plain, drafts, ("plain", "--drafts"))
    for run in runs:
        assert_clear(run)


# --- files vanishing while the build reads them ---------------------------------------------------

def vanish_when(monkeypatch, method: str, trigger: Callable[[Path], bool], victim: Path) -> list[Path]:
    """Delete ``victim`` the first time pathlib.Path.<method> is called on a path ``trigger`` accepts."""
    real, fired = getattr(pathlib.Path, method), []

    def patched(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not fired and trigger(self):
            fired.append(self)
            if victim.is_dir():
                shutil.rmtree(victim)
            else:
                victim.unlink()
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, method, patched)
    return fired


def vanish_on_read(monkeypatch, trigger: Callable[[Path], bool], victim: Path) -> list[Path]:
    """Delete ``victim`` the first time publog reads a file ``trigger`` accepts (publog.read.files.read_bytes)."""
    real, fired = files_mod.read_bytes, []

    def patched(path):  # type: ignore[no-untyped-def]
        if not fired and trigger(Path(path)):
            fired.append(Path(path))
            victim.unlink()
        return real(path)

    monkeypatch.setattr(files_mod, "read_bytes", patched)
    return fired


def test_an_entry_deleted_after_the_folder_was_listed(journal, monkeypatch) -> None:
    root = journal(many_entries())
    assert build("build", root).code == 0
    before = snapshot(root / "_site")
    (root / "entries/2024-01-01-e0.md").write_text(entry("Changed", "2024-01-01"))
    (root / "entries/zz-last.md").write_text(entry("Last", "2024-03-01"))  # new: not in the cache, so read
    fired = vanish_on_read(monkeypatch, lambda p: p.name == "2024-01-01-e0.md", root / "entries/zz-last.md")
    result = build("build", root, "--jobs", "1")
    monkeypatch.undo()
    assert fired, "the fault was never injected: does publog still read entries with publog.read.files.read_bytes?"
    assert_clear(result)
    if result.code == 1:
        assert any(p.startswith("entries/zz-last.md:1: ") for p in problems(result)), result.err
        assert snapshot(root / "_site") == before
    else:
        assert not (root / "_site/2024/zz-last").exists()
    result = build("build", root)  # and the next build is simply without it
    assert result.code == 0, result.err
    assert not (root / "_site/2024/zz-last").exists() and (root / "_site/2024/e0/index.html").is_file()


def test_a_folder_of_entries_deleted_during_the_walk(journal, monkeypatch) -> None:
    files = {**many_entries(), **{f"entries/sub/n{i}.md": entry(f"Sub {i}", "2024-04-01") for i in range(5)}}
    root = journal(files)
    real, fired = os.scandir, []

    def scandir(path=".", *args, **kwargs):  # type: ignore[no-untyped-def]
        if not fired and Path(path) == root / "entries":
            fired.append(path)
            listing = list(real(path))  # listed while the folder was there
            shutil.rmtree(root / "entries/sub")
            return _Listing(listing)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    result = build("build", root, "--jobs", "1")
    monkeypatch.undo()
    assert fired, "the fault was never injected: does publog still list folders with os.walk/os.scandir?"
    assert_clear(result)
    assert result.code in (0, 1)


class _Listing:
    """What os.scandir returns, from a list: an iterator and a context manager."""

    def __init__(self, items: list) -> None:
        self._items = iter(items)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return self

    def __next__(self):  # type: ignore[no-untyped-def]
        return next(self._items)

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def close(self) -> None:
        return None


@pytest.mark.parametrize("victim", ["entries/chart.svg", "static/favicon.ico"])
def test_a_file_to_copy_deleted_during_the_build(victim: str, journal, monkeypatch) -> None:
    root = journal({**many_entries(), "entries/a.md": entry("Chart", "2024-05-01", body="![c](chart.svg)"),
                    "entries/chart.svg": "<svg/>", "static/favicon.ico": "ico"})
    assert build("build", root).code == 0
    before = snapshot(root / "_site")
    rewrite(root, "v2")
    (root / victim).write_text("changed, so the build must copy it again")
    fired = vanish_when(monkeypatch, "write_bytes", lambda p: bool(STAGING.search(str(p))), root / victim)
    result = build("build", root, "--jobs", "1")
    monkeypatch.undo()
    assert fired, "the fault was never injected"
    assert_clear(result)
    if result.code == 1:
        assert any(p.startswith(f"{victim}:") for p in problems(result)), result.err
        assert snapshot(root / "_site") == before
    else:  # built as if it had never been there
        assert not (root / "_site" / Path(victim).name).exists()
    assert staging_left(root) == []
