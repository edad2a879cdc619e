"""The status report as rich tables for a terminal: one table per district, coloured by status.

Guarantees: the columns are `status.SECTION_COLUMNS` (the heading above each table names the
district), the cells exactly as `status.cells` shows them (plus a ten-block completion bar
before the completion percentage), rows in the order given; under each table the district's
summary line, then its `status.note_lines`.
Every cell is a rich `Text`, never markup, so a name holding `[red]` prints as written. Wide
(CJK) characters count two cells, so columns align. With `color=False` the output holds no
escape codes at all.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from liuxia_tracker.i18n import Language
from liuxia_tracker.render.status import (
    SECTION_COLUMNS,
    Column,
    DistrictSection,
    cells_of,
    note_lines,
    report_title,
    sections,
    summary_line,
)
from liuxia_tracker.rows import Report, Status, TargetRow

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table
    from rich.text import Text

STATUS_STYLES: dict[Status, str] = {
    Status.ACHIEVED: "green",
    Status.ON_TRACK: "green",
    Status.AT_RISK: "yellow",
    Status.BEHIND: "red",
    Status.MISSED: "bold red",
    Status.STALE: "magenta",
    Status.NO_DATA: "dim",
}

BAR_CELLS = 10
_FULL = "█"
_EMPTY = "░"
# The number at the start of a numeric cell: "-8.22", "3/8", "44.4%".
_NUMBER = re.compile(r"[+-]?\d[\d.]*(?:/\d+)?%?")
# Without a width the table is drawn as wide as it needs, up to this many cells.
_WIDEST = 1000
# Narrower than this, a table of thirteen columns cannot be drawn at all.
_NARROWEST = 4 * len(SECTION_COLUMNS) + 1


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
        # On the decimal the reader sees (0.3 is three blocks, though 0.3 * 10 < 3 in binary).
        tenths = Decimal(repr(ratio)).scaleb(1).to_integral_value(rounding=ROUND_FLOOR)
        filled = min(int(tenths), BAR_CELLS - 1)
    return _FULL * filled + _EMPTY * (BAR_CELLS - filled)


def _row(row: TargetRow, lang: Language) -> list[Text]:
    from rich.text import Text

    style = STATUS_STYLES[row.status]
    rendered: list[Text] = []
    for column, text in zip(SECTION_COLUMNS, cells_of(row, lang, SECTION_COLUMNS), strict=True):
        if column.key == "completion":
            bar = completion_bar(row.completion)
            rendered.append(Text(f"{bar} {text}" if bar else text, style=style))
        elif column.key == "status":
            rendered.append(Text(text, style=style))
        else:
            rendered.append(Text(text))
    return rendered


def _least_width(column: Column, texts: list[str]) -> int:
    """The narrowest a column may get on a narrow terminal: numbers, statuses and the bar are
    never broken; text columns fold down to two wide characters."""
    from rich.cells import cell_len

    widths = [cell_len(text) for text in texts]
    if column.key == "status":
        return max(widths, default=1)
    if column.key == "completion" and any(text.startswith((_FULL, _EMPTY)) for text in texts):
        return BAR_CELLS
    if column.align == "right":
        numbers = [len(found.group()) for text in texts if (found := _NUMBER.match(text))]
        return max(numbers or widths or [1])
    return min(max(widths, default=1), 4)


def _column_widths(texts: list[list[str]], headers: list[str], width: int) -> list[int] | None:
    """Widths for the columns (without padding) that fit `width`: each column gets its least
    width, then a share of the rest in proportion to what it lacks. None when the table fits
    as it is, or when even the least widths do not fit (rich then folds every column)."""
    from rich.cells import cell_len

    natural = [
        max([cell_len(header)] + [cell_len(text) for text in column])
        for header, column in zip(headers, texts, strict=True)
    ]
    least = [
        min(_least_width(column, column_texts), wide)
        for column, column_texts, wide in zip(SECTION_COLUMNS, texts, natural, strict=True)
    ]
    # Each column costs its padding (2) and a rule (1), plus the closing rule.
    available = width - 3 * len(SECTION_COLUMNS) - 1
    if sum(natural) <= available or sum(least) > available:
        return None
    lacking = [wide - small for wide, small in zip(natural, least, strict=True)]
    spare = available - sum(least)
    total = sum(lacking)
    widths = [small + spare * lack // total for small, lack in zip(least, lacking, strict=True)]
    # Hand out what the rounding down left, one cell each to the columns lacking most.
    for index in sorted(range(len(widths)), key=lambda i: -lacking[i])[: available - sum(widths)]:
        widths[index] += 1
    return widths


def _table(section: DistrictSection, lang: Language, width: int | None) -> Table:
    from rich import box
    from rich.table import Table

    rows = [_row(row, lang) for row in section.rows]
    texts = [[row[index].plain for row in rows] for index in range(len(SECTION_COLUMNS))]
    header_texts = [column.header(lang) for column in SECTION_COLUMNS]
    widths = None if width is None else _column_widths(texts, header_texts, width)
    table = Table(box=box.SQUARE, header_style="bold")
    for index, column in enumerate(SECTION_COLUMNS):
        table.add_column(
            header_texts[index],
            justify=column.align,
            overflow="fold",
            width=None if widths is None else widths[index],
        )
    for row_cells in rows:
        table.add_row(*row_cells)
    return table


def _console(color: bool, width: int) -> Console:
    from io import StringIO

    from rich.console import Console

    return Console(
        file=StringIO(),
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        legacy_windows=False,
        emoji=False,
        highlight=False,
        markup=False,
        soft_wrap=False,
    )


def render(report: Report, lang: Language, *, color: bool = True, width: int | None = None) -> str:
    from io import StringIO

    from rich.measure import Measurement
    from rich.text import Text

    if width is not None:
        width = max(width, _NARROWEST)
    parts: list[RenderableType] = [Text(report_title(report, lang), style="bold")]
    for section in sections(report):
        parts += [Text(""), Text(section.title(lang), style="bold"), _table(section, lang, width)]
        line = summary_line(section, report, lang)
        if line is not None:
            parts.append(Text(line))
        parts += [Text(note) for note in note_lines(section, lang)]
    if width is None:
        measurer = _console(color, _WIDEST)
        width = max(Measurement.get(measurer, measurer.options, part).maximum for part in parts)
    console = _console(color, width)
    for part in parts:
        console.print(part)
    output = console.file
    assert isinstance(output, StringIO)
    return output.getvalue()
