"""Knowing, from file stats alone, that nothing a build reads has changed since the last one.

The last successful build leaves a record of its inputs: the stats of every
entry and file it read, the config's bytes, the theme, publog's own code, the
options. When they are all the same, the time has not reached the date of an
entry waiting to be published, and the output folder still holds what that
build wrote, the site would be built to the same bytes, so it is not built.
Nothing here parses YAML or Markdown: that is the point.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..problems import Problem


@dataclass(frozen=True)
class Record:
    key: str  # of every input
    entries_dir: str
    out: str
    theme: list[str]  # folders, most specific first
    valid_until: str | None  # ISO instant of the next entry to come out of the future
    warnings: list[dict[str, Any]]
    entries: int
    pages: int
    output: str  # digest of the output folder's manifest when this build finished
    members: list[list[str]] = field(default_factory=list)  # a community's member folders: [entries folder, prefix, files]

    @property
    def problems(self) -> list[Problem]:
        return [Problem(**p) for p in self.warnings]


def record_file(cache_dir: Path, config_bytes: bytes, options: Iterable[Any], code: str) -> Path:
    """Where the record of a build with this config and these options lives."""
    h = hashlib.blake2b(digest_size=10)
    h.update(config_bytes)
    h.update(repr(tuple(options)).encode())
    h.update(code.encode())
    return cache_dir / f"last-build-{h.hexdigest()}.json"


def read(path: Path) -> Record | None:
    try:
        return Record(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def write(path: Path, record: Record) -> None:
    """Keep the record; a disk that cannot take it only costs the next build its shortcut."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        tmp.write_text(json.dumps(asdict(record)), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        forget(tmp)


def forget(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def key(entries: dict[str, tuple[int, int]], files: Iterable[Path], theme: Iterable[Path]) -> str:
    """A digest of the stats of every entry and other input file, and of every theme file."""
    h = hashlib.blake2b(digest_size=16)
    h.update(repr(sorted(entries.items())).encode())
    for path in sorted(files):
        h.update(_stat(path))
    for folder in theme:
        for base, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                h.update(_stat(Path(base) / name))
    return h.hexdigest()


def _stat(path: Path) -> bytes:
    try:
        st = path.stat()
        return f"{path}:{st.st_mtime_ns}:{st.st_size}\n".encode()
    except OSError:
        return f"{path}:missing\n".encode()


def output_digest(manifest: Path) -> str | None:
    """Of the output folder's manifest file, as saved: another build into the same folder (other options,
    another journal) changes it. Its bytes, not what they say: parsing and writing out thousands of
    entries again showed in every build, and in the check of an unchanged journal."""
    try:
        return hashlib.blake2b(manifest.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return None


def still_valid(record: Record, now: dt.datetime) -> bool:
    return record.valid_until is None or now < dt.datetime.fromisoformat(record.valid_until)
