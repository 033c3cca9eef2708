"""The search index: Pagefind's files for the published entries, made only when what they index changed.

Pagefind has no incremental mode and takes seconds on a large journal, so its
files are kept in the build cache under a fingerprint of every indexed entry
and copied into the site like static files; an unchanged journal reuses them.
Only published entries go in (never drafts), and only their own text (title, summary, body).
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path
from typing import Callable

from ..journal.model import Entry, Journal
from ..problems import Problem, warning
from ..urls import Urls, output_file

VERSION = "2"  # of what an index holds: a new one remakes every kept index


def _pagefind() -> Path | None:
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    return get_executable()


def fingerprint(journal: Journal) -> str:
    """Of everything the index holds: a changed body, title, URL or kind makes a new index."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{VERSION}:{journal.config.language}:{journal.config.base_url}".encode())
    for e in _indexed(journal):
        h.update(repr((e.url, e.title, e.summary, e.digest, e.kind, e.topics, e.date, e.links)).encode())
    return h.hexdigest()


def index(journal: Journal, body_html: Callable[[str], str], folder: Path,
          wait: Callable[[], None] | None = None) -> tuple[list[tuple[str, str, str]], list[Problem]]:
    """Pagefind's files for the journal, made in (or reused from) ``folder / fingerprint``.

    Returns (site file, source path, stamp) of each, as the site's static files are given to
    the pages stage, and a warning if Pagefind cannot run. ``wait``: the index is made in the
    background (publog serve); it is called every few pages and returns once the work that
    comes first (a build) is done, and Pagefind runs at a lower priority.
    """
    if not _indexed(journal):
        return [], []  # nothing to find: no index, and no search page (see pages.plan)
    key = fingerprint(journal)
    made = folder / key
    problems = refused(journal, folder)
    if problems:
        _discard(made)
    if not (made / "done").is_file():
        executable = _pagefind()
        if executable is None:
            return [], [warning("publog.yaml", 1, "search is on but Pagefind is not installed (pip install 'pagefind[bin]'); "
                                "the site is built without search, or set 'search: false'")]
        staging = folder / f"{key}.tmp"
        _discard(staging)
        try:
            _write(journal, body_html, staging, executable, wait)
            (staging / "done").write_text(key)
            staging.rename(made)
        except (OSError, subprocess.SubprocessError) as exc:
            _discard(staging)
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            return [], [*problems, warning("publog.yaml", 1, f"the search index could not be made ({why}); the site is built without search")]
    for other in folder.iterdir():  # one index is kept: the one just made or reused
        if other.name != key:
            _discard(other)
    return _files(made) or [], problems


def refused(journal: Journal, folder: Path) -> list[Problem]:
    """A warning when the journal's kept index holds a link or a special file: it is never used,
    and `index` deletes it and makes it again (`publog check` says so and leaves it)."""
    made = folder / fingerprint(journal)
    if not (made / "done").is_file() or _files(made) is not None:
        return []
    return [warning(".publog-cache", 1, "the kept search index holds a link or a special file, which publog never "
                                        "follows or publishes; a build deletes it and makes the index again")]


def ready(journal: Journal, folder: Path) -> list[tuple[str, str, str]] | None:
    """The files of the journal's index if it is made already (and holds no link), else None."""
    made = folder / fingerprint(journal)
    return _files(made) if (made / "done").is_file() else None


def latest(folder: Path) -> list[tuple[str, str, str]]:
    """The files of the index made last, whatever it holds: what `publog serve` shows while the next is made."""
    made = [d for d in folder.glob("*") if (d / "done").is_file() and _files(d) is not None] if folder.is_dir() else []
    return _files(max(made, key=lambda d: (d / "done").stat().st_mtime_ns)) or [] if made else []


def _files(made: Path) -> list[tuple[str, str, str]] | None:
    """The regular files of an index; None when it, or anything in it, is a link or a special file.

    The cache may come with a cloned repository: a link in a kept index could point anywhere
    (~/.ssh/...), and what is listed here is copied into the site, so nothing is followed."""
    found: list[tuple[str, str, str]] = []
    pending = [made]
    while pending:
        here = pending.pop()
        try:
            if not stat.S_ISDIR(os.lstat(here).st_mode):
                return None
            items = list(os.scandir(here))
        except OSError:
            return None
        for item in items:
            mode = item.stat(follow_symlinks=False).st_mode
            if stat.S_ISDIR(mode):
                pending.append(Path(item.path))
            elif not stat.S_ISREG(mode):
                return None
            elif here != made:  # the index proper is below pagefind/; "done" is publog's
                path = Path(item.path)
                found.append((path.relative_to(made).as_posix(), str(path), made.name))
    return sorted(found)


def _discard(path: Path) -> None:
    """Delete a kept index, never through a link: a link itself is removed, not what it points to."""
    try:
        if stat.S_ISDIR(os.lstat(path).st_mode):
            shutil.rmtree(path, ignore_errors=True)  # does not follow the links inside
        else:
            path.unlink()
    except OSError:
        pass


def _indexed(journal: Journal) -> list[Entry]:
    """Drafts are never indexed, not even in a --drafts preview: an index is easily copied around."""
    return [e for e in journal.entries if not e.draft]


def _write(journal: Journal, body_html: Callable[[str], str], staging: Path, executable: Path,
           wait: Callable[[], None] | None) -> None:
    """Pagefind over one small page per entry: its own text only, at the URL of its page."""
    from .templates import resolve_links  # with Jinja2, which a build that renders nothing never loads

    urls = Urls(journal.config.base_url)
    # Thousands of small files, read once and deleted: in memory where the system offers it.
    memory = Path("/dev/shm")
    pages = Path(tempfile.mkdtemp(prefix="publog-search-", dir=memory if os.access(memory, os.W_OK) else staging.parent))
    language = journal.config.language.split("-")[0] or "en"
    try:
        for n, entry in enumerate(_indexed(journal)):
            if wait is not None and n % 32 == 0:
                wait()
            # At the file that serves the URL: a folder named x.html (for an old site's /x.html) is no page to
            # Pagefind, which retried reading it and left the entry out.
            file = pages / output_file(urls.page(entry.url))
            file.parent.mkdir(parents=True, exist_ok=True)
            kind = f'<p data-pagefind-filter="kind">{html.escape(entry.kind)}</p>' if entry.kind else ""
            file.write_text(
                f'<!doctype html><html lang="{language}"><head><title>{html.escape(entry.title)}</title></head><body>'
                f'<main data-pagefind-body data-pagefind-meta="date:{entry.date.date().isoformat()}">'
                f"<h1>{html.escape(entry.title)}</h1>{kind}<p>{html.escape(entry.summary)}</p>"
                f"{_tex_for_math(resolve_links(body_html(entry.digest), entry.links, urls))}</main></body></html>",
                encoding="utf-8",
            )
        nice = shutil.which("nice") if wait is not None else None
        subprocess.run(
            [*([nice, "-n", "10"] if nice else []), str(executable), "--site", str(pages),
             "--output-path", str(staging / "pagefind"), "--force-language", language, "--silent"],
            check=True, capture_output=True, timeout=600,
        )
    finally:
        shutil.rmtree(pages, ignore_errors=True)


_MATH = re.compile(r"<math\b.*?</math>", re.S)
_TEX = re.compile(r'<annotation encoding="application/x-tex">(.*?)</annotation>', re.S)


def _tex_for_math(body: str) -> str:
    """A formula as the TeX its author wrote: its MathML's symbols, one element each, are words no reader
    searches for, and made long posts cost Pagefind twice as much."""
    if "<math" not in body:
        return body
    return _MATH.sub(lambda m: f" {found.group(1)} " if (found := _TEX.search(m.group(0))) else " ", body)
