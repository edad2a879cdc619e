"""The status report as GitHub-flavoured markdown: a heading and a pipe table per district.

Guarantees: the columns are `status.SECTION_COLUMNS` (the `##` heading names the district), the
cells exactly as `status.cells` shows them, rows in the order given; under each table the
district's summary line as a paragraph, then its `view.note_lines` (overdue figures and items
with owner and leader first, then lagging targets, then why a target is missed) as a bullet
list. Markdown punctuation in plan text is backslash-escaped, so a
name can neither break the table (`|`) nor format itself or inject HTML; numbers, which hold no
such punctuation, print exactly as in every other format. Each table is laid out exactly as
tabulate's "pipe" format (`text_table.pipe_table`).
"""

from __future__ import annotations

import re

from liuxia_tracker.engine.rows import Report
from liuxia_tracker.i18n import Language
from liuxia_tracker.render.notes import note_lines
from liuxia_tracker.render.text_table import pipe_table
from liuxia_tracker.render.view import (
    SECTION_COLUMNS,
    cells_of,
    headers,
    report_title,
    sections,
    summary_line,
)

# ASCII punctuation that means something to GitHub markdown inside a line; escaping any ASCII
# punctuation with a backslash is always allowed, so escaping too much is harmless.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&!])")


def escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _escaped(texts: list[str]) -> list[str]:
    """`texts` escaped; most rows and notes hold no markdown punctuation at all, and are
    looked at once."""
    if _SPECIAL.search("".join(texts)) is None:
        return texts
    return [escape(text) for text in texts]


def render(report: Report, lang: Language) -> str:
    lines = [f"# {escape(report_title(report, lang))}", ""]
    column_headers = [escape(header) for header in headers(lang, SECTION_COLUMNS)]
    aligns = [column.align for column in SECTION_COLUMNS]
    for section in sections(report):
        lines += [f"## {escape(section.title(lang))}", ""]
        rows = [_escaped(cells_of(row, lang, SECTION_COLUMNS)) for row in section.rows]
        lines.append(pipe_table(column_headers, rows, aligns))
        lines.append("")
        line = summary_line(section, report, lang)
        if line is not None:
            lines += [escape(line), ""]
        notes = _escaped(note_lines(section, lang))
        if notes:
            lines += [*(f"- {note}" for note in notes), ""]
    return "\n".join(lines)
