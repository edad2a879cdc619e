"""Rules beyond the schema: each a small function yielding diagnostics.

Guarantees: pure over loaded models and their positions; every rule has a stable code (listed
in docs/diagnostics.md) and yields one diagnostic per offending value: a plan rule at the
value's line and column, a figure rule at its record's first line (`checking` then moves it to
the value's column, reading only the records that have a problem). `run_checks` runs every rule over a whole data set and returns the sorted
diagnostics. Duplicate ids are found in the plan as written, so they are reported even when
another problem keeps the plan from loading.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from liuxia_tracker.dataset import Dataset
from liuxia_tracker.diagnostics import Diagnostic
from liuxia_tracker.figures import FigureFile
from liuxia_tracker.loading import Parsed, PathKey
from liuxia_tracker.models import Plan, Target
from liuxia_tracker.series import Point, Series, build_series


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
        all_series, series_problems = build_series(plan, district, file)
        problems.extend(series_problems)
        for series in all_series.values():
            for series_rule in SERIES_RULES:
                problems.extend(series_rule(file, series))
            problems.extend(not_in_future(file, series, as_of))
    return sorted(set(problems))
