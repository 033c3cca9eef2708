"""The first hour (issue 27): `publog init` here, with a workflow that publishes the journal; the
flags people know from Hugo, Zola and Jekyll; a build for another address; serve that opens the site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import webbrowser
from pathlib import Path

import yaml
from packaging.requirements import Requirement

from conftest import REPO, entry, run_cli
from publog import __version__
from publog.run.build import Options
from publog.run.serve import serve

import feedparser
import pytest

pytestmark = pytest.mark.slow  # end to end: most of these run publog in processes of its own


def test_minus_capital_v_prints_the_version() -> None:
    run = run_cli("-V")
    assert run.code == 0 and run.out.strip() == f"publog {__version__}"


def test_init_with_no_folder_makes_the_current_one_a_journal_that_its_workflow_builds(tmp_path: Path) -> None:
    here = tmp_path / "my-journal"
    here.mkdir()
    run = run_cli("init", cwd=here)
    assert run.code == 0, run.err
    assert "Next: publog build" in run.out
    workflow = yaml.safe_load((here / ".github/workflows/publish.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    assert steps[0] == {"uses": "actions/checkout@v4", "with": {"fetch-depth": 0}}  # entries dated by their first commit
    install = next(s for s in steps if s.get("name") == "Install publog")["run"]
    head, _, spec = install.partition('"${PUBLOG_INSTALL:-')
    assert head == "python -m pip install " and spec.endswith('}"')  # docs/deploy.md
    assert Requirement(spec[:-2]).name == "publog"  # which publog: tests/test_workflow_install.py
    assert next(s for s in steps if s.get("name") == "Install publog")["env"] == {"PUBLOG_INSTALL": "${{ vars.PUBLOG_INSTALL }}"}
    build = next(s for s in steps if s.get("name") == "Build the site")
    assert build["env"] == {"CI": "true"}
    assert next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))["with"]["path"] == "_site"
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")
    # The newcomer edits publog.yaml's base_url, then the workflow's build step runs as GitHub runs it.
    config = here / "publog.yaml"
    config.write_text(config.read_text().replace("# base_url: https://example.org/", "base_url: https://me.example.org/"))
    done = subprocess.run(build["run"].replace("publog", f"{sys.executable} -m publog", 1), shell=True, cwd=here,
                          env={**os.environ, **build["env"], "PYTHONPATH": str(REPO / "src")}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (here / "_site/index.html").is_file()
    assert "https://me.example.org/" in (here / "_site/feed.xml").read_text()
    assert not (here / ".publog-cache/build.sock").exists()  # CI set: no build process kept
    # The next run restores the cache of this one into a fresh checkout, without the site.
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"] == ".publog-cache" and steps.index(cache) < steps.index(build)
    first = {p.relative_to(here / "_site"): p.read_bytes() for p in (here / "_site").rglob("*") if p.is_file()}
    shutil.rmtree(here / "_site")
    again = subprocess.run(build["run"].replace("publog", f"{sys.executable} -m publog", 1), shell=True, cwd=here,
                           env={**os.environ, **build["env"], "PYTHONPATH": str(REPO / "src")}, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert {p.relative_to(here / "_site"): p.read_bytes() for p in (here / "_site").rglob("*") if p.is_file()} == first


def test_init_refuses_a_folder_that_is_a_journal_already(journal) -> None:
    root = journal({"publog.yaml": "title: Mine\n"})
    run = run_cli("init", cwd=root)
    assert run.code == 1 and "exists already" in run.err
    assert (root / "publog.yaml").read_text() == "title: Mine\n"


def test_a_build_for_another_address_is_a_deploy_preview(journal, publog, tmp_path: Path) -> None:
    root = journal({"publog.yaml": "base_url: https://me.example.org/\n",
                    "entries/2024-05-01-a.md": entry("A", "2024-05-01")})
    preview = tmp_path / "preview"
    assert publog("build", root, "-b", "https://deploy-preview-7.example.net/notes", "-d", preview).code == 0
    feed = feedparser.parse((preview / "feed.xml").read_bytes())
    assert feed.entries[0].link == "https://deploy-preview-7.example.net/notes/2024/a/"
    assert 'href="/notes/2024/a/"' in (preview / "index.html").read_text()
    assert not (root / "_site").exists()
    assert publog("check", root, "--base-url", "https://other.example.net/").code == 0


def test_a_base_url_that_is_no_web_address_is_a_usage_error(journal, publog) -> None:
    root = journal({"entries/2024-05-01-a.md": entry("A", "2024-05-01")})
    run = publog("build", root, "--base-url", "ftp://example.org/")
    assert run.code == 2 and "is not a web address" in run.err
    assert not (root / "_site").exists()


def test_short_flags_for_drafts_future_and_the_output_folder(journal, publog, tmp_path: Path) -> None:
    root = journal({"entries/2024-05-01-a.md": entry("A", "2024-05-01"),
                    "entries/2024-05-02-draft.md": entry("Draft", "2024-05-02", draft="true"),
                    "entries/2999-01-01-later.md": entry("Later", "2999-01-01")})
    out = tmp_path / "out"
    assert publog("build", root, "-D", "-F", "-d", out).code == 0
    assert (out / "2024/draft/index.html").is_file() and (out / "2999/later/index.html").is_file()


def test_quiet_says_only_errors_and_verbose_says_how_long(journal, publog) -> None:
    root = journal({"entries/2024-05-01-a.md": entry("A", "2024-05-01", body="See [[nowhere]].")})
    loud = publog("build", root)
    assert loud.code == 0 and "warning:" in loud.err and "entries," in loud.out
    quiet = publog("build", root, "-q")
    assert quiet.code == 0 and quiet.out == "" and quiet.err == ""
    strict = publog("build", root, "-q", "--strict")
    assert strict.code == 1 and "[[nowhere]]" in strict.err  # what stops a build is always said
    assert "(warnings count as errors with --strict)" in publog("build", root, "--strict").err
    verbose = publog("build", root, "-v")
    assert verbose.code == 0 and verbose.out.startswith("timings: ")


def test_serve_opens_the_site_below_the_base_urls_path(journal, monkeypatch) -> None:
    root = journal({"entries/2024-05-01-a.md": entry("A", "2024-05-01")})
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    ready, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=serve, args=(root, "127.0.0.1", 0, Options(base_url="https://me.example.org/notes/"),
                                                  ready, stop, True), daemon=True)
    thread.start()
    try:
        assert ready.wait(20)
        assert len(opened) == 1 and opened[0].startswith("http://127.0.0.1:") and opened[0].endswith("/notes/")
        import urllib.request

        with urllib.request.urlopen(opened[0] + "2024/a/") as page:
            assert page.status == 200
    finally:
        stop.set()
        thread.join(10)


def test_a_build_for_this_machines_address_is_a_warning_naming_the_line(tmp_path: Path) -> None:
    here = tmp_path / "journal"
    here.mkdir()
    assert run_cli("init", "-q", cwd=here).code == 0
    line = next(n for n, text in enumerate((here / "publog.yaml").read_text().splitlines(), 1) if "base_url:" in text)
    built = run_cli("build", "--no-daemon", cwd=here)
    assert built.code == 0
    assert built.problems == [f"publog.yaml:{line}: warning: base_url is http://localhost:8000/, this machine's address, "
                              "so the site's links, feeds and sitemap point at it; set base_url in publog.yaml to where "
                              "the site will live (https://example.org/), or build with --base-url"]
    assert run_cli("build", "--no-daemon", "--strict", cwd=here).code == 1  # the workflow's build stops there
    assert run_cli("build", "--no-daemon", "--strict", "-b", "https://me.example.org/", cwd=here).code == 0
    local = run_cli("check", "-b", "http://127.0.0.1:9000/", cwd=here)
    assert local.code == 0 and "--base-url is http://127.0.0.1:9000/" in local.err


# A system without fork and fcntl (Windows): no kept process, no lock, no worker processes; the build runs.
WITHOUT_FORK = "import os, sys; sys.modules['fcntl'] = None; del os.fork; from publog.cli.main import run; sys.exit(run())"


def test_a_build_runs_where_fork_and_fcntl_are_missing(journal, tmp_path: Path) -> None:
    files = {f"entries/2024-01-{n % 28 + 1:02d}-e{n}.md": entry(f"E {n}", f"2024-01-{n % 28 + 1:02d}", tags="[a, b]")
             for n in range(160)}  # enough entries and pages that a build would read and render in workers
    root = journal({"publog.yaml": "base_url: https://me.example.org/\n", **files})
    done = subprocess.run([sys.executable, "-c", WITHOUT_FORK, "build", str(root), "--jobs", "2"], capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(REPO / "src"), "PUBLOG_DAEMON": "1"})
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and done.stderr == ""
    assert (root / "_site/2024/e159/index.html").is_file()
    assert not (root / ".publog-cache/build.sock").exists()
    reference = tmp_path / "reference"
    assert run_cli("build", root, "--no-daemon", "--out", reference).code == 0
    assert (root / "_site/index.html").read_bytes() == (reference / "index.html").read_bytes()


def feed_ids(site: Path) -> list[str]:
    return sorted(item.id for item in feedparser.parse((site / "atom.xml").read_bytes()).entries)


def test_a_new_journals_feed_ids_survive_a_move_to_another_domain(tmp_path: Path) -> None:
    here = tmp_path / "journal"
    here.mkdir()
    assert run_cli("init", "-q", cwd=here).code == 0
    for name in ("2024-05-01-proposal.md", "2024-05-01-review.md"):
        (here / "entries" / name).write_text(entry(name[11:-3].title(), "2024-05-01"))
    assert run_cli("build", "--no-daemon", "-b", "https://old.example.org/", "-d", tmp_path / "old", cwd=here).code == 0
    assert run_cli("build", "--no-daemon", "-b", "https://new.example.net/", "-d", tmp_path / "new", cwd=here).code == 0
    old, new = feed_ids(tmp_path / "old"), feed_ids(tmp_path / "new")
    assert old == new and len(set(old)) == 3 and all(i.startswith("urn:uuid:") for i in old)


def test_a_journal_without_a_journal_id_keeps_the_ids_it_always_had(journal, publog) -> None:
    root = journal({"publog.yaml": "base_url: https://me.example.org/\n",
                    "entries/2024-05-01-sql-joins.md": entry("Joins", "2024-05-01")})
    assert publog("build", root).code == 0
    assert feed_ids(root / "_site") == ["tag:me.example.org,2024-05-01:sql-joins"]


def test_a_new_entry_of_a_kind_of_ones_own_builds_and_says_what_to_fill_in(journal, publog) -> None:
    root = journal({"publog.yaml": ("base_url: https://me.example.org/\nkinds:\n  book-notes:\n    label: Book notes\n"
                                    "    required: {book: text, rating: number, read_on: date}\n    optional: [quote]\n"),
                    "entries/.keep": ""})
    made = publog("new", "Inspired", "--kind", "book-notes", "--journal", root)
    assert made.code == 0
    path = Path(made.out.strip()).relative_to(root).as_posix()
    built = publog("build", root)
    assert built.code == 0, built.err
    lines = {name: n for n, text in enumerate((root / path).read_text().splitlines(), 1) for name in ("book", "rating", "read_on")
             if text.startswith(f"{name}:")}
    assert built.problems == [
        f"{path}:{lines['book']}: warning: 'book' is still to be filled in for a book notes entry; write a sentence or two",
        f"{path}:{lines['rating']}: warning: 'rating' is still to be filled in for a book notes entry; write a number",
        f"{path}:{lines['read_on']}: warning: 'read_on' is still to be filled in for a book notes entry; write a date such "
        "as 2024-05-01"]
    assert publog("build", root, "--strict").code == 1


COMMANDS = [["init"], ["new", "x"], ["build"], ["check"], ["serve"], ["status"], ["mentions", "pull"], ["pull"], ["share", "x"]]


def test_every_command_takes_quiet_and_verbose() -> None:
    for command in COMMANDS:
        helped = run_cli(*command[:2 if command[0] == "mentions" else 1], "-h")
        assert helped.code == 0 and "-q, --quiet" in helped.out and "-v, --verbose" in helped.out, command
        if command[0] in ("init", "status", "share", "pull", "mentions", "new"):  # no stages to time
            assert "how long each stage took" not in helped.out, command


def test_new_says_its_path_or_nothing_or_the_whole_entry(journal, publog) -> None:
    root = journal({"publog.yaml": "base_url: https://me.example.org/\n", "entries/.keep": ""})
    plain = publog("new", "First", "--journal", root)
    assert plain.out.strip().endswith("-first.md")
    assert publog("new", "Second", "--journal", root, "-q").out == ""
    whole = publog("new", "Third", "--journal", root, "-v")
    assert whole.out.splitlines()[0].endswith("-third.md") and "title: Third" in whole.out


def test_quiet_status_and_share_keep_their_output_and_drop_warnings(journal, publog) -> None:
    root = journal({"publog.yaml": "base_url: https://me.example.org/\n",
                    "entries/2024-05-01-a.md": entry("A", "2024-05-01", body="See [[nowhere]].")})
    assert "warning:" in publog("status", root).err
    quiet = publog("status", root, "-q")
    assert quiet.code == 0 and quiet.err == "" and "streak" in quiet.out.lower()
    shared = publog("share", "entries/2024-05-01-a.md", "--journal", root, "-q")
    assert shared.code == 0 and shared.err == "" and "https://me.example.org/2024/a/" in shared.out


def test_quiet_serve_prints_no_warnings_and_no_rebuild_lines(journal, capsys) -> None:
    root = journal({"entries/2024-05-01-a.md": entry("A", "2024-05-01", body="See [[nowhere]].")})
    ready, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=serve, args=(root, "127.0.0.1", 0, Options(), ready, stop), kwargs={"said": -1},
                              daemon=True)
    thread.start()
    try:
        assert ready.wait(20)
    finally:
        stop.set()
        thread.join(10)
    said = capsys.readouterr()
    assert "[[nowhere]]" not in said.err and "built:" not in said.out and "Serving" in said.out
