"""The status tables drawn by rich: the reference `table_draw` is held to, and the way the
report is drawn when `table_draw` declines it (see there).

Guarantees: those of `render.table`. Every cell is a rich `Text`, never markup, so a name
holding `[red]` prints as written; with `color=False` the output holds no escape codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from liuxia_tracker.engine.rows import Report, TargetRow
from liuxia_tracker.i18n import Language, label
from liuxia_tracker.render.notes import note_lines
from liuxia_tracker.render.table_layout import STATUS_STYLES, STYLED, WIDEST, Layout
from liuxia_tracker.render.view import SECTION_COLUMNS, report_title, sections, summary_line
from liuxia_tracker.render.wrap import fewest_lines, packed, wrap

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.table import Table
    from rich.text import Text


def _cell(text: str, width: int | None, style: str = "") -> Text:
    from rich.text import Text

    lines = [text] if width is None else wrap(text, width)
    return Text("\n".join(lines), style=style)


def _header(text: str, width: int | None) -> Text:
    """A header in as few lines as its width allows, as even as they can be: `Expected` /
    `to date`, not `Expected to` / `date`."""
    from rich.text import Text

    return Text(text if width is None else "\n".join(fewest_lines(text, width)))


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
                _cell(row_texts[index], width, style if column.key in STYLED else "")
                for index, column, width in zip(picked, chosen.columns, widths, strict=True)
            )
        )
    return table


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
        lines = packed([status, *values], separator, max(width - 2, 1))
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


def draw(
    report: Report,
    lang: Language,
    texts: Sequence[Sequence[str]],
    chosen: Layout,
    *,
    color: bool,
    width: int | None,
) -> str:
    """The report drawn by rich. `texts` are the cells of `report.rows` for
    `SECTION_COLUMNS`, `chosen` their layout."""
    from io import StringIO

    from rich.measure import Measurement
    from rich.text import Text

    texts_of = {id(row): row_texts for row, row_texts in zip(report.rows, texts, strict=True)}
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
        measurer = _console(color, WIDEST)
        width = max(Measurement.get(measurer, measurer.options, part).maximum for part in parts)
    console = _console(color, width)
    for part in parts:
        console.print(part)
    output = console.file
    assert isinstance(output, StringIO)
    return output.getvalue()
