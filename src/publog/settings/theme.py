"""A theme: where its templates and static files come from, and a digest of them all.

Lookups go from the journal's own `theme/` folder, to the theme named in
publog.yaml (a built-in one or a folder of the journal), to the default theme,
so a journal can override one template or one stylesheet and keep the rest.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..read import files as files_mod
from ..problems import Problem, error

BUILTIN = Path(str(resources.files("publog.themes")))


@dataclass(frozen=True)
class Theme:
    folders: tuple[Path, ...]  # most specific first

    @property
    def template_dirs(self) -> list[str]:
        return [str(f / "templates") for f in self.folders if (f / "templates").is_dir()]

    def static_files(self) -> dict[str, Path]:
        """Output path below static/ -> the file that wins."""
        files: dict[str, Path] = {}
        for folder in reversed(self.folders):
            static = folder / "static"
            real = os.path.realpath(static)
            for path in sorted(static.rglob("*")) if static.is_dir() else []:
                if path.is_file() and not path.name.startswith(".") and _within(path, real):
                    files[path.relative_to(static).as_posix()] = path
        return files

    def digest(self) -> str:
        """Changes whenever any template of the chain changes."""
        h = hashlib.blake2b(digest_size=16)
        for folder in self.template_dirs:
            for base, dirs, names in os.walk(folder):
                dirs.sort()
                for name in sorted(names):
                    path = os.path.join(base, name)
                    h.update(os.path.relpath(path, folder).encode() + b"\0")
                    try:
                        h.update(files_mod.read_bytes(path))
                    except files_mod.NotRegular:  # never a template (Jinja looks for files); the build names it
                        pass
        return h.hexdigest()


def _within(path: Path, folder: str) -> bool:
    """A file linked from outside the theme's folder is not published (it may be a key file)."""
    real = os.path.realpath(path)
    return real.startswith(folder + os.sep)


def resolve(root: Path, name: str, own: bool = True) -> tuple[Theme, list[Problem]]:
    """The theme chain. ``own``: the journal is publog's (a publog.yaml, or no other generator's layout);
    in a folder written for Pelican or another generator, `theme/` is that generator's theme, not an
    override of publog's templates."""
    folders = [root / "theme"] if own and (root / "theme").is_dir() else []
    if name != "default":
        builtin = BUILTIN / name
        local = root / name
        if (builtin / "templates").is_dir():
            folders.append(builtin)
        elif local.is_dir():
            folders.append(local)
        else:
            known = sorted(p.name for p in BUILTIN.iterdir() if (p / "templates").is_dir())
            return Theme((BUILTIN / "default",)), [
                error("publog.yaml", 1, f"theme '{name}' is neither a built-in theme ({', '.join(known)}) nor a folder of the journal")
            ]
    folders.append(BUILTIN / "default")
    return Theme(tuple(folders)), []
