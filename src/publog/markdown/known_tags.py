"""The tags of other generators publog knows, as Markdown (or HTML in an HTML block).

Hugo's built-in shortcodes (``ref``, ``figure``, the video and post embeds, ``toc``), the
embed tags of dev.to and Jekyll plugins, and the tags of Pelican's liquid_tags plugin: links
become links, a figure an image with its caption, an embed a link to what it embeds (no
third party's frame on the page)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from . import kramdown
from .syntax import Syntax


REF_LINK = "publog-ref:"  # a link to an entry by name or path, resolved like a wiki link
_ARG = re.compile(r"""(?:(\w+)\s*=\s*)?("[^"]*"|'[^']*'|[^\s"']+)""")
_VIDEOS = {"youtube": ("YouTube", "https://www.youtube.com/watch?v="), "vimeo": ("Vimeo", "https://vimeo.com/")}
_LINKS = {"gist": "https://gist.github.com/", "tweet": "https://x.com/", "x": "https://x.com/",
          "instagram": "https://www.instagram.com/p/"}

# Pelican's img tag: [class names] src [width [height]] [title | "title" "alt"], read as the plugin reads it.
_IMG = re.compile(r"(?P<cls>\S.*\s+)?(?P<src>(?:https?://|/|\S+/)\S+)(?:\s+(?P<width>\d+))?(?:\s+(?P<height>\d+))?(?P<title>\s+.+)?")
_TITLE_ALT = re.compile(r"""["'](?P<title>[^"']+)?["']\s+["'](?P<alt>[^"']+)?["']""")


def pelican_tag(name: str, args: str, syntax: Syntax, html: bool) -> tuple[str | None, str]:
    """A tag of Pelican's liquid_tags as the plugin renders it, and what to warn of ("" for nothing);
    None where publog does not know it, which is then taken off with a warning."""
    words = args.split()
    if name == "literal" and args:
        return "{% " + args + " %}", ""  # shown as written: the text put in is not read for tags again
    if name in ("youtube", "vimeo") and words:
        return known(name, {"0": words[0]}, html), ""
    if name == "img":
        found = _IMG.fullmatch(args)
        if not found:
            return None, ""
        title = (found.group("title") or "").strip()
        pair = _TITLE_ALT.fullmatch(title)
        alt = (pair.group("alt") or "") if pair else title.strip("\"'")
        title = (pair.group("title") or "") if pair else alt
        return figure({"src": found.group("src"), "alt": alt, "title": title}, html), ""
    if name == "video" and words:
        src = words[0]
        if re.match(r"https?://", src):
            return _link(f"Video {src}", src, html), ""
        poster = next((w for w in words[1:] if not w.isdigit()), "")
        shown = f' poster="{_attr(poster)}"' if poster else ""
        return f'<video controls src="{_attr(src)}"{shown}></video>', ""
    if name == "notebook" and words:
        src = words[0]
        here = Path(syntax.content)
        path = next((p for p in (f"{syntax.notebook_dir}/{src}", src) if (here / p).is_file()), f"{syntax.notebook_dir}/{src}")
        return _link(f"Notebook: {src.rsplit('/', 1)[-1]}", "/" + path.lstrip("/"), html), "notebook"
    return None, ""


def known(name: str, values: dict[str, str], html: bool) -> str | None:
    """A shortcode (or a Liquid tag of the same name) Hugo has built in, as Markdown (or HTML in an HTML block)."""
    if name in ("ref", "relref") and values:
        return REF_LINK + quote(values.get("path") or values.get("0", ""))
    if name == "figure" and "src" in values:
        return figure(values, html)
    if name in ("toc", "TableOfContents") and not html:
        return kramdown.TOC_MARK
    target = values.get("id") or values.get("0", "")
    if name in _VIDEOS and target:
        site, address = _VIDEOS[name]
        return _link(values.get("title") or f"{site} video {target}", address + quote(target), html)
    if name in _LINKS and target:
        path = "/".join(values[k] for k in ("0", "1") if k in values) if name == "gist" else target
        if name in ("tweet", "x") and "user" in values:
            path = f"{values['user']}/status/{values.get('id', '')}"
        return _link(f"{name.capitalize()} {path}", _LINKS[name] + path, html)
    if name in ("video", "figure-video") and (values.get("path") or values.get("src")):
        src = values.get("path") or values.get("src") or ""
        caption = values.get("caption", "")
        video = f'<video controls src="{_attr(src)}"></video>'
        return video + (f"<br>\n{caption}" if caption and not html else "")
    return None


GENERATORS = ("hugo", "jekyll", "eleventy", "pelican")  # the others (publog, obsidian, quartz) run no tags
EMBEDS = ("youtube", "vimeo", "twitter", "tweet", "x", "gist", "instagram", "embed", "codepen", "github")


def embed(name: str, values: dict[str, str], html: bool) -> str | None:
    """An embed tag as a link to what it embeds: its address when it gives one, else the site's."""
    target = values.get("0", "")
    if re.match(r"https?://", target):
        return _link(target, target, html)
    if name == "twitter" and target.isdigit():
        return _link(f"Post {target}", f"https://x.com/i/status/{target}", html)
    if name == "github" and re.fullmatch(r"[\w.-]+/[\w.-]+", target):
        return _link(f"GitHub {target}", f"https://github.com/{target}", html)
    return known(name, values, html)


def _link(text: str, url: str, html: bool) -> str:
    if html:
        return f'<a href="{_attr(url)}">{_attr(text)}</a>'
    return "[" + text.replace("[", "\\[").replace("]", "\\]") + "](<" + url + ">)"


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def tag_args(written: str) -> dict[str, str]:
    """A shortcode's arguments: named ones by name, the others by position ('0', '1' ...)."""
    found: dict[str, str] = {}
    position = 0
    for name, value in _ARG.findall(written):
        value = value[1:-1] if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) > 1 else value
        if name:
            found[name] = value
        else:
            found[str(position)] = value
            position += 1
    return found


def figure(values: dict[str, str], html: bool = False) -> str:
    """Hugo's figure shortcode as a Markdown image and its caption below it (as HTML in an HTML block)."""
    alt = values.get("alt") or values.get("caption") or values.get("title") or ""
    title = values.get("title", "")
    caption = values.get("caption", "")
    src = values["src"]
    if html:
        return f'<img src="{_attr(src)}" alt="{_attr(alt)}">'
    destination = f"<{src}>" if " " in src else src
    titled = ' "' + title.replace('"', "&quot;") + '"' if title else ""
    image = "![" + alt.replace("[", "\\[").replace("]", "\\]") + "](" + destination + titled + ")"
    return image + (f"\\\n*{caption.strip()}*" if caption.strip() and caption != alt else "")
