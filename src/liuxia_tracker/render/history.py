"""`tracker history` as text or JSON: every record of one target and a sparkline.

Guarantees: renders a `History` as the engine built it; computes nothing. Numbers are written
as the log holds them (never with an exponent). No control character of a note, source or
name reaches the output: text shows it visibly (`render.safe_text`), JSON escapes it.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import Any

from liuxia_tracker.domain.models import Target
from liuxia_tracker.domain.units import format_number, number_text
from liuxia_tracker.engine.history import History, HistoryEntry, Outline
from liuxia_tracker.render.safe_text import json_safe, visible

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
    title = visible(f"{history.district.id} {target.id} {target.name}")
    lines = [
        f"{title}: {target.kind}, target {_shown(target.value, target.unit)}, "
        f"reported by {target.cadence}",
        f"{visible(history.display)}: {len(history.entries)} record"
        f"{'s' if len(history.entries) != 1 else ''}",
    ]
    if not history.entries:
        lines.append("no figures recorded for this target yet")
        return "\n".join(lines) + "\n"
    rows = [
        {column: visible(text) for column, text in _history_cells(entry, target).items()}
        for entry in history.entries
    ]
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


def _json_record(entry: HistoryEntry) -> dict[str, Any]:
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
    return base


def _json_head(outline: Outline | History) -> dict[str, Any]:
    target = outline.target
    return {
        "district": outline.district.id,
        "target": target.id,
        "name": target.name,
        "kind": target.kind,
        "unit": target.unit,
        "file": outline.display,
        "records": [],
        "series": [
            {"period": period, "value": format_number(value)} for period, value in outline.series
        ],
        "sparkline": sparkline([value for _, value in outline.series]),
    }


def stream_json(outline: Outline, entries: Iterable[HistoryEntry]) -> Iterator[str]:
    """The JSON of `as_json`, piece by piece: one record at a time, so memory does not grow
    with the number of records."""
    whole = json_safe(json.dumps(_json_head(outline), ensure_ascii=False, indent=2))
    before, after = whole.split('"records": []', 1)
    yield before + '"records": ['
    separator = "\n"
    any_record = False
    for entry in entries:
        text = json.dumps(_json_record(entry), ensure_ascii=False, indent=2)
        yield separator + json_safe(textwrap.indent(text, "    "))
        separator = ",\n"
        any_record = True
    yield ("\n  ]" if any_record else "]") + after + "\n"


def as_json(history: History) -> str:
    payload = _json_head(history)
    payload["records"] = [_json_record(entry) for entry in history.entries]
    return json_safe(json.dumps(payload, ensure_ascii=False, indent=2)) + "\n"


def render(history: History, chosen: HistoryFormat) -> str:
    return {HistoryFormat.PLAIN: as_plain, HistoryFormat.JSON: as_json}[chosen](history)
