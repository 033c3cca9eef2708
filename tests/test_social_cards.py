"""Social cards: every page names an og:image that is in the site, as a link-preview bot would fetch it."""

from __future__ import annotations

import io
import re
import shutil
import sqlite3
import statistics
import sys
from contextlib import closing
from html import unescape
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from conftest import REPO, SAMPLE, entry
from publog.render import card_image
from publog.render.card_image import CardText
from publog.run.cache import CACHE_DIR, settings_key

sys.path.insert(0, str(REPO / "benchmarks"))
from page_weight import page_type  # noqa: E402  the budget's own idea of an entry page

BASE = "https://example.org/notes/"
_META = re.compile(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">')


def metas(page: Path) -> dict[str, str]:
    return {name: unescape(value) for name, value in _META.findall(page.read_text(encoding="utf-8"))}


def site_file(site: Path, base: str, url: str) -> Path:
    assert url.startswith(base), url
    return site / url.removeprefix(base)


def png_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        assert image.format == "PNG"
        image.load()  # a truncated file fails here
        return image.size


def pages(site: Path) -> list[Path]:
    """The site's HTML pages but the redirects from old addresses, which are no pages to share."""
    return [p for p in sorted(site.rglob("*.html")) if "http-equiv" not in p.read_text(encoding="utf-8")[:600]]


def cards_in(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.glob("*.png"))}


def kept_cards(root: Path) -> dict[str, tuple[bytes, int]]:
    """The cards the build cache keeps, by file name: their bytes and their row (a card saved again gets a new one)."""
    with closing(sqlite3.connect(root / CACHE_DIR / settings_key() / "cache.sqlite")) as db:
        return {file.rpartition("/")[2]: (png, row) for row, file, png in db.execute("SELECT rowid, name, png FROM cards ORDER BY name")}


def photo(size: tuple[int, int] = (800, 420)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (40, 120, 200)).save(out, "PNG")
    return out.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def small(journal, name: str = "journal") -> Path:
    return journal({
        "publog.yaml": f"title: Field notes\nbase_url: {BASE}\nsearch: false\n"
                       "topics:\n  sql: {name: SQL}\n",
        "entries/2024-01-01-chart.md": entry("With a chart", "2024-01-01", tags="[sql]",
                                             body="Text.\n\n![A bar chart of joins](img/chart.png)\n\n![later](img/b.png)"),
        "entries/img/chart.png": photo(),
        "entries/img/b.png": photo((100, 100)),
        "entries/2024-01-02-svg.md": entry("Only a drawing", "2024-01-02", kind="til", body="![a box](img/box.svg)"),
        "entries/img/box.svg": SVG,
        "entries/2024-01-03-far.md": entry("Pictures of others", "2024-01-03", body="![x](https://elsewhere.example/x.png)"),
        "entries/2024-01-04-plain.md": entry("Plain words", "2024-01-04", tags="[sql]", kind="log"),
        "entries/2024-01-05-draft.md": entry("My secret draft title", "2024-01-05", draft="true"),
        "entries/2024-01-06-private.md": entry("A private worry", "2024-01-06", private="true",
                                               body="![photo](img/chart.png)"),
    }, name)


def check_site(site: Path, base: str) -> dict[str, dict[str, str]]:
    """Every page's social card: named, in the site, of the size its page says; by page."""
    found = {}
    for page in pages(site):
        shown = metas(page)
        rel = page.relative_to(site).as_posix()
        assert "og:image" in shown, rel
        assert shown["twitter:image"] == shown["og:image"], rel
        assert shown["twitter:card"] == "summary_large_image", rel
        assert shown["og:image:alt"], rel
        image = site_file(site, base, shown["og:image"])
        assert image.is_file(), (rel, shown["og:image"])
        with Image.open(image) as opened:
            assert opened.size == (int(shown["og:image:width"]), int(shown["og:image:height"])), rel
        if "/cards/" in shown["og:image"]:
            assert png_size(image) == (1200, 630), rel
        found[rel] = shown
    return found


def test_every_page_of_a_small_journal_has_a_card_in_the_site(journal, publog) -> None:
    root = small(journal)
    assert publog("build", root, "--strict").code == 0
    site = root / "_site"
    shown = check_site(site, BASE)
    assert shown["2024/chart/index.html"]["og:image"] == BASE + "img/chart.png"
    assert shown["2024/chart/index.html"]["og:image:alt"] == "A bar chart of joins"
    for drawn in ("svg", "far", "plain"):  # an SVG, another site's image, none
        assert "/cards/" in shown[f"2024/{drawn}/index.html"]["og:image"], drawn
    home = shown["index.html"]["og:image"]
    assert "/cards/" in home and shown["topics/sql/index.html"]["og:image"] == home
    entry_cards = {shown[f"2024/{d}/index.html"]["og:image"] for d in ("svg", "far", "plain")}
    assert len(entry_cards | {home}) == 4  # each entry's own
    # Nothing of the draft or the private entry: no card drawn in the site or in the cache.
    assert len(list((site / "cards").iterdir())) == 4 and len(kept_cards(root)) == 4
    for name in ("My secret draft title", "A private worry"):
        for page in site.rglob("*"):
            if page.is_file() and page.suffix != ".png":
                assert name.encode() not in page.read_bytes(), page


def test_a_draft_in_a_preview_shows_the_sites_card_not_one_of_its_own(journal, publog) -> None:
    root = small(journal)
    assert publog("build", root, "--drafts").code == 0
    shown = check_site(root / "_site", BASE)
    assert shown["2024/draft/index.html"]["og:image"] == shown["index.html"]["og:image"]
    assert len(list((root / "_site/cards").iterdir())) == 4


def test_an_edit_draws_only_the_edited_entrys_card_and_a_card_goes_with_its_entry(journal, publog) -> None:
    root = small(journal)
    assert publog("build", root).code == 0
    site = root / "_site/cards"
    before, before_site = kept_cards(root), cards_in(site)
    plain = root / "entries/2024-01-04-plain.md"
    plain.write_text(plain.read_text().replace("Plain words", "Plainer words"))
    assert publog("build", root).code == 0
    after, after_site = kept_cards(root), cards_in(site)
    assert len(set(after) - set(before)) == 1 and len(set(before) - set(after)) == 1
    assert all(after[name] == before[name] for name in set(after) & set(before))  # not drawn again
    assert set(after_site) == set(after) and all(after_site[n] == before_site[n] for n in set(after) & set(before))
    # A change of the text alone draws nothing.
    plain.write_text(plain.read_text().replace("Some text.", "Other text."))
    assert publog("build", root).code == 0
    assert kept_cards(root) == after
    # An entry that goes takes its card with it, from the site and the cache.
    plain.unlink()
    assert publog("build", root).code == 0
    assert len(kept_cards(root)) == len(after) - 1 and set(cards_in(site)) == set(kept_cards(root))


def test_a_link_in_the_cache_named_as_a_card_is_never_followed_into_the_site(journal, publog, tmp_path: Path) -> None:
    """The cache may come with a cloned repository: a cards folder that is a link to a folder holding a
    key named as a card (where publog kept its cards before they were rows of its database) is not read."""
    root = small(journal)
    assert publog("build", root).code == 0
    name = sorted(kept_cards(root))[0]
    planted = tmp_path / "planted"
    planted.mkdir()
    (planted / name).write_bytes(b"-----BEGIN OPENSSH PRIVATE KEY-----\nnot for the web\n")
    (root / CACHE_DIR / settings_key() / "cards").symlink_to(planted)
    shutil.rmtree(root / "_site")
    done = publog("build", root, "--no-daemon")
    assert done.code == 0 and "is a link" in done.err, done.err
    assert (planted / name).read_bytes().startswith(b"-----BEGIN")  # left alone
    assert (root / "_site/cards" / name).read_bytes().startswith(b"\x89PNG")  # drawn
    for page in (root / "_site").rglob("*"):
        assert not page.is_symlink() and b"PRIVATE KEY" not in (page.read_bytes() if page.is_file() else b""), page


def test_two_cold_builds_in_other_folders_draw_the_same_bytes(journal, publog) -> None:
    first, second = small(journal, "one"), small(journal, "two")
    for root in (first, second):
        assert publog("build", root).code == 0
    made = cards_in(first / "_site/cards")
    assert made and {n: b for n, (b, _) in made.items()} == {n: b for n, (b, _) in cards_in(second / "_site/cards").items()}
    for data, _ in made.values():
        assert not re.search(rb"tEXt|iTXt|zTXt|tIME|eXIf", data)  # no metadata, no timestamp


def test_cards_can_be_turned_off(journal, publog) -> None:
    root = small(journal)
    settings = root / "publog.yaml"
    settings.write_text(settings.read_text() + "social_cards: false\n")
    assert publog("build", root, "--strict").code == 0
    assert not (root / "_site/cards").exists()
    shown = metas(root / "_site/2024/chart/index.html")
    assert "og:image" not in shown and shown["twitter:card"] == "summary"


@pytest.mark.parametrize("text", [
    CardText("Log · SQL", "How I finally understood joins", "Compiling Slowly"),
    CardText("Case study · " + "Data " * 40, "A title that goes on " * 20, "A journal " * 30),
    CardText("", "日本語のタイトルはスペースがないので文字で折り返す必要があります" * 4, "学習日誌"),
    CardText("Заметка", "مرحبا بالعالم Ελληνικά 🎉 Supercalifragilisticexpialidocious" * 3, "\u200f\u0000x"),
    CardText("", "", ""),
])
def test_any_text_draws_a_card_of_the_same_bytes_every_time(text: CardText) -> None:
    data = card_image.draw(text)
    assert data == card_image.draw(text)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (1200, 630)
        image.load()  # every chunk's CRC and the pixels' checksum hold: publog writes the PNG itself
        assert image.getpixel((600, 5)) == image.getpixel((0, 0)) != image.getpixel((600, 620))  # the accent band


@pytest.mark.slow
def test_every_page_of_the_sample_journal_has_a_card_and_entry_pages_stay_light(tmp_path: Path, publog) -> None:
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns(".publog-cache", "_site"))
    assert publog("build", root, "--strict").code == 0
    site = root / "_site"
    shown = check_site(site, "https://maya.example.org/")
    joins = shown["2026/how-i-finally-understood-joins/index.html"]
    assert joins["og:image"] == "https://maya.example.org/images/whiteboard.jpg"  # its own photo
    assert "/cards/" in shown["2026/the-dashboard-that-misled-our-launch/index.html"]["og:image"]  # an SVG chart
    # The theme's budget (benchmarks/page_weight.py): a typical page with its stylesheet under 30 KB, images not counted.
    css = sum(p.stat().st_size for p in (site / "static").glob("*.css"))
    typical = statistics.median(p.stat().st_size for p in site.rglob("*.html") if page_type(p.relative_to(site).as_posix()) == "entry")
    assert typical + css < 30 * 1024


def exact_wrap(text: str, font: object, width: int) -> list[str]:
    """Greedy wrapping that measures every candidate line whole: what a card's title wrapping must equal."""
    lines, line = [], ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while font.getlength(word) > width:
            cut = max(n for n in range(1, len(word) + 1) if n == 1 or font.getlength(word[:n]) <= width)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    return lines + [line] if line else lines


@given(st.lists(st.text(alphabet="AVTyWo.,'jgl ijqQ—éЖ日", min_size=1, max_size=14), min_size=1, max_size=16),
       st.sampled_from((76, 54, 34)))
@settings(max_examples=150, deadline=None)
def test_a_title_wraps_as_if_each_line_were_measured_whole(words: list[str], size: int) -> None:
    text = " ".join(words)
    font = card_image._font(size)
    lines = card_image._wrapped(text, font, card_image._TEXT_WIDTH)
    assert lines == exact_wrap(text, font, card_image._TEXT_WIDTH)
    assert all(font.getlength(line) <= card_image._TEXT_WIDTH for line in lines)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30),
       st.sampled_from((76, 54)))
@settings(max_examples=150, deadline=None)
def test_a_title_line_is_drawn_as_pillow_draws_it(text: str, size: int) -> None:
    from PIL import Image, ImageChops, ImageDraw

    text = " ".join(text.split()) or "x"  # as a title's lines are: one line, its spaces single
    ours, pillows = Image.new("L", (1400, 200)), Image.new("L", (1400, 200))
    card_image._draw_line(ImageDraw.Draw(ours), 81, 20, text, size)
    ImageDraw.Draw(pillows).text((81, 20), text, font=card_image._font(size), fill=255)
    assert ImageChops.difference(ours, pillows).getbbox() is None, text  # pixel for pixel


def test_a_check_that_may_not_write_the_cache_draws_only_the_cards_it_lacks(journal, monkeypatch) -> None:
    """A kept build process readies itself with such a check after a build that found nothing changed:
    it reads the cards the cache keeps, draws only a new entry's, and leaves the cache as it was."""
    from publog.render import social_cards
    from publog.run.build import Options, build
    from publog.run.session import Session

    root = small(journal)
    assert build(root, Options(jobs=1)).ok
    kept = kept_cards(root)
    drawn: list[str] = []
    draw = social_cards.draw
    monkeypatch.setattr(social_cards, "draw", lambda todo: drawn.extend(f for f, _ in todo) or draw(todo))
    assert build(root, Options(check_only=True, jobs=1), Session(root, writable=False)).ok
    assert drawn == []
    (root / "entries/2024-01-07-new.md").write_text(entry("A new one", "2024-01-07"), encoding="utf-8")
    assert build(root, Options(check_only=True, jobs=1), Session(root, writable=False)).ok
    assert len(drawn) == 1 and kept_cards(root) == kept
