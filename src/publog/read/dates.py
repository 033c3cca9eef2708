"""The one date parser: front matter values and file names -> dates and instants.

Front matter dates are read as the tools entries were written for read them: ISO 8601, and
what Jekyll's Time.parse, Hugo and Pelican's dateutil also take (one-digit months, days and
hours, a space before the offset, `2015-06-14 5:30:00 -0700`), Obsidian's epoch milliseconds,
and Eleventy's words for the file's own dates (`Last Modified`, `git Created` ...).
"""

from __future__ import annotations

import calendar
import datetime as dt
import posixpath
import re
import zoneinfo
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from ..problems import Problem, error, warning

if TYPE_CHECKING:
    from .folder import Compiled

DateValue = dt.date | dt.datetime

_FORMS = "2024-05-01, 2024-05-01 09:30 or 2024-05-01T09:30:00+02:00"
_ORDINAL = re.compile(r"(\d{4})-(\d{3})")
_NAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[-_ ]|$)")
# What Time.parse, Hugo and dateutil read beyond ISO 8601: one-digit parts, '/' between them, spaces
# between the date, the time and the offset, an offset without its colon, a zone name after it.
_LOOSE = re.compile(
    r"(?P<y>\d{4})(?P<sep>[-/])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    r"(?:(?:[Tt]|\s+)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?)?"
    r"(?:\s*(?:(?P<utc>[Zz]|(?<=\s)UTC|(?<=\s)GMT)|(?P<sign>[+-])(?P<oh>\d{2}):?(?P<om>\d{2})?(?:\s+[A-Z]{2,5})?))?"
)
_SECONDS = range(10**8, 10**11)  # epoch seconds: 1973 to 5138
_MILLISECONDS = range(10**11, 10**14)  # epoch milliseconds (Obsidian's created): 1973 to 5138
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class FileDate:
    """A date front matter leaves to the file: Eleventy's `Created`, `Last Modified`, `git Created` and
    `git Last Modified`; or one written in a form no tool reads (``wrong`` says why), which falls back
    to the date the tool would use: the file name's, else the file's first commit, else its own date."""

    created: bool = True  # when it was made, not last changed
    git: bool = False  # from git history, where the file has any
    wrong: str = ""

    def text(self) -> str:
        return f"{int(self.created)}{int(self.git)}{self.wrong}"

    @classmethod
    def read(cls, text: str) -> FileDate:
        return cls(text[0] == "1", text[1] == "1", text[2:])


_FILE_DATES = {"created": FileDate(), "last modified": FileDate(created=False),
               "git created": FileDate(git=True), "git last modified": FileDate(created=False, git=True)}


def parse_date(value: Any) -> tuple[DateValue | None, str | None]:
    """A front matter date -> (date or datetime, None), or (None, what is wrong)."""
    if isinstance(value, dt.datetime | dt.date):
        return value, None
    if isinstance(value, int) and not isinstance(value, bool) or isinstance(value, str) and value.strip().isdigit():
        epoch = _epoch(int(value))
        if epoch is not None:
            return epoch, None
    if isinstance(value, int) and not isinstance(value, bool) and len(str(value)) == 8:
        value = str(value)  # the ISO basic form, 20240501, which YAML reads as a number
    if not isinstance(value, str):
        return None, f"{value!r} is not a date; write it as {_FORMS}"
    text = value.strip()
    ordinal = _ORDINAL.fullmatch(text)
    if ordinal:  # ISO 8601 ordinal date, 2024-122
        year, day = map(int, ordinal.groups())
        if 1 <= day <= (366 if calendar.isleap(year) else 365):
            return dt.date(year, 1, 1) + dt.timedelta(days=day - 1), None
    if text.endswith("z"):
        text = text[:-1] + "Z"  # RFC 3339 allows either case
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text), None
        return dt.datetime.fromisoformat(text), None
    except ValueError:
        pass
    loose = _LOOSE.fullmatch(text)
    found = _loose(loose) if loose else None
    if found is not None:
        return found, None
    return None, f"{value!r} is not a valid date; write it as {_FORMS}"


def _epoch(number: int) -> dt.datetime | None:
    if number in _MILLISECONDS:
        return _EPOCH + dt.timedelta(milliseconds=number)
    if number in _SECONDS:
        return _EPOCH + dt.timedelta(seconds=number)
    return None


def _loose(match: re.Match[str]) -> DateValue | None:
    part = match.groupdict()
    try:
        day = dt.date(int(part["y"]), int(part["m"]), int(part["d"]))
        if part["H"] is None:
            return day if part["utc"] is None and part["sign"] is None else None
        zone: dt.tzinfo | None = None
        if part["utc"]:
            zone = dt.timezone.utc
        elif part["sign"]:
            offset = dt.timedelta(hours=int(part["oh"]), minutes=int(part["om"] or 0))
            zone = dt.timezone(-offset if part["sign"] == "-" else offset)
        micro = int((part["f"] or "0")[:6].ljust(6, "0"))
        return dt.datetime(day.year, day.month, day.day, int(part["H"]), int(part["M"]), int(part["S"] or 0), micro, zone)
    except ValueError:  # a 13th month, a 25th hour, an offset of a day or more
        return None


def entry_date(value: Any, key: str) -> DateValue | FileDate:
    """An entry's date as its front matter's ``key`` gives it: a date, or a FileDate, the file's date
    (Eleventy's words for it, or a value no tool reads, with what is wrong with it)."""
    if isinstance(value, str) and " ".join(value.split()).lower() in _FILE_DATES:
        return _FILE_DATES[" ".join(value.split()).lower()]
    found, wrong = parse_date(value)
    if found is None:
        return FileDate(wrong=f"'{key}': {wrong}")
    return found


def date_from_name(stem: str) -> dt.date | None:
    """The date of a `YYYY-MM-DD-slug` file name, if it starts with a valid one."""
    match = _NAME_DATE.match(stem)
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None


def strip_date(stem: str) -> str:
    """A `YYYY-MM-DD-slug` file name without its date: the slug; any other name as it is."""
    return stem[11:] if date_from_name(stem) else stem


def known_zone(name: str) -> bool:
    """Whether ``name`` is a timezone zoneinfo knows, such as Europe/Berlin or UTC."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def instant(value: DateValue, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """A date or datetime as an aware datetime; naive ones are in the journal's timezone."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    offset = value.utcoffset()
    if offset is not None and offset.seconds % 60:
        # Local mean time before time zones (Berlin before 1893: +00:53:28): no feed or page
        # format can write an offset with seconds, so such instants are written in UTC; on the first
        # day there is, where UTC is still the year 0, with the offset's seconds left out.
        try:
            value = value.astimezone(dt.timezone.utc)
        except OverflowError:
            value = value.replace(tzinfo=dt.timezone(dt.timedelta(minutes=offset // dt.timedelta(minutes=1))))
    # Pages allow at most milliseconds.
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def shifted(day: dt.date, delta: dt.timedelta) -> dt.date:
    """``day + delta``, or the first or last day there is when that would be past it: a window of
    weeks that would begin before the year 1 begins on its first day."""
    try:
        return day + delta
    except OverflowError:
        return dt.date.min if delta < dt.timedelta(0) else dt.date.max


def iso(value: dt.datetime) -> str:
    """An instant as pages and feeds write it: to the second, or to the millisecond if it has them."""
    return value.isoformat(timespec="milliseconds" if value.microsecond else "seconds")


def settle(compiled: Sequence[Compiled], planted: Mapping[str, dt.datetime], tended: Mapping[str, dt.datetime],
           stats: Mapping[str, tuple[int, int]], zone: dt.tzinfo, forgiving: bool) -> list[Compiled]:
    """``compiled`` with each FileDate replaced by the date it stands for: the file's modification date
    (``stats``), or its first (``planted``) or last commit (``tended``, when later). A date no tool
    reads is a warning, and the entry is dated as its tool would date it; in publog's own journal (not
    ``forgiving``) it stays an error, and the entry has no source. Other entries are returned as they are."""
    settled: list[Compiled] = []
    for item in compiled:
        source = item.source
        if source is None or not (isinstance(source.date, FileDate) or isinstance(source.updated, FileDate)):
            settled.append(item)
            continue
        path = source.path
        modified = dt.datetime.fromtimestamp(stats[path][0] / 1e9, zone).replace(microsecond=0)
        first = planted.get(path)
        last = tended.get(path, first)
        found: dict[str, DateValue | None] = {}
        problems: list[Problem] = []
        for name in ("date", "updated"):
            value = getattr(source, name)
            if not isinstance(value, FileDate):
                continue
            if not value.wrong:
                found[name] = ((first if value.created else last) if value.git else None) or modified
                continue
            if name == "date":
                named = date_from_name(posixpath.splitext(posixpath.basename(path))[0])
                found[name] = named or first or modified
                said = "it is dated by " + ("the date in its file name" if named else "its first commit" if first
                                            else "the file's modification date")
            else:
                found[name] = tended.get(path)
                said = "its last commit is its update" if found[name] else "it shows no update"
            line = source.lines.get(name, 1)
            problems.append(warning(path, line, f"{value.wrong}; until then {said}") if forgiving
                            else error(path, line, value.wrong))
        if not forgiving and problems:
            settled.append(replace(item, source=None, problems=item.problems + tuple(problems)))
        else:
            settled.append(replace(item, source=replace(source, **found), problems=item.problems + tuple(problems)))
    return settled
