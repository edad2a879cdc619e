"""GitHub Actions' step summary: `tracker check --format github` appends every problem to the
markdown file `$GITHUB_STEP_SUMMARY` names, when it is set.

Guarantees: the file is appended to, never truncated (other steps write to it too), in one
write. A summary that cannot be written does not change the check's result: the caller gets a
one-line reason to print.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from liuxia_tracker.diagnostics import Diagnostic
from liuxia_tracker.render.diagnostics_ci import step_summary

STEP_SUMMARY = "GITHUB_STEP_SUMMARY"


def append_step_summary(
    diagnostics: list[Diagnostic], checked: int, environ: Mapping[str, str] | None = None
) -> str | None:
    """Append the summary when `$GITHUB_STEP_SUMMARY` is set; why it could not be, else None."""
    env = os.environ if environ is None else environ
    target = env.get(STEP_SUMMARY)
    if not target:
        return None
    try:
        with Path(target).open("a", encoding="utf-8") as summary:
            summary.write(step_summary(diagnostics, checked))
    except OSError as error:
        return f"cannot append to ${STEP_SUMMARY} ({target}): {error.strerror or error}"
    return None
