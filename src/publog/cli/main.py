"""The `publog` command: parses arguments, calls the stages, prints problems. No logic of its own.

Exit codes: 0 success, 1 problems in the journal, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from .. import __version__
from ..problems import Problem, errors_in, failure


def run() -> int:
    """The `publog` command and `python -m publog`: as ``main``, and a build may be handed to, or leave
    behind, a kept process (run/daemon.py). Only a process of its own may do that: never pytest's, say."""
    return main(sys.argv[1:], keep=True)


def main(argv: Sequence[str] | None = None, keep: bool = False) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    journal = getattr(args, "journal", None)  # every command that reads a journal takes this argument
    if journal is not None and not journal.is_dir():
        print(f"publog: {journal} is not a folder", file=sys.stderr)
        return 2
    args.keep = keep
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        start = "\n" if sys.stderr.isatty() else ""  # off the line the terminal echoed ^C on
        print(f"{start}publog: interrupted; the site in the output folder is as it was before", file=sys.stderr)
        return 130
    except Exception as exc:
        if os.environ.get(DEBUG):
            raise
        # Every step that writes cleans up on the way out (the staging folder, the journal's lock).
        print(failure(exc, _blamed(args)), file=sys.stderr)
        return 1


DEBUG = "PUBLOG_DEBUG"  # set (to 1) to see the traceback of a bug in publog instead of its one line


def _blamed(args: argparse.Namespace) -> str:
    """Where a bug in publog is reported: the journal's publog.yaml, or else the journal folder."""
    from ..settings.config import CONFIG_FILE

    folder = getattr(args, "journal", None) or getattr(args, "folder", None)
    return CONFIG_FILE if folder is not None and os.path.lexists(Path(folder) / CONFIG_FILE) else "."


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="publog", description="A static site generator for learning-in-public journals.")
    parser.add_argument("-V", "--version", action="version", version=f"publog {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("init", help="create a new journal, with a workflow that publishes it on GitHub Pages")
    p.add_argument("folder", type=Path, nargs="?", default=Path("."),
                   help="the folder of the new journal (created if missing; default: here)")
    _quiet(p, quiet="print errors only: no list of the files written, no warnings", verbose=None)
    p.set_defaults(run=_init)

    p = sub.add_parser("new", help="write a new entry and print its path")
    p.add_argument("title")
    p.add_argument("--kind", help="the kind of entry: log, case-study, failure, question, til, or one of publog.yaml")
    p.add_argument("--journal", type=Path, default=Path("."), help="the journal folder (default: here)")
    _quiet(p, verbose="also print the entry as written")
    p.set_defaults(run=_new)

    for name, helptext in (("build", "build the site"), ("check", "check the journal and write nothing")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("journal", type=Path, nargs="?", default=Path("."), help="the journal folder (default: here)")
        if name == "build":
            p.add_argument("-d", "--out", type=Path, help="the output folder (default: JOURNAL/_site)")
        p.add_argument("-b", "--base-url", type=_base_url,
                       help="where the site lives, for this build only (a deploy preview): instead of publog.yaml's base_url")
        p.add_argument("-D", "--drafts", action="store_true", help="include drafts")
        p.add_argument("-F", "--future", action="store_true", help="include entries dated in the future")
        p.add_argument("--strict", action="store_true", help="treat warnings as errors")
        p.add_argument("--jobs", type=int, default=0, help="processes to use (default: one per core)")
        if name == "build":
            p.add_argument("--no-daemon", action="store_true",
                           help="build in this process and keep none warm for the next build (default: keep one for 10 minutes)")
            p.add_argument("--timings", action="store_true",
                           help="also print how long each stage of the build took, to see which one is slow")
        _quiet(p)
        p.set_defaults(run=_build, check_only=name == "check")
    p = sub.add_parser("serve", help="build, serve and rebuild on every save, with live reload")
    p.add_argument("journal", type=Path, nargs="?", default=Path("."), help="the journal folder (default: here)")
    p.add_argument("-p", "--port", type=int, default=8000)
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: this machine only)")
    p.add_argument("-b", "--base-url", type=_base_url,
                   help="serve the site below this URL's path, as it will live (default: publog.yaml's base_url)")
    p.add_argument("--drafts", action=argparse.BooleanOptionalAction, default=True,
                   help="show drafts, marked as drafts (default: yes)")
    p.add_argument("-F", "--future", action="store_true", help="include entries dated in the future")
    p.add_argument("-o", "--open", action="store_true", help="open the site in the web browser once it is built")
    _quiet(p, quiet="print errors only: no warnings, no line per rebuild", verbose="also print how long each stage took")
    p.set_defaults(run=_serve)

    p = sub.add_parser("status", help="show streaks against the cadence, drafts waiting and open questions")
    p.add_argument("journal", type=Path, nargs="?", default=Path("."), help="the journal folder (default: here)")
    p.add_argument("--json", action="store_true", help="print every figure as JSON, for scripts")
    # Hidden, for tests and scripts: the status as of the end of that day in the journal's timezone.
    p.add_argument("--today", type=_day, help=argparse.SUPPRESS)
    _quiet(p, quiet="print the status and errors only, no warnings", verbose=None)
    p.set_defaults(run=_status)

    p = sub.add_parser("mentions", help="responses from other sites (Webmentions)")
    actions = p.add_subparsers(title="actions", metavar="ACTION")
    q = actions.add_parser("pull", help="fetch new responses from the receiver's API (publog.yaml 'mentions') into mentions/")
    q.add_argument("journal", type=Path, nargs="?", default=Path("."), help="the journal folder (default: here)")
    q.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the receiver (default: 30)")
    _quiet(q, quiet="print errors only: no warnings, no summary", verbose=None)
    q.set_defaults(run=_mentions_pull)

    p = sub.add_parser("pull", help="fetch the feeds of network.yaml's people into pulled/, which builds read")
    p.add_argument("journal", type=Path, nargs="?", default=Path("."), help="the journal folder (default: here)")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for each feed (default: 20)")
    _quiet(p, quiet="print the feeds that failed and errors only", verbose="also print what became of every feed")
    p.set_defaults(run=_pull)

    p = sub.add_parser("share", help="print a post announcing an entry, ready to paste")
    p.add_argument("entry", help="the entry's file (relative to the journal or here) or its slug")
    p.add_argument("--for", dest="platform", default="mastodon", choices=["mastodon", "bluesky", "linkedin", "x", "all"],
                   help="the platform whose length limit the post fits (default: mastodon)")
    p.add_argument("--journal", type=Path, default=Path("."), help="the journal folder (default: here)")
    _quiet(p, quiet="print the post and errors only, no warnings", verbose=None)
    p.set_defaults(run=_share)
    return parser


def _quiet(parser: argparse.ArgumentParser, quiet: str = "print errors only: no warnings, no summary",
           verbose: str | None = "also print how long each stage took") -> None:
    """-q and -v on every command: how much it says besides its errors (and its output proper: a status,
    a post). A command with nothing more to say takes -v and says what it always says."""
    said = parser.add_mutually_exclusive_group()
    said.add_argument("-q", "--quiet", action="store_true", help=quiet)
    said.add_argument("-v", "--verbose", action="store_true", help=verbose or "accepted; this command has nothing more to say")


def _base_url(text: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a web address; write it as https://example.org/ or "
                                         "https://example.org/notes/")
    return text if text.endswith("/") else text + "/"


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as 2026-03-12") from None


def _status(args: argparse.Namespace) -> int:
    import json

    from rich.console import Console

    from ..learning import status
    from ..run.build import Options, build

    result = build(args.journal, Options(check_only=True, journal_only=True, drafts=True, future=True))
    report(result.problems, args.quiet)
    if result.journal is None:
        print(f"publog: {len(errors_in(result.problems))} problem(s); no status can be shown", file=sys.stderr)
        return 1
    zone = result.journal.config.zone
    now = status.end_of_day(args.today, zone) if args.today else dt.datetime.now(dt.timezone.utc)
    found = status.of_journal(result.journal, now)
    if args.json:
        print(json.dumps(status.to_json(found), indent=2, ensure_ascii=False))
    else:
        status.show(found, Console(highlight=False, emoji=False))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from ..run.build import Options
    from ..run.serve import serve

    return serve(args.journal, args.host, args.port, Options(drafts=args.drafts, future=args.future, base_url=args.base_url),
                 open_browser=args.open, said=-1 if args.quiet else 1 if args.verbose else 0)


def _init(args: argparse.Namespace) -> int:
    from .scaffold import init

    try:
        written = init(args.folder, dt.datetime.now(dt.timezone.utc), **({"say": lambda _: None} if args.quiet else {}))
    except FileExistsError as exc:
        print(f"publog: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        for path in written:
            print(path)
        where = "" if args.folder == Path(".") else f"cd {args.folder} && "
        print(f"Next: {where}publog build; set base_url in publog.yaml before you publish "
              "(the workflow in .github/workflows/ publishes on GitHub Pages)")
    return 0


def _new(args: argparse.Namespace) -> int:
    from .scaffold import UnknownKind, new_entry

    try:
        path = new_entry(args.journal, args.title, args.kind, dt.datetime.now(dt.timezone.utc))
    except FileExistsError as exc:
        print(f"publog: {exc.filename} exists already; choose another title or edit that file", file=sys.stderr)
        return 1
    except UnknownKind as exc:
        print(f"publog: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(path)
    if args.verbose:
        print(path.read_text(encoding="utf-8"), end="")
    return 0


def _build(args: argparse.Namespace) -> int:
    from ..run import daemon

    # A build for another address (a deploy preview) is a one-off: it neither asks nor leaves a kept process.
    kept = args.keep and not args.check_only and daemon.wanted(args.no_daemon) and args.base_url is None
    out = getattr(args, "out", None)
    with _progress() as progress:
        if kept:
            sent = daemon.ask(args.journal, out, args.drafts, args.future, args.strict, args.jobs, progress)
            if sent is not None:
                problems = [Problem(path, line, message, severity) for path, line, message, severity in sent["problems"]]
                shown = out if out is not None else args.journal / sent["inside"] if sent["inside"] else sent["out"]
                return _summary(args, problems, sent["entries"], sent["pages"], sent["written"], sent["seconds"], shown,
                                sent["timings"])
        from ..run.build import Hooks, Options, build
        from ..run.session import Session

        if args.keep:
            # A process of its own ends after the build (a copy it keeps collects when idle): the collector's
            # passes over the objects a build makes, which live on to its end, would only slow it. Markdown and
            # templates leave almost no cyclic garbage; a build that renders in workers collects before it forks them.
            gc.disable()
        store = Session(args.journal, writable=not args.check_only)
        options = Options(out=out, drafts=args.drafts, future=args.future, strict=args.strict, check_only=args.check_only,
                          jobs=args.jobs, base_url=args.base_url)
        result = build(args.journal, options, store, Hooks(progress=progress))
    code = _summary(args, result.problems, result.entries, result.pages, result.written, result.seconds, result.out,
                    result.timings)
    if kept and daemon.keep(args.journal, store, result.out) and not args.quiet:
        print(f"A build process stays warm for this journal's next build (at most {daemon.MOST_KEPT} of yours are kept; "
              "--no-daemon keeps none)")
    if args.keep:
        # A process of its own ends here, without freeing one by one the objects of the journal and the site
        # it holds (a quarter of a second at N=10000, and while a kept copy shares their memory, a copy of each
        # page it frees): everything is written or in the cache by now.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def _summary(args: argparse.Namespace, problems: list[Problem], entries: int, pages: int, written: int, seconds: float,
             out: Any, timings: dict[str, float]) -> int:
    report(problems if not args.quiet else errors_in(problems, args.strict))
    if getattr(args, "timings", False) or args.verbose:
        print(timings_line(timings, seconds))
    if errors_in(problems, args.strict):
        strict = " (warnings count as errors with --strict)" if args.strict and not errors_in(problems) else ""
        print(f"publog: {len(errors_in(problems, args.strict))} problem(s){strict}; nothing was written", file=sys.stderr)
        return 1
    if args.quiet:
        return 0
    if args.check_only:
        print(f"{entries} entries checked, no errors")
    else:
        print(f"{entries} entries, {pages} pages ({written} written) in {seconds:.2f} s -> {out}")
    return 0


def timings_line(timings: dict[str, float], seconds: float) -> str:
    """The stages of a build and their seconds ("unchanged" alone when the check for an unchanged journal
    found nothing to build); "other": what comes after the stages (saving the cache)."""
    stages = [*timings.items(), ("other", max(0.0, seconds - sum(timings.values())))]
    return "timings: " + ", ".join(f"{name} {spent:.3f} s" for name, spent in stages)


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress bar on a terminal, for builds long enough to want one; nothing when piped."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   console=Console(stderr=True), transient=True)
    tasks: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        if total < 200:  # a small journal builds before a bar could be read
            return
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage.capitalize(), total=total)
        bar.update(tasks[stage], completed=done, total=total)

    with bar:
        yield update


def report(problems: Sequence[Problem], quiet: bool = False) -> None:
    for problem in errors_in(problems) if quiet else problems:
        print(problem, file=sys.stderr)


def _mentions_pull(args: argparse.Namespace) -> int:
    import os

    from ..settings import config as config_mod
    from ..social import receiver as mentions

    config, problems = config_mod.load(args.journal)
    report(problems, args.quiet)
    if errors_in(problems):
        print("publog: fix publog.yaml first; nothing was pulled", file=sys.stderr)
        return 1
    pulled = mentions.pull(args.journal, config, os.environ.get(mentions.TOKEN_VARIABLE, ""), args.timeout)
    if pulled.failure:
        print(f"publog: {pulled.failure}", file=sys.stderr)
        return 1
    where = ", ".join(pulled.written) if pulled.written else "nothing changed"
    left = f"; {pulled.skipped} left out: private, or for another site" if pulled.skipped else ""
    if not args.quiet:
        print(f"{pulled.added} new response(s), {pulled.total} in all ({where}){left}")
    return 0


def _pull(args: argparse.Namespace) -> int:
    """Exit 0 even when some feeds fail (each is reported); 1 when nothing could be pulled."""
    from ..settings import config as config_mod
    from ..social import network, pull
    from ..run.build import member_folders

    if not 0 < args.timeout <= 3600:
        print("publog: --timeout must be a number of seconds above 0 and at most 3600", file=sys.stderr)
        return 2
    config, problems = config_mod.load(args.journal)
    folders, more = member_folders(args.journal, config)
    people, more = network.gather(network.read(args.journal), args.journal, folders) if not errors_in(problems + more) else ((), more)
    problems += more
    report(problems, args.quiet)
    if errors_in(problems):
        print("publog: fix the files named above first; nothing was pulled", file=sys.stderr)
        return 1
    feeds = pull.sources(people, config.members)
    if not feeds:
        print("0 feeds: network.yaml lists nobody with a 'feed'; add one, e.g. 'feed: https://example.org/feed.xml'")
        return 0
    fetched = pull.pull(args.journal, feeds, timeout=args.timeout)
    for outcome in fetched.outcomes:
        shown = outcome.lines() if outcome.status == "failed" or not args.quiet else []
        for line in shown or ([f"{outcome.source.url}: {outcome.status}"] if args.verbose else []):
            print(line, file=sys.stderr)
    if not args.quiet:
        print(fetched.summary())
    if fetched.nothing_pulled:
        print("publog: no feed could be pulled (see above); the items pulled/ held are kept, and each feed's file records why it failed", file=sys.stderr)
        return 1
    return 0


def _share(args: argparse.Namespace) -> int:
    from ..learning import share
    from ..run.build import Options, build

    result = build(args.journal, Options(check_only=True, journal_only=True))
    if result.journal is None:
        report(result.problems, args.quiet)
        print("publog: fix these problems first", file=sys.stderr)
        return 1
    entry, why = share.find(result.journal, args.entry, args.journal, Path.cwd())
    if entry is None:
        print(f"publog: {why}", file=sys.stderr)
        return 1
    own = [p for p in errors_in(result.problems) if p.path == entry.path]
    if own:
        for problem in own:
            print(problem, file=sys.stderr)
        print(f"publog: fix {entry.path} first", file=sys.stderr)
        return 1
    names = list(share.PLATFORMS) if args.platform == "all" else [args.platform]
    code = 0
    for name in names:
        post = share.for_entry(entry, result.journal, name)
        if len(names) > 1:
            print(f"--- {share.PLATFORMS[name].label} ({post.length} of {post.limit}) ---")
        print(post.text)
        if len(names) > 1:
            print()
        if not post.fits:
            print(f"publog: the entry's URL alone is too long for {share.PLATFORMS[name].label}", file=sys.stderr)
            code = 1
    return code
