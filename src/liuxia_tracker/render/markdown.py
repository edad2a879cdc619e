"""The status report as GitHub-flavoured markdown: a heading and a pipe table per district.

Guarantees: the cells are `status.cells`, rows in the order given, the district's summary line
as a paragraph under its table. Markdown punctuation in plan text is backslash-escaped, so a
name can neither break the table (`|`) nor format itself or inject HTML; numbers, which hold no
such punctuation, print exactly as in every other format.
"""

from __future__ import annotations

import re

from liuxia_tracker.i18n import Language
from liuxia_tracker.render.status import (
    COLUMNS,
    cells,
    headers,
    report_title,
    sections,
    summary_line,
)
from liuxia_tracker.rows import Report

# ASCII punctuation that means something to GitHub markdown inside a line; escaping any ASCII
# punctuation with a backslash is always allowed, so escaping too much is harmless.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&!])")


def escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def render(report: Report, lang: Language) -> str:
    from tabulate import tabulate

    lines = [f"# {escape(report_title(report, lang))}", ""]
    for section in sections(report):
        lines += [f"## {escape(section.title(lang))}", ""]
        lines.append(
            tabulate(
                [[escape(cell) for cell in cells(row, lang)] for row in section.rows],
                headers=[escape(header) for header in headers(lang)],
                tablefmt="pipe",
                disable_numparse=True,
                colalign=[column.align for column in COLUMNS],
            )
        )
        lines.append("")
        line = summary_line(section, report, lang)
        if line is not None:
            lines += [escape(line), ""]
    return "\n".join(lines)
