"""The status report as CSV for spreadsheets: one header row, then one row per target.

Guarantees: the text starts with a UTF-8 byte-order mark (U+FEFF), so Excel reads the Chinese
correctly. The first columns are the displayed columns of every format (`status.COLUMNS`,
headed in the chosen language, cells exactly as `status.cells` shows them); the machine columns
follow (`MACHINE_COLUMNS`, English snake_case headers in every language) with full-precision
numbers (Python's shortest round-trip form, e.g. `35.5`, `0.4437`), ISO dates, `true`/`false`,
and an empty field for no value. A text cell that a spreadsheet would read as a formula (it
starts with `=`, `+`, `-`, `@`, a tab or a carriage return; e.g. the variance `-0.6百分点`) is
prefixed with an apostrophe, so it stays text; plain numbers in machine columns are never
prefixed. Lines end with "\n".
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date

from liuxia_tracker.domain.units import PERCENTAGE_POINT
from liuxia_tracker.engine.rows import ExpectedBasis, Report, Status, TargetRow
from liuxia_tracker.i18n import Language
from liuxia_tracker.render.view import DistrictSection, cells, headers, sections

BYTE_ORDER_MARK = "\ufeff"

MACHINE_COLUMNS: tuple[str, ...] = (
    "district_id",
    "target_id",
    "kind",
    "qualifier",
    "unit",
    "target_value",
    "tolerance",
    "actual_value",
    "items_done",
    "items_total",
    "expected_value",
    "expected_basis",
    "variance_value",
    "variance_unit",
    "completion_ratio",
    "remaining_value",
    "status_code",
    "last_period",
    "forecast_value",
    "forecast_date",
    "forecast_reached",
    "weight",
    "score",
    "district_score",
    "district_rank",
    "overdue_items",
    "note",
    "overdue_period",
    "overdue_due_by",
    "schedule_gap",
    "needed_per_period",
    "periods_left",
    "level_value",
    "level_unit",
    "district_category",
)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str | None) -> str:
    if value is None:
        return ""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


# Each status's and basis's code as a cell, made once (`.value` is a descriptor call).
_CODES: dict[Status | ExpectedBasis, str] = {
    member: _text(member.value) for member in (*Status, *ExpectedBasis)
}


def _number(value: float | int | None) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    return repr(value)


def _flag(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def _day(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def _machine(row: TargetRow, section: DistrictSection) -> list[str]:
    summary = section.summary
    values = {
        "district_id": _text(row.district_id),
        "target_id": _text(row.target_id),
        "kind": _text(row.kind),
        "qualifier": _text(row.qualifier),
        "unit": _text(row.unit),
        "target_value": _number(row.target),
        "tolerance": _number(row.tolerance),
        "actual_value": _number(row.actual),
        "items_done": _number(row.items_done),
        "items_total": _number(row.items_total),
        "expected_value": _number(row.expected),
        "expected_basis": _CODES[row.expected_basis],
        "variance_value": _number(row.variance),
        "variance_unit": _text(PERCENTAGE_POINT if row.kind == "rate" else row.unit),
        "completion_ratio": _number(row.completion),
        "remaining_value": _number(row.remaining),
        "status_code": _CODES[row.status],
        "last_period": _text(row.last_period),
        "forecast_value": _number(row.forecast),
        "forecast_date": _day(row.forecast_date),
        "forecast_reached": _flag(row.forecast_reached),
        "weight": _number(row.weight),
        "score": _number(row.score),
        "district_score": _number(summary.score if summary else None),
        "district_rank": _number(summary.rank if summary else None),
        "overdue_items": _text(" ".join(item.id for item in row.overdue_items)),
        "note": _text(row.note),
        "overdue_period": _text(row.overdue_figure.period if row.overdue_figure else None),
        "overdue_due_by": _day(row.overdue_figure.due_by if row.overdue_figure else None),
        "schedule_gap": _number(row.schedule_gap),
        "needed_per_period": _number(row.needed_per_period),
        "periods_left": _number(row.periods_left),
        "level_value": _number(row.level_value),
        "level_unit": _text(row.level_unit),
        "district_category": _text(summary.category if summary else None),
    }
    return [values[key] for key in MACHINE_COLUMNS]


def render(report: Report, lang: Language) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*headers(lang), *MACHINE_COLUMNS])
    writer.writerows(
        [*map(_text, cells(row, lang)), *_machine(row, section)]
        for section in sections(report)
        for row in section.rows
    )
    return BYTE_ORDER_MARK + buffer.getvalue()
