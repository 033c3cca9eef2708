#!/usr/bin/env python3
"""Write a deterministic, realistic learning journal of N entries for publog's benchmark.

    python benchmarks/make_journal.py OUT N [--seed S] [--long K] [--search-off]

OUT/publog.yaml holds the site settings; each entry is
OUT/entries/YYYY-MM-DD-slug.md with YAML front matter (title, date, tags, kind,
summary, and the fields of its kind: a learning log's period, sources and
takeaways, a question's status...) and a 300-900 word Markdown body with
headings, lists, links, quotes, tables and fenced code. About 5% of the entries
also link to an earlier entry's file by a relative .md link, and some answered
questions name the earlier entry that answers them, so publog's link
resolution has work to do.

publog.yaml holds publog's defaults (search on); --search-off writes the same
journal with `search: false`. --long K adds K long entries of about 80 KB each,
heavy with $...$ and $$...$$ math and code blocks, as real technical posts are
(entries/YYYY-MM-DD-long-K.md, their own random stream: the other entries are
the same bytes with or without them).

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

GENERATOR_VERSION = "4"
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
"""
SEARCH_OFF = "search: false\n"

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


def config(search: bool = True) -> str:
    """publog.yaml: publog's defaults, or those with the search index off."""
    return CONFIG if search else CONFIG + SEARCH_OFF


def write(out: pathlib.Path, n: int, seed: int = DEFAULT_SEED, search: bool = True, long: int = 0) -> int:
    """Write the journal into ``out`` (which should be empty or missing); return the entry count."""
    folder = out / ENTRIES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (out / "publog.yaml").write_text(config(search), encoding="utf-8", newline="\n")
    count = 0
    for name, text in [*entries(n, seed), *long_entries(long, seed)]:
        (folder / name).write_text(text, encoding="utf-8", newline="\n")
        count += 1
    return count


# ---------------------------------------------------------------- long entries with math and code

LONG_BYTES = 80_000
INLINE_MATH = [
    r"$x_i^2 + y_i^2 = r^2$", r"$\alpha \le \beta$", r"$\hat{\theta} = \frac{1}{n}\sum_i x_i$",
    r"$O(n \log n)$", r"$p(x \mid \theta)$", r"$\mathbb{E}[X] = \mu$", r"$\sqrt{2}$", r"$e^{i\pi} + 1 = 0$",
    r"$\lambda_{\max}$", r"$\nabla f(x)$", r"$A^{-1}b$", r"$\|v\|_2$",
]
DISPLAY_MATH = [
    "$$\n\\sum_{k=1}^{n} k^2 = \\frac{n(n+1)(2n+1)}{6}\n$$",
    "$$\n\\int_0^\\infty e^{-x^2}\\,dx = \\frac{\\sqrt{\\pi}}{2}\n$$",
    "$$\nP(A \\mid B) = \\frac{P(B \\mid A)\\,P(A)}{P(B)}\n$$",
    "$$\n\\begin{aligned}\nf(x) &= \\sum_{n=0}^{\\infty} \\frac{f^{(n)}(a)}{n!}(x-a)^n \\\\\ng(x) &= \\prod_{j=1}^{m} (1 - p_j)\n\\end{aligned}\n$$",
    "$$\n\\mathbf{A} = \\begin{pmatrix} a_{11} & a_{12} \\\\ a_{21} & a_{22} \\end{pmatrix}, \\quad \\det \\mathbf{A} = a_{11}a_{22} - a_{12}a_{21}\n$$",
    "$$\n\\mathcal{L}(\\theta) = -\\sum_{i=1}^{N} \\left[ y_i \\log \\sigma(\\theta^\\top x_i) + (1 - y_i) \\log (1 - \\sigma(\\theta^\\top x_i)) \\right]\n$$",
]
LONG_CODE = {
    "python": "import numpy as np\n\n\ndef gradient_descent(f, grad, x0, rate=0.1, steps=100):\n    x = np.asarray(x0, dtype=float)\n    for step in range(steps):\n        g = grad(x)\n        if np.linalg.norm(g) < 1e-8:\n            break\n        x = x - rate * g\n    return x, f(x)\n\n\nclass RunningMean:\n    def __init__(self):\n        self.n, self.mean = 0, 0.0\n\n    def add(self, value):\n        self.n += 1\n        self.mean += (value - self.mean) / self.n\n        return self.mean\n",
    "rust": "fn power_iteration(a: &[Vec<f64>], steps: usize) -> (f64, Vec<f64>) {\n    let n = a.len();\n    let mut v = vec![1.0; n];\n    let mut lambda = 0.0;\n    for _ in 0..steps {\n        let w: Vec<f64> = (0..n).map(|i| (0..n).map(|j| a[i][j] * v[j]).sum()).collect();\n        lambda = w.iter().map(|x| x * x).sum::<f64>().sqrt();\n        v = w.iter().map(|x| x / lambda).collect();\n    }\n    (lambda, v)\n}\n",
    "sql": CODE["sql"],
    "js": CODE["js"],
}


def long_body(rng: random.Random, size: int = LONG_BYTES) -> str:
    """About ``size`` bytes of a technical post: sections of prose with inline math, display math and code."""
    parts: list[str] = []
    length = 0
    while length < size:
        r = rng.random()
        if r < 0.08:
            block = f"## {sentence(rng, rng.randint(2, 5))[:-1]}"
        elif r < 0.5:
            words = paragraph(rng).split(" ")
            for _ in range(rng.randint(1, 3)):
                words.insert(rng.randrange(len(words)), rng.choice(INLINE_MATH))
            block = " ".join(words)
        elif r < 0.7:
            block = rng.choice(DISPLAY_MATH)
        elif r < 0.9:
            lang = rng.choice(sorted(LONG_CODE))
            block = f"```{lang}\n{LONG_CODE[lang]}```"
        else:
            block = "\n".join(f"- {sentence(rng, rng.randint(4, 10))} {rng.choice(INLINE_MATH)}" for _ in range(rng.randint(2, 5)))
        parts.append(block)
        length += len(block) + 2
    return "\n\n".join(parts) + "\n"


def long_entries(k: int, seed: int = DEFAULT_SEED):
    """Yield (file name, text) for ``k`` long entries heavy with math and code."""
    for i in range(k):
        rng = random.Random(f"{seed}:long:{i}")
        when = START + dt.timedelta(seconds=rng.randrange(SPAN_SECONDS))
        tags = rng.sample(TOPICS, rng.randint(2, 4))
        front = (
            "---\n"
            f"title: \"Long notes on {rng.choice(WORDS)} and {rng.choice(WORDS)}, part {i + 1}\"\n"
            f"date: {when.isoformat()}\n"
            f"tags: [{', '.join(tags)}]\n"
            "kind: til\n"
            f"summary: \"{sentence(rng, 12)}\"\n"
            "---\n\n"
        )
        yield f"{when:%Y-%m-%d}-long-{i + 1}.md", front + long_body(rng)


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
    ap.add_argument("--long", type=int, default=0, metavar="K", help="add K long entries (80 KB, math and code)")
    ap.add_argument("--search-off", action="store_true", help="write `search: false` into publog.yaml")
    args = ap.parse_args()
    if args.members:
        count = write_community(args.out, args.n, args.members, args.seed)
    else:
        count = write(args.out, args.n, args.seed, search=not args.search_off, long=args.long)
    print(f"{count} entries -> {args.out / (MEMBERS_DIR if args.members else ENTRIES_DIR)}")


if __name__ == "__main__":
    main()
