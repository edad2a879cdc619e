"""`tracker history`: read one target's records from its district's log, under a shared lock.

Guarantees: only the target's own lines are parsed (found by searching the log's bytes for its
id); a hand-edited entry mentioning the target makes it read the whole file instead.
"""

from __future__ import annotations

from liuxia_tracker.commands.common import (
    figure_path,
    find_district,
    find_target,
    load_plan_for_writing,
)
from liuxia_tracker.commands.dataset import DataDir, display_path
from liuxia_tracker.domain.models import Plan, Recorded
from liuxia_tracker.engine.history import History, history_of
from liuxia_tracker.log.append import locked_for_reading
from liuxia_tracker.log.figures import read_figure_file
from liuxia_tracker.log.search import find_target_lines, line_numbers, record_at


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
    return history_of(plan, district, target, display, records, unreadable)


def history(data_dir: DataDir, district_id: str, target_id: str) -> History:
    """`tracker history`: the plan (validated for this district only), then the history."""
    plan = load_plan_for_writing(data_dir, [district_id])
    return target_history(data_dir, plan, district_id, target_id)
