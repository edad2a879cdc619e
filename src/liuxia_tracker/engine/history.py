"""One target's history: every record, superseded ones too, and which one wins each period.

Guarantees: pure. Built from the target's records as read (with their lines) and the lines
that did not read as records; each entry's standing is the series builder's verdict, so
history, `status` and `check` agree on which figure counts.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from liuxia_tracker.domain.models import District, Plan, Target
from liuxia_tracker.domain.periods import Period
from liuxia_tracker.domain.records import FigureRecord, Recorded
from liuxia_tracker.engine.series import SeriesBuilder, build_series

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
        if recorded.line not in problems:
            _track_retraction(recorded, standing, withdrawn)
    return withdrawn


def _track_retraction(
    recorded: Recorded, standing: dict[str, list[int]], withdrawn: set[int]
) -> None:
    """One record, in file order: a figure stands for its period or item in turn; a
    retraction withdraws the one standing, and the one before stands again."""
    figure = recorded.figure
    key = f"item {figure.item}" if figure.item is not None else str(figure.period)
    stack = standing.setdefault(key, [])
    if figure.retraction is None:
        stack.append(recorded.line)
    elif stack:
        withdrawn.add(stack.pop())


@dataclass(frozen=True, slots=True)
class Outline:
    """What a history needs to know before its first entry: which line wins each period (or
    item), which are ignored and why, and the series. Its size depends on the periods and the
    problems, not on the number of records."""

    district: District
    target: Target
    display: str
    records: int  # entries in all, unreadable lines included
    winners: dict[int, float]  # line → its value in the target's unit
    item_winners: frozenset[int]
    retracted: frozenset[int]  # lines a retraction withdrew
    problems: dict[int, str]
    series: list[tuple[str, float]]


def outline_of(
    plan: Plan,
    district: District,
    target: Target,
    display: str,
    records: Iterable[Recorded | int],
) -> Outline:
    """The outline of a history, from one pass over its records (an int is a line that did not
    read as a record), keeping no record: per period or item only the lines that stood in
    turn (4 bytes each) and their values, so a retraction can bring the one before back, as
    the series builder does."""
    matcher = SeriesBuilder(plan, district, revisions=False)
    count = 0
    problems: dict[int, str] = {}
    lines: dict[str, array[int]] = {}  # per period or item: the lines standing in turn
    values: dict[str, array[float]] = {}  # per period: their values in the target's unit
    periods: dict[str, Period] = {}
    retracted: set[int] = set()
    for recorded in records:
        count += 1
        if isinstance(recorded, int):
            problems[recorded] = UNREADABLE
            continue
        finding, value = matcher.match(recorded.figure)
        if finding is not None:
            problems[recorded.line] = finding.message
            continue
        figure = recorded.figure
        key = f"item {figure.item}" if figure.item is not None else str(figure.period)
        stack = lines.setdefault(key, array("i"))
        amounts = values.setdefault(key, array("d"))
        if figure.retraction is not None:
            if stack:
                retracted.add(stack.pop())
                amounts.pop()
            continue
        stack.append(recorded.line)
        amounts.append(0.0 if value is None else value)
        if figure.item is None and figure.period is not None:
            periods[key] = figure.period
    standing = [
        (periods[key], stack[-1], values[key][-1])
        for key, stack in lines.items()
        if stack and key in periods
    ]
    standing.sort(key=lambda entry: (entry[0].end, entry[1]))
    return Outline(
        district,
        target,
        display,
        count,
        {line: value for _, line, value in standing},
        frozenset(stack[-1] for key, stack in lines.items() if stack and key not in periods),
        frozenset(retracted),
        problems,
        [(str(period), value) for period, _, value in standing],
    )


def entries_of(
    plan: Plan, district: District, outline: Outline, records: Iterable[Recorded | int]
) -> Iterator[HistoryEntry]:
    """Each entry of a history, one at a time, from a second pass over the same records."""
    matcher = SeriesBuilder(plan, district, revisions=False)
    for recorded in records:
        if isinstance(recorded, int):
            yield HistoryEntry(recorded, None, "ignored", None, UNREADABLE)
            continue
        line = recorded.line
        figure = recorded.figure
        if line in outline.problems:
            yield HistoryEntry(line, figure, "ignored", None, outline.problems[line])
        elif figure.retraction is not None:
            yield HistoryEntry(line, figure, "retraction")
        elif line in outline.retracted:
            yield HistoryEntry(line, figure, "retracted", matcher.match(figure)[1])
        elif line in outline.winners:
            yield HistoryEntry(line, figure, "wins", outline.winners[line])
        elif line in outline.item_winners:
            yield HistoryEntry(line, figure, "wins")
        else:
            yield HistoryEntry(line, figure, "superseded", matcher.match(figure)[1])
