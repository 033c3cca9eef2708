"""Making a process warm for the build after an edit: what a build that rendered nothing did not
load (the Markdown parser, the theme's compiled templates, feedgen, the secret detectors), made ready
while no one waits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Generator

from ..problems import errors_in
from .inputs import settings


def prepare(root: Path) -> None:
    """Make ready what the build after an edit needs and a build that rendered nothing did not make:
    the theme's compiled templates, the Markdown parser. publog serve calls it after its first
    build, so that the first save shows as quickly as the next ones."""
    for _ in preparing(root):
        pass


def preparing(root: Path) -> Generator[None, None, None]:
    """``prepare``, one template at a time."""
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
