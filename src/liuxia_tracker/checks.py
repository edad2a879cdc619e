"""Rules beyond the schema: each a small function yielding diagnostics.

Guarantees: pure over loaded models and their positions; every rule has a stable code (listed
in README.md) and yields one diagnostic per offending value, positioned at the value's line.
`run_checks` runs every rule over a whole data set and returns the sorted diagnostics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from liuxia_tracker.dataset import Dataset
from liuxia_tracker.diagnostics import Diagnostic
from liuxia_tracker.figures import FigureFile
from liuxia_tracker.loading import Parsed, PathKey
from liuxia_tracker.models import Plan
from liuxia_tracker.series import Series, build_series


def _at(parsed: Parsed | None, path: PathKey) -> tuple[int, int]:
    if parsed is None:
        return (1, 1)
    return parsed.positions.get(path, (1, 1))


def unique_ids(plan: Plan, parsed: Parsed | None, display: str) -> Iterator[Diagnostic]:
    """District ids are unique in the plan; target ids in a district; item ids in a target."""

    def duplicates(ids: list[str], path: PathKey, what: str) -> Iterator[Diagnostic]:
        first: dict[str, int] = {}
        for index, identifier in enumerate(ids):
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

    yield from duplicates([d.id for d in plan.districts], ("districts",), "district")
    for d_index, district in enumerate(plan.districts):
        targets_path = ("districts", d_index, "targets")
        yield from duplicates([t.id for t in district.targets], targets_path, "target")
        for t_index, target in enumerate(district.targets):
            items_path = (*targets_path, t_index, "items")
            yield from duplicates([i.id for i in target.items], items_path, "item")


def items_due_in_year(plan: Plan, parsed: Parsed | None, display: str) -> Iterator[Diagnostic]:
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


def cumulative_never_decreases(file: FigureFile, series: Series) -> Iterator[Diagnostic]:
    target = series.target
    if target.kind == "rate" or (target.kind == "quantity" and target.reported_as != "cumulative"):
        return
    previous = None
    for point in series.points:
        if previous is not None and point.value < previous.value:
            yield Diagnostic(
                file.display,
                point.line,
                1,
                "cumulative-decrease",
                f"{target.id} {point.period} is {point.figure.value:g}, below "
                f"{previous.period} on line {previous.line}: a year-to-date total cannot fall",
            )
        previous = point


def counts_not_negative(file: FigureFile, series: Series) -> Iterator[Diagnostic]:
    if series.target.kind == "rate":
        return
    for point in series.points:
        if point.value < 0:
            yield Diagnostic(
                file.display,
                point.line,
                1,
                "negative-count",
                f"{series.target.id} {point.period} is {point.figure.value:g}: an amount cannot be negative",
            )


def not_in_future(file: FigureFile, series: Series, as_of: date) -> Iterator[Diagnostic]:
    for point in series.points:
        if point.period.start > as_of:
            yield Diagnostic(
                file.display,
                point.line,
                1,
                "future-figure",
                f"{series.target.id} {point.period} has not begun on {as_of}",
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


def run_checks(dataset: Dataset, as_of: date) -> list[Diagnostic]:
    """Every rule over a loaded data set, plus what loading found; sorted and de-duplicated."""
    problems = list(dataset.diagnostics)
    plan = dataset.plan
    if plan is None:
        return sorted(set(problems))
    for rule in PLAN_RULES:
        problems.extend(rule(plan, dataset.plan_parsed, dataset.plan_display))
    districts = {district.id: district for district in plan.districts}
    for file in dataset.figure_files:
        district = districts.get(file.district)
        if district is None:
            problems.append(
                Diagnostic(
                    file.display,
                    1,
                    1,
                    "unknown-district",
                    f"the plan has no district {file.district!r} (figure files are named <district id>.yaml)",
                )
            )
            continue
        all_series, series_problems = build_series(plan, district, file)
        problems.extend(series_problems)
        for series in all_series.values():
            problems.extend(cumulative_never_decreases(file, series))
            problems.extend(counts_not_negative(file, series))
            problems.extend(not_in_future(file, series, as_of))
    return sorted(set(problems))
