"""What a build reads, apart from its entries' text: the settings with a community's members merged
in, the theme, the folders to discover entries in, the static files, and the folders a watcher
watches. Each is found here once, for the build, the check for an unchanged journal and serve.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from . import cache as cache_mod
from ..journal import assemble as journal_mod
from ..problems import Problem, warning
from ..read import files as files_mod
from ..read import folder as read
from ..read import layouts
from ..settings import config as config_mod
from ..settings import theme as theme_mod
from ..social import community
from ..social import mentions as mentions_mod
from ..social import network as network_mod
from ..social import pulled as pulled_mod

STATIC_DIR = "static"


def watched(root: Path) -> tuple[list[Path], list[Path], Path]:
    """What a build of the journal reads, for a watcher: the folders read with everything below
    them, the folders whose own files only are read (the journal's, for publog.yaml and network.yaml;
    each member journal's), and the output folder, which is written, never read."""
    config, members, theme, _ = settings(root)
    has_setup = (root / config_mod.CONFIG_FILE).is_file() or (root / config.entries).is_dir()
    entries_dir = root / config.entries if has_setup else root
    deep = [entries_dir, *input_folders(root, theme), *(Path(f.entries) for f in members)]
    flat = [root, *(f.root for f in members)]
    if root in deep:  # a journal without an entries folder: everything in it may be an entry
        flat = [f for f in flat if f != root]
    return ([f for f in dict.fromkeys(deep) if f.is_dir()], [f for f in dict.fromkeys(flat) if f.is_dir()],
            root / config.output)


def settings(root: Path) -> tuple[config_mod.Config, list[community.Folder], theme_mod.Theme, list[Problem]]:
    """The settings as a build reads them (with a community's members' merged in), the members'
    folders and the theme, for what runs beside builds."""
    config, problems = config_mod.load(root)
    members, more = member_folders(root, config)
    config = community.merged(config, members)
    theme, most = theme_mod.resolve(root, config.theme, own(root, config))
    return config, members, theme, problems + more + most


def own(root: Path, config: config_mod.Config) -> bool:
    """Whether the journal is publog's own: its `theme/` folder then overrides publog's templates."""
    return (root / config_mod.CONFIG_FILE).is_file() or not config.layout.imported


def member_folders(root: Path, config: config_mod.Config) -> tuple[list[community.Folder], list[Problem]]:
    """A community's member folders, their problems named at publog.yaml's ``members:`` line."""
    if not config.members:
        return [], []
    return community.folders(root, config.members, config.permalink, config_mod.CONFIG_FILE,
                             line_of(root / config_mod.CONFIG_FILE, "members"))


def local_address(root: Path, config: config_mod.Config, asked: str | None) -> list[Problem]:
    """A warning when a site is built to be published at this machine's address: its canonical links,
    feed ids, sitemap and share posts would all point at localhost (publog.yaml's default). Said where
    publog.yaml speaks of base_url (`publog init` writes it, commented out) or --base-url asks for it."""
    from urllib.parse import urlsplit

    if not _this_machine((urlsplit(config.base_url).hostname or "").lower()):
        return []
    settings = root / config_mod.CONFIG_FILE
    # The line that sets it, else the commented line `publog init` writes for it. A journal whose publog.yaml
    # says nothing of it (a folder of notes looked at locally) is not being set up for the web.
    line = written_line(settings, "base_url") or written_line(settings, "# base_url")
    if line is None and not asked:
        return []
    return [warning(config_mod.CONFIG_FILE, line or 1,
                    f"{'--base-url' if asked else 'base_url'} is {config.base_url}, this machine's address, so the "
                    "site's links, feeds and sitemap point at it; set base_url in publog.yaml to where the site will "
                    "live (https://example.org/), or build with --base-url")]


def _this_machine(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def line_of(path: Path, key: str) -> int:
    """The line of a top-level key of a YAML file, for problems found after its settings were read."""
    return written_line(path, key) or 1


def written_line(path: Path, key: str) -> int | None:
    """The line where a file starts ``key:``, or None."""
    for number, line in enumerate(file_bytes(path).decode("utf-8", "replace").splitlines(), 1):
        if line.startswith(f"{key}:"):
            return number
    return None


def file_bytes(path: Path) -> bytes:
    try:
        return files_mod.read_bytes(path)
    except OSError:
        return b""


def skipped_folders(root: Path, entries_dir: Path, out: Path) -> list[Path]:
    """Folders below the entries folder that hold no entries."""
    skip = [out, root / cache_mod.CACHE_DIR, root / "theme"]
    if entries_dir == root:
        skip += [root / STATIC_DIR, root / mentions_mod.MENTIONS_DIR, root / pulled_mod.PULLED_DIR]
    return skip + layouts.skipped(root)  # an old generator's folders of templates and includes


def input_folders(root: Path, theme: theme_mod.Theme) -> list[Path]:
    """Folders whose every file a build may read: the journal's theme and static files, the theme."""
    return list(dict.fromkeys([root / "theme", root / STATIC_DIR, root / mentions_mod.MENTIONS_DIR, root / pulled_mod.PULLED_DIR, *theme.folders]))


def linked_out(root: Path, entries_dir: Path) -> list[Problem]:
    """The entries and static folders that are links to folders outside the journal: followed, since people
    keep them elsewhere on purpose, and said once, since a build publishes what they hold."""
    journal = os.path.realpath(root)
    return [warning(folder.relative_to(root).as_posix(), 1, "is a link to a folder outside the journal; publog reads it "
                    "and publishes what it holds as if it were in the journal (links inside it to other places are left out)")
            for folder in dict.fromkeys([entries_dir, root / STATIC_DIR])
            if folder != root and folder.is_symlink() and folder.is_dir() and not read.inside(str(folder), journal)]


def not_regular(root: Path, theme: theme_mod.Theme) -> list[str]:
    """Named pipes, sockets and devices among the settings files and in the folders whose every file a
    build reads: each is skipped where it is read (opening a pipe would wait for a writer), and named here."""
    # publog.yaml is not among them: settings that cannot be read are an error (settings/config.py), since building
    # without them could publish what they keep private.
    found = [name for name in (network_mod.NETWORK_FILE, *layouts.MARKERS) if files_mod.irregular(root / name)]
    pending = [str(f) for f in input_folders(root, theme) if not str(f).startswith(str(theme_mod.BUILTIN))]
    while pending:
        try:
            listing = list(os.scandir(pending.pop()))
        except OSError:
            continue
        for item in listing:
            if item.name.startswith("."):
                continue
            if item.is_dir(follow_symlinks=False):
                pending.append(item.path)
            elif not item.is_file() and files_mod.irregular(item.path):
                found.append(files_mod.shown(item.path, root))
    return found


def input_files(root: Path, found: read.Found, shelves: Shelves = ()) -> list[Path]:
    """Every file besides the entries whose change may change the site; git's own, since its last commits
    date the entries' updates."""
    return ([root / name for name in found.files] + [Path(file) for _, _, *more in shelves for file in more if file]
            + read.git_state(root))


# A community's member folders, as the check for an unchanged journal finds them again without
# reading any settings: (entries folder, its path from the journal, the member's publog.yaml or "",
# the member's network.yaml).
Shelves = tuple[tuple[str, ...], ...]


def shelves_of(members: list[community.Folder]) -> Shelves:
    return tuple((str(f.entries), f.prefix, str(f.root / config_mod.CONFIG_FILE) if f.config else "",
                  str(f.root / network_mod.NETWORK_FILE)) for f in members)


def discover(root: Path, entries_dir: Path, out: Path, shelves: Shelves) -> read.Found:
    """The journal's entry files and other files, and those of its members' folders, by journal-relative path."""
    # The members' folders, resolved once: each folder's walk leaves out the others (a community has many).
    theirs = {shelf[0]: os.path.realpath(shelf[0]) for shelf in shelves}

    def skipped(folder: Path, below: Path) -> list[str]:
        return [os.path.realpath(p) for p in skipped_folders(folder, below, out)]

    found = read.discover(root, entries_dir, skipped(root, entries_dir) + list(theirs.values()))
    entries, files, outside, irregular = dict(found.entries), set(found.files), list(found.outside), list(found.irregular)
    left_out = list(found.left_out)
    for folder, prefix, *_ in shelves:
        more = read.discover(Path(folder), Path(folder),
                             skipped(Path(folder), Path(folder)) + [real for other, real in theirs.items() if other != folder])
        entries.update((prefix + path, stat) for path, stat in more.entries.items())
        files.update(prefix + path for path in more.files)
        outside += [prefix + path for path in more.outside]
        irregular += [prefix + path for path in more.irregular]
        left_out += [replace(p, path=prefix + p.path) for p in more.left_out]
    return read.Found(entries, frozenset(files), tuple(outside), tuple(irregular), tuple(left_out))


def statics(root: Path, theme: theme_mod.Theme, journal: journal_mod.Journal, out: Path) -> list[tuple[str, str, str]]:
    """(output file, source file, stamp) for the theme's static files, the journal's and the assets."""
    found: list[tuple[str, Path]] = [(f"static/{rel}", path) for rel, path in theme.static_files().items()]
    static = root / STATIC_DIR
    if static.is_dir():
        real = os.path.realpath(static)
        for path in sorted(static.rglob("*")):
            if (path.is_file() and not any(part.startswith(".") for part in path.relative_to(static).parts)
                    and out.resolve() not in path.resolve().parents and read.inside(str(path), real)):
                found.append((path.relative_to(static).as_posix(), path))
    found += [(asset.url.lstrip("/"), root / asset.source) for asset in journal.assets]
    found += layouts.static_files(root, journal.config.layout, out, (a.source for a in journal.assets))
    statics = []
    for file, path in found:
        try:
            st = path.stat()
        except OSError:
            continue  # deleted since it was listed: the site is built without it
        statics.append((file, str(path), f"{st.st_mtime_ns}:{st.st_size}"))
    return statics
