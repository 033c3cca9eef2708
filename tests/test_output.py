"""The output folder: replaced all or nothing, unchanged files untouched, nothing outside it written."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import entry, snapshot


def test_rebuild_keeps_unchanged_files_and_their_mtimes(journal, publog) -> None:
    root = journal({"entries/2024-01-01-a.md": entry("A", "2024-01-01"), "entries/2024-01-02-b.md": entry("B", "2024-01-02")})
    publog("build", root)
    before = snapshot(root / "_site")
    publog("build", root)
    assert snapshot(root / "_site") == before

    (root / "entries/2024-01-01-a.md").write_text(entry("A", "2024-01-01", body="New words."))
    publog("build", root)
    after = snapshot(root / "_site")
    assert b"New words." in after["2024/a/index.html"][0]
    assert after["2024/a/index.html"][1] != before["2024/a/index.html"][1]
    assert after["2024/b/index.html"] == before["2024/b/index.html"]  # same bytes, same mtime
    assert after["static/style.css"] == before["static/style.css"]


def test_without_a_cache_unchanged_files_still_keep_their_mtimes(journal, publog) -> None:
    root = journal({"entries/a.md": entry()})
    publog("build", root)
    before = snapshot(root / "_site")
    import shutil

    shutil.rmtree(root / ".publog-cache")
    publog("build", root)
    assert snapshot(root / "_site") == before


def test_deleted_entry_disappears_from_the_site(journal, publog) -> None:
    root = journal({"entries/a.md": entry("A"), "entries/b.md": entry("B")})
    publog("build", root)
    assert (root / "_site/2024/b/index.html").exists()
    (root / "entries/b.md").unlink()
    publog("build", root)
    assert not (root / "_site/2024/b").exists()
    assert (root / "_site/2024/a/index.html").exists()


def test_refuses_to_replace_a_folder_publog_did_not_write(journal, publog, tmp_path: Path) -> None:
    root = journal({"entries/a.md": entry()})
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.docx").write_bytes(b"years of work")
    result = publog("build", root, "--out", precious)
    assert result.code == 1
    assert "has no .publog marker" in result.err
    assert [p.name for p in precious.iterdir()] == ["thesis.docx"]


def test_refuses_the_journal_itself_or_its_parent(journal, publog) -> None:
    root = journal({"entries/a.md": entry()})
    before = snapshot(root)
    for out in (root, root.parent):
        result = publog("build", root, "--out", out)
        assert result.code == 1
        assert "would contain the journal itself" in result.err
    assert snapshot(root) == before


def test_an_empty_folder_is_fine(journal, publog, tmp_path: Path) -> None:
    root = journal({"entries/a.md": entry()})
    out = tmp_path / "empty"
    out.mkdir()
    assert publog("build", root, "--out", out).code == 0
    assert (out / "index.html").is_file() and (out / ".publog").is_file()


def test_writes_nothing_outside_the_output_folder_and_the_cache(journal, publog, tmp_path: Path) -> None:
    root = journal({"entries/a.md": entry(), "entries/b.md": entry("B", body="[a](a.md)")})
    out = tmp_path / "site" / "public"
    outside_before = {p for p in tmp_path.rglob("*")}
    assert publog("build", root, "--out", out).code == 0
    (root / "entries/b.md").write_text(entry("B", body="changed"))
    assert publog("build", root, "--out", out).code == 0
    new = {p for p in tmp_path.rglob("*")} - outside_before
    allowed = (out, root / ".publog-cache")
    strays = [p for p in new if not any(p == a or a in p.parents for a in allowed) and p != out.parent]
    assert strays == []


def test_a_broken_template_is_a_problem_with_its_line_and_the_site_stays(journal, publog) -> None:
    root = journal({"entries/a.md": entry()})
    publog("build", root)
    before = snapshot(root / "_site")
    (root / "entries/a.md").write_text(entry(body="changed"))
    (root / "theme/templates").mkdir(parents=True)
    (root / "theme/templates/entry.html").write_text("{% extends 'base.html' %}\n{% block main %}\n{{ entry.nope.deeper }}\n{% endblock %}\n")
    result = publog("build", root)
    assert result.code == 1
    assert "theme/templates/entry.html:3: template error:" in result.err
    assert "Traceback" not in result.err
    assert snapshot(root / "_site") == before
    assert not [p for p in root.iterdir() if "staging" in p.name]


def test_the_site_is_the_same_bytes_every_build(journal, publog, tmp_path: Path) -> None:
    files = {f"entries/2024-0{i}-0{i}-e{i}.md": entry(f"E{i}", f"2024-0{i}-0{i}", tags="[a, b]") for i in range(1, 8)}
    one = journal(files, name="one")
    two = journal(files, name="two")
    publog("build", one, "--out", tmp_path / "out1")
    publog("build", two, "--out", tmp_path / "out2", "--jobs", "1")
    first = {k: v[0] for k, v in snapshot(tmp_path / "out1").items()}
    second = {k: v[0] for k, v in snapshot(tmp_path / "out2").items()}
    assert first == second
    assert os.path.exists(tmp_path / "out1" / "feed.xml")
