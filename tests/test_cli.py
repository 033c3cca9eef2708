"""The commands a user types: init, new, build, check; their output and exit codes."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

import yaml

from conftest import entry, run_cli, snapshot


def test_init_creates_a_journal_that_builds(tmp_path: Path, publog) -> None:
    folder = tmp_path / "my-notes"
    result = publog("init", folder)
    assert result.code == 0
    assert (folder / "publog.yaml").is_file()
    entries = list((folder / "entries").glob("*.md"))
    assert len(entries) == 1
    # The config documents the defaults as comments and is valid YAML.
    text = (folder / "publog.yaml").read_text()
    assert "# base_url:" in text and "# permalink:" in text
    settings = yaml.safe_load(text)
    assert uuid.UUID(settings.pop("journal_id")).version == 4  # the feeds' ids, whatever the domain
    assert settings == {"title": "My notes"}

    built = publog("build", folder)
    assert built.code == 0, built.err
    home = (folder / "_site" / "index.html").read_text()
    assert "Hello, world" in home and "<title>My notes</title>" in home


def test_init_refuses_an_existing_journal(tmp_path: Path, publog) -> None:
    assert publog("init", tmp_path).code == 0
    before = (tmp_path / "publog.yaml").read_text()
    result = publog("init", tmp_path)
    assert result.code == 1
    assert "exists already" in result.err
    assert (tmp_path / "publog.yaml").read_text() == before


def test_new_writes_a_dated_entry_and_refuses_to_overwrite(tmp_path: Path, publog) -> None:
    publog("init", tmp_path)
    result = publog("new", "What I learned about SQL joins", "--kind", "til", "--journal", tmp_path)
    assert result.code == 0
    path = Path(result.out.strip())
    today = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d")
    assert path.name == f"{today}-what-i-learned-about-sql-joins.md"
    meta = yaml.safe_load(path.read_text().split("---")[1])
    assert meta["title"] == "What I learned about SQL joins"
    assert meta["kind"] == "til"
    assert str(meta["date"]).startswith(today)

    path.write_text(path.read_text() + "\nMy own words.\n")
    again = publog("new", "What I learned about SQL joins", "--journal", tmp_path)
    assert again.code == 1 and "exists already" in again.err
    assert "My own words." in path.read_text()


def test_new_rejects_an_unknown_kind(tmp_path: Path, publog) -> None:
    result = publog("new", "x", "--kind", "poem", "--journal", tmp_path)
    assert result.code == 2
    assert "unknown kind 'poem'" in result.err


def test_build_prints_a_summary_and_writes_clean_urls(journal, publog) -> None:
    root = journal({"entries/2024-05-01-first.md": entry("First"), "entries/2024-05-02-second.md": entry("Second", "2024-05-02")})
    result = publog("build", root)
    assert result.code == 0
    assert re.search(r"^2 entries, \d+ pages \(\d+ written\) in [\d.]+ s -> ", result.out)
    assert (root / "_site/2024/first/index.html").is_file()
    home = (root / "_site/index.html").read_text()
    assert home.index("Second") < home.index("First")  # newest first
    assert 'href="/2024/first/"' in home


def test_build_timings_name_each_stage_and_add_up_to_the_build(journal, publog) -> None:
    root = journal({"entries/2024-05-01-first.md": entry("First"), "entries/2024-05-02-second.md": entry("Second", "2024-05-02")})
    result = publog("build", root, "--timings")
    assert result.code == 0, result.err
    line = next(line for line in result.out.splitlines() if line.startswith("timings: "))
    stages = {name: float(spent) for name, spent in re.findall(r"(\w+) ([\d.]+) s", line)}
    assert list(stages) == ["read", "journal", "plan", "render", "write", "other"]
    total = float(re.search(r"in ([\d.]+) s ->", result.out).group(1))
    assert abs(sum(stages.values()) - total) < 0.01
    # Built again with nothing changed, only the check that found it so is timed.
    again = publog("build", root, "--timings")
    assert re.search(r"^timings: unchanged [\d.]+ s, other 0.000 s$", again.out, re.M), again.out
    assert "timings: " not in publog("build", root).out


def test_a_build_is_unchanged_only_while_the_output_folder_is_the_one_it_made(journal, publog) -> None:
    """Another build into the same folder (with drafts), or a lost record of what the folder holds, makes
    the next build build: the check of an unchanged journal cannot say the site is as it left it."""
    root = journal({"entries/2024-05-01-first.md": entry("First"),
                    "entries/2024-05-02-wip.md": entry("Work in progress", "2024-05-02", draft="true")})
    assert publog("build", root).code == 0
    assert "(0 written)" in publog("build", root).out
    assert publog("build", root, "--drafts").code == 0
    assert (root / "_site/2024/wip/index.html").is_file()
    again = publog("build", root)
    assert again.code == 0 and "(0 written)" not in again.out
    assert not (root / "_site/2024/wip/index.html").exists()
    assert "(0 written)" in publog("build", root).out
    for manifest in (root / ".publog-cache").rglob("output-*.json"):
        manifest.unlink()
    lost = publog("build", root, "--timings")
    assert lost.code == 0 and "timings: unchanged" not in lost.out, lost.out


def test_build_out_option(journal, publog, tmp_path: Path) -> None:
    root = journal({"entries/a.md": entry()})
    out = tmp_path / "public"
    assert publog("build", root, "--out", out).code == 0
    assert (out / "index.html").is_file()
    assert not (root / "_site").exists()


def test_a_folder_of_markdown_without_config_just_works(journal, publog) -> None:
    root = journal({"note-one.md": "# Note one\n\nText.", "sub/note-two.md": entry("Note two")})
    result = publog("build", root)
    assert result.code == 0, result.err
    assert result.out.startswith("2 entries")
    # A plain folder of notes is shown as GitHub shows it: its URLs follow the files' paths.
    assert (root / "_site/sub/note-two/index.html").is_file() and (root / "_site/note-one/index.html").is_file()


def test_check_reports_and_writes_nothing(journal, publog) -> None:
    root = journal({"entries/a.md": entry(), "entries/b.md": "---\ntitle: [unclosed\n---\n"})
    before = snapshot(root)
    result = publog("check", root)
    assert result.code == 1
    assert result.problems == ["entries/b.md:3: invalid YAML: did not find expected ',' or ']'; check the YAML syntax"] or (
        len(result.problems) == 1 and result.problems[0].startswith("entries/b.md:")
    )
    assert snapshot(root) == before

    (root / "entries/b.md").unlink()
    ok = publog("check", root)
    assert ok.code == 0 and "1 entries checked" in ok.out
    assert snapshot(root) == {k: v for k, v in before.items() if k != "entries/b.md"}


def test_usage_errors_exit_2(publog, tmp_path: Path) -> None:
    assert publog("build", tmp_path / "missing").code == 2
    assert publog("frobnicate").code == 2
    assert publog().code == 2


def test_python_dash_m_works_like_publog(journal) -> None:
    root = journal({"entries/a.md": entry()})
    result = run_cli("build", root)
    assert result.code == 0, result.err
    assert "1 entries" in result.out
    bad = journal({"entries/a.md": "---\ntitle: x\ndate: tomorrow\n---\n"}, name="bad")
    result = run_cli("build", bad)
    assert result.code == 1
    assert "entries/a.md:3: 'date': 'tomorrow' is not a valid date" in result.err
    assert "Traceback" not in result.err


def test_drafts_and_future_entries_need_a_flag(journal, publog) -> None:
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    root = journal({
        "entries/a.md": entry("Published"),
        "entries/b.md": entry("Secret draft", draft="true"),
        "entries/c.md": entry("From the future", future),
    })
    publog("build", root)
    site = "".join(p.read_text() for p in (root / "_site").rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json"))
    assert "Published" in site and "Secret draft" not in site and "From the future" not in site

    out = root / "with-drafts"
    publog("build", root, "--drafts", "--future", "--out", out)
    site = "".join(p.read_text() for p in out.rglob("*.html"))
    assert "Secret draft" in site and "From the future" in site


def test_a_build_in_this_process_leaves_the_garbage_collector_as_it_was(journal, publog) -> None:
    """Only `publog` run as a command of its own builds without the collector (it ends after the build);
    a program that calls the CLI, as these tests do, keeps collecting."""
    import gc

    root = journal({"entries/2024-05-01-a.md": "---\ntitle: A\ndate: 2024-05-01\n---\nText.\n"})
    assert gc.isenabled()
    assert publog("build", root).code == 0
    assert gc.isenabled()
