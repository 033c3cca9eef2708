"""A kept build process readies, while it waits, what the build after an edit loads (run/warm.py)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO, SAMPLE


def test_readying_loads_what_the_first_edit_would_so_the_edit_does_not_wait_for_it() -> None:
    """Each module a rebuild after an edit imports the first time, and that a build which found its journal
    unchanged never needed: the secret detectors' (a third of a second, with requests), the templates' and the feeds'."""
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from publog.run.warm import prepare\n"
        "wanted = ('detect_secrets.plugins.aws', 'requests', 'jinja2', 'feedgen.feed', 'markdown_it')\n"
        "assert not [m for m in wanted if m in sys.modules], 'loaded before'\n"
        f"prepare(Path({str(SAMPLE)!r}))\n"
        "print(' '.join(m for m in wanted if m not in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"not loaded by prepare: {done.stdout}"
