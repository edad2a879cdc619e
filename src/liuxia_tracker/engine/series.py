"""Figures matched to their plan targets: one series per target, latest record winning.

Guarantees: pure (no I/O, no storage types): it takes records (`Recorded`: a figure and the
line it starts on) and returns series and findings. Each figure is matched to its target, its
unit converted to the target's unit, and its period checked against the target's cadence and
the plan's year; a figure that cannot be matched yields one `Finding` naming the rule it
breaks and the field it is about, and is left out. For each period the latest record wins;
the earlier ones are kept as revisions. Item records keep the latest state per item. A
retraction (a record with `retraction`) withdraws the standing figure of its period or item:
the record it superseded stands again, or, when there is none, the period or item has no figure.

`SeriesBuilder` is incremental: `check` and `status` feed it a whole file, `record` and
`import` the winning records so far, then ask `match` about each candidate figure before they
`add` it, so every command matches figures by the same rules.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Any, NamedTuple

from liuxia_tracker.diagnostics import Finding
from liuxia_tracker.domain.models import District, Plan, Target
from liuxia_tracker.domain.periods import Period, PeriodKind, fits_cadence
from liuxia_tracker.domain.records import FigureRecord, Recorded
from liuxia_tracker.domain.units import UnitError, conversion_factor, parse_unit


class Point(NamedTuple):
    """A figure in a series. A named tuple: a million are built, and a tuple is built fastest."""

    period: Period
    value: float  # in the target's unit
    line: int
    figure: FigureRecord
    # What the engine needs to replay a past day: when the figure was made public, and the
    # day it was recorded (its `recorded_at` as written, in its own timezone).
    published: date | None = None
    recorded: date | None = None


@dataclass
class Series:
    target: Target
    points: list[Point] = field(default_factory=list)  # latest per period, sorted by period
    revisions: dict[Period, list[Point]] = field(default_factory=dict)  # superseded points
    items: dict[str, Recorded] = field(default_factory=dict)  # latest record per named item
    # Figures a retraction withdrew, each with the day the retraction became known (None: it
    # does not say, so it always was): a report of an earlier day still counts them.
    withdrawn: dict[Period, list[tuple[Point, date | None]]] = field(default_factory=dict)


LineFinding = tuple[int, Finding]  # a finding about the record that starts on that line


def suggestion(name: str, known: Iterable[str]) -> str:
    """A hint after "no such id": the id that contains `name` or is closest to it, else the
    ids themselves when there are a dozen or fewer."""
    choices = list(known)
    containing = [choice for choice in choices if name and name in choice]
    close = containing[:1] or difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" (it has: {', '.join(choices)})" if len(choices) <= 12 else ""


class _TargetReading:
    """What the builder works out once per target, not once per record."""

    __slots__ = (
        "cadence",
        "factors",
        "item_history",
        "item_ids",
        "latest",
        "named_only",
        "series",
        "superseded",
        "withdrawn",
    )

    def __init__(self, target: Target) -> None:
        self.series = Series(target)
        self.cadence = PeriodKind(target.cadence)
        self.named_only = target.kind == "items" and len(target.items) >= target.value
        self.item_ids = [item.id for item in target.items]
        self.factors: dict[str | None, float | str] = {}  # by unit: factor, or why none
        # Keyed by the period's text, whose hash a str keeps (a Period computes its own): the
        # winning figure of each period so far and its value in the target's unit, and (when
        # revisions are kept) the ones it superseded, in file order.
        self.latest: dict[str, tuple[float, Recorded]] = {}
        self.superseded: dict[str, list[tuple[float, Recorded]]] = {}
        self.item_history: dict[str, list[Recorded]] = {}  # earlier states, for retractions
        # The figures retractions withdrew, with the day each retraction became known.
        self.withdrawn: dict[str, list[tuple[float, Recorded, date | None]]] = {}


_UNJUDGED: Any = object()


class SeriesBuilder:
    """One district's series, built a record at a time. `revisions=False` keeps no superseded
    points (a report or a check does not look at them, and a million cost time to keep)."""

    def __init__(
        self, plan: Plan, district: District, *, revisions: bool = True, replay: bool = False
    ) -> None:
        self.plan = plan
        self.district = district
        self.revisions = revisions
        # Only what a replay of a past day can count: an earlier record no report could count
        # (one known no earlier than the record after it) is dropped (`_never_counted`).
        self.replay = replay
        self._readings = {target.id: _TargetReading(target) for target in district.targets}
        # Whether a period fits a cadence and the plan year: the same for every target.
        self._verdicts: dict[tuple[PeriodKind, str], str | None] = {}

    def match(self, figure: FigureRecord) -> tuple[Finding | None, float | None]:
        """Whether `figure` can join a series (None, or the finding that keeps it out), and
        its value in the target's unit (None for an item's state)."""
        reading = self._readings.get(figure.target)
        if reading is None:
            return self._unknown_target(figure), None
        target = reading.series.target
        if figure.item is not None:
            return self._item_problem(reading, figure.item), None
        period = figure.period
        value = figure.value
        assert period is not None
        judged = (reading.cadence, period.text)
        verdict = self._verdicts.get(judged, _UNJUDGED)
        if verdict is _UNJUDGED:
            verdict = self._verdicts[judged] = _period_rule(self.plan.year, reading.cadence, period)
        if verdict is not None:
            return _period_finding(verdict, self.plan.year, target, period), None
        if value is None:  # a retraction: it names the period, and carries no value
            return None, None
        factor = reading.factors.get(figure.unit)
        if factor is None:
            factor = reading.factors[figure.unit] = _factor(figure.unit, target)
        if isinstance(factor, str):
            return Finding("unit-mismatch", "unit", factor), None
        if reading.named_only:
            return Finding(
                "unknown-item",
                "value",
                f"every item of {target.id} is named: record them with `item:` and `done:`",
            ), None
        return None, (value if factor == 1.0 else value * factor)

    def add(self, recorded: Recorded) -> Finding | None:
        """Add one record; the finding that keeps it out of every series, if any."""
        finding, value = self.match(recorded.figure)
        if finding is not None:
            return finding
        figure = recorded.figure
        reading = self._readings[figure.target]
        if figure.retraction is not None:
            self._retract(reading, figure)
            return None
        if figure.item is not None:
            earlier = reading.series.items.get(figure.item)
            if earlier is not None:
                reading.item_history.setdefault(figure.item, []).append(earlier)
            reading.series.items[figure.item] = recorded
            return None
        assert figure.period is not None and value is not None
        key = figure.period.text
        previous = reading.latest.get(key)
        if (
            previous is not None
            and self.revisions
            and not (self.replay and _never_counted(previous[1].figure, figure))
        ):
            reading.superseded.setdefault(key, []).append(previous)
        reading.latest[key] = (value, recorded)
        return None

    @staticmethod
    def _retract(reading: _TargetReading, figure: FigureRecord) -> None:
        """Withdraw the standing figure of the retraction's period or item."""
        if figure.item is not None:
            earlier = reading.item_history.get(figure.item)
            if earlier:
                reading.series.items[figure.item] = earlier.pop()
            else:
                reading.series.items.pop(figure.item, None)
            return
        assert figure.period is not None
        key = figure.period.text
        standing = reading.latest.get(key)
        if standing is not None:
            stamp = figure.recorded_at
            known = figure.published or (None if stamp is None else stamp.date())
            reading.withdrawn.setdefault(key, []).append((*standing, known))
        superseded = reading.superseded.get(key)
        if superseded:
            reading.latest[key] = superseded.pop()
        else:
            reading.latest.pop(key, None)

    def add_all(self, records: Iterable[Recorded]) -> list[LineFinding]:
        """Add every record; the findings that kept some out, with their lines."""
        add = self.add
        readings = self._readings
        verdicts = self._verdicts
        keep_superseded = self.revisions
        replay = self.replay
        found = []
        for recorded in records:
            # The usual record, added here as `add` adds it: a period's figure of a known
            # target, its period already judged good and its unit's factor already worked out.
            figure = recorded[0]
            reading = readings.get(figure.target)
            if (
                reading is not None
                and figure.item is None
                and figure.retraction is None
                and not reading.named_only
            ):
                period = figure.period
                value = figure.value
                factor = reading.factors.get(figure.unit)
                if (
                    value is not None
                    and period is not None
                    and factor.__class__ is float
                    and verdicts.get((reading.cadence, period.text), _UNJUDGED) is None
                ):
                    if factor != 1.0:
                        value = value * factor
                    key = period.text
                    latest = reading.latest
                    previous = latest.get(key)
                    if (
                        previous is not None
                        and keep_superseded
                        and not (replay and _never_counted(previous[1].figure, figure))
                    ):
                        reading.superseded.setdefault(key, []).append(previous)
                    latest[key] = (value, recorded)
                    continue
            finding = add(recorded)
            if finding is not None:
                found.append((recorded.line, finding))
        return found

    def held(self) -> list[Recorded]:
        """Every record the builder still holds (standing, superseded, withdrawn, item states
        and their history), in file order: fed to a new builder, with the records it left
        out for a finding and every retraction, they give the same reports."""
        held: list[Recorded] = []
        for reading in self._readings.values():
            held.extend(recorded for _, recorded in reading.latest.values())
            for superseded in reading.superseded.values():
                held.extend(recorded for _, recorded in superseded)
            for withdrawn in reading.withdrawn.values():
                held.extend(recorded for _, recorded, _ in withdrawn)
            held.extend(reading.series.items.values())
            for history in reading.item_history.values():
                held.extend(history)
        held.sort(key=_LINE)
        return held

    def series(self) -> dict[str, Series]:
        """Every target's series as built so far (points sorted, revisions attached)."""
        new = _new_tuple
        for reading in self._readings.values():
            points: list[Point] = []
            append = points.append
            revisions: dict[Period, list[Point]] = {}
            superseded_of = reading.superseded if self.revisions else None
            for key, (converted, recorded) in reading.latest.items():
                figure, line = recorded
                period = figure.period
                assert period is not None
                stamp = figure.recorded_at
                append(  # as `_point` makes it, written out: a million are made
                    new(
                        Point,
                        (
                            period,
                            converted,
                            line,
                            figure,
                            figure.published,
                            None if stamp is None else stamp.date(),
                        ),
                    )
                )
                if superseded_of:
                    superseded = superseded_of.get(key)
                    if superseded:
                        revisions[period] = [
                            _point(period, old_value, old) for old_value, old in superseded
                        ]
            # By the day a figure runs through; of two that end the same day (`2023` and
            # `2023-12`), the one recorded later in the file is the later, so it wins as latest.
            points.sort(key=_PERIOD_ORDER)
            reading.series.points = points
            reading.series.revisions = revisions
            withdrawn: dict[Period, list[tuple[Point, date | None]]] = {}
            for entries in reading.withdrawn.values():
                for value, recorded, known in entries:
                    period = recorded.figure.period
                    assert period is not None
                    withdrawn.setdefault(period, []).append(
                        (_point(period, value, recorded), known)
                    )
            reading.series.withdrawn = withdrawn
        return {target_id: reading.series for target_id, reading in self._readings.items()}

    def _unknown_target(self, figure: FigureRecord) -> Finding:
        return Finding(
            "unknown-target",
            "target",
            f"{self.district.id} has no target {figure.target!r}"
            + suggestion(figure.target, self._readings),
        )

    @staticmethod
    def _item_problem(reading: _TargetReading, item: str) -> Finding | None:
        target = reading.series.target
        if target.kind != "items":
            return Finding(
                "unknown-item", "item", f"{target.id} is a {target.kind} target; it has no items"
            )
        if item not in reading.item_ids:
            return Finding(
                "unknown-item",
                "item",
                f"{target.id} has no item {item!r}" + suggestion(item, reading.item_ids),
            )
        return None


def build_series(
    plan: Plan,
    district: District,
    records: Iterable[Recorded],
    *,
    revisions: bool = True,
    replay: bool = False,
) -> tuple[dict[str, Series], list[LineFinding]]:
    """Each target's series from a district's records, and a finding (with the record's line)
    for every record that cannot join one. `replay=True` keeps only the superseded records a
    report of some past day could count."""
    records = records if isinstance(records, list) else list(records)
    # A retraction brings the record before it back, so with one in the log every superseded
    # record is kept, whatever `revisions` and `replay` ask.
    retractions = any(recorded.figure.retraction is not None for recorded in records)
    builder = SeriesBuilder(
        plan, district, revisions=revisions or retractions, replay=replay and not retractions
    )
    found = builder.add_all(records)
    return builder.series(), found


def _known_from(figure: FigureRecord, period: Period) -> date:
    """The first day a figure without a `published` date counts (`judgement.is_known`): the
    day it was recorded while its period ran, else its period's end."""
    stamp = figure.recorded_at
    if stamp is None:
        return period.end
    return min(period.end, max(period.start, stamp.date()))


def _never_counted(earlier: FigureRecord, later: FigureRecord) -> bool:
    """Whether no report of any day could count `earlier` once `later` (the same period,
    later in the log) is there: neither says when it was published, and `later` counts from
    a day no later than `earlier` does."""
    if earlier.published is not None or later.published is not None:
        return False
    assert earlier.period is not None
    return _known_from(later, earlier.period) <= _known_from(earlier, earlier.period)


_PERIOD_ORDER = attrgetter("period.end", "line")
_LINE = attrgetter("line")


def _point(period: Period, value: float, record: Recorded) -> Point:
    figure, line = record
    stamp = figure.recorded_at
    # Every field given, so the tuple is made directly (a named tuple's own `__new__` is
    # Python code, and a million points are made).
    return _new_tuple(
        Point,
        (period, value, line, figure, figure.published, None if stamp is None else stamp.date()),
    )


_new_tuple = tuple.__new__


def _factor(unit: str | None, target: Target) -> float | str:
    """The factor from `unit` to the target's unit, or why there is none."""
    if unit is None:
        return 1.0
    try:
        return conversion_factor(parse_unit(unit), parse_unit(target.unit))
    except UnitError as error:
        return str(error)


def _period_rule(year: int, cadence: PeriodKind, period: Period) -> str | None:
    """Which rule a figure for `period` breaks in a series reported by `cadence`, if any."""
    if not fits_cadence(period, cadence):
        return "period-cadence"
    if period.year != year:
        return "period-year"
    return None


def _period_finding(code: str, year: int, target: Target, period: Period) -> Finding:
    if code == "period-cadence":
        return Finding(
            "period-cadence",
            "period",
            f"period {period} is a {period.kind.value}; {target.id} is reported by "
            f"{target.cadence}",
        )
    return Finding("period-year", "period", f"period {period} is outside the plan year {year}")
