"""The rules about figures beyond matching them to a target: each rule is one small function
that owns its code, the field it points at and its sentence.

Guarantees: pure. `check` runs them over whole series (`series_findings`); `record` and
`import` run the very same functions over the series so far plus the new figures
(`figure_findings` for a figure on its own, `cumulative_decrease` against its neighbours), so
the same figure gets the same code and the same sentence from all three; only where the
finding is shown differs. Matching a figure to its target (unknown target or item, a period
that does not fit, a unit that does not convert) is `engine.series`'s part.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, datetime
from typing import NamedTuple, Protocol

from liuxia_tracker.diagnostics import Finding
from liuxia_tracker.domain.models import Settings, Target
from liuxia_tracker.domain.periods import Period
from liuxia_tracker.domain.units import (
    Unit,
    amount_in_base,
    is_count,
    number_text,
    parse_unit,
    whole_in_base,
)
from liuxia_tracker.engine.series import LineFinding, Series

_Day = date  # `date` is also a field name below


class FigureFields(Protocol):
    """What the figure rules read: a `Figure` to be written, or a figure as read from a file."""

    @property
    def period(self) -> Period | None: ...
    @property
    def value(self) -> float | None: ...
    @property
    def unit(self) -> str | None: ...
    @property
    def item(self) -> str | None: ...
    @property
    def date(self) -> _Day | None: ...
    @property
    def recorded_at(self) -> datetime | None: ...
    @property
    def provisional(self) -> bool | None: ...
    @property
    def forced(self) -> bool | None: ...


_DEFAULTS = Settings()


class Neighbour(NamedTuple):
    """A winning figure next to the one being judged: its period, its value in the target's
    unit, and where a reader finds it ("line 5", "line 5 of data/figures/lixia.yaml",
    "row 3")."""

    period: Period
    value: float
    where: str


def amount(value: float, unit: str) -> str:
    """A value as a reader writes it: `2 亿元`, `6%`; never with an exponent, and to twelve
    significant digits, so a converted 29000 万元 reads 2.9 亿元, not 2.9000000000000004."""
    number = number_text(float(f"{value:.12g}"))
    return f"{number}{unit}" if unit in ("%", "％") else f"{number} {unit}"


def is_year_to_date(target: Target) -> bool:
    """Whether the target's figures are year-to-date totals, which never fall."""
    return target.kind == "items" or (
        target.kind == "quantity" and target.reported_as == "cumulative"
    )


def counts_things(target: Target) -> bool:
    """Whether the target's figures are counts: an items target (its unnamed items done), or a
    quantity in a count unit (个, 栋, …)."""
    return target.kind == "items" or (
        target.kind == "quantity" and is_count(parse_unit(target.unit))
    )


# -- rules about one figure ---------------------------------------------------------------


def negative_count(target: Target, period: Period, value: float) -> Iterator[Finding]:
    """Amounts and counts are never negative (rates may be). `value` in the target's unit."""
    if target.kind != "rate" and value < 0:
        yield Finding(
            "negative-count",
            "value",
            f"{target.id} {period} is {amount(value, target.unit)}; "
            "an amount or count cannot be negative",
        )


def not_in_future(figure: FigureFields, target: Target, as_of: _Day) -> Iterator[Finding]:
    """No figure covers a period that has not begun on `as_of`, and none is dated after it."""
    period = figure.period
    if period is not None and period.start > as_of:
        yield Finding("future-figure", "period", f"{target.id} {period} has not begun on {as_of}")
    elif figure.date is not None and figure.date > as_of:
        what = f"item {figure.item!r}" if figure.item is not None else f"{target.id} {period}"
        yield Finding("future-figure", "date", f"{what} is dated {figure.date}, after {as_of}")


def item_date_in_year(figure: FigureFields, year: int) -> Iterator[Finding]:
    """An item's done-date falls in the plan year (a 2022 date is not progress in 2023)."""
    done_on = figure.date
    if figure.item is not None and done_on is not None and done_on.year != year:
        yield Finding(
            "date-year",
            "date",
            f"item {figure.item!r} is dated {done_on}, outside the plan year {year}",
        )


def counts_are_whole(figure: FigureFields, target: Target) -> Iterator[Finding]:
    """A figure counting things (`counts_things`) is a whole number, judged in the base unit
    (1.5万个 is 15,000 个, whole)."""
    if figure.value is None or figure.item is not None or not counts_things(target):
        return
    unit = parse_unit(figure.unit or target.unit)
    if whole_in_base(figure.value, unit):
        return
    base = unit.base or parse_unit(target.unit).base  # a bare 万 takes the target's base
    what = "a count of items done" if target.kind == "items" else f"a count in {base}"
    shown = f"{number_text(figure.value)} {unit.text}"
    if unit.factor != 1.0:
        shown += f" ({amount_in_base(figure.value, unit).normalize():f} {base})"
    yield Finding(
        "not-whole", "value", f"{target.id} {figure.period} is {shown}; {what} is a whole number"
    )


def items_count_in_range(
    figure: FigureFields, target: Target, value: float | None
) -> Iterator[Finding]:
    """A count on an items target (`value`, in the target's unit) counts only its unnamed
    items, so it is at most the target's value less the named items (below 0 is
    `negative-count`)."""
    if target.kind != "items" or value is None or figure.item is not None:
        return
    named = len(target.items)
    unnamed = int(target.value) - named
    if value <= unnamed:
        return
    written = figure.value if figure.value is not None else value
    shown = f"{number_text(written)} {figure.unit or target.unit}"
    if named:
        limit = (
            f"more than its {unnamed} unnamed items ({number_text(target.value)} in all; "
            f"the {named} named ones are recorded by item)"
        )
    else:
        limit = f"more than its {unnamed} items"
    yield Finding("count-range", "value", f"{target.id} {figure.period} is {shown}, {limit}")


_INSIST = "if it is right, record it with --force"


def implausible_value(
    figure: FigureFields, target: Target, value: float | None, max_ratio: float
) -> Iterator[Finding]:
    """A figure more than `max_ratio` times its target (`settings.max_ratio`, in the target's
    unit) is a likely slip (万 for 亿, a misplaced point), unless recorded as `forced`."""
    if figure.forced or value is None or figure.period is None or target.value == 0:
        return
    if abs(value) > max_ratio * abs(target.value):
        yield Finding(
            "implausible-value",
            "value",
            f"{target.id} {figure.period} is {amount(value, target.unit)}, more than "
            f"{number_text(max_ratio)} times the target of {amount(target.value, target.unit)}; "
            + _INSIST,
        )


def implausible_jump(
    figure: FigureFields,
    target: Target,
    period: Period,
    value: float,
    before: Neighbour | None,
    max_ratio: float,
) -> Iterator[Finding]:
    """A year-to-date total more than `max_ratio` times the one before it is a likely slip,
    unless recorded as `forced`."""
    if figure.forced or before is None or before.value <= 0 or not is_year_to_date(target):
        return
    if value > max_ratio * before.value:
        yield Finding(
            "implausible-value",
            "value",
            f"{target.id} {period} is {amount(value, target.unit)}, more than "
            f"{number_text(max_ratio)} times {amount(before.value, target.unit)} for "
            f"{before.period} on {before.where}; " + _INSIST,
        )


def early_figure(
    figure: FigureFields, target: Target, day: _Day, early_days: int
) -> Iterator[Finding]:
    """A figure sent on `day` for a period with more than `early_days` days still to run is a
    快报 (provisional), and must say so: it is refused unless recorded as `provisional`."""
    period = figure.period
    if figure.provisional or period is None or period.start > day:
        return  # a period not begun is `future-figure`'s
    left = (period.end - day).days
    if left > early_days:
        yield Finding(
            "early-figure",
            "period",
            f"{target.id} {period} runs until {period.end}, {left} days after {day}; a figure "
            "sent before its period ends is provisional (快报): record it with --provisional",
        )


def figure_findings(
    figure: FigureFields,
    target: Target,
    year: int,
    value: float | None,
    as_of: _Day,
    settings: Settings = _DEFAULTS,
    *,
    sent_on: _Day | None = None,
) -> list[Finding]:
    """Every rule about one figure that joins `target`'s series, in a fixed order. `value`:
    its amount in the target's unit, None for an item's state. `sent_on`: the day the figure
    is recorded (default: the day its `recorded_at` says, if any), for `early_figure`."""
    found: list[Finding] = []
    if value is not None and figure.period is not None:
        found.extend(negative_count(target, figure.period, value))
    found.extend(not_in_future(figure, target, as_of))
    found.extend(item_date_in_year(figure, year))
    found.extend(counts_are_whole(figure, target))
    found.extend(items_count_in_range(figure, target, value))
    if not found:  # a figure already wrong is not also implausible
        found.extend(implausible_value(figure, target, value, settings.max_ratio))
    if sent_on is None and figure.recorded_at is not None:
        sent_on = figure.recorded_at.date()
    if sent_on is not None and value is not None and not found:
        found.extend(early_figure(figure, target, sent_on, settings.early_days))
    return found


# -- the rule about a figure among its neighbours -----------------------------------------


def cumulative_decrease(
    target: Target,
    period: Period,
    value: float,
    before: Neighbour | None,
    after: Neighbour | None = None,
) -> Iterator[Finding]:
    """A year-to-date total (a cumulative quantity, or items done) never falls: it is no
    less than the winning figure of the period before, and no more than the one after."""
    if not is_year_to_date(target):
        return
    shown = amount(value, target.unit)
    if before is not None and value < before.value:
        yield Finding(
            "cumulative-decrease",
            "value",
            f"{target.id} {period} is {shown}, below {amount(before.value, target.unit)} for "
            f"{before.period} on {before.where}; a year-to-date total cannot fall",
        )
    if after is not None and value > after.value:
        yield Finding(
            "cumulative-decrease",
            "value",
            f"{target.id} {period} is {shown}, above {amount(after.value, target.unit)} for "
            f"the later {after.period} on {after.where}; a year-to-date total cannot fall",
        )


# -- every rule over a whole series, as `check` runs them ---------------------------------


def series_findings(
    series: Series, year: int, as_of: _Day, settings: Settings = _DEFAULTS
) -> Iterator[LineFinding]:
    """Every figure rule over the winning record of each period and of each item.

    A check of a million records spends its time here, so the common case (a figure that
    breaks no rule) is decided with plain comparisons before any rule builds a message.
    """
    target = series.target
    year_to_date = is_year_to_date(target)
    counting = counts_things(target)
    may_be_negative = target.kind == "rate"
    limit = target.value - len(target.items) if target.kind == "items" else math.inf
    max_ratio = settings.max_ratio
    implausible = max_ratio * abs(target.value) if target.value else math.inf
    early = settings.early_days
    units: dict[str | None, Unit] = {}
    previous = None
    for point in series.points:
        figure = point.figure
        value = point.value
        stamp = point.recorded
        suspect = (
            (not may_be_negative and value < 0)
            or point.period.start > as_of
            or (figure.date is not None and (figure.date > as_of or figure.date.year != year))
            or abs(value) > implausible
            or (stamp is not None and (point.period.end - stamp).days > early)
        )
        if not suspect and counting:
            written = figure.value
            if written is None or value > limit:
                suspect = True
            else:
                unit = units.get(figure.unit)
                if unit is None:
                    unit = units[figure.unit] = parse_unit(figure.unit or target.unit)
                suspect = not whole_in_base(written, unit)
        if suspect:
            for finding in figure_findings(figure, target, year, value, as_of, settings):
                yield point.line, finding
        if year_to_date and previous is not None:
            if value < previous.value:
                before = Neighbour(previous.period, previous.value, f"line {previous.line}")
                for finding in cumulative_decrease(target, point.period, value, before):
                    yield point.line, finding
            elif previous.value > 0 and value > max_ratio * previous.value:
                before = Neighbour(previous.period, previous.value, f"line {previous.line}")
                for finding in implausible_jump(
                    figure, target, point.period, value, before, max_ratio
                ):
                    yield point.line, finding
        previous = point
    for recorded in series.items.values():
        for finding in figure_findings(recorded.figure, target, year, None, as_of, settings):
            yield recorded.line, finding
