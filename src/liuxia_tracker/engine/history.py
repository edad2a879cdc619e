"""One target's history: every record, superseded ones too, and which one wins each period.

Guarantees: pure. Built from the target's records as read (with their lines) and the lines
that did not read as records; each entry's standing is the series builder's verdict, so
history, `status` and `check` agree on which figure counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from liuxia_tracker.domain.models import District, FigureRecord, Plan, Recorded, Target
from liuxia_tracker.engine.series import build_series

# A retraction record is `retraction`; the record it withdrew is `retracted`.
Standing = Literal["wins", "superseded", "ignored", "retracted", "retraction"]
UNREADABLE = "the line does not read as a record"


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    line: int
    figure: FigureRecord | None  # None when the line does not read as a record
    standing: Standing
    value: float | None = None  # in the target's unit
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class History:
    district: District
    target: Target
    display: str
    entries: list[HistoryEntry]
    series: list[tuple[str, float]]  # the winning value of each period, in period order


def history_of(
    plan: Plan,
    district: District,
    target: Target,
    display: str,
    records: list[Recorded],
    unreadable: list[int],
) -> History:
    """The history of `target` from its records in the district's log."""
    all_series, found = build_series(plan, district, records)
    series = all_series[target.id]
    problem_at = {line: finding.message for line, finding in found}
    winners = {point.line: point for point in series.points}
    item_winners = {recorded.line for recorded in series.items.values()}
    revised = {p.line: p for points in series.revisions.values() for p in points}
    retracted = _retracted_lines(records, problem_at)
    entries: list[HistoryEntry] = []
    for recorded in records:
        line = recorded.line
        if line in problem_at:
            entries.append(HistoryEntry(line, recorded.figure, "ignored", None, problem_at[line]))
        elif recorded.figure.retraction is not None:
            entries.append(HistoryEntry(line, recorded.figure, "retraction"))
        elif line in retracted:
            old = revised.get(line)
            value = old.value if old is not None else None
            entries.append(HistoryEntry(line, recorded.figure, "retracted", value))
        elif line in winners:
            entries.append(HistoryEntry(line, recorded.figure, "wins", winners[line].value))
        elif line in item_winners:
            entries.append(HistoryEntry(line, recorded.figure, "wins"))
        else:
            old = revised.get(line)
            value = old.value if old is not None else None
            entries.append(HistoryEntry(line, recorded.figure, "superseded", value))
    entries.extend(HistoryEntry(line, None, "ignored", None, UNREADABLE) for line in unreadable)
    entries.sort(key=lambda entry: entry.line)
    points = [(str(point.period), point.value) for point in series.points]
    return History(district, target, display, entries, points)


def _retracted_lines(records: list[Recorded], problems: dict[int, str]) -> set[int]:
    """The lines of the records retractions withdrew, replayed as the series builder does:
    each retraction withdraws the standing record of its period or item."""
    standing: dict[str, list[int]] = {}
    withdrawn: set[int] = set()
    for recorded in records:
        if recorded.line in problems:
            continue
        figure = recorded.figure
        key = f"item {figure.item}" if figure.item is not None else str(figure.period)
        stack = standing.setdefault(key, [])
        if figure.retraction is None:
            stack.append(recorded.line)
        elif stack:
            withdrawn.add(stack.pop())
    return withdrawn
