"""`tracker record`: one figure from the command line, validated, then appended.

Guarantees: nothing is written unless the figure passes `FigureBook.judge` (the plan and the
figure rules `check` applies) and, read under the append lock so the decision and the write
agree, `FigureBook.against_series` (the series it joins). A refusal is the first finding, as
a one-line `TrackerError`, and the file is untouched. The same value again is `unchanged` and
writes nothing; a different one is a `revision`: appended, the earlier record stays. Every
record written carries `by` (default: $USER) and `recorded_at` (now, with offset).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from liuxia_tracker.commands.common import (
    Change,
    check_recorder,
    default_recorder,
    figure_path,
    find_district,
    find_item,
    find_target,
    load_plan_to_write,
    timestamp_now,
)
from liuxia_tracker.commands.dataset import DataDir, display_path
from liuxia_tracker.commands.figure_book import FigureBook, stamped
from liuxia_tracker.diagnostics import Finding, TrackerError, UsageError
from liuxia_tracker.domain.models import Figure, Plan
from liuxia_tracker.domain.units import UnitError, number_text
from liuxia_tracker.log.append import locked_for_append
from liuxia_tracker.log.canonical import canonical_line
from liuxia_tracker.log.import_file import read_value
from liuxia_tracker.plan.loading import Parsed, PathKey
from liuxia_tracker.plan.validation import validation_diagnostics


def _shown(value: float | None, unit: str) -> str:
    """As the figure file holds it: never an exponent (1e+20 reads as 100000000000000000000.0)."""
    return f"{'?' if value is None else number_text(value)} {unit}".rstrip()


def _check_text(option: str, text: str | None) -> None:
    if text is not None:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise TrackerError(
                f"{option}: not valid text (is the terminal's encoding UTF-8?)"
            ) from None


def _first_model_problem(error: ValidationError, data: dict[str, Any]) -> str:
    positions: dict[PathKey, tuple[int, int]] = {(): (1, 1)}
    positions.update({(name,): (1, 1) for name in data})
    parsed = Parsed(data, positions, dict(positions))
    problems = list(validation_diagnostics(error, parsed, "", Figure))
    return problems[0].message if problems else str(error)


def check_combination(
    period: str | None,
    value: str | None,
    *,
    unit: str | None = None,
    item: str | None = None,
    done: bool | None = None,
    done_on: str | None = None,
    level: str | None = None,
) -> None:
    """A usage error (exit 2) for arguments that do not go together."""
    if item is not None:
        if period is not None or value is not None:
            raise UsageError("--item records an item's progress: give no PERIOD or VALUE with it")
        if done is None:
            raise UsageError("--item needs --done or --not-done")
        if unit is not None:
            raise UsageError("--unit goes with a VALUE, not with --item")
        if level is not None:
            raise UsageError("--level goes with a VALUE, not with --item")
    else:
        if done is not None or done_on is not None:
            raise UsageError("--done, --not-done and --date go with --item ID")
        if period is None or value is None:
            raise UsageError("give PERIOD and VALUE, or --item ID with --done or --not-done")


def figure_from_arguments(
    target: str,
    period: str | None,
    value: str | None,
    *,
    unit: str | None = None,
    item: str | None = None,
    done: bool | None = None,
    done_on: str | None = None,
    source: str | None = None,
    note: str | None = None,
    by: str | None = None,
    published: str | None = None,
    level: str | None = None,
    provisional: bool = False,
) -> Figure:
    """The figure `tracker record` was asked to write; UsageError for a wrong combination of
    arguments (exit 2), TrackerError for a value that is not valid (exit 1)."""
    check_combination(period, value, unit=unit, item=item, done=done, done_on=done_on, level=level)
    check_recorder(by)
    for option, text in (
        ("TARGET", target),
        ("PERIOD", period),
        ("--unit", unit),
        ("--item", item),
        ("--source", source),
        ("--note", note),
        ("--by", by),
        ("--level", level),
    ):
        _check_text(option, text)
    data: dict[str, Any] = {"target": target}
    if item is not None:
        data.update(item=item, done=done)
        if done_on is not None:
            data["date"] = done_on
    else:
        assert value is not None
        try:
            number, shorthand_unit = read_value(value)
        except UnitError as error:
            raise TrackerError(f"VALUE: {error}") from None
        data.update(period=period, value=number)
        if shorthand_unit is not None and unit is not None and shorthand_unit != unit:
            raise TrackerError(f"VALUE {value!r} and --unit {unit!r} disagree: give the unit once")
        if shorthand_unit is not None or unit is not None:
            data["unit"] = shorthand_unit or unit
    for key, text in (
        ("source", source),
        ("note", note),
        ("by", by),
        ("published", published),
        ("level", level),
    ):
        if text:
            data[key] = text
    if provisional:
        data["provisional"] = True
    try:
        return Figure.model_validate(data)
    except ValidationError as error:
        raise TrackerError(_first_model_problem(error, data)) from None


def record_figure(
    data_dir: DataDir,
    plan: Plan,
    district_id: str,
    figure: Figure,
    *,
    by: str | None = None,
    now: datetime | None = None,
    today: date | None = None,
    force: bool = False,
) -> Change:
    """Validate one figure and append it, or say it is already recorded; TrackerError when
    it is refused (the file is then untouched). `force`: an implausible value is recorded
    all the same, marked `forced`."""
    check_recorder(by)
    district = find_district(plan, district_id)
    path = figure_path(data_dir, district.id)
    book = FigureBook(plan, district, path, display_path(path))
    day = today if today is not None else date.today()
    problems, value = book.judge(figure, day)
    figure, problems = insisted(figure, problems, force)
    if problems:
        raise TrackerError(problems[0].message)
    moment = now if now is not None else timestamp_now()
    recorder = by or default_recorder()
    target = book.targets[figure.target]
    with locked_for_append(path, book.display) as locked:
        if locked.size:
            book.load(locked.content(), [figure.target])
        kind, previous, problems = book.against_series(figure, value)
        figure, problems = insisted(figure, problems, force)
        if problems:
            raise TrackerError(problems[0].message)
        if kind == "unchanged":
            assert previous is not None
            return Change(
                kind, district.id, book.display, figure, previous.figure, None, target.unit
            )
        written = stamped(figure, target, recorder, moment)
        locked.append(canonical_line(written))
    return Change(
        kind,
        district.id,
        book.display,
        written,
        previous.figure if previous else None,
        None,
        target.unit,
    )


IMPLAUSIBLE = "implausible-value"


def insisted(figure: Figure, problems: list[Finding], force: bool) -> tuple[Figure, list[Finding]]:
    """With `force`, an implausible value is no longer a problem: the figure is marked
    `forced`, so `check` knows it was insisted on."""
    if not force or not any(problem.code == IMPLAUSIBLE for problem in problems):
        return figure, problems
    kept = [problem for problem in problems if problem.code != IMPLAUSIBLE]
    return figure.model_copy(update={"forced": True}), kept


def describe_change(change: Change) -> str:
    """One line saying what `record` did."""
    display = change.display
    figure = change.figure
    subject = f"{change.district} {figure.target}"
    if figure.item is not None:
        state = "done" if figure.done else "not done"
        dated = f" on {figure.date}" if figure.date is not None else ""
        what = f"{subject} item {figure.item}: {state}{dated}"
        if change.kind == "unchanged":
            return f"unchanged: {what} is already recorded; nothing written"
        if change.kind == "revision" and change.previous is not None:
            was = "done" if change.previous.done else "not done"
            return f"revised {what} (was {was}; the earlier record stays) in {display}"
        return f"recorded {what} in {display}"
    shown = _shown(figure.value, figure.unit or change.target_unit)
    what = f"{subject} {figure.period}"
    if change.kind == "unchanged":
        previous = change.previous or figure
        when = ""
        if previous.recorded_at is not None:
            who = f" by {previous.by}" if previous.by else ""
            when = f" (recorded {previous.recorded_at.isoformat()}{who})"
        already = _shown(previous.value, previous.unit or change.target_unit)
        return f"unchanged: {what} is already {already}{when}; nothing written"
    if change.kind == "revision" and change.previous is not None:
        old = _shown(change.previous.value, change.previous.unit or change.target_unit)
        return f"revised {what}: {old} → {shown} (the earlier record stays) in {display}"
    return f"recorded {what} = {shown} in {display}"


def record(
    data_dir: DataDir,
    district: str,
    target: str,
    period: str | None,
    value: str | None,
    **options: Any,
) -> Change:
    """`tracker record`: the figure the arguments describe, validated and appended.
    `options` are `figure_from_arguments`'s (unit, item, done, done_on, source, note, by,
    published, level, provisional) and `force`. DISTRICT, TARGET and the item may be given by
    id or by name (`common.find_district`)."""
    force = bool(options.pop("force", False))
    combination = ("unit", "item", "done", "done_on", "level")
    check_combination(period, value, **{name: options.get(name) for name in combination})
    plan = load_plan_to_write(data_dir, [district])
    district_id = find_district(plan, district).id
    resolved = find_target(find_district(plan, district_id), target)
    item = options.get("item")
    if item is not None:
        options["item"] = find_item(resolved, item).id
    figure = figure_from_arguments(resolved.id, period, value, **options)
    return record_figure(data_dir, plan, district_id, figure, by=options.get("by"), force=force)
