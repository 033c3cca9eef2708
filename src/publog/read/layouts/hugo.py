"""A folder written for Hugo: hugo.toml (or config.*, or config/_default/) gives the content folder,
the permalinks of each section, the static folder, and the site's title, URL and author."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..configs import load_config
from ..detect import HUGO_CONFIGS
from ...problems import warning
from .oldconfig import OldConfig, site_settings, translate
from .layout import Layout

# Hugo's permalink tokens -> publog's fields (see urls.PERMALINK_FIELDS).
_HUGO_TOKENS = {"year": "{year}", "month": "{month}", "day": "{day}", "title": "{title}", "slug": "{title}",
                "filename": "{name}", "contentbasename": "{name}", "slugorfilename": "{name}",
                "slugorcontentbasename": "{name}", "section": "{section}", "sections": "{folder}"}


def find(root: Path) -> OldConfig:
    """What Hugo's config says of the folder."""
    file = next((n for n in HUGO_CONFIGS if (root / n).is_file()), "")
    data, lines, problems = load_config(root, file) if file else ({}, {}, [])
    data = {str(k).lower(): v for k, v in data.items()}
    lines = {k.lower(): v for k, v in lines.items()}
    content = data.get("contentdir") if isinstance(data.get("contentdir"), str) else "content"
    ugly = data.get("uglyurls") is True
    default = "/{path}.html" if ugly else "/{path}/"
    permalinks: list[tuple[str, str]] = []
    raw = data.get("permalinks")
    if isinstance(raw, dict):
        raw = raw.get("page", raw) if isinstance(raw.get("page"), dict) else raw
        for section, pattern in raw.items():
            if not isinstance(pattern, str):
                continue
            translated, unknown = translate(pattern, r":(\w+)", _HUGO_TOKENS)
            if unknown:
                problems.append(warning(file, lines.get("permalinks", 1), f"the permalink of '{section}' uses {unknown}, "
                                        "which publog has no field for; its pages get Hugo's default URLs"))
            else:
                permalinks.append((str(section).strip("/"), translated))
    static = str(data["staticdir"]) if isinstance(data.get("staticdir"), str) else "static"
    layout = Layout(name="hugo", source=file, permalinks=tuple(permalinks) + (("", default),),
                    static=((static, ""),) if static != "static" else ())
    site = site_settings(data.get("title"), _param(data, "description"), data.get("baseurl"), data.get("languagecode"),
                 data.get("timezone"), _param(data, "author") or data.get("author"))
    return OldConfig(layout, content, default, site, tuple(problems))


def _param(data: dict[str, Any], key: str) -> Any:
    params = data.get("params")
    return params.get(key) if isinstance(params, dict) else None
