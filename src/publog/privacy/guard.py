"""The last check of every file a build writes, before the new site is swapped in.

The earlier stages keep private things out by construction; this is the belt to
their braces. Each rendered file is scanned (in the render workers, as it is
made) for never-publish terms, passages of private entries, secrets, and GPS
metadata in images, in its content, in its name and folders, and in the images and
text it embeds as ``data:`` URIs. One finding fails the build and the old site stays.
A finding names the file it came from (the entry, static file, network.yaml or
publog.yaml) and its line there, found again only when something was found.

`settings` checks the texts of publog.yaml that pages show, as each entry's text is
checked when it is read.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

from ..read import files
from . import images, leaks
from ..problems import Problem, error, warning

_DATA_URI = re.compile(rb"data:([\w.+-]+/[\w.+-]+)?((?:;[\w.=-]+)*?)(;base64)?,([A-Za-z0-9+/=%._~!$*-]+)")
# Where a finding in a data: URI is looked for in the source: the start of its payload.
_NEEDLE = 48


@dataclass(frozen=True)
class Guard:
    terms: leaks.Terms = field(default_factory=lambda: leaks.compile_terms(()))
    private: tuple[str, ...] = ()  # passages of private entries (leaks.private_snippets)
    allowlisted: frozenset[str] = frozenset()  # secrets the author allowlisted in an entry
    origins: tuple[str, ...] = ()  # the private entry each passage of `private` comes from
    sources: Mapping[str, str] = field(default_factory=dict)  # written file -> the journal file it is made from
    candidates: tuple[str, ...] = ()  # journal files a finding in a page made from many may come from
    root: str = ""  # the journal folder, for reading a source when something was found
    untrusted: frozenset[str] = frozenset()  # written SVG files of members not trusted: sanitised as they are copied

    def check(self, file: str, data: bytes, repeats: bool = False) -> list[Problem]:
        """Problems for one written file. ``repeats``: a page that only repeats text checked elsewhere
        (entries' text as it was read, the templates on the home page), so its costly secret scan is skipped."""
        found = list(leaks.find_in_output(data, file, self.terms, self.private, self.allowlisted, secrets=not repeats))
        found += leaks.find_in_name(file, self.terms)
        if images.is_image(data) and images.has_location(data):
            found.append(leaks.Finding("GPS location metadata"))
        if b"data:" in data and not file.lower().endswith(leaks.BINARY_SUFFIXES) and data[:2] != b"\x1f\x8b":
            found += self._embedded(data)
        return [self._problem(file, finding) for finding in dict.fromkeys(found)]

    def _embedded(self, data: bytes) -> Iterator[leaks.Finding]:
        """What the images and text of the data: URIs in `data` would publish, found again by their payload."""
        for uri in _DATA_URI.finditer(data):
            payload = uri.group(4)
            try:
                blob = base64.b64decode(payload + b"=" * (-len(payload) % 4)) if uri.group(3) else unquote_to_bytes(payload)
            except (binascii.Error, ValueError):
                continue
            needle = (payload[:_NEEDLE].decode("ascii"),)
            if images.is_image(blob) and images.has_location(blob):
                yield leaks.Finding("GPS location metadata", values=needle)
            for finding in leaks.find_in_output(blob, "embedded", self.terms, self.private, self.allowlisted):
                yield leaks.Finding(finding.what, values=needle, passage=finding.passage)

    def _problem(self, file: str, finding: leaks.Finding) -> Problem:
        what = finding.what
        if 0 <= finding.passage < len(self.origins):
            what = f"a private passage of {self.origins[finding.passage]}"
        where, line = self._where(file, finding)
        shown = f" (in {file})" if where != file else ""
        return error(where, line, f"the built site would publish {what}{shown}; nothing was written. Remove it from "
                                  "the entry, template or file that puts it there")

    def _where(self, file: str, finding: leaks.Finding) -> tuple[str, int]:
        """The journal file and line a finding in the written `file` comes from: the file it is made
        from, or for a page made from many the first candidate holding it; else `file` itself."""
        source = self.sources.get(file)
        for candidate in [source] if source else self.candidates:
            line = leaks.locate(self._read(candidate), finding, self.private)
            if line is not None:
                return candidate, line
        return source or file, 1

    def _read(self, source: str) -> str:
        try:
            data = (Path(self.root) / source).read_bytes()
        except OSError:
            return ""
        text = (leaks.text_bytes(data) or b"").decode("utf-8", "replace")
        if source.endswith((".yaml", ".yml")):  # settings and network: their comments are never published
            text = leaks.yaml_published(text)
        return _without_privacy(text) if source == SETTINGS_FILE else text


SETTINGS_FILE = "publog.yaml"
# Settings that name files and folders or hold the never-publish list: no page shows them.
_UNSHOWN = frozenset({"privacy", "publish", "layout", "topics_from", "entries", "output", "theme", "members"})


def _without_privacy(text: str) -> str:
    """publog.yaml with the lines of its top-level keys no page shows blanked, lines kept."""
    lines, blank = text.split("\n"), False
    for number, line in enumerate(lines):
        if line[:1] not in ("", " ", "\t", "#", "-"):
            blank = line.split(":", 1)[0].strip() in _UNSHOWN
        if blank:
            lines[number] = ""
    return "\n".join(lines)


def settings(root: Path, terms: leaks.Terms) -> list[Problem]:
    """The secrets and never-publish terms of the texts of ``root``'s publog.yaml that pages may show
    (every setting but the files, folders and never-publish list), each at its line."""
    try:
        data = files.read_bytes(root / SETTINGS_FILE)  # a named pipe is skipped, never waited on
    except OSError:
        return []
    text = _without_privacy(leaks.yaml_published((leaks.text_bytes(data) or b"").decode("utf-8", "replace")))
    found = sorted(set(leaks.find_secrets(text) + leaks.find_terms(text, terms)))
    return [error(SETTINGS_FILE, leak.line, f"would publish {leak.what} (pages show this setting); remove it, or "
                                            "(for a false alarm, secrets only) add the comment "
                                            "'# pragma: allowlist secret' on its line") for leak in found]


# --- members' files --------------------------------------------------------------------------------

# What a browser runs when it is opened from the site: a page of the community's origin, with its
# cookies and storage. A member publog.yaml does not call trusted publishes none of these, and their
# SVGs only sanitised (images.sanitised_svg): linked from an entry, any of them can be opened directly.
ACTIVE_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml", ".js", ".mjs", ".cjs",
                   ".xml", ".xsl", ".xslt", ".svgz", ".swf")
UNTRUSTED_STAMP = ":untrusted"


def member_files(statics: list[tuple[str, str, str]], members: Sequence[Any], root: Path
                 ) -> tuple[list[tuple[str, str, str]], list[Problem]]:
    """`statics` (site file, source, stamp) without the active files of members publog.yaml does not call
    trusted, each a warning, and with their SVGs marked (their stamp) to be sanitised as they are copied."""
    untrusted = tuple(f"members/{m.id}/" for m in members if not m.trusted)
    if not untrusted:
        return statics, []
    kept, problems = [], []
    for file, source, stamp in statics:
        if not file.startswith(untrusted):
            kept.append((file, source, stamp))
            continue
        shown = _shown(source, root)
        name = file.rsplit("/", 1)[-1].lower()
        if name.endswith(ACTIVE_SUFFIXES) or ("." not in name and _looks_like_markup(source)):
            problems.append(warning(shown, 1, "not published: a page or script of a member would run on the "
                                              "community's site; add 'trusted: true' to their entry in publog.yaml's "
                                              "members to publish it"))
            continue
        if name.endswith(".svg"):  # served by its suffix: a .png holding SVG is shown as an image, never run
            try:
                images.sanitised_svg(files.read_bytes(source), shown)
            except (OSError, ValueError) as exc:
                why = str(exc).removeprefix(shown).strip() if isinstance(exc, ValueError) else "cannot be read"
                problems.append(warning(shown, 1, f"not published: it {why}; fix it, or add 'trusted: true' to the "
                                                  "member's entry in publog.yaml's members"))
                continue
            stamp += UNTRUSTED_STAMP
        kept.append((file, source, stamp))
    return kept, problems


def untrusted_svgs(statics: Sequence[tuple[str, str, str]]) -> frozenset[str]:
    """The site files of `member_files`' result that are sanitised as they are copied."""
    return frozenset(file for file, _, stamp in statics if stamp.endswith(UNTRUSTED_STAMP))


def _shown(source: str, root: Path) -> str:
    try:
        return Path(source).relative_to(root).as_posix()
    except ValueError:
        return os.path.relpath(source, root).replace(os.sep, "/")


def _looks_like_markup(source: str) -> bool:
    """Whether a file without a suffix starts like HTML or XML, which some servers would show as a page."""
    try:
        return (leaks.text_bytes(files.read_bytes(source)[:4096]) or b"").lstrip().startswith(b"<")
    except OSError:
        return False

