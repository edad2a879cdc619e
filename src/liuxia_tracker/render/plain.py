"""The status report as plain text: one tabulate "simple" table per district.

Guarantees: every column of `status.COLUMNS` (the district too, so a line cut out of the report
still names its district), cells exactly as `status.cells` shows them, rows in the order given;
each district's title above its table, its summary line below, then its `view.note_lines`
(overdue figures and items with owner and leader first, then lagging targets with 序时差 and
required pace, then why a target is missed), one per line. Each table is laid out exactly
as tabulate's "simple" format (`text_table.simple_table`), numbers printed exactly as
formatted. Wide (CJK) characters count two columns (measured with wcwidth, as tabulate does),
so every line of a table has the same display width.
"""

from __future__ import annotations

from liuxia_tracker.engine.rows import Report
from liuxia_tracker.i18n import Language
from liuxia_tracker.render.notes import note_lines
from liuxia_tracker.render.text_table import simple_table
from liuxia_tracker.render.view import (
    COLUMNS,
    cells,
    headers,
    report_title,
    sections,
    summary_line,
)


def render(report: Report, lang: Language) -> str:
    lines = [report_title(report, lang), ""]
    column_headers = headers(lang)
    aligns = [column.align for column in COLUMNS]
    for section in sections(report):
        lines.append(section.title(lang))
        lines.append(
            simple_table(column_headers, [cells(row, lang) for row in section.rows], aligns)
        )
        line = summary_line(section, report, lang)
        if line is not None:
            lines.append(line)
        lines += note_lines(section, lang)
        lines.append("")
    return "\n".join(lines)
