"""The build cache in JOURNAL/.publog-cache: compiled entries by path and bytes, their HTML by digest.

Everything here can be thrown away: a cache of another publog version, a
corrupt or unreadable index, a missing HTML file all mean "compile again".
JSON rather than pickle, so a cache that came with a cloned folder cannot run code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import __version__, markdown
from .load import Source
from .markdown import Reference
from .problems import Problem
from .read import Compiled

CACHE_DIR = ".publog-cache"
_FORMAT = "1"


def settings_key() -> str:
    """What compiled output depends on besides the file: publog's version and the Markdown setup."""
    text = f"{_FORMAT}:{__version__}:{markdown.VERSION}"
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


class Cache:
    """The cache of one journal; read once, written once at the end of a build."""

    def __init__(self, root: Path, writable: bool = True):
        self.base = root / CACHE_DIR
        self.dir = self.base / settings_key()
        self.html_dir = self.dir / "html"
        self.writable = writable
        self.raw: dict[str, list[Any]] = {}
        self.records: dict[str, tuple[int, int, Compiled]] = {}
        try:
            self.raw = json.loads((self.dir / "index.json").read_text(encoding="utf-8"))
            self.records = {path: (mtime, size, _decode(rec)) for path, (mtime, size, rec) in self.raw.items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            self.raw, self.records = {}, {}

    def prepare(self) -> Path | None:
        """The folder for new HTML, or None when this build must write nothing."""
        if not self.writable:
            return None
        if self.base.is_dir():
            for stale in self.base.iterdir():
                if stale.name != self.dir.name and stale.is_dir():
                    shutil.rmtree(stale, ignore_errors=True)
        self.html_dir.mkdir(parents=True, exist_ok=True)
        tag = self.base / ".gitignore"
        if not tag.exists():
            tag.write_text("# publog's build cache: safe to delete\n*\n", encoding="utf-8")
        return self.html_dir

    def lookup(self, path: str, stat: tuple[int, int]) -> Compiled | None:
        record = self.records.get(path)
        if record is None or (record[0], record[1]) != stat:
            return None
        compiled = record[2]
        if compiled.source is not None and not (self.html_dir / f"{compiled.digest}.html").is_file():
            return None
        return compiled

    def html(self, digest: str) -> str:
        return (self.html_dir / f"{digest}.html").read_text(encoding="utf-8")

    def save(self, stats: dict[str, tuple[int, int]], compiled: list[Compiled]) -> None:
        if not self.writable:
            return
        records: dict[str, list[Any]] = {}
        for item in compiled:
            if item.path not in stats:
                continue
            old = self.raw.get(item.path)
            encoded = old[2] if old and old[2]["digest"] == item.digest else _encode(item)
            if encoded is not None:
                records[item.path] = [*stats[item.path], encoded]
        if records == self.raw:
            return
        self.raw = records
        self.records = {
            item.path: (*stats[item.path], item) for item in compiled if item.path in records
        }
        tmp = self.dir / f".index.{os.getpid()}"
        tmp.write_text(json.dumps(records, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, self.dir / "index.json")
        live = {f"{c.digest}.html" for c in compiled}
        for name in os.listdir(self.html_dir):
            if name not in live:
                try:
                    os.unlink(self.html_dir / name)
                except OSError:
                    pass


def _encode(item: Compiled) -> dict[str, Any] | None:
    record = {
        "path": item.path,
        "digest": item.digest,
        "problems": [asdict(p) for p in item.problems],
        "references": [asdict(r) for r in item.references],
        "summary": item.summary,
        "words": item.words,
        "source": None,
    }
    if item.source is not None:
        source = asdict(item.source)
        for key in ("date", "updated"):
            value = source[key]
            source[key] = None if value is None else [type(value).__name__, value.isoformat()]
        source["tags"] = list(source["tags"])
        record["source"] = source
    try:
        # Front matter extras that JSON cannot carry faithfully are simply not cached.
        if json.loads(json.dumps(record)) != record:
            return None
    except (TypeError, ValueError):
        return None
    return record


def _decode(record: dict[str, Any]) -> Compiled:
    source = None
    if record["source"] is not None:
        fields = dict(record["source"])
        for key in ("date", "updated"):
            value = fields[key]
            if value is not None:
                kind, text = value
                fields[key] = dt.datetime.fromisoformat(text) if kind == "datetime" else dt.date.fromisoformat(text)
        fields["tags"] = tuple(fields["tags"])
        source = Source(**fields)
    return Compiled(
        path=record["path"],
        digest=record["digest"],
        source=source,
        problems=tuple(Problem(**p) for p in record["problems"]),
        references=tuple(Reference(**r) for r in record["references"]),
        summary=record["summary"],
        words=record["words"],
    )
