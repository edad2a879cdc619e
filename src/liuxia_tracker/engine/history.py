"""One target's history: every record, superseded ones too, and which one wins each period.

Guarantees: pure. Built from the target's records as read (with their lines) and the lines
that did not read as records; each entry's standing is the series builder's verdict, so
history, `status` and `check` agree on which figure counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from liuxia_tracker.domain.models import District, FigureRecord, Plan, Recorded, Target
from liuxia_tracker.engine.series import SeriesBuilder, build_series

Standing = Literal["wins", "superseded", "ignored"]
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
    entries: list[HistoryEntry] = []
    for recorded in records:
        line = recorded.line
        if line in problem_at:
            entries.append(HistoryEntry(line, recorded.figure, "ignored", None, problem_at[line]))
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
    read as a record), keeping no record."""
    builder = SeriesBuilder(plan, district, revisions=False)
    count = 0
    problems: dict[int, str] = {}
    for recorded in records:
        count += 1
        if isinstance(recorded, int):
            problems[recorded] = UNREADABLE
            continue
        finding = builder.add(recorded)
        if finding is not None:
            problems[recorded.line] = finding.message
    series = builder.series()[target.id]
    return Outline(
        district,
        target,
        display,
        count,
        {point.line: point.value for point in series.points},
        frozenset(recorded.line for recorded in series.items.values()),
        problems,
        [(str(point.period), point.value) for point in series.points],
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
        elif line in outline.winners:
            yield HistoryEntry(line, figure, "wins", outline.winners[line])
        elif line in outline.item_winners:
            yield HistoryEntry(line, figure, "wins")
        else:
            yield HistoryEntry(line, figure, "superseded", matcher.match(figure)[1])
