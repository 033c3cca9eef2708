"""An Obsidian vault: its notes' URLs are their paths, as Obsidian Publish shows them, and the
folders its Templates and Templater plugins name hold no notes."""

from __future__ import annotations

import json
from pathlib import Path

from .. import files
from ..detect import OBSIDIAN, TEMPLATE_SETTINGS
from .oldconfig import OldConfig
from .layout import NOTES_PERMALINK, Layout


def find(root: Path) -> OldConfig:
    """The vault at ``root``."""
    return OldConfig(Layout(name="obsidian", source=OBSIDIAN, permalinks=(("", NOTES_PERMALINK),), skip=templates(root)), ".")


def templates(root: Path) -> tuple[str, ...]:
    """The vault's templates folders, as its Templates and Templater settings name them."""
    found = []
    for name, key in zip(TEMPLATE_SETTINGS, ("folder", "templates_folder"), strict=True):
        try:
            value = json.loads(files.read_text(root / name)).get(key)
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(value, str) and value.strip("/ ") and ".." not in value:
            found.append(value.strip("/ "))
    return tuple(sorted(set(found)))
