"""publog's own files follow issue 24's rule too: what is not wrong builds, and one problem never hides
the others. A person followed for a topic not written about yet is listed; a community whose members
write in folders of their own needs no entries folder; an error in publog.yaml is reported with every
entry's problems in one run (and nothing is written); a publog.yaml that cannot be read is a problem."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import entry, snapshot
from hostile_support import assert_clear, assert_fails_with, build, cli

NETWORK = """\
- name: Teresa Torres
  site: https://www.producttalk.org/
  topics: [discovery, knitting]
- name: Rust Person
  site: https://rust.example/
  topics: [rust]
"""


def test_a_person_followed_for_a_topic_not_written_about_yet_is_listed(journal) -> None:
    root = journal({
        "publog.yaml": "title: N\n",
        "network.yaml": NETWORK,
        "entries/2024-01-01-interviews.md": entry("Interviews", "2024-01-01", tags="[discovery]"),
    })
    result = build("build", root, "--strict")
    assert_clear(result)
    assert result.code == 0, result.err
    network = (root / "_site/network/index.html").read_text()
    assert "Teresa Torres" in network and "Rust Person" in network


def test_a_community_whose_members_keep_their_own_folders_needs_no_entries_folder(journal) -> None:
    root = journal({
        "publog.yaml": "title: Guild\nmembers:\n  - id: ada\n    name: Ada Park\n    journal: members/ada\n",
        "members/ada/2024-05-03-git.md": entry("Git rebase without fear", "2024-05-03"),
    })
    result = build("build", root, "--strict")
    assert_clear(result)
    assert result.code == 0, result.err
    assert (root / "_site/members/ada/2024/git/index.html").is_file()
    # A journal of one's own still needs its entries folder.
    alone = journal({"publog.yaml": "title: Mine\n", "notes/a.md": entry("A")}, name="alone")
    assert_fails_with(build("build", alone), "publog.yaml:1: the entries folder 'entries' does not exist")


def test_an_error_in_publog_yaml_is_reported_with_every_entrys_problems(journal) -> None:
    root = journal({
        "publog.yaml": "title: Mine\nper_page: many\nfavourite: blue\n",
        "entries/2024-01-01-good.md": entry("Good", "2024-01-01"),
        "entries/2024-01-02-bad.md": "---\ntitle: Bad\ndate: someday\n---\nText.\n",
        "entries/2024-01-03-untitled.md": "---\ndate: 2024-01-03\n---\nNo title.\n",
    })
    result = build("build", root)
    assert_fails_with(result, "publog.yaml:2: 'per_page' must be a whole number above 0", "publog.yaml:3: unknown setting 'favourite'",
                      "entries/2024-01-02-bad.md:3: 'date': 'someday' is not a valid date",
                      "entries/2024-01-03-untitled.md:1: warning: the title is missing")
    assert not (root / "_site").exists()
    assert_fails_with(build("check", root), "publog.yaml:2:", "entries/2024-01-02-bad.md:3:", "entries/2024-01-03-untitled.md:1:")
    assert_fails_with(build("status", root), "publog.yaml:2:", "entries/2024-01-02-bad.md:3:")


def test_invalid_yaml_in_publog_yaml_still_checks_the_entries_and_leaves_the_old_site(journal) -> None:
    root = journal({"publog.yaml": "title: Mine\n", "entries/2024-01-01-good.md": entry("Good", "2024-01-01")})
    assert build("build", root).code == 0
    before = snapshot(root / "_site")
    (root / "publog.yaml").write_text("title: [Mine\n")
    (root / "entries/2024-01-02-bad.md").write_text("---\ntitle: Bad\ndate: someday\n---\nText.\n")
    result = build("build", root)
    assert_fails_with(result, "publog.yaml:", "entries/2024-01-02-bad.md:3: 'date': ")
    assert snapshot(root / "_site") == before


def test_a_publog_yaml_that_cannot_be_read_is_a_problem(journal, tmp_path: Path) -> None:
    folder = journal({"publog.yaml/x": "", "entries/a.md": entry("A")}, name="folder")
    assert_fails_with(build("build", folder), "publog.yaml:1: is a folder")
    dangling = journal({"entries/a.md": entry("A")}, name="dangling")
    os.symlink(tmp_path / "nowhere.yaml", dangling / "publog.yaml")
    assert_fails_with(build("build", dangling), "publog.yaml:1: is a link to")
    pipe = journal({"entries/a.md": entry("A")}, name="pipe")
    os.mkfifo(pipe / "publog.yaml")
    assert_fails_with(build("build", pipe), "publog.yaml:1: is not a regular file")
    for where in (folder, dangling, pipe):
        assert not (where / "_site").exists()


def test_a_publog_yaml_without_permission_to_read_it_is_a_problem(journal) -> None:
    # Tests run as root, who may read anything: the refusal is injected where publog opens files.
    root = journal({"publog.yaml": "title: Mine\n", "entries/a.md": entry("A")})
    preamble = """
        import errno
        from publog.read import files
        _read = files.read_bytes
        def refused(path):
            if str(path).endswith("publog.yaml"):
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return _read(path)
        files.read_bytes = refused
    """
    result = cli("build", root, preamble=preamble)
    assert_fails_with(result, "publog.yaml:1: cannot be read (Permission denied); check its permissions")
    assert not (root / "_site").exists()
