"""Plain-text tables of preformatted cells: tabulate's `simple` and `pipe` layouts, laid out
here without tabulate's work per cell.

Guarantees: `simple_table` and `pipe_table` return exactly what `tabulate(rows, headers,
tablefmt="simple" | "pipe", disable_numparse=True, colalign=aligns)` returns (a test compares
them on arbitrary text). Cells are strings shown as given, stripped of surrounding blanks;
widths are display widths as tabulate measures them (`wcwidth.wcswidth`: a wide, CJK,
character counts two), so every line of a column has the same display width. A table with
no rows, or with a control character anywhere in it (line breaks and terminal escapes make
tabulate change its layout), is left to tabulate itself; cells of the report never hold one.

Why not tabulate for everything: even with number parsing off it guesses a type for every
cell, looks for escape codes in it and formats it, which at thousands of rows costs far more
than laying the columns out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import repeat
from operator import add, sub
from unicodedata import category, east_asian_width

from liuxia_tracker.render.view import Align

# tabulate leaves at least two cells beside a header (its MIN_PADDING).
_HEADER_ROOM = 2
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@lru_cache(maxsize=65536)
def display_width(text: str) -> int:
    """`text`'s width as tabulate measures it (wcwidth; -1 for a control character)."""
    from wcwidth import wcswidth

    return int(wcswidth(text))


def _stands_alone(ch: str) -> bool:
    """A character that never joins a blank beside it into one grapheme: printable ASCII, or
    a wide (CJK) letter, digit or punctuation mark. Not so: combining marks, joiners, emoji
    modifiers, prepended marks."""
    if ch.isascii():
        return ch.isprintable()
    return east_asian_width(ch) in ("W", "F") and category(ch)[0] in "LNP"


@lru_cache(maxsize=65536)
def _pads_plainly(cell: str) -> bool:
    """Blanks added to either side of `cell` add one column each: it begins and ends with a
    character that stands alone. (Else the padded text is measured as a whole.)"""
    return _stands_alone(cell[0]) and _stands_alone(cell[-1])


def _laid_out(
    headers: Sequence[str], rows: Sequence[Sequence[str]], aligns: Sequence[Align]
) -> tuple[list[str], list[tuple[str, ...]], list[int]]:
    """The headers and the rows padded to their column's width, and the widths.

    As tabulate does it: each cell, stripped, is padded to the column's width (the widest
    cell, or the header and two more); the column is then as wide as its widest padded cell.
    Each step runs over a whole column at once.
    """
    width = display_width
    columns: list[list[str]] = []
    widths: list[int] = []
    padded_headers: list[str] = []
    for column, header, align in zip(zip(*rows, strict=True), headers, aligns, strict=True):
        pad: Callable[[str, int], str] = str.rjust if align == "right" else str.ljust
        cells = list(map(str.strip, column))
        cell_widths = list(map(width, cells))
        widest = max(max(cell_widths), width(header) + _HEADER_ROOM)
        # Each cell padded to `widest` display columns: its length and what it lacks.
        lengths = map(sub, map(len, cells), cell_widths)
        padded = list(map(pad, cells, map(add, repeat(widest), lengths)))
        column_width = widest
        if not all(map(_pads_plainly, set(cells) - {""})):
            for text, cell in zip(padded, cells, strict=True):
                if len(text) != len(cell) and cell and not _pads_plainly(cell):
                    column_width = max(column_width, width(text))
        padded_headers.append(pad(header, column_width + len(header) - width(header)))
        columns.append(padded)
        widths.append(column_width)
    return padded_headers, list(zip(*columns, strict=True)), widths


def _plain_enough(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> bool:
    """Rows to lay out here: some, of as many cells as headers, none holding a control
    character."""
    if not rows or any(len(row) != len(headers) for row in rows):
        return False
    text = " ".join(headers) + " " + " ".join(" ".join(row) for row in rows)
    return _CONTROL.search(text) is None


def _tabulate(
    headers: Sequence[str], rows: Sequence[Sequence[str]], aligns: Sequence[Align], fmt: str
) -> str:
    from tabulate import tabulate

    return tabulate(
        [list(row) for row in rows],
        headers=list(headers),
        tablefmt=fmt,
        disable_numparse=True,
        colalign=list(aligns),
    )


def simple_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], aligns: Sequence[Align]
) -> str:
    """Columns two blanks apart under a rule of dashes, trailing blanks removed."""
    if not _plain_enough(headers, rows):
        return _tabulate(headers, rows, aligns, "simple")
    padded_headers, padded_rows, widths = _laid_out(headers, rows, aligns)
    lines = [
        "  ".join(padded_headers).rstrip(),
        "  ".join("-" * width for width in widths).rstrip(),
    ]
    lines += ["  ".join(row).rstrip() for row in padded_rows]
    return "\n".join(lines)


def pipe_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], aligns: Sequence[Align]
) -> str:
    """A GitHub-flavoured markdown table: `| cell |`, its rule marking each column's side."""
    if not _plain_enough(headers, rows):
        return _tabulate(headers, rows, aligns, "pipe")
    padded_headers, padded_rows, widths = _laid_out(headers, rows, aligns)
    rule = "|".join(
        "-" * (width + 1) + ":" if align == "right" else ":" + "-" * (width + 1)
        for width, align in zip(widths, aligns, strict=True)
    )
    lines = ["| " + " | ".join(padded_headers) + " |", f"|{rule}|"]
    lines += ["| " + " | ".join(row) + " |" for row in padded_rows]
    return "\n".join(lines)
