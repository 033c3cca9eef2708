#!/usr/bin/env python3
"""Build real folders of notes and blogs as they are, and report what stopped them (issue 24).

    python benchmarks/sweep.py benchmarks/sweep-folders.txt --checkouts DIR [--clone]
    python benchmarks/sweep.py FOLDER [FOLDER ...]

A list names one repository a line, `owner/name[@commit]  kind  [subfolder]  # why`. Its
checkout is DIR/owner+name, switched to that commit when one is given; `--clone` clones the
missing ones from GitHub, history included, as publog dates entries by their first commit.
Each folder is built with `python -m publog build FOLDER --out TMP --no-daemon` by the
publog of a commit (`--ref`, default HEAD) copied out of this repository first, so edits
made meanwhile do not mix in.
The folder's `.publog-cache` is removed before its build: every build is a first one.

Per folder: exit code, errors, warnings, seconds, and how many built pages still show raw
generator syntax outside <code>, <pre>, <script>, <style> and <math> (not counting what the folder's
own generator shows as written, nor Liquid its author kept in {% raw %}); then the messages that
stopped most folders, with their paths, lines and quoted names taken out. A markdown table
goes to standard output; `--json OUT` keeps every figure and the first example of each
kind of raw syntax, `--logs DIR` each build's output, `--sites DIR` each built site.
Not a test, and never imported by one.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROBLEM = re.compile(r"^(?P<path>\S.*?):(?P<line>\d+): (?P<warning>warning: )?(?P<message>.*)$")
# Generator syntax that should never reach a reader; checked in a page's text only.
RAW: dict[str, re.Pattern[str]] = {
    "hugo": re.compile(r"\{\{[<%]"),
    "liquid": re.compile(r"(?<!\{)\{%"),
    "template": re.compile(r"(?<!\{)\{\{(?!\{)-?\s*[\w.'\"]"),  # a Liquid or Nunjucks value; not vim's {{{ fold marks
    "kramdown": re.compile(r"\{:"),
    "obsidian": re.compile(r"!?\[\[[^\[\]\n]*\S[^\[\]\n]*\]\]|%%"),  # a closed link naming something; "[[ ]]" is prose
    # TeX left as text: a $$ pair holding a command ($$ alone is also money and the shell's pid).
    "math": re.compile(r"\$\$[^$]{0,400}?\\[A-Za-z]+[^$]{0,400}?\$\$"),
}
# What a folder's own generator shows as written, so text there is the author's, not left-over syntax:
# Hugo runs no Go template and reads no kramdown in content ({{ .Title }} in a post about Hugo stays).
# Obsidian and GitHub show {{ value }} as written too (Obsidian fills {{date}} only when a template is inserted).
SHOWN_BY = {"hugo": ("liquid", "template", "kramdown"), **dict.fromkeys(("obsidian", "quartz", "notes", "til"), ("template",))}
# Liquid the author kept from running: Jekyll and Eleventy show what {% raw %} holds as written.
_RAW_REGION = re.compile(r"{%-?\s*raw\s*-?%}(.*?){%-?\s*endraw\s*-?%}", re.S)
_EXPRESSION = re.compile(r"{%.*?%}|{{.*?}}", re.S)
# Messages that list other files: the list is one thing however long it is.
LISTS = [(re.compile(r" is also the URL of .*?; give"), " is also the URL of …; give"), (re.compile(r"; write .*"), "; write …")]
HIDDEN = {"code", "pre", "script", "style", "math", "textarea", "kbd", "samp"}


@dataclass
class Folder:
    """One folder to build: where it is, and where it came from."""

    name: str
    path: Path
    kind: str = ""


@dataclass
class Outcome:
    """What one build gave."""

    name: str
    kind: str
    exit: int | str
    errors: int
    warnings: int
    seconds: float
    pages: int = 0
    raw: dict[str, int] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)
    messages: dict[str, int] = field(default_factory=dict)
    commit: str = ""


class _Text(HTMLParser):
    """The text a reader sees, without code, preformatted blocks, scripts and math."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def page_text(page: str) -> str:
    """A page's visible text, entities decoded, so `{{&lt;` reads as `{{<`."""
    parser = _Text()
    parser.feed(page)
    return html.unescape(" ".join(parser.parts))


def shape(message: str) -> str:
    """A message with what varies between files (quoted names, paths, figures) taken out."""
    for pattern, replacement in LISTS:
        message = pattern.sub(replacement, message)
    message = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`", "'…'", message)
    message = re.sub(r"\S*[/\\]\S*|\S+\.(md|markdown|html|png|jpg|yml|yaml)\b", "…", message)
    return re.sub(r"\b\d+\b", "N", message)


def read_list(listing: Path, checkouts: Path, clone: bool) -> list[Folder]:
    """The folders a list names, cloned first when asked."""
    folders = []
    for line in listing.read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        (repo, _, commit), kind = words[0].partition("@"), words[1] if len(words) > 1 else ""
        sub = words[2] if len(words) > 2 else ""
        checkout = checkouts / repo.replace("/", "+")
        if not checkout.exists() and clone:
            subprocess.run(["git", "clone", "--quiet", f"https://github.com/{repo}", str(checkout)], check=False)
        if commit and checkout.exists():
            switched = subprocess.run(["git", "-C", str(checkout), "checkout", "--quiet", "--detach", commit],
                                      check=False, capture_output=True, text=True)
            if switched.returncode != 0:  # built as it is, which is not the folder the list names
                last = (switched.stderr.strip().splitlines() or ["no reason given"])[-1]
                print(f"{repo}: cannot switch to {commit[:12]} ({last}); its checkout is built as it is",
                      file=sys.stderr)
        folders.append(Folder(repo, checkout / sub if sub else checkout, kind))
    return folders


def snapshot(ref: str, dest: Path) -> str:
    """Copy publog's package and themes at `ref` into dest; return the commit."""
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", ref], capture_output=True, text=True, check=True)
    tar = subprocess.run(["git", "-C", str(REPO), "archive", ref, "src/publog", "themes"], capture_output=True, check=True)
    with tarfile.open(fileobj=BytesIO(tar.stdout)) as archive:
        archive.extractall(dest / "tree", filter="data")
    shutil.copytree(dest / "tree" / "themes", dest / "tree" / "src" / "publog" / "themes", dirs_exist_ok=True)
    return commit.stdout.strip()


def kept_as_written(folder: Path) -> frozenset[str]:
    """The Liquid expressions a folder's sources hold inside {% raw %}, spaces folded: text by the author's wish."""
    kept: set[str] = set()
    for source in folder.rglob("*"):
        if source.suffix.lower() in (".md", ".markdown", ".html", ".njk", ".liquid") and source.is_file():
            text = source.read_text(encoding="utf-8", errors="replace")
            if "raw" in text:
                for region in _RAW_REGION.finditer(text):
                    kept.update(" ".join(e.split()) for e in _EXPRESSION.findall(region.group(1)))
    return frozenset(kept)


def scan(out: Path, kind: str = "", kept: frozenset[str] = frozenset()) -> tuple[int, dict[str, int], dict[str, str]]:
    """Pages built, pages per kind of raw syntax, and one example of each kind.

    Not counted: the syntax a folder's generator shows as written (SHOWN_BY), and Liquid the author put in
    {% raw %} (``kept``)."""
    pages, raw, examples = 0, Counter[str](), dict[str, str]()
    for page in sorted(out.rglob("*.html")):
        pages += 1
        text = page_text(page.read_text(encoding="utf-8", errors="replace"))
        if kept and ("{{" in text or "{%" in text):
            text = _EXPRESSION.sub(lambda m: "" if " ".join(m.group(0).split()) in kept else m.group(0), text)
        for kind_of, pattern in RAW.items():
            found = None if kind_of in SHOWN_BY.get(kind, ()) else pattern.search(text)
            if found:
                raw[kind_of] += 1
                snippet = " ".join(text[max(0, found.start() - 40) : found.end() + 60].split())
                examples.setdefault(kind_of, f"{page.relative_to(out).as_posix()}: {snippet}")
    return pages, dict(raw), examples


def build(folder: Folder, code: Path, timeout: int, jobs: int, logs: Path | None, sites: Path | None) -> Outcome:
    """Build one folder into a temporary site and measure what came out."""
    shutil.rmtree(folder.path / ".publog-cache", ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(code), "PUBLOG_DAEMON": "0"}
    commit = subprocess.run(["git", "-C", str(folder.path), "rev-parse", "--short", "HEAD"], check=False, capture_output=True, text=True)
    with tempfile.TemporaryDirectory(prefix="sweep-") as tmp:
        out = sites / folder.name.replace("/", "+") if sites else Path(tmp) / "site"
        shutil.rmtree(out, ignore_errors=True)
        cmd = [sys.executable, "-m", "publog", "build", str(folder.path), "--out", str(out), "--no-daemon", "--jobs", str(jobs)]
        start = time.monotonic()
        try:
            run = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=timeout, env=env, cwd=tmp)
            exit_code: int | str = run.returncode
            lines = (run.stdout + run.stderr).splitlines()
        except subprocess.TimeoutExpired:
            exit_code, lines = "timeout", []
        seconds = time.monotonic() - start
        if logs:
            (logs / f"{folder.name.replace('/', '+')}.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
        errors, warnings = Counter[str](), 0
        for line in lines:
            problem = PROBLEM.match(line)
            if problem and problem["warning"]:
                warnings += 1
            elif problem:
                errors[shape(problem["message"])] += 1
        if any(line.startswith("Traceback") for line in lines):  # publog promises never to show one
            errors["crash: " + lines[-1]] += 1
        kept = kept_as_written(folder.path) if folder.kind in ("jekyll", "eleventy") else frozenset()
        pages, raw, examples = scan(out, folder.kind, kept) if out.exists() else (0, {}, {})
        shutil.rmtree(folder.path / ".publog-cache", ignore_errors=True)
    return Outcome(folder.name, folder.kind, exit_code, sum(errors.values()), warnings, round(seconds, 1),
                   pages, raw, examples, dict(errors.most_common()), commit.stdout.strip())


def table(outcomes: list[Outcome]) -> str:
    """The sweep as a markdown table, then the messages that stopped most folders."""
    rows = ["| folder | kind | exit | errors | warnings | s | pages | " + " | ".join(RAW) + " | top error |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | " + " | ".join("---:" for _ in RAW) + " | --- |"]
    for o in outcomes:
        top = next(iter(o.messages), "")[:70].replace("|", "\\|")
        raw = " | ".join(str(o.raw.get(kind, 0)) for kind in RAW)
        rows.append(f"| {o.name} | {o.kind} | {o.exit} | {o.errors} | {o.warnings} | {o.seconds} | {o.pages} | {raw} | {top} |")
    built = [o for o in outcomes if o.exit == 0]
    clean = [o for o in built if not o.raw]
    rows.append(f"\n{len(built)} of {len(outcomes)} built as they are; {len(clean)} of them with no raw syntax on any page.")
    stopped = Counter(message for o in outcomes for message in o.messages)
    rows += ["\n| folders | errors | message (path, line and names taken out) |", "| ---: | ---: | --- |"]
    for message, n in stopped.most_common(20):
        total = sum(o.messages.get(message, 0) for o in outcomes)
        rows.append(f"| {n} | {total} | {message.replace('|', chr(92) + '|')} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path, help="a list file (see the docstring) or folders to build")
    parser.add_argument("--checkouts", type=Path, default=Path("."), help="where a list's repositories are checked out")
    parser.add_argument("--clone", action="store_true", help="clone the repositories a list names that are missing")
    parser.add_argument("--ref", default="HEAD", help="the commit of publog to build with (default HEAD)")
    parser.add_argument("--only", nargs="*", default=[], help="build only the folders whose name has one of these")
    parser.add_argument("--timeout", type=int, default=300, help="seconds a build may take (default 300)")
    parser.add_argument("--build-jobs", type=int, default=1, help="publog build's --jobs (default 1)")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument("--logs", type=Path, help="keep each build's output in this folder, as NAME.log")
    parser.add_argument("--sites", type=Path, help="keep each built site in this folder, as NAME/")
    args = parser.parse_args()

    folders: list[Folder] = []
    for given in args.folders:
        if given.is_file():
            folders += read_list(given, args.checkouts, args.clone)
        else:
            folders.append(Folder(given.name, given))
    folders = [f for f in folders if not args.only or any(word in f.name for word in args.only)]
    outcomes = []
    for kept in (args.logs, args.sites):
        if kept:
            kept.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sweep-publog-") as code:
        commit = snapshot(args.ref, Path(code))
        for folder in folders:
            if not folder.path.is_dir():
                print(f"{folder.name}: no folder at {folder.path}; skipped", file=sys.stderr)
                continue
            print(f"building {folder.name} ...", file=sys.stderr, flush=True)
            outcomes.append(build(folder, Path(code) / "tree" / "src", args.timeout, args.build_jobs, args.logs, args.sites))
    print(table(outcomes))
    if args.json:
        summary = {"publog": commit, "built": sum(o.exit == 0 for o in outcomes), "folders": len(outcomes),
                   "outcomes": [{**asdict(o), "top_errors": Counter(o.messages).most_common(3)} for o in outcomes]}
        args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
