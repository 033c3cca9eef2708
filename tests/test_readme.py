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
    # What a clone holds: none of what .gitignore leaves out (the benchmark's journals and peers are 400 MB).
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", "_site", ".publog-cache", "work", "test-artifacts", "__pycache__", "*.egg-info", "build",
        "dist", ".pytest_cache", "journals"))
    result = subprocess.run(["bash", "-c", command("build-command")], cwd=copy, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert re.search(r"^29 entries, \d+ pages", result.stdout, re.M)
    assert (copy / "sample-journal/_site/2026/week-1-hello-python/index.html").is_file()


def test_the_readme_shows_the_defaults_of_publog_yaml_as_a_file_that_loads(tmp_path: Path) -> None:
    """Copied as a journal's publog.yaml, the README's block of defaults loads without a problem, and
    gives the settings of a journal without one."""
    from dataclasses import replace

    from publog.settings.config import Config, load

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- config-defaults -->\s*```yaml\n(.+?)\n```", readme, re.S)
    assert block, "README.md has no config-defaults block"
    (tmp_path / "publog.yaml").write_text(block.group(1), encoding="utf-8")
    config, problems = load(tmp_path)
    assert problems == []
    # layout: auto is the layout found by looking at the folder, here publog's own.
    assert config.layout.name == "publog"
    assert replace(config, layout=Config().layout) == Config(), "the README's defaults differ from publog's"
