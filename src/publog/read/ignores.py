"""The files a folder's own generator never reads, which publog must never publish either.

Each generator has rules an author writes to keep files out of the site, and
conventions of its own; a file they leave out is no entry and no file of the
journal, so neither its page nor its text (through a link or an embed) can be
published. Discovery (read/folder.py) asks ``Rules.hit`` for every folder and file it
walks, and says once per written rule how many files it left out.

- Hugo: ``ignoreFiles`` (regular expressions searched in the file's path) in its
  config or config/_default/; a leaf bundle's other Markdown files, which are
  resources and never pages.
- Jekyll: ``exclude:`` (globs, or paths and their beginnings) with its default
  list; names starting with _ # ~ (but _posts and _drafts) or ending with ~;
  ``include:`` takes a name back.
- Eleventy: .eleventyignore (in the project and in the input folder), the
  .gitignore files unless the config says ``setUseGitIgnore(false)``, and
  ``ignores.add("...")`` in the config.
- Pelican: ``IGNORE_FILES`` (globs of a file's or folder's name); a Markdown file
  outside ``ARTICLE_PATHS`` and ``PAGE_PATHS``, or in their ``*_EXCLUDES``.
- Quartz 4 (whose globby reads .gitignore) and a plain folder of Markdown (which
  GitHub shows only as committed): the .gitignore files, read as git reads them,
  from the journal's folder down, whether or not it is a git work tree.

An Obsidian vault's ``userIgnoreFilters`` (.obsidian/app.json, "Excluded files")
only hide notes from Obsidian's search and graph: Obsidian Publish still
publishes them when chosen, so publog does too (``publish:`` in publog.yaml,
``publish: false`` or ``private: true`` keep a note out).

A rule publog cannot read is named in a warning, since what it leaves out would
be published.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from . import files, load
from .configs import eleventy_folders, load_config, python_settings
from .detect import ELEVENTY_CONFIGS, HUGO_CONFIGS, JEKYLL_CONFIGS, detect
from .load import ENTRY_SUFFIXES
from ..problems import Problem, warning

GITIGNORE = ".gitignore"
ELEVENTYIGNORE = ".eleventyignore"


@dataclass(frozen=True)
class Hit:
    """The rule that leaves a path out: where it is written (``file`` "" for a tool's own convention, which
    goes without saying) and what it is."""

    file: str
    line: int
    what: str  # "ignoreFiles", "exclude", ".gitignore" ...
    tool: str  # whose rule it is: "Hugo"


Check = Callable[[str, bool], "Hit | None"]  # (journal-relative path, is a folder) -> the rule leaving it out


@dataclass(frozen=True)
class Rules:
    """What a folder's generator leaves out, asked path by path as the folder is walked from its top."""

    checks: tuple[Check, ...] = ()
    problems: tuple[Problem, ...] = ()  # rules publog cannot read

    def hit(self, path: str, folder: bool) -> Hit | None:
        """The rule leaving ``path`` out, given that no folder above it is left out."""
        for check in self.checks:
            found = check(path, folder)
            if found is not None:
                return found
        return None

    def leaves_out(self, path: str) -> Hit | None:
        """The rule leaving out the file ``path`` or a folder above it."""
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            found = self.hit("/".join(parts[:depth]), depth < len(parts))
            if found is not None:
                return found
        return None


def of(root: Path) -> Rules:
    """The rules of the generator ``root`` was written for (none for a journal of publog's own)."""
    name = detect(root)
    if name == "publog":
        plain = not (root / "publog.yaml").is_file() and not (root / "entries").is_dir()
        return Rules((Gitignore(root, "git").check,)) if plain else Rules()
    return {"hugo": _hugo_rules, "jekyll": _jekyll_rules, "eleventy": _eleventy_rules, "pelican": _pelican_rules,
            "quartz": _quartz_rules}.get(name, lambda _: Rules())(root)


def report(left_out: dict[Hit, list[str]]) -> list[Problem]:
    """One warning per written rule (a file's ignore patterns together) that left files out, naming a few."""
    grouped: dict[tuple[str, str, str], tuple[int, list[str]]] = {}
    for hit, paths in left_out.items():
        if hit.file and paths:  # a tool's own convention goes without saying
            line, before = grouped.get((hit.file, hit.what, hit.tool), (hit.line, []))
            grouped[(hit.file, hit.what, hit.tool)] = (min(line, hit.line), before + paths)
    problems = []
    for (file, what, tool), (line, paths) in sorted(grouped.items()):
        hit = Hit(file, line, what, tool)
        paths = sorted(paths)
        shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        count = f"{len(paths)} file{'s' if len(paths) != 1 else ''}"
        problems.append(warning(hit.file, hit.line, f"{count} left out by {hit.what}, as {hit.tool} leaves them out "
                                f"({shown}); publog publishes none of them, nor a link's or an embed's text from them"))
    return problems


# --- .gitignore ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    negated: bool
    folders_only: bool
    line: int


def gitignore_patterns(text: str, negations: bool = True) -> list[_Pattern]:
    """The patterns of a .gitignore file, as git reads them (gitignore(5)); with ``negations`` false, lines
    starting with ! are skipped, as Eleventy skips them."""
    found = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r"(?<!\\)\s+$", "", raw.rstrip("\r"))
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        if negated:
            if not negations:
                continue
            line = line[1:]
        if line.startswith(("\\#", "\\!")):
            line = line[1:]
        folders_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        anchored = "/" in line
        line = line.lstrip("/")
        body = _glob(line)
        if body is None:
            continue
        found.append(_Pattern(re.compile(body if anchored else f"(?:.*/)?{body}", re.S), negated, folders_only, number))
    return found


def _glob(pattern: str) -> str | None:
    """A gitignore glob as a regular expression matching a whole path; None for one git would not match."""
    out, i, n = [], 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "*":
            j = i
            while j < n and pattern[j] == "*":
                j += 1
            double = j - i >= 2 and (i == 0 or pattern[i - 1] == "/") and (j == n or pattern[j] == "/")
            if double and j == n:
                out.append(".*")  # a/** : everything inside
            elif double:
                out.append("(?:.*/)?")  # **/ : any folders, or none
                j += 1
            else:
                out.append("[^/]*")
            i = j
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            j = i + 1
            if j < n and pattern[j] in "!^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 1
            if j >= n:
                out.append(re.escape(c))
                i += 1
                continue
            inner = pattern[i + 1 : j]
            if inner[:1] in "!^":
                inner = "^" + inner[1:]
            out.append("[" + inner.replace("\\", "\\\\").replace("/", "") + "]")
            i = j + 1
        elif c == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


class Gitignore:
    """Every .gitignore file from the journal's folder down, as git combines them: the deepest file's last
    matching pattern decides, and nothing is taken back from a folder left out."""

    def __init__(self, root: Path, tool: str, negations: bool = True, extra: Iterable[tuple[str, str, str]] = (),
                 own: bool = True):
        self.root = root
        self.tool = tool
        self.negations = negations
        # (folder, file shown, text) read as .gitignore files too (.eleventyignore), before the folder's own.
        self.extra = tuple(extra)
        self.own = own  # whether the .gitignore files are read
        self._folders: dict[str, list[tuple[str, str, list[_Pattern]]]] = {}

    def _of(self, folder: str) -> list[tuple[str, str, list[_Pattern]]]:
        """(folder, file shown, patterns) of the ignore files in ``folder`` (journal-relative, "" for the top)."""
        if folder not in self._folders:
            found = []
            for where, shown, text in self.extra:
                if where == folder:
                    found.append((folder, shown, gitignore_patterns(text, negations=False)))
            shown = f"{folder}/{GITIGNORE}" if folder else GITIGNORE
            try:
                text = files.read_text(self.root / shown, "utf-8-sig") if self.own else ""
            except (OSError, UnicodeDecodeError):
                text = ""
            if text:
                found.append((folder, shown, gitignore_patterns(text, self.negations)))
            self._folders[folder] = found
        return self._folders[folder]

    def check(self, path: str, folder: bool) -> Hit | None:
        parts = path.split("/")
        decided: tuple[str, _Pattern] | None = None
        for depth in range(len(parts)):
            base = "/".join(parts[:depth])
            relative = "/".join(parts[depth:])
            for _, shown, patterns in self._of(base):
                for pattern in patterns:
                    if (folder or not pattern.folders_only) and pattern.regex.fullmatch(relative):
                        decided = (shown, pattern)
        if decided is None or decided[1].negated:
            return None
        shown, pattern = decided
        what = posixpath.basename(shown)
        return Hit(shown, pattern.line, what, self.tool)


# --- the generators ----------------------------------------------------------------------------------------


def _quartz_rules(root: Path) -> Rules:
    return Rules((Gitignore(root, "Quartz").check,))


def _hugo_rules(root: Path) -> Rules:
    checks: list[Check] = []
    problems: list[Problem] = []
    content = "content"
    for file in HUGO_CONFIGS:
        if not (root / file).is_file():
            continue
        data, lines, _ = load_config(root, file)
        named = next((v for k, v in data.items() if str(k).lower() == "contentdir"), None)
        content = named.strip("./") if isinstance(named, str) and named.strip("./") else content
        written = next((v for k, v in data.items() if str(k).lower() == "ignorefiles"), None)
        if not isinstance(written, list):
            continue
        line = next((v for k, v in lines.items() if k.lower() == "ignorefiles"), 1)
        regexes = []
        for pattern in written:
            try:
                regexes.append(re.compile(str(pattern).replace("\\z", "\\Z")))
            except re.error:
                problems.append(warning(file, line, f"publog cannot read the ignoreFiles entry {pattern!r} as a regular "
                                        "expression, so what it leaves out is published; write it as Go's regexp reads it"))
        if regexes:
            checks.append(_searched(regexes, Hit(file, line, "ignoreFiles", "Hugo")))
    checks += [_cascaded(root), _leaf_bundles(root, content)]
    return Rules(tuple(checks), tuple(problems))


def never_rendered(meta: Mapping[str, Any]) -> bool:
    """Whether Hugo's build options (``build:``, or ``_build:`` before Hugo 0.145) say no page is written:
    render: never, link or false."""
    for key in ("build", "_build"):
        options = meta.get(key)
        if isinstance(options, Mapping):
            render = next((v for k, v in options.items() if str(k).lower() == "render"), True)
            if render is False or (isinstance(render, str) and render.strip().lower() in ("never", "link", "false")):
                return True
    return False


def _cascaded(root: Path) -> Check:
    """Pages a section's _index.md cascades ``build: {render: never}`` to (Hugo writes none of them)."""
    sections: dict[str, Hit | None] = {}

    def section(folder: str) -> Hit | None:
        if folder not in sections:
            sections[folder] = None
            for suffix in (".md", ".markdown"):
                shown = f"{folder}/_index{suffix}"
                try:
                    text = files.read_text(root / shown, "utf-8-sig")
                except (OSError, UnicodeDecodeError):
                    continue
                source, _ = load.parse(shown, text)
                cascade = source.extra.get("cascade") if source is not None else None
                for one in cascade if isinstance(cascade, list) else [cascade]:
                    if isinstance(one, Mapping) and _for_pages(one) and never_rendered(one):
                        sections[folder] = Hit(shown, source.lines.get("cascade", 1) if source else 1,
                                               "its cascade of build options", "Hugo")
        return sections[folder]

    def check(path: str, folder: bool) -> Hit | None:
        # Only the pages: a page's files are still published (Hugo's publishResources), as publog copies
        # those a published page links to.
        if folder or not path.lower().endswith(ENTRY_SUFFIXES) or posixpath.basename(path).startswith("_index."):
            return None
        above = posixpath.dirname(path)
        while above:
            found = section(above)
            if found is not None:
                return found
            above = posixpath.dirname(above)
        return None

    return check


def _for_pages(cascade: Mapping[str, Any]) -> bool:
    """Whether a cascade reaches pages: any whose target names no kind, or the page kind."""
    target = cascade.get("_target", cascade.get("target"))
    kind = target.get("kind") if isinstance(target, Mapping) else None
    return kind in (None, "", "page", "*", "{page,section}") or (isinstance(kind, str) and "page" in kind)


def _searched(regexes: list[re.Pattern[str]], hit: Hit) -> Check:
    """Hugo searches each regular expression in a file's whole path: the journal's is what is left of it."""
    def check(path: str, folder: bool) -> Hit | None:
        return hit if any(r.search("/" + path) for r in regexes) else None
    return check


def _leaf_bundles(root: Path, content: str) -> Check:
    """A Hugo leaf bundle (a folder below ``content`` with index.md) has one page: its other Markdown files
    are resources. The content folder itself is no bundle: its index.md is the home page."""
    bundles: dict[str, bool] = {}
    hit = Hit("", 1, "a leaf bundle's resources", "Hugo")

    def bundle(folder: str) -> bool:
        if folder not in bundles:
            bundles[folder] = any((root / folder / f"index{suffix}").is_file() for suffix in ENTRY_SUFFIXES)
        return bundles[folder]

    def check(path: str, folder: bool) -> Hit | None:
        if folder or not path.lower().endswith(ENTRY_SUFFIXES):
            return None
        above, name = posixpath.split(path)
        if posixpath.splitext(name)[0] in ("index", "_index"):
            above = posixpath.dirname(above)
        while above and above != content:
            if bundle(above):
                return hit
            above = posixpath.dirname(above)
        return None

    return check


# What Jekyll leaves out though no config says so (Jekyll 4's default exclude list).
_JEKYLL_DEFAULTS = (".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock", "node_modules",
                    "vendor/bundle/", "vendor/cache/", "vendor/gems/", "vendor/ruby/")


def _jekyll_rules(root: Path) -> Rules:
    file = next((n for n in JEKYLL_CONFIGS if (root / n).is_file()), "")
    data, lines, _ = load_config(root, file) if file else ({}, {}, [])

    def listed(key: str) -> list[str]:
        value = data.get(key)
        value = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return [str(v).strip().removeprefix("./").lstrip("/") for v in value if isinstance(v, (str, int, float)) and str(v).strip()]
    include, exclude = listed("include") + [".htaccess"], listed("exclude")
    written = Hit(file, lines.get("exclude", 1), "exclude", "Jekyll")
    own = Hit("", 1, "its own exclude list", "Jekyll")
    special = Hit("", 1, "names starting with _ # ~", "Jekyll")

    def check(path: str, folder: bool) -> Hit | None:
        if _jekyll_glob(include, path, folder):
            return None
        if _jekyll_glob(exclude, path, folder):
            return written
        if _jekyll_glob(list(_JEKYLL_DEFAULTS), path, folder):
            return own
        name = posixpath.basename(path)
        if name.startswith(("_", "#", "~")) and not (folder and name in ("_posts", "_drafts")) or name.endswith("~"):
            return special
        return None

    return Rules((check,))


def _jekyll_glob(patterns: list[str], path: str, folder: bool) -> bool:
    """Jekyll's EntryFilter#glob_include?: a File.fnmatch? glob (its * crossing folders), a beginning of the path,
    or a folder named with a slash."""
    return any(fnmatch.fnmatchcase(path, p) or path.startswith(p) or (folder and p == path + "/") for p in patterns)


def _eleventy_rules(root: Path) -> Rules:
    config = ""
    for name in ELEVENTY_CONFIGS:
        try:
            config = files.read_text(root / name)
            break
        except (OSError, UnicodeDecodeError):
            continue
    source = eleventy_folders(root)[0]
    extra = []
    for folder in dict.fromkeys(["", "" if source == "." else source]):
        shown = f"{folder}/{ELEVENTYIGNORE}".lstrip("/")
        try:
            extra.append((folder, shown, files.read_text(root / shown, "utf-8-sig")))
        except (OSError, UnicodeDecodeError):
            continue
    added = [m.group(2) for m in re.finditer(r"""\bignores\s*\.\s*add\s*\(\s*(["'`])([^"'`\n]+)\1""", config)]
    if added:
        name = next(n for n in ELEVENTY_CONFIGS if (root / n).is_file())
        extra.append(("", name, "\n".join(a.removeprefix("./") for a in added)))
    # Eleventy reads the project's .gitignore as it reads .eleventyignore (! lines skipped), unless told not to.
    own = re.search(r"setUseGitIgnore\s*\(\s*false\s*\)", config) is None
    return Rules((Gitignore(root, "Eleventy", negations=False, extra=extra, own=own).check,))


def _pelican_rules(root: Path) -> Rules:
    settings, lines, _ = python_settings(root / "pelicanconf.py", "pelicanconf.py")
    content = settings.get("PATH", "content")
    content = content.strip("/") if isinstance(content, str) and content.strip("/") else ""
    content = "" if content == "." else content
    prefix = content + "/" if content else ""

    def paths(key: str, default: list[str]) -> list[str]:
        value = settings.get(key, default)
        return [str(v).strip("/") for v in value if isinstance(v, str)] if isinstance(value, (list, tuple)) else default

    ignore = paths("IGNORE_FILES", [".#*"])
    ignore_hit = Hit("pelicanconf.py" if "IGNORE_FILES" in settings else "", lines.get("IGNORE_FILES", 1),
                     "IGNORE_FILES", "Pelican")
    articles, pages = paths("ARTICLE_PATHS", [""]), paths("PAGE_PATHS", ["pages"])
    # Each kind leaves out the other's folders (Pelican's configure_settings).
    article_excludes = paths("ARTICLE_EXCLUDES", []) + pages
    page_excludes = paths("PAGE_EXCLUDES", []) + [a for a in articles if a]
    said = [k for k in ("ARTICLE_PATHS", "ARTICLE_EXCLUDES", "PAGE_PATHS", "PAGE_EXCLUDES") if k in settings]
    paths_hit = Hit("pelicanconf.py" if said else "", min((lines.get(k, 1) for k in said), default=1),
                    " and ".join(said) or "ARTICLE_PATHS", "Pelican")

    def under(relative: str, folders: list[str]) -> bool:
        return any(not f or relative == f or relative.startswith(f + "/") for f in folders)

    def check(path: str, folder: bool) -> Hit | None:
        if not path.startswith(prefix):
            return None
        relative = path[len(prefix):]
        if any(fnmatch.fnmatch(posixpath.basename(relative), p) for p in ignore):
            return ignore_hit
        if folder or not relative.lower().endswith(ENTRY_SUFFIXES):
            return None
        article = under(relative, articles) and not under(relative, [e for e in article_excludes if e])
        page = under(relative, pages) and not under(relative, [e for e in page_excludes if e])
        return None if article or page else paths_hit

    return Rules((check,))
