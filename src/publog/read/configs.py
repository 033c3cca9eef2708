"""Other generators' own config files, read as text and never run.

Hugo's, Jekyll's and Eleventy's TOML, YAML or JSON with the line of each key; Pelican's
Python settings, whose plain values are read from its syntax tree; Eleventy's folders,
found in its JavaScript config by their keys. Both read/layouts/ (what a config says)
and read/ignores.py (what it leaves out) read them here.
"""

from __future__ import annotations

import ast
import json
import re
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import files
from .detect import ELEVENTY_CONFIGS
from ..settings import yamltext
from ..problems import Problem, warning


def load_config(root: Path, file: str) -> tuple[dict[str, Any], dict[str, int], list[Problem]]:
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


def python_settings(path: Path, shown: str) -> tuple[dict[str, Any], dict[str, int], list[Problem]]:
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


def eleventy_folders(root: Path) -> tuple[str, tuple[str, ...], str]:
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
