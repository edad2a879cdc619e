"""What `tracker import` does to each row before judging it: names become ids, `--provisional`
marks the row, and a second row for the same figure is refused.

Guarantees: pure, over the plan and the rows. A target or item may be named as `record`
names it (`common.find_target`, `common.find_item`: id, Chinese or English name, alias); a
name that fits nothing is left for the matcher to report with its usual code. Two rows of one
file for the same district, target and period (or item) are a `duplicate-row` error at the
later row naming both, since which one was meant cannot be guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from liuxia_tracker.commands.common import find_item, find_target
from liuxia_tracker.diagnostics import Diagnostic, TrackerError
from liuxia_tracker.domain.models import District, Figure
from liuxia_tracker.log.import_file import ImportRow

DUPLICATE_ROW = "duplicate-row"


def by_names(district: District, row: ImportRow, display: str) -> ImportRow | Diagnostic:
    """The row with its target and item given by id: a name (地区生产总值增长) or alias is
    replaced by the id it stands for. A name that finds nothing (or several) is an
    `unknown-target` or `unknown-item` error listing the valid ones; an id that is not in the
    plan is left for the matcher to report."""
    figure = row.figure
    update: dict[str, Any] = {}
    wanted = row.names.get("target", figure.target)
    try:
        target = find_target(district, wanted)
    except TrackerError as error:
        if "target" not in row.names:
            return row
        return Diagnostic(display, row.row, row.column("target"), "unknown-target", str(error))
    if target.id != figure.target:
        update["target"] = target.id
    if figure.item is not None:
        wanted_item = row.names.get("item", figure.item)
        try:
            item_id = find_item(target, wanted_item).id
        except TrackerError as error:
            if "item" in row.names:
                return Diagnostic(display, row.row, row.column("item"), "unknown-item", str(error))
            item_id = figure.item
        if item_id != figure.item:
            update["item"] = item_id
    return as_asked(row, figure=figure.model_copy(update=update)) if update else row


def as_asked(
    row: ImportRow, *, provisional: bool = False, figure: Figure | None = None
) -> ImportRow:
    """The row with `figure` in place of its own; with `provisional`, a period's figure is
    marked a 快报 (an item's progress has no period and is left alone)."""
    chosen = figure if figure is not None else row.figure
    if provisional and chosen.period is not None and not chosen.provisional:
        chosen = chosen.model_copy(update={"provisional": True})
    return row if chosen is row.figure else replace(row, figure=chosen)


@dataclass
class FirstRows:
    """The first row of the file for each figure, to refuse a second one."""

    display: str
    seen: dict[tuple[str, str, str, str], int] = field(default_factory=dict)

    def repeats(self, district: str, row: ImportRow) -> Diagnostic | None:
        figure = row.figure
        if figure.item is not None:
            key = (district, figure.target, "item", figure.item)
            what = f"{district} {figure.target} item {figure.item}"
        else:
            key = (district, figure.target, "period", str(figure.period))
            what = f"{district} {figure.target} {figure.period}"
        first = self.seen.setdefault(key, row.row)
        if first == row.row:
            return None
        return Diagnostic(
            self.display,
            row.row,
            row.column("target"),
            DUPLICATE_ROW,
            f"rows {first} and {row.row} both give {what}: keep one",
        )
