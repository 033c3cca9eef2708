"""The spare: the site a swap replaced, kept as the next build's staging folder.

Bringing it up to date touches only what changed: every file of the live site it
lacks is carried in as a hard link, and what the site no longer has is removed.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
from pathlib import Path
from typing import Callable, Container, Generator, Mapping

from .links import carry, is_folder, make_folder


# A kept site's files -> their (device, inode), or None where not known (then carried again).
Kept = dict[str, "tuple[int, int] | None"]
# A kept site's folders -> their (inode, change time): a file put in one, or taken out, changes its folder's.
Stamps = dict[str, "tuple[int, int]"]


def mirror(out: str, folder: Path, wanted: set[str], staged: set[str], pruned: bool, known: Kept | None = None,
            seen: dict[str, tuple[int, int]] | None = None, written: Mapping[str, tuple[str, int, int]] | None = None,
            every: bool = False) -> Kept:
    """Give ``folder`` every ``wanted`` file of the site in ``out`` that is not ``staged`` in it already,
    as a hard link to the live one; ``pruned``: first remove from it what the site does not have,
    looking through it unless ``known`` says what it holds; ``seen``: the inodes of live files,
    where they were looked up already. The live files' folders were looked at by the build (a file
    below a link is one it wrote). Returns what the folder holds then; ``written``: the manifest's entries,
    where what is returned is believed by later builds, and ``every`` (see mirror_steps)."""
    steps = mirror_steps(out, folder, wanted, staged, pruned, known, seen, checked=True, written=written, every=every)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]


_FILES_A_STEP = 256


def mirror_steps(out: str, folder: Path, wanted: set[str], staged: set[str], pruned: bool, known: Kept | None = None,
                 seen: dict[str, tuple[int, int]] | None = None, checked: bool = False,
                 written: Mapping[str, tuple[str, int, int]] | None = None, every: bool = False
                 ) -> Generator[None, None, Kept]:
    """``mirror``, yielding after every few hundred files it carries; ``checked``: the live files' folders
    were looked at already, else a file below a link put where the site has a folder is left out; ``written``:
    the manifest's entries of the files looked at: a file carried is looked at once more, and is known only if
    it is the one looked at, as it was written (_is); ``every``:
    so is a file the folder holds already (a hard link to the live one, which may have been written into since: the
    first build of a process, which knew nothing of the site before it looked)."""
    seen = seen or {}
    present: Kept = {}
    if pruned:
        present = _forget(folder, known, wanted) if known is not None else dict(_prune(folder, wanted))
    made: set[str] = set()  # folders looked at: a link where the site has a folder is replaced by one
    carried = 0
    into = str(folder)
    holds: Kept = dict.fromkeys(staged)
    real: dict[str, bool] = {}  # of the live site's folders
    for file in sorted(wanted - staged):
        if not checked and not within(out, os.path.dirname(file), real):
            holds[file] = None  # below a link where the site has a folder: the next build writes it
            continue
        live = os.path.join(out, file)
        inode = seen.get(file) or _inode(live)
        holds[file] = inode
        if file in present and present[file] is None:  # a file of the site the last build replaced
            present[file] = _inode(os.path.join(into, file))
        # The folder may have this very file already (renaming a link onto it would do nothing).
        there = file in present and present[file] == inode
        if not there:
            make_folder(into, os.path.dirname(file), made)
            # Where the folder's files are known rather than seen, a file may be there still: replace it.
            carry(live, os.path.join(into, file), replace=file in present or known is not None)
        if written is not None and (every or not there) and not _is(os.path.join(into, file), inode, written.get(file)):
            holds[file] = None  # replaced since it was looked at
        if not there:
            carried += 1
            if carried % _FILES_A_STEP == 0:
                yield
    return holds


def _forget(folder: Path, known: Kept, wanted: set[str]) -> Kept:
    """``_prune`` for a folder whose files are known: remove those the site does not have, and the
    folders they leave empty."""
    real: dict[str, bool] = {}
    for file in sorted(set(known) - wanted, reverse=True):
        if not within(str(folder), os.path.dirname(file), real):
            continue  # a link where the kept site had a folder: nothing through it is publog's (make_folder replaces it)
        try:
            os.unlink(os.path.join(folder, file))
        except (FileNotFoundError, IsADirectoryError):  # gone, or a folder of this build's site now
            pass
        parent = os.path.dirname(file)
        while parent:
            try:
                os.rmdir(os.path.join(folder, parent))
            except OSError:  # not empty: another file lives there
                break
            parent = os.path.dirname(parent)
    return {file: inode for file, inode in known.items() if file in wanted}


def within(base: str, rel: str, real: dict[str, bool]) -> bool:
    """Whether every part of ``base/rel`` is a folder, not a link (whose files are not the site's, however
    they look); ``real`` keeps the answers."""
    if not rel:
        return True
    if rel not in real:
        real[rel] = within(base, os.path.dirname(rel), real) and is_folder(os.path.join(base, rel))
    return real[rel]


def _inode(path: str) -> tuple[int, int] | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _is(path: str, inode: tuple[int, int] | None, written: tuple[str, int, int] | None) -> bool:
    """Whether the file at ``path`` is the one with ``inode``, as its manifest entry ``written`` says it was
    written, or without one a regular file (a file put in its place may have its freed inode number)."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    same = as_written(st, written) if written is not None else stat.S_ISREG(st.st_mode)
    return same and (st.st_dev, st.st_ino) == inode


def _prune(spare: Path, wanted: set[str]) -> dict[str, tuple[int, int]]:
    """Remove from the spare every file and folder the new site does not have; the regular
    files left, with their inodes (DirEntry gives them without a stat of each)."""
    folders = {"/".join(parts[:i]) for file in wanted for parts in [file.split("/")] for i in range(1, len(parts))}
    device = os.stat(spare).st_dev
    present: dict[str, tuple[int, int]] = {}
    pending = [("", str(spare))]
    while pending:
        rel, folder = pending.pop()
        with os.scandir(folder) as found:
            for item in found:
                name = f"{rel}/{item.name}" if rel else item.name
                if item.is_dir(follow_symlinks=False):
                    if name in folders:
                        pending.append((name, item.path))
                    else:
                        shutil.rmtree(item.path)
                elif name in wanted and item.is_file(follow_symlinks=False):
                    present[name] = (device, item.inode())
                else:
                    os.unlink(item.path)
    return present


def stamps(folder: Path, held: Kept, since: int) -> Stamps | None:
    """The stamps of ``folder`` and of every folder in it that holds a file of ``held``, which a look through
    it that began at ``since`` (clock) found it to hold; None where that cannot be told.

    A folder changed since (by that look, or by anyone) is looked in again, once the file system's clock has
    moved past its change: the clock ticks coarsely, and a change within the same tick would not show."""
    inside: dict[str, set[str]] = {"": set()}
    for file in held:
        parts = file.split("/")
        for i in range(len(parts)):
            inside.setdefault("/".join(parts[:i]), set()).add(parts[i])
    found: Stamps = {}
    for rel in inside:
        try:
            st = os.lstat(os.path.join(folder, rel))
        except OSError:
            return None
        if not stat.S_ISDIR(st.st_mode):
            return None
        found[rel] = (st.st_ino, st.st_ctime_ns)
    recent = [rel for rel, (_, changed) in found.items() if changed >= since]
    if not recent:
        return found
    last, waited = max(found[rel][1] for rel in recent), 0
    while (now := clock(folder)) is not None and now <= last and waited < 20:
        time.sleep(0.005)
        waited += 1
    if now is None or now <= last:
        return None  # a clock of seconds: the next build looks through the folder
    for rel in recent:
        try:
            st = os.lstat(os.path.join(folder, rel))  # before the listing: a change after it shows in this time
        except OSError:
            return None
        if st.st_ctime_ns >= now or not _lists(folder, rel, inside[rel], inside, held, set()):
            return None
        found[rel] = (st.st_ino, st.st_ctime_ns)
    return found


def _lists(folder: Path, rel: str, names: set[str], folders: Container[str], held: Kept, staged: set[str]) -> bool:
    """Whether the folder ``rel`` of ``folder`` holds ``names`` and nothing but folders among ``folders``,
    the very files ``held`` says (by inode) and files ``staged`` by this build."""
    try:
        items = list(os.scandir(os.path.join(folder, rel)))
    except OSError:
        return False
    if not names <= {item.name for item in items}:
        return False  # a file or folder taken out
    for item in items:
        name = f"{rel}/{item.name}" if rel else item.name
        if item.is_dir(follow_symlinks=False):
            if name not in folders:
                return False
        elif not item.is_file(follow_symlinks=False):
            return False
        elif name not in staged and ((inode := held.get(name)) is None or item.inode() != inode[1]):
            return False
    return True


def clock(folder: Path) -> int | None:
    """The time the file system gives a change now, beside ``folder``."""
    try:
        probe, name = tempfile.mkstemp(dir=folder.parent, prefix=".publog-clock-")
        try:
            return os.fstat(probe).st_ctime_ns
        finally:
            os.close(probe)
            os.unlink(name)
    except OSError:
        return None


def still(folder: Path, made: Stamps | None, held: Kept, staged: set[str]) -> bool:
    """Whether ``folder`` holds what ``held`` says, and the files ``staged`` in it since by this build, as the
    copy whose stamps are ``made`` left it: the folders the build wrote in are looked in again, the others'
    stamps compared (a file put in one, or taken out, changes its change time, which no user can set back).
    True where there are none to go by (publog serve's own site, which nothing else writes)."""
    if made is None:
        return True
    written = {""}
    for file in staged:
        parent = file.rpartition("/")[0]
        while parent not in written:
            written.add(parent)
            parent = parent.rpartition("/")[0]
    for rel, seen in made.items():
        if rel not in written:
            try:
                st = os.lstat(os.path.join(folder, rel))
            except OSError:
                return False
            if not stat.S_ISDIR(st.st_mode) or (st.st_ino, st.st_ctime_ns) != seen:
                return False
    expected: dict[str, set[str]] = {rel: set() for rel in written}
    for name in [*(file for file, inode in held.items() if inode is not None), *staged, *made, *written]:
        parent, _, base = name.rpartition("/")
        if name and parent in expected:
            expected[parent].add(base)
    folders = written | set(made)
    return all(_lists(folder, rel, expected[rel], folders, held, staged) for rel in written)


def recheck(folder: Path, kept: Kept, written: Mapping[str, tuple[str, int, int]] | None = None,
            waited: Callable[[], bool] | None = None) -> Kept:
    """``kept`` (what a folder's files are, as a build left them) looked at again: a file that is now
    another one (another inode, not a regular file, gone, or, given ``written``, the manifest's entries,
    of another size or time) becomes unknown (None), for the next build to look at. Once ``waited``
    says a build waits, the files not looked at yet become unknown too."""
    checked: Kept = {}
    base = str(folder)
    real: dict[str, bool] = {}
    stopped = False
    for n, (file, inode) in enumerate(kept.items()):
        stopped = stopped or (waited is not None and n % _FILES_A_STEP == 0 and waited())
        if stopped or inode is None or not within(base, os.path.dirname(file), real):
            checked[file] = None
            continue
        known = written.get(file) if written is not None else None
        checked[file] = inode if _is(os.path.join(base, file), inode, known) else None
    return checked


def as_written(st: os.stat_result, written: tuple[str, int, int]) -> bool:
    """Whether a file with the stats ``st`` is the one a manifest's entry (fingerprint, size, time) was written as."""
    return (st.st_size, st.st_mtime_ns) == written[1:] and stat.S_ISREG(st.st_mode)
