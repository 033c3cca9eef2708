"""Code in feeds: a feed reader has none of the site's style sheet, so a code block travels as plain
text in its <pre>, the same characters its page shows highlighted, in RSS, Atom and JSON Feed alike."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import feedparser

from conftest import entry

CODE = 'def greet(name):\n    return f"hello {name}" if name else None  # <not a tag>\n'
BODY = f"A function I keep.\n\n```python\n{CODE}```\n\nAnd `inline` code, with <span class=\"k\">raw</span> HTML beside it.\n"


def code_of(content: str) -> str:
    block = re.search(r"<pre\b.*?</pre>", content, re.S)
    assert block, content
    return block.group(0)


def test_feeds_carry_code_blocks_as_plain_text_and_pages_keep_highlighting(journal, publog) -> None:
    root = journal({"publog.yaml": "title: Code\nbase_url: https://example.org/\n",
                    "entries/2024-03-01-greet.md": entry("Greet", "2024-03-01", body=BODY, tags="[python]")})
    assert publog("build", root, "--no-daemon").code == 0
    site = root / "_site"
    page = (site / "2024/greet/index.html").read_text()
    assert '<span class="k">def</span>' in page  # highlighted on the page
    contents = {
        "rss": feedparser.parse((site / "feed.xml").read_bytes()).entries[0].content[0].value,
        "atom": feedparser.parse((site / "atom.xml").read_bytes()).entries[0].content[0].value,
        "json": json.loads((site / "feed.json").read_text())["items"][0]["content_html"],
        "topic": feedparser.parse((site / "topics/python/atom.xml").read_bytes()).entries[0].content[0].value,
    }
    for where, content in contents.items():
        block = code_of(content)
        assert "<span" not in block, where
        assert html.unescape(re.sub(r"<[^>]+>", "", block)) == CODE, where  # every character, in order
        assert '<span class="k">raw</span>' in content, where  # the author's own HTML outside code is theirs
