"""Files and folders written without ever going through a link.

A link in the output folder or in the kept site is replaced or removed as a link,
never written or deleted through; a file that may be a hard link to the live
site's is replaced (written beside, then renamed over), never written into.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path
from typing import Iterator


def beside_path(path: str) -> str:
    """Where a file that replaces ``path`` is written first: a file in the spare is never written into."""
    folder, name = os.path.split(path)
    return os.path.join(folder, f".{name}.publog-new")


def carry(old: str, new: str, replace: bool = False) -> None:
    """Put an unchanged file of the site into the new one: a hard link, or a copy where links are
    refused. ``replace``: a file is there already, and is replaced, never written into."""
    target = beside_path(new) if replace else new
    if replace:
        remove(target)  # left by a killed build
    try:
        os.link(old, target, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        shutil.copy2(old, target, follow_symlinks=False)
    if replace:
        os.replace(target, new)


def is_folder(path: Path) -> bool:
    """Whether ``path`` is a folder itself, not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def remove(path: str) -> None:
    """Remove a file or folder publog made, if it is there: a link itself, never what it points to."""
    try:
        if stat.S_ISDIR(os.lstat(path).st_mode):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)
    except OSError:
        pass


def removing(path: str, step: int = 500) -> Iterator[None]:
    """``remove(path)``, a folder ``step`` files at a time, for a process that has builds to run between
    them: what is in it is unlinked, never followed, as a link is a file here."""
    pending, done = [path], 0
    folders = []
    while pending:
        here = pending.pop()
        try:
            with os.scandir(here) as items:
                listed = list(items)
        except OSError:
            continue
        folders.append(here)
        for item in listed:
            if item.is_dir(follow_symlinks=False):
                pending.append(item.path)
                continue
            try:
                os.unlink(item.path)
            except OSError:
                pass
            done += 1
            if done % step == 0:
                yield
    for folder in reversed(folders):  # each after the folders below it
        try:
            os.rmdir(folder)
        except OSError:
            pass


def make_folder(base: str, rel: str, made: set[str]) -> None:
    """Make ``base/rel`` a folder whose every part is a folder, not a link: in a kept site, a link or a
    file that stands where this site has a folder is removed (the link itself) and a folder made."""
    if not rel or rel in made:
        return
    make_folder(base, os.path.dirname(rel), made)
    path = os.path.join(base, rel)
    for _ in range(3):  # render workers make the same folders at once
        try:
            os.mkdir(path)
            break
        except FileExistsError:
            if is_folder(Path(path)):
                break
            remove(path)
    made.add(rel)


def create(path: str, data: bytes) -> None:
    """Write a new file at ``path``, never through a link, never into a file that is there (a hard link
    to the live site's, left by a killed build): what is there is removed first."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        handle = os.open(path, flags, 0o666)
    except FileExistsError:
        remove(path)
        handle = os.open(path, flags, 0o666)
    with open(handle, "wb") as file:
        file.write(data)
