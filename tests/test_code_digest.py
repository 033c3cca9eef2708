"""A kept build process serves no build after publog's code changed: the digest that tells it
covers every module of every subpackage, and no theme file."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def digest(src: Path) -> str:
    run = subprocess.run([sys.executable, "-c", "import publog; print(publog.code_digest())"],
                         env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


def test_a_change_to_any_module_changes_the_code_digest(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(REPO / "src/publog", src / "publog", ignore=shutil.ignore_patterns("__pycache__", "themes"))
    first = digest(src)
    assert digest(src) == first
    deep = sorted((src / "publog").glob("*/*.py"))
    assert len(deep) > 40  # the modules live in subpackages
    for module in (deep[0], deep[-1], src / "publog/urls.py"):
        module.write_text(module.read_text() + "\n# changed\n")
        changed = digest(src)
        assert changed != first, f"editing {module.relative_to(src)} left the digest as it was"
        first = changed
    moved = deep[1]
    moved.rename(moved.with_name("renamed_" + moved.name))  # the same bytes under another name
    assert digest(src) != first
