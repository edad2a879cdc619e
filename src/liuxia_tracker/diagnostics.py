"""Problems as values.

Guarantees: a `Diagnostic` is frozen, ordered by (path, line, column, code, message) so every
run reports the same problems in the same order, and formats as `path:line:col: CODE message`.
Lines and columns are 1-based. Loading and checking return diagnostics; they never raise for bad
input. `TrackerError` is the one exception family, for the fatal (usage errors, refused writes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class Severity(StrEnum):
    ERROR = "error"
    # No rule reports a warning yet; the CI formats already annotate the two kinds apart, as
    # GitHub and GitLab do, and a warning alone does not fail `check`.
    WARNING = "warning"


@dataclass(frozen=True, order=True, slots=True)
class Diagnostic:
    path: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = field(default=Severity.ERROR, compare=False)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"


class Finding(NamedTuple):
    """What a rule says about one figure: its stable code, the figure field it is about (where
    every caller points: a column in a figure file, a column of an import row), and the
    sentence. The same figure gets the same finding from `check`, `record` and `import`."""

    code: str
    field: str
    message: str


class TrackerError(Exception):
    """A fatal error with a one-line message and the exit code the command line should use."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(TrackerError):
    """The command was called wrongly (exit code 2)."""

    exit_code = 2


def exit_code_for(diagnostics: list[Diagnostic]) -> int:
    """0 when nothing is wrong, 1 when any error was found (warnings alone do not fail)."""
    return 1 if any(d.severity is Severity.ERROR for d in diagnostics) else 0
