"""The series so far of the targets `record` and `import` write to, and the judgement of each
new figure against the plan, the rules and that series.

Guarantees:

- A figure passes only if the series builder matches it to its target (`engine.series`) and
  the figure rules find nothing (`rules.figures`: the same functions `check` runs), so a
  figure `record` or `import` accepts never makes `check` fail, and a refusal says what
  `check` would say.
- The series so far is read from the log's bytes: `log.search` finds the target's records by
  their id and only the latest record of each period (or item) is parsed. A hand-edited entry
  mentioning the target makes it read the whole file instead.
- Each new figure is judged against the winning figures so far (from the file, and rows
  earlier in the same import): a repeat is `unchanged`, a new value for a period a `revision`,
  and a year-to-date total must lie between its neighbours.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from liuxia_tracker.commands.common import ChangeKind
from liuxia_tracker.diagnostics import Finding
from liuxia_tracker.domain.models import District, Figure, Plan, Target
from liuxia_tracker.domain.periods import Period
from liuxia_tracker.domain.records import AnyFigure, FigureRecord
from liuxia_tracker.domain.units import parse_unit
from liuxia_tracker.engine.series import SeriesBuilder, build_series
from liuxia_tracker.log.figures import Content, read_figure_file
from liuxia_tracker.log.search import find_target_lines, line_numbers, record_at
from liuxia_tracker.rules.figures import (
    Neighbour,
    cumulative_decrease,
    figure_findings,
    implausible_jump,
)

# Two values this close (relative) are the same figure written in different units.
_SAME_VALUE = 1e-9


@dataclass(frozen=True, slots=True)
class Known:
    """A winning value already in the series (in the file, or earlier in this import)."""

    value: float | None  # in the target's unit; None for an item's state
    figure: AnyFigure
    offset: int | None = None  # where its line starts in the file (fast search)
    line: int | None = None  # its line number, when known (full read)
    row: int | None = None  # its row in the import being validated


@dataclass
class _TargetState:
    target: Target
    points: dict[Period, Known] = field(default_factory=dict)
    items: dict[str, Known] = field(default_factory=dict)


class FigureBook:
    """One district's plan and the series so far of the targets being written to."""

    def __init__(self, plan: Plan, district: District, path: Path, display: str) -> None:
        self.plan = plan
        self.district = district
        self.path = path
        self.display = display
        self.targets = {target.id: target for target in district.targets}
        self.states: dict[str, _TargetState] = {}
        self.content: Content = b""
        self.import_display = ""
        self._matcher = SeriesBuilder(plan, district)

    # -- reading the series so far ----------------------------------------------------------

    def load(self, content: Content, target_ids: Iterable[str]) -> None:
        """Read the winning records of these targets from the file's bytes."""
        self.content = content
        wanted = sorted({t for t in target_ids if t in self.targets})
        for target_id in wanted:
            self.states[target_id] = _TargetState(self.targets[target_id])
        if not wanted or not content:
            return
        offset_of: dict[int, int] = {}
        winners = []
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
                    if recorded is not None and recorded.figure.retraction is not None:
                        # What stands after a retraction is an earlier record: read them all.
                        self._load_by_full_read(wanted)
                        return
                    if recorded is not None and self._matcher.match(recorded.figure)[0] is None:
                        winners.append(recorded)
                        offset_of[id(recorded.figure)] = offset
                        break
        # The offset stands in for the line: of two records ending the same day, the later
        # in the file wins, and offsets order them as line numbers would.
        ordered = sorted(winners, key=lambda recorded: offset_of[id(recorded.figure)])
        series, _ = build_series(
            self.plan,
            self.district,
            (r._replace(line=offset_of[id(r.figure)]) for r in ordered),
        )
        for target_id in wanted:
            self._take(series[target_id].points, series[target_id].items, by_offset=True)

    def _load_by_full_read(self, wanted: list[str]) -> None:
        whole = read_figure_file(self.path, self.display)
        keep = set(wanted)
        records = [r for r in whole.records if r.figure.target in keep]
        series, _ = build_series(self.plan, self.district, records)
        for target_id in wanted:
            self._take(series[target_id].points, series[target_id].items, by_offset=False)

    def _take(self, points: Iterable[Any], items: dict[str, Any], *, by_offset: bool) -> None:
        for point in points:
            state = self.states[point.figure.target]
            where = {"offset": point.line} if by_offset else {"line": point.line}
            state.points[point.period] = Known(point.value, point.figure, **where)
        for item_id, recorded in items.items():
            state = self.states[recorded.figure.target]
            where = {"offset": recorded.line} if by_offset else {"line": recorded.line}
            state.items[item_id] = Known(None, recorded.figure, **where)

    def where(self, known: Known) -> str:
        if known.row is not None:
            return f"row {known.row} of {self.import_display}"
        line = known.line
        if line is None and known.offset is not None:
            line = line_numbers(self.content, [known.offset])[0]
        return f"line {line} of {self.display}"

    # -- judging a new figure ---------------------------------------------------------------

    def judge(self, figure: Figure, today: date) -> tuple[list[Finding], float | None]:
        """What matching and the figure rules say about `figure` on its own, and its value in
        the target's unit. Reads no file."""
        finding, value = self._matcher.match(FigureRecord.from_model(figure))
        if finding is not None:
            return [finding], None
        target = self.targets[figure.target]
        settings = self.plan.settings
        found = figure_findings(
            figure, target, self.plan.year, value, today, settings, sent_on=today
        )
        return found, value

    def against_series(
        self, figure: Figure, value: float | None
    ) -> tuple[ChangeKind, Known | None, list[Finding]]:
        """New, revision or unchanged against the series so far; a total out of order."""
        target = self.targets[figure.target]
        state = self.states.setdefault(target.id, _TargetState(target))
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
        others = sorted(p for p in state.points if p != period)
        at = bisect.bisect_left(others, period)
        before = self._neighbour(state, others[at - 1]) if at > 0 else None
        after = self._neighbour(state, others[at]) if at < len(others) else None
        found = list(cumulative_decrease(target, period, value, before, after))
        if not found:
            ratio = self.plan.settings.max_ratio
            found.extend(implausible_jump(figure, target, period, value, before, ratio))
        return kind, known, found

    def _neighbour(self, state: _TargetState, period: Period) -> Neighbour | None:
        known = state.points[period]
        if known.value is None:
            return None
        return Neighbour(period, known.value, self.where(known))

    def remember(self, figure: Figure, value: float | None, row: int | None) -> None:
        """Count `figure` (row `row` of an import) as the winner of its period or item."""
        state = self.states[figure.target]
        known = Known(value, figure, row=row)
        if figure.item is not None:
            state.items[figure.item] = known
        else:
            assert figure.period is not None
            state.points[figure.period] = known


def stamped(figure: Figure, target: Target, by: str, now: datetime) -> Figure:
    """The figure as written: who recorded it and when, and the unit spelt out."""
    update: dict[str, Any] = {"recorded_at": now}
    if figure.by is None:
        update["by"] = by
    if figure.item is None and figure.unit is None:
        update["unit"] = target.unit
    elif figure.unit is not None and parse_unit(figure.unit).base == "":
        # "15亿" for a target in 亿元 is written as 15 亿元: a bare factor takes the target's base.
        update["unit"] = figure.unit + parse_unit(target.unit).base
    return figure.model_copy(update=update)
