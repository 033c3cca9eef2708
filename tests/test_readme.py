"""The README's commands for a newcomer work as written."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO


def command(marker: str) -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- {marker} -->\s*```sh\n(.+?)\n```", readme, re.S)
    assert match, f"README.md has no {marker} block"
    return match.group(1).strip()


def test_ci_runs_the_readme_test_command() -> None:
    assert "pytest" in command("test-command")
    assert "test-command" in (REPO / ".ci/run").read_text()


@pytest.mark.slow
def test_the_build_command_works_on_a_fresh_copy(tmp_path: Path) -> None:
    """A non-editable install of a fresh copy builds the sample journal: every theme file is installed."""
    copy = tmp_path / "publog"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", "_site", ".publog-cache", "work", "test-artifacts", "__pycache__", "*.egg-info", "build"))
    result = subprocess.run(["bash", "-c", command("build-command")], cwd=copy, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert re.search(r"^29 entries, \d+ pages", result.stdout, re.M)
    assert (copy / "sample-journal/_site/2026/week-1-hello-python/index.html").is_file()
