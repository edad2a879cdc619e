"""A bulletin as a Word document (python-docx, the `office` extra), laid out like an official
document (GB/T 9704): the title in 2号 (22 pt) 小标宋, section headings in 3号 (16 pt) 黑体,
group headings in 3号 楷体, body text in 3号 仿宋_GB2312, tables in 10.5 pt 仿宋_GB2312 with a
header row that repeats on every page.

Guarantees: the words and numbers of `bulletin_document`. The East Asian font is set in each
run's properties (`w:rFonts w:eastAsia`), which python-docx does not do by itself, so Word
shows the Chinese in the named font. With a template (`--template FILE`, a .docx of the
office's own), its page setup, header and styles are kept and the bulletin is added to its
body.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from liuxia_tracker.engine.bulletin import Bulletin
from liuxia_tracker.i18n import Language
from liuxia_tracker.render.bulletin_document import document
from liuxia_tracker.render.bulletin_view import Bullets, Heading, Paragraph, Table
from liuxia_tracker.render.office import require

TITLE_FONT = ("方正小标宋简体", 22.0)  # 2号 小标宋
HEADING_FONTS = {1: ("黑体", 16.0), 2: ("楷体_GB2312", 16.0)}  # 3号 黑体 / 楷体
BODY_FONT = ("仿宋_GB2312", 16.0)  # 3号 仿宋
TABLE_FONT = ("仿宋_GB2312", 10.5)  # 五号, so a wide table fits an A4 page


def _run(paragraph: Any, text: str, font: tuple[str, float], bold: bool = False) -> Any:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.name = font[0]
    run.font.size = Pt(font[1])
    run.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font[0])
    return run


def _table(doc: Any, block: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = doc.add_table(rows=1, cols=len(block.headers))
    table.style = "Table Grid" if "Table Grid" in [s.name for s in doc.styles] else None
    header = table.rows[0]
    properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for cell, text in zip(header.cells, block.headers, strict=True):
        _run(cell.paragraphs[0], text, TABLE_FONT, bold=True)
    for row in block.rows:
        cells = table.add_row().cells
        for cell, text, align in zip(cells, row, block.align, strict=True):
            paragraph = cell.paragraphs[0]
            _run(paragraph, text, TABLE_FONT)
            if align == "right":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:  # no row split across pages
        flag = OxmlElement("w:cantSplit")
        flag.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(flag)


def render(bulletin: Bulletin, lang: Language, template: Path | None = None) -> bytes:
    require("docx", "--format docx")
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = docx.Document(str(template)) if template is not None else docx.Document()
    content = document(bulletin, lang)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, content.title, TITLE_FONT)
    for line in content.meta:
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, line, (BODY_FONT[0], 12.0))
    for block in content.blocks:
        if isinstance(block, Heading):
            _run(doc.add_paragraph(), block.text, HEADING_FONTS[min(block.level, 2)])
        elif isinstance(block, Paragraph):
            _run(doc.add_paragraph(), block.text, BODY_FONT)
        elif isinstance(block, Bullets):
            for line in block.lines:
                _run(doc.add_paragraph(), line, BODY_FONT)
        elif isinstance(block, Table):
            _table(doc, block)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
