"""Nothing raw on a page (issue 24): what another generator runs in a body renders as it would.

Each test lays out a small journal the way real folders are (a Jekyll `_config.yml` and `_posts/`,
a Hugo `config.toml` and `content/`, Eleventy's `.eleventy.js`, Pelican's `pelicanconf.py`), builds
it through the CLI, and asserts on the built pages: no raw `{{<`, `{%` or `{:` outside code, and
code stays code.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from hostile_support import assert_clear, build

from conftest import write

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU\x00\x00\x00\n"
       b"IDATx\x9cc`\x00\x00\x00\x02\x00\x01H\xaf\xa4q\x00\x00\x00\x00IEND\xaeB`\x82")  # one grey pixel
RAW = re.compile(r"\{\{[<%]|\{%|\{\{-?\s*[\w.'\"]|\{:")


def text_outside_code(html: str) -> str:
    """A page's text as a reader sees it, code and preformatted blocks left out."""
    html = re.sub(r"<(pre|code|script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def assert_nothing_raw(site: Path) -> None:
    __tracebackhide__ = True
    raw = {name: RAW.search(text_outside_code(html)) for name, html in pages(site).items()}
    shown = {name: text_outside_code(pages(site)[name])[max(0, m.start() - 30): m.end() + 40]
             for name, m in raw.items() if m}
    assert not shown, f"raw generator syntax on pages: {shown}"


def body_of(site: Path, needle: str) -> str:
    """The entry text of the one built entry page whose text holds ``needle``."""
    found = [m.group(1) for html in pages(site).values()
             if (m := re.search(r'<div class="content e-content">(.*?)\n  </div>', html, re.S)) and needle in m.group(1)]
    assert len(found) == 1, f"{len(found)} entry pages hold {needle!r}"
    return found[0]


# --- Pelican ----------------------------------------------------------------------------------------

PELICAN = {
    "pelicanconf.py": "AUTHOR = 'Kim'\nSITENAME = 'Kim'\nPATH = 'content'\n",
}


def test_a_pelican_tag_link_first_in_a_post_links_to_the_topic(tmp_path: Path) -> None:
    root = write(tmp_path / "blog", {**PELICAN, "content/2010/video.md": """\
        Title: Cavemen live
        Date: 2010-05-01 10:00
        Tags: video, music

        See the [section about videos]({tag}video), the [music]({category}music) category,
        and [the other post]({filename}/2010/other.md).
        """, "content/2010/other.md": "Title: Other\nDate: 2010-04-01 10:00\n\nText.\n"})
    run = build("build", root, "--out", tmp_path / "site")
    assert_clear(run)
    assert run.code == 0, run.err
    html = body_of(tmp_path / "site", "section about videos")
    assert '<a href="/topics/video/">section about videos</a>' in html
    assert '<a href="/topics/music/">music</a>' in html
    other = re.search(r'<a href="([^"]+)">the other post</a>', html)
    assert other and (tmp_path / "site" / other.group(1).lstrip("/")).is_file()


def built(tmp_path: Path, files: dict[str, str | bytes], *args: str) -> tuple[Path, list[str]]:
    """Build the journal ``files`` lay out; the site and the warnings, asserting the build went through."""
    root = write(tmp_path / "blog", files)
    run = build("build", root, "--out", tmp_path / "site", *args)
    assert_clear(run)
    assert run.code == 0, run.err
    return tmp_path / "site", [line for line in run.err.splitlines() if not line.startswith("publog:")]


# --- Jekyll: Liquid and kramdown ----------------------------------------------------------------------

JEKYLL = {"_config.yml": "title: Lil'Log\nauthor: Lilian\n"}


def test_a_jekyll_highlight_block_is_highlighted_code(tmp_path: Path) -> None:
    site, warnings = built(tmp_path, {**JEKYLL, "_posts/2017-07-08-rnn.md": """\
        ---
        title: Predict stock prices
        ---
        The key part:

        {% highlight python linenos %}
        # Split into groups of num_steps
        seq = [1, 2, 3]
        {% endhighlight %}

        And {% highlight ruby %}puts 1{% endhighlight %} inline, then:

        - a list
          {% highlight sh %}
          ls -la
          {% endhighlight %}
        """})
    html = body_of(site, "The key part")
    assert "<h1" not in html  # the comment stays code
    assert re.search(r'<pre[^>]*><code class="language-python">.*# Split into groups of num_steps.*seq', html, re.S)
    assert '<code class="language-sh">ls' in html
    assert "And <code>puts 1</code> inline" in html
    assert warnings == []
    assert_nothing_raw(site)


def test_raw_on_a_fence_line_leaves_a_fence(tmp_path: Path) -> None:
    site, _ = built(tmp_path, {".eleventy.js": "module.exports = {};\n", "notes/og.md": """\
        ---
        title: Open graph images
        ---
        The template:

        {% raw %}```html
        <meta content="{{ page.url }}">
        ```{% endraw %}

        In text, {% raw %}{{ site.title }}{% endraw %} shows as written.
        """})
    html = body_of(site, "The template")
    assert '<code class="language-html">' in html and "{{ page.url }}" in unescape(html)
    assert "In text, {{ site.title }} shows as written." in unescape(html)
    assert "raw %}" not in html


def test_kramdown_attribute_lists_are_applied_or_taken_off(tmp_path: Path) -> None:
    site, warnings = built(tmp_path, {**JEKYLL, "_posts/2018-01-01-overview.md": """\
        ---
        title: An overview
        ---
        Before the contents.

        {: class="table-of-content"}
        * TOC
        {:toc}

        {::options parse_block_html="true" /}

        ## Sequence models {#seq .wide}

        ![A diagram](/assets/diagram.png)
        {: style="width: 400px" onclick="steal()"}

        <br />
        ![Elmo](/assets/elmo.png)
        {: style="width: 60%;" class="center"}
        *Fig. 1. Elmo*

        {::comment}
        A note to myself, never published.
        {:/comment}

        ### A part {: .chapter}

        - one
        - two
        {: .compact}
        """})
    html = body_of(site, "Before the contents")
    assert '<nav class="toc table-of-content"><ul><li><a href="#seq">Sequence models</a><ul>' in html
    assert '<a href="#a-part">A part</a>' in html
    assert '<h2 id="seq" class="wide">Sequence models</h2>' in html
    assert '<h3 class="chapter" id="a-part">' in html or '<h3 id="a-part" class="chapter">' in html
    assert '<ul class="compact">' in html
    assert re.search(r'<p class="center"><br />\n<img [^>]*alt="Elmo" />\n<em>Fig. 1. Elmo</em></p>', html), html
    assert "style=" not in html and "onclick" not in html and "steal" not in html
    assert "never published" not in html and "A note to myself" not in html
    assert warnings == []
    assert_nothing_raw(site)


def test_liquid_tags_publog_does_not_know_are_taken_off_with_a_warning(tmp_path: Path) -> None:
    site, warnings = built(tmp_path, {".eleventy.js": "module.exports = {};\n", "src/posts/hello.md": """\
        ---
        title: Hello
        ---
        Write to me: {{ author.email | obfuscate | safe }}.

        {% callout "info" %}
        A [Webmention](https://indieweb.org/Webmention) is an open standard.
        {% endcallout %}

        {% include "signup.njk" %}

        Linked from [the other one]({% post_url 2020-01-01-other %}).

        See `{% not this %}` in code.
        """, "src/posts/2020-01-01-other.md": "---\ntitle: Other\n---\nOther text.\n"})
    html = body_of(site, "Write to me")
    assert "A <a href=\"https://indieweb.org/Webmention\">Webmention</a> is an open standard." in html
    assert "<code>{% not this %}</code>" in html  # code stays code
    assert "signup" not in html and "obfuscate" not in html
    assert sorted(w.split(": warning: ")[1].split(" is ")[0] for w in warnings) == [
        '{% callout "info" %}', '{% include "signup.njk" %}', "{{ author.email | obfuscate | safe }}"]
    assert all(w.startswith("src/posts/hello.md:") for w in warnings)
    assert "left out of the page and the text inside it kept" in next(w for w in warnings if "callout" in w)
    assert_nothing_raw(site)


def test_liquid_links_and_relative_images_in_an_html_block_resolve(tmp_path: Path) -> None:
    site, warnings = built(tmp_path, {**JEKYLL, "_posts/2019-01-01-images.md": """\
        ---
        title: Images
        ---
        <div class="figure">
        <img src="connection-types.png" alt="Connection types">
        <a href="{% post_url 2018-01-01-first %}">the first post</a>
        </div>

        And ![a chart](./chart.png) beside it.
        """, "_posts/connection-types.png": PNG, "_posts/chart.png": PNG,
        "_posts/2018-01-01-first.md": "---\ntitle: First\n---\nFirst.\n"})
    html = body_of(site, "Connection types")
    for name in ("connection-types.png", "chart.png"):
        src = re.search(r'src="([^"]*' + re.escape(name) + ')"', html)
        assert src and src.group(1).startswith("/"), html
        assert (site / src.group(1).lstrip("/")).is_file(), src.group(1)
    link = re.search(r'<a href="([^"]+)">the first post</a>', html)
    assert link and (site / link.group(1).lstrip("/")).exists(), html
    assert warnings == []


# --- Hugo: shortcodes ---------------------------------------------------------------------------------

HUGO = {"config.toml": 'title = "Blog"\nbaseURL = "https://example.org/"\n'}


def test_a_themes_own_highlighting_shortcode_is_code(tmp_path: Path) -> None:
    site, warnings = built(tmp_path, {
        **HUGO,
        "layouts/shortcodes/high.html": '{{ $lang := .Get 0 }}\n{{ highlight (trim .Inner "\\n") $lang "classprefix=pyg-" }}\n',
        "layouts/shortcodes/code-rust.html": '<div>{{ highlight (trim .Inner "\\n") "rust" "" }}</div>\n',
        "content/post/csv.md": """\
            ---
            title: CSV
            date: 2017-05-01
            ---
            Reading records:

            {{< high rust >}}
            # hidden line
            fn main() {
                println!("{:?}", record);
            }
            {{< /high >}}

            {{< code-rust "read-basic" >}}
            fn read() {}
            {{< /code-rust >}}

            {{< highlight go "classprefix=pyg-" >}}
            package main
            {{< /highlight >}}
            """})
    html = body_of(site, "Reading records")
    assert "<h1" not in html and "<p>fn" not in html
    assert re.search(r'<code class="language-rust">.*hidden.*println', html, re.S)
    assert re.search(r'<code class="language-rust">.*read', html, re.S)
    assert '<code class="language-go">' in html
    assert warnings == []
    assert_nothing_raw(site)


def test_hugo_shortcodes_render_as_hugo_would(tmp_path: Path) -> None:
    site, warnings = built(tmp_path, {**HUGO, "content/posts/look-back/index.md": """\
        ---
        title: A look back
        date: 2022-12-28
        ---
        Some photos.

        {{< figure
          src="photos.png"
          alt="Random photos"
          caption="A bunch of random photos"
        >}}

        {{< youtube FFA-v-CIxJQ >}}

        {{< vimeo 364369506 >}}

        {{< figure-video path="yank.mp4" caption="Type `>>....` to indent" >}}

        {{< update >}}
        **Update:** it moved.
        {{< /update >}}

        {{< baseline feature="nesting" >}}

        See [the next post]({{< ref "next.md" >}}).
        """, "content/posts/look-back/photos.png": PNG, "content/posts/look-back/yank.mp4": b"\0\0\0 ftyp",
        "content/posts/next.md": "---\ntitle: Next\ndate: 2023-01-01\n---\nNext.\n"})
    html = body_of(site, "Some photos")
    image = re.search(r'<img src="([^"]+)" alt="Random photos"', html)
    assert image and (site / image.group(1).lstrip("/")).is_file()
    assert "<em>A bunch of random photos</em>" in html
    assert '<a href="https://www.youtube.com/watch?v=FFA-v-CIxJQ">' in html and "<iframe" not in html
    assert '<a href="https://vimeo.com/364369506">' in html
    video = re.search(r'<video controls src="([^"]+)"></video>', html)
    assert video and (site / video.group(1).lstrip("/")).is_file()
    assert "Type <code>&gt;&gt;....</code> to indent" in html
    assert "<strong>Update:</strong> it moved." in html
    assert warnings == [
        "content/posts/look-back/index.md:19: warning: {{< update >}} is a Hugo shortcode publog does not know, "
        "so it is left out of the page and the text inside it kept as it is",
        "content/posts/look-back/index.md:23: warning: {{< baseline feature=\"nesting\" >}} is a Hugo shortcode "
        "publog does not know, so it is left out of the page; replace it with Markdown or HTML"]
    assert_nothing_raw(site)


def test_a_plain_folder_shows_generator_syntax_as_written(tmp_path: Path) -> None:
    """GitHub shows a note about Hugo as it is written: no generator ran over it, nothing is taken off."""
    site, warnings = built(tmp_path, {"hugo/shortcodes.md": "# Shortcodes\n\nWrite {{< youtube ID >}} and {{ .Title }}.\n"})
    assert "Write {{&lt; youtube ID &gt;}} and {{ .Title }}." in body_of(site, "Write")
    assert warnings == []


def test_a_paragraph_of_one_embed_tag_in_a_plain_folder_is_the_link_it_embeds(tmp_path: Path) -> None:
    """Notes cross-posted to dev.to keep its {% youtube %} and {% twitter %} on lines of their own: a
    reader gets the video or the post as a link; the same words inside a sentence stay as written."""
    site, warnings = built(tmp_path, {"js/fast.md": (
        "# JSON.parse is fast\n\n{% youtube ff4fgQxPaO0 %}\n\n"
        "{% twitter https://twitter.com/paulg/status/403183731449413632?lang=en %}\n\n"
        "Write {% youtube ID %} to embed one.\n\n`{% gist abc %}` in code.\n")})
    body = body_of(site, "ff4fgQxPaO0")
    assert '<a href="https://www.youtube.com/watch?v=ff4fgQxPaO0">' in body
    assert '<a href="https://twitter.com/paulg/status/403183731449413632?lang=en">' in body
    assert "<p>Write {% youtube ID %} to embed one.</p>" in body
    assert "<code>{% gist abc %}</code>" in body
    assert warnings == []


def test_code_in_a_summary_or_a_backlinks_sentence_stays_code(tmp_path: Path) -> None:
    """A note about Obsidian writes its syntax as code; the cards and backlinks quoting it show it as code,
    never as a link's syntax in plain text."""
    site, _ = built(tmp_path, {".obsidian/app.json": "{}", "Home.md": "# Home\n\nThe start.\n",
                               "Transclusion.md": ("# Transclusion\n\nWe can use `![[internal link]]` to embed; "
                                                   "see [[Home]] where `![[Home]]` shows it.\n")})
    home = (site / "Home/index.html").read_text(encoding="utf-8")
    assert "see Home where <code>![[Home]]</code> shows it." in home  # the backlink's sentence
    listing = (site / "index.html").read_text(encoding="utf-8")
    assert "We can use <code>![[internal link]]</code> to embed" in listing  # the card's summary
    assert_nothing_raw(site)


def test_a_long_post_with_its_own_table_of_contents_gets_no_second_one(tmp_path: Path) -> None:
    words = " ".join(["word"] * 700)
    site, warnings = built(tmp_path, {**JEKYLL, "_posts/2018-01-01-long.md": f"""\
        ---
        title: A long one
        ---
        Before the contents.

        * TOC
        {{:toc}}

        ## First part

        {words}

        ## Second part

        {words}

        ## Third part

        The end.
        """})
    page = next(html for html in pages(site).values() if "e-content" in html and "Before the contents" in html)
    assert page.count('<nav class="toc') == 1, page  # the author's, where they put it
    assert '<a href="#first-part">First part</a>' in body_of(site, "Before the contents")
