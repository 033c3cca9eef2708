#!/usr/bin/env python3
"""Write a deterministic, realistic learning journal of N entries for publog's benchmark.

    python benchmarks/make_journal.py OUT N [--seed S]

OUT/publog.yaml holds the site settings; each entry is
OUT/entries/YYYY-MM-DD-slug.md with YAML front matter (title, date, tags, kind,
summary, and the fields of its kind: a learning log's period, sources and
takeaways, a question's status...) and a 300-900 word Markdown body with
headings, lists, links, quotes, tables and fenced code. About 5% of the entries
also link to an earlier entry's file by a relative .md link, and some answered
questions name the earlier entry that answers them, so publog's link
resolution has work to do.

Same N and seed: same bytes (the first K entries of a journal of N > K entries
are those of the journal of K entries, links included). No two entries of a
year share a slug, so every entry has its own URL under publog's default
permalink /{year}/{slug}/. Standard library only.

Adapted from the shared corpus generator the issue's figures were measured
with; bump GENERATOR_VERSION whenever the bytes this writes change, so that
benchmarks/run.py regenerates journals it would otherwise reuse.
"""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import random
import re

GENERATOR_VERSION = "3"
DEFAULT_SEED = 7879
ENTRIES_DIR = "entries"
CONFIG = """\
# A benchmark journal written by benchmarks/make_journal.py; do not edit.
title: Benchmark journal
description: A generated journal for measuring publog's build times.
author:
  name: Bench Marker
  email: bench@example.org
base_url: https://bench.example.org/
timezone: UTC
# The targets are for the site without its search index, which benchmarks/search_cost.py measures.
search: false
"""

TOPICS = [
    "product-management", "analytics", "python", "ux-research", "leadership",
    "marketing", "sql", "javascript", "career", "writing", "community",
    "experimentation", "roadmapping", "pricing", "onboarding", "growth",
    "data-visualisation", "stakeholders", "hiring", "mentoring", "podcasts",
    "books", "conferences", "design-systems", "accessibility", "testing",
    "devops", "machine-learning", "statistics", "negotiation", "strategy",
    "okrs", "customer-interviews", "retention", "seo", "public-speaking",
    "remote-work", "note-taking", "habits", "open-source",
]
KINDS = ["log", "case-study", "failure", "question", "til"]
WORDS = (
    "learn share build measure feature launch user feedback metric cohort retention "
    "experiment hypothesis roadmap stakeholder interview insight pattern habit network "
    "community mentor podcast book conference talk workshop reflection mistake outcome "
    "signal noise context tradeoff priority scope deadline team design research data "
    "query chart dashboard pipeline release customer segment funnel churn onboarding"
).split()
CODE = {
    "python": "def cohort_retention(events, weeks=8):\n    seen = {}\n    for user, week in events:\n        seen.setdefault(user, set()).add(week)\n    return [sum(1 for w in seen.values() if k in w) for k in range(weeks)]\n",
    "sql": "SELECT date_trunc('week', created_at) AS week,\n       count(DISTINCT user_id) AS active\nFROM events\nWHERE created_at > now() - interval '90 days'\nGROUP BY 1\nORDER BY 1;\n",
    "js": "export function debounce(fn, ms) {\n  let t;\n  return (...args) => {\n    clearTimeout(t);\n    t = setTimeout(() => fn(...args), ms);\n  };\n}\n",
}
# Share of entries that link to an earlier entry's file.
LINK_SHARE = 0.05
# Entry dates fall in these five years, all in the past, so every entry is published.
START = dt.datetime(2021, 1, 4, 8, 0, tzinfo=dt.timezone.utc)
SPAN_SECONDS = 5 * 365 * 24 * 3600


def sentence(rng: random.Random, n: int | None = None) -> str:
    words = [rng.choice(WORDS) for _ in range(n or rng.randint(8, 20))]
    if rng.random() < 0.3:
        i = rng.randrange(len(words))
        words[i] = f"*{words[i]}*" if rng.random() < 0.5 else f"**{words[i]}**"
    if rng.random() < 0.2:
        i = rng.randrange(len(words))
        words[i] = f"[{words[i]}](https://example.org/{words[i]})"
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))


def body(rng: random.Random, target_words: int) -> str:
    parts, words = [], 0
    while words < target_words:
        r = rng.random()
        if r < 0.45:
            block = paragraph(rng)
        elif r < 0.6:
            block = f"## {sentence(rng, rng.randint(2, 5))[:-1]}"
        elif r < 0.72:
            block = "\n".join(f"- {sentence(rng, rng.randint(4, 10))}" for _ in range(rng.randint(2, 5)))
        elif r < 0.8:
            block = "\n".join(f"{i}. {sentence(rng, rng.randint(4, 10))}" for i in range(1, rng.randint(3, 6)))
        elif r < 0.86:
            block = "> " + sentence(rng)
        elif r < 0.94:
            lang = rng.choice(sorted(CODE))
            block = f"```{lang}\n{CODE[lang]}```"
        else:
            rows = "\n".join(
                f"| {rng.choice(WORDS)} | {rng.randint(1, 999)} | {rng.random():.2f} |" for _ in range(rng.randint(2, 5))
            )
            block = "| name | count | rate |\n| --- | ---: | ---: |\n" + rows
        parts.append(block)
        words += len(block.split())
    return "\n\n".join(parts) + "\n"


def cross_link(rng: random.Random, earlier: list[str]) -> str:
    """A paragraph that links to an earlier entry's file, relative to this one (same folder)."""
    target = rng.choice(earlier)
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 4)))
    return f"This follows up on [{words}]({target}.md), which I wrote earlier. {sentence(rng)}\n"


SOURCE_TYPES = ["book", "podcast", "talk", "article", "course", "video"]


def _quoted(text: str) -> str:
    return '"' + text + '"'


def plain(rng: random.Random, n: int) -> str:
    """A sentence of n words without Markdown, for front matter fields."""
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def kind_fields(rng: random.Random, kind: str, when: dt.datetime, earlier: list[str]) -> str:
    """Front matter lines for the fields of the entry's kind (publog's built-in kinds)."""
    if kind == "log":
        start = (when - dt.timedelta(days=6)).date()
        sources = ", ".join(
            f"{{type: {rng.choice(SOURCE_TYPES)}, title: {_quoted(plain(rng, rng.randint(2, 5))[:-1])}, "
            f"author: {_quoted(rng.choice(WORDS).capitalize() + ' ' + rng.choice(WORDS).capitalize())}}}"
            for _ in range(rng.randint(1, 3))
        )
        takeaways = ", ".join(_quoted(plain(rng, rng.randint(5, 9))) for _ in range(rng.randint(1, 3)))
        return f"period: {{start: {start}, end: {when.date()}}}\nsources: [{sources}]\ntakeaways: [{takeaways}]\n"
    if kind == "case-study":
        return "".join(f"{key}: {_quoted(plain(rng, rng.randint(6, 12)))}\n" for key in ("context", "tried", "outcome"))
    if kind == "failure":
        return "".join(f"{key}: {_quoted(plain(rng, rng.randint(6, 12)))}\n" for key in ("what_happened", "learned"))
    if kind == "question":
        if earlier and rng.random() < 0.3:  # answered by an earlier entry, named by its file
            return f"status: answered\nanswer: {rng.choice(earlier)}.md\n"
        return "status: open\n"
    return ""


def entries(n: int, seed: int = DEFAULT_SEED):
    """Yield (file name, text) for the journal's N entries, in generation order."""
    rng = random.Random(seed)
    used: set[tuple[int, str]] = set()
    names: list[str] = []
    for i in range(n):
        when = START + dt.timedelta(seconds=rng.randrange(SPAN_SECONDS))
        title_words = [rng.choice(WORDS) for _ in range(rng.randint(3, 7))]
        title = " ".join(title_words).capitalize()
        slug = "-".join(title_words)
        name = f"{when:%Y-%m-%d}-{slug}"
        # publog's default permalink is /{year}/{slug}/: no two entries of a year may share a slug.
        while (when.year, slug) in used:
            slug += f"-{i}"
            name += f"-{i}"
        used.add((when.year, slug))
        tags = rng.sample(TOPICS, rng.randint(2, 4))
        kind = rng.choice(KINDS)
        summary = sentence(rng, 12)
        # Kind fields and links draw from their own stream, so the main one stays that of
        # the shared generator: the bodies are those of its corpus.
        extra_rng = random.Random(f"{seed}:extra:{i}")
        front = (
            "---\n"
            f"title: \"{title}\"\n"
            f"date: {when.isoformat()}\n"
            f"tags: [{', '.join(tags)}]\n"
            f"kind: {kind}\n"
            f"summary: \"{summary}\"\n"
            + kind_fields(extra_rng, kind, when, names)
            + "---\n\n"
        )
        text = front + body(rng, rng.randint(300, 900))
        link_rng = random.Random(f"{seed}:link:{i}")
        if names and link_rng.random() < LINK_SHARE:
            text += "\n" + cross_link(link_rng, names)
        names.append(name)
        yield f"{name}.md", text


def write(out: pathlib.Path, n: int, seed: int = DEFAULT_SEED) -> int:
    """Write the journal into ``out`` (which should be empty or missing); return the entry count."""
    folder = out / ENTRIES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (out / "publog.yaml").write_text(CONFIG, encoding="utf-8", newline="\n")
    count = 0
    for name, text in entries(n, seed):
        (folder / name).write_text(text, encoding="utf-8", newline="\n")
        count += 1
    return count


MEMBERS_DIR = "members"


def member_id(k: int) -> str:
    return f"m{k + 1:02d}"


def write_community(out: pathlib.Path, n: int, members: int, seed: int = DEFAULT_SEED) -> int:
    """The same N entries as a community of ``members``: entry i goes to members/mKK/ with
    K = i mod members (so each member writes across the years), links to another member's
    entry go through their folder, and publog.yaml lists the members."""
    owner: dict[str, int] = {}
    listed = "".join(f"  - id: {member_id(k)}\n    name: Member {k + 1}\n    journal: {MEMBERS_DIR}/{member_id(k)}\n"
                     for k in range(members))
    (out / ENTRIES_DIR).mkdir(parents=True, exist_ok=True)  # the community's own, empty
    (out / "publog.yaml").write_text(CONFIG.replace("title: Benchmark journal", "title: Benchmark community")
                                     + "members:\n" + listed, encoding="utf-8", newline="\n")
    for k in range(members):
        (out / MEMBERS_DIR / member_id(k)).mkdir(parents=True, exist_ok=True)
    count = 0
    for i, (name, text) in enumerate(entries(n, seed)):
        mine = owner[name[:-3]] = i % members

        def there(match: re.Match[str]) -> str:
            target = match.group(2)
            theirs = owner.get(target, mine)
            return match.group(1) + (target if theirs == mine else f"../{member_id(theirs)}/{target}") + ".md"

        text = re.sub(r"(\]\(|^answer: )([^)\s]+)\.md", there, text, flags=re.M)
        (out / MEMBERS_DIR / member_id(mine) / name).write_text(text, encoding="utf-8", newline="\n")
        count += 1
    return count


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=pathlib.Path)
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--members", type=int, default=0, help="write a community of this many members instead")
    args = ap.parse_args()
    count = write_community(args.out, args.n, args.members, args.seed) if args.members else write(args.out, args.n, args.seed)
    print(f"{count} entries -> {args.out / (MEMBERS_DIR if args.members else ENTRIES_DIR)}")


if __name__ == "__main__":
    main()
