"""Images copied to the output lose their metadata, never a pixel.

A phone photo says where it was taken and which camera took it; an edited one
carries its editing history. `clean` removes those parts of a file at the
container level (JPEG segments, PNG and WebP chunks, HEIF metadata items, GIF
comment and application extensions, SVG metadata elements and comments) and
keeps every byte of the compressed image, so nothing is re-encoded. The one
fact kept is the orientation, written back alone, so a photo does not turn.
`has_location` is the check a build runs over the files it wrote: it looks for
GPS metadata anywhere in an image, independently of how `clean` walks it.

Everything here is a pure function of the bytes, so a cleaned image can be
cached by its source's stamp and `VERSION`.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator

# Bump when what `clean` keeps or writes changes, so cached cleaned images are not reused.
VERSION = "2"

_FIX = "convert it to JPEG or remove its location, then build again"
_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WebP": "WebP", "HEIF": "HEIC/AVIF image", "GIF": "GIF", "SVG": "SVG"}
_HEIF_BRANDS = frozenset({
    b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"mif2", b"msf1", b"avif", b"avis",
})
# Ancillary PNG chunks that say how to show the pixels; any other ancillary chunk may carry metadata.
_PNG_KEEP = frozenset({
    b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"cICP", b"mDCV", b"mDCv", b"cLLI", b"cLLi",
    b"bKGD", b"hIST", b"sPLT", b"pHYs", b"acTL", b"fcTL", b"fdAT",
})
_WEBP_KEEP = frozenset({b"VP8X", b"ICCP", b"ANIM", b"ANMF", b"ALPH", b"VP8 ", b"VP8L"})
# Where a scan's entropy-coded data ends: a 0xFF that is no stuffed 0x00, restart marker or fill byte.
_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_XMP_GPS = (b"exif:GPS", b"GPSLatitude", b"GPSLongitude")
# GIF application extensions that say how to play the frames or show their colours; others carry metadata (XMP).
_GIF_KEEP = frozenset({b"NETSCAPE2.0", b"ANIMEXTS1.0", b"ICCRGBG1012"})
# What an SVG shows nothing of: its metadata elements (RDF, with Exif GPS) and comments; CDATA is left alone.
_SVG_UNSHOWN = re.compile(r"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<(?:\w+:)?metadata\b[^>]*?(?:/>|>.*?</(?:\w+:)?metadata\s*>)", re.S | re.I)
_SVG_START = re.compile(rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]", re.S | re.I)
_TIFF_HEADERS = (b"MM\x00\x2a", b"II\x2a\x00")
_EMPTY_XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/><?xpacket end="w"?>'
)
# Real IFD0s hold a few dozen tags and files a handful of Exif blocks; the caps bound the work on hostile bytes.
_MAX_TAGS = 512
_MAX_HEADERS = 1024


class _Damaged(ValueError):
    """What is wrong with a file, said before the file's name and format are added."""


def is_image(data: bytes) -> bool:
    """Whether the bytes are a JPEG, PNG, WebP, HEIC/AVIF, GIF, TIFF or SVG file, judged by their first bytes
    (an SVG's in any Unicode encoding)."""
    return _kind(data) is not None


def clean(data: bytes, name: str) -> bytes:
    """The image without its metadata, its compressed image data byte for byte the same.

    JPEG, PNG and WebP lose Exif, XMP, comments and text; GIF its comments and
    application extensions but those of animation and colour; SVG its metadata
    elements and comments (written back as UTF-8 when it loses any); HEIC/AVIF keep their
    metadata items' places but lose their contents. An orientation other than
    1 is written back as a minimal Exif. Other files come back unchanged. The
    result never has a location (`has_location`); a damaged image, or one whose
    location cannot be removed (GIF, TIFF, unusual HEIF), raises ValueError
    with a message for the journal's author naming `name`.
    """
    kind = _kind(data)
    try:
        if kind == "JPEG":
            result = _clean_jpeg(data)
        elif kind == "PNG":
            result = _clean_png(data)
        elif kind == "WebP":
            result = _clean_webp(data)
        elif kind == "HEIF":
            result = _clean_heif(data)
        elif kind == "GIF":
            try:
                result = _clean_gif(data)
            except _Damaged:  # browsers show GIFs cut short or oddly made; left as they are, located or not
                result = data
        elif kind == "SVG":
            result = _clean_svg(data)
        else:
            result = data
    except _Damaged as damage:
        raise ValueError(f"{name} is not a valid {_NAMES[kind or '']} ({damage}); re-export it") from None
    if kind is not None and has_location(result):
        raise ValueError(f"{name} has its location in metadata publog cannot remove from a {kind} file; {_FIX}")
    return result


def has_location(data: bytes) -> bool:
    """Whether an image's bytes carry GPS metadata: an Exif GPS IFD with a tag, or XMP naming GPS coordinates.

    It searches the whole file rather than walking its structure, so it also
    sees metadata in damaged files and in trailing bytes, and it does not share
    `clean`'s assumptions. Bytes that are no image (`is_image`) give False at once.
    """
    kind = _kind(data)
    if kind is None:
        return False
    if kind == "SVG":
        data = _svg_text(data).encode("utf-8", "surrogatepass")
    if any(data.find(marker) >= 0 for marker in _XMP_GPS):
        return True
    for header in _TIFF_HEADERS:
        pos = data.find(header)
        for _ in range(_MAX_HEADERS):
            if pos < 0:
                break
            if _exif(data, pos)[1]:
                return True
            pos = data.find(header, pos + 1)
    return False


def _kind(data: bytes) -> str | None:
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    if data[4:8] == b"ftyp":
        brands = data[8:min(int.from_bytes(data[:4], "big"), 64)]
        if any(brands[i:i + 4] in _HEIF_BRANDS for i in range(0, len(brands) - 3, 4)):
            return "HEIF"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:4] in _TIFF_HEADERS:
        return "TIFF"
    if b"<" in data[:16] and _SVG_START.match(_svg_text(data[:4096]).encode("utf-8", "surrogatepass")):
        return "SVG"
    return None


def _exif(data: bytes, start: int = 0) -> tuple[int, bool]:
    """The orientation of the TIFF block at `start` (1 when absent or unreadable), and whether its GPS IFD has a tag."""
    order = {b"MM": ">", b"II": "<"}.get(data[start:start + 2])
    if order is None:
        return 1, False
    orientation, gps = 1, False
    try:
        ifd = start + struct.unpack_from(order + "I", data, start + 4)[0]
        (count,) = struct.unpack_from(order + "H", data, ifd)
        for pos in range(ifd + 2, ifd + 2 + 12 * min(count, _MAX_TAGS), 12):
            tag, kind = struct.unpack_from(order + "HH", data, pos)
            if tag == 0x0112 and kind == 3:
                (orientation,) = struct.unpack_from(order + "H", data, pos + 8)
            elif tag == 0x8825:
                gps_ifd = start + struct.unpack_from(order + "I", data, pos + 8)[0]
                # A pointer past the end cannot be shown harmless, so it counts as a location.
                gps = gps_ifd + 2 > len(data) or struct.unpack_from(order + "H", data, gps_ifd)[0] > 0
    except struct.error:
        pass  # a block cut short tells what was read before the cut, and no more
    return (orientation if 1 <= orientation <= 8 else 1), gps


def _orientation(payload: bytes) -> int:
    """The orientation an Exif payload gives, with or without the "Exif\\0\\0" prefix before its TIFF block."""
    return _exif(payload, 6 if payload.startswith(b"Exif\x00\x00") else 0)[0]


def _tiff(orientation: int) -> bytes:
    """A big-endian TIFF block whose IFD0 holds the orientation alone, or nothing when it is 1."""
    tags = struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) if orientation > 1 else b""
    return b"MM\x00\x2a\x00\x00\x00\x08" + struct.pack(">H", len(tags) // 12) + tags + b"\x00\x00\x00\x00"


# JPEG: the segments from SOI to EOI, each scan's entropy-coded data kept whole with its SOS.

def _jpeg_segments(data: bytes) -> Iterator[tuple[int, int, int, int]]:
    """(marker, start, payload start, end) of each segment after SOI, through EOI; a scan's data goes with its SOS."""
    pos, scanned = 2, False
    while pos < len(data):
        start = pos
        if data[pos] != 0xFF:
            raise _Damaged(f"no marker at byte {pos}")
        while pos < len(data) and data[pos] == 0xFF:
            pos += 1  # fill bytes may precede any marker
        if pos == len(data):
            break  # after a scan, a file cut short is kept as it is: browsers show what is there
        marker = data[pos]
        pos += 1
        if marker == 0xD9 or marker == 0x01 or 0xD0 <= marker <= 0xD7:
            yield marker, start, pos, pos
            if marker == 0xD9:
                return
            continue
        if marker in (0x00, 0xD8):
            raise _Damaged(f"unexpected marker at byte {start}")
        length = int.from_bytes(data[pos:pos + 2], "big")
        end = pos + length
        if pos + 2 > len(data) or end > len(data):
            raise _Damaged(f"truncated segment at byte {start}")
        if length < 2:
            raise _Damaged(f"empty segment at byte {start}")
        if marker == 0xDA:
            scanned = True
            found = _MARKER.search(data, end)
            end = found.start() if found else len(data)
        yield marker, start, pos + 2, end
        pos = end
    if not scanned:
        raise _Damaged("it ends before its image data")


def _jpeg_payload(marker: int, payload: bytes) -> bytes | None:
    """What to keep of an APPn or COM payload: JFIF without its thumbnail, ICC profiles, Adobe's colour transform."""
    if marker == 0xE0 and payload.startswith(b"JFIF\x00"):
        # A thumbnail shows the photo as it was before it was cropped.
        return payload[:12] + b"\x00\x00" if len(payload) >= 14 and payload[12] * payload[13] else payload
    profile = marker == 0xE2 and payload.startswith(b"ICC_PROFILE\x00")
    return payload if profile or (marker == 0xEE and payload.startswith(b"Adobe")) else None


def _clean_jpeg(data: bytes) -> bytes:
    view = memoryview(data)
    kept: list[bytes | memoryview] = []
    orientation = 0
    for marker, start, body, end in _jpeg_segments(data):
        if not (0xE0 <= marker <= 0xEF or marker == 0xFE):
            kept.append(view[start:end])
            continue
        payload = data[body:end]
        if marker == 0xE1 and payload.startswith(b"Exif\x00\x00") and not orientation:
            orientation = _orientation(payload)
        new = _jpeg_payload(marker, payload)
        if new is payload:
            kept.append(view[start:end])
        elif new is not None:
            kept.append(bytes([0xFF, marker]) + struct.pack(">H", len(new) + 2) + new)
    if orientation > 1:
        exif = b"Exif\x00\x00" + _tiff(orientation)
        # Exif follows JFIF when there is one: the order readers expect.
        at = 1 if kept and bytes(kept[0][:2]) == b"\xff\xe0" else 0
        kept.insert(at, b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif)
    return b"\xff\xd8" + b"".join(kept)  # bytes after EOI (previews, motion-photo videos) go with their index


# PNG: every critical chunk, and the ancillary chunks that say how to show the pixels.

def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def _clean_png(data: bytes) -> bytes:
    view = memoryview(data)
    kept: list[bytes | memoryview] = [view[:8]]
    pos, orientation = 8, 0
    while True:
        if pos + 8 > len(data):
            raise _Damaged(f"truncated chunk at byte {pos}" if pos < len(data) else "it ends before its IEND chunk")
        length, kind = struct.unpack_from(">I4s", data, pos)
        end = pos + 12 + length
        if length > 0x7FFFFFFF or not kind.isalpha() or (pos == 8) != (kind == b"IHDR"):
            raise _Damaged(f"damaged chunk at byte {pos}")
        if end > len(data):
            raise _Damaged(f"truncated chunk at byte {pos}")
        if kind == b"eXIf" and not orientation:
            orientation = _orientation(data[pos + 8:end - 4])
        if kind[0] < 0x60 or kind in _PNG_KEEP:  # an upper-case first letter marks a chunk no reader may skip
            kept.append(view[pos:end])
        if kind == b"IEND":
            break
        pos = end
    if orientation > 1:
        kept.insert(2, _png_chunk(b"eXIf", _tiff(orientation)))  # right after IHDR: eXIf must come before IDAT
    return b"".join(kept)


# WebP: the RIFF chunks of the image, its colour profile and its animation.

def _clean_webp(data: bytes) -> bytes:
    stop = 8 + int.from_bytes(data[4:8], "little")
    if stop > len(data):
        raise _Damaged(f"truncated file: {len(data)} bytes of {stop}")
    if stop < 12:
        raise _Damaged("no image data")
    view = memoryview(data)
    kept: list[bytes | memoryview] = []
    pos, orientation, vp8x = 12, 0, -1
    while pos < stop:
        if pos + 8 > stop:
            raise _Damaged(f"truncated chunk at byte {pos}")
        kind, length = struct.unpack_from("<4sI", data, pos)
        end = pos + 8 + length
        if end > stop:
            raise _Damaged(f"truncated chunk at byte {pos}")
        if kind == b"EXIF" and not orientation:
            orientation = _orientation(data[pos + 8:end])
        elif kind == b"VP8X":
            if length < 10:
                raise _Damaged(f"damaged chunk at byte {pos}")
            vp8x = len(kept)
        if kind in _WEBP_KEEP:
            kept.append(view[pos:min(end + length % 2, stop)])  # a writer may leave out the last padding byte
        pos = end + length % 2
    if not any(bytes(chunk[:4]) in (b"VP8 ", b"VP8L", b"ANMF") for chunk in kept):
        raise _Damaged("no image data")
    if vp8x >= 0:
        # The EXIF and XMP flags announce chunks; only an EXIF written here may remain.
        header = bytes(kept[vp8x])
        flags = header[8] & ~0x0C | (0x08 if orientation > 1 else 0)
        kept[vp8x] = header[:8] + bytes([flags]) + header[9:]
        if orientation > 1:
            kept.append(b"EXIF" + struct.pack("<I", 26) + _tiff(orientation))
    body = b"".join(kept)
    return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WEBP" + body


# HEIF and AVIF (ISO BMFF): metadata items are overwritten in place, so no item location has to move.

def _uint(data: bytes, pos: int, size: int, stop: int) -> int:
    if pos + size > stop:
        raise _Damaged(f"truncated box at byte {pos}")
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
            raise _Damaged(f"truncated box at byte {pos}")
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
                raise _Damaged(f"truncated box at byte {s}")
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
        raise _Damaged(f"unexpected field size in the item locations at byte {start}")
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
            raise _Damaged(f"empty item extents at byte {pos}")
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
            raise _Damaged(f"an item lies past the end of the file at byte {start}")
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
        raise _Damaged("metadata items without item locations")
    return [(wanted[item], spans) for item, spans in _heif_locations(data, *iloc, idat, wanted).items()]


def _blank(what: str, blob: bytes) -> bytes:
    """A metadata item's new content of the same length: a TIFF block with the orientation alone, or empty XMP."""
    if what == "exif":
        # The item starts with the offset of its TIFF block; written anew, it points past an "Exif\0\0" prefix.
        tiff_at = 4 + int.from_bytes(blob[:4], "big")
        new = b"\x00\x00\x00\x06Exif\x00\x00" + _tiff(_exif(blob, tiff_at)[0])
        return new.ljust(len(blob), b"\x00") if len(new) <= len(blob) else bytes(len(blob))
    return _EMPTY_XMP.ljust(len(blob)) if len(_EMPTY_XMP) <= len(blob) else b" " * len(blob)


def _clean_heif(data: bytes) -> bytes:
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


# GIF: the blocks from the screen descriptor to the trailer, without comments and metadata extensions.

def _gif_blocks(data: bytes, pos: int) -> int:
    """Where the data sub-blocks starting at `pos` end, after their zero terminator."""
    while True:
        if pos >= len(data):
            raise _Damaged("it ends inside a block")
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos


def _clean_gif(data: bytes) -> bytes:
    if len(data) < 13:
        raise _Damaged("it ends before its screen descriptor")
    flags = data[10]
    pos = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    kept = [data[:pos]]
    while pos < len(data):
        start, block = pos, data[pos]
        if block == 0x3B:
            kept.append(b";")
            return b"".join(kept)
        if block == 0x2C:  # an image: its descriptor, local colour table, code size and data
            if pos + 10 > len(data):
                raise _Damaged(f"truncated image at byte {pos}")
            local = data[pos + 9]
            pos = _gif_blocks(data, pos + 11 + (3 << ((local & 7) + 1) if local & 0x80 else 0))
            kept.append(data[start:pos])
        elif block == 0x21 and pos + 1 < len(data):
            label = data[pos + 1]
            pos = _gif_blocks(data, pos + 2)
            application = label == 0xFF and data[start + 3:start + 14] in _GIF_KEEP
            if label in (0xF9, 0x01) or application:  # frame timing, plain text shown in the image
                kept.append(data[start:pos])
        else:
            raise _Damaged(f"unexpected block at byte {pos}")
    return b"".join(kept) + b";"


# SVG: text; what a viewer never shows goes.

def _svg_text(data: bytes) -> str:
    from .reading import text_bytes

    return (text_bytes(data) or b"").decode("utf-8", "replace")


def _clean_svg(data: bytes) -> bytes:
    text = _svg_text(data)
    cleaned = _SVG_UNSHOWN.sub(lambda m: m.group(0) if m.group(0).startswith("<![") else "", text)
    if cleaned == text:
        return data
    cleaned = re.sub(r"""^(\s*<\?xml[^>]*?encoding=)(["'])[^"']*\2""", r"\1\2UTF-8\2", cleaned)
    return cleaned.encode("utf-8", "surrogatepass")


# SVG from someone the site does not trust: opened on its own, an SVG is a page of the site's
# origin, and its scripts run there; shown by <img>, it runs nothing. What is kept is drawing:
# elements and attributes of SVG, links to http(s) addresses, fragments and relative paths.

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_XML_NS = "http://www.w3.org/XML/1998/namespace"
# SVG elements that run code, hold another document, or carry metadata.
_SVG_DROPPED = frozenset({"script", "foreignobject", "metadata", "handler", "listener", "iframe", "embed", "object"})
# Animations may set any attribute: one that sets a link or an event handler would bring script back.
_SVG_ANIMATIONS = frozenset({"set", "animate", "animatemotion", "animatetransform", "animatecolor"})
_SAFE_URL = re.compile(r"(?:https?:|#|[^:]*$)", re.I)  # a scheme other than http(s) has a colon before any / ? #


def sanitised_svg(data: bytes, name: str) -> bytes:
    """An SVG with nothing left that runs (scripts, event handlers, foreignObject, animations of links
    or handlers, links of other schemes than http(s), processing instructions, elements of other
    namespaces), written back as UTF-8. ValueError naming `name` when it is no well-formed SVG: a
    browser would show such a file as an error, and a reading that differs from a browser's is unsafe."""
    import xml.parsers.expat

    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    skipping = 0  # depth inside a dropped element
    roots = 0
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")

    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal skipping, roots
        space, _, local = tag.rpartition(" ")
        if skipping or space != _SVG_NS or local.lower() in _SVG_DROPPED or (
            local.lower() in _SVG_ANIMATIONS and _sets_active(attributes.get("attributeName", ""))
        ):
            skipping += 1
            return
        if not out[1:]:
            if local != "svg":
                raise ValueError("its root element is not <svg>")
            roots += 1
        kept = []
        for key, value in attributes.items():
            attr_space, _, attr = key.rpartition(" ")
            shown = {"": attr, _XLINK_NS: f"xlink:{attr}", _XML_NS: f"xml:{attr}"}.get(attr_space)
            if shown is None or attr.lower().startswith("on"):
                continue
            if attr.lower() == "href" and not _SAFE_URL.match("".join(value.split())):
                continue
            kept.append(f' {shown}="{_xml_escape(value)}"')
        declared = f' xmlns="{_SVG_NS}" xmlns:xlink="{_XLINK_NS}"' if not out[1:] else ""
        out.append(f"<{local}{declared}{''.join(kept)}>")

    def end(tag: str) -> None:
        nonlocal skipping
        if skipping:
            skipping -= 1
            return
        out.append(f"</{tag.rpartition(' ')[2]}>")

    def text(data: str) -> None:
        if not skipping and out[1:]:
            out.append(_xml_escape(data))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.ExternalEntityRefHandler = lambda *_: False  # never read another file
    try:
        parser.Parse(_svg_text(data), True)
    except xml.parsers.expat.ExpatError as exc:
        raise ValueError(f"{name} is not a well-formed SVG ({xml.parsers.expat.errors.messages.get(exc.code, exc.code)}, "
                         f"line {exc.lineno})") from None
    except ValueError as exc:
        raise ValueError(f"{name} is not an SVG ({exc})") from None
    if not roots:
        raise ValueError(f"{name} is not an SVG (it has no <svg> element)")
    return "".join(out).encode("utf-8", "surrogatepass")


def _sets_active(attribute: str) -> bool:
    name = attribute.strip().rpartition(":")[2].lower()
    return name == "href" or name.startswith("on")


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
