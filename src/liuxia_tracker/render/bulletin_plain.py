"""A bulletin as plain text: the document of `bulletin_document`, tables in tabulate's
"simple" format (CJK counted two columns wide), lists as indented lines.

Guarantees: the same words and numbers as every other format; numbers printed as formatted.
"""

from __future__ import annotations

from liuxia_tracker.engine.bulletin import Bulletin
from liuxia_tracker.i18n import Language
from liuxia_tracker.render.bulletin_document import document
from liuxia_tracker.render.bulletin_view import Bullets, Heading, Paragraph, Table


def render(bulletin: Bulletin, lang: Language) -> str:
    from tabulate import tabulate

    doc = document(bulletin, lang)
    lines = [doc.title, "", *doc.meta, ""]
    for block in doc.blocks:
        if isinstance(block, Heading):
            lines += [block.text if block.level == 1 else f"[{block.text}]", ""]
        elif isinstance(block, Paragraph):
            lines += [block.text, ""]
        elif isinstance(block, Bullets):
            lines += [*(f"  - {line}" for line in block.lines), ""]
        elif isinstance(block, Table):
            table = tabulate(
                [list(row) for row in block.rows],
                headers=list(block.headers),
                tablefmt="simple",
                disable_numparse=True,
                colalign=list(block.align),
            )
            lines += [table, ""]
    return "\n".join(lines)
