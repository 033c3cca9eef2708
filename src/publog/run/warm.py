"""Making a process warm for the build after an edit: what a build that rendered nothing did not
load (the Markdown parser, the theme's compiled templates, feedgen, the secret detectors, the code
highlighters of the journal's languages), made ready while no one waits.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Generator

from ..problems import errors_in
from .inputs import settings


def prepare(root: Path, cache_file: Path | None = None) -> None:
    """Make ready what the build after an edit needs and a build that rendered nothing did not make:
    the theme's compiled templates, the Markdown parser, and the highlighters of the languages of the
    code the cache's ``cache_file`` holds. publog serve calls it after its first build, so that the
    first save shows as quickly as the next ones."""
    for _ in preparing(root, cache_file):
        pass


def preparing(root: Path, cache_file: Path | None = None) -> Generator[None, None, None]:
    """``prepare``, one template, highlighter or few hundred entries' HTML at a time."""
    from ..markdown import body as markdown
    from ..read.load import Source
    from ..render.templates import templates

    _, _, theme, problems = settings(root)
    if errors_in(problems):
        return
    markdown.render(Source(path="ready.md", title="", body="Text\n\n```python\nready = True\n```\n", body_line=1))
    yield
    import feedgen.feed  # noqa: F401  (what rendering a feed imports the first time)
    yield
    from ..render import search

    search._pagefind()  # what finding Pagefind, to index a part again, imports the first time
    yield
    from ..privacy import secrets

    secrets.ready()  # what the final scan of the first page rendered loads
    yield
    env = templates(theme, theme.digest())
    for name in env.list_templates(extensions=("html", "xml", "txt")):
        try:
            env.get_template(name)
        except Exception:  # noqa: BLE001  (a template's error is the build's to report, with its line)
            pass
        yield
    if cache_file is not None:
        yield from _highlighters(cache_file)


# A code block as the Markdown stage writes it, and its language: at most this many are made ready.
_LANGUAGE = re.compile(r'<code class="language-([\w+#.-]{1,32})[\s"]')
_MOST_LANGUAGES = 64
_ROWS_A_STEP = 256
_MOST_STEPS = 10_000_000  # of SQLite's machine in a query: a step of rows takes a few thousand


def _highlighters(cache_file: Path) -> Generator[None, None, None]:
    """Pygments compiles a language's rules when its first block is highlighted, which the first edit of
    an entry with code waited for. The languages are those of the entries' HTML in the cache,
    read in a connection of this step's own that writes nothing (publog serve runs it beside its builds)."""
    from ..markdown import highlights

    made: set[str] = set()
    try:
        db = sqlite3.connect(f"{cache_file.absolute().as_uri()}?mode=ro", uri=True, check_same_thread=False)
    except (sqlite3.Error, OSError, ValueError):
        return
    # The database may have come with the journal: a step that runs long (a view in the table's place that
    # never ends) is stopped, and only a table of publog's is read.
    db.set_progress_handler(lambda: 1, _MOST_STEPS)
    try:
        if db.execute("SELECT type FROM sqlite_master WHERE name = 'html'").fetchall() != [("table",)]:
            return
        last = 0
        while len(made) < _MOST_LANGUAGES:
            rows = db.execute("SELECT rowid, html FROM html WHERE rowid > ? ORDER BY rowid LIMIT ?",
                              (last, _ROWS_A_STEP)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            for _, html in rows:
                if isinstance(html, str) and 'class="language-' in html:
                    for lang in {found.lower() for found in _LANGUAGE.findall(html)} - made:
                        if len(made) < _MOST_LANGUAGES:
                            made.add(lang)
                            highlights.ready(lang)
                            yield  # one highlighter a step: a build that comes meanwhile waits for one only
            yield
    except sqlite3.Error:  # damaged, or replaced meanwhile: the build reports it, if it matters
        return
    finally:
        db.close()
