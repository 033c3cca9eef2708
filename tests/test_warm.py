"""A kept build process readies, while it waits, what the build after an edit loads (run/warm.py)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO, SAMPLE


def test_readying_loads_what_the_first_edit_would_so_the_edit_does_not_wait_for_it() -> None:
    """Each module a rebuild after an edit imports the first time, and that a build which found its journal
    unchanged never needed: the secret detectors', the templates', the feeds' and the one that finds Pagefind."""
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from publog.run.warm import prepare\n"
        "wanted = ('detect_secrets.plugins.aws', 'jinja2', 'feedgen.feed', 'markdown_it', 'pagefind_bin')\n"
        "assert not [m for m in wanted if m in sys.modules], 'loaded before'\n"
        f"prepare(Path({str(SAMPLE)!r}))\n"
        "print(' '.join(m for m in wanted if m not in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"not loaded by prepare: {done.stdout}"


def test_readying_makes_the_highlighters_of_the_journal_s_languages(tmp_path, monkeypatch) -> None:
    """Pygments compiles a language's rules on its first code block (up to 60 ms): the languages of the code the
    cache holds are made ready, whatever their case, each once; a cache that is missing or not a database readies none."""
    import pygments.lexers

    from conftest import entry, write
    from publog.markdown import highlights
    from publog.run.build import Options, build
    from publog.run.session import Session
    from publog.run.warm import prepare

    root = write(tmp_path / "journal", {
        "publog.yaml": "title: Code\n",
        "entries/2024-05-01-a.md": entry("A", body="```SQL\nselect 1;\n```\n\n```rust\nfn main() {}\n```\n"),
        "entries/2024-05-02-b.md": entry("B", "2024-05-02", body="```sql\nselect 2;\n```\n\nNo code here.\n"),
        "entries/2024-05-03-c.md": entry("C", "2024-05-03", body="```\nno language\n```\n"),
    })
    store = Session(root)
    assert build(root, Options(), store).ok
    asked: list[str] = []
    real = pygments.lexers.get_lexer_by_name
    monkeypatch.setattr(pygments.lexers, "get_lexer_by_name", lambda name, **kw: asked.append(name) or real(name, **kw))
    highlights._lexer.cache_clear()
    prepare(root, store.cache.file)
    assert sorted(name for name in asked if name != "python") == ["rust", "sql"]  # python: the parser's own readying
    highlights._lexer.cache_clear()
    asked.clear()
    (tmp_path / "not-a-database").write_text("hello")
    for broken in (tmp_path / "missing.sqlite", tmp_path / "not-a-database"):
        prepare(root, broken)
    assert [name for name in asked if name != "python"] == []


def test_a_cache_that_came_with_the_journal_cannot_keep_readying_busy(tmp_path) -> None:
    """The cache folder may come with a cloned journal: a view in place of the table of entries' HTML, which never
    ends, stops the readying at once rather than keep a kept process or serve busy for good."""
    import sqlite3
    import threading

    from conftest import write
    from publog.run.warm import prepare

    root = write(tmp_path / "journal", {"publog.yaml": "title: Code\n"})
    planted = tmp_path / "cache.sqlite"
    with sqlite3.connect(planted) as db:
        db.executescript("CREATE VIEW html AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                         "SELECT i AS rowid, '<code class=\"language-python\">' AS html FROM n;")
    done = threading.Thread(target=prepare, args=(root, planted), daemon=True)
    done.start()
    done.join(timeout=30)
    assert not done.is_alive()
