"""`tracker retract`: withdraw the standing figure of a period (or item), by appending a
retraction record; the log stays append-only.

Guarantees: refused (one line, nothing written) when nothing stands for that period or item;
otherwise one record `{target, period|item, retraction: REASON, by, recorded_at}` is
appended under the lock, and the period falls back to the record it superseded, if any
(`engine.series`). `check`, `status` and `history` all read it.
"""

from __future__ import annotations

from datetime import datetime

from liuxia_tracker.commands.common import (
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
from liuxia_tracker.commands.figure_book import FigureBook
from liuxia_tracker.diagnostics import TrackerError, UsageError
from liuxia_tracker.domain.models import Figure
from liuxia_tracker.domain.periods import PeriodError, parse_period
from liuxia_tracker.log.append import locked_for_append
from liuxia_tracker.log.canonical import canonical_line


def retract(
    data_dir: DataDir,
    district: str,
    target: str,
    period: str | None,
    *,
    reason: str,
    item: str | None = None,
    by: str | None = None,
    now: datetime | None = None,
) -> str:
    """Append the retraction; one line saying what was withdrawn."""
    if (period is None) == (item is None):
        raise UsageError("give PERIOD, or --item ID (one of them)")
    if not reason.strip():
        raise UsageError("--reason is empty: say why the figure is withdrawn")
    check_recorder(by)
    plan = load_plan_to_write(data_dir, [district])
    found = find_district(plan, district)
    goal = find_target(found, target)
    data: dict[str, object] = {"target": goal.id, "retraction": reason.strip()}
    if item is not None:
        data["item"] = find_item(goal, item).id
    else:
        assert period is not None
        try:
            data["period"] = str(parse_period(period))
        except PeriodError as error:
            raise TrackerError(f"PERIOD: {error}") from None
    data["by"] = by or default_recorder()
    data["recorded_at"] = (now or timestamp_now()).isoformat()
    figure = Figure.model_validate(data)
    path = figure_path(data_dir, found.id)
    book = FigureBook(plan, found, path, display_path(path))
    with locked_for_append(path, book.display) as locked:
        if locked.size:
            book.load(locked.content(), [goal.id])
        state = book.states.get(goal.id)
        if item is not None:
            standing = state.items.get(figure.item or "") if state else None
        else:
            assert figure.period is not None
            standing = state.points.get(figure.period) if state else None
        what = f"item {figure.item}" if figure.item is not None else str(figure.period)
        if standing is None:
            raise TrackerError(f"{found.id} {goal.id} {what}: no figure stands; nothing to retract")
        locked.append(canonical_line(figure))
    return f"retracted {found.id} {goal.id} {what} in {book.display} ({reason.strip()})"
