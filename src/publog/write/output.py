"""Bytes -> the output folder, all or nothing, touching only files that changed.

New and changed files are first written to a staging folder; only when every
page of the build has been written is the staging folder completed into a whole
site and swapped with the output folder in one step. A build that fails, or is
killed, leaves the previous site as it was, and a file whose bytes did not
change keeps its modification time (it is the same file, hard-linked), so
deploys by rsync stay small.

The site the swap replaced is kept in the build cache as the next build's
staging folder (the spare): bringing it up to date touches only what changed,
where making a whole new tree of thousands of folders, and removing the old
one, took most of a small rebuild. Its files share their inodes with the live
site's, so a file in it is only ever replaced (written beside, then renamed
over), never written into.

Nothing a link points to is publog's: a link in the output folder or in the kept
site is replaced or removed as a link, never written or deleted through; one named
as a staging folder is left alone; an output folder that is a link is refused.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import hashlib
import json
import os
import shutil
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from ..problems import Problem, error
from .links import beside_path, create, is_folder, make_folder, put, remove
from .spare import Kept, Stamps, as_written, mirror, mirror_steps, still, within

MARKER = ".publog"
_MARKER_TEXT = "This folder is written by publog; it replaces everything in it on each build.\n"


@dataclass(frozen=True)
class Manifest:
    """What the last build wrote: file -> (fingerprint, size, mtime_ns)."""

    files: dict[str, tuple[str, int, int]]

    @staticmethod
    def read(path: Path) -> Manifest:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            files = {k: (str(v[0]), int(v[1]), int(v[2])) for k, v in raw.items()}
        except (OSError, ValueError, TypeError, IndexError, AttributeError, KeyError, RecursionError):
            return Manifest({})
        return Manifest(files) if _inside(files) else Manifest({})  # a damaged one: as if there were none


def _inside(files: dict[str, tuple[str, int, int]]) -> bool:
    """Whether every name is a file's path inside the site, as a build writes them (build._clashes)."""
    names = "\0" + "\0".join(files) + "\0"
    return (names.count("\0") == len(files) + 1
            and not any(bad in names for bad in ("\0/", "/\0", "//", "/../", "\0../", "/..\0", "\0..\0",
                                                  "/./", "\0./", "/.\0", "\0.\0", "\0\0")))


def intact(out: Path, manifest: Manifest) -> bool:
    """Whether every file of ``manifest`` is in ``out`` as the build that wrote it left it (its size and time).

    Output.current for every file, without what a build needs of each (it showed in the check for an
    unchanged journal: 15,000 files at N=10000)."""
    lstat, folder = os.lstat, str(out) + os.sep  # a link is never what a build wrote
    try:
        for file, (_, size, mtime) in manifest.files.items():
            st = lstat(folder + file)
            if st.st_mtime_ns != mtime or st.st_size != size:
                return False
    except OSError:
        return False
    return True


def manifest_name(out: Path) -> str:
    return "output-" + hashlib.blake2b(str(out.resolve()).encode(), digest_size=8).hexdigest() + ".json"


def refuse(out: Path, root: Path, display: str) -> Problem | None:
    """Why publog must not write to ``out``, if it must not."""
    link = _link_on_the_way(out, root)
    if link is not None:
        return error(display, 1, f"{'is' if link == out else f'is reached through {link}, which is'} a link; publog "
                                 "replaces the output folder as a whole and never writes through a link: give the "
                                 "folder it points to with --out, or make it a real folder")
    resolved, journal = out.resolve(), root.resolve()
    if resolved == journal or resolved in journal.parents or resolved == Path.home().resolve():
        return error(display, 1, "the output folder would contain the journal itself; choose another --out folder")
    if out.exists() and not out.is_dir():
        return error(display, 1, "the output path is a file, not a folder; choose another --out folder")
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        return error(
            display, 1,
            "this folder holds files publog did not write (it has no .publog marker), so publog "
            "will not replace it; empty it, or choose another --out folder",
        )
    return None


def _link_on_the_way(out: Path, root: Path) -> Path | None:
    """The output folder, if it is a link; or a link in the journal the path to it goes through."""
    out, root = Path(os.path.abspath(out)), Path(os.path.abspath(root))
    below = out.relative_to(root).parts if out.is_relative_to(root) else ()
    for path in [root.joinpath(*below[:i]) for i in range(1, len(below))] + [out]:
        if path.is_symlink():
            return path
    return None


class Output:
    """One build's writes to an output folder."""

    def __init__(self, out: Path, manifest: Manifest, spare: Path | None = None, spare_files: Kept | None = None,
                 ours: bool = False, live: Kept | None = None, spare_stamps: Stamps | None = None):
        """``spare``: where the previous site is kept between builds, on the output folder's file system.
        ``ours``: this process wrote the output folder and ``manifest`` says exactly what it holds.
        ``spare_files``: what the spare holds, as this process left it (``left``), which is not looked through
        again; given where this process knows the spare, whether or not it wrote the output folder. ``live``,
        for a folder nothing else writes to (publog serve's own site): what its files are, as this process
        left them; those are not looked at again (``current``). ``spare_stamps``: the folders of the copy
        ``spare_files`` describes (spare.stamps), which commit looks at again before it believes it."""
        self.out = out
        self._out = str(out)  # joined as text: Path's joins showed on sites of thousands of pages
        self.manifest = manifest
        self.staging = out.parent / f".{out.name}.publog-staging-{os.getpid()}"
        self.fresh = not out.is_dir() or not any(out.iterdir())
        self.spare = spare if spare is not None and _same_device(spare.parent, out) else None
        self.in_spare = False  # whether this build completes the spare rather than a new folder
        self.ours = ours
        self.spare_files = spare_files
        self._stamps = spare_stamps
        self.left: Kept | None = self.spare_files  # what the spare holds, while that is known
        # and once the build is done. Where another process wrote the site, this build looks at every file it keeps.
        self.live = (live if ours and not self.fresh else {}) if live is not None else None
        self._inodes: dict[str, tuple[int, int]] = {}  # of the output folder's files, as current() saw them
        self._made: set[str] = set()  # folders of the spare known to be folders (make_folder)
        self._real: dict[str, bool] = {}  # folders of the output folder, and whether each is one, not a link

    def current(self, file: str, fingerprint: str) -> bool:
        """Whether ``file`` in the output folder is what the last build wrote for this fingerprint."""
        known = self.manifest.files.get(file)
        if known is None or known[0] != fingerprint:
            return False
        inode = self.live.get(file) if self.live is not None else None
        if inode is not None:
            self._inodes[file] = inode
            return True
        folder = file.rpartition("/")[0]
        if not (self._real.get(folder) or within(self._out, folder, self._real)):
            return False  # below a link put where the site has a folder: what is there is not the site's
        try:
            st = os.lstat(f"{self._out}/{file}")  # a link is never what a build wrote
        except OSError:
            return False
        self._inodes[file] = (st.st_dev, st.st_ino)
        return as_written(st, known)

    def begin(self) -> None:
        self.left = None  # the spare changes from here on
        # Staging folders of builds that were killed: no other build runs (the build holds the journal's lock).
        for stale in [*self.out.parent.glob(f".{self.out.name}.publog-staging-*"),
                      *self.out.parent.glob(f".{self.out.name}.publog-replaced-*"),
                      self.out.with_name(self.out.name + ".publog-previous")]:
            if is_folder(stale):  # a link of that name is not publog's: left as it is
                shutil.rmtree(stale, ignore_errors=True)
        if self.spare is not None and not is_folder(self.spare):
            remove(str(self.spare))  # a file or link in its place: removed itself, never what a link points to
        if self.spare is not None and self.spare.is_dir():
            if not self.fresh:
                self.staging, self.in_spare = self.spare, True
                return
            shutil.rmtree(self.spare, ignore_errors=True)  # the site it was kept for is gone
        self.staging.mkdir(parents=True)
        if self.fresh:
            self.write(MARKER, _MARKER_TEXT.encode())

    def write(self, file: str, data: bytes) -> bool:
        """Stage ``data`` for ``file``; False when the output folder has these bytes already."""
        if not self.fresh and within(self._out, os.path.dirname(file), self._real):
            existing = self.out / file
            try:
                st = existing.lstat()
                if stat.S_ISREG(st.st_mode) and st.st_size == len(data) and existing.read_bytes() == data:
                    return False
            except OSError:
                pass
        target = self.staging / file
        if self.in_spare:
            # The spare's file may be a hard link to the live site's: write beside it, then replace it. Its
            # folders are looked at first: the kept site may hold a link where this site has a folder.
            make_folder(str(self.staging), os.path.dirname(file), self._made)
            beside = beside_path(str(target))
            create(beside, data)
            put(beside, str(target))
            return True
        try:
            target.write_bytes(data)
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return True

    def abort(self) -> None:
        # Never raises: it runs while handling an error. A half-updated spare is kept: the next build
        # brings any state of it up to date.
        if not self.in_spare:
            shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self, files: dict[str, str], staged: set[str], replaced: Callable[[Path], None] | None = None) -> Manifest:
        """Make the output folder hold exactly ``files`` (file -> fingerprint), in one step.

        The staging folder is made a whole site first (files that did not change are hard
        links to the ones in the output folder, so they keep their modification time), then
        the two folders trade places in one atomic rename: a reader, or a build killed at
        any moment, sees the old site or the new one, never a mix. ``replaced``: given the old site's
        folder, where it is not kept as the spare, to delete it later; else it is deleted now.
        """
        if not self.fresh and self.write(MARKER, _MARKER_TEXT.encode()):
            staged = staged | {MARKER}
        if self.fresh:
            if self.out.is_dir():
                self.out.rmdir()
            self.out.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.staging, self.out)
            if self.live is not None:
                self.live = {}
        else:
            known = self.spare_files if self.in_spare else None
            if known is not None and not still(self.staging, self._stamps, known, staged):
                known = None  # changed while the pages rendered: looked through
            holds = mirror(self._out, self.staging, set(files) | {MARKER}, staged, self.in_spare, known, self._inodes,
                           self.manifest.files if self.live is not None else None, every=not self.ours)
            _exchange(self.staging, self.out)
            if self.live is not None:
                self.live = holds
            self._keep_previous(replaced)
            # The spare is the site this build replaced: the last build's files, as current() saw them, where
            # nothing else writes to that folder (publog serve's own). Elsewhere a file put there by hand went
            # with it, which no build made; the next look through the spare (mirroring, commit) removes it.
            if self.ours and self.live is not None:
                self.left = {file: self._inodes.get(file) for file in [*self.manifest.files, MARKER]}
        entries = {}
        for file, fingerprint in files.items():
            old = self.manifest.files.get(file)
            if file not in staged and old is not None and old[0] == fingerprint:
                entries[file] = old
            else:
                st = os.lstat(os.path.join(self._out, file))  # a link put in its place is never as written
                entries[file] = (fingerprint, st.st_size, st.st_mtime_ns)
                if self.live is not None and stat.S_ISREG(st.st_mode):  # written by this build: known, as the kept ones
                    self.live[file] = (st.st_dev, st.st_ino)
        return Manifest(entries)

    def mirroring(self) -> Iterator[None]:
        """Make the kept previous site a copy of the live one now, while nothing waits for it, a few hundred
        files between yields: after a build that wrote most of the site, or into an empty folder (which
        leaves no previous site), the next build would otherwise carry every file into it. A copy left
        half made is finished by the next build, which then looks through it."""
        if self.spare is None or self.fresh:
            return
        self.left = None
        wanted = set(self.manifest.files) | {MARKER}
        if not is_folder(self.spare) and os.path.lexists(self.spare):
            remove(str(self.spare))
        if self.spare.is_dir():
            known = self.spare_files if self.spare_files is not None and still(self.spare, self._stamps, self.spare_files,
                                                                                    set()) else None
            held = yield from mirror_steps(self._out, self.spare, wanted, set(), True, known)
        else:
            self.spare.mkdir(parents=True)
            held = yield from mirror_steps(self._out, self.spare, wanted, set(), False)
        self.left = held  # looked through, or known: what the spare holds now either way

    def _keep_previous(self, replaced: Callable[[Path], None] | None) -> None:
        """The staging folder holds the previous site now: keep it as the spare, or remove it (now, or
        by ``replaced`` under a name no later build stages in)."""
        if self.in_spare:
            return
        if self.spare is not None:
            try:
                self.spare.parent.mkdir(parents=True, exist_ok=True)
                remove(str(self.spare))
                os.replace(self.staging, self.spare)
                return
            except OSError:
                pass
        if replaced is not None:
            later = self.out.parent / f".{self.out.name}.publog-replaced-{os.getpid()}-{time.monotonic_ns()}"
            try:
                os.replace(self.staging, later)
                replaced(later)
                return
            except OSError:
                pass
        shutil.rmtree(self.staging, ignore_errors=True)


def _same_device(folder: Path, out: Path) -> bool:
    """Whether a folder made in ``folder`` can trade places with ``out`` (one file system)."""
    mine = _device(folder)
    return mine is not None and mine == _device(out.parent)


def _device(path: Path) -> int | None:
    """The file system of ``path``, or of the nearest folder above it that exists."""
    for candidate in (path, *path.parents):
        try:
            return os.stat(candidate).st_dev
        except OSError:
            continue
    return None


def _exchange(new: Path, out: Path) -> None:
    """Swap two folders in one step (Linux's renameat2 with RENAME_EXCHANGE); elsewhere, in two
    renames with a moment between them in which the output folder is missing, never mixed."""
    libc_exchange = _renameat2()
    if libc_exchange is not None:
        if libc_exchange(-100, os.fsencode(new), -100, os.fsencode(out), 2) == 0:  # AT_FDCWD, RENAME_EXCHANGE
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise OSError(code, os.strerror(code), str(out))
    previous = out.with_name(out.name + ".publog-previous")
    shutil.rmtree(previous, ignore_errors=True)
    os.replace(out, previous)
    os.replace(new, out)
    os.replace(previous, new)


@functools.cache
def _renameat2() -> Any:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError, TypeError):  # not Linux; TypeError: Windows
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


def save_manifest(path: Path, manifest: Manifest) -> None:
    """Keep what was written; without it the next build compares bytes instead, which is slower, not wrong."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(manifest.files, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        try:
            path.unlink()  # a stale manifest would be worse than none
        except OSError:
            pass
