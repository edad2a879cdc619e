"""Diagnostics as text (`path:line:col: CODE message`), JSON, or GitHub Actions annotations."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from enum import StrEnum

from liuxia_tracker.diagnostics import Diagnostic


class DiagnosticFormat(StrEnum):
    AUTO = "auto"
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


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


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(diagnostics: list[Diagnostic], checked: int) -> str:
    lines = [
        f"::{d.severity.value} file={_escape_property(d.path)},line={d.line},col={d.column},"
        f"title={_escape_property(d.code)}::{_escape_data(d.message)}"
        for d in diagnostics
    ]
    return (
        "".join(line + "\n" for line in lines)
        + as_text(diagnostics, checked).splitlines()[-1]
        + "\n"
    )


FORMATTERS: Mapping[DiagnosticFormat, Callable[[list[Diagnostic], int], str]] = {
    DiagnosticFormat.TEXT: as_text,
    DiagnosticFormat.JSON: as_json,
    DiagnosticFormat.GITHUB: as_github,
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
