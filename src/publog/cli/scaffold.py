"""New journals and new entries: the files `publog init` and `publog new` write."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit
from urllib.request import url2pathname

import frontmatter

from ..settings import config as config_mod
from ..settings import kinds
from ..urls import slugify

CONFIG_TEMPLATE = """\
# publog.yaml: the settings of this journal. Every key is optional;
# the values below are the defaults. Uncomment and change what you need.

title: {title}
# description: What I am learning, in public.
# author:
#   name: Your Name
#   email: you@example.org
#   url: https://example.org/
#   links: [https://mastodon.social/@you]  # your profiles elsewhere: rel="me" links on the home page
# base_url: https://example.org/        # where the site will live; may end in a path
journal_id: "{journal_id}"  # makes the feeds' item ids, which then survive a move to another domain
# language: en
# timezone: UTC                         # for dates written without an offset
# entries: entries                      # the folder of Markdown entries
# output: _site                         # where `publog build` writes the site
# permalink: /{{year}}/{{slug}}/           # also {{month}}, {{day}}
# per_page: 10                          # entries per page on the home and topic pages
# feed_items: 20                        # entries in each feed
# toc_words: 1200                       # entries this long (3+ headings) get a table of contents; 0: none
# theme: default                        # or a folder of your own; see also theme/
# topics:                               # the subjects you are learning: name, description, goal, parent
#   sql: {{name: SQL, description: Querying data myself., goal: Answer my own product questions}}
# cadence: weekly                       # your goal: daily, weekly, biweekly or monthly (see `publog status`)
# search: true                          # a search page, made with Pagefind
# privacy:
#   never_publish: [Client Name]        # words, phrases or /regexes/ no page may ever contain
# webmention: ""                        # your Webmention endpoint, advertised on every page
# mentions: ""                          # your receiver's jf2 API, for `publog mentions pull`
# respond: ""                           # where readers reply: a URL with {{url}} and {{title}}; default: email
# members:                              # a community site: its members' journals side by side
#   - {{id: ada, name: Ada Park, journal: ../ada-journal}}   # their own journal; or entries say author: ada
"""

FIRST_ENTRY = """\
This is the first entry of my learning journal. I will write down what I learn,
what works, what doesn't, and the questions I am still stuck on.

Write entries as Markdown files in `entries/`, or run `publog new "A title"`.
Build the site with `publog build`; it is written to `_site/`.
"""


WORKFLOW = Path(".github/workflows/publish.yml")
# GitHub Pages: build on every push to main and publish the output folder. The journal's history is
# fetched whole, as entries without a date are dated by their first commit; CI set, no build process is kept.
WORKFLOW_TEXT = """\
name: Publish the journal
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: false
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install publog
        env:
          PUBLOG_INSTALL: ${{{{ vars.PUBLOG_INSTALL }}}}
        run: python -m pip install "${{PUBLOG_INSTALL:-{install}}}"
      # The cache of the last run: entries read, search index parts and social cards made are reused.
      - uses: actions/cache@v4
        with:
          path: .publog-cache
          key: publog-${{{{ github.sha }}}}
          restore-keys: publog-
      - name: Build the site
        env:
          CI: "true"
        run: publog build --strict
      - uses: actions/upload-pages-artifact@v3
        with:
          path: _site
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""
_INSTALL_LINE = next(n for n, text in enumerate(WORKFLOW_TEXT.splitlines(), 1) if "pip install" in text)


def init(folder: Path, now: dt.datetime, say: Callable[[str], object] = lambda line: print(line, file=sys.stderr)
         ) -> list[Path]:
    """Create a journal in ``folder``; refuses to touch an existing one. ``say`` is told where the workflow
    may not install this very publog."""
    config_file = folder / config_mod.CONFIG_FILE
    if config_file.exists():
        raise FileExistsError(f"{config_file} exists already; this folder is a journal")
    title = folder.resolve().name.replace("-", " ").replace("_", " ").strip().capitalize() or "My learning journal"
    (folder / "entries").mkdir(parents=True, exist_ok=True)
    config_file.write_text(CONFIG_TEMPLATE.format(title=_yaml_text(f"{title}"), journal_id=uuid.uuid4()), encoding="utf-8")
    written = [config_file]
    gitignore = folder / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("_site/\n.publog-cache/\n", encoding="utf-8")
        written.append(gitignore)
    workflow = folder / WORKFLOW
    if not workflow.exists():
        workflow.parent.mkdir(parents=True, exist_ok=True)
        install, note = _installed()
        workflow.write_text(WORKFLOW_TEXT.format(install=install), encoding="utf-8")
        written.append(workflow)
        if note:
            say(f"{workflow}:{_INSTALL_LINE}: warning: {note}")
    written.append(new_entry(folder, "Hello, world", None, now, body=FIRST_ENTRY, tags=["learning-in-public"]))
    return written


class UnknownKind(ValueError):
    pass


def new_entry(
    folder: Path, title: str, kind_name: str | None, now: dt.datetime, body: str = "", tags: list[str] | None = None
) -> Path:
    """Write entries/YYYY-MM-DD-slug.md with its front matter filled in; never overwrites."""
    config, _ = config_mod.load(folder)
    local = now.astimezone(config.zone)
    slug = slugify(title) or "entry"
    path = folder / config.entries / f"{local:%Y-%m-%d}-{slug}.md"
    post = frontmatter.Post(body, title=title, date=local.strftime("%Y-%m-%d %H:%M"), tags=tags or [])
    if kind_name:
        kind = config.kinds.get(kind_name)
        if kind is None:
            raise UnknownKind(f"unknown kind {kind_name!r}; known kinds: {', '.join(sorted(config.kinds))}")
        post["kind"] = kind.name
        post.content = body or kind.body
        for field in kind.fields:
            post[field.name] = _placeholder(field, local.date())
    post["summary"] = ""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as f:  # "x": refuse to overwrite
        f.write(frontmatter.dumps(post, sort_keys=False) + "\n")
    return path


def _installed() -> tuple[str, str | None]:
    """What the workflow installs, from pip's record of where this publog came from (PEP 610)."""
    import json
    from importlib import metadata

    from .. import __version__

    try:
        origin = json.loads(metadata.distribution("publog").read_text("direct_url.json") or "{}")
    except (metadata.PackageNotFoundError, ValueError):
        origin = None
    return install_spec(origin, __version__)


def install_spec(origin: Mapping[str, Any] | None, version: str) -> tuple[str, str | None]:
    """What pip should install in CI to get the publog that ``origin`` (a direct_url.json; {} for a package
    index, None for nothing known) describes, and what to tell the user where that is not this very publog."""
    record = origin or {}
    url, vcs = str(record.get("url", "")), record.get("vcs_info") or {}
    source: tuple[str, str | None, str] | None = None
    if vcs.get("vcs") == "git" and (repository := _public(url)):
        commit, subdirectory = str(vcs.get("commit_id", "")), str(record.get("subdirectory", ""))
        # Only what means the same to YAML, the shell and pip goes into the workflow, as for the URL.
        if _COMMIT.fullmatch(commit or "0") and _SAFE_PATH.fullmatch(subdirectory):
            source = repository, commit or None, subdirectory
    elif url.startswith("file://") and "dir_info" in record:
        source = _checkout(Path(url2pathname(urlsplit(url).path)))
    if source is None:
        return f"publog=={version}", None if origin == {} else (
            f"installs publog=={version} from the package index, as this publog came from no public git repository "
            "CI can reach; set the repository variable PUBLOG_INSTALL (Settings, Secrets and variables, Actions) to "
            "what pip should install, such as git+https://github.com/OWNER/publog@main, or edit this line")
    repository, commit, subdirectory = source
    spec = f"publog @ git+{repository}" + (f"@{commit}" if commit else "")
    spec += f"#subdirectory={subdirectory.strip('/')}" if subdirectory.strip("/") else ""
    return spec, None if commit else (
        f"installs the latest publog from {repository}, as this publog's commit is not pushed there; push it, or "
        "set the repository variable PUBLOG_INSTALL to what pip should install")


# Only characters that mean the same to YAML, the shell's double quotes and pip go into the workflow.
_SAFE_URL = re.compile(r"https://[A-Za-z0-9.-]+(:[0-9]+)?/[A-Za-z0-9._~%+/-]*")
_SAFE_PATH = re.compile(r"[A-Za-z0-9._+/-]*")
_COMMIT = re.compile(r"[0-9a-f]{4,64}")


def _public(url: str) -> str | None:
    """``url`` as https without user or password (git@host:owner/repo and ssh:// turned into https), or None."""
    if scp := re.fullmatch(r"[\w.-]+@([\w.-]+):(?!/)(.+)", url):
        url = f"https://{scp[1]}/{scp[2]}"
    try:
        parts = urlsplit(url)
        host = parts.hostname if parts.scheme == "ssh" else parts.netloc.rpartition("@")[2]
    except ValueError:
        return None
    public = f"https://{host}{parts.path}" if parts.scheme in ("https", "ssh") else ""
    return public if _SAFE_URL.fullmatch(public) else None


def _checkout(folder: Path) -> tuple[str, str | None, str] | None:
    """The public repository of the git work tree ``folder`` is in, the commit there (None where HEAD is on no
    branch of that remote, so not pushed), and the folder's place in the tree; None where any of it is unknown."""
    listed = _git(folder, "config", "--get-regexp", r"^remote\..*\.url$") or ""
    names = {key[len("remote."):-len(".url")]: url for key, _, url in (line.partition(" ") for line in listed.splitlines())}
    name = "origin" if "origin" in names else next(iter(names)) if len(names) == 1 else None
    head = (_git(folder, "rev-parse", "--show-prefix", "HEAD") or "").splitlines()
    if name is None or len(head) != 2 or not _SAFE_PATH.fullmatch(head[0]) or not (repository := _public(names[name])):
        return None
    if _git(folder, "cat-file", "-e", "HEAD:./pyproject.toml") is None:
        return None  # a folder inside someone else's repository, such as a home folder kept in git
    pushed = (_git(folder, "branch", "-r", "--contains", head[1], "--list", f"{name}/*") or "").strip()
    return repository, head[1] if pushed else None, head[0]


def _git(folder: Path, *args: str) -> str | None:
    """What git prints in ``folder``, or None where git is missing, fails or would wait for anyone."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, encoding="utf-8", errors="replace",
                              stdin=subprocess.DEVNULL, timeout=10, env={**env, "GIT_TERMINAL_PROMPT": "0"})
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _placeholder(field: kinds.Field, today: dt.date) -> object:
    """A value for a new entry's field that builds as it is and shows what to write."""
    if field.type == "period":
        return {"start": (today - dt.timedelta(days=6)).isoformat(), "end": today.isoformat()}
    if field.type == "status":
        return "open"
    if field.type == "sources":
        return []
    if field.type == "texts":
        return []
    return ""
