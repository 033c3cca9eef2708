"""What the old generator of a journal runs in a body (a `Syntax`), and what publog notes of what it does not
run (a `Notice`, which the journal stage turns into a warning).

The tag rules (markdown/generators.py) and the highlight blocks (markdown/highlights.py) both read
them, so they live below both."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..read import files


_RUNS = {"hugo": ("shortcode",), "jekyll": ("liquid", "template"), "eleventy": ("liquid", "template")}
_SHOWN = {"hugo": ("template",)}  # Hugo does not run templates in content: shown as written, as Hugo shows them
_WHAT = {"shortcode": "a Hugo shortcode", "liquid": "a Liquid tag", "template": "template code"}

# What publog did, said in full where the tag's name alone does not say it.
_SAID = {
    "no_code": "names no file in the folder pelicanconf.py's CODE_DIR names, so it is left out of the page; "
               "check the file's name",
    "outside": "names a file outside the folder pelicanconf.py's CODE_DIR names, so it is left out of the page; "
               "publog includes no file from elsewhere",
    "notebook": "renders a notebook, which publog does not do, so the page links to the notebook instead",
}
_DID = {
    "shown": "publog does not run, so it shows as written; replace it with Markdown or HTML",
    "removed": "publog does not know, so it is left out of the page; replace it with Markdown or HTML",
    "unwrapped": "publog does not know, so it is left out of the page and the text inside it kept as it is",
}


@dataclass(frozen=True)
class Syntax:
    """What the old generator of a journal runs in a body, as far as publog runs it too."""

    generator: str = ""  # "hugo", "jekyll", "eleventy" (or "pelican"); "" for none
    # The site's own Hugo shortcodes whose template highlights what they enclose: (name, its fixed language or "").
    highlighting: tuple[tuple[str, str], ...] = field(default=())
    # Pelican: the Liquid tags pelicanconf.py's PLUGINS enable (liquid_tags.img ...), and where they read files.
    liquid_tags: tuple[str, ...] = ()
    root: str = ""  # the journal's folder, as a full path: no file outside it is ever included
    content: str = ""  # the content folder, as a full path: where include_code and notebook look
    code_dir: str = "code"  # CODE_DIR, under the content folder
    notebook_dir: str = "notebooks"  # NOTEBOOK_DIR, under the content folder
    code_stamp: str = ""  # the files include_code may read: a changed one renders its entries again

    def runs(self, kind: str) -> bool:
        if self.generator == "pelican":
            return kind == "liquid" and bool(self.liquid_tags)
        return kind in _RUNS.get(self.generator, ())

    def shows(self, kind: str) -> bool:
        """Whether the generator shows this syntax as written though its author may have meant it to run."""
        return kind in _SHOWN.get(self.generator, ())


@dataclass(frozen=True)
class Notice:
    """Something in a body that only the old generator could run."""

    line: int
    syntax: str  # "shortcode" (Hugo), "liquid" ({% tag %}) or "template" ({{ value }})
    text: str  # as written, cut short
    did: str = "shown"  # what publog did with it: "shown", "removed" or "unwrapped" (its inner text kept)

    @property
    def message(self) -> str:
        if self.did in _SAID:
            return f"{self.text} {_SAID[self.did]}"
        return f"{self.text} is {_WHAT.get(self.syntax, self.syntax)} {_DID.get(self.did, _DID['shown'])}"


def included_code(syntax: Syntax, name: str) -> tuple[str | None, str]:
    """The text of the file ``{% include_code NAME %}`` names, or None and why not ("no_code", "outside").

    The file is found in CODE_DIR, as Pelican finds it, and never outside it: a name going up
    (``../../secret``) or a link pointing away is refused, whatever the old generator did."""
    base = Path(syntax.content) / syntax.code_dir
    try:
        folder = base.resolve()
        target = (base / name).resolve()
    except (OSError, RuntimeError, ValueError):
        return None, "no_code"
    if not target.is_relative_to(folder) or not folder.is_relative_to(Path(syntax.root).resolve()):
        return None, "outside"
    try:
        return files.read_text(target), ""
    except (OSError, UnicodeDecodeError, ValueError):
        return None, "no_code"
