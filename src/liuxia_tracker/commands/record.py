"""Recording figures: `tracker record`, `import`, `history` and `repair` at their core.

Guarantees:

- Nothing is written unless every figure passes, in this order: the plan (the district, the
  target, the item, a period that fits the target's cadence and the plan's year, a unit that
  converts — `series.build_series` decides, as it does for `check`), the figure's own sense
  (no negative amount, no period that has not begun, no item done in the future, and the
  rules of `checks.figure_findings` that `check` applies too: an item dated in the plan year,
  a count that is whole and no more than the unnamed items), and the
  series it joins (a year-to-date total never falls below the period before it, nor rises
  above the period after it). Refusals are diagnostics; `record` raises the first as a
  one-line `TrackerError`.
- The existing series is read under the append lock, so the decision and the write agree.
  `record` never parses the whole figure file: `figures.find_target_lines` searches the raw
  bytes for the target id and only the latest record of each period (or item) of that target
  is parsed. A hand-edited entry mentioning the target makes it read the whole file instead.
- The same value for the same target and period (compared in the target's unit), or the same
  state for an item, is `unchanged`: nothing is written. A different value is a `revision`:
  appended, the latest wins, the earlier record stays.
- `import` is all or nothing: every row of every district is validated (rows are checked
  against the file and the rows before them) before anything is written; then each district's
  new records go to its file in one write. Rows already recorded are skipped, so importing
  the same file twice writes nothing the second time.
- Every record written carries `by` (default: $USER) and `recorded_at` (now, with offset).
"""

from __future__ import annotations

import bisect
import difflib
import getpass
import math
import os
from collections.abc import Callable, Collection, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import ValidationError

from liuxia_tracker.commands.dataset import (
    FIGURES_DIR,
    PLAN_NAME,
    DataDir,
    display_path,
    figure_files_in,
)
from liuxia_tracker.diagnostics import Diagnostic, TrackerError, UsageError, exit_code_for
from liuxia_tracker.domain.models import AnyFigure, District, Figure, FigureRecord, Plan, Target
from liuxia_tracker.domain.periods import Period
from liuxia_tracker.domain.units import UnitError, parse_unit
from liuxia_tracker.engine.series import Series, build_series
from liuxia_tracker.log.figures import (
    Content,
    FigureFile,
    LockedFigureFile,
    Recorded,
    Repair,
    canonical_line,
    find_target_lines,
    format_number,
    line_numbers,
    locked_for_append,
    locked_for_reading,
    not_a_figure_file,
    number_text,
    read_figure_file,
    record_at,
    refuse_torn_tail,
    repair_figure_file,
)
from liuxia_tracker.log.import_file import ImportRow, ParsedImport, read_value
from liuxia_tracker.plan import cache as plan_cache
from liuxia_tracker.plan.loading import Parsed, PathKey, validation_diagnostics
from liuxia_tracker.rules.checks import KEY_OF_FINDING, figure_findings

ChangeKind = Literal["new", "revision", "unchanged"]
Standing = Literal["wins", "superseded", "ignored"]
SPARK_BLOCKS = "▁▂▃▄▅▆▇█"
# Two values this close (relative) are the same figure written in different units.
_SAME_VALUE = 1e-9
# Which field of a figure a series diagnostic is about, to point at its column on import.
_FIELD_OF_CODE = {
    "unknown-target": "target",
    "unknown-item": "item",
    "period-cadence": "period",
    "period-year": "period",
    "unit-mismatch": "unit",
}


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    field: str  # the figure field at fault, to place it on an import row
    message: str


@dataclass(frozen=True, slots=True)
class Change:
    """What recording one figure did (or, for an import being validated, will do)."""

    kind: ChangeKind
    district: str
    display: str  # the figure file, as shown to the user
    figure: Figure  # as written, with `by` and `recorded_at`; as asked when unchanged
    previous: AnyFigure | None  # the record this one revises, or the one it repeats
    row: int | None = None
    target_unit: str = ""  # what a figure without a unit is in


# -- the plan -----------------------------------------------------------------------------


def load_plan_for_writing(data_dir: DataDir, districts: Collection[str] | None = None) -> Plan:
    """The plan, or a refusal: figures are never written against a plan with problems.

    With `districts`, the plan holds only those districts (all of them when one is not in the
    plan, so the refusal can name the others). A plan found valid before comes from the plan
    cache (`plan_cache`): only the districts asked for are validated again.
    """
    shown = display_path(data_dir.plan_path)
    plan, _, problems = plan_cache.load_plan(data_dir.plan_path, shown, districts=districts)
    if plan is None or exit_code_for(problems):
        count = len(problems)
        raise TrackerError(
            f"{shown} has {count} problem{'s' if count != 1 else ''}; "
            "run `tracker check` and fix the plan first"
        )
    return plan


def _suggest(name: str, known: Iterable[str]) -> str:
    choices = list(known)
    containing = [choice for choice in choices if name and name in choice]
    close = containing[:1] or difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" (it has: {', '.join(choices)})" if len(choices) <= 12 else ""


_Identified = TypeVar("_Identified", District, Target)


def _by_id(choices: Sequence[_Identified], wanted: str, missing: str) -> _Identified:
    """The choice with id `wanted`, or a one-line error: `missing` plus a hint."""
    for choice in choices:
        if choice.id == wanted:
            return choice
    raise TrackerError(missing + _suggest(wanted, (choice.id for choice in choices)))


def find_district(plan: Plan, district_id: str) -> District:
    return _by_id(plan.districts, district_id, f"the plan has no district {district_id!r}")


def find_target(district: District, target_id: str) -> Target:
    return _by_id(district.targets, target_id, f"{district.id} has no target {target_id!r}")


def figure_path(data_dir: DataDir, district_id: str) -> Path:
    """`figures/<district>.yaml`, or the `.yml` file when that is the one that exists."""
    preferred = data_dir.figure_path(district_id)
    other = preferred.with_suffix(".yml")
    if not preferred.exists() and other.exists():
        return other
    return preferred


def default_recorder(environ: dict[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    name = env.get("USER") or env.get("USERNAME")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def check_recorder(by: str | None) -> None:
    """`--by` names someone when given: an empty one would record the figure as no one."""
    if by is not None and not by.strip():
        raise UsageError("--by is empty: name who records the figures, or leave it out for $USER")


def timestamp_now() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)


# -- a figure from the command line -------------------------------------------------------


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
) -> Figure:
    """The figure `tracker record` was asked to write; UsageError for a wrong combination of
    arguments (exit 2), TrackerError for a value that is not valid (exit 1)."""
    if item is not None:
        if period is not None or value is not None:
            raise UsageError("--item records an item's progress: give no PERIOD or VALUE with it")
        if done is None:
            raise UsageError("--item needs --done or --not-done")
        if unit is not None:
            raise UsageError("--unit goes with a VALUE, not with --item")
    else:
        if done is not None or done_on is not None:
            raise UsageError("--done, --not-done and --date go with --item ID")
        if period is None or value is None:
            raise UsageError("give PERIOD and VALUE, or --item ID with --done or --not-done")
    check_recorder(by)
    for option, text in (
        ("TARGET", target),
        ("PERIOD", period),
        ("--unit", unit),
        ("--item", item),
        ("--source", source),
        ("--note", note),
        ("--by", by),
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
    for key, text in (("source", source), ("note", note), ("by", by)):
        if text:
            data[key] = text
    try:
        return Figure.model_validate(data)
    except ValidationError as error:
        raise TrackerError(_first_model_problem(error, data)) from None


# -- the series a figure joins ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Known:
    """A winning value already in the series (in the file, or earlier in this import)."""

    value: float | None  # in the target's unit; None for an item's state
    figure: AnyFigure
    offset: int | None = None  # where its line starts in the file (fast search)
    line: int | None = None  # its line number, when known (full read)
    row: int | None = None  # its row in the import being validated


@dataclass
class _TargetState:
    target: Target
    points: dict[Period, _Known] = field(default_factory=dict)
    items: dict[str, _Known] = field(default_factory=dict)


class _DistrictBook:
    """One district's plan and the existing series of the targets being written to."""

    def __init__(self, plan: Plan, district: District, path: Path, display: str) -> None:
        self.plan = plan
        self.district = district
        self.path = path
        self.display = display
        self.targets = {target.id: target for target in district.targets}
        self.states: dict[str, _TargetState] = {}
        self.content: Content = b""
        self.import_display = ""

    def load(self, content: Content, target_ids: Iterable[str]) -> None:
        """Read the winning records of these targets from the file's bytes."""
        self.content = content
        wanted = sorted({t for t in target_ids if t in self.targets})
        for target_id in wanted:
            self.states[target_id] = _TargetState(self.targets[target_id])
        if not wanted or not content:
            return
        winners: list[tuple[int, Recorded]] = []
        for target_id in wanted:
            refs = find_target_lines(content, target_id)
            if refs is None:
                self._load_by_full_read(wanted)
                return
            by_key: dict[tuple[str, str], list[int]] = {}
            for ref in refs:
                by_key.setdefault((ref.key, ref.value), []).append(ref.offset)
            for offsets in by_key.values():
                for offset in reversed(offsets):
                    recorded = record_at(content, offset, self.display)
                    if recorded is not None and self._accepted(recorded):
                        winners.append((offset, recorded))
                        break
        winners.sort(key=lambda pair: pair[0])
        offset_of = {id(recorded.figure): offset for offset, recorded in winners}
        file = FigureFile(
            self.path, self.display, self.district.id, [r for _, r in winners], [], None
        )
        series, _ = build_series(self.plan, self.district, file)
        for target_id in wanted:
            self._take(series[target_id], lambda figure, _line: (offset_of[id(figure)], None))

    def _load_by_full_read(self, wanted: list[str]) -> None:
        whole = read_figure_file(self.path, self.display)
        keep = set(wanted)
        file = FigureFile(
            self.path,
            self.display,
            self.district.id,
            [r for r in whole.records if r.figure.target in keep],
            [],
            None,
        )
        series, _ = build_series(self.plan, self.district, file)
        for target_id in wanted:
            self._take(series[target_id], lambda _figure, line: (None, line))

    def _take(
        self,
        series: Series,
        where: Callable[[FigureRecord, int], tuple[int | None, int | None]],
    ) -> None:
        state = self.states[series.target.id]
        for point in series.points:
            offset, line = where(point.figure, point.line)
            state.points[point.period] = _Known(point.value, point.figure, offset, line)
        for item_id, recorded in series.items.items():
            offset, line = where(recorded.figure, recorded.line)
            state.items[item_id] = _Known(None, recorded.figure, offset, line)

    def _accepted(self, recorded: Recorded) -> bool:
        single = FigureFile(self.path, self.display, self.district.id, [recorded], [], None)
        _, problems = build_series(self.plan, self.district, single)
        return not problems

    def where(self, known: _Known) -> str:
        if known.row is not None:
            return f"row {known.row} of {self.import_display}"
        line = known.line
        if line is None and known.offset is not None:
            line = line_numbers(self.content, [known.offset])[0]
        return f"line {line} of {self.display}"


def _plan_problems(
    book: _DistrictBook, figure: Figure, today: date
) -> tuple[list[Problem], float | None]:
    """What the plan and the figure's own sense say; the value in the target's unit."""
    record = Recorded(FigureRecord.from_model(figure), 0)
    single = FigureFile(book.path, book.display, book.district.id, [record], [], None)
    series, diagnostics = build_series(book.plan, book.district, single)
    problems = []
    for diagnostic in diagnostics:
        message = diagnostic.message
        field_name = _FIELD_OF_CODE.get(diagnostic.code, "value")
        if diagnostic.code == "unknown-target" and "did you mean" not in message:
            message += _suggest(figure.target, book.targets)
        if diagnostic.code == "unknown-item" and figure.item is None:
            field_name = "value"
        problems.append(Problem(diagnostic.code, field_name, message))
    if problems:
        return problems, None
    target = book.targets[figure.target]
    if figure.item is not None:
        problems.extend(_findings(figure, target, book.plan.year, None))
        if figure.date is not None and figure.date > today:
            problems.append(
                Problem(
                    "future-figure",
                    "date",
                    f"item {figure.item!r} is dated {figure.date}, after today ({today})",
                )
            )
        return problems, None
    point = series[target.id].points[0]
    if target.kind != "rate" and point.value < 0:
        problems.append(
            Problem(
                "negative-count",
                "value",
                f"{target.id} {point.period} is {_number(figure.value)}: "
                "an amount cannot be negative",
            )
        )
    problems.extend(_findings(figure, target, book.plan.year, point.value))
    if point.period.start > today:
        problems.append(
            Problem(
                "future-figure",
                "period",
                f"{target.id} {point.period} has not begun (today is {today})",
            )
        )
    return problems, point.value


def _findings(figure: Figure, target: Target, year: int, value: float | None) -> list[Problem]:
    """The figure rules `check` applies (`checks.figure_findings`), as refusals."""
    return [
        Problem(code, KEY_OF_FINDING[code], message)
        for code, message in figure_findings(figure, target, year, value)
    ]


def _number(value: float | None) -> str:
    """As the figure file holds it: never an exponent (1e+20 reads as 100000000000000000000.0)."""
    return "?" if value is None else number_text(value)


def _shown(value: float | None, unit: str) -> str:
    return f"{_number(value)} {unit}".rstrip()


def _series_check(
    book: _DistrictBook, figure: Figure, value: float | None
) -> tuple[ChangeKind, _Known | None, list[Problem]]:
    """New, revision or unchanged against the series so far; a total that would fall."""
    target = book.targets[figure.target]
    state = book.states.setdefault(target.id, _TargetState(target))
    if figure.item is not None:
        previous = state.items.get(figure.item)
        if previous is None:
            return "new", None, []
        old = previous.figure
        same = old.done == figure.done and (figure.date is None or figure.date == old.date)
        return ("unchanged" if same else "revision"), previous, []
    assert figure.period is not None and value is not None
    period = figure.period
    known = state.points.get(period)
    if (
        known is not None
        and known.value is not None
        and math.isclose(known.value, value, rel_tol=_SAME_VALUE, abs_tol=_SAME_VALUE)
    ):
        return "unchanged", known, []
    kind: ChangeKind = "revision" if known is not None else "new"
    if target.kind == "rate" or (target.kind == "quantity" and target.reported_as != "cumulative"):
        return kind, known, []
    others = sorted(p for p in state.points if p != period)
    at = bisect.bisect_left(others, period)
    problems = []
    if at > 0:
        before = state.points[others[at - 1]]
        if before.value is not None and value < before.value:
            problems.append(
                Problem(
                    "cumulative-decrease",
                    "value",
                    f"{target.id} {period} would be {_shown(value, target.unit)}, below "
                    f"{others[at - 1]} ({_shown(before.value, target.unit)}, "
                    f"{book.where(before)}): a year-to-date total cannot fall",
                )
            )
    if at < len(others):
        after = state.points[others[at]]
        if after.value is not None and after.value < value:
            problems.append(
                Problem(
                    "cumulative-decrease",
                    "value",
                    f"{target.id} {period} would be {_shown(value, target.unit)}, above the "
                    f"later {others[at]} ({_shown(after.value, target.unit)}, "
                    f"{book.where(after)}): a year-to-date total cannot fall",
                )
            )
    return kind, known, problems


def _stamped(figure: Figure, target: Target, by: str, now: datetime) -> Figure:
    update: dict[str, Any] = {"recorded_at": now}
    if figure.by is None:
        update["by"] = by
    if figure.item is None and figure.unit is None:
        update["unit"] = target.unit
    elif figure.unit is not None and parse_unit(figure.unit).base == "":
        # "15亿" for a target in 亿元 is written as 15 亿元: a bare factor takes the target's base.
        update["unit"] = figure.unit + parse_unit(target.unit).base
    return figure.model_copy(update=update)


def _remember(book: _DistrictBook, figure: Figure, value: float | None, row: int | None) -> None:
    state = book.states[figure.target]
    known = _Known(value, figure, row=row)
    if figure.item is not None:
        state.items[figure.item] = known
    else:
        assert figure.period is not None
        state.points[figure.period] = known


# -- record -------------------------------------------------------------------------------


def record_figure(
    data_dir: DataDir,
    plan: Plan,
    district_id: str,
    figure: Figure,
    *,
    by: str | None = None,
    now: datetime | None = None,
    today: date | None = None,
) -> Change:
    """Validate one figure and append it, or say it is already recorded; TrackerError when
    it is refused (the file is then untouched)."""
    check_recorder(by)
    district = find_district(plan, district_id)
    path = figure_path(data_dir, district.id)
    book = _DistrictBook(plan, district, path, display_path(path))
    day = today if today is not None else date.today()
    problems, value = _plan_problems(book, figure, day)
    if problems:
        raise TrackerError(problems[0].message)
    moment = now if now is not None else timestamp_now()
    recorder = by or default_recorder()
    target = book.targets[figure.target]
    with locked_for_append(path, book.display) as locked:
        if locked.size:
            book.load(locked.content(), [figure.target])
        kind, previous, problems = _series_check(book, figure, value)
        if problems:
            raise TrackerError(problems[0].message)
        if kind == "unchanged":
            assert previous is not None
            return Change(
                kind, district.id, book.display, figure, previous.figure, None, target.unit
            )
        written = _stamped(figure, target, recorder, moment)
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


# -- import -------------------------------------------------------------------------------


@dataclass
class DistrictBatch:
    district: str
    path: Path
    display: str
    changes: list[Change] = field(default_factory=list)

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


@dataclass
class ImportResult:
    source: str
    encoding: str
    rows_read: int
    diagnostics: list[Diagnostic] = field(default_factory=list)
    batches: list[DistrictBatch] = field(default_factory=list)
    written: bool = False

    @property
    def exit_code(self) -> int:
        return exit_code_for(self.diagnostics)


Progress = Callable[[int, int], None]  # (rows checked so far, rows to check in all)


def _row_problem(display: str, row: ImportRow, problem: Problem) -> Diagnostic:
    return Diagnostic(display, row.row, row.column(problem.field), problem.code, problem.message)


@dataclass(frozen=True, slots=True)
class _CheckedRow:
    row: ImportRow
    district: District
    value: float | None  # in the target's unit


class _SeriesPass:
    """One run of the series checks over every row, against the files as they are now."""

    def __init__(
        self,
        data_dir: DataDir,
        plan: Plan,
        parsed: ParsedImport,
        rows: list[_CheckedRow],
        stamp: Callable[[Figure, Target], Figure],
    ) -> None:
        self.parsed = parsed
        self.stamp = stamp
        self.rows_by_district: dict[str, list[_CheckedRow]] = {}
        for checked in rows:
            self.rows_by_district.setdefault(checked.district.id, []).append(checked)
        self.books: list[_DistrictBook] = []
        for district_id in sorted(self.rows_by_district):  # one lock order for every import
            district = self.rows_by_district[district_id][0].district
            path = figure_path(data_dir, district_id)
            book = _DistrictBook(plan, district, path, display_path(path))
            book.import_display = parsed.display
            self.books.append(book)
        self.diagnostics: list[Diagnostic] = []
        self.batches: dict[str, DistrictBatch] = {}

    def targets(self, book: _DistrictBook) -> set[str]:
        return {c.row.figure.target for c in self.rows_by_district[book.district.id]}

    def check(self, book: _DistrictBook, progress: Callable[[], None]) -> None:
        """Check one district's rows in order; the book's file content must still be mapped."""
        batch = self.batches[book.district.id] = DistrictBatch(
            book.district.id, book.path, book.display
        )
        for checked in self.rows_by_district[book.district.id]:
            row = checked.row
            kind, previous, problems = _series_check(book, row.figure, checked.value)
            progress()
            if problems:
                self.diagnostics.extend(_row_problem(self.parsed.display, row, p) for p in problems)
                continue
            figure = row.figure
            if kind != "unchanged":
                figure = self.stamp(figure, book.targets[figure.target])
                _remember(book, figure, checked.value, row.row)
            batch.changes.append(
                Change(
                    kind,
                    book.district.id,
                    book.display,
                    figure,
                    previous.figure if previous is not None else None,
                    row.row,
                    book.targets[figure.target].unit,
                )
            )


def import_figures(
    data_dir: DataDir,
    plan: Plan,
    parsed: ParsedImport,
    *,
    by: str | None = None,
    now: datetime | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate every row, then write each district's batch in one append — or nothing.

    The series checks run twice: first reading the files under shared locks, so a refused
    import creates no file and blocks no writer; then again under the exclusive locks the
    writes are made under, so the decisions hold for what is written.
    """
    check_recorder(by)
    result = ImportResult(parsed.display, parsed.encoding, parsed.rows_read)
    result.diagnostics.extend(parsed.diagnostics)
    day = today if today is not None else date.today()
    moment = now if now is not None else timestamp_now()
    recorder = by or default_recorder()
    districts = {district.id: district for district in plan.districts}
    checked: list[_CheckedRow] = []
    plan_books: dict[str, _DistrictBook] = {}  # for the plan checks, which read no file
    for row in parsed.rows:
        if row.district is None:
            result.diagnostics.append(
                Diagnostic(
                    parsed.display,
                    row.row,
                    row.column("district"),
                    "missing-district",
                    "no district: fill the district column or give --district",
                )
            )
            continue
        district = districts.get(row.district)
        if district is None:
            message = f"the plan has no district {row.district!r}" + _suggest(
                row.district, districts
            )
            result.diagnostics.append(
                Diagnostic(
                    parsed.display, row.row, row.column("district"), "unknown-district", message
                )
            )
            continue
        book = plan_books.get(district.id)
        if book is None:
            path = figure_path(data_dir, district.id)
            book = plan_books[district.id] = _DistrictBook(plan, district, path, display_path(path))
        problems, value = _plan_problems(book, row.figure, day)
        result.diagnostics.extend(_row_problem(parsed.display, row, p) for p in problems)
        if not problems:
            checked.append(_CheckedRow(row, district, value))
    if result.diagnostics:
        result.diagnostics.sort()
        return result

    def stamp(figure: Figure, target: Target) -> Figure:
        return _stamped(figure, target, recorder, moment)

    total = 2 * len(checked)
    counter = [0]

    def advance() -> None:
        counter[0] += 1
        if progress is not None and (counter[0] % 500 == 0 or counter[0] == total):
            progress(counter[0], total)

    first = _SeriesPass(data_dir, plan, parsed, checked, stamp)
    for book in first.books:
        refuse_torn_tail(book.path, book.display)
        with locked_for_reading(book.path) as content:
            book.load(content, first.targets(book))
            first.check(book, advance)
    if first.diagnostics:
        result.diagnostics = sorted(first.diagnostics)
        return result
    final = _SeriesPass(data_dir, plan, parsed, checked, stamp)
    with ExitStack() as stack:
        locked: dict[str, LockedFigureFile] = {}
        for book in final.books:
            handle = stack.enter_context(locked_for_append(book.path, book.display))
            locked[book.district.id] = handle
            if handle.size:
                book.load(handle.content(), final.targets(book))
            final.check(book, advance)
        result.batches = list(final.batches.values())
        if final.diagnostics:  # the files changed since the first pass
            result.diagnostics = sorted(final.diagnostics)
            return result
        for batch in result.batches:
            text = "".join(
                canonical_line(change.figure)
                for change in batch.changes
                if change.kind != "unchanged"
            )
            if text:
                locked[batch.district].append(text)
        result.written = True
    return result


def describe_import(result: ImportResult) -> list[str]:
    """What an import wrote, one line per district, then a total; or that there was nothing
    to import (an empty input, or a header without rows)."""
    if result.rows_read == 0:
        return [f"nothing to import: {result.source} has no rows"]
    lines = []
    appended = 0
    for batch in result.batches:
        new = batch.count("new")
        revised = batch.count("revision")
        unchanged = batch.count("unchanged")
        count = new + revised
        appended += count
        parts = [f"{batch.display}: appended {count} figure{'s' if count != 1 else ''}"]
        if revised:
            parts.append(f" ({revised} revision{'s' if revised != 1 else ''})")
        if unchanged:
            parts.append(f"; {unchanged} already recorded, skipped")
        lines.append("".join(parts))
    rows = result.rows_read
    lines.append(
        f"imported {rows} row{'s' if rows != 1 else ''} from {result.source} "
        f"({result.encoding}): {appended} figure{'s' if appended != 1 else ''} appended"
    )
    return lines


# -- history ------------------------------------------------------------------------------


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

    @property
    def sparkline(self) -> str:
        return sparkline([value for _, value in self.series])


def sparkline(values: list[float]) -> str:
    """One block per value, ▁ for the lowest and █ for the highest (▄ when all are equal)."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return SPARK_BLOCKS[3] * len(values)
    steps = len(SPARK_BLOCKS) - 1
    return "".join(SPARK_BLOCKS[round((value - low) / (high - low) * steps)] for value in values)


def target_history(data_dir: DataDir, plan: Plan, district_id: str, target_id: str) -> History:
    """Every record of one target, superseded ones too, and which one wins each period."""
    district = find_district(plan, district_id)
    target = find_target(district, target_id)
    path = figure_path(data_dir, district.id)
    display = display_path(path)
    records: list[Recorded] = []
    unreadable: list[int] = []
    with locked_for_reading(path) as content:
        refs = find_target_lines(content, target.id) if content else []
        if refs is None:
            whole = read_figure_file(path, display)
            records = [r for r in whole.records if r.figure.target == target.id]
        elif refs:
            numbers = line_numbers(content, [ref.offset for ref in refs])
            for ref, number in zip(refs, numbers, strict=True):
                recorded = record_at(content, ref.offset, display, number)
                if recorded is None:
                    unreadable.append(number)
                else:
                    records.append(recorded)
    file = FigureFile(path, display, district.id, records, [], None)
    all_series, problems = build_series(plan, district, file)
    series = all_series[target.id]
    problem_at = {d.line: d.message for d in problems}
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
            entries.append(
                HistoryEntry(
                    line, recorded.figure, "superseded", old.value if old is not None else None
                )
            )
    for line in unreadable:
        entries.append(
            HistoryEntry(line, None, "ignored", None, "the line does not read as a record")
        )
    entries.sort(key=lambda entry: entry.line)
    return History(
        district,
        target,
        display,
        entries,
        [(str(point.period), point.value) for point in series.points],
    )


def _history_cells(entry: HistoryEntry, target: Target) -> dict[str, str]:
    figure = entry.figure
    if figure is None:
        return {"line": str(entry.line), "standing": entry.standing, "note": entry.problem or ""}
    if figure.item is not None:
        key = f"item {figure.item}"
        value = ("done" if figure.done else "not done") + (
            f" {figure.date}" if figure.date is not None else ""
        )
    else:
        key = str(figure.period)
        value = _shown(figure.value, figure.unit or target.unit)
        if figure.unit not in (None, target.unit) and entry.value is not None:
            value += f" (= {_shown(entry.value, target.unit)})"
    standing = {"wins": "* wins", "superseded": "  superseded", "ignored": "! ignored"}[
        entry.standing
    ]
    note = " · ".join(text for text in (figure.note, entry.problem) if text)
    return {
        "line": str(entry.line),
        "period": key,
        "value": value,
        "standing": standing,
        "recorded_at": figure.recorded_at.isoformat() if figure.recorded_at else "",
        "by": figure.by or "",
        "source": figure.source or "",
        "note": note,
    }


_HISTORY_COLUMNS = ("line", "period", "value", "standing", "recorded_at", "by", "source", "note")


def history_as_plain(history: History) -> str:
    from wcwidth import wcswidth

    def width(text: str) -> int:
        measured = wcswidth(text)
        return measured if measured >= 0 else len(text)

    target = history.target
    title = f"{history.district.id} {target.id} {target.name}"
    lines = [
        f"{title}: {target.kind}, target {_shown(target.value, target.unit)}, "
        f"reported by {target.cadence}",
        f"{history.display}: {len(history.entries)} record"
        f"{'s' if len(history.entries) != 1 else ''}",
    ]
    if not history.entries:
        lines.append("no figures recorded for this target yet")
        return "\n".join(lines) + "\n"
    rows = [_history_cells(entry, target) for entry in history.entries]
    widths = {
        column: max(width(column), *(width(row.get(column, "")) for row in rows))
        for column in _HISTORY_COLUMNS
    }
    used = [c for c in _HISTORY_COLUMNS if any(row.get(c) for row in rows) or c == "line"]

    def format_row(cells: dict[str, str]) -> str:
        parts = []
        for column in used:
            text = cells.get(column, "")
            pad = " " * (widths[column] - width(text))
            parts.append(pad + text if column == "line" else text + pad)
        return "  ".join(parts).rstrip()

    lines.append(format_row({c: c for c in used}))
    lines.extend(format_row(row) for row in rows)
    if history.series:
        first, last = history.series[0][0], history.series[-1][0]
        span = first if first == last else f"{first}..{last}"
        lines.append(f"series {span}: {history.sparkline}")
    return "\n".join(lines) + "\n"


def history_as_json(history: History) -> str:
    import json

    target = history.target
    records: list[dict[str, Any]] = []
    for entry in history.entries:
        figure = entry.figure
        base: dict[str, Any] = {"line": entry.line, "standing": entry.standing}
        if figure is not None:
            data = figure.to_model().model_dump(mode="json", exclude_none=True)
            if figure.value is not None:
                data["value"] = format_number(figure.value)
            base.update(data)
            base.pop("target", None)
            if entry.value is not None:
                base["value_in_target_unit"] = format_number(entry.value)
        if entry.problem is not None:
            base["problem"] = entry.problem
        records.append(base)
    payload = {
        "district": history.district.id,
        "target": target.id,
        "name": target.name,
        "kind": target.kind,
        "unit": target.unit,
        "file": history.display,
        "records": records,
        "series": [
            {"period": period, "value": format_number(value)} for period, value in history.series
        ],
        "sparkline": history.sparkline,
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


# -- repair -------------------------------------------------------------------------------


def repair_paths(data_dir: DataDir | None, paths: list[Path]) -> list[Repair]:
    """Repair the given figure files, or every figure file of the data directory.

    A directory given is a data directory (one holding targets.yaml) or its `figures/`
    folder, and stands for every figure file in it. Every path is judged before any file is
    touched: one that does not exist, or any file but a figure file — the plan above all — is
    a usage error.
    """
    chosen: list[tuple[Path, str]] = []  # each file, and how to name it in a refusal
    if not paths:
        if data_dir is None:  # pragma: no cover - the command line always gives one
            raise UsageError("give a figure file or --data")
        chosen = [(path, display_path(path)) for path in figure_files_in(data_dir)]
    for path in paths:
        if path.is_dir():
            found = figure_files_in(_data_dir_of(path))
            chosen.extend((file, display_path(file)) for file in found)
        elif not path.exists():
            raise UsageError(f"{path}: no such file")
        else:
            chosen.append((path, str(path)))
    for path, shown in chosen:
        refusal = not_a_figure_file(path, shown)
        if refusal is not None:
            raise UsageError(refusal)
        if not path.is_file():
            raise UsageError(f"{shown}: not a regular file")
    unique = list({path.resolve(): path for path, _ in chosen}.values())
    return [repair_figure_file(path, display_path(path)) for path in unique]


def _data_dir_of(folder: Path) -> DataDir:
    """The data directory a folder given to `repair` names: itself, or the one whose
    `figures/` folder it is."""
    if (folder / PLAN_NAME).is_file():
        return DataDir(folder, shipped=False)
    parent = folder.resolve().parent
    if folder.resolve().name == FIGURES_DIR and (parent / PLAN_NAME).is_file():
        return DataDir(parent, shipped=False)
    raise UsageError(
        f"{folder} is a directory but not a data directory (it has no {PLAN_NAME}): "
        "give figure files, or a data directory to repair all of its figure files"
    )


def describe_repair(repair: Repair) -> str:
    if repair.action == "clean":
        return f"{repair.display}: nothing to repair"
    if repair.action == "added-newline":
        return (
            f"{repair.display}:{repair.line}: the last line is a complete record that lacked "
            "its newline; added the newline"
        )
    side = display_path(repair.side_file) if repair.side_file is not None else "?"
    size = repair.moved_bytes
    return (
        f"{repair.display}:{repair.line}: moved the torn last line ({size} byte"
        f"{'s' if size != 1 else ''}) to {side}"
    )
