"""The status report as one standalone HTML page: inline CSS, a table per district.

Guarantees: `<!doctype html>`, UTF-8, `lang="zh-CN"` or `lang="en"`, no scripts and nothing
loaded from elsewhere. Every text the page shows passes through `html.escape`, so plan text
such as `<script>` prints as written. The columns are `status.SECTION_COLUMNS` (the `<h2>` names
the district), the cells exactly as `status.cells` shows them, rows in the order given; each row
carries the class `status-<code>`, which colours its status cell. Under each table: the summary
line (`<p class="summary">`), then the `view.note_lines` as `<ul class="notes">`.
"""

from __future__ import annotations

from html import escape

from liuxia_tracker.engine.rows import Report
from liuxia_tracker.i18n import Language
from liuxia_tracker.render.notes import note_lines
from liuxia_tracker.render.view import (
    SECTION_COLUMNS,
    cells_of,
    report_title,
    sections,
    summary_line,
)

HTML_LANG = {Language.ZH: "zh-CN", Language.EN: "en"}

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei",
  "Noto Sans CJK SC", sans-serif; margin: 2rem; color: #1f2328; }
h1 { font-size: 1.4rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { border: 1px solid #d0d7de; padding: 0.3rem 0.6rem; vertical-align: top; }
th { background: #f6f8fa; text-align: left; }
td.right, th.right { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
p.summary { color: #57606a; }
ul.notes { padding-left: 1.2rem; }
tr.status-achieved td.status, tr.status-on_track td.status { color: #1a7f37; }
tr.status-at_risk td.status { color: #9a6700; background: #fff8c5; }
tr.status-behind td.status { color: #cf222e; }
tr.status-missed td.status { color: #a40e26; font-weight: bold; background: #ffebe9; }
tr.status-ahead td.status { color: #1a7f37; font-weight: bold; }
tr.status-stale td.status { color: #8250df; }
tr.status-no_data td { color: #6e7781; }
""".strip()


def _cell(tag: str, text: str, classes: list[str]) -> str:
    attribute = f' class="{escape(" ".join(classes))}"' if classes else ""
    return f"<{tag}{attribute}>{escape(text)}</{tag}>"


def _list(css_class: str, lines: list[str]) -> list[str]:
    if not lines:
        return []
    return [f'<ul class="{css_class}">', *(f"<li>{escape(line)}</li>" for line in lines), "</ul>"]


def render(report: Report, lang: Language) -> str:
    title = report_title(report, lang)
    out = [
        "<!doctype html>",
        f'<html lang="{HTML_LANG[lang]}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>\n{_STYLE}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(title)}</h1>",
    ]
    header = "".join(
        _cell("th", column.header(lang), [column.align] if column.align == "right" else [])
        for column in SECTION_COLUMNS
    )
    for section in sections(report):
        out += [
            f'<section id="district-{escape(section.district_id)}">',
            f"<h2>{escape(section.title(lang))}</h2>",
            "<table>",
            f"<thead><tr>{header}</tr></thead>",
            "<tbody>",
        ]
        for row in section.rows:
            row_cells = "".join(
                _cell(
                    "td",
                    text,
                    [
                        *([column.align] if column.align == "right" else []),
                        *(["status"] if column.key == "status" else []),
                    ],
                )
                for column, text in zip(
                    SECTION_COLUMNS, cells_of(row, lang, SECTION_COLUMNS), strict=True
                )
            )
            out.append(f'<tr class="status-{escape(row.status.value)}">{row_cells}</tr>')
        out += ["</tbody>", "</table>"]
        line = summary_line(section, report, lang)
        if line is not None:
            out.append(f'<p class="summary">{escape(line)}</p>')
        out += _list("notes", note_lines(section, lang))
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
