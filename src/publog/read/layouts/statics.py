"""The old site's files that are copied as they are: the static folders its Layout names, and for
Jekyll every file it would have copied; never one its own ignore rules leave out (read/ignores.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from ... import urls
from .. import ignores
from ..load import ENTRY_SUFFIXES
from .jekyll import EXCLUDED
from .layout import Layout


def static_files(root: Path, layout: Layout, out: Path, assets: Iterable[str] = ()) -> list[tuple[str, Path]]:
    """(site file, journal file) of the old site's files that are copied as they are.

    The folders the layout names (Pelican's images, Hugo's staticDir), and for Jekyll every
    file it would have copied: outside folders starting with _ or ., neither Markdown nor
    processed by Jekyll (front matter). Files already copied as an entry's asset, and files
    publog writes itself (robots.txt, 404.html ...), are left out.
    """
    taken = set(assets)
    found: list[tuple[str, Path]] = []
    for folder, site in layout.static:
        for path, relative in _walk(root / folder, out):
            found.append(((site.strip("/") + "/" + relative).lstrip("/"), path))
    if layout.name == "jekyll":
        skip = set(layout.skip) | {"static", "theme", "mentions", "publog.yaml", "network.yaml"}  # publog's own
        for path, relative in _walk(root, out, skip, underscored=False):
            if not relative.lower().endswith(ENTRY_SUFFIXES) and not _front_matter(path):
                found.append((relative, path))
    rules = ignores.of(root)  # what the old generator never copies: its ignore rules
    return [(file, path) for file, path in found
            if path.relative_to(root).as_posix() not in taken and not urls.reserved(file)
            and rules.leaves_out(path.relative_to(root).as_posix()) is None]


def _walk(folder: Path, out: Path, skip: Iterable[str] = (), underscored: bool = True) -> list[tuple[Path, str]]:
    """Files below ``folder`` with their paths relative to it: no hidden ones, nothing of the output folder,
    and with ``underscored`` false none whose name starts with _ (Jekyll copies none of those)."""
    skip = set(skip)
    found: list[tuple[Path, str]] = []
    if not folder.is_dir():
        return found
    real_out = os.path.realpath(out)
    real_folder = os.path.realpath(folder)
    pending = [(folder, "")]
    while pending:
        here, prefix = pending.pop()
        try:
            listing = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError:
            continue
        for item in listing:
            name = prefix + item.name
            if (item.name.startswith(".") or name in skip or item.name in EXCLUDED
                    or (not underscored and item.name.startswith("_"))):
                continue
            real = os.path.realpath(item.path)
            if real == real_out or not (real == real_folder or real.startswith(real_folder + os.sep)):
                continue  # the site itself, or a link to something outside: never copied
            if item.is_dir():
                pending.append((Path(item.path), name + "/"))
            elif item.is_file():
                found.append((Path(item.path), name))
    return sorted(found, key=lambda f: f[1])


def _front_matter(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4).rstrip(b"\r\n") == b"---"
    except OSError:
        return False
