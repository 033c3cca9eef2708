"""Long builds show progress on a terminal and nothing when piped; every build ends with its summary."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest

from conftest import REPO, entry, run_cli

pytestmark = pytest.mark.slow


def many(journal, n: int = 260):
    return journal({"publog.yaml": "search: false\n",
                    **{f"entries/2024-01-01-e{i}.md": entry(f"E{i}", "2024-01-01", body="Words. " * 20) for i in range(n)}})


def test_a_terminal_sees_a_progress_bar_and_the_summary(journal) -> None:
    root = many(journal)
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "publog", "build", str(root), "--jobs", "1"], stdin=follower,
                            stdout=follower, stderr=follower, env={**os.environ, "PYTHONPATH": str(REPO / "src"), "COLUMNS": "100"})
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    assert proc.wait(timeout=120) == 0
    text = out.decode("utf-8", "replace")
    assert "Rendering" in text and "━" in text
    assert "260 entries," in text


def test_piped_output_has_no_bar_and_no_escape_codes(journal) -> None:
    root = many(journal)
    result = run_cli("build", root, "--jobs", "1")
    assert result.code == 0
    assert result.err == ""
    assert "\x1b" not in result.out and result.out.startswith("260 entries, ")
