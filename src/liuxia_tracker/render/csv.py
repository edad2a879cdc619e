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
    """The machine columns' cells, in the order of `MACHINE_COLUMNS` (one list, no mapping)."""
    summary = section.summary
    figure = row.overdue_figure
    return [
        _text(row.district_id),  # district_id
        _text(row.target_id),  # target_id
        _text(row.kind),  # kind
        _text(row.qualifier),  # qualifier
        _text(row.unit),  # unit
        _number(row.target),  # target_value
        _number(row.tolerance),  # tolerance
        _number(row.actual),  # actual_value
        _number(row.items_done),  # items_done
        _number(row.items_total),  # items_total
        _number(row.expected),  # expected_value
        _CODES[row.expected_basis],  # expected_basis
        _number(row.variance),  # variance_value
        _text(PERCENTAGE_POINT if row.kind == "rate" else row.unit),  # variance_unit
        _number(row.completion),  # completion_ratio
        _number(row.remaining),  # remaining_value
        _CODES[row.status],  # status_code
        _text(row.last_period),  # last_period
        _number(row.forecast),  # forecast_value
        _day(row.forecast_date),  # forecast_date
        _flag(row.forecast_reached),  # forecast_reached
        _number(row.weight),  # weight
        _number(row.score),  # score
        _number(summary.score if summary else None),  # district_score
        _number(summary.rank if summary else None),  # district_rank
        _text(" ".join(item.id for item in row.overdue_items)),  # overdue_items
        _text(row.note),  # note
        _text(figure.period if figure else None),  # overdue_period
        _day(figure.due_by if figure else None),  # overdue_due_by
        _number(row.schedule_gap),  # schedule_gap
        _number(row.needed_per_period),  # needed_per_period
        _number(row.periods_left),  # periods_left
        _number(row.level_value),  # level_value
        _text(row.level_unit),  # level_unit
        _text(summary.category if summary else None),  # district_category
    ]


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
