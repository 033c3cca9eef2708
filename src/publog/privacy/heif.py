"""HEIF and AVIF images (ISO BMFF) without their metadata: Exif and XMP items are overwritten in place,
so no item location has to move."""

from __future__ import annotations

from collections.abc import Iterator

from . import exif
from .exif import DamagedImage


HEIF_BRANDS = frozenset({
    b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"mif2", b"msf1", b"avif", b"avis",
})
_EMPTY_XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/><?xpacket end="w"?>'
)


def _uint(data: bytes, pos: int, size: int, stop: int) -> int:
    if pos + size > stop:
        raise DamagedImage(f"truncated box at byte {pos}")
    return int.from_bytes(data[pos:pos + size], "big")


def _boxes(data: bytes, start: int, stop: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, end) of each box between start and stop."""
    pos = start
    while pos + 8 <= stop:
        size, kind, head = _uint(data, pos, 4, stop), data[pos + 4:pos + 8], 8
        if size == 1:
            size, head = _uint(data, pos + 8, 8, stop), 16
        elif size == 0:
            size = stop - pos
        if size < head or pos + size > stop:
            raise DamagedImage(f"truncated box at byte {pos}")
        yield kind, pos + head, pos + size
        pos += size


def _heif_infos(data: bytes, start: int, stop: int) -> dict[int, str]:
    """Item ID -> "exif" or "xmp" for the metadata items an iinf box lists."""
    found: dict[int, str] = {}
    first = start + (6 if _uint(data, start, 1, stop) == 0 else 8)
    for kind, s, e in _boxes(data, first, stop):
        version = _uint(data, s, 1, e) if kind == b"infe" else -1
        if version >= 2:
            wide = 2 if version == 2 else 4
            if s + wide + 10 > e:
                raise DamagedImage(f"truncated box at byte {s}")
            item, item_type, pos = _uint(data, s + 4, wide, e), data[s + 6 + wide:s + 10 + wide], s + 10 + wide
            if item_type == b"Exif":
                found[item] = "exif"
            if item_type != b"mime":
                continue
        elif version >= 0:
            item, pos = _uint(data, s + 4, 2, e), s + 8
        else:
            continue
        name_end = data.find(b"\x00", pos, e)  # the item's name, then its content type
        content_end = data.find(b"\x00", name_end + 1, e) if name_end >= 0 else -1
        if name_end >= 0 and data[name_end + 1:content_end if content_end >= 0 else e] == b"application/rdf+xml":
            found[item] = "xmp"
    return found


def _heif_locations(
    data: bytes, start: int, stop: int, idat: tuple[int, int] | None, wanted: dict[int, str]
) -> dict[int, list[tuple[int, int]] | None]:
    """Item ID -> (file offset, length) spans of each wanted item an iloc box places; None when out of reach."""
    version, sizes = _uint(data, start, 1, stop), _uint(data, start + 4, 2, stop)
    offset_size, length_size, base_size = sizes >> 12, sizes >> 8 & 15, sizes >> 4 & 15
    index_size = sizes & 15 if version in (1, 2) else 0
    if version > 2 or {offset_size, length_size, base_size, index_size} - {0, 4, 8}:
        raise DamagedImage(f"unexpected field size in the item locations at byte {start}")
    wide = 4 if version == 2 else 2
    count, pos = _uint(data, start + 6, wide, stop), start + 6 + wide
    found: dict[int, list[tuple[int, int]] | None] = {}
    for _ in range(count):  # every item takes bytes, so a huge count ends at the box's end
        item, pos = _uint(data, pos, wide, stop), pos + wide
        method = 0
        if version in (1, 2):
            method, pos = _uint(data, pos, 2, stop) & 15, pos + 2
        reference, base = _uint(data, pos, 2, stop), _uint(data, pos + 2, base_size, stop)
        extents, pos = _uint(data, pos + 2 + base_size, 2, stop), pos + 4 + base_size
        if extents > 1 and offset_size + length_size + index_size == 0:
            raise DamagedImage(f"empty item extents at byte {pos}")
        spans = []
        for _ in range(extents):
            pos += index_size
            offset, length = _uint(data, pos, offset_size, stop), _uint(data, pos + offset_size, length_size, stop)
            pos += offset_size + length_size
            spans.append((base + offset, length))
        if item not in wanted:
            continue
        if method == 0 and reference == 0:
            origin, limit = 0, len(data)
        elif method == 1 and idat is not None:
            origin, limit = idat
        else:
            found[item] = None  # in another file or built from other items: has_location still searches all bytes
            continue
        resolved = [(origin + s, n or limit - origin - s) for s, n in spans]
        if any(s + n > limit or n < 0 for s, n in resolved):
            raise DamagedImage(f"an item lies past the end of the file at byte {start}")
        found[item] = resolved
    return found


def _heif_items(data: bytes) -> list[tuple[str, list[tuple[int, int]] | None]]:
    meta = next((box for box in _boxes(data, 0, len(data)) if box[0] == b"meta"), None)
    if meta is None:
        return []
    wanted: dict[int, str] = {}
    iloc = idat = None
    for kind, s, e in _boxes(data, meta[1] + 4, meta[2]):
        if kind == b"iinf":
            wanted = _heif_infos(data, s, e)
        elif kind == b"iloc":
            iloc = (s, e)
        elif kind == b"idat":
            idat = (s, e)
    if not wanted:
        return []
    if iloc is None:
        raise DamagedImage("metadata items without item locations")
    return [(wanted[item], spans) for item, spans in _heif_locations(data, *iloc, idat, wanted).items()]


def _blank(what: str, blob: bytes) -> bytes:
    """A metadata item's new content of the same length: a TIFF block with the orientation alone, or empty XMP."""
    if what == "exif":
        # The item starts with the offset of its TIFF block; written anew, it points past an "Exif\0\0" prefix.
        tiff_at = 4 + int.from_bytes(blob[:4], "big")
        new = b"\x00\x00\x00\x06Exif\x00\x00" + exif.orientation_block(exif.orientation_and_gps(blob, tiff_at)[0])
        return new.ljust(len(blob), b"\x00") if len(new) <= len(blob) else bytes(len(blob))
    return _EMPTY_XMP.ljust(len(blob)) if len(_EMPTY_XMP) <= len(blob) else b" " * len(blob)


def clean_heif(data: bytes) -> bytes:
    items = [(what, spans) for what, spans in _heif_items(data) if spans is not None]
    if not items:
        return data
    out = bytearray(data)
    for what, spans in items:
        new = _blank(what, b"".join(data[s:s + n] for s, n in spans))
        done = 0
        for s, n in spans:
            out[s:s + n] = new[done:done + n]
            done += n
    return bytes(out)
