"""The page at an entry's old address (Hugo's aliases, Jekyll's redirect_from): it sends the reader on.

Plain HTML that every host serves: a meta refresh and a canonical link, no JavaScript,
and a link for the reader whose browser does not follow refreshes.
"""

from __future__ import annotations

import html


def page(url: str, title: str, language: str = "en") -> bytes:
    """The redirect page to ``url`` (absolute), the new address of the entry titled ``title``."""
    to = html.escape(url, quote=True)
    return (
        f'<!doctype html>\n<html lang="{html.escape(language, quote=True)}">\n<meta charset="utf-8">\n'
        f"<title>Redirecting…</title>\n"
        f'<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{to}">\n'
        f'<meta http-equiv="refresh" content="0; url={to}">\n'
        f'<p>This page has moved to <a href="{to}">{html.escape(title, quote=False)}</a>.</p>\n'
        f"</html>\n"
    ).encode("utf-8")
