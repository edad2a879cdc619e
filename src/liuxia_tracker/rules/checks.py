"""Rules beyond the schema: each a small function yielding diagnostics.

Guarantees: pure over loaded models and their positions; every rule has a stable code (listed
in docs/diagnostics.md) and yields one diagnostic per offending value: a plan rule at the
value's line and column, a figure rule at its record's first line (`checking` then moves it to
the value's column, reading only the records that have a problem). `run_checks` runs every rule over a whole data set and returns the sorted
diagnostics. Duplicate ids are found in the plan as written, so they are reported even when
another problem keeps the plan from loading.

The rules about one figure on its own (`figure_findings`: an item's date in the plan year, a
count that is whole and within its items) are shared with `record` and `import`, which refuse
what they find, so a figure those accept never makes `check` fail.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, Protocol

from liuxia_tracker.commands.dataset import Dataset
from liuxia_tracker.diagnostics import Diagnostic
from liuxia_tracker.domain.models import Plan, Target
from liuxia_tracker.domain.periods import Period
from liuxia_tracker.domain.units import Unit, amount_in_base, is_count, parse_unit, whole_in_base
from liuxia_tracker.engine.series import Point, Series, build_series
from liuxia_tracker.log.figures import FigureFile, number_text
from liuxia_tracker.plan.loading import Parsed, PathKey


def _at(parsed: Parsed | None, path: PathKey) -> tuple[int, int]:
    if parsed is None:
        return (1, 1)
    return parsed.positions.get(path, (1, 1))


def _entries(container: Any, key: str) -> list[Any]:
    """The list under `key` of a mapping as written, or nothing when it is not one."""
    value = container.get(key) if isinstance(container, dict) else None
    return value if isinstance(value, list) else []


def _ids(entries: list[Any]) -> list[str | None]:
    return [
        entry.get("id") if isinstance(entry, dict) and isinstance(entry.get("id"), str) else None
        for entry in entries
    ]


def unique_ids(plan: Plan | None, parsed: Parsed | None, display: str) -> Iterator[Diagnostic]:
    """District ids are unique in the plan; target ids in a district; item ids in a target.

    Reads the plan as written (`parsed`) when there is one, else the validated `plan`.
    """
    if parsed is not None:
        tree: Any = parsed.value
    elif plan is not None:
        tree = plan.model_dump()
    else:
        return

    def duplicates(ids: list[str | None], path: PathKey, what: str) -> Iterator[Diagnostic]:
        first: dict[str, int] = {}
        for index, identifier in enumerate(ids):
            if identifier is None:
                continue
            location = _at(parsed, (*path, index, "id"))
            if identifier in first:
                yield Diagnostic(
                    display,
                    *location,
                    "duplicate-id",
                    f"{what} id {identifier!r} is already used on line {first[identifier]}",
                )
            else:
                first[identifier] = location[0]

    districts = _entries(tree, "districts")
    yield from duplicates(_ids(districts), ("districts",), "district")
    for d_index, district in enumerate(districts):
        targets_path = ("districts", d_index, "targets")
        targets = _entries(district, "targets")
        yield from duplicates(_ids(targets), targets_path, "target")
        for t_index, target in enumerate(targets):
            items_path = (*targets_path, t_index, "items")
            yield from duplicates(_ids(_entries(target, "items")), items_path, "item")


def items_due_in_year(plan: Plan, parsed: Parsed | None, display: str) -> Iterator[Diagnostic]:
    """An item's due date falls in the plan year."""
    for d_index, district in enumerate(plan.districts):
        for t_index, target in enumerate(district.targets):
            for i_index, item in enumerate(target.items):
                if item.due is not None and item.due.year != plan.year:
                    path = ("districts", d_index, "targets", t_index, "items", i_index, "due")
                    yield Diagnostic(
                        display,
                        *_at(parsed, path),
                        "due-outside-year",
                        f"item {item.id!r} is due {item.due}, outside the plan year {plan.year}",
                    )


PLAN_RULES: tuple[Callable[[Plan, Parsed | None, str], Iterator[Diagnostic]], ...] = (
    unique_ids,
    items_due_in_year,
)


def _amount(value: float, target: Target) -> str:
    """A value in the target's unit as a reader would write it: `2 亿元`, `6%`."""
    unit = target.unit
    return f"{value:g}{unit}" if unit in ("%", "％") else f"{value:g} {unit}"


def cumulative_never_decreases(file: FigureFile, series: Series) -> Iterator[Diagnostic]:
    """A year-to-date total (a cumulative quantity, or items done) never falls."""
    target = series.target
    if target.kind == "rate" or (target.kind == "quantity" and target.reported_as != "cumulative"):
        return
    previous: Point | None = None
    for point in series.points:
        if previous is not None and point.value < previous.value:
            yield Diagnostic(
                file.display,
                point.line,
                1,
                "cumulative-decrease",
                f"{target.id} {point.period} is {_amount(point.value, target)}, below "
                f"{_amount(previous.value, target)} for {previous.period} on line "
                f"{previous.line}; a year-to-date total cannot fall",
            )
        previous = point


def counts_not_negative(file: FigureFile, series: Series) -> Iterator[Diagnostic]:
    """Amounts and counts are never negative (rates may be)."""
    if series.target.kind == "rate":
        return
    for point in series.points:
        if point.value < 0:
            yield Diagnostic(
                file.display,
                point.line,
                1,
                "negative-count",
                f"{series.target.id} {point.period} is {_amount(point.value, series.target)}; "
                "an amount or count cannot be negative",
            )


def not_in_future(file: FigureFile, series: Series, as_of: date) -> Iterator[Diagnostic]:
    """No figure covers a period that has not begun, and nothing is dated after `as_of`."""
    for point in series.points:
        if point.period.start > as_of:
            yield Diagnostic(
                file.display,
                point.line,
                1,
                "future-figure",
                f"{series.target.id} {point.period} has not begun on {as_of}",
            )
        elif point.figure.date is not None and point.figure.date > as_of:
            yield Diagnostic(
                file.display,
                point.line,
                1,
                "future-figure",
                f"{series.target.id} {point.period} is dated {point.figure.date}, after {as_of}",
            )
    for record in series.items.values():
        done_on = record.figure.date
        if done_on is not None and done_on > as_of:
            yield Diagnostic(
                file.display,
                record.line,
                1,
                "future-figure",
                f"item {record.figure.item!r} is dated {done_on}, after {as_of}",
            )


# -- rules about one figure, shared with `record` and `import` -------------------------------

_Day = date  # `date` is also a field name below

Finding = tuple[str, str]  # (code, message): what a figure rule says about one figure
# The figure field each finding is about, so every caller can point at it.
KEY_OF_FINDING = {"date-year": "date", "not-whole": "value", "count-range": "value"}


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


def item_date_in_year(figure: FigureFields, year: int) -> Iterator[Finding]:
    """An item's done-date falls in the plan year (a 2022 date is not progress in 2023)."""
    done_on = figure.date
    if figure.item is not None and done_on is not None and done_on.year != year:
        yield (
            "date-year",
            f"item {figure.item!r} is dated {done_on}, outside the plan year {year}",
        )


def counts_things(target: Target) -> bool:
    """Whether the target's figures are counts: an items target (its unnamed items done), or a
    quantity in a count unit (个, 栋, …)."""
    return target.kind == "items" or (
        target.kind == "quantity" and is_count(parse_unit(target.unit))
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
    yield ("not-whole", f"{target.id} {figure.period} is {shown}; {what} is a whole number")


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
    yield ("count-range", f"{target.id} {figure.period} is {shown}, {limit}")


def figure_findings(
    figure: FigureFields, target: Target, year: int, value: float | None
) -> list[Finding]:
    """Every rule about one figure that joins `target`'s series (`value`: its amount in the
    target's unit, None for an item record), in a fixed order."""
    return [
        *item_date_in_year(figure, year),
        *counts_are_whole(figure, target),
        *items_count_in_range(figure, target, value),
    ]


def figures_fit_their_target(file: FigureFile, series: Series, year: int) -> Iterator[Diagnostic]:
    """`figure_findings` over the winning record of each period and of each item."""
    target = series.target
    # The rules about a value concern counts only: other targets' points are not visited, and
    # a point that is whole and within the count's limit — the two things the rules ask of
    # it — is passed over without building their messages, which a check of a million
    # records would otherwise spend a good part of its time on.
    if counts_things(target):
        limit = target.value - len(target.items) if target.kind == "items" else math.inf
        units: dict[str | None, Unit] = {}
        for point in series.points:
            figure = point.figure
            written = figure.value
            if written is not None and point.value <= limit:
                unit = units.get(figure.unit)
                if unit is None:
                    unit = units[figure.unit] = parse_unit(figure.unit or target.unit)
                if whole_in_base(written, unit):
                    continue
            for code, message in figure_findings(figure, target, year, point.value):
                yield Diagnostic(file.display, point.line, 1, code, message)
    for record in series.items.values():
        for code, message in figure_findings(record.figure, target, year, None):
            yield Diagnostic(file.display, record.line, 1, code, message)


SERIES_RULES: tuple[Callable[[FigureFile, Series], Iterator[Diagnostic]], ...] = (
    cumulative_never_decreases,
    counts_not_negative,
)


def run_checks(dataset: Dataset, as_of: date) -> list[Diagnostic]:
    """Every rule over a loaded data set, plus what loading found; sorted and de-duplicated."""
    problems = list(dataset.diagnostics)
    plan = dataset.plan
    if plan is None:
        # The figures cannot be matched to a plan that did not load, but its ids can be checked.
        problems.extend(unique_ids(None, dataset.plan_parsed, dataset.plan_display))
        return sorted(set(problems))
    for rule in PLAN_RULES:
        problems.extend(rule(plan, dataset.plan_parsed, dataset.plan_display))
    districts = {district.id: district for district in plan.districts}
    for file in dataset.figure_files:
        district = districts.get(file.district)
        if district is None:
            known = ", ".join(sorted(districts)) or "none"
            problems.append(
                Diagnostic(
                    file.display,
                    1,
                    1,
                    "unknown-district",
                    f"the plan has no district {file.district!r} (a figure file is named "
                    f"<district id>.yaml; the districts are: {known})",
                )
            )
            continue
        all_series, series_problems = build_series(plan, district, file, revisions=False)
        problems.extend(series_problems)
        for series in all_series.values():
            for series_rule in SERIES_RULES:
                problems.extend(series_rule(file, series))
            problems.extend(not_in_future(file, series, as_of))
            problems.extend(figures_fit_their_target(file, series, plan.year))
    return sorted(set(problems))
