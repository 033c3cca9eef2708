"""SVG images: their metadata and comments removed, and an untrusted one made safe to open.

What a viewer never shows goes from every SVG. An SVG from someone the site does not
trust is sanitised further: opened on its own, an SVG is a page of the site's origin, and
its scripts run there; shown by <img>, it runs nothing. What is kept is drawing: elements
and attributes of SVG, links to http(s) addresses, fragments and relative paths."""

from __future__ import annotations

import re

from .reading import text_bytes


# What an SVG shows nothing of: its metadata elements (RDF, with Exif GPS) and comments; CDATA is left alone.
_SVG_UNSHOWN = re.compile(r"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<(?:\w+:)?metadata\b[^>]*?(?:/>|>.*?</(?:\w+:)?metadata\s*>)", re.S | re.I)
SVG_START = re.compile(rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]", re.S | re.I)


def svg_text(data: bytes) -> str:
    """An SVG's text, in whatever Unicode encoding it was written."""
    return (text_bytes(data) or b"").decode("utf-8", "replace")


def clean_svg(data: bytes) -> bytes:
    text = svg_text(data)
    cleaned = _SVG_UNSHOWN.sub(lambda m: m.group(0) if m.group(0).startswith("<![") else "", text)
    if cleaned == text:
        return data
    cleaned = re.sub(r"""^(\s*<\?xml[^>]*?encoding=)(["'])[^"']*\2""", r"\1\2UTF-8\2", cleaned)
    return cleaned.encode("utf-8", "surrogatepass")


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
        parser.Parse(svg_text(data), True)
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
