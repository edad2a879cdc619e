"""Diagnostics as text (`path:line:col: CODE message`), JSON, GitHub Actions annotations or
GitLab Code Quality JSON (the CI formats live in `diagnostics_ci`)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from enum import StrEnum

from liuxia_tracker.diagnostics import Diagnostic
from liuxia_tracker.render.diagnostics_ci import as_github, as_gitlab


class DiagnosticFormat(StrEnum):
    AUTO = "auto"
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    GITLAB = "gitlab"


def as_text(diagnostics: list[Diagnostic], checked: int) -> str:
    lines = [str(d) for d in diagnostics]
    errors = sum(1 for d in diagnostics if d.severity.value == "error")
    if diagnostics:
        files = len({d.path for d in diagnostics})
        lines.append(
            f"{errors} problem{'s' if errors != 1 else ''} in {files} file{'s' if files != 1 else ''} "
            f"({checked} checked)"
        )
    else:
        lines.append(f"no problems ({checked} file{'s' if checked != 1 else ''} checked)")
    return "\n".join(lines) + "\n"


def as_json(diagnostics: list[Diagnostic], checked: int) -> str:
    payload = {
        "files_checked": checked,
        "problems": [
            {
                "path": d.path,
                "line": d.line,
                "column": d.column,
                "code": d.code,
                "severity": d.severity.value,
                "message": d.message,
            }
            for d in diagnostics
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


FORMATTERS: Mapping[DiagnosticFormat, Callable[[list[Diagnostic], int], str]] = {
    DiagnosticFormat.TEXT: as_text,
    DiagnosticFormat.JSON: as_json,
    DiagnosticFormat.GITHUB: as_github,
    DiagnosticFormat.GITLAB: as_gitlab,
}


def resolve(choice: DiagnosticFormat, environ: Mapping[str, str] | None = None) -> DiagnosticFormat:
    env = os.environ if environ is None else environ
    if choice is DiagnosticFormat.AUTO:
        return (
            DiagnosticFormat.GITHUB
            if env.get("GITHUB_ACTIONS") == "true"
            else DiagnosticFormat.TEXT
        )
    return choice


def render(diagnostics: list[Diagnostic], checked: int, choice: DiagnosticFormat) -> str:
    return FORMATTERS[resolve(choice)](diagnostics, checked)
