"""Wiki links resolve as Obsidian resolves them, and a link is never shown as its raw brackets (issue 24).

Quartz gardens and Obsidian vaults link by path relative to the linking note: `[[./b]]` is the
note b beside it, `[[../Other/c]]` the note c in a sibling folder. A link that leads nowhere, or out
of the journal, shows its words as text with a `path:line: warning:`.
"""

from __future__ import annotations

from pathlib import Path

from hostile_support import assert_clear, guarded_build, problems

from conftest import write
from publog.run.build import Options, build

VAULT = {".obsidian/app.json": "{}\n"}


def test_relative_wiki_links_resolve_from_the_linking_notes_folder(tmp_path: Path) -> None:
    root = write(tmp_path / "vault", {
        **VAULT,
        "Concepts/a.md": ("# a\n\nSee [[./b|the b note]] and [[../Other/c]].\n\n"
                          "Also [[./missing]] and [[../../../etc/passwd]].\n\n![[./b]]\n\n"
                          "| note | link |\n| --- | --- |\n| b | [[./b|b in a table]] |\n"
                          "| c | [[../Other/c\\|c in a table]] |\n| code | `[[x|y]]` |\n"),
        "Concepts/b.md": "# b\n\nThe b note.\n",
        "Other/c.md": "# c\n\nThe c note.\n",
        "b.md": "# b at the root\n\nNot the b beside a.\n",
    })
    result = guarded_build(tmp_path, root)
    assert_clear(result)
    assert result.code == 0, result.err
    journal = build(root, Options(check_only=True)).journal
    assert journal is not None
    url = {e.path: e.url for e in journal.entries}
    page = (root / "_site" / url["Concepts/a.md"].strip("/") / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{url["Concepts/b.md"]}">the b note</a>' in page
    assert f'href="{url["Other/c.md"]}"' in page
    assert f'href="{url["b.md"]}"' not in page  # ./b is the b beside a, not the one at the root
    assert f'<a href="{url["Concepts/b.md"]}">b in a table</a>' in page  # its pipe splits no cell
    assert f'<a href="{url["Other/c.md"]}">c in a table</a>' in page
    assert "<code>[[x|y]]</code>" in page  # code shows what was written
    assert "[[" not in page.replace("<code>[[x|y]]</code>", "") and "publog-wiki" not in page
    assert "missing" in page and "passwd" in page  # their words, as text
    found = problems(result)
    assert any("Concepts/a.md:" in p and "./missing" in p for p in found), found
    assert any("Concepts/a.md:" in p and "etc/passwd" in p for p in found), found


def test_a_problem_after_a_title_heading_names_its_own_line(journal, publog) -> None:
    # The heading taken for the title leaves the body; the lines after it keep their numbers.
    root = journal({".obsidian/app.json": "{}\n", "a.md": "# A note\n\nFirst paragraph.\n\nSee [[nowhere]].\n",
                    "b.md": "Setext title\n============\n\nSee [[elsewhere]].\n"})
    result = publog("build", root)
    assert result.code == 0, result.err
    assert any(p.startswith("a.md:5: warning: [[nowhere]]") for p in result.problems), result.problems
    assert any(p.startswith("b.md:4: warning: [[elsewhere]]") for p in result.problems), result.problems
