"""`tracker history` as text or JSON: every record of one target and a sparkline.

Guarantees: renders a `History` as the engine built it; computes nothing. Numbers are written
as the log holds them (never with an exponent).
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from liuxia_tracker.domain.models import Target
from liuxia_tracker.domain.units import format_number, number_text
from liuxia_tracker.engine.history import History, HistoryEntry

SPARK_BLOCKS = "▁▂▃▄▅▆▇█"


class HistoryFormat(StrEnum):
    PLAIN = "plain"
    JSON = "json"


def sparkline(values: list[float]) -> str:
    """One block per value, ▁ for the lowest and █ for the highest (▄ when all are equal)."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return SPARK_BLOCKS[3] * len(values)
    steps = len(SPARK_BLOCKS) - 1
    return "".join(SPARK_BLOCKS[round((value - low) / (high - low) * steps)] for value in values)


def _shown(value: float | None, unit: str) -> str:
    return f"{'?' if value is None else number_text(value)} {unit}".rstrip()


def _history_cells(entry: HistoryEntry, target: Target) -> dict[str, str]:
    figure = entry.figure
    if figure is None:
        return {"line": str(entry.line), "standing": entry.standing, "note": entry.problem or ""}
    if figure.retraction is not None:
        key = f"item {figure.item}" if figure.item is not None else str(figure.period)
        value = "retracted"
    elif figure.item is not None:
        key = f"item {figure.item}"
        value = ("done" if figure.done else "not done") + (
            f" {figure.date}" if figure.date is not None else ""
        )
    else:
        key = str(figure.period)
        value = _shown(figure.value, figure.unit or target.unit)
        if figure.unit not in (None, target.unit) and entry.value is not None:
            value += f" (= {_shown(entry.value, target.unit)})"
    standing = {
        "wins": "* wins",
        "superseded": "  superseded",
        "ignored": "! ignored",
        "retracted": "x retracted",
        "retraction": "x retraction",
    }[entry.standing]
    why = f"retraction: {figure.retraction}" if figure.retraction is not None else None
    provisional = "快报 (provisional)" if figure.provisional else None
    forced = "forced" if figure.forced else None
    published = f"published {figure.published}" if figure.published is not None else None
    texts = (provisional, forced, published, why, figure.note, entry.problem)
    note = " · ".join(text for text in texts if text)
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


def as_plain(history: History) -> str:
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
        lines.append(f"series {span}: {sparkline([value for _, value in history.series])}")
    return "\n".join(lines) + "\n"


def as_json(history: History) -> str:
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
        "sparkline": sparkline([value for _, value in history.series]),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def render(history: History, chosen: HistoryFormat) -> str:
    return {HistoryFormat.PLAIN: as_plain, HistoryFormat.JSON: as_json}[chosen](history)
