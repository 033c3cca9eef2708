"""Rendering a build's pages: in this process, or, for many pages, in a pool of forked workers too.

What renders and writes a share of the pages is the build's (run/build.py); this module only deals
the pages out, gathers which files were staged, and tells the build's progress hook as it goes.
The social cards to draw are dealt out the same way (render/social_cards.py).
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
from typing import Any, Callable, TypeVar

from ..site.pages import Page

T = TypeVar("T")

# Below this many pages to render, a process pool costs more than it saves.
RENDER_POOL_THRESHOLD = 100

Progress = Callable[[str, int, int], None]
# Renders and writes some pages; the files it staged.
Work = Callable[[list[Page]], list[str]]

# Set in each render worker process by _start_worker; the main process never sets it.
_worker: tuple[Callable[[list[Any]], list[str]], list[Any]] | None = None


def _start_worker(work: Callable[[list[Any]], list[str]], pages: list[Any]) -> None:
    global _worker
    _worker = (work, pages)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the workers too: the build stops, they say nothing


def _render_slice(indices: range) -> tuple[int, list[str]]:
    assert _worker is not None
    work, pages = _worker
    return len(indices), work([pages[i] for i in indices])


def give_back_memory() -> None:
    """Return the memory of what was read and thrown away to the system (glibc keeps it otherwise),
    so that the render workers are forked from a smaller process."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError, TypeError):  # not glibc (Windows cannot even open the C library so)
        pass


def render(pages: list[T], work: Callable[[list[T]], list[str]], jobs: int, progress: Progress | None = None,
           shared: Callable[[list[T]], None] | None = None) -> set[str]:
    """Every page of ``pages`` rendered and written by ``work``; the files staged. ``shared`` makes what many
    pages share, here, before any worker is forked: made once, not once a process."""
    if shared is not None:
        shared(pages)
    step = max(16, len(pages) // (max(jobs, 1) * 8))
    slices = [range(i, min(i + step, len(pages))) for i in range(0, len(pages), step)]
    done: set[str] = set()
    if jobs <= 1 or len(pages) < RENDER_POOL_THRESHOLD or not hasattr(os, "fork"):  # workers are forked
        for part in slices:
            done.update(work([pages[i] for i in part]))
            if progress:
                progress("rendering", part.stop, len(pages))
        return done
    # Workers are forked after the plan exists, so they share it without pickling; this process renders
    # its share too rather than wait, one copy of the build fewer in memory. Frozen, the objects that exist
    # now are left alone by the workers' garbage collector, whose visits would copy every page of them.
    give_back_memory()
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs - 1, initializer=_start_worker, initargs=(work, pages)) as pool:
            theirs = pool.imap_unordered(_render_slice, [part for n, part in enumerate(slices) if n % jobs])
            count = 0

            def collect(wait: bool) -> None:
                nonlocal count
                while True:
                    try:
                        rendered, files = theirs.next(timeout=None if wait else 0)
                    except (StopIteration, multiprocessing.TimeoutError):
                        return
                    count += rendered
                    done.update(files)
                    if progress:
                        progress("rendering", count, len(pages))

            for part in slices[::jobs]:
                done.update(work([pages[i] for i in part]))
                count += len(part)
                collect(wait=False)
            collect(wait=True)
    finally:
        gc.unfreeze()
    if progress:
        progress("rendering", len(pages), len(pages))
    return done


def jobs(requested: int) -> int:
    if requested > 0:
        return requested
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
