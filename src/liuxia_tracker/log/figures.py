"""The figure log: one file per district, one record per line, append-only.

Guarantees:

- Reading never raises for bad content; it returns the records it could read, each with its
  line number, and a diagnostic for every line it could not. Lines in the canonical form this
  module writes (`- {"target": ...}` — a YAML sequence entry whose mapping is also JSON) are
  decoded with `json`; any other entry (hand-edited block or flow YAML) goes through the strict
  YAML loader with the same diagnostics. A last line without a newline is reported as torn.
- Writing is the only way the tool changes a figure file, and it only appends: the file is
  opened for appending, locked (`fcntl.flock`, exclusive), checked to end with a newline (a
  torn last line refuses the append and names the line), and the record or batch goes out in
  one `os.write` whose byte count is checked, then `fsync`. Nothing is re-read or rewritten,
  so an append costs the same on a file of any size. `repair_figure_file` is the one exception:
  it cuts a torn tail off, after copying it to a side file and syncing that.
- `canonical_line` writes numbers that JSON and YAML both read back as the same number, and
  text that YAML reads back unchanged; the line ends in `}` and a newline, so a cut-off write
  is visible.
- `find_target_lines` finds one target's records by searching the raw bytes for its id, without
  parsing the rest of the file; it answers `None` when the id occurs anywhere it cannot vouch
  for, so the caller falls back to a full read.
"""

from __future__ import annotations

import json
import mmap
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from liuxia_tracker.diagnostics import Diagnostic
from liuxia_tracker.domain.models import Figure
from liuxia_tracker.domain.records import FigureRecord, Recorded
from liuxia_tracker.log.canonical_reader import (
    CANONICAL_LINES,
    canonical_record,
    every_canonical_line,
    record_of,
)
from liuxia_tracker.plan.loading import Parsed, parse_yaml
from liuxia_tracker.plan.text import (
    BAD_CHARACTER,
    MAX_EXACT_INTEGER,
    MAX_FIGURE_BYTES,
    decode,
    lint_characters,
    read_bytes,
)
from liuxia_tracker.plan.validation import validation_diagnostics

CANONICAL_PREFIX = '- {"'


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


def _is_entry_start(line: str) -> bool:
    return line.startswith("-") and (len(line) == 1 or line[1] in " \t")


def _is_blank_or_comment(line: str) -> bool:
    return not line.strip() or line.lstrip().startswith("#")


def _entry_from(lines: list[str], index: int) -> tuple[str, int]:
    """The entry that starts at `lines[index]` (an entry start, `- ...`), and the index after it.

    An entry goes on over indented lines, and over blank or comment lines at the margin
    between them; it ends at the next entry or at any other line at the margin.
    """
    parts = [lines[index]]
    index += 1
    while index < len(lines):
        following = lines[index]
        if following.startswith((" ", "\t")):
            parts.append(following)
        elif _is_entry_start(following) or not _is_blank_or_comment(following):
            break
        index += 1
    return "\n".join(parts), index


# -- the general way: json for other one-line entries, the YAML loader for the rest ----------


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def _plain_float(text: str) -> float:
    if "e" in text or "E" in text:
        raise ValueError(text)
    return float(text)


def _exact_int(text: str) -> int:
    if len(text) > 17 or (len(text) > 15 and abs(int(text)) > MAX_EXACT_INTEGER):
        raise ValueError(text)
    return int(text)


_DECODER = json.JSONDecoder(
    parse_constant=_reject_constant, parse_float=_plain_float, parse_int=_exact_int
)


def _json_entry(entry: str) -> dict[str, Any] | None:
    """The mapping of a canonical line, or None to send the line through the YAML loader.

    JSON is only a fast path: anything where `json` and the loader's rules could disagree — a
    repeated key, a number with an exponent or beyond 2**53, a `\\ud800` escape — goes the
    slow way, so it gets the loader's diagnostic.
    """
    if not (entry.startswith(CANONICAL_PREFIX) and entry.endswith("}")) or "\n" in entry:
        return None
    if "\\u" in entry and _SURROGATE_ESCAPE.search(entry):
        return None
    if BAD_CHARACTER.search(entry):
        return None  # the loader's character lint names it
    try:
        value = _DECODER.decode(entry[2:])
    except (ValueError, RecursionError):  # nested too deep for json: the loader copes
        return None
    if not isinstance(value, dict) or entry.count('":') != len(value):
        return None  # a repeated key collapsed, or keys written unusually: let YAML decide
    return value


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


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
    """Every record of a figure file's text with the line it starts on, and a diagnostic for
    each entry that is not a valid record.

    The text is split into entries (`- ...` and the indented lines that go on with it);
    comment and blank lines between entries are skipped, and a line that belongs to no entry
    is read alone so the YAML loader can say what is wrong with it.
    """
    records: list[Recorded] = []
    problems: list[Diagnostic] = []
    if not text.startswith((" ", "\t")) and "\n " not in text and "\n\t" not in text:
        # No line goes on from the one before it, so every line is an entry of its own (or a
        # blank or comment line between them): the usual figure file. Its canonical lines are
        # matched in the text itself, one after the other; the lines between them (rare) are
        # read the general way.
        append = records.append
        new = tuple.__new__
        if text.endswith("\n"):
            every = every_canonical_line(text)
            if len(every) == text.count("\n"):  # every line is a canonical line
                lines: list[str] | None = None
                for number, fields in enumerate(every, 1):
                    record = record_of(fields)
                    if record is not None:
                        append(new(Recorded, (record, number)))
                    else:
                        if lines is None:
                            lines = text.split("\n")
                        _read_entry(lines[number - 1], number, display, records, problems)
                return records, problems
        position = 0
        number = 1
        for match in CANONICAL_LINES.finditer(text):
            start = match.start()
            if start != position:
                number = _read_lines(text[position:start], number, display, records, problems)
            record = record_of(match.groups())
            if record is not None:
                append(new(Recorded, (record, number)))
            else:
                _read_entry(match.group(), number, display, records, problems)
            number += 1
            position = match.end() + 1
        if position < len(text):
            _read_lines(text[position:], number, display, records, problems)
        return records, problems
    lines = text.split("\n")
    count = len(lines)
    last = count - 1
    index = 0
    while index < count:
        line = lines[index]
        number = index + 1
        index += 1
        if line.startswith(CANONICAL_PREFIX):
            following = lines[index] if index < count else None
            if (
                following is None
                or following[:1] not in ("", " ", "\t", "#")
                or (not following and index == last)
            ):  # an entry of one line: the usual case
                record = canonical_record(line)
                if record is not None:
                    records.append(Recorded(record, number))
                else:
                    _read_entry(line, number, display, records, problems)
                continue
        if _is_blank_or_comment(line):
            _lint_comment(line, number, display, problems)
            continue
        if _is_entry_start(line):
            entry, index = _entry_from(lines, index - 1)
        else:
            entry = line
        _read_entry(entry, number, display, records, problems)
    return records, problems


def _read_lines(
    text: str, number: int, display: str, records: list[Recorded], problems: list[Diagnostic]
) -> int:
    """Read each line of `text` (none of which goes on from the one before) the general way,
    the first being line `number`; blank and comment lines are skipped. The next line's number."""
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    for offset, line in enumerate(lines):
        if _is_blank_or_comment(line):
            _lint_comment(line, number + offset, display, problems)
        else:
            _read_entry(line, number + offset, display, records, problems)
    return number + len(lines)


def _lint_comment(line: str, number: int, display: str, problems: list[Diagnostic]) -> None:
    """A comment or blank line is not parsed, but holds the same characters a plan may not."""
    if BAD_CHARACTER.search(line):
        problems.extend(lint_characters(line, display, number - 1))


def _read_entry(
    entry: str, line: int, display: str, records: list[Recorded], problems: list[Diagnostic]
) -> None:
    """Read one entry the general way: json for a one-line flow mapping, else the YAML loader;
    then `Figure` validates it, with diagnostics at the positions of the values."""
    value = _json_entry(entry)
    if value is not None:
        try:
            records.append(Recorded(FigureRecord.from_model(Figure.model_validate(value)), line))
        except ValidationError as error:
            parsed = _json_positions(entry, line, value)
            problems.extend(validation_diagnostics(error, parsed, display, Figure, (0,)))
        return
    parsed_entry, entry_problems = parse_yaml(entry, display, line_offset=line - 1)
    problems.extend(entry_problems)
    if parsed_entry is None:
        return
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
        return
    if not isinstance(items[0], dict):
        location = parsed_entry.positions.get((0,), (line, 1))
        problems.append(
            Diagnostic(display, *location, "type", "a figure record is a mapping of keys to values")
        )
        return
    try:
        records.append(Recorded(FigureRecord.from_model(Figure.model_validate(items[0])), line))
    except ValidationError as error:
        problems.extend(validation_diagnostics(error, parsed_entry, display, Figure, (0,)))


def torn_line_problem(shown: str, torn_line: int) -> Diagnostic:
    return Diagnostic(
        shown,
        torn_line,
        1,
        "torn-line",
        f"line {torn_line} does not end with a newline (a write cut off?); "
        "run `tracker repair` before the next append",
    )


def read_figure_file(path: Path, display: str | None = None) -> FigureFile:
    shown = display if display is not None else str(path)
    data, problems = read_bytes(path, MAX_FIGURE_BYTES, shown)
    return figure_file_of(path, shown, data, problems)


def figure_file_of(
    path: Path, shown: str, data: bytes | None, problems: list[Diagnostic]
) -> FigureFile:
    """The figure file whose bytes are `data` (None: it could not be read, for `problems`)."""
    if data is None:
        return FigureFile(path, shown, district_of(path), [], problems, None)
    text, problems = decode(data, shown)
    torn_line: int | None = None
    if text is None:
        # When a write cut off inside a character, the bad byte is in the torn last line: the
        # lines before it are still read (the torn line is reported as torn, not as bad text).
        if (
            data.endswith(b"\n")
            or problems[0].code != "not-utf8"
            or problems[0].line != data.count(b"\n") + 1
        ):
            return FigureFile(path, shown, district_of(path), [], problems, None)
        text, body_problems = decode(data[: data.rfind(b"\n") + 1], shown)
        if text is None:
            return FigureFile(path, shown, district_of(path), [], problems, None)
        problems = body_problems
        torn_line = text.count("\n") + 1
    elif text and not text.endswith("\n"):
        torn_line = text.count("\n") + 1
    if "\r\n" in text:  # a file saved on Windows: the same lines, the same line numbers
        text = text.replace("\r\n", "\n")
    if torn_line is not None:
        problems.append(torn_line_problem(shown, torn_line))
    records, record_problems = parse_figures(text, shown)
    return FigureFile(
        path, shown, district_of(path), records, [*problems, *record_problems], torn_line
    )


Content = bytes | mmap.mmap  # a log as read: its bytes, or a memory map of them
