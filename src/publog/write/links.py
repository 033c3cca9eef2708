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
        put(target, new)
        remove(target)  # where both were that file already, the rename did nothing and left it


def put(made: str, path: str) -> None:
    """Rename ``made``, a file made beside ``path``, to ``path``. A folder of the kept site there (a page that
    was /b.html/ where this site's is the file /b.html) is removed, once the rename finds it."""
    try:
        os.replace(made, path)
    except IsADirectoryError:
        shutil.rmtree(path)  # a real folder: a rename replaces a link itself, and rmtree refuses one
        os.replace(made, path)


def is_folder(path: str | Path) -> bool:
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
    them. Never through a link: each folder is opened without following one and emptied through its
    descriptor (as shutil.rmtree does), so one put in a folder's place between two steps is not entered."""
    try:
        top = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:  # a link or a file where the folder was: removed itself, never what a link points to
        remove(path)
        return
    # The folders being emptied, each with the names left in it: a list, not recursion, as a tree may be deep.
    open_folders: list[tuple[int, list[tuple[str, int]]]] = []
    done = 0
    try:
        open_folders.append((top, _listed(top)))
        while open_folders:
            folder, left = open_folders[-1]
            if not left:
                open_folders.pop()
                if folder != top:
                    os.close(folder)
                continue
            name, kind = left.pop()
            if kind == _FOLDER:
                try:
                    inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=folder)
                except OSError:  # a link put in its place: unlinked below as a file
                    kind = _FILE
                else:
                    left.append((name, _EMPTIED))
                    open_folders.append((inner, _listed(inner)))
                    continue
            try:
                if kind == _EMPTIED:
                    os.rmdir(name, dir_fd=folder)  # a link put in its place is no folder: left
                else:
                    os.unlink(name, dir_fd=folder)
            except OSError:
                pass
            done += 1
            if done % step == 0:
                yield
    finally:
        for folder, _ in open_folders:
            if folder != top:
                os.close(folder)
        os.close(top)
    try:
        os.rmdir(path)  # a link put in its place meanwhile is no folder: left, as remove() would remove only it
    except OSError:
        pass


_FILE, _FOLDER, _EMPTIED = range(3)


def _listed(folder: int) -> list[tuple[str, int]]:
    try:
        with os.scandir(folder) as items:
            return [(item.name, _FOLDER if item.is_dir(follow_symlinks=False) else _FILE) for item in items]
    except OSError:
        return []


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
