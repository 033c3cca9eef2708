"""A folder written for Jekyll: _config.yml gives the permalink style, the site's title, URL and
author, and the folders holding no pages; posts are in _posts, drafts in _drafts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..configs import load_config
from ..detect import JEKYLL_CONFIGS
from ...problems import warning
from .oldconfig import OldConfig, site_settings, translate
from .layout import Layout

# What Jekyll never copies (its default exclude list), besides folders starting with _ or .
EXCLUDED = ("Gemfile", "Gemfile.lock", "gemfiles", "node_modules", "vendor", "package.json",
            "package-lock.json", "yarn.lock")

_JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_JEKYLL_TOKENS = {"year": "{year}", "month": "{month}", "day": "{day}", "title": "{slug}", "slug": "{slug}",
                  "categories": "{categories}", "output_ext": ".html"}


def find(root: Path) -> OldConfig:
    """What Jekyll's config says of the folder."""
    file = next((n for n in JEKYLL_CONFIGS if (root / n).is_file()), "")
    data, lines, problems = load_config(root, file) if file else ({}, {}, [])
    written = data.get("permalink", "date")
    pattern = _JEKYLL_STYLES.get(written, written) if isinstance(written, str) else _JEKYLL_STYLES["date"]
    translated, unknown = translate(pattern, r":([a-z_]+)", _JEKYLL_TOKENS)
    if unknown:
        problems.append(warning(file, lines.get("permalink", 1), f"the permalink uses {unknown}, which publog has no "
                                "field for; posts get Jekyll's default URLs (/:categories/:year/:month/:day/:title.html)"))
        translated = "/{categories}/{year}/{month}/{day}/{slug}.html"
    pages = "/{path}/" if translated.endswith("/") else "/{path}.html"
    layout = Layout(name="jekyll", source=file,
                    permalinks=(("_posts", translated), ("_drafts", translated), ("", pages)),
                    posts=("_posts", "_drafts"), drafts=("_drafts",), skip=skip(root, data))
    base = data.get("url")
    if isinstance(base, str) and isinstance(data.get("baseurl"), str):
        base = base.rstrip("/") + "/" + data["baseurl"].strip("/")
    site = site_settings(data.get("title"), data.get("description"), base, data.get("lang"), data.get("timezone"), data.get("author"))
    return OldConfig(layout, ".", translated, site, tuple(problems))


def skip(root: Path, data: dict[str, Any] | None = None) -> tuple[str, ...]:
    """Jekyll reads no page from folders starting with '_' (but _posts and _drafts) nor from excluded ones."""
    if data is None:
        file = next((n for n in JEKYLL_CONFIGS if (root / n).is_file()), "")
        data = load_config(root, file)[0] if file else {}
    excluded = data.get("exclude")
    extra = [str(e).strip("/") for e in excluded if isinstance(e, str)] if isinstance(excluded, list) else []
    try:
        folders = [e.name for e in os.scandir(root) if e.is_dir(follow_symlinks=False)]
    except OSError:
        folders = []
    underscored = [f for f in folders if f.startswith("_") and f not in ("_posts", "_drafts")]
    return tuple(sorted(set(underscored + [f for f in EXCLUDED + tuple(extra) if f in folders])))
