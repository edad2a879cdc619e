"""A bulletin as one self-contained HTML page: inline CSS and inline SVG charts, no script, no
font or image fetched from anywhere.

Guarantees: the words and numbers of `bulletin_document`, every one through `html.escape`.
Charts (`bulletin_charts`): the ranking as bars under 二, per target a completion bar with the
序时 marker, per quantity target the cumulative actual against its pace line. Print CSS for
A4 portrait: no table row split across pages, table headers repeated on each page. Tables are
`table-layout: fixed` at 100% width with wrapping cells and the charts scale, so nothing runs
wider than the page at 1,400 px or on A4.
"""

from __future__ import annotations

from html import escape

from liuxia_tracker.engine.bulletin import Bulletin
from liuxia_tracker.i18n import Language, label
from liuxia_tracker.render.bulletin_charts import completion_bars, path_chart, ranking_bars
from liuxia_tracker.render.bulletin_document import document
from liuxia_tracker.render.bulletin_view import Bullets, Heading, Paragraph, Table
from liuxia_tracker.render.html import HTML_LANG

_STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
  system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #1f2328; }
h1 { font-size: 1.5rem; text-align: center; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.05rem; }
ul.meta { list-style: none; padding: 0; color: #57606a; text-align: center; }
table { border-collapse: collapse; font-size: 0.85rem; width: 100%; table-layout: fixed; }
th, td { border: 1px solid #d0d7de; padding: 0.25rem 0.4rem; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #f6f8fa; text-align: left; }
td.right, th.right { text-align: right; font-variant-numeric: tabular-nums; }
tr.light-green td.light { color: #1a7f37; font-weight: bold; }
tr.light-yellow td.light { color: #9a6700; background: #fff8c5; font-weight: bold; }
tr.light-red td.light { color: #cf222e; background: #ffebe9; font-weight: bold; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 0.5rem 0; }
div.paths { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr));
  gap: 0.5rem; }
@page { size: A4 portrait; margin: 18mm 15mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; }
  table { font-size: 8pt; }
  thead { display: table-header-group; }
  tr, svg.chart { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  div.paths { grid-template-columns: repeat(3, 1fr); }
}
""".strip()


def _table(block: Table) -> list[str]:
    def cell(tag: str, text: str, align: str, extra: str = "") -> str:
        classes = " ".join(c for c in ("right" if align == "right" else "", extra) if c)
        attribute = f' class="{classes}"' if classes else ""
        return f"<{tag}{attribute}>{escape(text)}</{tag}>"

    header = "".join(cell("th", h, a) for h, a in zip(block.headers, block.align, strict=True))
    out = [f'<table class="{escape(block.key)}">', f"<thead><tr>{header}</tr></thead>", "<tbody>"]
    for index, row in enumerate(block.rows):
        light = block.lights[index] if block.lights else None
        attribute = f' class="light-{light.value}"' if light is not None else ""
        last = len(row) - 1
        cells = "".join(
            cell("td", text, align, "light" if block.key == "lights" and i == last else "")
            for i, (text, align) in enumerate(zip(row, block.align, strict=True))
        )
        out.append(f"<tr{attribute}>{cells}</tr>")
    out += ["</tbody>", "</table>"]
    return out


def render(bulletin: Bulletin, lang: Language) -> str:
    doc = document(bulletin, lang)
    out = [
        "<!doctype html>",
        f'<html lang="{HTML_LANG[lang]}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(doc.title)}</title>",
        f"<style>\n{_STYLE}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(doc.title)}</h1>",
        '<ul class="meta">',
        *(f"<li>{escape(line)}</li>" for line in doc.meta),
        "</ul>",
    ]
    for block in doc.blocks:
        if isinstance(block, Heading):
            level = block.level + 1
            out.append(f"<h{level}>{escape(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            out.append(f"<p>{escape(block.text)}</p>")
        elif isinstance(block, Bullets):
            out += ["<ul>", *(f"<li>{escape(line)}</li>" for line in block.lines), "</ul>"]
        elif isinstance(block, Table):
            if block.key == "ranking":
                out.append(ranking_bars(bulletin, lang))
            out += _table(block)
            if block.key == "lights":
                out.append(f"<h3>{escape(label('bulletin.chart.completion', lang))}</h3>")
                out.append(completion_bars(bulletin, lang))
                out += _paths(bulletin, lang)
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _paths(bulletin: Bulletin, lang: Language) -> list[str]:
    charts = [
        path_chart(change.row, bulletin.paths[key], lang)
        for change in bulletin.comparison.targets
        if (key := (change.row.district_id, change.row.target_id)) in bulletin.paths
    ]
    if not charts:
        return []
    heading = f"<h3>{escape(label('bulletin.chart.paths', lang))}</h3>"
    return [heading, '<div class="paths">', *charts, "</div>"]
