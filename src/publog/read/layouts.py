"""Where a journal came from: a folder written for Hugo, Jekyll, Pelican or Eleventy, an Obsidian vault or a Quartz garden.

A few stats tell which generator a folder was written for, and its own config
(hugo.toml, _config.yml, pelicanconf.py, quartz.config.ts, Eleventy's data files)
tells where the posts are, which URLs they had, and the site's title and author;
configs that are code are read as text, never run (see read/jsvalues.py). The answer
is a Layout, kept in the Config like any setting, so
every stage reads the same conventions and the page fingerprints change with
them. Whatever publog.yaml says wins over what is found here.
"""

from __future__ import annotations

import ast
import json
import os
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from . import files, jsvalues
from .. import urls
from ..settings import yamltext
from ..markdown.body import ENTRY_SUFFIXES
from ..problems import Problem, error, warning
from ..settings.people import Author

if TYPE_CHECKING:
    from ..settings.config import Config

NAMES = ("auto", "publog", "hugo", "jekyll", "pelican", "eleventy", "obsidian")
TOPIC_SOURCES = ("tags", "categories")
NOTES_PERMALINK = "/{file}/"  # a vault's or plain folder's notes: their paths, as Obsidian Publish and Quartz show them

HUGO_CONFIGS = tuple(f"{folder}{name}.{ext}" for folder in ("", "config/_default/") for name in ("hugo", "config")
                     for ext in ("toml", "yaml", "yml", "json"))
JEKYLL_CONFIGS = ("_config.yml", "_config.yaml")
PELICAN_CONFIGS = ("pelicanconf.py", "publishconf.py")
ELEVENTY_CONFIGS = (".eleventy.js", "eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs", "eleventy.config.ts")
OBSIDIAN = ".obsidian"
QUARTZ_CONFIG = "quartz.config.ts"  # Quartz 4; Quartz 3 was a Hugo site, and is read as one
QUARTZ_CONTENT = "content"
# Obsidian's core Templates plugin and the Templater plugin name the folder of templates, which are no notes.
_TEMPLATE_SETTINGS = (".obsidian/templates.json", ".obsidian/plugins/templater-obsidian/data.json")
_MARKERS = (HUGO_CONFIGS + JEKYLL_CONFIGS + PELICAN_CONFIGS + ELEVENTY_CONFIGS + (".eleventyignore",) + _TEMPLATE_SETTINGS
            + (QUARTZ_CONFIG,) + tuple(f"{QUARTZ_CONTENT}/{name}" for name in _TEMPLATE_SETTINGS))
MARKERS = _MARKERS  # the files of other generators a build reads, when they are regular files
# What Jekyll never copies (its default exclude list), besides folders starting with _ or .
_JEKYLL_EXCLUDED = ("Gemfile", "Gemfile.lock", "gemfiles", "node_modules", "vendor", "package.json",
                    "package-lock.json", "yarn.lock")


@dataclass(frozen=True)
class Layout:
    """The conventions of the generator a journal was written for ('publog' for none).

    Folders are relative to the journal; permalink folders to the entries folder.
    """

    name: str = "auto"  # one of NAMES; 'auto' until settle() has looked
    source: str = ""  # the old generator's config file, for problems and the docs
    permalinks: tuple[tuple[str, str], ...] = ()  # (folder, pattern): entries below folder get pattern; '' any other
    posts: tuple[str, ...] = ()  # Jekyll: folders of posts; a file elsewhere is a page only with front matter
    drafts: tuple[str, ...] = ()  # folders whose entries are drafts (Jekyll's _drafts)
    skip: tuple[str, ...] = ()  # folders holding no entries (Jekyll's _layouts, a vault's templates)
    static: tuple[tuple[str, str], ...] = ()  # (journal folder, site folder) copied as they are
    folder_categories: bool = False  # Pelican: an article's folder is its category when it names none

    @property
    def imported(self) -> bool:
        """Whether the journal was written for another tool, whose habits publog then follows."""
        return self.name not in ("auto", "publog")


@dataclass(frozen=True)
class Publish:
    """Which notes of a vault go out: publish: in publog.yaml."""

    require: bool = False  # only notes whose properties say publish: true (Obsidian Publish's convention)
    exclude: tuple[str, ...] = ()  # folders (below the entries folder) never published


# --- publog.yaml settings ---------------------------------------------------------------------------

SETTINGS = ("layout", "publish", "topics_from")


def setting(key: str, value: Any, line: int, file: str) -> tuple[Any, list[Problem]]:
    """Check one of SETTINGS as publog.yaml gives it; returns its value (the default when it is wrong)."""
    if key == "layout":
        if value not in NAMES:
            return Layout(), [error(file, line, f"'layout' must be one of {', '.join(NAMES)}, not {value!r}")]
        return Layout(name=value), []
    if key == "publish":
        hint = "'publish' must be a mapping such as {require: true, exclude: [Private, Templates]}"
        if not isinstance(value, dict) or any(k not in ("require", "exclude") for k in value):
            return Publish(), [error(file, line, hint)]
        require, exclude = value.get("require", False), value.get("exclude", [])
        if isinstance(exclude, str):
            exclude = [exclude]
        if not isinstance(require, bool):
            return Publish(), [error(file, line, "'publish.require' must be true or false")]
        if not isinstance(exclude, list) or not all(isinstance(f, str) and f.strip() and ".." not in f for f in exclude):
            return Publish(), [error(file, line, "'publish.exclude' must be a list of folders, such as [Private, Templates]")]
        return Publish(require, tuple(f.strip().strip("/") for f in exclude)), []
    if key == "topics_from":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or any(v not in TOPIC_SOURCES for v in value):
            return TOPIC_SOURCES, [error(file, line, "'topics_from' must be a list of tags and categories, such as [tags]")]
        return tuple(dict.fromkeys(value)), []
    raise KeyError(key)


# --- detection ---------------------------------------------------------------------------------------


def detect(root: Path) -> str:
    """The generator ``root`` was written for, from a few stats: a NAMES entry or 'quartz', 'publog' for none."""
    if (root / QUARTZ_CONFIG).is_file() and (root / QUARTZ_CONTENT).is_dir():
        return "quartz"  # before the vault: a garden's repository may be opened as a vault, Quartz's source and all
    if (root / OBSIDIAN).is_dir() or (root / "entries" / OBSIDIAN).is_dir():
        return "obsidian"
    if any((root / name).is_file() for name in HUGO_CONFIGS) and (root / "content").is_dir():
        return "hugo"
    if any((root / name).is_file() for name in JEKYLL_CONFIGS) and (root / "_posts").is_dir():
        return "jekyll"
    if (root / "pelicanconf.py").is_file():
        return "pelican"
    if any((root / name).is_file() for name in ELEVENTY_CONFIGS):
        return "eleventy"
    return "publog"


def fingerprint(root: Path) -> bytes:
    """The bytes of every file detection and settle() read: when they change, the build must look again."""
    parts = [str(detect(root)).encode()]
    for name in _MARKERS + _eleventy_data_files(root):
        try:
            parts.append(name.encode() + b"\0" + files.read_bytes(root / name))
        except OSError:
            continue
    return b"\0".join(parts)


def skipped(root: Path) -> list[Path]:
    """Folders of the journal that hold no entries, for the generator it was written for."""
    name = detect(root)
    if name == "jekyll":
        return [root / f for f in _jekyll_skip(root)]
    if name == "obsidian":
        return [root / f for f in _vault_templates(root)]
    if name == "quartz":
        return [root / f for f in _quartz(root).layout.skip]
    if name == "eleventy":
        return [root / f for f in _eleventy_found(root).layout.skip]
    return []


# --- settle: a Config with what was found -----------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    layout: Layout
    entries: str | None = None  # the entries folder, '.' for the journal itself
    permalink: str | None = None  # the journal-wide pattern
    settings: tuple[tuple[str, Any], ...] = ()  # title, base_url ... from the old config
    problems: tuple[Problem, ...] = ()


def settle(root: Path, config: Config, problems: list[Problem], config_file: str) -> tuple[Config, list[Problem]]:
    """``config`` with the layout of ``root`` filled in, where publog.yaml does not say otherwise."""
    name = config.layout.name
    if name == "auto":
        name = detect(root)
    if name == "publog":
        # A folder of notes with neither publog.yaml nor entries/ (a TIL repository, a wiki) has URLs that follow its
        # paths, as GitHub shows them; publog's own journal keeps its dated ones.
        plain = not (root / config_file).is_file() and not (root / config.entries).is_dir()
        return replace(config, layout=Layout(name="publog", permalinks=(("", NOTES_PERMALINK),) if plain else ())), problems
    found = {"hugo": _hugo, "jekyll": _jekyll, "pelican": _pelican, "eleventy": _eleventy_found,
             "obsidian": _obsidian, "quartz": _quartz}[name](root)
    declared = _declared(root, config_file)
    changes: dict[str, Any] = {"layout": found.layout}
    if found.entries is not None and "entries" not in declared and not (root / "entries").is_dir():
        changes["entries"] = found.entries
    if found.permalink is not None and "permalink" not in declared:
        changes["permalink"] = found.permalink
    elif "permalink" in declared:
        changes["layout"] = replace(found.layout, permalinks=())  # publog.yaml's pattern is every entry's
    for key, value in found.settings:
        if key not in declared and value:
            changes[key] = value
    return replace(config, **changes), problems + list(found.problems)


def _declared(root: Path, config_file: str) -> set[str]:
    """The settings publog.yaml gives itself."""
    try:
        text = files.read_text(root / config_file, "utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return set()
    doc, _ = yamltext.load(text, config_file)
    return set(doc.value) if doc is not None and isinstance(doc.value, dict) else set()


def _site(title: Any = None, description: Any = None, base_url: Any = None, language: Any = None,
          timezone: Any = None, author: Any = None) -> tuple[tuple[str, Any], ...]:
    """The old site's own settings that publog has too, when they are usable as they are."""
    found: list[tuple[str, Any]] = list(_author(author))
    for key, value in (("title", title), ("description", description), ("language", language)):
        if isinstance(value, str) and value.strip():
            found.append((key, value.strip()))
    if isinstance(base_url, str) and re.match(r"^https?://[^/\s]+(/\S*)?$", base_url):
        found.append(("base_url", base_url if base_url.endswith("/") else base_url + "/"))
    if isinstance(timezone, str) and _zone_ok(timezone):
        found.append(("timezone", timezone))
    return tuple(found)


def _author(value: Any) -> tuple[tuple[str, Any], ...]:
    """The author an old config names: a name, or a mapping with one (Jekyll's, Hugo's, Eleventy's data).

    Only the name and a web address are taken: an email address is published (as where replies go) only
    when publog.yaml gives it.
    """
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, dict):
        name, url = value.get("name"), value.get("url") or value.get("uri")
    else:
        name, url = value, None
    if not isinstance(name, str) or not name.strip():
        return ()
    web = url if isinstance(url, str) and re.match(r"^https?://[^/\s]+(/\S*)?$", url) else ""
    return (("author", Author(name=name.strip(), url=web)),)


def _zone_ok(name: str) -> bool:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


# --- Hugo ----------------------------------------------------------------------------------------------

# Hugo's permalink tokens -> publog's fields (see urls.PERMALINK_FIELDS).
_HUGO_TOKENS = {"year": "{year}", "month": "{month}", "day": "{day}", "title": "{title}", "slug": "{title}",
                "filename": "{name}", "contentbasename": "{name}", "slugorfilename": "{name}",
                "slugorcontentbasename": "{name}", "section": "{section}", "sections": "{folder}"}


def _hugo(root: Path) -> _Found:
    file = next((n for n in HUGO_CONFIGS if (root / n).is_file()), "")
    data, lines, problems = _load_config(root, file) if file else ({}, {}, [])
    data = {str(k).lower(): v for k, v in data.items()}
    lines = {k.lower(): v for k, v in lines.items()}
    content = data.get("contentdir") if isinstance(data.get("contentdir"), str) else "content"
    ugly = data.get("uglyurls") is True
    default = "/{path}.html" if ugly else "/{path}/"
    permalinks: list[tuple[str, str]] = []
    raw = data.get("permalinks")
    if isinstance(raw, dict):
        raw = raw.get("page", raw) if isinstance(raw.get("page"), dict) else raw
        for section, pattern in raw.items():
            if not isinstance(pattern, str):
                continue
            translated, unknown = _translate(pattern, r":(\w+)", _HUGO_TOKENS)
            if unknown:
                problems.append(warning(file, lines.get("permalinks", 1), f"the permalink of '{section}' uses {unknown}, "
                                        "which publog has no field for; its pages get Hugo's default URLs"))
            else:
                permalinks.append((str(section).strip("/"), translated))
    static = str(data["staticdir"]) if isinstance(data.get("staticdir"), str) else "static"
    layout = Layout(name="hugo", source=file, permalinks=tuple(permalinks) + (("", default),),
                    static=((static, ""),) if static != "static" else ())
    site = _site(data.get("title"), _param(data, "description"), data.get("baseurl"), data.get("languagecode"),
                 data.get("timezone"), _param(data, "author") or data.get("author"))
    return _Found(layout, content, default, site, tuple(problems))


def _param(data: dict[str, Any], key: str) -> Any:
    params = data.get("params")
    return params.get(key) if isinstance(params, dict) else None


# --- Jekyll --------------------------------------------------------------------------------------------

_JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_JEKYLL_TOKENS = {"year": "{year}", "month": "{month}", "day": "{day}", "title": "{slug}", "slug": "{slug}",
                  "categories": "{categories}", "output_ext": ".html"}


def _jekyll(root: Path) -> _Found:
    file = next((n for n in JEKYLL_CONFIGS if (root / n).is_file()), "")
    data, lines, problems = _load_config(root, file) if file else ({}, {}, [])
    written = data.get("permalink", "date")
    pattern = _JEKYLL_STYLES.get(written, written) if isinstance(written, str) else _JEKYLL_STYLES["date"]
    translated, unknown = _translate(pattern, r":([a-z_]+)", _JEKYLL_TOKENS)
    if unknown:
        problems.append(warning(file, lines.get("permalink", 1), f"the permalink uses {unknown}, which publog has no "
                                "field for; posts get Jekyll's default URLs (/:categories/:year/:month/:day/:title.html)"))
        translated = "/{categories}/{year}/{month}/{day}/{slug}.html"
    pages = "/{path}/" if translated.endswith("/") else "/{path}.html"
    layout = Layout(name="jekyll", source=file,
                    permalinks=(("_posts", translated), ("_drafts", translated), ("", pages)),
                    posts=("_posts", "_drafts"), drafts=("_drafts",), skip=_jekyll_skip(root, data))
    base = data.get("url")
    if isinstance(base, str) and isinstance(data.get("baseurl"), str):
        base = base.rstrip("/") + "/" + data["baseurl"].strip("/")
    site = _site(data.get("title"), data.get("description"), base, data.get("lang"), data.get("timezone"), data.get("author"))
    return _Found(layout, ".", translated, site, tuple(problems))


def _jekyll_skip(root: Path, data: dict[str, Any] | None = None) -> tuple[str, ...]:
    """Jekyll reads no page from folders starting with '_' (but _posts and _drafts) nor from excluded ones."""
    if data is None:
        file = next((n for n in JEKYLL_CONFIGS if (root / n).is_file()), "")
        data = _load_config(root, file)[0] if file else {}
    excluded = data.get("exclude")
    extra = [str(e).strip("/") for e in excluded if isinstance(e, str)] if isinstance(excluded, list) else []
    try:
        folders = [e.name for e in os.scandir(root) if e.is_dir(follow_symlinks=False)]
    except OSError:
        folders = []
    underscored = [f for f in folders if f.startswith("_") and f not in ("_posts", "_drafts")]
    return tuple(sorted(set(underscored + [f for f in _JEKYLL_EXCLUDED + tuple(extra) if f in folders])))


# --- Pelican -------------------------------------------------------------------------------------------

_PELICAN_TOKENS = {"slug": "{title}", "date:%Y": "{year}", "date:%m": "{month}", "date:%d": "{day}",
                   "category": "{category}"}


def _pelican(root: Path) -> _Found:
    settings, lines, problems = _python_settings(root / "pelicanconf.py", "pelicanconf.py")
    published, _, _ = _python_settings(root / "publishconf.py", "publishconf.py")
    content = settings.get("PATH", "content")
    content = content if isinstance(content, str) and content.strip() else "content"
    content = content.strip("/") or "."
    tokens = dict(_PELICAN_TOKENS)
    if settings.get("SLUGIFY_SOURCE") == "basename":
        tokens["slug"] = "{name}"
    if isinstance(settings.get("DEFAULT_LANG"), str):
        tokens["lang"] = settings["DEFAULT_LANG"]
    patterns: dict[str, str] = {}
    for key, default in (("ARTICLE_URL", "{slug}.html"), ("PAGE_URL", "pages/{slug}.html")):
        written = settings.get(key, default)
        translated, unknown = _translate(written if isinstance(written, str) else default, r"{([^{}]+)}", tokens)
        if unknown:
            problems.append(warning("pelicanconf.py", lines.get(key, 1), f"{key} uses {unknown}, which publog has no "
                                    f"field for; publog uses Pelican's default, {default}"))
            translated, _ = _translate(default, r"{([^{}]+)}", tokens)
        patterns[key] = translated
    page_folders = settings.get("PAGE_PATHS", ["pages"])
    page_folders = [p.strip("/") for p in page_folders if isinstance(p, str)] if isinstance(page_folders, list) else ["pages"]
    statics = settings.get("STATIC_PATHS", ["images"])
    statics = [s.strip("/") for s in statics if isinstance(s, str)] if isinstance(statics, list) else ["images"]
    prefix = "" if content == "." else content + "/"
    layout = Layout(
        name="pelican", source="pelicanconf.py",
        permalinks=tuple((p, patterns["PAGE_URL"]) for p in page_folders) + (("", patterns["ARTICLE_URL"]),),
        static=tuple((prefix + s, s) for s in statics),
        folder_categories=settings.get("USE_FOLDER_AS_CATEGORY", True) is not False,
    )
    site = _site(settings.get("SITENAME"), None, published.get("SITEURL") or settings.get("SITEURL"),
                 settings.get("DEFAULT_LANG"), settings.get("TIMEZONE"), settings.get("AUTHOR"))
    return _Found(layout, content, patterns["ARTICLE_URL"], site, tuple(problems))


def _python_settings(path: Path, shown: str) -> tuple[dict[str, Any], dict[str, int], list[Problem]]:
    """The plain values a Pelican settings file assigns (NAME = 'value'); it is read, never run."""
    try:
        tree = ast.parse(files.read_text(path))
    except (FileNotFoundError, files.NotRegular):  # a pipe is named by the build, as every one is
        return {}, {}, []
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None) or 1
        return {}, {}, [warning(shown, line, f"cannot be read ({exc.__class__.__name__}); Pelican's defaults are used")]
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                values[node.targets[0].id] = ast.literal_eval(node.value)
                lines[node.targets[0].id] = node.lineno
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                continue  # computed from other settings: not a value publog can use
    return values, lines, []


# --- Eleventy ------------------------------------------------------------------------------------------


def _eleventy(root: Path) -> tuple[str, tuple[str, ...], str]:
    """Eleventy's input folder, the folders in it that hold no pages, and its global data folder."""
    text = ""
    for name in ELEVENTY_CONFIGS:
        try:
            text = files.read_text(root / name)
            break
        except (OSError, UnicodeDecodeError):
            continue
    found = re.search(r"""\binput\s*:\s*["']([^"']+)["']""", text)
    source = found.group(1).strip("./") if found else ""
    prefix = source + "/" if source else ""
    includes = re.search(r"""\bincludes\s*:\s*["']([^"']+)["']""", text)
    data = re.search(r"""\bdata\s*:\s*["']([^"']+)["']""", text)
    data_dir = prefix + (data.group(1).strip("./") if data else "_data")
    skip = [prefix + (includes.group(1) if includes else "_includes"), data_dir]
    try:
        ignored = files.read_text(root / ".eleventyignore").splitlines()
    except (OSError, UnicodeDecodeError):
        ignored = []
    skip += [line.strip().strip("./").rstrip("/") for line in ignored if line.strip() and not line.startswith("#")
             and "*" not in line and (root / line.strip()).is_dir()]
    return source or ".", tuple(sorted(set(skip))), data_dir


def _eleventy_found(root: Path) -> _Found:
    source, skip, data_dir = _eleventy(root)
    file = next((n for n in ELEVENTY_CONFIGS if (root / n).is_file()), "")
    permalinks: list[tuple[str, str]] = []
    drafts: list[str] = []
    unpublished: list[str] = []
    problems: list[Problem] = []
    prefix = "" if source == "." else source + "/"
    for folder, shown, data, text in _eleventy_folder_data(root, source, skip):
        written = data.get("permalink")
        if written is False:
            unpublished.append(prefix + folder)  # Eleventy writes no page of these files: data for other pages
        elif isinstance(written, str):
            pattern, unknown = _eleventy_permalink(written)
            if unknown:
                problems.append(warning(shown, jsvalues.line_of(text, "permalink"), f"the permalink uses {unknown}, "
                                        f"which publog has no field for; the pages in {prefix + folder}/ get Eleventy's "
                                        "default URLs (their paths)"))
            else:
                permalinks.append((folder, pattern))
        if data.get("draft") is True:
            drafts.append(folder)
    layout = Layout(name="eleventy", source=file, permalinks=tuple(permalinks) + (("", "/{path}/"),),
                    drafts=tuple(drafts), skip=tuple(sorted(set(skip) | set(unpublished))))
    return _Found(layout, source, "/{path}/", _eleventy_site(root, data_dir), tuple(problems))


# A folder's data file, lowest priority first: Eleventy merges them, the later winning.
_DIRECTORY_DATA = (".json", ".11tydata.json", ".11tydata.mjs", ".11tydata.cjs", ".11tydata.js")
_GLOBAL_DATA = ("metadata", "meta", "site")  # the files naming the site, the later winning; author.* names its author
_DATA_SUFFIXES = (".json", ".mjs", ".cjs", ".js")


def _eleventy_folder_data(root: Path, source: str, skip: Iterable[str]) -> list[tuple[str, str, dict[str, Any], str]]:
    """(folder below the input folder, file shown in problems, its merged data, the text of the file that gave
    its permalink) of each folder with a directory data file (posts/posts.json, posts/posts.11tydata.js)."""
    base = root if source == "." else root / source
    skipped = {root / f for f in skip}
    found: list[tuple[str, str, dict[str, Any], str]] = []
    pending = [(base, "")]
    while pending:
        here, relative = pending.pop()
        try:
            listing = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError:
            continue
        names = {e.name for e in listing}
        if relative:
            data: dict[str, Any] = {}
            shown, text = "", ""
            for suffix in _DIRECTORY_DATA:
                name = here.name + suffix
                if name in names:
                    read, raw = _data_file(here / name)
                    if "permalink" in read:
                        shown, text = (Path(here, name).relative_to(root)).as_posix(), raw
                    data.update(read)
            if data:
                found.append((relative, shown or here.relative_to(root).as_posix(), data, text))
        for item in listing:
            if (item.is_dir(follow_symlinks=False) and not item.name.startswith(".") and item.name != "node_modules"
                    and Path(item.path) not in skipped):
                pending.append((Path(item.path), f"{relative}/{item.name}".lstrip("/")))
    return found


def _data_file(path: Path) -> tuple[dict[str, Any], str]:
    """The values of an Eleventy data file (JSON, or a module read as text), and its text."""
    try:
        text = files.read_text(path, "utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}, ""
    if path.suffix == ".json":
        try:
            value = json.loads(text)
        except ValueError:
            return {}, text
        return (value if isinstance(value, dict) else {}), text
    return jsvalues.exported(text), text


def _eleventy_data_files(root: Path) -> tuple[str, ...]:
    """The global data files publog reads, for the build's fingerprint."""
    if detect(root) != "eleventy":
        return ()
    data_dir = _eleventy(root)[2]
    return tuple(f"{data_dir}/{name}{suffix}" for name in (*_GLOBAL_DATA, "author") for suffix in _DATA_SUFFIXES)


def _eleventy_site(root: Path, data_dir: str) -> tuple[tuple[str, Any], ...]:
    """The site's title, description, URL, language and author from Eleventy's global data (_data/site.js ...)."""
    def read(name: str) -> dict[str, Any]:
        for suffix in _DATA_SUFFIXES:
            if (root / data_dir / (name + suffix)).is_file():
                return _data_file(root / data_dir / (name + suffix))[0]
        return {}

    site: dict[str, Any] = {}
    for name in _GLOBAL_DATA:
        site.update(read(name))
    base = next((site[k] for k in ("url", "baseUrl", "baseURL", "base_url") if isinstance(site.get(k), str)), None)
    return _site(site.get("title"), site.get("description"), base, site.get("language") or site.get("lang"),
                 None, site.get("author") or read("author"))


# Eleventy permalink expressions -> publog's fields. page.fileSlug is the file's name without its date, or an
# index file's folder's; publog's {slug}, which is the same in slug form (as the slug filter writes it).
_ELEVENTY_FIELDS = {"page.fileSlug": "{slug}", "fileSlug": "{slug}", "slug": "{slug}", "page.filePathStem": "{path}",
                    "title": "{title}", "page.date.getFullYear()": "{year}"}
_ELEVENTY_FILTERS = ("slug", "slugify", "url", "lower")
_DATE_TOKENS = {"%Y": "{year}", "%m": "{month}", "%d": "{day}", "yyyy": "{year}", "MM": "{month}", "dd": "{day}"}


def _eleventy_permalink(written: str) -> tuple[str, str]:
    """An Eleventy permalink template in publog's fields; and the first expression publog has none for."""
    unknown: list[str] = []

    def field(match: re.Match[str]) -> str:
        head, *filters = [part.strip() for part in match.group(1).split("|")]
        if head in ("page.date", "date") and len(filters) == 1:
            format = re.fullmatch(r"""date\s*(?::\s*|\(\s*)(["'])(.*?)\1\s*\)?""", filters[0])
            if format:
                parts = re.split(r"(%[Ymd]|yyyy|MM|dd)", format.group(2))
                if all(p in _DATE_TOKENS or re.fullmatch(r"[-/_.]*", p) for p in parts):
                    return "".join(_DATE_TOKENS.get(p, p) for p in parts)
        elif head in _ELEVENTY_FIELDS and all(f in _ELEVENTY_FILTERS for f in filters):
            return _ELEVENTY_FIELDS[head]
        unknown.append(match.group(0))
        return match.group(0)

    pattern = re.sub(r"{{-?\s*(.*?)\s*-?}}", field, written)
    if not unknown and "{%" in pattern:
        unknown.append(pattern[pattern.index("{%"):].split("%}", 1)[0] + "%}")
    pattern = "/" + pattern.strip().lstrip("/")
    if pattern.endswith("/index.html"):
        pattern = pattern[: -len("index.html")]  # Eleventy writes blog/x/index.html: the page /blog/x/
    if not unknown and urls.pattern_problem(pattern):
        unknown.append(written)
    return pattern, unknown[0] if unknown else ""


# --- Quartz --------------------------------------------------------------------------------------------

# Quartz's own filters; any other is code publog cannot run.
_QUARTZ_FILTERS = ("RemoveDrafts", "ExplicitPublish")


def _quartz(root: Path) -> _Found:
    """A Quartz 4 garden: its content/ folder is a vault; quartz.config.ts gives the notes left out, title and URL."""
    try:
        text = files.read_text(root / QUARTZ_CONFIG, "utf-8-sig")
    except (OSError, UnicodeDecodeError):
        text = ""
    settings, _ = jsvalues.find_object(text, "configuration")
    patterns = settings.get("ignorePatterns")
    patterns = [p for p in patterns if isinstance(p, str)] if isinstance(patterns, list) else []
    ignored, problems = _quartz_ignored(root, patterns, jsvalues.line_of(text, "ignorePatterns"))
    vault = _obsidian(root / QUARTZ_CONTENT).layout
    layout = replace(vault, name="quartz", source=QUARTZ_CONFIG,
                     skip=tuple(sorted({f"{QUARTZ_CONTENT}/{f}" for f in vault.skip} | set(ignored))))
    base = settings.get("baseUrl")
    if isinstance(base, str) and base.strip() and not re.match(r"^https?://", base):
        base = "https://" + base.strip().strip("/")  # Quartz's baseUrl is written without its scheme
    site = _site(settings.get("pageTitle"), None, base, settings.get("locale"))
    chosen = re.search(r"(?<![\w$])filters\s*:\s*\[(.*?)\]", text, re.S)
    for call in re.finditer(r"([\w$.]+)\s*\(", chosen.group(1) if chosen else ""):
        name = call.group(1).rsplit(".", 1)[-1]
        if name == "ExplicitPublish":
            site += (("publish", Publish(require=True)),)
        elif name not in _QUARTZ_FILTERS:
            line = text.count("\n", 0, chosen.start(1) + call.start()) + 1 if chosen else 1
            problems.append(warning(QUARTZ_CONFIG, line, f"the filter {name}() is code publog does not run, so the notes "
                                    "it leaves out are published unless they say draft: true; list their folders under "
                                    "publish: exclude in publog.yaml, or mark them draft: true"))
    return _Found(layout, QUARTZ_CONTENT, None, site, tuple(problems))


def _quartz_ignored(root: Path, patterns: list[str], line: int) -> tuple[list[str], list[Problem]]:
    """The folders and files of content/ that ignorePatterns leave out (relative to the journal), and warnings.

    Quartz matches a pattern against paths from content/, case-sensitively. publog also leaves out what a
    pattern without a slash names deeper down or in another case ('templates' and 99 Meta/Templates), as
    an author who wrote it meant to: never publishing what was meant to stay out, and saying so.
    """
    exact: list[tuple[str, re.Pattern[str]]] = []
    loose: list[tuple[str, re.Pattern[str]]] = []
    problems: list[Problem] = []
    for pattern in dict.fromkeys(patterns):
        found = jsvalues.glob_regex(pattern)
        if found is None:
            if not pattern.strip().startswith("!") or re.search(r"[!@?*+]\(", pattern):
                problems.append(warning(QUARTZ_CONFIG, line, f"publog cannot read the ignorePatterns entry {pattern!r}, so "
                                        "what it leaves out is published; write it with *, ** and ? only, or list the "
                                        "folders under publish: exclude in publog.yaml"))
            continue
        exact.append((pattern, found))
        if "/" not in pattern.strip().strip("/"):
            loose.append((pattern, re.compile(found.pattern, re.I)))
    left: list[str] = []
    broader: dict[str, list[str]] = {}
    content = root / QUARTZ_CONTENT
    pending = [(content, "")]
    while pending and (exact or loose):
        here, prefix = pending.pop()
        try:
            listing = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError:
            continue
        for item in listing:
            relative = prefix + item.name
            if any(regex.fullmatch(relative) for _, regex in exact):
                left.append(f"{QUARTZ_CONTENT}/{relative}")
                continue
            widely = next((p for p, regex in loose if regex.fullmatch(item.name)), None)
            if widely is not None:
                left.append(f"{QUARTZ_CONTENT}/{relative}")
                broader.setdefault(widely, []).append(relative)
                continue
            if item.is_dir(follow_symlinks=False) and not item.name.startswith("."):
                pending.append((Path(item.path), relative + "/"))
    for pattern, paths in broader.items():
        shown = ", ".join(sorted(paths)[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        problems.append(warning(QUARTZ_CONFIG, line, f"ignorePatterns {pattern!r} also leaves out {shown}: publog reads a "
                                "name without a slash at any depth and in any case, which Quartz does not; write "
                                "the path from content/ to say which one you mean"))
    return left, problems


# --- Obsidian ------------------------------------------------------------------------------------------


def _obsidian(root: Path) -> _Found:
    return _Found(Layout(name="obsidian", source=OBSIDIAN, permalinks=(("", NOTES_PERMALINK),), skip=_vault_templates(root)), ".")


def _vault_templates(root: Path) -> tuple[str, ...]:
    """The vault's templates folders, as its Templates and Templater settings name them."""
    found = []
    for name, key in zip(_TEMPLATE_SETTINGS, ("folder", "templates_folder"), strict=True):
        try:
            value = json.loads(files.read_text(root / name)).get(key)
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(value, str) and value.strip("/ ") and ".." not in value:
            found.append(value.strip("/ "))
    return tuple(sorted(set(found)))


# --- shared ---------------------------------------------------------------------------------------------


def _load_config(root: Path, file: str) -> tuple[dict[str, Any], dict[str, int], list[Problem]]:
    """A generator's TOML, YAML or JSON config: its top-level values and their lines."""
    try:
        text = files.read_text(root / file, "utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}, {}, [warning(file, 1, "cannot be read as UTF-8 text; its settings are not used")]
    if file.endswith(".toml"):
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            return {}, {}, [warning(file, 1, f"is not valid TOML ({exc}); its settings are not used")]
        lines: dict[str, int] = {}
        for index, line in enumerate(text.splitlines()):
            key = re.match(r"^\s*\[?\s*([A-Za-z0-9_]+)", line)
            if key and not line.lstrip().startswith("#"):
                lines.setdefault(key.group(1), index + 1)
        return data, lines, []
    if file.endswith(".json"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            return {}, {}, [warning(file, 1, f"is not valid JSON ({exc}); its settings are not used")]
        return (data if isinstance(data, dict) else {}), {}, []
    doc, problems = yamltext.load(text, file)
    if doc is None or not isinstance(doc.value, dict):
        return {}, {}, [replace(p, severity="warning", message=p.message + "; its settings are not used") for p in problems]
    return doc.value, doc.key_lines, []


load_config = _load_config  # for read/ignores.py, which reads what the same configs leave out
python_settings = _python_settings


def eleventy_input(root: Path) -> str:
    """Eleventy's input folder, '.' for the project's."""
    return _eleventy(root)[0]


def _translate(pattern: str, token: str, fields: dict[str, str]) -> tuple[str, str]:
    """An old generator's permalink pattern in publog's fields; and the first token publog has none for."""
    unknown: list[str] = []

    def field(match: re.Match[str]) -> str:
        name = next(g for g in match.groups() if g is not None)
        if name in fields:
            return fields[name]
        unknown.append(match.group(0))
        return match.group(0)

    translated = re.sub(token, field, pattern)
    translated = "/" + translated.lstrip("/")
    if not unknown and urls.pattern_problem(translated):
        unknown.append(pattern)
    return translated, unknown[0] if unknown else ""


# --- static files ---------------------------------------------------------------------------------------


def static_files(root: Path, layout: Layout, out: Path, assets: Iterable[str] = ()) -> list[tuple[str, Path]]:
    """(site file, journal file) of the old site's files that are copied as they are.

    The folders the layout names (Pelican's images, Hugo's staticDir), and for Jekyll every
    file it would have copied: outside folders starting with _ or ., neither Markdown nor
    processed by Jekyll (front matter). Files already copied as an entry's asset, and files
    publog writes itself (robots.txt, 404.html ...), are left out.
    """
    taken = set(assets)
    found: list[tuple[str, Path]] = []
    for folder, site in layout.static:
        for path, relative in _walk(root / folder, out):
            found.append(((site.strip("/") + "/" + relative).lstrip("/"), path))
    if layout.name == "jekyll":
        skip = set(layout.skip) | {"static", "theme", "mentions", "publog.yaml", "network.yaml"}  # publog's own
        for path, relative in _walk(root, out, skip, underscored=False):
            if not relative.lower().endswith(ENTRY_SUFFIXES) and not _front_matter(path):
                found.append((relative, path))
    from . import ignores

    rules = ignores.of(root)  # what the old generator never copies: its ignore rules
    return [(file, path) for file, path in found
            if path.relative_to(root).as_posix() not in taken and not urls.reserved(file)
            and rules.leaves_out(path.relative_to(root).as_posix()) is None]


def _walk(folder: Path, out: Path, skip: Iterable[str] = (), underscored: bool = True) -> list[tuple[Path, str]]:
    """Files below ``folder`` with their paths relative to it: no hidden ones, nothing of the output folder,
    and with ``underscored`` false none whose name starts with _ (Jekyll copies none of those)."""
    skip = set(skip)
    found: list[tuple[Path, str]] = []
    if not folder.is_dir():
        return found
    real_out = os.path.realpath(out)
    real_folder = os.path.realpath(folder)
    pending = [(folder, "")]
    while pending:
        here, prefix = pending.pop()
        try:
            listing = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError:
            continue
        for item in listing:
            name = prefix + item.name
            if (item.name.startswith(".") or name in skip or item.name in _JEKYLL_EXCLUDED
                    or (not underscored and item.name.startswith("_"))):
                continue
            real = os.path.realpath(item.path)
            if real == real_out or not (real == real_folder or real.startswith(real_folder + os.sep)):
                continue  # the site itself, or a link to something outside: never copied
            if item.is_dir():
                pending.append((Path(item.path), name + "/"))
            elif item.is_file():
                found.append((Path(item.path), name))
    return sorted(found, key=lambda f: f[1])


def _front_matter(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4).rstrip(b"\r\n") == b"---"
    except OSError:
        return False
