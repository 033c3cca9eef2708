"""The journal's files as publog opens them: regular files only.

A named pipe blocks whoever opens it for reading until something writes to it (one named like an
entry hung a build that held the journal's lock), and a socket or a device is no file to publish.
So publog looks before it opens, and opens without waiting, in case the file changed in between.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

NOT_REGULAR = "not a regular file; skipped"


class NotRegular(OSError):
    """A path that is a named pipe, a socket or a device, not a file publog can read."""


def kind(path: str | os.PathLike[str]) -> str:
    """'file', 'missing', or 'other' (a named pipe, socket or device; links followed)."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return "missing"
    return "file" if stat.S_ISREG(mode) else "folder" if stat.S_ISDIR(mode) else "other"


def irregular(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` exists and is neither a regular file nor a folder, links followed."""
    return kind(path) == "other"


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a regular file; NotRegular (an OSError) for anything else, without blocking on it."""
    if irregular(path):
        raise NotRegular(errno.EINVAL, NOT_REGULAR, str(path))
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for a pipe since it was looked at
            raise NotRegular(errno.EINVAL, NOT_REGULAR, str(path))
        with open(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)


def read_text(path: str | os.PathLike[str], encoding: str = "utf-8") -> str:
    """``read_bytes`` decoded; UnicodeDecodeError as ``Path.read_text`` raises it."""
    return read_bytes(path).decode(encoding)


def shown(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> str:
    """A path as a problem names it: from the journal's folder when it is in it."""
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return str(path)


def remove(path: Path) -> None:
    """Delete a file or folder publog made, never through a link: a link itself is removed, not what it
    points to (a folder's links inside it neither: rmtree does not follow them). Nothing if it cannot."""
    import shutil

    try:
        if stat.S_ISDIR(os.lstat(path).st_mode):
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
    except OSError:
        pass
