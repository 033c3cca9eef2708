#!/usr/bin/env python3
"""The Markdown floor: the least work any Python build of a journal must do.

    python benchmarks/floor.py CORPUS [--jobs N] [--json]

Reads every entry (every *.md file below CORPUS), parses its YAML front matter
with PyYAML's CSafeLoader and renders its body with
MarkdownIt("commonmark").enable(["table", "strikethrough"]). No templates, no
writing. Prints the in-process time (interpreter start-up and imports are not
counted). A build's time over this floor's time is its overhead.

The same measurement as the shared floor the issue's figures were taken with:
run in a fresh process, one process or a pool of N (`--jobs N`).
`measure()` is what benchmarks/run.py calls, in a fresh subprocess via --json.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import time
from concurrent.futures import ProcessPoolExecutor

import yaml
from markdown_it import MarkdownIt

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def render(path: str) -> int:
    text = pathlib.Path(path).read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta = yaml.load(front, Loader=LOADER)
    return len(meta["title"]) + len(MD.render(body))


def measure(corpus: str | pathlib.Path, jobs: int = 1) -> dict[str, float | int]:
    """Render every entry below ``corpus``; return entries, HTML characters and seconds."""
    paths = sorted(str(p) for p in pathlib.Path(corpus).rglob("*.md"))
    started = time.perf_counter()
    if jobs <= 1:
        total = sum(map(render, paths))
    else:
        with ProcessPoolExecutor(jobs) as pool:
            total = sum(pool.map(render, paths, chunksize=64))
    return {"entries": len(paths), "chars": total, "seconds": time.perf_counter() - started, "jobs": max(jobs, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", help="a folder of entries (e.g. JOURNAL/entries)")
    ap.add_argument("--jobs", type=int, default=1, help="processes (default 1)")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args()
    figures = measure(args.corpus, args.jobs)
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"{figures['entries']} entries, {figures['chars']} chars, {figures['seconds']:.3f}s in-process")


if __name__ == "__main__":
    main()
