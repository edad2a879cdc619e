"""The status report as boxed tables for a terminal: one table per district, coloured by status.

Guarantees: the columns are `status.SECTION_COLUMNS` (the heading above each table names the
district), the cells exactly as `status.cells` shows them (the completion cell starts with a
ten-block bar), rows in the order given; under each table the district's summary line, then its
`status.note_lines`. The text is exactly what rich draws (`table_rich`: box.SQUARE borders,
its colour codes); `table_draw` writes the same characters directly, and rich itself draws
only what `table_draw` declines. Every cell is shown as text, never markup, so a name holding
`[red]` prints as written. Wide (CJK) characters count two cells, so columns align. With
`color=False` the output holds no escape codes at all.

Fitting a terminal `width` (None: every column as wide as its widest cell, nothing hidden),
every line of the output is at most `width` cells wide:

- A number, a date, a status and the bar are never split across lines. Text (names, units,
  notes) wraps between words, between a number and its unit, keeps a bracketed phrase such as
  `(not this year)` together when it fits a line, and folds a long Chinese run between
  characters into even lines (never starting one with a closing mark such as `，` or `）`).
- Every column first gets its comfortable width: values (target value, actual, expected,
  variance), the bar with its percentage, the status and the qualifier on one line; the
  forecast's value and its bracket on a line each; a target's name 20 cells (two lines of ten
  Chinese characters), group 10, owner 12, leader 10, or less when every cell is narrower.
  When those do not fit, whole columns are hidden in the order of `HIDDEN_FIRST` (leader,
  owner, group, qualifier, forecast) until they do, and one dim line at the end of the report
  names them and says that `--format plain` shows every column. Target, target value, actual,
  expected, variance, completion and status are never hidden; when they still do not fit, a
  value puts its unit under its number, then folds the unit, and the percentage goes under
  the bar.
- Width left over widens value columns to one line each (whole columns, the one lacking
  least first), then the target, qualifier and forecast, then group, owner and leader, up to
  their widest cell.
- Narrower than `minimum_width` (about 75–80 cells for the seed data), no table fits without
  splitting a number: each target is listed instead, its name on one line and its status and
  values, `滞后；目标值 80万平方米；实际 30万平方米；…`, indented under it.

Every table of a report has the same columns and widths, measured over all its rows. Which
columns and how wide: `table_layout`.
"""

from __future__ import annotations

import math
from decimal import ROUND_FLOOR, Decimal

from liuxia_tracker.engine.rows import Report, TargetRow
from liuxia_tracker.i18n import Language
from liuxia_tracker.render.table_layout import (
    HIDDEN_FIRST,
    column_measures,
    layout,
    table_width,
)
from liuxia_tracker.render.view import SECTION_COLUMNS, cells_of
from liuxia_tracker.render.wrap import EMPTY, FULL, wrap

__all__ = ["HIDDEN_FIRST", "completion_bar", "layout", "minimum_width", "render", "wrap"]

BAR_CELLS = 10


def completion_bar(ratio: float | None) -> str:
    """Ten blocks, one per full 10% (rounded down), so the bar is full only at 100% or more
    (97.1% shows nine); empty text for no value."""
    if ratio is None or math.isnan(ratio):
        return ""
    if ratio >= 1:
        filled = BAR_CELLS
    elif ratio <= 0:
        filled = 0
    else:
        # On the decimal the reader sees (0.3 is three blocks, though 0.3 * 10 < 3 in binary):
        # its first decimal, read off its shortest form when that is written out (0.44375).
        shortest = repr(ratio)
        if shortest.startswith("0.") and shortest[2:3].isdigit():
            tenths = int(shortest[2])
        else:
            tenths = int(Decimal(shortest).scaleb(1).to_integral_value(rounding=ROUND_FLOOR))
        filled = min(tenths, BAR_CELLS - 1)
    return FULL * filled + EMPTY * (BAR_CELLS - filled)


_COMPLETION = [column.key for column in SECTION_COLUMNS].index("completion")


def _texts(row: TargetRow, lang: Language) -> list[str]:
    """The row's cells for `SECTION_COLUMNS`, the completion led by its bar."""
    texts = cells_of(row, lang, SECTION_COLUMNS)
    bar = completion_bar(row.completion)
    if bar:
        texts[_COMPLETION] = f"{bar} {texts[_COMPLETION]}"
    return texts


def minimum_width(report: Report, lang: Language) -> int:
    """The narrowest terminal that still gets tables (narrower, each target is a list)."""
    measures = column_measures(lang, [_texts(row, lang) for row in report.rows], SECTION_COLUMNS)
    kept = [column.key for column in SECTION_COLUMNS if column.key not in HIDDEN_FIRST]
    return table_width(measures[key].least for key in kept)


def render(report: Report, lang: Language, *, color: bool = True, width: int | None = None) -> str:
    from liuxia_tracker.render import table_draw

    texts = [_texts(row, lang) for row in report.rows]
    chosen = layout(lang, texts, width, SECTION_COLUMNS)
    drawn = table_draw.draw(report, lang, texts, chosen, color=color, width=width)
    if drawn is not None:
        return drawn
    from liuxia_tracker.render import table_rich

    return table_rich.draw(report, lang, texts, chosen, color=color, width=width)
