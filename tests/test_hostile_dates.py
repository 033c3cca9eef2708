"""Hostile journals, dates (issue 8): every ISO form, invalid dates, far past and future, DST, ties.

Dates a user writes must land on the instant they mean, in the journal's timezone when they carry
no offset, and come out as valid dates in pages (HTML `datetime`), RSS (RFC 822), Atom and JSON Feed
(RFC 3339). Entries dated in the future are never published without --future.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import entry
from hostile_support import assert_clear, assert_fails_with, build, guarded_build, leaks, problems, token

BERLIN = "timezone: Europe/Berlin\n"

# HTML's "valid global date and time string" (at most three digits of fractions of a second).
HTML_DATETIME = re.compile(r"^\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$")
HTML_DATE = re.compile(r"^\d{4,}-\d{2}-\d{2}$")
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                    r"\d{4} \d{2}:\d{2}:\d{2} ([+-]\d{4}|GMT|UT)$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
ATOM = "{http://www.w3.org/2005/Atom}"


def datetime_attrs(page: Path) -> list[str]:
    return re.findall(r'<time[^>]*datetime="([^"]*)"', page.read_text(encoding="utf-8"))


def invalid_dates(out: Path) -> list[str]:
    """Every date in the site's pages and feeds that its format does not allow."""
    bad = []
    for page in out.rglob("*.html"):
        for value in datetime_attrs(page):
            if not (HTML_DATETIME.match(value) or HTML_DATE.match(value)):
                bad.append(f"{page.relative_to(out)}: datetime={value!r}")
    for feed in out.rglob("feed.xml"):
        for node in ET.parse(feed).iter():
            if node.tag in ("pubDate", "lastBuildDate") and not RFC822.match(node.text or ""):
                bad.append(f"{feed.relative_to(out)}: <{node.tag}>{node.text}")
    for feed in out.rglob("atom.xml"):
        for node in ET.parse(feed).iter():
            if node.tag in (ATOM + "updated", ATOM + "published") and not RFC3339.match(node.text or ""):
                bad.append(f"{feed.relative_to(out)}: <{node.tag[len(ATOM):]}>{node.text}")
    data = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    for item in data["items"]:
        for key in ("date_published", "date_modified"):
            if key in item and not RFC3339.match(item[key]):
                bad.append(f"feed.json: {key}={item[key]}")
    return bad


def home_titles(root: Path, page: str = "_site/index.html") -> list[str]:
    return re.findall(r"<h2[^>]*><a [^>]*>([^<]*)</a></h2>", (root / page).read_text(encoding="utf-8"))


FORMS = [
    # (as written in the front matter, the instant publog must show, Europe/Berlin journal)
    ("2024-05-01", "2024-05-01T00:00:00+02:00"),
    ("2024-05-01 21:15", "2024-05-01T21:15:00+02:00"),
    ("2024-05-01T21:15", "2024-05-01T21:15:00+02:00"),
    ("2024-05-01t21:15", "2024-05-01T21:15:00+02:00"),
    ("2024-05-01T21:15:30", "2024-05-01T21:15:30+02:00"),
    ("2024-05-01T21:15:30Z", "2024-05-01T21:15:30+00:00"),
    ("2024-05-01T21:15:30+00:00", "2024-05-01T21:15:30+00:00"),
    ("2024-05-01T21:15:30+05:30", "2024-05-01T21:15:30+05:30"),
    ("2024-05-01T21:15:30-0500", "2024-05-01T21:15:30-05:00"),
    ("2024-05-01T21:15+02", "2024-05-01T21:15:00+02:00"),
    ("2024-05-01 21:15:30 +02:00", "2024-05-01T21:15:30+02:00"),
    ("2024-01-15 08:00", "2024-01-15T08:00:00+01:00"),
    ("'20240501'", "2024-05-01T00:00:00+02:00"),
    ("20240501T211530Z", "2024-05-01T21:15:30+00:00"),
    ("2024-W18-3", "2024-05-01T00:00:00+02:00"),
    ("'2024-05-01'", "2024-05-01T00:00:00+02:00"),
    ('" 2024-05-01 "', "2024-05-01T00:00:00+02:00"),
    ("2024-05-01T21:15:30.250", "2024-05-01T21:15:30.250+02:00"),
    ("2024-05-01T21:15:30z", "2024-05-01T21:15:30+00:00"),
    ("20240501", "2024-05-01T00:00:00+02:00"),
    ("2024-122", "2024-05-01T00:00:00+02:00"),
    # What Jekyll's Time.parse, Hugo and Pelican's dateutil read too (issue 24)
    ("2024-5-1", "2024-05-01T00:00:00+02:00"),
    ("2024-05-01 9:05", "2024-05-01T09:05:00+02:00"),
    ("2024-05-01T9:05:30-07:00", "2024-05-01T09:05:30-07:00"),
    ("2024-05-01  9:05:30 -0700", "2024-05-01T09:05:30-07:00"),
    ("2024-05-01 09:05:30 +0000 UTC", "2024-05-01T09:05:30+00:00"),
]


@pytest.mark.parametrize("written, expected", FORMS)
def test_every_iso_form_is_read_as_the_instant_it_means(written: str, expected: str, journal, tmp_path: Path) -> None:
    root = journal({"publog.yaml": BERLIN, "entries/a.md": f"---\ntitle: A\ndate: {written}\n---\nText\n"})
    result = guarded_build(tmp_path, root, "--future")
    assert_clear(result)
    assert result.code == 0, result.err
    year = expected[:4]
    shown = datetime_attrs(root / f"_site/{year}/a/index.html")[0]
    assert dt.datetime.fromisoformat(shown) == dt.datetime.fromisoformat(expected)
    assert shown == expected or shown == expected.replace(".250", ".250000"), shown
    assert not invalid_dates(root / "_site")


INVALID = ["2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "2024-05-00", "2024-05-01T25:00", "2024-05-01T12:60",
           "2024-05-01T12:00:61", "2024-5-32 1:00", "01/05/2024", "1 May 2024", "yesterday", "2024-05-01T12:00+25:00",
           "2024-05-01 12:00 CEST", "0000-01-01", "10000-01-01", "''", "2024-05-01T12:00:00+02:00[Europe/Berlin]"]


@pytest.mark.parametrize("written", INVALID)
def test_an_invalid_date_names_its_line(written: str, journal, tmp_path: Path) -> None:
    root = journal({"entries/good.md": entry("Good", "2024-01-01")})
    assert build("build", root).code == 0
    (root / "entries/bad.md").write_text(f"---\ntitle: x\ndate: 2024-01-01\nupdated: {written}\n---\n")
    (root / "entries/bad2.md").write_text(f"---\ntitle: y\ndate: {written}\n---\n")
    result = guarded_build(tmp_path, root)
    assert_fails_with(result, "entries/bad.md:4: 'updated': ", "entries/bad2.md:3: 'date': ")
    assert all("is not a valid date" in p or "is not a date" in p for p in problems(result)), result.err


def test_far_future_entries_are_never_published_without_future(journal, tmp_path: Path) -> None:
    secret = token()
    root = journal({
        "entries/now.md": entry("Published", "2024-01-01", tags="[shared]"),
        "entries/far.md": entry(f"Far {secret}", "9999-12-31T23:59:59-12:00", body=f"Body {secret}", tags=f"[shared, {secret}]"),
        "entries/next.md": entry(f"Next {secret}", "2999-01-01", body=f"Body {secret}"),
    })
    result = guarded_build(tmp_path, root)
    assert result.code == 0, result.err
    assert leaks(root / "_site", secret) == []
    assert home_titles(root) == ["Published"]
    assert guarded_build(tmp_path, root, "--future").code == 0
    assert home_titles(root) == [f"Far {secret}", f"Next {secret}", "Published"]
    assert not invalid_dates(root / "_site")
    # and back: a build without --future removes them again
    assert guarded_build(tmp_path, root).code == 0
    assert leaks(root / "_site", secret) == []


def test_an_offset_never_lets_a_future_entry_through(journal, tmp_path: Path) -> None:
    """An instant in the future written with a far-west offset, or in a far-west journal timezone."""
    secret = token()
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    soon_west = (now + dt.timedelta(hours=2)).astimezone(dt.timezone(dt.timedelta(hours=-11)))
    past_east = (now - dt.timedelta(hours=2)).astimezone(dt.timezone(dt.timedelta(hours=14)))
    adak_soon = (now + dt.timedelta(hours=1)).astimezone(dt.timezone(dt.timedelta(hours=-10))).replace(tzinfo=None)
    root = journal({
        "publog.yaml": "timezone: America/Adak\n",
        "entries/west.md": entry(f"West {secret}", soon_west.isoformat()),
        "entries/naive.md": entry(f"Naive {secret}", adak_soon.strftime("%Y-%m-%d %H:%M")),
        "entries/east.md": entry("East, already past", past_east.isoformat()),
    })
    result = guarded_build(tmp_path, root)
    assert result.code == 0, result.err
    assert leaks(root / "_site", secret) == []
    assert home_titles(root) == ["East, already past"]


@pytest.mark.parametrize("written, zone", [
    ("1970-01-01", "UTC"),
    ("1900-01-01 12:00", "UTC"),
    ("1969-12-31T23:59:59-01:00", "UTC"),
    ("9999-12-31T12:00:00-01:00", "UTC"),
    ("9999-12-31", "Pacific/Kiritimati"),
    ("0001-01-01", "UTC"),  # RSS years below 1000 are written with four digits, or readers take them for 2001
    ("1850-06-01 12:00", "Europe/Berlin"),
])
def test_far_past_and_future_dates_stay_valid_in_pages_and_feeds(written: str, zone: str, journal, tmp_path: Path) -> None:
    root = journal({"publog.yaml": f"timezone: {zone}\n", "entries/far.md": entry("Far", written),
                    "entries/near.md": entry("Near", "2024-01-01")})
    result = guarded_build(tmp_path, root, "--future")
    assert_clear(result)
    assert result.code == 0, result.err
    assert invalid_dates(root / "_site") == []
    import calendar

    import feedparser

    from zoneinfo import ZoneInfo

    meant = dt.datetime.fromisoformat(written) if len(written) > 10 else dt.datetime.fromisoformat(written + "T00:00")
    meant = meant if meant.tzinfo else meant.replace(tzinfo=ZoneInfo(zone))
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((root / "_site" / name).read_bytes())
        far = next(e for e in feed.entries if e.title == "Far")
        assert far.published_parsed is not None, (name, far.get("published"))
        assert calendar.timegm(far.published_parsed) == calendar.timegm(meant.utctimetuple()), (name, far.published)


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Australia/Lord_Howe", "America/Santiago"])
def test_entries_across_dst_changes_are_ordered_by_instant(zone: str, journal, tmp_path: Path) -> None:
    """Local times in a DST gap, in the repeated hour, and next to both, with and without offsets."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    # the year's two transitions, found rather than hard-coded
    changes = [t for t in (dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(minutes=15 * i) for i in range(35_136))
               if t.astimezone(tz).utcoffset() != (t - dt.timedelta(minutes=15)).astimezone(tz).utcoffset()]
    files, instants = {}, {}
    for n, change in enumerate(changes):
        for k, delta in enumerate((-45, -15, 15, 45)):
            instant = change + dt.timedelta(minutes=delta)
            local = instant.astimezone(tz)
            name = f"e{n}{k}"
            if k % 2:  # as an offset-qualified instant
                files[f"entries/{name}.md"] = entry(name, local.isoformat())
            else:  # as local wall time: publog resolves it in the journal's timezone
                files[f"entries/{name}.md"] = entry(name, local.strftime("%Y-%m-%d %H:%M"))
                instant = local.replace(tzinfo=None, fold=0).replace(tzinfo=tz).astimezone(dt.timezone.utc)  # as written: fold 0
            instants[name] = instant
        # a wall time just before the change: in the gap (spring) or next to the repeated hour (autumn)
        wall = change.astimezone(tz).replace(tzinfo=None, fold=0) - dt.timedelta(minutes=15)
        files[f"entries/g{n}.md"] = entry(f"g{n}", wall.strftime("%Y-%m-%d %H:%M"))
        instants[f"g{n}"] = wall.replace(tzinfo=tz).astimezone(dt.timezone.utc)
    assert len(changes) == 2, changes
    files["publog.yaml"] = f"timezone: {zone}\nper_page: 50\n"
    root = journal(files)
    result = guarded_build(tmp_path, root, "--future")
    assert result.code == 0, result.err
    expected = sorted(instants, key=lambda n: (-instants[n].timestamp(), n))
    assert home_titles(root) == expected
    for name, instant in instants.items():
        shown = datetime_attrs(root / f"_site/2024/{name}/index.html")[0]
        assert dt.datetime.fromisoformat(shown) == instant, (name, shown)
    assert invalid_dates(root / "_site") == []


def test_entries_at_the_same_instant_have_one_stable_order_everywhere(journal, tmp_path: Path) -> None:
    files = {
        "publog.yaml": BERLIN + "per_page: 50\n",
        "entries/d.md": entry("D", "2024-05-01T12:00:00+02:00", tags="[t]"),
        "entries/b.md": entry("B", "2024-05-01T10:00:00Z", tags="[t]"),
        "entries/c.md": entry("C", "2024-05-01 12:00", tags="[t]"),
        "entries/a.md": entry("A", "2024-05-01T06:00:00-04:00", tags="[t]"),
        "entries/sub/e.md": entry("E", "2024-05-01T10:00:00+00:00", tags="[t]", slug="e-sub"),
        "entries/2024-05-01-f.md": entry("F", "2024-05-01T12:00:00+02:00", tags="[t]"),
    }
    order = ["F", "A", "B", "C", "D", "E"]  # by file path: entries/2024-..., entries/a.md ... entries/sub/e.md
    one = journal(files, name="one")
    two = journal(dict(reversed(list(files.items()))), name="two")
    assert guarded_build(tmp_path, one, "--jobs", "1").code == 0
    assert guarded_build(tmp_path, two, "--jobs", "2").code == 0
    for root in (one, two):
        assert home_titles(root) == order
        assert home_titles(root, "_site/topics/t/index.html") == order
        rss = [i.findtext("title") for i in ET.parse(root / "_site/feed.xml").iter("item")]
        assert rss == order
        jf = [i["title"] for i in json.loads((root / "_site/feed.json").read_text())["items"]]
        assert jf == order
        ids = [i["id"] for i in json.loads((root / "_site/feed.json").read_text())["items"]]
        assert len(set(ids)) == len(ids)
    # older/newer links agree with that order
    page = (one / "_site/2024/b/index.html").read_text()
    assert "/2024/a/" in page and "/2024/c/" in page
