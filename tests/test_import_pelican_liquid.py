"""Pelican's liquid_tags run as the plugin runs them, where pelicanconf.py enables it (issue 24).

``{% include_code %}`` becomes the file's code, ``{% img %}`` an image, a video a link or a
<video>, a notebook a link to it with a warning; any other tag is taken off with a warning
naming it. A tag is never shown raw; a folder without the plugin is left as it is.
"""

from __future__ import annotations

from pathlib import Path

from hostile_support import build

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU\x00\x00\x00\n"
       b"IDATx\x9cc`\x00\x00\x00\x02\x00\x01H\xaf\xa4q\x00\x00\x00\x00IEND\xaeB`\x82")  # one grey pixel

CONF = """\
SITENAME = 'Notes'
PATH = 'content'
PLUGINS = ['summary', 'liquid_tags.img', 'liquid_tags.video', 'liquid_tags.youtube',
           'liquid_tags.include_code', 'ipynb.liquid', 'liquid_tags.literal']
CODE_DIR = 'code'
"""

POST = """\
Title: Post
Date: 2024-01-02 10:00

Some animation code:

{% include_code x.py lang:python Basic Animation %}

{% img left /images/pic.png 80 80 'A picture' %}

{% video /videos/clip.mp4 360 270 /videos/clip.png %}

{% youtube dQw4w9WgXcQ %}

{% notebook notebooks/Test.ipynb cells[2:] %}

To include code, write {% literal include_code x.py %}.

{% include_code missing.py %}

{% include_code ../../secret.txt %}

{% gram abc %}
"""


def _journal(tmp_path: Path, conf: str = CONF) -> Path:
    root = tmp_path / "blog"
    (root / "content/code").mkdir(parents=True)
    (root / "content/images").mkdir()
    (root / "pelicanconf.py").write_text(conf, encoding="utf-8")
    (root / "content/post.md").write_text(POST, encoding="utf-8")
    (root / "content/code/x.py").write_text("def frame(i):\n    return i < 3\n", encoding="utf-8")
    (root / "content/images/pic.png").write_bytes(PNG)
    (root / "content/notebooks").mkdir()
    (root / "content/notebooks/Test.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside the journal\n", encoding="utf-8")
    return root


def _page(root: Path) -> str:
    return (root / "_site/post.html/index.html" if (root / "_site/post.html").is_dir()
            else root / "_site/post.html").read_text(encoding="utf-8")


def test_liquid_tags_render_as_the_plugin_renders_them(tmp_path: Path) -> None:
    root = _journal(tmp_path)
    run = build("build", root)
    assert run.code == 0, run.err
    html = _page(root)
    assert html.count("{%") == 1  # the literal one only
    assert "Basic Animation" in html and "frame" in html and "return" in html  # the file, as code
    assert 'class="language-python"' in html or "highlight" in html
    assert "/images/pic.png" in html and "A picture" in html
    assert "<video" in html and "/videos/clip.mp4" in html
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in html
    assert 'href="/notebooks/Test.ipynb"' in html  # a link to the notebook
    assert "To include code, write {% include_code x.py %}." in html  # literal: shown as written
    assert "outside the journal" not in html
    assert "abc" not in html


def test_what_publog_cannot_run_is_a_warning_naming_it(tmp_path: Path) -> None:
    root = _journal(tmp_path)
    run = build("build", root)
    assert run.code == 0, run.err
    warnings = [line for line in run.err.splitlines() if ": warning: " in line and line.startswith("content/post.md:")]
    text = "\n".join(warnings)
    assert "content/post.md:14: warning: {% notebook" in text
    assert "content/post.md:18: warning: {% include_code missing.py %}" in text
    assert "content/post.md:20: warning: {% include_code ../../secret.txt %}" in text
    assert "content/post.md:22: warning: {% gram abc %}" in text
    assert "Basic Animation" not in text and "{% img" not in text and "{% video" not in text
    assert "Traceback" not in run.err


def test_without_the_plugin_the_tags_are_left_as_today(tmp_path: Path) -> None:
    root = _journal(tmp_path, CONF.replace("'liquid_tags.img'", "'x'").split("PLUGINS")[0] + "PLUGINS = ['summary']\n")
    run = build("build", root)
    assert run.code == 0, run.err
    assert "{% img left /images/pic.png" in _page(root)
