"""Hostile journals, private passages (issue 23): private marks that open in one block and close in another,
never close, close without opening, nest, or are spelled in another case; and private marks in front matter.

Each journal puts a random token in every private part and a token in every public part, builds through
the CLI and searches the whole site (pages, feeds, JSON feed, search index, digests) for them: no private
token anywhere, every public token somewhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write
from hostile_support import assert_clear, guarded_build, leaks, site_bytes, token

# An entry's body: {s1}, {s2} ... are private words, {p1}, {p2} ... public ones.
BODIES = {
    "a passage runs across paragraphs to its closing mark":
        "{p1} <!-- private --> {s1}\n\n{s2} paragraph.\n\n{s3} <!-- /private --> {p2}\n\n{p3}",
    "an inline mark that never closes runs to the end of the entry":
        "{p1} <!-- private --> {s1}\n\n{s2}\n\n- {s3}\n\n# {s4}\n\n> {s5}\n\n| a | b |\n|---|---|\n| {s6} | x |",
    "a closing mark without an opening hides nothing":
        "{p1} <!-- /private --> {p2}\n\n{p3}",
    "a passage opened in a list item runs past the list":
        "- {p1} <!-- private --> {s1}\n- {s2}\n\n{s3} <!-- /private --> {p2}",
    "a passage opened in a quote runs past the quote":
        "> {p1} <!-- private --> {s1}\n>\n> {s2}\n\n{s3} <!-- /private --> {p2}",
    "a passage opened outside a list closes in it":
        "{p1} <!-- private --> {s1}\n\n- {s2} <!-- /private --> {p2}\n- {p3}",
    "a passage runs across code blocks, tables and headings":
        "{p1} <!-- private --> {s1}\n\n```\n{s2}\n```\n\n    {s3} indented\n\n| a | b |\n|---|---|\n| {s4} | x |\n\n"
        "## {s5}\n\n---\n\n<!-- /private --> {p2}\n\n{p3}",
    "a passage opened by a mark block closes inline":
        "<!-- private -->\n{s1}\n\n{s2} <!-- /private --> {p1}\n\n{p2}",
    "a passage opened inline closes with a mark block":
        "{p1} <!-- private --> {s1}\n\n{s2}\n\n<!-- /private -->\n\n{p2}",
    "a closing mark on the next line ends the passage":
        "{p1} <!--private--> {s1}\n<!-- /private--> {p2}",
    "nested marks close with the outer closing mark":
        "{p1} <!-- private --> {s1} <!-- private --> {s2} <!-- /private --> {s3} <!-- /private --> {p2}",
    "marks in capitals and with other spacing":
        "{p1} <!--PRIVATE--> {s1} <!--/Private--> {p2}\n\n{p3} <!--   private   -->{s2}<!-- / private --> {p4}\n\n"
        "::: PRIVATE\n{s3}\n:::\n\n{p5}",
    "an unclosed private block runs to the end of the entry":
        "{p1}\n\n::: private\n{s1}\n\n{s2}\n\n- {s3}",
    "an unclosed private block in a list item runs past the list":
        "- {p1}\n- ::: private\n  {s1}\n\n{s2} after the list",
    "a private block inside a passage":
        "{p1} <!-- private --> {s1}\n\n::: private\n{s2}\n:::\n\n{s3} <!-- /private --> {p2}",
    "an Obsidian comment across blocks":
        "{p1} %% {s1}\n\n- {s2}\n\n```\n{s3}\n```\n\n> {s4}\n\n{s5} %% {p2}",
    "an Obsidian comment opened in a list item":
        "- {p1} %% {s1}\n- {s2}\n\n{s3} %% {p2}",
    "an unclosed Obsidian comment":
        "{p1} %% {s1}\n\n{s2}\n\n- {s3}",
    "an inline footnote in a passage":
        "{p1} <!-- private --> {s1}^[{s2} a note] <!-- /private --> {p2}",
    "a footnote referenced only in a passage":
        "{p1} <!-- private --> {s1}[^n] <!-- /private --> {p2}\n\n<!-- private -->\n[^n]: {s2} a note\n<!-- /private -->",
    "a tag in a passage":
        "{p1} <!-- private --> #{s1} <!-- /private --> {p2} #{p3}",
    "a link in a passage":
        "{p1} <!-- private -->[{s1}](https://example.org/{s2}) <!-- /private -->{p2}",
    "emphasis cut by a mark":
        "{p1} *{p2} <!-- private -->{s1}* {s2} <!-- /private --> {p3}",
}


def _fill(text: str, words: dict[str, str]) -> str:
    return text.format(**words)


def _words(text: str, prefix: str) -> dict[str, str]:
    return {f"{prefix}{n}": token() for n in range(1, 9)}


def _build(tmp_path: Path, files: dict[str, str]) -> Path:
    root = write(tmp_path / "journal", {"publog.yaml": "base_url: https://example.org/\n", **files})
    run = guarded_build(tmp_path, root)
    assert_clear(run)
    assert run.code == 0, run.err
    return root / "_site"


def _shown(out: Path, *words: str) -> list[str]:
    """The words no file of the site shows."""
    everything = b"\n".join(site_bytes(out).values()).lower()
    return [w for w in words if w.encode() not in everything]


@pytest.mark.parametrize("body", BODIES.values(), ids=list(BODIES))
def test_a_private_passage_is_hidden_wherever_its_marks_are(tmp_path: Path, body: str) -> None:
    secret, public = _words(body, "s"), _words(body, "p")
    filled = _fill(body, {**secret, **public})
    out = _build(tmp_path, {
        "entries/2024-05-01-marks.md": f"---\ntitle: Marks\ndate: 2024-05-01\ntags: [work]\n---\n{filled}\n",
        "entries/2024-05-02-other.md": "---\ntitle: Other\ndate: 2024-05-02\n---\nSomething else.\n",
    })
    used_secrets = [w for k, w in secret.items() if "{" + k + "}" in body]
    used_public = [w for k, w in public.items() if "{" + k + "}" in body]
    assert leaks(out, *used_secrets) == []
    assert _shown(out, *used_public) == []


# Front matter: {s1} ... private words, {p1} ... public ones, in every field that reaches a page or feed.
FIELDS = {
    "entries/2024-05-01-fields.md": (
        "---\n"
        'title: "{p1} <!-- private -->{s1}<!-- /private -->"\n'
        'summary: "{p2} %% {s2} %% and <!--PRIVATE-->{s3}"\n'
        'series: "{p3} <!-- private -->{s4}<!-- /private -->"\n'
        "kind: failure\n"
        'what_happened: "{p4} <!-- private -->{s5}<!-- /private -->"\n'
        "why: \"%% {s6} %% {p5}\"\n"
        'learned: "{p6}<!-- private --> {s7}"\n'
        "sources:\n"
        '  - {{type: book, title: "{p7} <!-- private -->{s8}<!-- /private -->", author: "%% {s9} %%Ann"}}\n'
        "tags: [work, \"<!-- private -->{s10}<!-- /private -->\"]\n"
        "date: 2024-05-01\n"
        "---\n"
        "Body text.\n"
    ),
    "entries/2024-05-02-described.md": (
        "---\n"
        'title: "Described"\n'
        'description: "{p8} <!-- private -->{s11}<!-- /private -->"\n'
        "date: 2024-05-02\n"
        "---\n"
        "Body.\n"
    ),
    "entries/2024-05-03-heading.md": (
        "---\ndate: 2024-05-03\n---\n"
        "%%\n# {s12}\n%%\n\n"
        "<!-- private -->\n# {s13}\n<!-- /private -->\n\n"
        "# {p9} <!-- private -->{s14}\n\n{s15} still private <!-- /private --> {p10}\n"
    ),
    "entries/2024-05-04-hidden-title.md": (
        "---\n"
        'title: "<!-- private -->{s16}<!-- /private -->"\n'
        "date: 2024-05-04\n"
        "---\n"
        "# {p11}\n\nText.\n"
    ),
    "entries/2024-05-05-repeated-heading.md": (
        "---\n"
        'title: "{p12}"\n'
        "date: 2024-05-05\n"
        "---\n"
        "# {p12} <!-- private -->{s17}\n\n{s18}\n\n<!-- /private -->\n\n{p13}\n"
    ),
}


def test_private_marks_in_front_matter_and_titles_are_honoured(tmp_path: Path) -> None:
    secret = {f"s{n}": token() for n in range(1, 19)}
    public = {f"p{n}": token() for n in range(1, 14)}
    files = {name: text.format(**secret, **public) for name, text in FIELDS.items()}
    out = _build(tmp_path, files)
    assert leaks(out, *secret.values()) == []
    assert _shown(out, *public.values()) == []
    page = (out / "2024/fields/index.html").read_text(encoding="utf-8")
    assert f"<title>{public['p1']}" in page  # the title's public part, with no mark left
    assert "private" not in (out / "feed.json").read_text(encoding="utf-8").lower()


def test_a_title_that_is_all_private_is_a_missing_title(tmp_path: Path) -> None:
    secret = token()
    root = write(tmp_path / "journal", {
        "publog.yaml": "base_url: https://example.org/\n",
        "entries/2024-05-01-hidden.md": f'---\ntitle: "<!-- private -->{secret}<!-- /private -->"\ndate: 2024-05-01\n---\nText.\n',
    })
    run = guarded_build(tmp_path, root)
    assert_clear(run)
    assert run.code == 1
    assert any(p.startswith("entries/2024-05-01-hidden.md:2: the title is all private") for p in run.problems), run.err
    assert secret not in run.err


def test_the_final_scan_watches_a_short_private_passage(tmp_path: Path) -> None:
    secret = token()
    root = write(tmp_path / "journal", {
        "publog.yaml": "base_url: https://example.org/\n",
        "entries/2024-05-01-pay.md": f"---\ntitle: Pay\ndate: 2024-05-01\n---\nOffer: <!-- private -->95k, {secret}<!-- /private -->.\n",
        "entries/2024-05-02-pasted.md": f"---\ntitle: Pasted\ndate: 2024-05-02\n---\nPasted by mistake: 95k, {secret}.\n",
    })
    run = guarded_build(tmp_path, root)
    assert_clear(run)
    assert run.code == 1, "the final scan let a short private passage through"
    assert any("private passage" in p for p in run.problems), run.err


def test_a_private_passage_adds_nothing_to_the_word_count(tmp_path: Path) -> None:
    """The length of a private passage is private too: templates may show words and reading time."""
    hidden = " ".join(token() for _ in range(600))
    out = _build(tmp_path, {
        "theme/templates/entry.html": "<!doctype html><title>{{ entry.title }}</title>"
                                      "<p>words={{ entry.words }} minutes={{ entry.reading_minutes }}</p>\n",
        "entries/2024-05-01-short.md": f"---\ntitle: Short\ndate: 2024-05-01\n---\nFour public words here.\n\n"
                                       f"<!-- private -->\n{hidden}\n<!-- /private -->\n\n%% {hidden} %%\n",
    })
    assert "words=4 minutes=1" in (out / "2024/short/index.html").read_text(encoding="utf-8")


# Code whose language comments with %% (Erlang, LaTeX, MATLAB cells, Jupyter magics), in every kind of block a
# renderer shows as code or as raw HTML: none of it is an Obsidian comment, so none of it is a private passage.
CODE_WITH_PERCENTS = (
    "Matching in Erlang:\n\n"
    "{{% highlight erlang %}}\n"
    "A = 1. %% {c1} binds the name once and for all\n"
    "B = A + 1. %% {c2} a second match never rebinds it\n"
    "{{% endhighlight %}}\n\n"
    "Indented:\n\n"
    "    X = 2. %% {c3} an indented block keeps its comments\n"
    "    Y = X. %% {c4} as code, whatever they look like\n\n"
    "A notebook cell:\n\n"
    "```python\n"
    "%%time\n"
    "total = sum(range({c5}))\n"
    "```\n\n"
    "<div class=\"note\">\n"
    "Half the runs %% {c6} were slower than the other half of the runs %% in the table.\n"
    "</div>\n"
)


def test_percent_comments_in_code_are_code_not_private_passages(tmp_path: Path) -> None:
    words = {f"c{n}": token() for n in range(1, 7)}
    root = write(tmp_path / "site", {
        "_config.yml": "title: Notes\n",
        "_posts/2023-01-01-x.md": "---\ntitle: Erlang\n---\n" + CODE_WITH_PERCENTS.format(**words),
    })
    run = guarded_build(tmp_path, root)
    assert_clear(run)
    assert run.code == 0, run.err
    assert _shown(root / "_site", *words.values()) == []


@pytest.mark.parametrize("where", ["body", "title"])
def test_a_real_comment_pasted_elsewhere_still_stops_the_build(tmp_path: Path, where: str) -> None:
    secret = token()
    hidden = f"the salary they offered me was far too low {secret}"
    pasted = (f"---\ntitle: Pasted\n---\nPasted by mistake: {hidden}.\n" if where == "body"
              else f"---\ntitle: \"Pasted: {hidden}\"\n---\nText.\n")
    root = write(tmp_path / "site", {
        "_config.yml": "title: Notes\n",
        "_posts/2023-01-01-x.md": f"---\ntitle: Kept\n---\nCode:\n\n    A. %% an indented comment %%\n\n"
                                  f"Text %% {hidden} %% and more, <!-- private -->{secret}<!-- /private -->.\n",
        "_posts/2023-01-02-y.md": pasted,
    })
    run = guarded_build(tmp_path, root)
    assert_clear(run)
    assert run.code == 1, "the final scan let a comment pasted into another post through"
    assert any("private passage" in p for p in run.problems), run.err
