"""A Config with what the generator's own files say, where publog.yaml does not say otherwise;
and what a build must know of them before it reads a folder: its fingerprint, its folders of
no entries. Each generator's reading has one signature, root -> OldConfig, listed in FINDERS."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .. import files
from ..detect import MARKERS, detect
from ...settings import yamltext
from ...problems import Problem
from .eleventy import data_files as eleventy_data_files, find as find_eleventy
from .hugo import find as find_hugo
from .jekyll import find as find_jekyll, skip as jekyll_skip
from .obsidian import find as find_obsidian, templates as vault_templates
from .pelican import find as find_pelican
from .quartz import find as find_quartz
from .oldconfig import OldConfig
from .layout import NOTES_PERMALINK, Layout

if TYPE_CHECKING:
    from ...settings.config import Config

FINDERS: dict[str, Callable[[Path], OldConfig]] = {
    "hugo": find_hugo, "jekyll": find_jekyll, "pelican": find_pelican, "eleventy": find_eleventy,
    "obsidian": find_obsidian, "quartz": find_quartz,
}


def fingerprint(root: Path) -> bytes:
    """The bytes of every file detection and settle() read: when they change, the build must look again."""
    parts = [str(detect(root)).encode()]
    for name in MARKERS + eleventy_data_files(root):
        try:
            parts.append(name.encode() + b"\0" + files.read_bytes(root / name))
        except OSError:
            continue
    return b"\0".join(parts)


def skipped(root: Path) -> list[Path]:
    """Folders of the journal that hold no entries, for the generator it was written for."""
    name = detect(root)
    if name == "jekyll":
        return [root / f for f in jekyll_skip(root)]
    if name == "obsidian":
        return [root / f for f in vault_templates(root)]
    if name == "quartz":
        return [root / f for f in find_quartz(root).layout.skip]
    if name == "eleventy":
        return [root / f for f in find_eleventy(root).layout.skip]
    return []


def settle(root: Path, config: Config, problems: list[Problem], config_file: str) -> tuple[Config, list[Problem]]:
    """``config`` with the layout of ``root`` filled in, where publog.yaml does not say otherwise."""
    name = config.layout.name
    if name == "auto":
        name = detect(root)
    if name == "publog":
        # A folder of notes with neither publog.yaml nor entries/ (a TIL repository, a wiki) has URLs that follow its
        # paths, as GitHub shows them; publog's own journal keeps its dated ones.
        plain = not (root / config_file).is_file() and not (root / config.entries).is_dir()
        return replace(config, layout=Layout(name="publog", permalinks=(("", NOTES_PERMALINK),) if plain else ())), problems
    found = FINDERS[name](root)
    declared = _declared(root, config_file)
    changes: dict[str, Any] = {"layout": found.layout}
    if found.entries is not None and "entries" not in declared and not (root / "entries").is_dir():
        changes["entries"] = found.entries
    if found.permalink is not None and "permalink" not in declared:
        changes["permalink"] = found.permalink
    elif "permalink" in declared:
        changes["layout"] = replace(found.layout, permalinks=())  # publog.yaml's pattern is every entry's
    for key, value in found.settings:
        if key not in declared and value:
            changes[key] = value
    return replace(config, **changes), problems + list(found.problems)


def _declared(root: Path, config_file: str) -> set[str]:
    """The settings publog.yaml gives itself."""
    try:
        text = files.read_text(root / config_file, "utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return set()
    doc, _ = yamltext.load(text, config_file)
    return set(doc.value) if doc is not None and isinstance(doc.value, dict) else set()
