"""Which generator a folder was written for, from a few stats, and the files that tell.

Hugo, Jekyll, Pelican and Eleventy are known by their config files, an Obsidian vault by
its .obsidian folder, a Quartz garden by quartz.config.ts and its content folder; a folder
with none of them is publog's own ('publog'). What each of them says is read in
read/layouts/, and what each leaves out in read/ignores.py.
"""

from __future__ import annotations

from pathlib import Path

HUGO_CONFIGS = tuple(f"{folder}{name}.{ext}" for folder in ("", "config/_default/") for name in ("hugo", "config")
                     for ext in ("toml", "yaml", "yml", "json"))
JEKYLL_CONFIGS = ("_config.yml", "_config.yaml")
PELICAN_CONFIGS = ("pelicanconf.py", "publishconf.py")
ELEVENTY_CONFIGS = (".eleventy.js", "eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs", "eleventy.config.ts")
OBSIDIAN = ".obsidian"
QUARTZ_CONFIG = "quartz.config.ts"  # Quartz 4; Quartz 3 was a Hugo site, and is read as one
QUARTZ_CONTENT = "content"
# Obsidian's core Templates plugin and the Templater plugin name the folder of templates, which are no notes.
TEMPLATE_SETTINGS = (".obsidian/templates.json", ".obsidian/plugins/templater-obsidian/data.json")
# The files of other generators a build reads, when they are regular files.
MARKERS = (HUGO_CONFIGS + JEKYLL_CONFIGS + PELICAN_CONFIGS + ELEVENTY_CONFIGS + (".eleventyignore",) + TEMPLATE_SETTINGS
           + (QUARTZ_CONFIG,) + tuple(f"{QUARTZ_CONTENT}/{name}" for name in TEMPLATE_SETTINGS))


def detect(root: Path) -> str:
    """The generator ``root`` was written for, from a few stats: a layout's name or 'quartz', 'publog' for none."""
    if (root / QUARTZ_CONFIG).is_file() and (root / QUARTZ_CONTENT).is_dir():
        return "quartz"  # before the vault: a garden's repository may be opened as a vault, Quartz's source and all
    if (root / OBSIDIAN).is_dir() or (root / "entries" / OBSIDIAN).is_dir():
        return "obsidian"
    if any((root / name).is_file() for name in HUGO_CONFIGS) and (root / "content").is_dir():
        return "hugo"
    if any((root / name).is_file() for name in JEKYLL_CONFIGS) and (root / "_posts").is_dir():
        return "jekyll"
    if (root / "pelicanconf.py").is_file():
        return "pelican"
    if any((root / name).is_file() for name in ELEVENTY_CONFIGS):
        return "eleventy"
    return "publog"
