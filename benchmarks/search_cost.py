"""What the search index costs on its own: time and peak memory of Pagefind over a journal.

    python benchmarks/search_cost.py JOURNAL

benchmarks/run.py measures whole builds with publog's defaults (search on)
beside `search: false`; this reports the index on its own line, beside the
Markdown floor measured in the same run.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(journal: Path) -> int:
    from publog.run import cache
    from publog.render import search
    from publog.run.build import Options, build

    result = build(journal, Options(check_only=True))
    if result.journal is None:
        print("\n".join(map(str, result.problems)), file=sys.stderr)
        return 1
    store = cache.Cache(journal, writable=False)
    store.prepare()
    folder = Path(tempfile.mkdtemp(prefix="publog-search-"))
    try:
        started = time.perf_counter()
        files, problems = search.index(result.journal, store.html, folder)
        seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if problems:
        print("\n".join(map(str, problems)), file=sys.stderr)
        return 1
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    floor = subprocess.run([sys.executable, str(HERE / "floor.py"), str(journal / "entries"), "--jobs", "2"],
                           capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    print(f"{len(result.journal.entries)} entries: search index {seconds:.2f} s, {len(files)} files, "
          f"Pagefind peak RSS {peak:.0f} MB; Markdown floor (2 jobs): {floor}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
