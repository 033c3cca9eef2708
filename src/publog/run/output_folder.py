"""The output folder as a build finds it: its manifest, the kept previous site a new one is made in,
the rehearsal `publog check` renders into, and mirroring the site into the kept one between builds.

What a Session remembers of both is believed only while the manifest on disk is the one it saved.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable, Generator

from . import cache as cache_mod
from ..write import output as output_mod
from ..write import spare as spare_mod
from .lock import journal_lock
from .session import Session, Stamp


class Rehearsal(output_mod.Output):
    """The output folder as `publog check` renders into it: the pages a build would write are rendered and
    checked as the build would, and their bytes dropped. The folder is looked at, never written."""

    def __init__(self, target: output_mod.Output):
        self.__dict__.update(target.__dict__)
        self.spare = self.left = None

    def begin(self) -> None:
        pass

    def write(self, file: str, data: bytes) -> bool:
        return False

    def commit(self, files: dict[str, str], staged: set[str], replaced: Callable[[Path], None] | None = None
               ) -> output_mod.Manifest:
        return self.manifest

    def abort(self) -> None:
        pass


def target(session: Session, out: Path, served: bool = False) -> tuple[Path, output_mod.Output]:
    """Where the manifest of ``out`` is kept, and the output folder as the last build left it.

    What the kept previous site holds is known without looking when this session wrote it and the
    manifest on disk is still the one it saved; so is what the output folder holds, for publog serve
    (``served``) when it is also in the cache folder, which nothing else writes to: serve looks at its
    files again in a pause (``recheck``). Any other writer of the manifest makes the next build look.
    """
    store = session.cache
    manifest_path = _manifest(session, out)
    if not store.usable:  # nothing in the cache folder is read or written
        return manifest_path, output_mod.Output(out, output_mod.Manifest({}))
    spare = _spare(session, manifest_path) if store.writable else None
    known = session.spare_files.pop(str(out), None)  # the caller keeps the target's ``left`` again
    kept = session.manifests.get(str(manifest_path))
    live = session.live_files.pop(str(out), None) if served else None  # the caller keeps ``live`` again
    now = stamp(manifest_path)
    # What this session found the kept previous site to hold as it made it a copy of the output folder
    # (mirroring): believed while no build changed it (claim) and, as Output looks before it uses it, no
    # one put a file in it or took one out. Only publog serve's own site, which nothing else writes to, is
    # believed as its last build left it.
    copied = session.copies.get(str(manifest_path))  # by the manifest, whichever way the output folder was named
    made = None
    if copied is not None or not served:
        known = None
        if copied is not None and now is not None and copied[0] == now and spare is not None:
            _, made, known = copied
    if served and live is None and os.path.abspath(out).startswith(os.path.abspath(store.dir) + os.sep):
        live = {}  # known from now on, where this session wrote the site, or makes it now
    if kept is not None and kept[0] is not None and kept[0] == now:
        return manifest_path, output_mod.Output(out, kept[1], spare, known, ours=True, live=live, spare_stamps=made)
    # The copy made after a build that found the journal unchanged, say: known; what the output folder holds is not.
    return manifest_path, output_mod.Output(out, output_mod.Manifest.read(manifest_path), spare,
                                            known if made is not None else None, live=live, spare_stamps=made)


def _manifest(session: Session, out: Path) -> Path:
    return session.cache.dir / output_mod.manifest_name(out)


def _spare(session: Session, manifest_path: Path) -> Path:
    return session.cache.dir / ("site-" + manifest_path.stem)


def recheck(session: Session, out: Path, waited: Callable[[], bool] | None = None) -> None:
    """Look again at what the session knows of ``out`` and of its kept previous site without looking (publog
    serve's own site, in a pause between builds): a file another process changed there is made again by the
    next build, rather than kept, or swapped back in from the previous site. Once ``waited`` says a save waits
    for its build, what is not looked at yet is left for that build to look at."""
    manifest_path = _manifest(session, out)
    kept = session.manifests.get(str(manifest_path))
    live = session.live_files.get(str(out))
    if live is not None and kept is not None:
        session.live_files[str(out)] = spare_mod.recheck(out, live, kept[1].files, waited)
    known = session.spare_files.get(str(out))
    if known is not None:
        session.spare_files[str(out)] = spare_mod.recheck(_spare(session, manifest_path), known, waited=waited)


def stamp(path: Path) -> Stamp:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


def claim(session: Session, manifest_path: Path) -> None:
    """Before a build changes the output folder or its kept previous site: their manifest (``target``'s) is made a
    new file with the same bytes, so that no other session believes what it knows of either any longer, however
    this build ends (one that fails leaves what it staged in the kept previous site). Its inode is new whatever
    the clock says. Nothing for a session that writes nothing, as a check's. This session forgets the copy it
    made (mirroring), which the build changes."""
    session.copies.pop(str(manifest_path), None)  # the kept previous site is about to change
    if not (session.cache.usable and session.cache.writable):
        return
    fresh = manifest_path.with_name(f".{manifest_path.name}.{os.getpid()}")
    try:
        shutil.copyfile(manifest_path, fresh, follow_symlinks=False)
        os.replace(fresh, manifest_path)
    except FileNotFoundError:
        pass  # none to believe
    except OSError:
        try:
            manifest_path.unlink()  # a manifest another session believes would be worse than none
        except OSError:
            pass


def mirror_spare(root: Path, out: Path, session: Session) -> None:
    """After a build that wrote most of the site, or into an empty folder, make the previous site kept
    for the next build a copy of this one (Output.mirroring); publog serve does it between saves."""
    for _ in mirroring(root, out, session):
        pass


def mirroring(root: Path, out: Path, session: Session) -> Generator[None, None, None]:
    """``mirror_spare`` a few hundred files at a time, for a process that has builds to run between them
    (run/daemon.py); the journal is locked during each step, not between them. What the copy holds is
    trusted only if no build replaced the site meanwhile; a copy left half made is finished by the next
    build, which then looks through it."""
    if not session.cache.usable or cache_mod.refusal(root) is not None:
        return
    with journal_lock(root):
        since = spare_mod.clock(_spare(session, _manifest(session, out)))  # before anything of the copy is looked at
        manifest_path, folder = target(session, out)
        before = stamp(manifest_path)
        steps = folder.mirroring()
    while True:
        if not (root / cache_mod.CACHE_DIR).is_dir():  # deleted meanwhile: taking the lock would make it again
            return
        with journal_lock(root):
            if stamp(manifest_path) != before:  # another build swapped a site in between two steps
                return
            try:
                next(steps)
            except StopIteration:
                made = (spare_mod.stamps(folder.spare, folder.left, since)
                        if folder.left is not None and folder.spare is not None and since is not None else None)
                if made is not None:
                    session.spare_files[str(out)] = folder.left
                    session.copies[str(manifest_path)] = (before, made, folder.left)
                return
        yield
