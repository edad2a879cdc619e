"""The report memo: a district's evaluated targets, kept for the next run that asks the same.

A report of an unchanged log, on the same plan and for the same day, is the same report: the
second `tracker status` of a day (or a script's tenth) need not read or judge the logs again.
After each district is evaluated its rows are stored, keyed by everything they depend on: the
plan cache's key (the plan's bytes with this package's source), the district, the log's name
as shown, the day judged and the day known by; and the log's bytes as read, by their SHA-256.
A log that changed (one `tracker record`) misses only its own district's entry.

Whether the log is unchanged is decided as git decides for its index: by the log's `stat`
(size, modification and change times in nanoseconds, inode), trusted only when the change
time was more than `RACY_NS` before the log was read for the entry, so a write in the same
clock tick as that read cannot hide; otherwise by hashing the log. A warm run reads no log.

Guarantees: an entry is used only when its key, its log and its own digest hold, so it is the
rows the same run would compute; anything else (missing, corrupt, foreign, another day) is
ignored and the district evaluated. One entry per district log (the last day asked), written atomically
beside the log summaries (`plan.cache.folder()/reports`); deleting them changes nothing but
time. Values are tagged JSON (never pickle): numbers, text, fractions, days, the engine's
enums and row classes, decoded only into those classes.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from enum import Enum
from fractions import Fraction
from pathlib import Path
from typing import Any

from liuxia_tracker.diagnostics import Diagnostic, Severity
from liuxia_tracker.engine.rows import ExpectedBasis, OverdueFigure, OverdueItem, Status, TargetRow
from liuxia_tracker.engine.variance import Evaluated
from liuxia_tracker.log.cache_entry import read_entry, write_entry

FORMAT = 1
RACY_NS = 2_000_000_000
_CLASSES: dict[str, Any] = {
    cls.__name__: cls for cls in (Evaluated, TargetRow, OverdueItem, OverdueFigure)
}
_ENUMS: dict[str, type[Enum]] = {cls.__name__: cls for cls in (Status, ExpectedBasis)}


def memo_key(*parts: str) -> str:
    digest = hashlib.sha256(f"report memo {FORMAT}".encode())
    for part in parts:
        digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class LogState:
    """A log as it was read for an entry: its `stat`, when it was read, and its bytes' SHA-256."""

    stat: tuple[int, int, int, int]
    read_ns: int
    digest: str

    def same_as(self, log: Path) -> bool:
        """Whether `log` holds the same bytes now: by its stat when that can be trusted, else
        by hashing it."""
        return self.confirmed(log) is not None

    def confirmed(self, log: Path) -> LogState | None:
        """This state when `log` holds the same bytes now (by its stat when that can be
        trusted, else by hashing it: then the state as just read, so the next look can trust
        the stat); None when its bytes changed."""
        try:
            now, read_ns = stat_of(log)
        except OSError:
            return None
        if now == self.stat and self.stat[2] < self.read_ns - RACY_NS:
            return self
        try:
            if hashlib.sha256(log.read_bytes()).hexdigest() == self.digest:
                return LogState(now, read_ns, self.digest)
        except OSError:
            pass
        return None


def stat_of(log: Path) -> tuple[tuple[int, int, int, int], int]:
    """The log's stat, and the time now (take both before reading it)."""
    return _stat_of(log), time.time_ns()


def _stat_of(log: Path) -> tuple[int, int, int, int]:
    found = os.stat(log)
    return found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino


def recall(
    path: Path, key: str, log: Path, display: str
) -> tuple[list[Evaluated], list[Diagnostic], LogState] | None:
    """The rows and problems stored at `path` under `key` for `log` as it is now, and the
    state of the log they were made from, or None."""
    entry = read_entry(path, FORMAT, key)
    if entry is None:
        return None
    header, body = entry
    try:
        stat, read_ns, digest = header["log"]
        state = LogState(tuple(stat), int(read_ns), str(digest)).confirmed(log)
        if state is None:
            return None
        rows, problems = json.loads(body)
        evaluated = [_decode(row) for row in rows]
        if not all(isinstance(entry, Evaluated) for entry in evaluated):
            return None
        return (
            evaluated,
            [
                Diagnostic(display, line, column, code, message, Severity(severity))
                for line, column, code, message, severity in problems
            ],
            state,
        )
    except (ValueError, TypeError, KeyError, IndexError, RecursionError):
        return None


def remember(
    path: Path, key: str, log: LogState, evaluated: list[Evaluated], problems: list[Diagnostic]
) -> None:
    """Store the rows and problems (atomically); anything that cannot be stored is left."""
    try:
        body = json.dumps(
            [
                [_encode(entry) for entry in evaluated],
                [[p.line, p.column, p.code, p.message, p.severity.value] for p in problems],
            ],
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
    except (ValueError, TypeError, RecursionError):
        return
    header = {"format": FORMAT, "key": key, "log": [list(log.stat), log.read_ns, log.digest]}
    write_entry(path, header, body)


def _encode(value: Any) -> Any:
    """A JSON value for `value`: JSON's own types as they are, the rest as tagged lists."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Enum):
        return ["E", type(value).__name__, value.value]
    if isinstance(value, (int, float, str)):
        return value
    if isinstance(value, Fraction):
        return ["F", value.numerator, value.denominator]
    if isinstance(value, date) and type(value) is date:
        return ["D", value.isoformat()]
    if isinstance(value, tuple):
        return ["T", [_encode(item) for item in value]]
    if is_dataclass(value) and _CLASSES.get(type(value).__name__) is type(value):
        return ["O", type(value).__name__, [_encode(getattr(value, f.name)) for f in fields(value)]]
    raise TypeError(f"cannot store {type(value).__name__}")


def _decode(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    tag = value[0]
    if tag == "E":
        return _ENUMS[value[1]](value[2])
    if tag == "F":
        return Fraction(int(value[1]), int(value[2]))
    if tag == "D":
        return date.fromisoformat(value[1])
    if tag == "T":
        return tuple(_decode(item) for item in value[1])
    if tag == "O":
        return _CLASSES[value[1]](*(_decode(item) for item in value[2]))
    raise ValueError(f"unknown tag {tag!r}")
