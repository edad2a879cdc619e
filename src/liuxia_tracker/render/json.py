"""The status report as JSON for programs: stable English keys, raw numbers, fixed key order.

Guarantees: the keys are snake_case English in every language and always present (null for no
value), in the order documented in docs/output-formats.md; `FORMAT_VERSION` changes when a key
is renamed or removed (adding keys does not). Numbers are the engine's, unrounded (a non-finite
number is null). Language shows only in the `*label*` keys, `columns`, the summary `line` and
each target's `display`: the cells exactly as every other format shows them. Non-ASCII text is
written as is (UTF-8), indented by two spaces: the text of `json.dumps(payload,
ensure_ascii=False, indent=2)`, written by `json_text.dumps`.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from liuxia_tracker.domain.units import PERCENTAGE_POINT
from liuxia_tracker.engine.rows import ExpectedBasis, Report, Status, TargetRow
from liuxia_tracker.i18n import Language, status_label
from liuxia_tracker.render.json_text import dumps
from liuxia_tracker.render.view import (
    COLUMNS,
    DistrictSection,
    display_cells,
    report_title,
    sections,
    summary_line,
)

FORMAT_VERSION = 1

# Each status's and basis's code, looked up once: `.value` is a descriptor call.
_CODES: dict[Status | ExpectedBasis, str] = {
    member: member.value for member in (*Status, *ExpectedBasis)
}


def _number(value: float | None) -> float | None:
    return value if value is None or math.isfinite(value) else None


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _target(row: TargetRow, lang: Language) -> dict[str, Any]:
    return {
        "id": row.target_id,
        "name": row.name,
        "name_en": row.name_en,
        "group": row.group,
        "kind": row.kind,
        "qualifier": row.qualifier,
        "unit": row.unit,
        "target": _number(row.target),
        "tolerance": _number(row.tolerance),
        "actual": _number(row.actual),
        "items_done": row.items_done,
        "items_total": row.items_total,
        "expected": _number(row.expected),
        "expected_basis": _CODES[row.expected_basis],
        "variance": _number(row.variance),
        "variance_unit": PERCENTAGE_POINT if row.kind == "rate" else row.unit,
        "completion": _number(row.completion),
        "remaining": _number(row.remaining),
        "status": _CODES[row.status],
        "status_label": status_label(row.status, lang),
        "last_period": row.last_period,
        "forecast": _number(row.forecast),
        "forecast_date": _day(row.forecast_date),
        "forecast_reached": row.forecast_reached,
        "owner": row.owner,
        "leader": row.leader,
        "weight": _number(row.weight),
        "score": _number(row.score),
        "overdue_items": [
            {
                "id": item.id,
                "name": item.name,
                "owner": item.owner,
                "leader": item.leader,
                "due": item.due.isoformat(),
            }
            for item in row.overdue_items
        ],
        "note": row.note,
        "overdue_figure": None
        if row.overdue_figure is None
        else {"period": row.overdue_figure.period, "due_by": row.overdue_figure.due_by.isoformat()},
        "schedule_gap": _number(row.schedule_gap),
        "needed_per_period": _number(row.needed_per_period),
        "periods_left": row.periods_left,
        "cadence": row.cadence,
        "level": None
        if row.level_value is None
        else {"value": _number(row.level_value), "unit": row.level_unit},
        "display": display_cells(row, lang),
    }


def _district(section: DistrictSection, report: Report, lang: Language) -> dict[str, Any]:
    summary = section.summary
    return {
        "id": section.district_id,
        "name": section.name,
        "name_en": section.name_en,
        "category": None if summary is None else summary.category,
        "summary": None
        if summary is None
        else {
            "counts": {status.value: summary.counts.get(status, 0) for status in Status},
            "score": _number(summary.score),
            "rank": summary.rank,
            "rank_total": summary.rank_total,
            "line": summary_line(section, report, lang),
        },
        "targets": [_target(row, lang) for row in section.rows],
    }


def render(report: Report, lang: Language) -> str:
    payload = {
        "format_version": FORMAT_VERSION,
        "language": lang.value,
        "title": report_title(report, lang),
        "year": report.year,
        "as_of": report.as_of.isoformat(),
        "columns": [{"key": column.key, "label": column.header(lang)} for column in COLUMNS],
        "status_labels": {status.value: status_label(status, lang) for status in Status},
        "districts": [_district(section, report, lang) for section in sections(report)],
    }
    return dumps(payload) + "\n"
