"""Diagnostics for CI services: GitHub Actions annotations and step summary, GitLab Code Quality.

Guarantees:

- GitHub shows at most `GITHUB_ANNOTATION_LIMIT` annotations of each kind (error, warning) per
  step and drops the rest silently. So the first ten of each kind, in the usual order, are
  annotations; the others are printed as plain `path:line:col: CODE message` lines, and the
  last line says how many were not annotated. `step_summary` lists every problem as a
  markdown table for `$GITHUB_STEP_SUMMARY`.
- The GitLab report is a Code Quality JSON array: `description`, `check_name` (the code),
  `fingerprint`, `severity` (`major` for an error, `minor` for a warning) and
  `location.path` / `location.lines.begin`. The fingerprint is the SHA-256 of the path, the
  code, the message and the problem's rank among identical ones, so it stays the same from run
  to run, and when lines are added above the problem, until the problem itself changes.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from liuxia_tracker.diagnostics import Diagnostic, Severity

GITHUB_ANNOTATION_LIMIT = 10


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def totals(diagnostics: list[Diagnostic], checked: int) -> str:
    """The closing line of the text format: `2 problems in 1 file (3 checked)`."""
    if not diagnostics:
        return f"no problems ({_plural(checked, 'file')} checked)"
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    files = len({d.path for d in diagnostics})
    return f"{_plural(errors, 'problem')} in {_plural(files, 'file')} ({checked} checked)"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotated(diagnostics: list[Diagnostic]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The problems GitHub will show as annotations, and the ones over its limit."""
    shown: list[Diagnostic] = []
    over: list[Diagnostic] = []
    seen: Counter[Severity] = Counter()
    for diagnostic in diagnostics:
        seen[diagnostic.severity] += 1
        (shown if seen[diagnostic.severity] <= GITHUB_ANNOTATION_LIMIT else over).append(diagnostic)
    return shown, over


def _not_annotated(count: int) -> str:
    return (
        f"{count} not annotated (GitHub shows at most {GITHUB_ANNOTATION_LIMIT} of each kind "
        "per step)"
    )


def as_github(diagnostics: list[Diagnostic], checked: int) -> str:
    shown, over = annotated(diagnostics)
    lines = [
        f"::{d.severity.value} file={_escape_property(d.path)},line={d.line},col={d.column},"
        f"title={_escape_property(d.code)}::{_escape_data(d.message)}"
        for d in shown
    ]
    lines.extend(str(d) for d in over)
    closing = totals(diagnostics, checked)
    if over:
        closing += f"; {_not_annotated(len(over))}, printed above as text"
    lines.append(closing)
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def step_summary(diagnostics: list[Diagnostic], checked: int) -> str:
    """Every problem as markdown, to append to `$GITHUB_STEP_SUMMARY`."""
    lines = ["## tracker check", ""]
    closing = totals(diagnostics, checked)
    _, over = annotated(diagnostics)
    if over:
        closing += f"; {_not_annotated(len(over))}, all listed here"
    lines.append(closing)
    if diagnostics:
        lines += ["", "| file | line | column | code | severity | message |"]
        lines.append("| --- | ---: | ---: | --- | --- | --- |")
        lines.extend(
            f"| {_cell(d.path)} | {d.line} | {d.column} | `{d.code}` | {d.severity.value} "
            f"| {_cell(d.message)} |"
            for d in diagnostics
        )
    return "\n".join(lines) + "\n\n"


_GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor"}


def fingerprint(diagnostic: Diagnostic, rank: int) -> str:
    key = "\0".join((diagnostic.path, diagnostic.code, diagnostic.message, str(rank)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def as_gitlab(diagnostics: list[Diagnostic], checked: int) -> str:
    ranks: Counter[tuple[str, str, str]] = Counter()
    issues = []
    for d in diagnostics:
        same = (d.path, d.code, d.message)
        ranks[same] += 1
        issues.append(
            {
                "description": d.message,
                "check_name": d.code,
                "fingerprint": fingerprint(d, ranks[same]),
                "severity": _GITLAB_SEVERITY[d.severity],
                "location": {"path": d.path, "lines": {"begin": d.line}},
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
