"""A folder written for Pelican: pelicanconf.py (read, never run) gives the content folder, the URLs
of articles and pages, the static folders, and the site's title, URL and author."""

from __future__ import annotations

from pathlib import Path

from ..configs import python_settings
from ...problems import warning
from .oldconfig import OldConfig, site_settings, translate
from .layout import Layout


_PELICAN_TOKENS = {"slug": "{title}", "date:%Y": "{year}", "date:%m": "{month}", "date:%d": "{day}",
                   "category": "{category}"}


def find(root: Path) -> OldConfig:
    """What Pelican's settings say of the folder."""
    settings, lines, problems = python_settings(root / "pelicanconf.py", "pelicanconf.py")
    published, _, _ = python_settings(root / "publishconf.py", "publishconf.py")
    content = settings.get("PATH", "content")
    content = content if isinstance(content, str) and content.strip() else "content"
    content = content.strip("/") or "."
    tokens = dict(_PELICAN_TOKENS)
    if settings.get("SLUGIFY_SOURCE") == "basename":
        tokens["slug"] = "{name}"
    if isinstance(settings.get("DEFAULT_LANG"), str):
        tokens["lang"] = settings["DEFAULT_LANG"]
    patterns: dict[str, str] = {}
    for key, default in (("ARTICLE_URL", "{slug}.html"), ("PAGE_URL", "pages/{slug}.html")):
        written = settings.get(key, default)
        translated, unknown = translate(written if isinstance(written, str) else default, r"{([^{}]+)}", tokens)
        if unknown:
            problems.append(warning("pelicanconf.py", lines.get(key, 1), f"{key} uses {unknown}, which publog has no "
                                    f"field for; publog uses Pelican's default, {default}"))
            translated, _ = translate(default, r"{([^{}]+)}", tokens)
        patterns[key] = translated
    page_folders = settings.get("PAGE_PATHS", ["pages"])
    page_folders = [p.strip("/") for p in page_folders if isinstance(p, str)] if isinstance(page_folders, list) else ["pages"]
    statics = settings.get("STATIC_PATHS", ["images"])
    statics = [s.strip("/") for s in statics if isinstance(s, str)] if isinstance(statics, list) else ["images"]
    prefix = "" if content == "." else content + "/"
    layout = Layout(
        name="pelican", source="pelicanconf.py",
        permalinks=tuple((p, patterns["PAGE_URL"]) for p in page_folders) + (("", patterns["ARTICLE_URL"]),),
        static=tuple((prefix + s, s) for s in statics),
        folder_categories=settings.get("USE_FOLDER_AS_CATEGORY", True) is not False,
    )
    site = site_settings(settings.get("SITENAME"), None, published.get("SITEURL") or settings.get("SITEURL"),
                 settings.get("DEFAULT_LANG"), settings.get("TIMEZONE"), settings.get("AUTHOR"))
    return OldConfig(layout, content, patterns["ARTICLE_URL"], site, tuple(problems))
