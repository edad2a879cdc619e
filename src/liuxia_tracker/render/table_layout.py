"""Which columns the terminal table shows, how wide, and how they are coloured: everything
about the table that both ways of drawing it (`table_draw`, `table_rich`) share.

Guarantees: see `render.table` (column widths, hidden columns, the list for narrow
terminals). Every table of a report has the same columns and widths, measured over all its
rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from liuxia_tracker.engine.rows import Status
from liuxia_tracker.i18n import Language
from liuxia_tracker.render.view import Column
from liuxia_tracker.render.wrap import OPENING, cell_width, is_wide, text_pieces

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

# Hidden first when the terminal is too narrow, in this order. The section heading already
# names the district, so the table never has a district column to hide.
HIDDEN_FIRST: tuple[str, ...] = ("leader", "owner", "group", "qualifier", "forecast")
# Shown in full on one line whenever the width allows: the numbers a reader compares.
_VALUES = ("target_value", "actual", "expected", "variance", "completion", "status")
# Coloured by the row's status.
STYLED = ("completion", "status")
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
WIDEST = 1000


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
class Measure:
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


# Every ASCII digit as 0: a cell's shape, which measures as the cell does (a digit is narrow,
# never a break, and keeps its piece whole), and which far fewer cells differ in.
_SHAPE = str.maketrans("123456789", "000000000")


def _measure(column: Column, header: str, cells: Sequence[str]) -> Measure:
    texts = {text.translate(_SHAPE) for text in set(cells)}
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
    return Measure(natural, comfortable, unfolded, least)


def table_width(widths: Iterable[int]) -> int:
    """A box table's width: each column costs its padding (2) and a rule (1), plus the last
    rule."""
    widths = list(widths)
    return sum(widths) + 3 * len(widths) + 1


def _grow(widths: dict[str, int], measures: dict[str, Measure], spare: int) -> None:
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


def column_measures(
    lang: Language, rows: Sequence[Sequence[str]], columns: Sequence[Column]
) -> dict[str, Measure]:
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
    measures = column_measures(lang, rows, columns)
    shown = list(columns)

    def fits(kind: str) -> bool:
        return table_width(getattr(measures[c.key], kind) for c in shown) <= width

    for key in HIDDEN_FIRST:
        if fits("comfortable"):
            break
        shown = [column for column in shown if column.key != key]
    hidden = tuple(column for column in columns if column not in shown)
    if not fits("least"):
        return Layout(tuple(shown), None, hidden, listed=True)
    base = next((kind for kind in ("comfortable", "unfolded") if fits(kind)), "least")
    widths = {column.key: getattr(measures[column.key], base) for column in shown}
    _grow(widths, measures, width - table_width(widths.values()))
    return Layout(tuple(shown), tuple(widths[column.key] for column in shown), hidden)
