"""Math in entries (issue 24): TeX between dollars, \\(...\\) and \\[...\\] is never Markdown, and is
published as MathML with its TeX kept; TeX that cannot be converted shows as written, with a warning."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from lxml import html as lxml_html

from conftest import write
from hostile_support import assert_clear, build, problems

# A Jekyll blog as lil-log is written: kramdown's $$...$$ inline and on lines of their own.
POST = r"""---
title: Policy gradients
layout: post
---

The policy $$\pi_\theta(a \vert s)$$ scores $$\boldsymbol{x}_i ... x_j$$ with *emphasis* around it.

$$
\begin{aligned}
\nabla_\theta J(\theta) &= \sum_{s} d^\pi(s) \\
&\propto \sum_{a} Q^\pi(s, a)
\end{aligned}
$$

GitHub's $a_i b_j$ and MathJax's \(c_k d_l\) and \\(e_m f_n\\) are math too.

\[
x_1 + x_2
\]

It costs $5 and $10, nor is $ 4 $ a formula.

See `$x_i * y_i$` in code:

```python
total = "$$not_math$$"
```

A note \[1\] and another \[2\] stay brackets.

Broken: $$\frac{1}{$$ here.

- $$\{(x, s)\}$$ is labelled class 1
- and $$\{(x, \hat{s})\}$$ class 0

$$
\begin{aligned}
f(x) &= \log x \\

g(x) &= x \quad \text{; x_1 & x_2 differ}
\end{aligned}
$$
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = write(tmp_path_factory.mktemp("math") / "blog", {
        "_config.yml": "title: Notes\nauthor: Ada\nmarkdown: kramdown\n",
        "_posts/2024-05-01-policy.md": POST,
    })
    out = root.parent / "site"
    run = build("build", root, "--out", out, "--no-daemon")
    assert_clear(run)
    assert run.code == 0, run.err
    return out, problems(run)


def page(out: Path) -> lxml_html.HtmlElement:
    [found] = [p for p in out.rglob("policy*.html")] or [p for p in out.rglob("*.html") if "Policy gradients" in p.read_text()]
    return lxml_html.fromstring(found.read_text(encoding="utf-8"))


def tex_of(math: lxml_html.HtmlElement) -> str:
    return "".join(math.xpath(".//*[local-name()='annotation'][@encoding='application/x-tex']/text()"))


def test_math_is_mathml_with_its_tex_and_no_markdown_inside(site: tuple[Path, list[str]]) -> None:
    doc = page(site[0])
    maths = doc.xpath("//*[local-name()='math']")
    written = [tex_of(m) for m in maths]
    assert written[:2] == [r"\pi_\theta(a \vert s)", r"\boldsymbol{x}_i ... x_j"]
    assert r"\nabla_\theta J(\theta) &= \sum_{s} d^\pi(s) \\" in written[2]  # both backslashes kept
    assert written[3:7] == ["a_i b_j", "c_k d_l", "e_m f_n", "x_1 + x_2"]
    # A list item starting with a formula, its paragraph ending with a digit; a blank line inside $$...$$,
    # which kramdown and MathJax accept; "_" and "&" in \text{}, which MathJax shows as written.
    assert written[7:9] == [r"\{(x, s)\}", r"\{(x, \hat{s})\}"]
    assert "g(x)" in written[9] and len(written) == 10
    assert not doc.xpath("//*[local-name()='math']//em | //*[local-name()='math']//strong")
    assert [e.text for e in doc.xpath("//em")] == ["emphasis"]  # the real one, and no x<em>i ... x</em>j
    # A formula on lines of its own is displayed, scrolling sideways rather than widening the page.
    displayed = doc.xpath("//*[@class='math-display']/*[local-name()='math'][@display='block']")
    assert [tex_of(m) for m in displayed] == [written[2], "x_1 + x_2", written[9]]


def test_dollars_that_are_not_math_stay_text(site: tuple[Path, list[str]]) -> None:
    doc = page(site[0])
    text = " ".join(doc.xpath("//p//text()"))
    assert "It costs $5 and $10, nor is $ 4 $ a formula." in text
    assert "A note [1] and another [2] stay brackets." in text
    assert doc.xpath("//p/code/text()")[0] == "$x_i * y_i$"
    assert '"$$not_math$$"' in "".join(doc.xpath("//pre//text()"))


def test_tex_that_cannot_be_converted_shows_as_written_with_a_warning(site: tuple[Path, list[str]]) -> None:
    out, found = site
    assert page(out).xpath("//code[@class='tex']/text()") == [r"$$\frac{1}{$$"]
    broken = POST.splitlines().index(r"Broken: $$\frac{1}{$$ here.") + 1
    assert [p for p in found if "math" in p] == [
        (f"_posts/2024-05-01-policy.md:{broken}: warning: the math \\frac{{1}}{{ cannot be shown as MathML "
         "(Expected closing token \"}\", but reached end of input), so it shows as TeX; correct the TeX, "
         "or put it in backticks to show it as code")]


def test_a_cached_build_warns_again_and_strict_stops(tmp_path: Path) -> None:
    root = write(tmp_path / "blog", {"_config.yml": "title: Notes\n", "_posts/2024-05-01-a.md":
                                     "---\ntitle: A\n---\nSee $\\nosuchcommand$.\n"})
    for _ in range(2):  # the second build reads the entry from the cache
        run = build("build", root, "--out", tmp_path / "site", "--no-daemon")
        assert_clear(run)
        assert run.code == 0
        assert [p for p in problems(run) if "the math \\nosuchcommand" in p and ":4: warning:" in p], run.err
    run = build("build", root, "--out", tmp_path / "site", "--no-daemon", "--strict")
    assert run.code == 1 and "the math \\nosuchcommand" in run.err


def test_feeds_carry_the_mathml(site: tuple[Path, list[str]]) -> None:
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse(str(site[0] / name))
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        [item] = feed.entries
        body = item.content[0].value if "content" in item else item.summary
        assert "<math" in body and r"\boldsymbol{x}_i ... x_j" in body


@pytest.mark.slow
def test_the_page_is_valid_html(site: tuple[Path, list[str]]) -> None:
    from readers_support import assert_none, describe_nu, nu_check

    files = [p for p in site[0].rglob("*.html") if "<math" in p.read_text(encoding="utf-8")]
    assert files
    errors, _ = nu_check(files)
    assert_none([describe_nu(m, site[0]) for m in errors])


# An Obsidian note: a formula on lines of its own straight after a sentence, with a line of "=" or "-"
# inside it, which CommonMark would read as a heading's underline.
NOTE = r"""A rotation matrix:
$$
\left[\begin{array}{cc}
\cos \theta & -\sin \theta
\end{array}\right]
=
\left[\begin{array}{c}
x
\end{array}\right]
-
y
$$
and MathJax's brackets:
\[
a
=
b
\]
Money stays text: it cost ($$$) and `echo $$` prints a number.

$$ \frac{m!}{\left(n
- 1\right)!} $$
"""


def test_a_formula_after_a_sentence_is_not_a_heading(tmp_path: Path) -> None:
    root = write(tmp_path / "notes", {"rotation.md": NOTE})
    out = tmp_path / "site"
    run = build("build", root, "--out", out, "--no-daemon")
    assert_clear(run)
    assert run.code == 0, run.err
    doc = lxml_html.fromstring((out / "rotation" / "index.html").read_text(encoding="utf-8"))
    assert [h.text_content() for h in doc.xpath("//main//h1 | //main//h2")] == ["rotation"]
    written = [tex_of(m) for m in doc.xpath("//*[local-name()='math'][@display='block']")]
    assert len(written) == 3 and written[2].endswith("- 1\\right)!}")  # a "-" line is no list item there
    assert written[0].startswith(r"\left[\begin{array}{cc}") and written[0].endswith("y")
    assert "\n=\n" in written[0] and "\n-\n" in written[0] and written[1] == "a\n=\nb"
    assert "$$" not in " ".join(doc.xpath("//p//text()")).replace("($$$)", "").replace("echo $$", "")
    assert "it cost ($$$) and" in " ".join(doc.xpath("//p//text()"))


# Jekyll and Pelican pages put math inside raw HTML, which kramdown leaves alone and MathJax, in the
# reader's browser, renders; code, scripts and the HTML around the math stay as written.
HTML_POST = r"""---
title: Raw HTML
---

<div>
$$ \frac{a}{b} $$
</div>

<table>
    <tr>
        <td align="center">
            $$ \frac{\left(n + r - 1\right)!}{ r!\left(n - 1\right)!} $$
        </td>
        <td>a &amp; b, <b>bold</b>, \[ x &lt; y \] and \(z_1\) costs ($$$)</td>
    </tr>
</table>

<pre>$$ pre_1 $$</pre>
<div><code>$$ code_1 $$</code> <script>var s = "$$ script_1 $$";</script><style>/* $$ style_1 $$ */</style></div>
<!-- $$ comment_1 $$ -->
"""


def test_math_in_raw_html_is_mathml(tmp_path: Path) -> None:
    root = write(tmp_path / "blog", {"_config.yml": "title: Notes\nmarkdown: kramdown\n",
                                     "_posts/2024-05-01-raw.md": HTML_POST})
    out = tmp_path / "site"
    run = build("build", root, "--out", out, "--no-daemon")
    assert_clear(run)
    assert run.code == 0, run.err
    [found] = out.rglob("raw.html")
    text = found.read_text(encoding="utf-8")
    doc = lxml_html.fromstring(text)
    written = [tex_of(m) for m in doc.xpath("//*[local-name()='math']")]
    assert written == [r"\frac{a}{b}", r"\frac{\left(n + r - 1\right)!}{ r!\left(n - 1\right)!}", "x < y", "z_1"]
    assert [m.get("display") for m in doc.xpath("//*[local-name()='math']")] == ["block", "block", "block", None]
    assert "<td>a &amp; b, <b>bold</b>, " in text and "costs ($$$)</td>" in text
    for kept in ("<pre>$$ pre_1 $$</pre>", "<code>$$ code_1 $$</code>", 'var s = "$$ script_1 $$";',
                 "/* $$ style_1 $$ */", "<!-- $$ comment_1 $$ -->"):
        assert kept in text or kept.startswith("<!--"), kept


# An Obsidian note as LesleyLai's garden writes one: a sentence that opens $$ at its end and a $$ alone
# on a later line that closes it; then a heading and two formulas of their own.
OPEN_AT_END = r"""and more generally: $X_{i} \sim \operatorname{Poisson}(\lambda_{i})$ implies $$
\sum_{i=1}^{n} X_{i} \sim \operatorname{Poisson}\left(\sum_{i=1}^{n} \lambda_{i}\right)
$$
### The Sum of Exponentials is Gamma
$$
\sum_{i=1}^{n} X_{i} \sim \Gamma(n, \lambda)
$$
### The Sum of Gammas is Gamma
   $$
   \sum_{i=1}^{n} X_{i} \sim \Gamma(n \alpha, \beta) .
   $$
"""


def test_a_formula_opened_at_a_lines_end_closes_on_its_own_line(tmp_path: Path) -> None:
    root = write(tmp_path / "notes", {".obsidian/app.json": "{}", "sums.md": OPEN_AT_END})
    out = tmp_path / "site"
    run = build("build", root, "--out", out, "--no-daemon")
    assert run.code == 0, run.err
    doc = lxml_html.fromstring((out / "sums" / "index.html").read_text(encoding="utf-8"))
    assert [h.text_content() for h in doc.xpath("//main//h3")] == ["The Sum of Exponentials is Gamma",
                                                                   "The Sum of Gammas is Gamma"]
    written = [tex_of(m) for m in doc.xpath("//*[local-name()='math'][@display='block']")]
    assert len(written) == 3 and written[0].startswith(r"\sum") and written[2].endswith(r"\beta) .")
    assert "$$" not in " ".join(doc.xpath("//main//text()"))
