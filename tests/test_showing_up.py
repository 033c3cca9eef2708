"""What the site shows of showing up: streak, calendar, weekly digests, growth stages, recently tended."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser

from conftest import entry

SVG = "{http://www.w3.org/2000/svg}"


def page(root: Path, url: str) -> str:
    return (root / "_site" / url.strip("/") / "index.html").read_text()


WEEKLY = {
    "publog.yaml": "title: W\nbase_url: https://example.org/\ntimezone: Europe/Berlin\ncadence: weekly\n",
    # ISO 2020-W53 runs from Monday 28 December 2020 to Sunday 3 January 2021
    "entries/2020-12-28-a.md": entry("Monday of week 53", "2020-12-28T09:00:00+01:00", stage="seedling"),
    "entries/2021-01-03-b.md": entry("Sunday of week 53", "2021-01-03T23:30:00+01:00", stage="evergreen", updated="2021-01-20"),
    "entries/2021-01-04-c.md": entry("Monday of 2021-W01", "2021-01-04T00:10:00+01:00", stage="seedling", updated="2021-01-10"),
    "entries/2020-12-20-d.md": entry("Week 51", "2020-12-20"),
    "entries/2021-01-05-e.md": entry("Draft", "2021-01-05", draft="true"),
}


def test_weekly_digest_pages_follow_iso_weeks_across_the_year_boundary(journal, publog) -> None:
    root = journal(WEEKLY)
    assert publog("build", root, "--strict").code == 0
    assert sorted(p.name for p in (root / "_site/weeks").iterdir() if p.is_dir()) == ["2020-w51", "2020-w53", "2021-w01"]
    w53 = page(root, "/weeks/2020-w53/")
    assert "Week 53 of 2020" in w53 and "28 December 2020 to 3 January 2021" in w53
    assert re.findall(r'<a class="u-url" href="([^"]+)">', w53) == ["/2021/b/", "/2020/a/"]
    assert "Draft" not in page(root, "/weeks/2021-w01/")


def test_the_digest_feed_has_one_item_a_week_with_stable_ids(journal, publog) -> None:
    root = journal(WEEKLY)
    assert publog("build", root).code == 0
    feed = feedparser.parse((root / "_site/weeks/feed.xml").read_bytes())
    assert not feed.bozo
    assert [(e.title, e.id) for e in feed.entries] == [
        ("Week 1 of 2021: 1 entry", "tag:example.org,2021-01-04:week-2021-w01"),
        ("Week 53 of 2020: 2 entries", "tag:example.org,2020-12-28:week-2020-w53"),
        ("Week 51 of 2020: 1 entry", "tag:example.org,2020-12-14:week-2020-w51"),
    ]
    assert '<a href="https://example.org/2021/b/">Sunday of week 53</a>' in feed.entries[1].content[0].value
    (root / "entries/2020-12-29-f.md").write_text(entry("Tuesday of week 53", "2020-12-29"))
    assert publog("build", root).code == 0
    again = feedparser.parse((root / "_site/weeks/feed.xml").read_bytes())
    assert again.entries[1].id == feed.entries[1].id and again.entries[1].title == "Week 53 of 2020: 3 entries"


def test_growth_stages_and_the_recently_tended_feed(journal, publog) -> None:
    root = journal(WEEKLY)
    assert publog("build", root, "--strict").code == 0
    stages = page(root, "/stages/")
    seedlings = stages.split('id="stage-seedling"')[1].split("</section>")[0]
    assert re.findall(r'<a href="([^"]+)">', seedlings) == ["/2021/c/", "/2020/a/"]  # most recently tended first
    assert "last tended 10 January 2021" in seedlings
    assert 'href="/stages/#stage-evergreen">evergreen</a>' in page(root, "/2021/b/")
    assert "ast tended <time" in page(root, "/2021/b/")  # "Last tended": the journal names no author
    tended = feedparser.parse((root / "_site/tended/feed.xml").read_bytes())
    main = {e.link: e.id for e in feedparser.parse((root / "_site/feed.xml").read_bytes()).entries}
    assert [e.link for e in tended.entries] == ["https://example.org/2021/b/", "https://example.org/2021/c/"]
    assert all(main[e.link] == e.id for e in tended.entries)  # the same ids as the main feed


def test_stages_without_an_updated_entry_link_to_no_recently_tended_page(journal, publog) -> None:
    root = journal({"publog.yaml": "title: Stages\nbase_url: https://example.org/\n",
                    "entries/2021-01-02-a.md": entry("A", "2021-01-02", "First.", stage="seedling")})
    assert publog("build", root, "--strict", "--no-daemon").code == 0
    assert not (root / "_site/tended").exists()  # nothing was ever updated
    stages = page(root, "/stages/")
    assert "/2021/a/" in stages and "/tended/" not in stages


def test_an_unknown_stage_is_an_error_at_its_line(journal, publog) -> None:
    root = journal({"entries/a.md": entry("A", "2024-01-01", stage="sapling")})
    result = publog("build", root)
    assert result.code == 1
    assert result.problems == ["entries/a.md:4: 'stage' must be one of seedling, budding, evergreen, not 'sapling'"]


def test_the_now_page_shows_the_streak_and_a_calendar_with_a_text_alternative(journal, publog) -> None:
    root = journal(WEEKLY)
    assert publog("build", root).code == 0
    now = page(root, "/now/")
    # weeks 51, 53 and 2021-W01 have entries, 52 has none: the streak as of the newest entry is 2
    assert "2 weeks in a row with an entry (longest: 2)" in now
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", now, re.S).group(0))
    assert svg.get("role") == "img" and "4 entries" in svg.get("aria-label")
    cells = {c.get("data-date") or c.findtext(f"{SVG}title"): c for c in svg.iter(f"{SVG}rect")}
    titles = [c.findtext(f"{SVG}title") for c in svg.iter(f"{SVG}rect")]
    assert "1 entry on 28 December 2020" in titles and "1 entry on 3 January 2021" in titles
    assert len(titles) <= 53 * 7
    table = now.split('<details class="calendar-text">')[1]
    assert re.search(r"<th scope=\"row\">December 2020</th><td>2</td><td>2</td>", table)
    assert "2 weeks in a row" in page(root, "/")
