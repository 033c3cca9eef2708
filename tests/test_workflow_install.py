"""The first hour (issue 27): the workflow `publog init` writes installs in CI the publog that wrote it, also when
that publog is a clone of its repository installed with `pip install .`, as the README says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from conftest import REPO
from publog.cli.scaffold import install_spec

ORIGIN = "https://example.org/someone/publog.git"
# A clone installed with `pip install .`, and with `pip install -e .`: pip's PEP 610 record of each.
FOLDER, EDITABLE = {"dir_info": {}}, {"dir_info": {"editable": True}}


def git(folder: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    done = subprocess.run(["git", "-C", str(folder), "-c", "user.name=Ada", "-c", "user.email=ada@example.org", *args],
                          capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip()


def commit(folder: Path, text: str) -> str:
    (folder / "pyproject.toml").write_text(f'[project]\nname = "publog"\n# {text}\n')
    git(folder, "add", "pyproject.toml")
    git(folder, "commit", "-q", "-m", text)
    return git(folder, "rev-parse", "HEAD")


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A clone of publog's repository whose HEAD its origin has."""
    folder = tmp_path / "publog"
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    commit(folder, "First")
    git(folder, "remote", "add", "origin", ORIGIN)
    git(folder, "update-ref", "refs/remotes/origin/main", "HEAD")
    return folder


def spec_for(folder: Path, how: dict[str, object] = FOLDER) -> tuple[str, str | None]:
    return install_spec({**how, "url": folder.as_uri()}, "0.1.0")


@pytest.mark.parametrize("how", [FOLDER, EDITABLE], ids=["pip install .", "pip install -e ."])
def test_a_clone_whose_commit_is_pushed_installs_that_commit_from_its_origin(clone: Path, how: dict[str, object]) -> None:
    sha = git(clone, "rev-parse", "HEAD")
    spec, note = spec_for(clone, how)
    assert spec == f"publog @ git+{ORIGIN}@{sha}" and note is None
    requirement = Requirement(spec)  # as pip reads it
    assert requirement.name == "publog" and requirement.url == f"git+{ORIGIN}@{sha}"


def test_an_unpushed_commit_installs_the_default_branch_and_says_so(clone: Path) -> None:
    commit(clone, "Mine only")
    spec, note = spec_for(clone)
    assert spec == f"publog @ git+{ORIGIN}" and Requirement(spec).url == f"git+{ORIGIN}"
    assert note == (f"installs the latest publog from {ORIGIN}, as this publog's commit is not pushed there; push it, "
                    "or set the repository variable PUBLOG_INSTALL to what pip should install")


def test_a_commit_on_another_remote_only_is_not_pushed_to_origin(clone: Path) -> None:
    commit(clone, "Upstream's")
    git(clone, "remote", "add", "upstream", "https://example.org/else/publog.git")
    git(clone, "update-ref", "refs/remotes/upstream/main", "HEAD")
    assert spec_for(clone)[0] == f"publog @ git+{ORIGIN}"


@pytest.mark.parametrize("remote, public", [
    ("https://someone:s3cret@example.org/someone/publog.git", ORIGIN),
    ("https://ghp_token@example.org/someone/publog.git", ORIGIN),
    ("git@github.com:someone/publog.git", "https://github.com/someone/publog.git"),
    ("ssh://git@github.com/someone/publog.git", "https://github.com/someone/publog.git"),
])
def test_the_remote_is_written_as_https_without_credentials(clone: Path, remote: str, public: str) -> None:
    git(clone, "remote", "set-url", "origin", remote)
    sha = git(clone, "rev-parse", "HEAD")
    assert spec_for(clone) == (f"publog @ git+{public}@{sha}", None)


def test_the_single_remote_counts_when_none_is_called_origin(clone: Path) -> None:
    git(clone, "remote", "rename", "origin", "github")
    assert spec_for(clone) == (f"publog @ git+{ORIGIN}@{git(clone, 'rev-parse', 'HEAD')}", None)


FALLBACK = ("publog==0.1.0", "installs publog==0.1.0 from the package index, as this publog came from no public git "
            "repository CI can reach; set the repository variable PUBLOG_INSTALL (Settings, Secrets and variables, "
            "Actions) to what pip should install, such as git+https://github.com/OWNER/publog@main, or edit this line")


@pytest.mark.parametrize("remote", [None, "file:///srv/git/publog.git", "http://example.org/someone/publog.git",
                                    "/srv/git/publog.git", 'https://example.org/a"$(touch pwned)',
                                    "https://example.org/a b: c #d"])
def test_a_clone_with_no_public_https_remote_keeps_the_version_and_says_how_to_change_it(
        clone: Path, remote: str | None) -> None:
    if remote is None:
        git(clone, "remote", "remove", "origin")
    else:
        git(clone, "remote", "set-url", "origin", remote)
    assert spec_for(clone) == FALLBACK


def test_a_folder_out_of_git_or_inside_someone_elses_repository_keeps_the_version(clone: Path, tmp_path: Path) -> None:
    plain = tmp_path / "unpacked"
    plain.mkdir()
    assert spec_for(plain) == FALLBACK
    inside = clone / "Downloads/publog-0.1.0"  # an unpacked download below a folder kept in git
    inside.mkdir(parents=True)
    (inside / "pyproject.toml").write_text('[project]\nname = "publog"\n')
    assert spec_for(inside) == FALLBACK


def test_a_folder_of_the_repository_it_is_committed_in_is_installed_as_its_subdirectory(clone: Path) -> None:
    (clone / "tools/publog").mkdir(parents=True)
    (clone / "tools/publog/pyproject.toml").write_text('[project]\nname = "publog"\n')
    git(clone, "add", ".")
    git(clone, "commit", "-q", "-m", "Vendored")
    git(clone, "update-ref", "refs/remotes/origin/main", "HEAD")
    sha = git(clone, "rev-parse", "HEAD")
    spec, note = spec_for(clone / "tools/publog")
    assert spec == f"publog @ git+{ORIGIN}@{sha}#subdirectory=tools/publog" and note is None
    assert Requirement(spec).url == f"git+{ORIGIN}@{sha}#subdirectory=tools/publog"


def test_without_git_init_keeps_the_version(clone: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert spec_for(clone) == FALLBACK


def test_what_pip_says_of_git_and_of_a_package_index() -> None:
    vcs = {"url": ORIGIN, "vcs_info": {"vcs": "git", "commit_id": "a" * 40}}
    assert install_spec(vcs, "0.1.0") == (f"publog @ git+{ORIGIN}@{'a' * 40}", None)
    secret = {**vcs, "url": "https://someone:s3cret@example.org/someone/publog.git"}
    assert install_spec(secret, "0.1.0") == (f"publog @ git+{ORIGIN}@{'a' * 40}", None)
    assert install_spec({}, "0.1.0") == ("publog==0.1.0", None)  # no direct_url.json: from an index
    assert install_spec(None, "0.1.0") == FALLBACK  # not installed at all: run from its source folder
    # pip's record names the commit and folder: anything else than a hash and a plain path stays out of the workflow.
    for record in ({"commit_id": 'abc" ; id #'}, {"commit_id": "a" * 40, "subdirectory": 'x"; id; "'}):
        hostile = {"url": ORIGIN, "vcs_info": {"vcs": "git", "commit_id": record["commit_id"]},
                   **({"subdirectory": record["subdirectory"]} if "subdirectory" in record else {})}
        assert install_spec(hostile, "0.1.0")[0] == "publog==0.1.0", record


def init_with(tmp_path: Path, clone: Path, *flags: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    """`publog init` run as a user runs it, with pip's record of this publog saying it was installed from ``clone``."""
    installed = tmp_path / "site-packages/publog-0.1.0.dist-info"
    installed.mkdir(parents=True)
    (installed / "METADATA").write_text("Metadata-Version: 2.1\nName: publog\nVersion: 0.1.0\n")
    (installed / "direct_url.json").write_text(f'{{"dir_info": {{"editable": true}}, "url": "{clone.as_uri()}"}}')
    here = tmp_path / "journal"
    here.mkdir()
    path = os.pathsep.join([str(installed.parent), str(REPO / "src")])
    done = subprocess.run([sys.executable, "-m", "publog", "init", *flags], cwd=here, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": path})
    assert done.returncode == 0, done.stderr
    return done, here / ".github/workflows/publish.yml"


def installed_by(workflow: Path) -> str:
    """What the workflow's install step asks pip for, with PUBLOG_INSTALL empty, as GitHub sets an unset variable."""
    step = next(s for s in yaml.safe_load(workflow.read_text())["jobs"]["build"]["steps"] if s.get("name") == "Install publog")
    assert step["run"].startswith("python -m pip install ")
    shown = step["run"].replace("python -m pip install", "printf %s", 1)
    return subprocess.run(["sh", "-c", shown], capture_output=True, text=True, env={"PUBLOG_INSTALL": ""}, check=True).stdout


def test_init_from_a_pushed_clone_writes_a_workflow_that_installs_that_commit(tmp_path: Path, clone: Path) -> None:
    done, workflow = init_with(tmp_path, clone)
    sha = git(clone, "rev-parse", "HEAD")
    assert installed_by(workflow) == f"publog @ git+{ORIGIN}@{sha}"
    assert Requirement(installed_by(workflow)).url == f"git+{ORIGIN}@{sha}"
    assert done.stderr == ""


def test_init_from_a_clone_with_no_remote_says_on_which_line_and_how_to_change_it(tmp_path: Path, clone: Path) -> None:
    git(clone, "remote", "remove", "origin")
    done, workflow = init_with(tmp_path, clone)
    assert installed_by(workflow) == "publog==0.1.0"
    line = next(n for n, text in enumerate(workflow.read_text().splitlines(), 1) if "pip install" in text)
    assert done.stderr == f".github/workflows/publish.yml:{line}: warning: {FALLBACK[1]}\n"


def test_init_quiet_says_nothing_of_the_install_line(tmp_path: Path, clone: Path) -> None:
    git(clone, "remote", "remove", "origin")
    done, workflow = init_with(tmp_path, clone, "-q")
    assert installed_by(workflow) == "publog==0.1.0"
    assert done.stderr == done.stdout == ""  # -q: errors only
