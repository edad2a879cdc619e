"""The status report as rich tables for a terminal: one table per district, coloured by status.

Guarantees: the columns are `status.SECTION_COLUMNS` (the heading above each table names the
district), the cells exactly as `status.cells` shows them (the completion cell starts with a
ten-block bar), rows in the order given; under each table the district's summary line, then its
`status.note_lines`. Every cell is a rich `Text`, never markup, so a name holding `[red]` prints
as written. Wide (CJK) characters count two cells, so columns align. With `color=False` the
output holds no escape codes at all.

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

Every table of a report has the same columns and widths, measured over all its rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from liuxia_tracker.engine.rows import Report, Status, TargetRow
from liuxia_tracker.i18n import Language, label
from liuxia_tracker.render.notes import note_lines
from liuxia_tracker.render.view import (
    SECTION_COLUMNS,
    Column,
    cells_of,
    report_title,
    sections,
    summary_line,
)
from liuxia_tracker.render.wrap import EMPTY, FULL, OPENING, cell_width, is_wide, text_pieces, wrap

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
    Status.AHEAD: "bold green",
    Status.STALE: "magenta",
    Status.NO_DATA: "dim",
}

BAR_CELLS = 10

# Hidden first when the terminal is too narrow, in this order. The section heading already
# names the district, so the table never has a district column to hide.
HIDDEN_FIRST: tuple[str, ...] = ("leader", "owner", "group", "qualifier", "forecast")
# Shown in full on one line whenever the width allows: the numbers a reader compares.
_VALUES = ("target_value", "actual", "expected", "variance", "completion", "status")
# Coloured by the row's status.
_STYLED = ("completion", "status")
# Text columns: their comfortable width and the narrowest they get (or their widest cell,
# when that is narrower). Ten Chinese characters make a target's name two lines at most.
_TEXT_COMFORT = {"target": 20, "group": 10, "owner": 12, "leader": 10}
_TEXT_FLOOR = {"target": 12, "group": 8, "owner": 8, "leader": 8}
# A value column is never narrower than three Chinese characters, so a unit such as 万平方米
# or 微克/立方米 breaks into pieces a reader still recognises.
_VALUE_FLOOR = 6
# A Chinese header folds to two characters at the narrowest ("序时" / "进度").
_HEADER_FOLD = 4
# Left over width, once the values have theirs, widens these first, then the next group.
_TEXT_GROW_ORDER: tuple[tuple[str, ...], ...] = (
    ("target", "qualifier", "forecast"),
    ("group", "owner", "leader"),
)
# Without a width the report is drawn as wide as it needs, up to this many cells.
_WIDEST = 1000


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
    return FULL * filled + EMPTY * (BAR_CELLS - filled)


# --- column widths ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Layout:
    """The columns a report's tables show, their widths (None: as wide as their cells) and the
    columns hidden to fit the terminal."""

    columns: tuple[Column, ...]
    widths: tuple[int, ...] | None
    hidden: tuple[Column, ...]
    listed: bool = False  # too narrow for a table: each target is a short list instead


@dataclass(frozen=True, slots=True)
class _Measure:
    natural: int  # the widest cell or header, unwrapped
    comfortable: int  # see the module's docstring
    unfolded: int  # values: a number over its unit, nothing folded; others: comfortable
    least: int  # nothing whole is split, headers break only between words


def _least_header(header: str) -> int:
    return max(
        (
            min(cell_width(piece.text), _HEADER_FOLD)
            if is_wide(piece.text[0])
            else cell_width(piece.text)
            for piece in text_pieces(header)
        ),
        default=1,
    )


def _least_cell(column: Column, text: str) -> int:
    if column.key == "status":
        return cell_width(text)
    return max((cell_width(piece.text) for piece in text_pieces(text) if piece.whole), default=1)


def _forecast_lines(text: str) -> int:
    """The widest of the value and its bracket, each on a line of its own."""
    for index, ch in enumerate(text):
        if index and ch in OPENING:
            return max(cell_width(text[:index].rstrip()), cell_width(text[index:]))
    return cell_width(text)


def _measure(column: Column, header: str, texts: Sequence[str]) -> _Measure:
    widest = max((cell_width(text) for text in texts), default=1)
    header_least = _least_header(header)
    least = max([header_least, *(_least_cell(column, text) for text in texts)])
    floor = _TEXT_FLOOR.get(column.key, _VALUE_FLOOR if column.key in _VALUES else 1)
    least = max(least, min(widest, floor))
    if column.key in _VALUES or column.key == "qualifier":
        comfortable = widest
    elif column.key == "forecast":
        comfortable = max((_forecast_lines(text) for text in texts), default=1)
    else:
        comfortable = min(widest, _TEXT_COMFORT.get(column.key, 0))
    comfortable = max(comfortable, least)
    unfolded = comfortable
    if column.key in _VALUES:
        pieces = (cell_width(piece.text) for text in texts for piece in text_pieces(text))
        unfolded = min(max([least, *pieces]), comfortable)
    natural = max(widest, cell_width(header), comfortable)
    return _Measure(natural, comfortable, unfolded, least)


def _table_width(widths: Iterable[int]) -> int:
    """A box table's width: each column costs its padding (2) and a rule (1), plus the last
    rule."""
    widths = list(widths)
    return sum(widths) + 3 * len(widths) + 1


def _grow(widths: dict[str, int], measures: dict[str, _Measure], spare: int) -> None:
    """Hand `spare` cells out, step by step: value columns up to their unfolded width, then up
    to their widest cell, each whole or not at all and the one lacking least first (a value
    column only a little wider still wraps the same); then the target, qualifier and forecast,
    then group, owner and leader, up to their widest cell, in proportion to what each lacks."""
    for key in sorted(widths, key=lambda k: (measures[k].unfolded - widths[k], k)):
        lack = measures[key].unfolded - widths[key]
        if key in _VALUES and 0 < lack <= spare:
            widths[key] += lack
            spare -= lack
    for key in sorted(widths, key=lambda k: (measures[k].natural - widths[k], k)):
        lack = measures[key].natural - widths[key]
        if key in _VALUES and 0 < lack <= spare:
            widths[key] += lack
            spare -= lack
    for group in _TEXT_GROW_ORDER:
        lacking = {
            key: measures[key].natural - widths[key]
            for key in group
            if key in widths and measures[key].natural > widths[key]
        }
        total = sum(lacking.values())
        if spare <= 0 or total == 0:
            continue
        if total <= spare:
            for key, lack in lacking.items():
                widths[key] += lack
            spare -= total
            continue
        given = {key: spare * lack // total for key, lack in lacking.items()}
        left = spare - sum(given.values())
        for key in sorted(lacking, key=lambda k: -lacking[k])[:left]:
            given[key] += 1
        for key, more in given.items():
            widths[key] += more
        return


def _measures(
    lang: Language, rows: Sequence[Sequence[str]], columns: Sequence[Column]
) -> dict[str, _Measure]:
    return {
        column.key: _measure(column, column.header(lang), [row[index] for row in rows])
        for index, column in enumerate(columns)
    }


def layout(
    lang: Language, rows: Sequence[Sequence[str]], width: int | None, columns: Sequence[Column]
) -> Layout:
    """Which of `columns` to show and how wide, for cell texts `rows` (one list per row, in
    the order of `columns`) on a terminal `width` cells wide."""
    if width is None:
        return Layout(tuple(columns), None, ())
    measures = _measures(lang, rows, columns)
    shown = list(columns)

    def fits(kind: str) -> bool:
        return _table_width(getattr(measures[c.key], kind) for c in shown) <= width

    for key in HIDDEN_FIRST:
        if fits("comfortable"):
            break
        shown = [column for column in shown if column.key != key]
    hidden = tuple(column for column in columns if column not in shown)
    if not fits("least"):
        return Layout(tuple(shown), None, hidden, listed=True)
    base = next((kind for kind in ("comfortable", "unfolded") if fits(kind)), "least")
    widths = {column.key: getattr(measures[column.key], base) for column in shown}
    _grow(widths, measures, width - _table_width(widths.values()))
    return Layout(tuple(shown), tuple(widths[column.key] for column in shown), hidden)


def minimum_width(report: Report, lang: Language) -> int:
    """The narrowest terminal that still gets tables (narrower, each target is a list)."""
    measures = _measures(lang, [_texts(row, lang) for row in report.rows], SECTION_COLUMNS)
    kept = [column.key for column in SECTION_COLUMNS if column.key not in HIDDEN_FIRST]
    return _table_width(measures[key].least for key in kept)


# --- drawing ---------------------------------------------------------------------------------


def _texts(row: TargetRow, lang: Language) -> list[str]:
    """The row's cells for `SECTION_COLUMNS`, the completion led by its bar."""
    texts = cells_of(row, lang, SECTION_COLUMNS)
    bar = completion_bar(row.completion)
    for index, column in enumerate(SECTION_COLUMNS):
        if column.key == "completion" and bar:
            texts[index] = f"{bar} {texts[index]}"
    return texts


def _cell(text: str, width: int | None, style: str = "") -> Text:
    from rich.text import Text

    lines = [text] if width is None else wrap(text, width)
    return Text("\n".join(lines), style=style)


def _header(text: str, width: int | None) -> Text:
    """A header in as few lines as its width allows, as even as they can be: `Expected` /
    `to date`, not `Expected to` / `date`."""
    if width is not None:
        fewest = len(wrap(text, width))
        width = next(w for w in range(1, width + 1) if len(wrap(text, w)) <= fewest)
    return _cell(text, width)


def _table(
    rows: Sequence[TargetRow], texts: Sequence[Sequence[str]], chosen: Layout, lang: Language
) -> Table:
    from rich import box
    from rich.table import Table

    picked = [SECTION_COLUMNS.index(column) for column in chosen.columns]
    widths: Sequence[int | None] = chosen.widths or [None] * len(chosen.columns)
    table = Table(box=box.SQUARE, header_style="bold")
    for column, width in zip(chosen.columns, widths, strict=True):
        table.add_column(
            _header(column.header(lang), width), justify=column.align, overflow="fold", width=width
        )
    for row, row_texts in zip(rows, texts, strict=True):
        style = STATUS_STYLES[row.status]
        table.add_row(
            *(
                _cell(row_texts[index], width, style if column.key in _STYLED else "")
                for index, column, width in zip(picked, chosen.columns, widths, strict=True)
            )
        )
    return table


def _packed(parts: Sequence[str], separator: str, width: int) -> list[str]:
    """`parts` joined by `separator` in lines of at most `width` cells, a part broken only
    when it is wider than a line of its own."""
    mark = separator.rstrip()  # ends the line when the next part starts a new one
    gap = separator[len(mark) :]
    lines: list[str] = []
    line = ""
    for index, part in enumerate(parts):
        piece = part + (mark if index < len(parts) - 1 else "")
        if line and cell_width(line + gap + piece) <= width:
            line += gap + piece
            continue
        if line:
            lines.append(line)
        *full, line = wrap(piece, width)
        lines += full
    lines.append(line)
    return lines


def _listed(
    rows: Sequence[TargetRow],
    texts: Sequence[Sequence[str]],
    chosen: Layout,
    lang: Language,
    width: int,
) -> list[Text]:
    """Each target as its name, then its status and values indented under it, for a terminal
    too narrow for a table: `  滞后；目标值 80万平方米；实际 30万平方米；…`."""
    from rich.text import Text

    found: list[Text] = []
    for row, row_texts in zip(rows, texts, strict=True):
        shown = {column.key: row_texts[SECTION_COLUMNS.index(column)] for column in chosen.columns}
        status = shown["status"]
        values = [
            f"{column.header(lang)} {shown[column.key]}"
            for column in chosen.columns
            if column.key not in ("target", "status")
        ]
        separator = label("summary.clause_separator", lang)
        lines = _packed([status, *values], separator, max(width - 2, 1))
        text = Text()
        text.append("\n".join(wrap(shown["target"], width)), style="bold")
        text.append("\n  ")
        text.append(status, style=STATUS_STYLES[row.status])
        text.append("\n  ".join(lines)[len(status) :])
        found.append(text)
    return found


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

    rows = list(report.rows)
    texts = [_texts(row, lang) for row in rows]
    chosen = layout(lang, texts, width, SECTION_COLUMNS)
    texts_of = {id(row): row_texts for row, row_texts in zip(rows, texts, strict=True)}
    parts: list[RenderableType] = [_cell(report_title(report, lang), width, "bold")]
    for section in sections(report):
        section_texts = [texts_of[id(row)] for row in section.rows]
        parts += [Text(""), _cell(section.title(lang), width, "bold")]
        if chosen.listed and width is not None:
            parts += _listed(section.rows, section_texts, chosen, lang, width)
        else:
            parts.append(_table(section.rows, section_texts, chosen, lang))
        line = summary_line(section, report, lang)
        if line is not None:
            parts.append(_cell(line, width))
        parts += [_cell(note, width) for note in note_lines(section, lang)]
    if chosen.hidden:
        names = label("table.hidden_separator", lang).join(
            column.header(lang) for column in chosen.hidden
        )
        parts += [Text(""), _cell(label("table.hidden", lang).format(columns=names), width, "dim")]
    if width is None:
        measurer = _console(color, _WIDEST)
        width = max(Measurement.get(measurer, measurer.options, part).maximum for part in parts)
    console = _console(color, width)
    for part in parts:
        console.print(part)
    output = console.file
    assert isinstance(output, StringIO)
    return output.getvalue()
