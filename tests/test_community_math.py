"""A community member publog does not trust keeps the math publog itself renders for them, as MathML, and
nothing MathML could run or link to: no href, no event handler, no style, no <maction>."""

from __future__ import annotations

from pathlib import Path

from conftest import entry, write
from hostile_support import assert_clear, guarded_build, site_bytes, token

SITE = "base_url: https://example.org/\nmembers:\n  - id: grace\n    name: Grace\n    journal: members/grace\n"


def _page(out: Path, word: str) -> str:
    """The member entry's page: the one page holding ``word`` whose path is below members/grace/."""
    pages = [name for name, data in site_bytes(out).items()
             if name.endswith(".html") and word.encode() in data and "grace" in name]
    assert pages, f"no page of grace shows {word}"
    return (out / sorted(pages)[0]).read_text(encoding="utf-8")


def test_an_untrusted_members_math_shows_as_mathml_and_nothing_in_it_runs(tmp_path: Path) -> None:
    word = token()
    body = (f"Squares {word}: $x^2$ and\n\n$$\\frac{{a}}{{b}}$$\n\n"
            '<math><maction actiontype="statusline"><mi>y</mi><mtext>zqstatus</mtext></maction></math>\n\n'
            '<math href="https://evil.example/zqmath"><mi href="javascript:zqlink()" onclick="zqclick()" '
            'style="color:red">z</mi></math>\n')
    root = write(tmp_path / "guild", {
        "publog.yaml": SITE,
        "entries/2024-05-01-hello.md": entry("Hello", "2024-05-01", "Welcome."),
        "members/grace/2024-05-02-squares.md": entry("Squares", "2024-05-02", body),
    })
    run = guarded_build(tmp_path, root)
    assert_clear(run)
    assert run.code == 0, run.err
    page = _page(root / "_site", word)
    assert "<math><semantics><msup><mi>x</mi><mn>2</mn></msup>" in page
    assert "<mfrac>" in page and 'display="block"' in page
    assert "<mi>z</mi>" in page and "<mi>y</mi>" in page
    for gone in ("maction", "zqmath", "zqlink", "zqclick", "color:red"):
        assert gone not in page, gone
