"""A bulletin as an Excel workbook (XlsxWriter, the `office` extra): a summary sheet (the
overview and the ranking tables of `bulletin_document`) and one sheet per district with every
target: its numbers as numbers in the target's unit, its statuses and its light.

Guarantees: the same numbers as every other format: text cells are the document's; a number
cell holds the engine's value and shows it, by its number format, in the target's unit. Each
sheet has a frozen header row and an autofilter; lights are coloured by conditional formats
(red, yellow, green), so a filtered sheet stays coloured. Text is never turned into a formula
or a number (`strings_to_formulas` and `strings_to_numbers` off): a name beginning with `=`
stays text.
"""

from __future__ import annotations

import io
from typing import Any

from liuxia_tracker.engine.bulletin import Bulletin, TargetChange
from liuxia_tracker.i18n import Language, label, status_label
from liuxia_tracker.render.bulletin_document import document
from liuxia_tracker.render.bulletin_view import Table, gap_text, light_text, pace_text
from liuxia_tracker.render.office import require
from liuxia_tracker.render.view import clean_text, district_name, target_name

LIGHT_FILLS = {"red": "#FFC7CE", "yellow": "#FFEB9C", "green": "#C6EFCE"}
LIGHT_FONTS = {"red": "#9C0006", "yellow": "#9C5700", "green": "#006100"}

DISTRICT_COLUMNS = (
    "target",
    "owner",
    "leader",
    "target_value",
    "actual",
    "expected",
    "completion",
    "schedule_gap",
    "required_pace",
    "previous_status",
    "current_status",
    "light",
)


def sheet_name(text: str, used: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the book."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in text)[:31] or "sheet"
    name, number = cleaned, 2
    while name.casefold() in used:
        suffix = f" ({number})"
        name = cleaned[: 31 - len(suffix)] + suffix
        number += 1
    used.add(name.casefold())
    return name


def number_format(unit: str) -> str:
    """The target's unit after the number, as Excel shows it: `0.##"亿元"`-like but never
    ending in a bare point (General keeps 15 as 15 and 3.93 as 3.93)."""
    if not unit:
        return "General"
    escaped = unit.replace('"', "")
    return f'General"{escaped}"'


def _header(sheet: Any, headers: list[str], bold: Any, rows: int) -> None:
    for column, text in enumerate(headers):
        sheet.write_string(0, column, text, bold)
        sheet.set_column(column, column, max(10, min(40, 2 * len(text) + 4)))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(rows, 1), len(headers) - 1)


def _light_formats(book: Any, sheet: Any, column: int, rows: int, lang: Language) -> None:
    for light, fill in LIGHT_FILLS.items():
        style = book.add_format({"bg_color": fill, "font_color": LIGHT_FONTS[light]})
        sheet.conditional_format(
            1,
            column,
            max(rows, 1),
            column,
            {
                "type": "text",
                "criteria": "begins with",
                "value": label(f"bulletin.light.{light}", lang),
                "format": style,
            },
        )


def _write_table(book: Any, sheet: Any, start: int, block: Table, bold: Any) -> int:
    for column, text in enumerate(block.headers):
        sheet.write_string(start, column, text, bold)
    for offset, row in enumerate(block.rows, start=1):
        for column, text in enumerate(row):
            sheet.write_string(start + offset, column, text)
    return start + len(block.rows) + 2


def _number(sheet: Any, row: int, column: int, value: float | None, style: Any) -> None:
    if value is None:
        sheet.write_blank(row, column, None)
    else:
        sheet.write_number(row, column, value, style)


def _district_sheet(
    book: Any, sheet: Any, changes: list[TargetChange], lang: Language, bold: Any
) -> None:
    headers = [
        label("column.expected" if key == "expected" else f"bulletin.column.{key}", lang)
        for key in DISTRICT_COLUMNS
    ]
    _header(sheet, headers, bold, len(changes))
    percent = book.add_format({"num_format": "0.0%"})
    points = book.add_format({"num_format": '0.0"' + label("unit.percentage_point", lang) + '"'})
    empty = label("empty", lang)
    for index, change in enumerate(changes, start=1):
        row = change.row
        unit = book.add_format({"num_format": number_format(row.unit)})
        sheet.write_string(index, 0, target_name(row, lang))
        sheet.write_string(index, 1, clean_text(row.owner, lang))
        sheet.write_string(index, 2, clean_text(row.leader, lang))
        _number(sheet, index, 3, row.target, unit)
        _number(sheet, index, 4, row.actual, unit)
        _number(sheet, index, 5, row.expected, unit)
        _number(sheet, index, 6, row.completion, percent)
        if row.kind == "rate":
            sheet.write_string(index, 7, gap_text(row, lang))
        else:
            _number(sheet, index, 7, row.schedule_gap, points)
        sheet.write_string(index, 8, pace_text(row, lang))
        previous = change.previous
        sheet.write_string(
            index, 9, empty if previous is None else status_label(previous.status, lang)
        )
        sheet.write_string(index, 10, status_label(row.status, lang))
        sheet.write_string(index, 11, light_text(change, lang))
    _light_formats(book, sheet, len(DISTRICT_COLUMNS) - 1, len(changes), lang)


def render(bulletin: Bulletin, lang: Language) -> bytes:
    xlsxwriter = require("xlsxwriter", "--format xlsx")
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False},
    )
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2"})
    used: set[str] = set()
    summary = book.add_worksheet(sheet_name(label("bulletin.sheet.summary", lang), used))
    content = document(bulletin, lang)
    summary.write_string(0, 0, content.title, book.add_format({"bold": True, "font_size": 14}))
    for offset, line in enumerate(content.meta, start=1):
        summary.write_string(offset, 0, line)
    start = len(content.meta) + 2
    for block in content.blocks:
        if isinstance(block, Table) and block.key in ("overview", "ranking"):
            start = _write_table(book, summary, start, block, bold)
    summary.set_column(0, 7, 14)
    by_district: dict[str, list[TargetChange]] = {}
    for change in bulletin.comparison.targets:
        by_district.setdefault(change.row.district_id, []).append(change)
    for changes in by_district.values():
        first = changes[0].row
        name = district_name(first.district_name, first.district_name_en, lang)
        sheet = book.add_worksheet(sheet_name(name, used))
        _district_sheet(book, sheet, changes, lang, bold)
    book.close()
    return buffer.getvalue()
