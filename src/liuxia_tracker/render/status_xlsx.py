"""`tracker status --format xlsx`: the status report as an Excel workbook (XlsxWriter, the
`office` extra): a summary sheet with each district's summary line, and one sheet per district
with the columns of every other format.

Guarantees: the cells of `render.view.cells` (the same text as every format), and beside the
text columns the engine's numbers as numbers (target, actual, expected, variance, completion)
in the target's unit, so a leader can filter and sort. A frozen header row and an autofilter
on every sheet; statuses coloured by conditional formats; text never turned into a formula.
"""

from __future__ import annotations

import io

from liuxia_tracker.engine.rows import Report, Status
from liuxia_tracker.i18n import Language, label, status_label
from liuxia_tracker.render.bulletin_xlsx import LIGHT_FILLS, LIGHT_FONTS, number_format, sheet_name
from liuxia_tracker.render.office import require
from liuxia_tracker.render.view import COLUMNS, cells, headers, report_title, sections, summary_line

NUMBERS = ("target", "actual", "expected", "variance", "completion")
_COLOURED = {
    "red": ("missed", "behind", "stale"),
    "yellow": ("at_risk",),
    "green": ("on_track", "ahead", "achieved"),
}


def render(report: Report, lang: Language) -> bytes:
    xlsxwriter = require("xlsxwriter", "--format xlsx")
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False},
    )
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2"})
    percent = book.add_format({"num_format": "0.0%"})
    used: set[str] = set()
    summary = book.add_worksheet(sheet_name(label("bulletin.sheet.summary", lang), used))
    summary.write_string(0, 0, report_title(report, lang), bold)
    all_sections = sections(report)
    for index, section in enumerate(all_sections, start=2):
        summary.write_string(index, 0, summary_line(section, report, lang) or section.title(lang))
    summary.set_column(0, 0, 100)
    number_keys = ("target_value", "actual", "expected", "variance", "completion")
    titles = [*headers(lang), *(f"{label('column.' + key, lang)} #" for key in number_keys)]
    status_column = [column.key for column in COLUMNS].index("status")
    for section in all_sections:
        sheet = book.add_worksheet(sheet_name(section.title(lang), used))
        for column, text in enumerate(titles):
            sheet.write_string(0, column, text, bold)
            sheet.set_column(column, column, 14)
        for index, row in enumerate(section.rows, start=1):
            for column, text in enumerate(cells(row, lang)):
                sheet.write_string(index, column, text)
            unit = book.add_format({"num_format": number_format(row.unit)})
            values = (row.target, row.actual, row.expected, row.variance, row.completion)
            for offset, value in enumerate(values):
                column = len(COLUMNS) + offset
                if value is None:
                    sheet.write_blank(index, column, None)
                else:
                    style = percent if NUMBERS[offset] == "completion" else unit
                    sheet.write_number(index, column, value, style)
        rows = max(len(section.rows), 1)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, rows, len(titles) - 1)
        for light, codes in _COLOURED.items():
            style = book.add_format(
                {"bg_color": LIGHT_FILLS[light], "font_color": LIGHT_FONTS[light]}
            )
            for code in codes:
                sheet.conditional_format(
                    1,
                    status_column,
                    rows,
                    status_column,
                    {
                        "type": "cell",
                        "criteria": "==",
                        "value": f'"{status_label(Status(code), lang)}"',
                        "format": style,
                    },
                )
    book.close()
    return buffer.getvalue()
