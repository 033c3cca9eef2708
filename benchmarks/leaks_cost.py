#!/usr/bin/env python3
"""What the leak checks cost per entry, against rendering the same text with markdown-it.

    python benchmarks/leaks_cost.py ENTRIES_DIR [--repeat R] [--site SITE_DIR]

For each .md file of ENTRIES_DIR (front matter left out) it times, in the same run:
markdown-it-py's CommonMark render (the yardstick), `find_secrets`, `find_terms`
with five plain never-publish terms and with four and a regex, the kept
detectors' patterns run over the whole text with no prefilter (what the
prefilter saves), and `scan_output` on the rendered HTML and on a page of about
20 KB, with and without the passages of a tenth of the entries as private
text. With --site, it also scans every file of a built site, as the build's
final check does. The best of R runs is kept. Not a test: a figure to watch
(the issue allows the checks 10% of a cold build).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PLAIN = ("Acme Corp", "Globex", "Initech", "Project Bluebird", "Hooli")
WITH_REGEX = ("Acme Corp", "Globex", "Initech", "Project Bluebird", "/hooli-\\d+/")


def body(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5 :]
    return text


def best_per_item(fn: Callable[[str], object], items: Sequence[str], repeat: int) -> float:
    """Seconds per item of the fastest of `repeat` passes over `items`."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            fn(item)
        best = min(best, time.perf_counter() - start)
    return best / len(items)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("entries", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--site", type=Path, help="a built site whose every file to scan")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    from markdown_it import MarkdownIt

    from publog.privacy import leaks, secrets

    texts = [body(p.read_text(encoding="utf-8")) for p in sorted(args.entries.glob("*.md"))]
    if not texts:
        print(f"no .md files in {args.entries}", file=sys.stderr)
        return 2
    md = MarkdownIt("commonmark")
    plain, with_regex = leaks.compile_terms(PLAIN), leaks.compile_terms(WITH_REGEX)
    pages = [md.render(t) for t in texts]
    big = [("".join(pages[i : i + 8]) * 4)[: 20 * 1024] for i in range(0, len(pages), 8)]
    private = tuple(p for t in texts[::10] for p in leaks.private_snippets(t))
    plugins = [detector.plugin for detector in secrets._detectors().values()]

    def patterns_alone(text: str) -> None:
        for plugin in plugins:
            for regex in plugin.denylist:
                regex.findall(text)

    def scan(terms: leaks.Terms, passages: tuple[str, ...] = ()) -> Callable[[str], object]:
        return lambda html: leaks.scan_output(html.encode(), "index.html", terms, passages)

    render = best_per_item(md.render, texts, args.repeat)
    rows = [
        ("find_secrets", best_per_item(leaks.find_secrets, texts, args.repeat), texts),
        ("find_terms, 5 plain terms", best_per_item(lambda t: leaks.find_terms(t, plain), texts, args.repeat), texts),
        ("find_terms, 4 plain terms and a regex", best_per_item(lambda t: leaks.find_terms(t, with_regex), texts, args.repeat), texts),
        ("detectors' patterns, no prefilter", best_per_item(patterns_alone, texts, args.repeat), texts),
        ("scan_output, entry HTML, 5 plain terms", best_per_item(scan(plain), pages, args.repeat), pages),
        ("scan_output, 20 KB page, 5 plain terms", best_per_item(scan(plain), big, args.repeat), big),
        (f"  ... and {len(private)} private passages", best_per_item(scan(plain, private), big, args.repeat), big),
    ]
    size = sum(map(len, texts)) / len(texts)
    print(f"{len(texts)} entries, {size / 1024:.1f} KB of Markdown each on average; best of {args.repeat} runs")
    print(f"{'markdown-it render':42} {render * 1e6:9.1f} us/entry  ratio 1.000")
    for label, seconds, items in rows:
        kb = sum(map(len, items)) / len(items) / 1024
        print(f"{label:42} {seconds * 1e6:9.1f} us/item   ratio {seconds / render:.3f}  ({kb:.1f} KB/item)")
    print(f"entries with a secret found: {sum(bool(leaks.find_secrets(t)) for t in texts)}")
    if args.site:
        files = [p.read_bytes() for p in sorted(args.site.rglob("*")) if p.is_file()]
        names = [p.name for p in sorted(args.site.rglob("*")) if p.is_file()]
        start = time.perf_counter()
        found = [name for name, data in zip(names, files, strict=True) if leaks.scan_output(data, name, plain)]
        seconds = time.perf_counter() - start
        megabytes = sum(map(len, files)) / 1e6
        print(
            f"site: {len(files)} files, {megabytes:.1f} MB in {seconds:.2f} s ({seconds / megabytes * 1e3:.1f} ms/MB),"
            f" as long as rendering {seconds / render:.0f} entries; files with a finding: {len(found)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
