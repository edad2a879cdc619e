"""A bulletin as GitHub-flavoured markdown: the document of `bulletin_document`, headings as
`#`, tables through tabulate's pipe format, lists as bullets.

Guarantees: the words and numbers are the document's; markdown punctuation in them is
backslash-escaped (`render.markdown.escape`), so plan text can neither break a table nor
inject HTML.
"""

from __future__ import annotations

from liuxia_tracker.engine.bulletin import Bulletin
from liuxia_tracker.i18n import Language
from liuxia_tracker.render.bulletin_document import document
from liuxia_tracker.render.bulletin_view import Bullets, Heading, Paragraph, Table
from liuxia_tracker.render.markdown import escape


def render(bulletin: Bulletin, lang: Language) -> str:
    from tabulate import tabulate

    doc = document(bulletin, lang)
    lines = [f"# {escape(doc.title)}", ""]
    lines += [*(f"- {escape(line)}" for line in doc.meta), ""]
    for block in doc.blocks:
        if isinstance(block, Heading):
            lines += [f"{'#' * (block.level + 1)} {escape(block.text)}", ""]
        elif isinstance(block, Paragraph):
            lines += [escape(block.text), ""]
        elif isinstance(block, Bullets):
            lines += [*(f"- {escape(line)}" for line in block.lines), ""]
        elif isinstance(block, Table):
            table = tabulate(
                [[escape(cell) for cell in row] for row in block.rows],
                headers=[escape(header) for header in block.headers],
                tablefmt="pipe",
                disable_numparse=True,
                colalign=list(block.align),
            )
            lines += [table, ""]
    return "\n".join(lines)
