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

from . import exif
from .exif import DamagedImage
from .heif import HEIF_BRANDS, clean_heif
from .svg import SVG_START, clean_svg, svg_text
from .svg import sanitised_svg as sanitised_svg  # for the pages and files that copy an untrusted SVG

# Bump when what `clean` keeps or writes changes, so cached cleaned images are not reused.
VERSION = "2"
_FIX = "convert it to JPEG or remove its location, then build again"
_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WebP": "WebP", "HEIF": "HEIC/AVIF image", "GIF": "GIF", "SVG": "SVG"}

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
# Files hold a handful of Exif blocks; the cap bounds the work on hostile bytes.
_MAX_HEADERS = 1024


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
            result = clean_heif(data)
        elif kind == "GIF":
            try:
                result = _clean_gif(data)
            except DamagedImage:  # browsers show GIFs cut short or oddly made; left as they are, located or not
                result = data
        elif kind == "SVG":
            result = clean_svg(data)
        else:
            result = data
    except DamagedImage as damage:
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
        data = svg_text(data).encode("utf-8", "surrogatepass")
    if any(data.find(marker) >= 0 for marker in _XMP_GPS):
        return True
    for header in exif.TIFF_HEADERS:
        pos = data.find(header)
        for _ in range(_MAX_HEADERS):
            if pos < 0:
                break
            if exif.orientation_and_gps(data, pos)[1]:
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
        if any(brands[i:i + 4] in HEIF_BRANDS for i in range(0, len(brands) - 3, 4)):
            return "HEIF"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:4] in exif.TIFF_HEADERS:
        return "TIFF"
    if b"<" in data[:16] and SVG_START.match(svg_text(data[:4096]).encode("utf-8", "surrogatepass")):
        return "SVG"
    return None


# JPEG: the segments from SOI to EOI, each scan's entropy-coded data kept whole with its SOS.

def _jpeg_segments(data: bytes) -> Iterator[tuple[int, int, int, int]]:
    """(marker, start, payload start, end) of each segment after SOI, through EOI; a scan's data goes with its SOS."""
    pos, scanned = 2, False
    while pos < len(data):
        start = pos
        if data[pos] != 0xFF:
            raise DamagedImage(f"no marker at byte {pos}")
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
            raise DamagedImage(f"unexpected marker at byte {start}")
        length = int.from_bytes(data[pos:pos + 2], "big")
        end = pos + length
        if pos + 2 > len(data) or end > len(data):
            raise DamagedImage(f"truncated segment at byte {start}")
        if length < 2:
            raise DamagedImage(f"empty segment at byte {start}")
        if marker == 0xDA:
            scanned = True
            found = _MARKER.search(data, end)
            end = found.start() if found else len(data)
        yield marker, start, pos + 2, end
        pos = end
    if not scanned:
        raise DamagedImage("it ends before its image data")


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
            orientation = exif.payload_orientation(payload)
        new = _jpeg_payload(marker, payload)
        if new is payload:
            kept.append(view[start:end])
        elif new is not None:
            kept.append(bytes([0xFF, marker]) + struct.pack(">H", len(new) + 2) + new)
    if orientation > 1:
        block = b"Exif\x00\x00" + exif.orientation_block(orientation)
        # Exif follows JFIF when there is one: the order readers expect.
        at = 1 if kept and bytes(kept[0][:2]) == b"\xff\xe0" else 0
        kept.insert(at, b"\xff\xe1" + struct.pack(">H", len(block) + 2) + block)
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
            raise DamagedImage(f"truncated chunk at byte {pos}" if pos < len(data) else "it ends before its IEND chunk")
        length, kind = struct.unpack_from(">I4s", data, pos)
        end = pos + 12 + length
        if length > 0x7FFFFFFF or not kind.isalpha() or (pos == 8) != (kind == b"IHDR"):
            raise DamagedImage(f"damaged chunk at byte {pos}")
        if end > len(data):
            raise DamagedImage(f"truncated chunk at byte {pos}")
        if kind == b"eXIf" and not orientation:
            orientation = exif.payload_orientation(data[pos + 8:end - 4])
        if kind[0] < 0x60 or kind in _PNG_KEEP:  # an upper-case first letter marks a chunk no reader may skip
            kept.append(view[pos:end])
        if kind == b"IEND":
            break
        pos = end
    if orientation > 1:
        kept.insert(2, _png_chunk(b"eXIf", exif.orientation_block(orientation)))  # right after IHDR: eXIf must come before IDAT
    return b"".join(kept)


# WebP: the RIFF chunks of the image, its colour profile and its animation.

def _clean_webp(data: bytes) -> bytes:
    stop = 8 + int.from_bytes(data[4:8], "little")
    if stop > len(data):
        raise DamagedImage(f"truncated file: {len(data)} bytes of {stop}")
    if stop < 12:
        raise DamagedImage("no image data")
    view = memoryview(data)
    kept: list[bytes | memoryview] = []
    pos, orientation, vp8x = 12, 0, -1
    while pos < stop:
        if pos + 8 > stop:
            raise DamagedImage(f"truncated chunk at byte {pos}")
        kind, length = struct.unpack_from("<4sI", data, pos)
        end = pos + 8 + length
        if end > stop:
            raise DamagedImage(f"truncated chunk at byte {pos}")
        if kind == b"EXIF" and not orientation:
            orientation = exif.payload_orientation(data[pos + 8:end])
        elif kind == b"VP8X":
            if length < 10:
                raise DamagedImage(f"damaged chunk at byte {pos}")
            vp8x = len(kept)
        if kind in _WEBP_KEEP:
            kept.append(view[pos:min(end + length % 2, stop)])  # a writer may leave out the last padding byte
        pos = end + length % 2
    if not any(bytes(chunk[:4]) in (b"VP8 ", b"VP8L", b"ANMF") for chunk in kept):
        raise DamagedImage("no image data")
    if vp8x >= 0:
        # The EXIF and XMP flags announce chunks; only an EXIF written here may remain.
        header = bytes(kept[vp8x])
        flags = header[8] & ~0x0C | (0x08 if orientation > 1 else 0)
        kept[vp8x] = header[:8] + bytes([flags]) + header[9:]
        if orientation > 1:
            kept.append(b"EXIF" + struct.pack("<I", 26) + exif.orientation_block(orientation))
    body = b"".join(kept)
    return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WEBP" + body


# GIF: the blocks from the screen descriptor to the trailer, without comments and metadata extensions.

def _gif_blocks(data: bytes, pos: int) -> int:
    """Where the data sub-blocks starting at `pos` end, after their zero terminator."""
    while True:
        if pos >= len(data):
            raise DamagedImage("it ends inside a block")
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos


def _clean_gif(data: bytes) -> bytes:
    if len(data) < 13:
        raise DamagedImage("it ends before its screen descriptor")
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
                raise DamagedImage(f"truncated image at byte {pos}")
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
            raise DamagedImage(f"unexpected block at byte {pos}")
    return b"".join(kept) + b";"
