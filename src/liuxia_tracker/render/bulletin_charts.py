"""Inline SVG charts of a bulletin, written by hand (no library, nothing fetched): per target a
completion bar with the 序时 (pace) marker, per quantity target its cumulative actual against
the pace line, and the districts' scores as bars.

Guarantees: each chart is one `<svg>` element with a `viewBox` and `width="100%"`, so it
scales to its column and never overflows; every text in it passes through `html.escape`.
Positions are the engine's numbers scaled to the drawing, nothing else.
"""

from __future__ import annotations

from html import escape

from liuxia_tracker.engine.bulletin import Bulletin, Light, PathPoint
from liuxia_tracker.engine.rows import TargetRow
from liuxia_tracker.i18n import Language, label
from liuxia_tracker.render.view import district_name, format_percent, target_name

COLOURS = {Light.GREEN: "#1a7f37", Light.YELLOW: "#bf8700", Light.RED: "#cf222e", None: "#8c959f"}
_WIDTH = 640


def _pace_share(row: TargetRow) -> float | None:
    """Where the 序时 marker stands: completion minus the schedule gap (both from the row)."""
    if row.completion is None or row.schedule_gap is None:
        return None
    return row.completion - row.schedule_gap / 100


def completion_bars(bulletin: Bulletin, lang: Language) -> str:
    changes = [c for c in bulletin.comparison.targets if c.row.kind != "rate"]
    row_height, label_width, bar_width = 26, 300, 280
    height = row_height * len(changes) + 30
    parts = [
        f'<svg class="chart" viewBox="0 0 {_WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{escape(label("bulletin.chart.completion", lang))}">'
    ]
    for index, change in enumerate(changes):
        row = change.row
        y = 10 + index * row_height
        name = f"{district_name(row.district_name, row.district_name_en, lang)} {target_name(row, lang)}"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end" font-size="11">'
            f"{escape(name[:28])}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{bar_width}" height="14" fill="#eaeef2"/>'
        )
        done = min(max(row.completion or 0.0, 0.0), 1.0)
        parts.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{bar_width * done:.1f}" height="14" '
            f'fill="{COLOURS[change.light]}"/>'
        )
        pace = _pace_share(row)
        if pace is not None:
            x = label_width + bar_width * min(max(pace, 0.0), 1.0)
            parts.append(
                f'<line x1="{x:.1f}" y1="{y}" x2="{x:.1f}" y2="{y + 20}" stroke="#1f2328" '
                f'stroke-width="2"><title>{escape(label("bulletin.chart.pace_marker", lang))}'
                "</title></line>"
            )
        shown = format_percent(row.completion) or label("empty", lang)
        parts.append(
            f'<text x="{label_width + bar_width + 6}" y="{y + 14}" font-size="11">'
            f"{escape(shown)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def path_chart(row: TargetRow, points: tuple[PathPoint, ...], lang: Language) -> str:
    """The cumulative actual (solid) against the pace line (dashed), over the year so far."""
    width, height, margin = 300, 150, 30
    top = max([row.target, *(p.pace for p in points), *(p.actual or 0.0 for p in points)])
    top = top or 1.0
    first, last = points[0].day, points[-1].day
    span = max((last - first).days, 1)

    def xy(index: int, value: float) -> str:
        x = margin + (width - margin - 10) * (points[index].day - first).days / span
        y = height - margin - (height - margin - 10) * value / top
        return f"{x:.1f},{y:.1f}"

    pace = " ".join(xy(i, p.pace) for i, p in enumerate(points))
    actual = " ".join(xy(i, p.actual) for i, p in enumerate(points) if p.actual is not None)
    title = (
        f"{district_name(row.district_name, row.district_name_en, lang)} {target_name(row, lang)}"
    )
    return (
        f'<svg class="chart path" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}">'
        f'<text x="{margin}" y="12" font-size="11">{escape(title[:40])}</text>'
        f'<line x1="{margin}" y1="{height - margin}" x2="{width - 10}" y2="{height - margin}" '
        'stroke="#8c959f"/>'
        f'<polyline points="{pace}" fill="none" stroke="#8c959f" stroke-dasharray="4 3">'
        f"<title>{escape(label('bulletin.chart.pace', lang))}</title></polyline>"
        f'<polyline points="{actual}" fill="none" stroke="#0969da" stroke-width="2">'
        f"<title>{escape(label('bulletin.chart.actual', lang))}</title></polyline>"
        f'<text x="{margin}" y="{height - 10}" font-size="10">{escape(first.isoformat())}</text>'
        f'<text x="{width - 10}" y="{height - 10}" font-size="10" text-anchor="end">'
        f"{escape(last.isoformat())}</text>"
        "</svg>"
    )


def ranking_bars(bulletin: Bulletin, lang: Language) -> str:
    standings = bulletin.comparison.districts
    row_height, label_width, bar_width = 26, 160, 380
    height = row_height * len(standings) + 20
    parts = [
        f'<svg class="chart" viewBox="0 0 {_WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{escape(label("bulletin.chart.ranking", lang))}">'
    ]
    top = max([s.summary.score or 0.0 for s in standings] + [1.0])
    for index, standing in enumerate(standings):
        summary = standing.summary
        y = 10 + index * row_height
        name = district_name(summary.name, summary.name_en, lang)
        score = summary.score or 0.0
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end" font-size="12">'
            f"{escape(name)}</text>"
            f'<rect x="{label_width}" y="{y + 3}" width="{bar_width * score / top:.1f}" '
            'height="14" fill="#0969da"/>'
            f'<text x="{label_width + bar_width * score / top + 6:.1f}" y="{y + 14}" '
            f'font-size="11">{escape(format_percent(summary.score) or label("empty", lang))}'
            "</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
