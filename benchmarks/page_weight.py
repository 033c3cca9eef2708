#!/usr/bin/env python3
"""Bytes per page type of the sample journal's site, against the theme's budget.

    python benchmarks/page_weight.py [JOURNAL]

An entry page with its stylesheet must stay under 30 KB (the site issue's
budget for the default theme). Not a test: a figure to watch.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUDGET = 30 * 1024


def page_type(rel: str) -> str:
    parts = rel.split("/")
    if rel == "index.html" or parts[0] == "page":
        return "home"
    if parts[0] in ("topics", "kinds", "archive", "library", "help-wanted"):
        return parts[0] if len(parts) <= 2 else parts[0][:-1] if parts[0].endswith("s") else parts[0]
    if rel == "404.html":
        return "404"
    return "entry"


def main() -> int:
    sys.path.insert(0, str(REPO / "src"))
    from publog.run.build import Options, build

    journal = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "sample-journal"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        result = build(journal, Options(out=out))
        if not result.ok:
            print("\n".join(map(str, result.problems)), file=sys.stderr)
            return 1
        css = sum(p.stat().st_size for p in (out / "static").glob("*.css"))
        sizes: dict[str, list[int]] = {}
        for page in out.rglob("*.html"):
            sizes.setdefault(page_type(page.relative_to(out).as_posix()), []).append(page.stat().st_size)
    print(f"stylesheet: {css / 1024:.1f} KB\n")
    print("| page type | pages | median KB | largest KB | largest + CSS KB |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for kind, found in sorted(sizes.items()):
        print(f"| {kind} | {len(found)} | {statistics.median(found) / 1024:.1f} | {max(found) / 1024:.1f} | {(max(found) + css) / 1024:.1f} |")
    typical = statistics.median(sizes["entry"]) + css
    verdict = "within" if typical <= BUDGET else "OVER"
    print(f"\ntypical entry page + CSS: {typical / 1024:.1f} KB, {verdict} the {BUDGET // 1024} KB budget")
    return 0 if typical <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
