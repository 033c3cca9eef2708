"""A wheel builds with the oldest setuptools pyproject.toml names (issue 27), and holds every module."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow

# The first release of the major version pyproject.toml's build requirement names (77.0.0 was withdrawn).
OLDEST = {"77": "77.0.1"}


def test_a_wheel_builds_with_the_oldest_setuptools_pyproject_names(tmp_path: Path) -> None:
    wanted = re.search(r'requires = \["setuptools>=(\d+)"\]', (REPO / "pyproject.toml").read_text())
    assert wanted, "pyproject.toml names no lowest setuptools"
    oldest = OLDEST[wanted.group(1)]
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    python = venv / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", f"setuptools=={oldest}", "wheel"], check=True, timeout=300)
    built = subprocess.run([python, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", tmp_path / "dist",
                            REPO], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("publog-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(REPO / "src").as_posix() for p in (REPO / "src/publog").rglob("*.py")
               if "themes" not in p.relative_to(REPO / "src/publog").parts}
    assert modules <= names, sorted(modules - names)[:5]
    assert "publog/themes/default/templates/base.html" in names
    assert {"publog/themes/garden/templates/entry.html", "publog/themes/garden/static/garden.js"} <= names
    assert {"publog/render/fonts/DejaVuSans-Bold.ttf", "publog/render/fonts/LICENSE"} <= names  # social cards' font
