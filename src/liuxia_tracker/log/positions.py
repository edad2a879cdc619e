"""Where a finding about a figure points: the line and column of the field it is about.

Guarantees: a position is resolved from the finding's field, never from its message. Only
the records that have a finding are read again, so a clean million-record file costs nothing.
A field the record does not hold (a figure written without a unit, say) points at the
record's first line, column 1.
"""

from __future__ import annotations

from pathlib import Path

from liuxia_tracker.diagnostics import Diagnostic, Finding
from liuxia_tracker.plan.loading import parse_yaml
from liuxia_tracker.plan.text import MAX_FIGURE_BYTES, read_text

# A figure's unit may be written inside its value as a shorthand (`"0.3个百分点"`).
_ALSO_WRITTEN_IN = {"unit": "value"}


def place_findings(path: Path, display: str, found: list[tuple[int, Finding]]) -> list[Diagnostic]:
    """Each (record line, finding) as a diagnostic at its field's value in `path`."""
    if not found:
        return []
    text, _ = read_text(path, MAX_FIGURE_BYTES, display)
    lines = text.split("\n") if text is not None else []
    placed = []
    for line, finding in found:
        location = field_location(lines, line, finding.field) if lines else None
        at = location or (line, 1)
        placed.append(Diagnostic(display, *at, finding.code, finding.message))
    return placed


def field_location(lines: list[str], line: int, field: str) -> tuple[int, int] | None:
    """Where `field` has its value in the record that starts on `line` (1-based)."""
    entry = lines[line - 1 : line]
    for following in lines[line:]:
        if following.startswith("-") or (following and not following.startswith((" ", "\t", "#"))):
            break
        entry.append(following)
    parsed, _ = parse_yaml("\n".join(entry), "", line_offset=line - 1)
    if parsed is None:
        return None
    found = parsed.positions.get((0, field))
    if found is None and field in _ALSO_WRITTEN_IN:
        found = parsed.positions.get((0, _ALSO_WRITTEN_IN[field]))
    return found
