"""Finding one target's records in a log without parsing the file.

Guarantees: `find_target_lines` searches the raw bytes for the target's id in canonical lines
and answers `None` when the id occurs anywhere it cannot vouch for (a hand-edited entry), so
the caller falls back to a full read; `record_at` parses just the line at an offset.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from liuxia_tracker.domain.records import Recorded
from liuxia_tracker.log.append import READ_CHUNK
from liuxia_tracker.log.figures import Content, parse_figures

_TARGET_PREFIX = b'- {"target": "'
_KEY_AFTER_TARGET = re.compile(rb'", "(period|item)": "([^"\\\n]*)"')


@dataclass(frozen=True, slots=True)
class LineRef:
    """Where a target's record starts, and the period or item it is for (from the raw text)."""

    offset: int
    key: Literal["period", "item"]
    value: str


@lru_cache(maxsize=256)
def _mention_pattern(target: str) -> re.Pattern[bytes]:
    # Every mention of the id; where it sits at the start of a canonical line of this target,
    # the groups capture the key that follows (period or item) and its text.
    needle = re.escape(target.encode())
    return re.compile(
        needle
        + rb"(?![a-z0-9_-])(?:(?<=\n"
        + re.escape(_TARGET_PREFIX)
        + needle
        + rb')", "(period|item)": "([^"\\\n]*)")?'
    )


class CannotVouch(Exception):
    """The id occurs where the byte search cannot vouch for it: read the whole file."""


def find_target_lines(content: Content, target: str) -> list[LineRef] | None:
    """Every record line of `target`, in file order, found by searching for its id.

    Returns None when the id also occurs on a line that is neither a canonical line of this
    target nor a canonical line of another target (a hand-edited entry, say): the caller then
    reads the whole file. Comment lines are ignored.
    """
    try:
        return list(iter_target_lines(content, target))
    except CannotVouch:
        return None


def iter_target_lines(content: Content, target: str) -> Iterator[LineRef]:
    """`find_target_lines` one line at a time, in memory independent of the file's size;
    raises `CannotVouch` where that answers None."""
    target_bytes = target.encode()
    own_prefix = _TARGET_PREFIX + target_bytes + b'"'
    last_line_start = -1
    for match in _mention_pattern(target).finditer(content):
        if match.group(1) is not None:
            line_start = match.start() - len(_TARGET_PREFIX)
            yield _line_ref(line_start, match.group(1), match.group(2))
            last_line_start = line_start
            continue
        line_start = content.rfind(b"\n", 0, match.start()) + 1
        if line_start == last_line_start:
            continue  # another mention on a line already taken (an item named like its target)
        last_line_start = line_start
        head = content[line_start : line_start + len(own_prefix)]
        if head == own_prefix:  # the first line of the file, or keys in another order
            keyed = _KEY_AFTER_TARGET.match(content, line_start + len(own_prefix) - 1)
            if keyed is None:
                raise CannotVouch
            yield _line_ref(line_start, keyed.group(1), keyed.group(2))
        elif head.startswith(_TARGET_PREFIX):
            continue  # another target's record that mentions this id (a note, a longer id)
        elif not content[line_start : match.start()].lstrip().startswith(b"#"):
            raise CannotVouch


def _line_ref(offset: int, key: bytes, value: bytes) -> LineRef:
    return LineRef(
        offset,
        "period" if key == b"period" else "item",
        value.decode("utf-8", errors="replace"),
    )


def record_at(content: Content, offset: int, display: str, line: int = 0) -> Recorded | None:
    """The record on the line starting at `offset`, or None when it does not read cleanly."""
    end = content.find(b"\n", offset)
    raw = content[offset : end if end != -1 else len(content)]
    if raw.endswith(b"\r"):  # a log saved with Windows line endings reads as every reader does
        raw = raw[:-1]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    records, problems = parse_figures(text, display)
    if problems or len(records) != 1:
        return None
    return Recorded(records[0].figure, line)


def line_numbers(content: Content, offsets: Sequence[int]) -> list[int]:
    """The 1-based line number of each byte offset (offsets in ascending order)."""
    numbers: list[int] = []
    line = 1
    position = 0
    for offset in offsets:
        while position < offset:
            step = min(READ_CHUNK, offset - position)
            line += content[position : position + step].count(b"\n")
            position += step
        numbers.append(line)
    return numbers
