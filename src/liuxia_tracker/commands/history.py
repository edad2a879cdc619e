"""`tracker history`: read one target's records from its district's log, under a shared lock.

Guarantees: only the target's own lines are parsed (found by searching the log's bytes for its
id); a hand-edited entry mentioning the target makes it read the whole file instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from liuxia_tracker.commands.common import (
    figure_path,
    find_district,
    find_target,
    load_plan_for_writing,
)
from liuxia_tracker.commands.dataset import DataDir, display_path
from liuxia_tracker.domain.models import Plan
from liuxia_tracker.domain.records import Recorded
from liuxia_tracker.engine.history import (
    History,
    HistoryEntry,
    Outline,
    entries_of,
    history_of,
    outline_of,
)
from liuxia_tracker.log.append import locked_for_reading
from liuxia_tracker.log.figures import Content, read_figure_file
from liuxia_tracker.log.journal import refuse_cut_off_import
from liuxia_tracker.log.search import (
    CannotVouch,
    find_target_lines,
    iter_target_lines,
    line_numbers,
    record_at,
)


def target_history(data_dir: DataDir, plan: Plan, district_id: str, target_id: str) -> History:
    """Every record of one target, superseded ones too, and which one wins each period."""
    district = find_district(plan, district_id)
    target = find_target(district, target_id)
    path = figure_path(data_dir, district.id)
    display = display_path(path)
    records: list[Recorded] = []
    unreadable: list[int] = []
    refuse_cut_off_import(path.parent, str(Path(display).parent))
    with locked_for_reading(path, display) as content:
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


@dataclass(frozen=True, slots=True)
class StreamedHistory:
    outline: Outline
    entries: Iterator[HistoryEntry]


@contextmanager
def streamed_history(
    data_dir: DataDir, district_id: str, target_id: str
) -> Iterator[StreamedHistory]:
    """`tracker history --format json`: the outline from a first pass over the target's lines,
    then its entries one at a time from a second, under one shared lock, so memory does not
    grow with the log (a log the byte search cannot vouch for is read whole instead)."""
    plan = load_plan_for_writing(data_dir, [district_id])
    district = find_district(plan, district_id)
    target = find_target(district, target_id)
    path = figure_path(data_dir, district.id)
    display = display_path(path)
    refuse_cut_off_import(path.parent, str(Path(display).parent))
    with locked_for_reading(path, display) as content:

        def records() -> Iterator[Recorded | int]:
            yield from _records_of(content, target.id, path, display)

        outline = outline_of(plan, district, target, display, records())
        yield StreamedHistory(outline, entries_of(plan, district, outline, records()))


def _records_of(
    content: Content, target_id: str, path: Path, display: str
) -> Iterator[Recorded | int]:
    """The target's records in file order, a line number for each that does not read."""
    if not content:
        return
    if not _vouched(content, target_id):
        whole = read_figure_file(path, display)
        yield from (r for r in whole.records if r.figure.target == target_id)
        return
    line = 1
    position = 0
    for ref in iter_target_lines(content, target_id):
        line += content[position : ref.offset].count(b"\n")
        position = ref.offset
        recorded = record_at(content, ref.offset, display, line)
        yield line if recorded is None else recorded


def _vouched(content: Content, target_id: str) -> bool:
    """Whether the byte search vouches for every mention of the id (one pass, nothing kept)."""
    try:
        for _ in iter_target_lines(content, target_id):
            pass
    except CannotVouch:
        return False
    return True


def history(data_dir: DataDir, district_id: str, target_id: str) -> History:
    """`tracker history`: the plan (validated for this district only), then the history."""
    plan = load_plan_for_writing(data_dir, [district_id])
    return target_history(data_dir, plan, district_id, target_id)
