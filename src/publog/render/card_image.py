"""What a social card shows -> a 1200x630 PNG: a line above (an entry's kind and topic), a title, a line below.

Drawn with Pillow in the bundled DejaVu Sans Bold (fonts/, with its licence), so a build needs
no network and no font of the machine. The same text gives the same bytes: Pillow's basic layout
(not Raqm, which some machines have and others lack), no timestamp or other metadata in the PNG.

Speed: a card is a palette PNG, a third of an RGB one to compress. Each block of text lies in a band
of its own: the title is drawn in its ink's run of the palette (its shades are indices 1 to
_LEVELS), the lines above and below as coverage mapped to their inks' runs. The PNG is written
here, band by band, each band's rows compressed on their own: the lines above and below the
title, the same on many cards, and the blank rows around the title are compressed once a process;
a card compresses only its title's inked rows.
"""

from __future__ import annotations

import io
import math
import struct
import zlib
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

WIDTH, HEIGHT = 1200, 630
VERSION = "5"  # of the drawing (and of its PNG's bytes): a new one draws every card again
_FONT = "fonts/DejaVuSans-Bold.ttf"
_MARGIN = 80
_TEXT_WIDTH = WIDTH - 2 * _MARGIN
_BAND = 14  # the accent band along the top
# (top, bottom) of each block's band: the line above, the title, the line below.
_ABOVE_BAND, _TITLE_BAND, _BELOW_BAND = (_BAND, 150), (150, 500), (500, HEIGHT)
_ABOVE_SIZE, _BELOW_SIZE = 34, 36
_TITLE_SIZES = (76, 68, 60, 54, 48)  # the largest at which the title fits is used
_TITLE_LINES = 4  # at the smallest size, more is cut with an ellipsis
_ELLIPSIS = "…"

# The default theme's light colours: background, then the inks of the three blocks, then the band.
_BACKGROUND = (253, 253, 252)
# The title's ink comes first: its shades are palette indices 1 to _LEVELS, so a title is drawn with them.
_INKS = ((31, 35, 40), (87, 96, 106), (11, 92, 173))  # title (text), above (muted), below (accent)
_BAND_COLOUR = (11, 92, 173)
_LEVELS = 84  # shades of each ink in the palette: 3 x 84 + background + band = 254 colours
_BAND_INDEX = 1 + 3 * _LEVELS


class CardText(NamedTuple):
    """What a card shows, all of it published text: the card is named by a fingerprint of it."""

    above: str  # an entry's kind and first topic
    title: str
    below: str  # the journal's title


@lru_cache(maxsize=1)
def drawn_by() -> str:
    """The versions of what draws a card: the same text can give other pixels with another one."""
    from PIL import __version__ as pillow

    try:  # what PIL.features.version("freetype2") reads, without importing PIL.Image as that module does
        from PIL._imagingft import freetype2_version as freetype
    except ImportError:  # a Pillow built without FreeType, which features names None as well
        freetype = None
    return f"Pillow {pillow}, FreeType {freetype}"


@lru_cache(maxsize=None)
def _font(size: int) -> object:
    from PIL import ImageFont

    data = resources.files("publog.render").joinpath(_FONT).read_bytes()
    return ImageFont.truetype(io.BytesIO(data), size, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=1)
def _palette() -> list[int]:
    colours = [_BACKGROUND]
    for ink in _INKS:
        for level in range(1, _LEVELS + 1):
            colours.append(tuple(round(b + (i - b) * level / _LEVELS) for b, i in zip(_BACKGROUND, ink)))
    colours.append(_BAND_COLOUR)
    colours += [_BACKGROUND] * (256 - len(colours))
    return [value for colour in colours for value in colour]


@lru_cache(maxsize=3)
def _ink_table(ink: int) -> list[int]:
    """Coverage (0-255) -> the palette index of that shade of ink ``ink``."""
    return [0] + [1 + ink * _LEVELS + (v * (_LEVELS - 1)) // 255 for v in range(1, 256)]


def draw(text: CardText) -> bytes:
    """The card's PNG. Text that does not fit is wrapped, made smaller, then cut with an ellipsis;
    a character the font lacks is drawn as its box, never an error."""
    from PIL import Image, ImageDraw

    height = _TITLE_BAND[1] - _TITLE_BAND[0]
    title = Image.new("L", (_ROW, height), 0)
    canvas = ImageDraw.Draw(title)
    size, lines = _title_lines(text.title)
    leading = round(size * 1.2)
    top = max(0, (height - leading * len(lines)) // 2)
    for n, line in enumerate(lines):
        _draw_line(canvas, 1 + _MARGIN, top + n * leading, line, size, _LEVELS)  # its shades: palette indices
    # The bands above and below the title repeat from card to card (a journal's title, a few kinds and
    # topics): drawn and compressed once. Of the title's band, only the rows with ink are compressed
    # for each card; the blank rows around them are as few different bands as there are title heights.
    inked = title.getbbox()
    first, last = (inked[1], inked[3]) if inked else (0, 0)
    ink = title.crop((0, first, _ROW, last)).tobytes() if last > first else b""
    bands = (_accent(), _line(text.above, _ABOVE_SIZE, 72, 1, _ABOVE_BAND),
             _blank(first), _compressed(ink), _blank(height - last),
             _line(text.below, _BELOW_SIZE, 540, 2, _BELOW_BAND))
    return _png(bands)


def _draw_line(canvas: object, x: int, y: int, text: str, size: int, ink: int = 255) -> None:
    """``text`` drawn as Pillow's basic layout draws it (each glyph at its advance and kerning from the last,
    its bitmap at the nearest whole pixel), pixel for pixel, from glyphs rendered once a process rather
    than again for every card."""
    at, last = float(x), None
    for char in text:
        if last is not None:
            at += _kerning(size, last, char)
        mask, left, top, advance = _glyph(size, char)
        if mask is not None:
            canvas.draw.draw_bitmap((math.floor(at + 0.5) + left, y + top), mask, ink)  # type: ignore[attr-defined]  # as ImageDraw.text
        at += advance
        last = char


@lru_cache(maxsize=4096)
def _glyph(size: int, char: str) -> tuple[object | None, int, int, float]:
    """A character's coverage at ``size``, where it sits from the pen (top from the line's top), and its advance."""
    font = _font(size)
    mask, (left, top) = font.getmask2(char, "L")  # type: ignore[attr-defined]
    return (mask if mask.size[0] and mask.size[1] else None), left, top, _width(font, char)


@lru_cache(maxsize=16384)
def _kerning(size: int, first: str, second: str) -> float:
    font = _font(size)
    return _width(font, first + second) - _width(font, first) - _width(font, second)


# A row as the PNG holds it: the filter byte (0, none) then the row's palette indices. The bands are
# drawn a pixel wider, left of the margin, where no ink falls: that column is the filter byte.
_ROW = 1 + WIDTH


class _Band(NamedTuple):
    """Rows of a card as a PNG holds them, compressed on their own (a full flush: they join any others)."""

    deflated: bytes
    adler: int  # the Adler-32 of the rows
    size: int  # bytes of the rows


def _compressed(rows: bytes) -> _Band:
    """Rows, each behind its filter byte, compressed by themselves."""
    # Runs of one byte only: a row of text is mostly runs of background between short runs of shades, so
    # the title's rows, compressed for every card, take well under level 3's time for a little more size.
    packer = zlib.compressobj(1, zlib.DEFLATED, -15, 8, zlib.Z_RLE)
    return _Band(packer.compress(rows) + packer.flush(zlib.Z_FULL_FLUSH), zlib.adler32(rows), len(rows))


@lru_cache(maxsize=1)
def _accent() -> _Band:
    return _compressed((b"\0" + bytes([_BAND_INDEX]) * WIDTH) * _BAND)


@lru_cache(maxsize=None)
def _blank(rows: int) -> _Band:
    return _compressed(bytes(_ROW * rows))


# A journal has a few hundred kinds and topics at most; every card of one is drawn from this band.
@lru_cache(maxsize=4096)
def _line(text: str, size: int, y: int, ink: int, band: tuple[int, int]) -> _Band:
    """The band of a one-line block of text drawn at ``y``, its shades as palette indices of ink ``ink``."""
    from PIL import Image, ImageDraw

    drawn = Image.new("L", (_ROW, band[1] - band[0]), 0)
    if text:
        ImageDraw.Draw(drawn).text((1 + _MARGIN, y - band[0]), _fitted(text, _font(size)), font=_font(size), fill=255)
    return _compressed(drawn.point(_ink_table(ink)).tobytes())


_MOD = 65521  # Adler-32's


def _joined(first: int, second: int, size: int) -> int:
    """The Adler-32 of two byte strings one after the other, from theirs and the second's length (zlib's
    adler32_combine)."""
    a1, b1, a2, b2 = first & 0xFFFF, first >> 16, second & 0xFFFF, second >> 16
    a = (a1 + a2 - 1) % _MOD
    b = (b1 + b2 + size * (a1 - 1)) % _MOD  # Python's % is never negative
    return (b << 16) | a


def _png(bands: tuple[_Band, ...]) -> bytes:
    """A palette PNG of the card, its rows the bands' in order: the same bands give the same bytes."""
    adler = 1
    for band in bands:
        adler = _joined(adler, band.adler, band.size)
    stream = b"\x78\x5e" + b"".join(band.deflated for band in bands) + b"\x03\x00" + struct.pack(">I", adler)
    return _head() + _chunk(b"IDAT", stream) + _END


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@lru_cache(maxsize=1)
def _head() -> bytes:
    """What every card begins with: the signature, its size and kind, its palette."""
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 3, 0, 0, 0))
            + _chunk(b"PLTE", bytes(_palette())))


_END = _chunk(b"IEND", b"")


def is_drawn(data: bytes) -> bool:
    """Whether ``data`` is a card as ``draw`` makes them: its header and palette, one chunk of image data, its
    end, and nothing else a PNG may carry (text, a colour profile, a chunk of a kind a reader does not know)."""
    head = _head()
    if not (data.startswith(head) and data.endswith(_END)):
        return False
    image = data[len(head):-len(_END)]
    return (len(image) >= 12 and image[4:8] == b"IDAT" and int.from_bytes(image[:4], "big") == len(image) - 12
            and zlib.crc32(image[4:-4]) == int.from_bytes(image[-4:], "big"))


def _width(font: object, text: str) -> float:
    return float(font.getlength(text))  # type: ignore[attr-defined]


def _title_lines(title: str) -> tuple[int, list[str]]:
    """The largest size at which the title fits in its lines, and its lines; at the smallest, the lines that fit."""
    title = " ".join(title.split()) or " "
    for size in _TITLE_SIZES:
        font = _font(size)
        lines = _wrapped(title, font, _TEXT_WIDTH)
        if len(lines) <= _lines_at(size):
            return size, lines
    size = _TITLE_SIZES[-1]
    font = _font(size)
    lines = _wrapped(title, font, _TEXT_WIDTH)
    kept = lines[:_TITLE_LINES]
    kept[-1] = _fitted(kept[-1] + _ELLIPSIS, font, ellipsis=True)
    return size, kept


def _lines_at(size: int) -> int:
    """How many lines of a size fit in the title's band."""
    return min(_TITLE_LINES, (_TITLE_BAND[1] - _TITLE_BAND[0]) // round(size * 1.2))


def _wrapped(text: str, font: object, width: int) -> list[str]:
    """``text`` in lines no wider than ``width``: at spaces, and inside a word only where it is wider than a line."""
    lines: list[str] = []
    line, wide = "", 0.0
    space = _word_width(font, " ")
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        # A line's width from its words', which titles share from card to card; measured whole only
        # where the sum, which leaves out kerning across a space, is too close to call.
        guess = wide + space + _word_width(font, word) if line else _word_width(font, word)
        if guess <= width - _CLOSE or guess <= width + _CLOSE and _width(font, candidate) <= width:
            line, wide = candidate, guess
            continue
        if line:
            lines.append(line)
        while _width(font, word) > width:  # a long word, or a script without spaces: cut by characters
            cut = _longest(word, font, width)
            lines.append(word[:cut])
            word = word[cut:]
        line, wide = word, _word_width(font, word)
    if line:
        lines.append(line)
    return lines


_CLOSE = 4  # pixels: more than kerning moves a line


@lru_cache(maxsize=16384)
def _word_width(font: object, word: str) -> float:
    return _width(font, word)


def _longest(text: str, font: object, width: int) -> int:
    """How many characters of ``text`` fit in ``width`` (at least one)."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if _width(font, text[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def _fitted(text: str, font: object, ellipsis: bool = False) -> str:
    """``text`` on one line, cut with an ellipsis where it is too wide."""
    if not ellipsis and _width(font, text) <= _TEXT_WIDTH:
        return text
    body = text.removesuffix(_ELLIPSIS) if ellipsis else text
    while body and _width(font, body.rstrip() + _ELLIPSIS) > _TEXT_WIDTH:
        body = body[:-1]
    return body.rstrip() + _ELLIPSIS
