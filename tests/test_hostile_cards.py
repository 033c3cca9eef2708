"""Social cards against what a journal or its cache may hold: a picture past Pillow's bomb limit, a cache
whose cards folder is a file. A build says nothing but ``path:line:`` problems, and never fails as a bug."""

from __future__ import annotations

import re
import shutil
import sqlite3
import struct
import zlib
from contextlib import closing
from pathlib import Path

import pytest

from conftest import entry, run_cli
from publog.run.cache import CACHE_DIR, settings_key

BASE = "https://example.org/"


def blank_png(width: int, height: int) -> bytes:
    """A black one-bit PNG, made by hand: Pillow takes seconds to draw and save one this large."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = bytes(1 + (width + 7) // 8) * height
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def og_image(page: Path) -> str:
    found = re.search(r'<meta property="og:image" content="([^"]*)">', page.read_text(encoding="utf-8"))
    assert found, page
    return found.group(1)


def test_a_picture_past_pillows_bomb_limit_prints_no_python_warning(journal) -> None:
    """A 10000 x 10000 scan (12 KB as a one-bit PNG) is past Pillow's warning limit: its size is read from
    its header alone, so there is no bomb to warn of, and a user sees no line of Pillow's."""
    root = journal({
        "publog.yaml": f"title: Scans\nbase_url: {BASE}\nsearch: false\n",
        "entries/2024-01-01-scan.md": entry("A scan", "2024-01-01", body="![the page](img/scan.png)"),
        "entries/img/scan.png": blank_png(10000, 10000),
    })
    done = run_cli("build", root, "--no-daemon")
    assert done.code == 0, done.err
    assert "Warning" not in done.err and ".py:" not in done.err, done.err
    assert og_image(root / "_site/2024/scan/index.html") == BASE + "img/scan.png"


def test_a_card_damaged_in_the_cache_is_drawn_again_not_published(journal) -> None:
    """A cache that came with a cloned folder, or a disk that lost bytes, may hold a card other than the
    one saved: the build says the cache was damaged, draws the cards again and publishes what it drew."""
    root = journal({
        "publog.yaml": f"title: Notes\nbase_url: {BASE}\nsearch: false\n",
        "entries/2024-01-01-a.md": entry("First words", "2024-01-01"),
    })
    assert run_cli("build", root, "--no-daemon").code == 0
    site = root / "_site"
    card = site / og_image(site / "2024/a/index.html").removeprefix(BASE)
    drawn = card.read_bytes()
    with closing(sqlite3.connect(root / CACHE_DIR / settings_key() / "cache.sqlite")) as db, db:
        assert db.execute("UPDATE cards SET png = ? WHERE name = ?", (b"\x89PNG not this", f"cards/{card.name}")).rowcount == 1
    shutil.rmtree(site)
    (root / "entries/2024-01-02-b.md").write_text(entry("Second words", "2024-01-02"), encoding="utf-8")
    done = run_cli("build", root, "--no-daemon")
    assert done.code == 0 and "bug" not in done.err, done.err
    assert "the build cache was damaged (the card " in done.err, done.err
    assert card.read_bytes() == drawn
    for page in ("2024/a/index.html", "2024/b/index.html", "index.html"):
        assert (site / og_image(site / page).removeprefix(BASE)).read_bytes().startswith(b"\x89PNG\r\n"), page


def test_an_image_its_author_commented_out_is_not_the_page_s_picture(journal) -> None:
    root = journal({
        "publog.yaml": f"title: Drafts of pictures\nbase_url: {BASE}\nsearch: false\n",
        "entries/2024-01-01-plan.md": entry("A plan", "2024-01-01",
                                            body='Words.\n\n<!-- <img src="img/p.png" alt="not this one"> -->\n'),
        "entries/img/p.png": blank_png(1200, 630),
    })
    run = run_cli("build", root, "--no-daemon")
    assert run.code == 0, run.err
    page = root / "_site/2024/plan/index.html"
    assert "/cards/" in og_image(page) and "not this one" not in page.read_text().split("</head>")[0]


def _with_chunk(png: bytes, kind: bytes, data: bytes) -> bytes:
    """``png`` with a chunk after its header, as a cache's planted row could hold."""
    chunk = struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return png[:33] + chunk + png[33:]


SECRET = b"Acme merger, key AKIAIOSFODNN7EXAMPLE"


def _cards_journal(journal) -> Path:
    root = journal({
        "publog.yaml": f"title: Notes\nbase_url: {BASE}\nsearch: false\nprivacy:\n  never_publish: [Acme]\n",
        "entries/2024-01-01-a.md": entry("First words", "2024-01-01"),
    })
    assert run_cli("build", root, "--no-daemon").code == 0
    return root


def _published_cards_hold_none_of_it(root: Path) -> None:
    for card in (root / "_site/cards").iterdir():
        assert card.read_bytes().startswith(b"\x89PNG") and b"Acme" not in card.read_bytes(), card


@pytest.mark.parametrize("kind, data", [
    (b"tEXt", b"Comment\0" + SECRET),  # what an image's cleaning strips
    (b"iCCP", SECRET[:79] + b"\0\0" + zlib.compress(b"profile")),  # what it keeps: a profile's name,
    (b"sPLT", SECRET + b"\0\x08"),  # a suggested palette's,
    (b"tRNS", SECRET),  # free bytes,
    (b"ACME", SECRET),  # a chunk of a kind no reader knows
])
def test_a_planted_card_row_publishes_no_text_of_its_own(journal, kind: bytes, data: bytes) -> None:
    """Found by red-team passes: the cache may come with a cloned folder, and a card row is published as
    an image. A row holding a chunk with a never-publish term and a key (and its checksum) is not published."""
    root = _cards_journal(journal)
    database = root / CACHE_DIR / settings_key() / "cache.sqlite"
    with closing(sqlite3.connect(database)) as db, db:
        for name, png in db.execute("SELECT name, png FROM cards").fetchall():
            planted = _with_chunk(png, kind, data)
            db.execute("UPDATE cards SET png = ?, checksum = ? WHERE name = ?", (planted, zlib.crc32(planted), name))
    shutil.rmtree(root / "_site")
    done = run_cli("build", root, "--no-daemon")
    assert done.code == 0 and "is not one publog draws" in done.err, done.err
    _published_cards_hold_none_of_it(root)


def test_a_planted_trigger_puts_no_card_of_its_own_in_the_site(journal) -> None:
    """A trigger, which would put a card of its own in place of every one drawn later, is not let in."""
    root = _cards_journal(journal)
    planted = _with_chunk(sorted((root / "_site/cards").iterdir())[0].read_bytes(), b"tEXt", b"Comment\0" + SECRET)
    with closing(sqlite3.connect(root / CACHE_DIR / settings_key() / "cache.sqlite")) as db, db:
        db.execute(f"CREATE TRIGGER planted AFTER INSERT ON cards BEGIN UPDATE cards SET png = x'{planted.hex()}', "
                   f"checksum = {zlib.crc32(planted)} WHERE name = new.name; END")
    (root / "entries/2024-01-01-a.md").write_text(entry("Other words", "2024-01-01"), encoding="utf-8")
    done = run_cli("build", root, "--no-daemon")
    assert done.code == 0 and "it holds the trigger planted, which publog never makes" in done.err, done.err
    _published_cards_hold_none_of_it(root)
