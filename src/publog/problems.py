"""Problems found in a journal, as plain values that stages collect and the CLI prints."""

from __future__ import annotations

from dataclasses import dataclass
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
