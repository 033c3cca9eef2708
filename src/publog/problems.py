"""Problems found in a journal, as plain values that stages collect and the CLI prints."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in a journal: where it is, what it is and how to fix it."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        label = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {label}{self.message}"


def error(path: str, line: int, message: str) -> Problem:
    return Problem(path, line, message, "error")


def warning(path: str, line: int, message: str) -> Problem:
    return Problem(path, line, message, "warning")


def failure(exc: BaseException, path: str, doing: str = "", then: str = "") -> Problem:
    """An exception raised inside publog, which is a bug in publog, as one problem at ``path``: its type,
    where in publog it was raised and its message, which is what a bug report needs. ``doing`` says what
    failed (" to build the site"), ``then`` what the reader can do meanwhile ("; undo the last change")."""
    frames = traceback.extract_tb(exc.__traceback__)
    package = Path(__file__).parent
    ours = [f for f in frames if Path(f.filename).is_relative_to(package)] or frames
    at = Path(ours[-1].filename) if ours else None
    module = at.relative_to(package).as_posix() if at and at.is_relative_to(package) else at.name if at else ""
    where = f" in {module}, line {ours[-1].lineno}" if ours else ""
    what = " ".join(str(exc).split()) or "no message"
    return error(path, 1, f"publog failed{doing} ({type(exc).__name__}{where}: {what}); this is a bug in publog, "
                          f"please report it{then}")


def errors_in(problems: Iterable[Problem], strict: bool = False) -> list[Problem]:
    """The problems that stop a build: errors, and warnings too when strict."""
    return [p for p in problems if strict or p.severity == "error"]


class JournalError(Exception):
    """A problem found deep inside a stage (a template failing in a worker); carries the problems."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__(self.problems)  # args stay the problems, so the error survives pickling

    def __str__(self) -> str:
        return "\n".join(map(str, self.problems))
