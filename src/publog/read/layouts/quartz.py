"""A Quartz 4 garden: its content/ folder is a vault; quartz.config.ts (read as text, never run)
gives the notes left out, the site's title and URL, and whether notes must say publish: true."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

from .. import files, jsvalues
from ..detect import QUARTZ_CONFIG, QUARTZ_CONTENT
from ...problems import Problem, warning
from .oldconfig import OldConfig, site_settings
from .layout import Publish
from .obsidian import find as find_vault

# Quartz's own filters; any other is code publog cannot run.
_QUARTZ_FILTERS = ("RemoveDrafts", "ExplicitPublish")


def find(root: Path) -> OldConfig:
    """A Quartz 4 garden: its content/ folder is a vault; quartz.config.ts gives the notes left out, title and URL."""
    try:
        text = files.read_text(root / QUARTZ_CONFIG, "utf-8-sig")
    except (OSError, UnicodeDecodeError):
        text = ""
    settings, _ = jsvalues.find_object(text, "configuration")
    patterns = settings.get("ignorePatterns")
    patterns = [p for p in patterns if isinstance(p, str)] if isinstance(patterns, list) else []
    ignored, problems = _ignored(root, patterns, jsvalues.line_of(text, "ignorePatterns"))
    vault = find_vault(root / QUARTZ_CONTENT).layout
    layout = replace(vault, name="quartz", source=QUARTZ_CONFIG,
                     skip=tuple(sorted({f"{QUARTZ_CONTENT}/{f}" for f in vault.skip} | set(ignored))))
    base = settings.get("baseUrl")
    if isinstance(base, str) and base.strip() and not re.match(r"^https?://", base):
        base = "https://" + base.strip().strip("/")  # Quartz's baseUrl is written without its scheme
    site = site_settings(settings.get("pageTitle"), None, base, settings.get("locale"))
    chosen = re.search(r"(?<![\w$])filters\s*:\s*\[(.*?)\]", text, re.S)
    for call in re.finditer(r"([\w$.]+)\s*\(", chosen.group(1) if chosen else ""):
        name = call.group(1).rsplit(".", 1)[-1]
        if name == "ExplicitPublish":
            site += (("publish", Publish(require=True)),)
        elif name not in _QUARTZ_FILTERS:
            line = text.count("\n", 0, chosen.start(1) + call.start()) + 1 if chosen else 1
            problems.append(warning(QUARTZ_CONFIG, line, f"the filter {name}() is code publog does not run, so the notes "
                                    "it leaves out are published unless they say draft: true; list their folders under "
                                    "publish: exclude in publog.yaml, or mark them draft: true"))
    return OldConfig(layout, QUARTZ_CONTENT, None, site, tuple(problems))


def _ignored(root: Path, patterns: list[str], line: int) -> tuple[list[str], list[Problem]]:
    """The folders and files of content/ that ignorePatterns leave out (relative to the journal), and warnings.

    Quartz matches a pattern against paths from content/, case-sensitively. publog also leaves out what a
    pattern without a slash names deeper down or in another case ('templates' and 99 Meta/Templates), as
    an author who wrote it meant to: never publishing what was meant to stay out, and saying so.
    """
    exact: list[tuple[str, re.Pattern[str]]] = []
    loose: list[tuple[str, re.Pattern[str]]] = []
    problems: list[Problem] = []
    for pattern in dict.fromkeys(patterns):
        found = jsvalues.glob_regex(pattern)
        if found is None:
            if not pattern.strip().startswith("!") or re.search(r"[!@?*+]\(", pattern):
                problems.append(warning(QUARTZ_CONFIG, line, f"publog cannot read the ignorePatterns entry {pattern!r}, so "
                                        "what it leaves out is published; write it with *, ** and ? only, or list the "
                                        "folders under publish: exclude in publog.yaml"))
            continue
        exact.append((pattern, found))
        if "/" not in pattern.strip().strip("/"):
            loose.append((pattern, re.compile(found.pattern, re.I)))
    left: list[str] = []
    broader: dict[str, list[str]] = {}
    content = root / QUARTZ_CONTENT
    pending = [(content, "")]
    while pending and (exact or loose):
        here, prefix = pending.pop()
        try:
            listing = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError:
            continue
        for item in listing:
            relative = prefix + item.name
            if any(regex.fullmatch(relative) for _, regex in exact):
                left.append(f"{QUARTZ_CONTENT}/{relative}")
                continue
            widely = next((p for p, regex in loose if regex.fullmatch(item.name)), None)
            if widely is not None:
                left.append(f"{QUARTZ_CONTENT}/{relative}")
                broader.setdefault(widely, []).append(relative)
                continue
            if item.is_dir(follow_symlinks=False) and not item.name.startswith("."):
                pending.append((Path(item.path), relative + "/"))
    for pattern, paths in broader.items():
        shown = ", ".join(sorted(paths)[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        problems.append(warning(QUARTZ_CONFIG, line, f"ignorePatterns {pattern!r} also leaves out {shown}: publog reads a "
                                "name without a slash at any depth and in any case, which Quartz does not; write "
                                "the path from content/ to say which one you mean"))
    return left, problems
