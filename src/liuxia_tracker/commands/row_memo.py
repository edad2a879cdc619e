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
time. Values are JSON (never pickle): each row a flat list of `TargetRow`'s fields in order,
then its ratio and whether it scores zero; the few fields that are not JSON's own types (the
enums, days, overdue items and figure, the ratio) each have their decoder, and nothing is
decoded into any other class. A row holding anything else is not stored.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, fields
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from liuxia_tracker.diagnostics import Diagnostic, Severity
from liuxia_tracker.engine.rows import ExpectedBasis, OverdueFigure, OverdueItem, Status, TargetRow
from liuxia_tracker.engine.variance import Evaluated
from liuxia_tracker.log.cache_entry import read_entry, write_entry

FORMAT = 2
RACY_NS = 2_000_000_000


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


# -- a row as a flat JSON list: the fields in `TargetRow`'s order, then the ratio and whether
# it scores zero; only the fields below are not JSON's own types, and each has its decoder.

_FIELDS = tuple(field.name for field in fields(TargetRow))
_BASIS = _FIELDS.index("expected_basis")
_STATUS = _FIELDS.index("status")
_FORECAST_DATE = _FIELDS.index("forecast_date")
_OVERDUE_ITEMS = _FIELDS.index("overdue_items")
_OVERDUE_FIGURE = _FIELDS.index("overdue_figure")
_SPECIAL = frozenset((_BASIS, _STATUS, _FORECAST_DATE, _OVERDUE_ITEMS, _OVERDUE_FIGURE))
_BASES = {basis.value: basis for basis in ExpectedBasis}
_STATUSES = {status.value: status for status in Status}
_PLAIN = (type(None), bool, int, float, str)


def _encode(entry: Evaluated) -> list[Any]:
    """A flat JSON list for `entry`; TypeError for anything it cannot hold exactly."""
    row = entry.row
    if type(entry) is not Evaluated or type(row) is not TargetRow:
        raise TypeError("not an evaluated row")
    values: list[Any] = [getattr(row, name) for name in _FIELDS]
    for index, value in enumerate(values):
        if index not in _SPECIAL and type(value) not in _PLAIN:
            raise TypeError(f"cannot store {type(value).__name__} in {_FIELDS[index]}")
    values[_BASIS] = row.expected_basis.value
    values[_STATUS] = row.status.value
    values[_FORECAST_DATE] = _day(row.forecast_date)
    values[_OVERDUE_ITEMS] = [
        [*map(_plain, (item.id, item.name, item.owner, item.leader)), _day(item.due)]
        for item in row.overdue_items
    ]
    figure = row.overdue_figure
    values[_OVERDUE_FIGURE] = (
        None if figure is None else [_plain(figure.period), _day(figure.due_by)]
    )
    ratio = entry.ratio
    if ratio is not None and type(ratio) is not Fraction:
        raise TypeError("a ratio is a Fraction")
    values += [
        None if ratio is None else [ratio.numerator, ratio.denominator],
        _plain(entry.scores_zero),
    ]
    return values


def _plain(value: Any) -> Any:
    if type(value) not in _PLAIN:
        raise TypeError(f"cannot store {type(value).__name__}")
    return value


def _day(day: date | None) -> str | None:
    if day is None:
        return None
    if type(day) is not date:
        raise TypeError("a day is a date")
    return day.isoformat()


def _decode(values: list[Any]) -> Evaluated:
    """The entry `_encode` wrote as `values` (ValueError, TypeError, KeyError or IndexError
    when it is not one)."""
    scores_zero = values.pop()
    ratio = values.pop()
    if len(values) != len(_FIELDS) or type(scores_zero) is not bool:
        raise ValueError("not a stored row")
    values[_BASIS] = _BASES[values[_BASIS]]
    values[_STATUS] = _STATUSES[values[_STATUS]]
    if values[_FORECAST_DATE] is not None:
        values[_FORECAST_DATE] = date.fromisoformat(values[_FORECAST_DATE])
    items = values[_OVERDUE_ITEMS]
    values[_OVERDUE_ITEMS] = (
        tuple(
            OverdueItem(id, name, owner, leader, date.fromisoformat(due))
            for id, name, owner, leader, due in items
        )
        if items
        else ()
    )
    figure = values[_OVERDUE_FIGURE]
    if figure is not None:
        period, due_by = figure
        values[_OVERDUE_FIGURE] = OverdueFigure(period, date.fromisoformat(due_by))
    return Evaluated(
        TargetRow(*values),
        None if ratio is None else Fraction(int(ratio[0]), int(ratio[1])),
        scores_zero,
    )
