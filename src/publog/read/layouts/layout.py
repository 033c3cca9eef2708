"""The Layout: the conventions of the generator a journal was written for, as the Config keeps them;
and the settings of publog.yaml that choose them (layout, publish, topics_from)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...problems import Problem, error

NAMES = ("auto", "publog", "hugo", "jekyll", "pelican", "eleventy", "obsidian")
TOPIC_SOURCES = ("tags", "categories")
NOTES_PERMALINK = "/{file}/"  # a vault's or plain folder's notes: their paths, as Obsidian Publish and Quartz show them


@dataclass(frozen=True)
class Layout:
    """The conventions of the generator a journal was written for ('publog' for none).

    Folders are relative to the journal; permalink folders to the entries folder.
    """

    name: str = "auto"  # one of NAMES; 'auto' until settle() has looked
    source: str = ""  # the old generator's config file, for problems and the docs
    permalinks: tuple[tuple[str, str], ...] = ()  # (folder, pattern): entries below folder get pattern; '' any other
    posts: tuple[str, ...] = ()  # Jekyll: folders of posts; a file elsewhere is a page only with front matter
    drafts: tuple[str, ...] = ()  # folders whose entries are drafts (Jekyll's _drafts)
    skip: tuple[str, ...] = ()  # folders holding no entries (Jekyll's _layouts, a vault's templates)
    static: tuple[tuple[str, str], ...] = ()  # (journal folder, site folder) copied as they are
    folder_categories: bool = False  # Pelican: an article's folder is its category when it names none

    @property
    def imported(self) -> bool:
        """Whether the journal was written for another tool, whose habits publog then follows."""
        return self.name not in ("auto", "publog")


@dataclass(frozen=True)
class Publish:
    """Which notes of a vault go out: publish: in publog.yaml."""

    require: bool = False  # only notes whose properties say publish: true (Obsidian Publish's convention)
    exclude: tuple[str, ...] = ()  # folders (below the entries folder) never published


# --- publog.yaml settings ---------------------------------------------------------------------------

SETTINGS = ("layout", "publish", "topics_from")


def setting(key: str, value: Any, line: int, file: str) -> tuple[Any, list[Problem]]:
    """Check one of SETTINGS as publog.yaml gives it; returns its value (the default when it is wrong)."""
    if key == "layout":
        if value not in NAMES:
            return Layout(), [error(file, line, f"'layout' must be one of {', '.join(NAMES)}, not {value!r}")]
        return Layout(name=value), []
    if key == "publish":
        hint = "'publish' must be a mapping such as {require: true, exclude: [Private, Templates]}"
        if not isinstance(value, dict) or any(k not in ("require", "exclude") for k in value):
            return Publish(), [error(file, line, hint)]
        require, exclude = value.get("require", False), value.get("exclude", [])
        if isinstance(exclude, str):
            exclude = [exclude]
        if not isinstance(require, bool):
            return Publish(), [error(file, line, "'publish.require' must be true or false")]
        if not isinstance(exclude, list) or not all(isinstance(f, str) and f.strip() and ".." not in f for f in exclude):
            return Publish(), [error(file, line, "'publish.exclude' must be a list of folders, such as [Private, Templates]")]
        return Publish(require, tuple(f.strip().strip("/") for f in exclude)), []
    if key == "topics_from":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or any(v not in TOPIC_SOURCES for v in value):
            return TOPIC_SOURCES, [error(file, line, "'topics_from' must be a list of tags and categories, such as [tags]")]
        return tuple(dict.fromkeys(value)), []
    raise KeyError(key)
