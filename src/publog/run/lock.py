"""The journal's build lock: two builds of one journal never change its output and cache at once.

A build takes it once its settings are known to be good (a refused build writes nothing at all); the
kept build process and `publog serve` take it for each step of mirroring the site between builds.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from . import cache as cache_mod

try:
    import fcntl
except ImportError:  # Windows: builds run unguarded, one at a time by the author's own care
    fcntl = None  # type: ignore[assignment]


@contextmanager
def journal_lock(root: Path) -> Iterator[None]:
    """Held while a build of ``root`` runs; a second build waits for the first."""
    handle = _lock(root) if fcntl is not None else None
    if handle is None:  # a read-only or full journal folder: build, unguarded, rather than not at all
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes, even if the process is killed
        yield
    finally:
        os.close(handle)


def _lock(root: Path) -> int | None:
    """The file a build locks: ``lock`` in the cache folder, or the journal's folder itself, where the cache
    folder is not publog's to write in (cache.refusal) and nothing may be made in it."""
    if cache_mod.refusal(root) is None:
        folder = root / cache_mod.CACHE_DIR
        try:
            folder.mkdir(parents=True, exist_ok=True)
            return os.open(folder / "lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except OSError:
            pass
    try:
        return os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None
