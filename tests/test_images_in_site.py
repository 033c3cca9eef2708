"""Photos published by a build lose their location and camera details, keep their pixels and orientation."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from conftest import entry, snapshot
from publog.privacy import images

from PIL import Image


def photo(fmt: str = "JPEG") -> bytes:
    picture = Image.new("RGB", (64, 48), (200, 120, 40))
    for x in range(64):
        picture.putpixel((x, x % 48), (10, 20, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate when shown
    exif[0x010F] = "PhoneMaker"
    exif[0xA431] = "SERIAL-12345"  # body serial number
    exif.get_ifd(0x8825).update({1: "N", 2: (59.0, 20.0, 1.5), 3: "E", 4: (18.0, 4.0, 2.0)})
    out = io.BytesIO()
    picture.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


@pytest.mark.parametrize("fmt, name", [("JPEG", "whiteboard.jpg"), ("PNG", "chart.png"), ("WEBP", "desk.webp")])
def test_published_photos_have_no_location_and_keep_their_pixels(journal, publog, fmt: str, name: str) -> None:
    data = photo(fmt)
    assert images.has_location(data)
    root = journal({
        "entries/2024-01-01-a.md": entry("A", "2024-01-01", body=f"![the board](img/{name})"),
        f"entries/img/{name}": data,
        f"static/{name}": data,
    })
    assert publog("build", root, "--strict").code == 0
    for out in (root / "_site/img" / name, root / "_site" / name):
        published = out.read_bytes()
        assert not images.has_location(published)
        assert b"SERIAL-12345" not in published and b"PhoneMaker" not in published
        before, after = Image.open(io.BytesIO(data)), Image.open(out)
        assert after.tobytes() == before.tobytes()
        assert after.getexif().get(0x0112) == 6
    assert (root / "entries/img" / name).read_bytes() == data  # the author's own file is untouched


def test_an_unchanged_photo_is_not_processed_again(journal, publog) -> None:
    root = journal({"entries/2024-01-01-a.md": entry("A", "2024-01-01", body="![p](p.jpg)"), "entries/p.jpg": photo()})
    assert publog("build", root).code == 0
    stamp = (root / "_site/p.jpg").stat().st_mtime_ns
    (root / "entries/2024-01-01-a.md").write_text(entry("A", "2024-01-01", body="![p](p.jpg) edited"))
    assert publog("build", root).code == 0
    assert (root / "_site/p.jpg").stat().st_mtime_ns == stamp


def test_a_broken_image_is_named_and_the_old_site_stays(journal, publog) -> None:
    root = journal({"entries/2024-01-01-a.md": entry("A", "2024-01-01"), "static/ok.txt": "ok"})
    assert publog("build", root).code == 0
    before = snapshot(root / "_site")
    (root / "static/broken.jpg").write_bytes(photo()[:300])
    result = publog("build", root)
    assert result.code == 1
    assert result.problems == ["static/broken.jpg:1: is not a valid JPEG (truncated segment at byte 20); re-export it"] or \
        result.problems[0].startswith("static/broken.jpg:1: is not a valid JPEG")
    assert snapshot(root / "_site") == before
