"""The long tables `tracker export` writes: the plan's targets, every figure, a status snapshot.

Guarantees: each table is a fixed list of typed columns (`Column`) and plain rows in that
order, the same for every output format. Numbers as the files write them are kept exactly, as
decimal text (`value`, `value_base`); a figure's value in its target's unit is a double, for
arithmetic. The status table holds the rows `tracker status` computes (`commands.status`),
field for field: nothing is computed again here. Figures are the records that join a series
(the ones `tracker check` finds fault with are left out, and counted by the caller); for each
target and period (or item) they are numbered in file order, `revision` 1, 2, …, and every one
but the last is `superseded`, as `tracker history` shows them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from liuxia_tracker.domain.models import Pace, Plan, Target
from liuxia_tracker.domain.records import FigureRecord
from liuxia_tracker.domain.units import amount_in_base, conversion_factor, number_text, parse_unit
from liuxia_tracker.engine.rows import Report
from liuxia_tracker.log.figures import FigureFile


class ColumnType(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DOUBLE = "double"
    BOOLEAN = "boolean"
    DATE = "date"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: ColumnType


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]]


def _columns(spec: str) -> tuple[Column, ...]:
    """`"name:type name:type …"`, the type defaulting to text."""
    found = []
    for word in spec.split():
        name, _, kind = word.partition(":")
        found.append(Column(name, ColumnType(kind or "text")))
    return tuple(found)


PLAN_COLUMNS = _columns(
    "year:integer district_id district_name district_name_en target_id name name_en group kind "
    "qualifier value unit value_base base_unit tolerance:double at_risk:double cadence "
    "reported_as pace owner leader weight:double items:integer source note"
)
FIGURE_COLUMNS = _columns(
    "district_id target_id file line:integer period period_end:date item done:boolean "
    "date:date value unit value_base base_unit value_in_target_unit:double target_unit "
    "revision:integer superseded:boolean source note by recorded_at"
)
STATUS_COLUMNS = _columns(
    "as_of:date year:integer district_id district_name district_name_en target_id name name_en "
    "group kind qualifier unit target:double tolerance:double actual:double expected:double "
    "expected_basis variance:double completion:double remaining:double status last_period "
    "forecast:double forecast_date:date forecast_reached:boolean owner leader weight:double "
    "score:double items_done:integer items_total:integer overdue_items:integer note "
    "district_score:double district_rank:integer"
)


def decimal_text(amount: Decimal) -> str:
    """An exact decimal without exponent or trailing zeros: 1500000000, 0.05, -2.5."""
    text = format(amount.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _base(value: float, unit_text: str) -> tuple[str, str]:
    """`value` in `unit_text` as exact text in the base unit, and that base unit."""
    unit = parse_unit(unit_text)
    return decimal_text(amount_in_base(value, unit)), unit.base or unit_text


def _pace(pace: Pace) -> str:
    if pace.is_linear:
        return "linear"
    return json.dumps(pace.model_dump(exclude_none=True), separators=(",", ":"))


def plan_table(plan: Plan) -> Table:
    rows = []
    for district in plan.districts:
        for target in district.targets:
            value_base, base_unit = _base(target.value, target.unit)
            rows.append(
                (
                    plan.year,
                    district.id,
                    district.name,
                    district.name_en,
                    target.id,
                    target.name,
                    target.name_en,
                    target.group,
                    target.kind,
                    target.qualifier,
                    number_text(target.value),
                    target.unit,
                    value_base,
                    base_unit,
                    target.tolerance,
                    target.at_risk,
                    target.cadence,
                    target.reported_as,
                    _pace(target.pace),
                    target.owner,
                    target.leader,
                    target.weight,
                    len(target.items),
                    target.source,
                    target.note,
                )
            )
    return Table("plan", PLAN_COLUMNS, rows)


def _figure_row(
    district_id: str, file: FigureFile, line: int, figure: FigureRecord, target: Target
) -> list[Any]:
    if figure.value is None:
        value = value_base = base_unit = None
        in_target_unit = None
    else:
        unit = figure.unit or target.unit
        value = number_text(figure.value)
        value_base, base_unit = _base(figure.value, unit)
        # As the series converts it (`engine.series`), so sums match `tracker status`.
        factor = conversion_factor(parse_unit(unit), parse_unit(target.unit))
        in_target_unit = figure.value if factor == 1.0 else figure.value * factor
    period = figure.period
    return [
        district_id,
        target.id,
        file.display,
        line,
        str(period) if period is not None else None,
        period.end if period is not None else None,
        figure.item,
        figure.done,
        figure.date,
        value,
        (figure.unit or target.unit) if figure.value is not None else None,
        value_base,
        base_unit,
        in_target_unit,
        target.unit,
        None,  # revision, numbered below
        None,  # superseded, decided below
        figure.source,
        figure.note,
        figure.by,
        figure.recorded_at.isoformat() if figure.recorded_at is not None else None,
    ]


def figure_table(plan: Plan, files: Iterable[FigureFile], skipped: set[tuple[str, int]]) -> Table:
    """Every figure record that joins a series; `skipped` holds (file display, line) of the
    records a rule found fault with."""
    targets = {(d.id, t.id): t for d in plan.districts for t in d.targets}
    revision_at = FIGURE_COLUMNS.index(Column("revision", ColumnType.INTEGER))
    rows: list[tuple[Any, ...]] = []
    for file in sorted(files, key=lambda found: found.district):
        groups: dict[tuple[str, str, str], list[list[Any]]] = {}
        for recorded in file.records:
            figure = recorded.figure
            target = targets.get((file.district, figure.target))
            if target is None or (file.display, recorded.line) in skipped:
                continue
            row = _figure_row(file.district, file, recorded.line, figure, target)
            key = (
                ("item", figure.target, figure.item)
                if figure.item is not None
                else ("period", figure.target, str(figure.period))
            )
            groups.setdefault(key, []).append(row)
        ordered = []
        for revisions in groups.values():
            for number, row in enumerate(revisions, start=1):
                row[revision_at] = number
                row[revision_at + 1] = number < len(revisions)
                ordered.append(row)
        ordered.sort(key=lambda row: row[3])  # file order
        rows.extend(tuple(row) for row in ordered)
    return Table("figures", FIGURE_COLUMNS, rows)


def status_table(report: Report) -> Table:
    summaries = {summary.district_id: summary for summary in report.districts}
    rows = []
    for row in report.rows:
        summary = summaries.get(row.district_id)
        rows.append(
            (
                report.as_of,
                report.year,
                row.district_id,
                row.district_name,
                row.district_name_en,
                row.target_id,
                row.name,
                row.name_en,
                row.group,
                row.kind,
                row.qualifier,
                row.unit,
                row.target,
                row.tolerance,
                row.actual,
                row.expected,
                row.expected_basis.value,
                row.variance,
                row.completion,
                row.remaining,
                row.status.value,
                row.last_period,
                row.forecast,
                row.forecast_date,
                row.forecast_reached,
                row.owner,
                row.leader,
                row.weight,
                row.score,
                row.items_done,
                row.items_total,
                len(row.overdue_items),
                row.note,
                summary.score if summary is not None else None,
                summary.rank if summary is not None else None,
            )
        )
    return Table("status", STATUS_COLUMNS, rows)
