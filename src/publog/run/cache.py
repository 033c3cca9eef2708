"""The build cache in JOURNAL/.publog-cache: compiled entries by path and bytes, their HTML by digest,
and the drawn social cards by site file.

One SQLite file, written at the end of a build (and, as they are made, the cards
and the HTML of a large journal). Everything in it can be thrown away: a cache of
another publog version, a corrupt or unreadable file, a missing row all mean
"compile again". Records are JSON rather than pickles, so a cache that came with a
cloned folder cannot run code, and each row carries a checksum of its text, so
that bytes damaged inside it are not published.

The folder is publog's, and nothing a link in it points to is: a cache folder that
is a link, or that holds one where publog keeps its files, is not used at all (see
``refusal``), and publog neither writes nor deletes anything through it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import zlib
from pathlib import Path
from typing import Any, Iterator, TypeVar

from .. import __version__
from .. import records
from ..markdown import body as markdown
from ..read.dates import FileDate
from ..markdown.generators import Notice
from ..read.load import Source
from ..markdown.body import Reference
from ..problems import Problem, warning
from ..read.folder import Compiled
from ..read import files as files_mod

T = TypeVar("T")

CACHE_DIR = ".publog-cache"
# HTML held in memory before it goes into the database: a cold build of a large journal would otherwise
# hold every entry's HTML until its end, in the process its render workers are forked from.
_HELD_HTML = 8 << 20
_FORMAT = "9"
_SWEEP_AFTER = 64  # rows written by one save, above which it looks for HTML that no row names
_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (path TEXT PRIMARY KEY, mtime INTEGER, size INTEGER, record TEXT, checksum INTEGER);
CREATE TABLE IF NOT EXISTS html (digest TEXT PRIMARY KEY, html TEXT, checksum INTEGER);
CREATE TABLE IF NOT EXISTS cards (name TEXT PRIMARY KEY, png BLOB, checksum INTEGER);
"""
_TABLES = {"entries", "html", "cards"}
# What publog keeps in the cache folder and its version's folder besides folders and files: the kept
# build process's socket. Anything else (a link, a named pipe, a device) is not publog's.
_KINDS = (stat.S_ISDIR, stat.S_ISREG, stat.S_ISSOCK)


class Damaged(Exception):
    """The cache's database gave something other than what a build saved in it: the build starts again
    without it (run/build.py). Its one argument says what was wrong."""


def _checksum(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def refusal(root: Path) -> Problem | None:
    """Why the journal's cache folder must be left alone, if it must: the folder, or something publog
    keeps in it or in its version's folder, is a link (which publog would write or delete through, on
    whatever it points to) or another thing publog never makes there. The journal is then built
    without a cache, and nothing in the folder is read, written or deleted."""
    base = root / CACHE_DIR
    version = base / settings_key()
    for folder in (base, version, version / "search"):
        try:
            kind = os.lstat(folder).st_mode
        except FileNotFoundError:
            return None
        except OSError as exc:
            return _refused(root, folder, f"cannot be read ({exc.strerror})")
        if not stat.S_ISDIR(kind):
            return _refused(root, folder, "is a link" if stat.S_ISLNK(kind) else "is not a folder")
        try:
            with os.scandir(folder) as found:
                for item in found:
                    kind = item.stat(follow_symlinks=False).st_mode
                    if not any(test(kind) for test in _KINDS):
                        why = "is a link" if stat.S_ISLNK(kind) else "is neither a file nor a folder"
                        return _refused(root, Path(item.path), why)
        except OSError as exc:
            return _refused(root, folder, f"cannot be read ({exc.strerror})")
    return None


def _refused(root: Path, path: Path, why: str) -> Problem:
    shown = path.relative_to(root).as_posix()
    also = "" if shown == CACHE_DIR else f" (or the whole {CACHE_DIR} folder)"
    return warning(shown, 1, f"{why}, where publog keeps its build cache; publog never writes or deletes through "
                             f"it, so it builds without a cache and leaves {CACHE_DIR} as it is; delete {shown}{also} "
                             "to have a cache again")


def settings_key() -> str:
    """What compiled output depends on besides the file: publog's version and the Markdown setup."""
    text = f"{_FORMAT}:{__version__}:{markdown.VERSION}"
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


class Cache:
    """The cache of one journal: read at the start of a build, written at its end."""

    def __init__(self, root: Path, writable: bool = True, records: bool = True):
        """``records``: read the entries' records. A reader of their HTML alone, as publog serve's search
        index is, needs none: reading every record delayed each index an edit makes."""
        self.base = root / CACHE_DIR
        self.dir = self.base / settings_key()
        self.file = self.dir / "cache.sqlite"
        self.writable = writable
        self.raw: dict[str, tuple[int, int, str]] = {}  # path -> (mtime_ns, size, JSON record)
        self.records: dict[str, tuple[int, int, Compiled]] = {}
        self.fresh_html: dict[str, str] = {}  # HTML compiled by this build, not yet saved
        self._held = 0  # characters of it
        self._flushed: set[str] = set()  # digests of HTML saved before the end of the build
        self._db: sqlite3.Connection | None = None
        self._db_pid = 0
        self._discarded = False
        self.usable = refusal(root) is None  # build reports why not
        self.damage: str | None = None  # what was wrong with the database, until a build reports it
        if not self.usable:
            self.writable = False
            return
        try:
            self._load(records)
        except (sqlite3.Error, Damaged) as exc:
            self._discard(str(exc))

    def _load(self, records: bool = True) -> None:
        try:
            kind = os.lstat(self.file).st_mode
        except FileNotFoundError:
            return
        except OSError as exc:
            raise Damaged(f"{self.file.name} cannot be read: {exc.strerror}") from None
        if not stat.S_ISREG(kind):
            raise Damaged(f"{self.file.name} is not a file")
        db = self._connect(schema=False)
        listed = db.execute("SELECT type, name FROM sqlite_master").fetchall()
        tables = {name for kind, name in listed if kind == "table"}
        if tables != _TABLES:
            raise Damaged(f"it holds the tables {sorted(tables)}, not {sorted(_TABLES)}")
        # A trigger or a view would change rows as they are written or read: a planted one, in a cache
        # that came with a cloned folder, could put its own bytes in every card drawn after it.
        other = sorted(f"the {kind} {name}" for kind, name in listed if kind != "table" and not name.startswith("sqlite_autoindex_"))
        if other:
            raise Damaged(f"it holds {', '.join(other)}, which publog never makes")
        if not records:
            return
        raw = {}
        for path, mtime, size, record, checksum in db.execute("SELECT path, mtime, size, record, checksum FROM entries"):
            if not isinstance(record, str) or _checksum(record) != checksum:
                raise Damaged(f"the record of {path} is not the one saved")
            raw[path] = (mtime, size, record)
        try:
            self.records = {path: (m, s, _decode(json.loads(r))) for path, (m, s, r) in raw.items()}
        except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError) as exc:
            raise Damaged(f"a record is not one publog saves ({type(exc).__name__})") from None
        self.raw = raw

    def _connect(self, schema: bool = True) -> sqlite3.Connection:
        # A connection must not cross a fork: render workers open their own.
        if self._db is None or self._db_pid != os.getpid():
            self._db = sqlite3.connect(self.file, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA synchronous=OFF")  # a cache: a torn write is discarded, not repaired
            self._db_pid = os.getpid()
            if schema:
                self._db.executescript(_SCHEMA)
        return self._db

    def _discard(self, why: str | None = None) -> None:
        """Forget the database; ``why``: it was damaged, which the next build reports."""
        if self._db is not None:
            self._db.close()
        self.raw, self.records, self._db = {}, {}, None
        self.fresh_html, self._held, self._flushed = {}, 0, set()
        self._discarded = True  # where it cannot be deleted, no row of it is read again
        if why is not None:
            self.damage = why
        if self.writable:
            for name in (self.file.name, *(self.file.name + end for end in ("-journal", "-wal", "-shm"))):
                files_mod.remove(self.dir / name)

    def restart(self, why: str) -> None:
        """Forget everything this cache holds, in memory and in its database, which was damaged."""
        self._discard(why)

    def reported(self) -> list[Problem]:
        """The warning that the database was damaged, once."""
        if self.damage is None:
            return []
        why, self.damage = self.damage, None
        return [warning(self.file.relative_to(self.base.parent).as_posix(), 1,
                        f"the build cache was damaged ({why}); it was discarded and the journal built from its entries")]

    def prepare(self) -> None:
        """Clear the caches of other publog versions; make this one's folder."""
        if not self.writable:
            return
        try:
            if self.base.is_dir():
                with os.scandir(self.base) as found:
                    for stale in found:  # never a link: rmtree deletes nothing through one, and a link is not publog's
                        if stale.name != self.dir.name and stale.is_dir(follow_symlinks=False):
                            shutil.rmtree(stale.path, ignore_errors=True)
            self.dir.mkdir(parents=True, exist_ok=True)
            try:  # never through a link put in its place meanwhile (refusal): it is not written, then
                tag = os.open(self.base / ".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            except FileExistsError:
                pass
            else:
                with os.fdopen(tag, "w", encoding="utf-8") as written:
                    written.write("# publog's build cache: safe to delete\n*\n")
        except OSError:
            self.writable = False  # a full or read-only disk: build without a cache

    def lookup(self, path: str, stat: tuple[int, int]) -> Compiled | None:
        record = self.records.get(path)
        if record is None or (record[0], record[1]) != stat:
            return None
        return record[2]

    def add_html(self, digest: str, html: str) -> None:
        self.fresh_html[digest] = html
        self._held += len(html)
        if self._held > _HELD_HTML and self.writable:
            try:
                _each(self._connect(), "INSERT OR REPLACE INTO html VALUES (?, ?, ?)",
                      [(d, h, _checksum(h)) for d, h in self.fresh_html.items()])
            except sqlite3.Error:
                return  # kept in memory, saved at the end if it can be
            # Rows no entry names are forgotten by the next save, so a failed build leaves no garbage for long.
            self._flushed.update(self.fresh_html)
            self.fresh_html, self._held = {}, 0

    def html(self, digest: str) -> str:
        """The HTML of an entry's body; Damaged when the database lost it or holds other bytes than were saved."""
        found = self.fresh_html.get(digest)
        if found is not None:
            return found
        with _damage():
            row = self._connect().execute("SELECT html, checksum FROM html WHERE digest = ?", (digest,)).fetchone()
        if row is None:  # every record saved with a body has its HTML saved beside it
            raise Damaged(f"the HTML of {digest} is missing")
        if not isinstance(row[0], str) or _checksum(row[0]) != row[1]:
            raise Damaged(f"the HTML of {digest} is not the one saved")
        return row[0]

    def card_names(self) -> set[str]:
        """The drawn cards kept, by site file."""
        if not self.writable and (self._discarded or not self.file.is_file()):  # connecting would make the file
            return set()
        with _damage():
            return {name for (name,) in self._connect(schema=self.writable).execute("SELECT name FROM cards")}

    def add_cards(self, drawn: list[tuple[str, bytes]]) -> None:
        """Keep drawn cards (site file, PNG), in one transaction: a card is a row, not a file, as thousands of
        small files cost some disks more than the drawing. Render workers add theirs on their own connection."""
        with _damage():
            _each(self._connect(), "INSERT OR REPLACE INTO cards VALUES (?, ?, ?)", [(n, png, zlib.crc32(png)) for n, png in drawn])

    def forget_cards(self, names: set[str]) -> None:
        """Forget the cards named."""
        if names:
            with _damage():
                _each(self._connect(), "DELETE FROM cards WHERE name = ?", [(name,) for name in names])

    def card(self, name: str) -> bytes:
        """A drawn card's PNG; Damaged when the database lost it or holds other bytes than were saved, or than a
        card as publog draws them (a cache may come with a cloned folder: a PNG may carry text of any kind)."""
        with _damage():
            row = self._connect().execute("SELECT png, checksum FROM cards WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise Damaged(f"the card {name} is missing")
        if not isinstance(row[0], bytes) or zlib.crc32(row[0]) != row[1]:
            raise Damaged(f"the card {name} is not the one saved")
        from ..render import card_image  # what draws them, where a build renders cards: not in every command

        if not card_image.is_drawn(row[0]):
            raise Damaged(f"the card {name} is not one publog draws")
        return row[0]

    def save(self, stats: dict[str, tuple[int, int]], compiled: list[Compiled]) -> None:
        """Record this build's entries and HTML; forget what no entry uses any more.

        Only the rows that changed are written: after an edit, that is one entry and its HTML.
        """
        if not self.writable:
            return
        raw: dict[str, tuple[int, int, str]] = {}
        records: dict[str, tuple[int, int, Compiled]] = {}
        for item in compiled:
            stat = stats.get(item.path)
            if stat is None:
                continue
            old = self.raw.get(item.path)
            before = self.records.get(item.path)
            # The same record (not just the same digest: a new never-publish list gives new scan results).
            if old is not None and before is not None and (before[2] is item or before[2] == item):
                if (old[0], old[1]) == stat and before[2] is item:  # the same row: compared at no cost below
                    raw[item.path], records[item.path] = old, before
                else:
                    raw[item.path], records[item.path] = (*stat, old[2]), (*stat, item)
                continue
            record = _encode(item)
            if record is not None:
                raw[item.path], records[item.path] = (*stat, record), (*stat, item)
        changed = [(path, *row, _checksum(row[2])) for path, row in raw.items() if self.raw.get(path) != row]
        gone = [path for path in self.raw if path not in raw]
        if not changed and not gone and not self.fresh_html and not self._flushed:
            return
        live = {item.digest for _, _, item in records.values() if item.source is not None}
        # HTML that only the replaced or removed records named, or that was saved early and is named by none.
        dead = {self.records[p][2].digest for p in gone} | self._flushed
        dead |= {self.records[p][2].digest for p, *_ in changed if p in self.records}
        try:
            db = self._connect()
            db.execute("BEGIN")
            db.executemany("DELETE FROM entries WHERE path = ?", [(p,) for p in gone])
            db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)", changed)
            db.executemany("INSERT OR REPLACE INTO html VALUES (?, ?, ?)",
                           [(d, h, _checksum(h)) for d, h in self.fresh_html.items() if d in live])
            if self._flushed or len(changed) > _SWEEP_AFTER:
                # A build that saved HTML early, or wrote many rows (as the one after a killed build does):
                # forget every row that no entry names, including those a killed build left.
                db.execute("DELETE FROM html WHERE digest NOT IN (SELECT json_extract(record, '$.digest') FROM entries)")
            else:  # unless a row names it still: another process (a build beside publog serve) may have written some
                db.executemany("DELETE FROM html WHERE digest = ?1 AND NOT EXISTS "
                               "(SELECT 1 FROM entries WHERE json_extract(record, '$.digest') = ?1)", [(d,) for d in dead - live])
            db.execute("COMMIT")
        except (sqlite3.Error, OSError):
            self._discard()  # a full disk, as often as damage: not reported
            return
        self.raw, self.records = raw, records
        self.fresh_html, self._held, self._flushed = {}, 0, set()


@contextlib.contextmanager
def _damage() -> Iterator[None]:
    """A database error as damage, which the build reports and answers by discarding the cache."""
    try:
        yield
    except sqlite3.Error as exc:
        raise Damaged(str(exc)) from None


def _each(db: sqlite3.Connection, statement: str, rows: list[tuple[Any, ...]]) -> None:
    """``statement`` for each of ``rows``, in one transaction: in autocommit, each row is one, with a journal
    file made and deleted."""
    db.execute("BEGIN")
    try:
        db.executemany(statement, rows)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def _encode(item: Compiled) -> str | None:
    record = {
        "path": item.path,
        "digest": item.digest,
        "problems": [dict(vars(p)) for p in item.problems],
        "references": [dict(vars(r)) for r in item.references],
        "summary": item.summary,
        "words": item.words,
        "tags": list(item.tags),
        "notices": [dict(vars(n)) for n in item.notices],
        "leaks": [list(leak) for leak in item.leaks],
        "allowlisted": list(item.allowlisted),
        "private": list(item.private),
        "scanned_with": item.scanned_with,
        "source": None,
    }
    if item.source is not None:
        source = dict(vars(item.source))  # not asdict: its deep copy of every body was most of a cold build's save
        for key in ("date", "updated"):
            value = source[key]
            source[key] = None if value is None else [type(value).__name__, value.text() if isinstance(value, FileDate) else value.isoformat()]
        for key in _SOURCE_TUPLES:
            source[key] = list(source[key])
        record["source"] = source
    try:
        text = json.dumps(record, ensure_ascii=False)
        # Front matter extras that JSON cannot carry faithfully are simply not cached.
        if json.loads(text) != record:
            return None
    except (TypeError, ValueError):
        return None
    return text


def _decode(record: dict[str, Any]) -> Compiled:
    source = None
    if record["source"] is not None:
        fields = record["source"]
        for key in ("date", "updated"):
            value = fields[key]
            if value is not None:
                kind, text = value
                fields[key] = (FileDate.read(text) if kind == "FileDate" else dt.datetime.fromisoformat(text) if kind == "datetime"
                               else dt.date.fromisoformat(text))
        for key in _SOURCE_TUPLES:
            fields[key] = tuple(fields[key])
        source = _made(Source, fields)
    record["source"] = source
    record["problems"] = tuple(_made(Problem, p) for p in record["problems"])
    record["references"] = tuple(_made(Reference, r) for r in record["references"])
    record["notices"] = tuple(_made(Notice, n) for n in record["notices"])
    record["leaks"] = tuple((int(line), str(what)) for line, what in record["leaks"])
    for key in ("tags", "allowlisted", "private"):
        record[key] = tuple(record[key])
    return _made(Compiled, record)


def _made(cls: type[T], values: dict[str, Any]) -> T:
    """An instance of the frozen dataclass ``cls`` holding ``values``, made without its __init__, which
    sets every field through object.__setattr__: for thousands of records that was half of loading the
    cache. A record with other fields than the class's is refused (KeyError), as __init__ would."""
    if values.keys() != _FIELDS[cls]:
        raise KeyError(f"a cached {cls.__name__} with other fields")
    return records.made(cls, values)


_SOURCE_TUPLES = ("tags", "categories", "aliases", "redirect_from")  # JSON has lists only
_FIELDS = {cls: frozenset(f.name for f in dataclasses.fields(cls)) for cls in (Compiled, Source, Problem, Reference, Notice)}
