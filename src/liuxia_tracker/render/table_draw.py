"""The status tables written out directly as text: the same characters and escape codes that
rich writes for `table_rich`, without building rich's objects for every cell.

Guarantees: `draw` returns exactly what `table_rich.draw` returns for the same report, cells,
layout, colour and width (a test compares the two on generated reports), or None when the
report holds something it does not lay out the way rich does; rich then draws the report.
That is: a control character, a line or paragraph separator, a zero-width joiner or an emoji
variation selector anywhere (rich measures them in ways that depend on their neighbours), a
line wider than its column or its terminal, or, without a width, a part wider than `WIDEST`
cells (rich would squeeze it).

How rich draws, and so how this module does: box.SQUARE borders; a cell is one blank, its
line padded to the column's width on the side away from its alignment (a right-aligned line
loses its trailing blanks first), and one blank; a row is as tall as its tallest cell, header
cells sit at the bottom of their row and others at the top, blank lines filling the rest. In
colour every run of text with a style is written `ESC[<codes>m<text>ESC[0m`, whole: the header
(its blanks too) in bold, the completion and status cells in their row's colour (the blanks
around the cell are not), titles in bold and the note on hidden columns dim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import repeat
from operator import add, sub

from liuxia_tracker.engine.rows import Report, TargetRow
from liuxia_tracker.i18n import Language, label
from liuxia_tracker.render.notes import note_lines
from liuxia_tracker.render.table_layout import (
    STATUS_STYLES,
    STYLED,
    WIDEST,
    Layout,
    table_width,
)
from liuxia_tracker.render.view import SECTION_COLUMNS, report_title, sections, summary_line
from liuxia_tracker.render.wrap import cell_width, fewest_lines, packed, wrap

# rich's SGR parameters for each style the table uses, in its "standard" colour system (a
# test holds them to rich's own).
SGR: dict[str, str] = {
    "bold": "1",
    "dim": "2",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "magenta": "35",
    "bold red": "1;31",
    "bold green": "1;32",
}

# Characters rich measures or draws depending on what is around them.
_AWKWARD = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200d\ufe0f]")


class _Misfit(Exception):
    """Something rich would not draw as this module does."""


class _Page:
    """The lines of the output, each checked against the width it must fit."""

    def __init__(self, color: bool, width: int | None) -> None:
        self.color = color
        self.width = width
        self.limit = WIDEST if width is None else width
        self.lines: list[str] = []

    def paint(self, text: str, style: str) -> str:
        if not (self.color and style and text):
            return text
        return f"\x1b[{SGR[style]}m{text}\x1b[0m"

    def check(self, text: str) -> str:
        """`text`, unless it holds a character rich measures by its neighbours."""
        if _AWKWARD.search(text):
            raise _Misfit(text)
        return text

    def fits(self, line: str) -> str:
        """`line`, unless it is wider than the page (a character is at most two cells)."""
        if 2 * len(line) > self.limit and cell_width(line) > self.limit:
            raise _Misfit(line)
        return line

    def paragraph(self, text: str, style: str = "") -> None:
        self.check(text)
        lines = [text] if self.width is None else wrap(text, self.width)
        self.lines += [self.paint(self.fits(line), style) for line in lines]


class _Columns:
    """One table's columns: their widths and alignments.

    Cells are drawn a column at a time, each as its content: its line padded to the column's
    width (and painted), the blanks either side of it coming with the rules between cells
    (`│ ` … ` │ ` … ` │`). A column whose every cell fits on one line is drawn in a few passes
    over all its cells at once; a cell wider than its column is folded once per text (names
    and units repeat) and its row drawn line by line."""

    def __init__(self, page: _Page, widths: Sequence[int], aligns: Sequence[str]) -> None:
        self.page = page
        self.widths = widths
        self.rights = [align == "right" for align in aligns]
        self.folded: dict[tuple[str, int, bool], list[str]] = {}
        self.tall: dict[int, dict[int, list[str]]] = {}  # row → column → contents by line

    def rule(self, left: str, middle: str, right: str) -> str:
        return left + middle.join("─" * (width + 2) for width in self.widths) + right

    def _contents(self, index: int, text: str, header: bool) -> list[str]:
        """A cell's lines, folded when it is too wide, each padded to the column's width."""
        width = self.widths[index]
        key = (text, width, header)
        lines = self.folded.get(key)
        if lines is None:
            if cell_width(text) <= width:
                lines = [text]
            else:
                lines = fewest_lines(text, width) if header else wrap(text, width)
            self.folded[key] = lines
        padded = []
        for line in lines:
            if self.rights[index]:
                line = line.rstrip()
            room = width - cell_width(line)
            if room < 0:
                raise _Misfit(line)
            padded.append(" " * room + line if self.rights[index] else line + " " * room)
        return padded

    def header(self, headers: Sequence[str]) -> list[str]:
        """The header row, in bold with the blanks around each cell, at the row's bottom."""
        paint = self.page.paint
        cells = []
        for index, text in enumerate(headers):
            contents = self._contents(index, self.page.check(text), header=True)
            cells.append(
                [paint(" ", "bold") + paint(line, "bold") + paint(" ", "bold") for line in contents]
            )
        height = max(len(lines) for lines in cells)
        filled = [
            [paint(" " * (width + 2), "bold")] * (height - len(lines)) + lines
            for width, lines in zip(self.widths, cells, strict=True)
        ]
        return ["│" + "│".join(parts) + "│" for parts in zip(*filled, strict=True)]

    def column(
        self,
        index: int,
        texts: Sequence[str],
        styles: Sequence[str] | None,
        measured: Sequence[int] | None = None,
    ) -> list[str]:
        """The content of each cell of a column (its first line when it takes more);
        `measured`, when given, is each text's width."""
        width = self.widths[index]
        right = self.rights[index]
        stripped = list(map(str.rstrip, texts)) if right else texts
        if measured is None or stripped != texts:
            used = list(map(cell_width, stripped))
        else:
            used = list(measured)
        if texts and (max(used) > width or stripped != texts):
            contents = self._cell_by_cell(index, texts)
        else:
            pads = [" " * room for room in range(width + 1)]
            spaces = map(pads.__getitem__, map(sub, repeat(width), used))
            contents = list(map(add, spaces, texts) if right else map(add, texts, spaces))
        if styles is None or not width:
            return contents
        paint = self.page.paint
        return [paint(content, style) for content, style in zip(contents, styles, strict=True)]

    def _cell_by_cell(self, index: int, texts: Sequence[str]) -> list[str]:
        contents = []
        for row, text in enumerate(texts):
            lines = self._contents(index, text, header=False)
            if len(lines) > 1:
                self.tall.setdefault(row, {})[index] = lines
            contents.append(lines[0])
        return contents

    def rows(
        self, columns: Sequence[Sequence[str]], styles: Sequence[str] | None, styled: Sequence[bool]
    ) -> list[str]:
        """The body's lines: a row as tall as its tallest cell, its cells at the top."""
        found = []
        for row, cells in enumerate(zip(*columns, strict=True)):
            tall = self.tall.get(row)
            if tall is None:
                found.append("│ " + " │ ".join(cells) + " │")
                continue
            lines = [tall.get(index, [cell]) for index, cell in enumerate(cells)]
            height = max(len(cell_lines) for cell_lines in lines)
            filled = []
            for index, cell_lines in enumerate(lines):
                if index in tall and styles is not None and styled[index]:
                    cell_lines = [self.page.paint(line, styles[row]) for line in cell_lines]
                blank = " " * self.widths[index]
                filled.append(cell_lines + [blank] * (height - len(cell_lines)))
            found += ["│ " + " │ ".join(parts) + " │" for parts in zip(*filled, strict=True)]
        return found


def _table(
    page: _Page,
    lang: Language,
    rows: Sequence[TargetRow],
    texts: Sequence[Sequence[str]],
    chosen: Layout,
) -> None:
    picked = [SECTION_COLUMNS.index(column) for column in chosen.columns]
    cells = [[row[source] for row in texts] for source in picked]
    measured = None
    widths = chosen.widths
    if widths is None:  # each column as wide as its widest cell, header included
        measured = [list(map(cell_width, column_cells)) for column_cells in cells]
        widths = tuple(
            max([cell_width(column.header(lang)), *column_widths])
            for column, column_widths in zip(chosen.columns, measured, strict=True)
        )
    if table_width(widths) > page.limit:
        raise _Misfit("table")
    columns = _Columns(page, widths, [column.align for column in chosen.columns])
    styles = [STATUS_STYLES[row.status] for row in rows] if page.color else None
    styled = [column.key in STYLED for column in chosen.columns]
    lines = page.lines
    lines.append(columns.rule("┌", "┬", "┐"))
    lines += columns.header([column.header(lang) for column in chosen.columns])
    lines.append(columns.rule("├", "┼", "┤"))
    contents = [
        columns.column(
            index,
            column_cells,
            styles if styled[index] else None,
            None if measured is None else measured[index],
        )
        for index, column_cells in enumerate(cells)
    ]
    lines += columns.rows(contents, styles, styled)
    lines.append(columns.rule("└", "┴", "┘"))


def _listed(
    page: _Page,
    lang: Language,
    rows: Sequence[TargetRow],
    texts: Sequence[Sequence[str]],
    chosen: Layout,
    width: int,
) -> None:
    """Each target as its name in bold, then its status, coloured, and values indented."""
    separator = label("summary.clause_separator", lang)
    index = {column.key: SECTION_COLUMNS.index(column) for column in chosen.columns}
    headed = [
        (column.header(lang), index[column.key])
        for column in chosen.columns
        if column.key not in ("target", "status")
    ]
    for row, row_texts in zip(rows, texts, strict=True):
        status = row_texts[index["status"]]
        values = [f"{header} {row_texts[source]}" for header, source in headed]
        lines = packed([status, *values], separator, max(width - 2, 1))
        name = wrap(page.check(row_texts[index["target"]]), width)
        page.lines += [page.paint(page.fits(line), "bold") for line in name]
        first, *rest = (status + "\n  ".join(lines)[len(status) :]).split("\n")
        page.fits(page.check("  " + first))
        page.lines.append(
            "  " + page.paint(status, STATUS_STYLES[row.status]) + first[len(status) :]
        )
        page.lines += [page.fits(page.check(line)) for line in rest]


def draw(
    report: Report,
    lang: Language,
    texts: Sequence[Sequence[str]],
    chosen: Layout,
    *,
    color: bool,
    width: int | None,
) -> str | None:
    """The report as `table_rich.draw` writes it, or None (see the module's docstring).
    `texts` are the cells of `report.rows` for `SECTION_COLUMNS`, `chosen` their layout."""
    page = _Page(color, width)
    texts_of = {id(row): row_texts for row, row_texts in zip(report.rows, texts, strict=True)}
    try:
        if _AWKWARD.search(" ".join(" ".join(row_texts) for row_texts in texts)):
            raise _Misfit("cells")
        page.paragraph(report_title(report, lang), "bold")
        for section in sections(report):
            section_texts = [texts_of[id(row)] for row in section.rows]
            page.paragraph("")
            page.paragraph(section.title(lang), "bold")
            if chosen.listed and width is not None:
                _listed(page, lang, section.rows, section_texts, chosen, width)
            else:
                _table(page, lang, section.rows, section_texts, chosen)
            line = summary_line(section, report, lang)
            if line is not None:
                page.paragraph(line)
            for note in note_lines(section, lang):
                page.paragraph(note)
        if chosen.hidden:
            names = label("table.hidden_separator", lang).join(
                column.header(lang) for column in chosen.hidden
            )
            page.paragraph("")
            page.paragraph(label("table.hidden", lang).format(columns=names), "dim")
    except _Misfit:
        return None
    return "\n".join(page.lines) + "\n"
