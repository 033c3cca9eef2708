"""An image's Exif (TIFF) block: the orientation to keep, the GPS to find, a minimal block to write back;
and `DamagedImage`, what the cleaners of every format raise for a file they cannot read."""

from __future__ import annotations

import struct


TIFF_HEADERS = (b"MM\x00\x2a", b"II\x2a\x00")

# Real IFD0s hold a few dozen tags and files a handful of Exif blocks; the caps bound the work on hostile bytes.
# Real IFD0s hold a few dozen tags; the cap bounds the work on hostile bytes.
_MAX_TAGS = 512


class DamagedImage(ValueError):
    """What is wrong with a file, said before the file's name and format are added."""


def orientation_and_gps(data: bytes, start: int = 0) -> tuple[int, bool]:
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


def payload_orientation(payload: bytes) -> int:
    """The orientation an Exif payload gives, with or without the "Exif\\0\\0" prefix before its TIFF block."""
    return orientation_and_gps(payload, 6 if payload.startswith(b"Exif\x00\x00") else 0)[0]


def orientation_block(orientation: int) -> bytes:
    """A big-endian TIFF block whose IFD0 holds the orientation alone, or nothing when it is 1."""
    tags = struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) if orientation > 1 else b""
    return b"MM\x00\x2a\x00\x00\x00\x08" + struct.pack(">H", len(tags) // 12) + tags + b"\x00\x00\x00\x00"
