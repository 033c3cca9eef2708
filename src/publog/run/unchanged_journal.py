"""The check for an unchanged journal: a build whose inputs are all as the last one read them, and
whose output is intact, reports the last build's result and does nothing else. What the check finds
in the entries folder is handed to the build, which would walk the same folders again.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import asdict
from pathlib import Path

from . import cache as cache_mod
from ..journal import assemble as journal_mod
from ..problems import Problem
from ..read import folder as read
from ..settings import config as config_mod
from ..settings import theme as theme_mod
from ..write import output as output_mod
from ..write import unchanged
from .inputs import Shelves, discover, file_bytes, input_files, input_folders
from .options import Options, Result

# The folders the check walked (entries folder, output folder, members' folders), and what it found there.
Seen = tuple[tuple[Path, Path, Shelves], read.Found]


def memo_file(root: Path, options: Options, network_bytes: bytes, layout: bytes, code: str) -> Path:
    """Where the record of the last build with these settings and options is kept."""
    return unchanged.record_file(
        root / cache_mod.CACHE_DIR / cache_mod.settings_key(),
        file_bytes(root / config_mod.CONFIG_FILE) + b"\0" + network_bytes + b"\0" + layout,
        # The output folder as a path from the root: the kept build process is asked with the folder a
        # build in a process of its own was given from wherever it ran.
        (os.path.abspath(options.out) if options.out is not None else None, options.drafts, options.future,
         options.strict, options.base_url), code,
    )


def last_result(root: Path, memo: Path, now: dt.datetime) -> tuple[Result | None, Seen | None]:
    """The last build's result, when nothing it read has changed and its output is intact;
    and what the check found in the entries folder, for the build to reuse."""
    record = unchanged.read(memo)
    if record is None:
        return None, None
    entries_dir, out = Path(record.entries_dir), Path(record.out)
    shelves: Shelves = tuple(tuple(shelf) for shelf in record.members)
    found = discover(root, entries_dir, out, shelves)
    seen = ((entries_dir, out, shelves), found)
    folders = [Path(f) for f in record.theme]
    if not unchanged.still_valid(record, now) or (
        unchanged.key(found.entries, input_files(root, found, shelves), folders) != record.key
    ):
        return None, seen
    manifest = _manifest(root, out)
    if unchanged.output_digest(manifest) != record.output or not output_mod.intact(out, output_mod.Manifest.read(manifest)):
        return None, seen
    return Result(record.problems, out, record.entries, record.pages), seen


def remember(memo: Path, root: Path, theme: theme_mod.Theme, found: read.Found, shelves: Shelves, entries_dir: Path,
             out: Path, journal: journal_mod.Journal, warnings: list[Problem], pages: int) -> None:
    """Record what this build read and made, for the next build's check."""
    folders = input_folders(root, theme)
    unchanged.write(memo, unchanged.Record(
        key=unchanged.key(found.entries, input_files(root, found, shelves), folders),
        entries_dir=str(entries_dir), out=str(out), theme=[str(f) for f in folders], members=[list(s) for s in shelves],
        valid_until=journal.next_change.isoformat() if journal.next_change else None,
        warnings=[asdict(p) for p in warnings], entries=len(journal.entries), pages=pages,
        output=unchanged.output_digest(_manifest(root, out)) or "",  # none saved: a record no check matches
    ))


def _manifest(root: Path, out: Path) -> Path:
    return root / cache_mod.CACHE_DIR / cache_mod.settings_key() / output_mod.manifest_name(out)
