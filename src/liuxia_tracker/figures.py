"""The figure log: one file per district, one record per line, append-only.

Guarantees: reading never raises for bad content; it returns the records it could read, each
with its line number, and a diagnostic for every line it could not. Lines in the canonical form
this module writes (`- {"target": ...}` — a YAML sequence entry whose mapping is also JSON) are
decoded with `json`; any other entry (hand-edited block or flow YAML) goes through the strict
YAML loader with the same diagnostics. A last line without a newline is reported as torn.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from liuxia_tracker.diagnostics import Diagnostic
from liuxia_tracker.loading import (
    MAX_FIGURE_BYTES,
    Parsed,
    parse_yaml,
    read_text,
    validation_diagnostics,
)
from liuxia_tracker.models import Figure

CANONICAL_PREFIX = '- {"'
FIELD_ORDER = (
    "target",
    "period",
    "value",
    "unit",
    "item",
    "done",
    "date",
    "source",
    "note",
    "by",
    "recorded_at",
)


@dataclass(frozen=True, slots=True)
class Recorded:
    """A figure as read from its file, with the line it starts on."""

    figure: Figure
    line: int


@dataclass(frozen=True, slots=True)
class FigureFile:
    path: Path
    display: str
    district: str
    records: list[Recorded]
    diagnostics: list[Diagnostic]
    torn_line: int | None  # the last line, when it has no newline


def district_of(path: Path) -> str:
    return path.stem


def _entries(text: str) -> Iterator[tuple[int, str]]:
    """Split a figure file into (first line number, entry text) for each `- ` entry.

    Comment and blank lines between entries are skipped; lines that belong to no entry are
    yielded alone so the YAML loader can say what is wrong with them.
    """
    start = 0
    current: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("-") and (len(line) == 1 or line[1] in " \t"):
            if current:
                yield start, "\n".join(current)
            start, current = number, [line]
        elif not line.strip() or line.lstrip().startswith("#"):
            if current and line.startswith((" ", "\t")):
                current.append(line)
        elif current and line.startswith((" ", "\t")):
            current.append(line)
        else:
            if current:
                yield start, "\n".join(current)
                current = []
            yield number, line
    if current:
        yield start, "\n".join(current)


def _json_entry(entry: str) -> dict[str, Any] | None:
    if not (entry.startswith(CANONICAL_PREFIX) and entry.endswith("}")) or "\n" in entry:
        return None
    try:
        value = json.loads(entry[2:], parse_constant=_reject_constant)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def _json_positions(entry: str, line: int, value: dict[str, Any]) -> Parsed:
    """Positions for a canonical line, computed only when it has a problem to report."""
    parsed = Parsed([value], {(): (line, 1), (0,): (line, 3)}, {})
    for key in value:
        at = entry.find(json.dumps(key, ensure_ascii=False) + ":")
        if at == -1:
            at = 2
        value_at = at + len(json.dumps(key, ensure_ascii=False)) + 1
        while value_at < len(entry) and entry[value_at] == " ":
            value_at += 1
        parsed.key_positions[(0, key)] = (line, at + 1)
        parsed.positions[(0, key)] = (line, value_at + 1)
    return parsed


def parse_figures(text: str, display: str) -> tuple[list[Recorded], list[Diagnostic]]:
    records: list[Recorded] = []
    problems: list[Diagnostic] = []
    for line, entry in _entries(text):
        value = _json_entry(entry)
        if value is not None:
            try:
                records.append(Recorded(Figure.model_validate(value), line))
            except ValidationError as error:
                parsed = _json_positions(entry, line, value)
                problems.extend(validation_diagnostics(error, parsed, display, Figure, (0,)))
            continue
        parsed_entry, entry_problems = parse_yaml(entry, display, line_offset=line - 1)
        problems.extend(entry_problems)
        if parsed_entry is None:
            continue
        items = parsed_entry.value
        if not isinstance(items, list) or len(items) != 1:
            problems.append(
                Diagnostic(
                    display,
                    line,
                    1,
                    "not-a-list",
                    "a figure file is a list: each record starts with '- ' at the start of a line",
                )
            )
            continue
        if not isinstance(items[0], dict):
            location = parsed_entry.positions.get((0,), (line, 1))
            problems.append(
                Diagnostic(
                    display, *location, "type", "a figure record is a mapping of keys to values"
                )
            )
            continue
        try:
            records.append(Recorded(Figure.model_validate(items[0]), line))
        except ValidationError as error:
            problems.extend(validation_diagnostics(error, parsed_entry, display, Figure, (0,)))
    return records, problems


def read_figure_file(path: Path, display: str | None = None) -> FigureFile:
    shown = display if display is not None else str(path)
    text, problems = read_text(path, MAX_FIGURE_BYTES, shown)
    if text is None:
        return FigureFile(path, shown, district_of(path), [], problems, None)
    torn_line: int | None = None
    if text and not text.endswith("\n"):
        torn_line = text.count("\n") + 1
        problems.append(
            Diagnostic(
                shown,
                torn_line,
                1,
                "torn-line",
                f"line {torn_line} does not end with a newline (a write cut off?); "
                "run `tracker repair` before the next append",
            )
        )
    records, record_problems = parse_figures(text, shown)
    return FigureFile(
        path, shown, district_of(path), records, [*problems, *record_problems], torn_line
    )


def format_number(value: float) -> int | float:
    """A number that JSON and YAML both read back as the same value (no `1e+16` text)."""
    if not math.isfinite(value):
        raise ValueError("figures are finite numbers")
    if float(value).is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def canonical_line(figure: Figure) -> str:
    """The one-line form written to a figure file, ending in a newline."""
    data = figure.model_dump(mode="json", exclude_none=True)
    ordered = {key: data[key] for key in FIELD_ORDER if key in data}
    if "value" in ordered:
        ordered["value"] = format_number(ordered["value"])
    body = json.dumps(ordered, ensure_ascii=False, separators=(", ", ": "), allow_nan=False)
    text = "- " + body + "\n"
    return _yaml_safe_numbers(text, ordered)


def _yaml_safe_numbers(text: str, data: dict[str, Any]) -> str:
    """JSON writes 1e+16 and 1e-07, which YAML reads as text: write them out in full."""
    value = data.get("value")
    if isinstance(value, float) and "e" in repr(value):
        plain = format(value, ".17f").rstrip("0")
        plain = plain + "0" if plain.endswith(".") else plain
        if float(plain) != value:
            plain = format(value, ".30f").rstrip("0")
        text = text.replace(f'"value": {json.dumps(value)}', f'"value": {plain}', 1)
    return text
