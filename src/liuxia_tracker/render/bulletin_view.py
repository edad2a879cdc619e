"""A bulletin as a document every format draws the same way: a title, a few lines saying when
and on what it was judged, then sections of headings, paragraphs, tables and bullet lists.

Guarantees: this is the one place a `Bulletin` becomes the text a reader sees, so markdown,
plain, html and docx show the same words and numbers (xlsx takes the same tables). Every cell
comes from `render.view` and `render.notes` (the cells and rounding of `tracker status`), and
every light, rank change and status change from `engine.bulletin`: nothing is computed here,
only chosen, ordered and worded. Sections 三–五 are grouped by district, owner or leader as the
bulletin asks; 五 is one line per owner, from fixed templates filled with the row's fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from liuxia_tracker.domain.periods import Period, PeriodKind
from liuxia_tracker.engine.bulletin import Bulletin, Grouping, Light, TargetChange
from liuxia_tracker.engine.rows import Status, TargetRow
from liuxia_tracker.i18n import Language, label, status_label
from liuxia_tracker.render.notes import _one_decimal, period_text
from liuxia_tracker.render.view import (
    Align,
    _actual,
    _value,
    clean_text,
    district_name,
    format_number,
    format_percent,
    target_name,
)

_EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 1: a section (一、…), 2: a group within it
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Table:
    key: str  # what the table holds: overview, ranking, lights, lagging, overdue
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    align: tuple[Align, ...]
    lights: tuple[Light | None, ...] = ()  # per row, for formats that colour it


@dataclass(frozen=True, slots=True)
class Bullets:
    lines: tuple[str, ...]


Block = Heading | Paragraph | Table | Bullets


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    meta: tuple[str, ...]
    blocks: tuple[Block, ...] = field(default_factory=tuple)


# --- words ---------------------------------------------------------------------------------


def period_name(period: Period, lang: Language, key: str = "bulletin.period") -> str:
    """`2023年5月` / `May 2023`, `2023年第二季度` / `Q2 2023`, `2023年上半年` / `H1 2023`."""
    fields: dict[str, object] = {"year": period.year}
    kind = period.kind.value
    if period.kind is PeriodKind.MONTH:
        month = period.end.month
        fields["month"] = month if lang is Language.ZH else _EN_MONTHS[month - 1]
    elif period.kind is PeriodKind.QUARTER:
        fields["quarter"] = label(f"bulletin.quarter.{(period.end.month + 2) // 3}", lang)
    elif period.kind is PeriodKind.HALF:
        fields["half"] = label(f"period.half.{1 if period.end.month == 6 else 2}", lang)
    return label(f"{key}.{kind}", lang).format(**fields)


def bulletin_title(bulletin: Bulletin, lang: Language) -> str:
    return period_name(bulletin.period, lang, "bulletin.title")


def light_text(change: TargetChange, lang: Language) -> str:
    if change.light is None:
        return label("empty", lang)
    key = "recovering" if change.recovering else change.light.value
    return label(f"bulletin.light.{key}", lang)


def rank_change_text(change: int | None, lang: Language) -> str:
    if change is None or change == 0:
        return label("bulletin.rank.same", lang)
    key = "bulletin.rank.up" if change > 0 else "bulletin.rank.down"
    return label(key, lang).format(places=abs(change))


def gap_text(row: TargetRow, lang: Language) -> str:
    """序时差 in points with its sign (`-19.6个百分点`); a rate below target says how far."""
    if row.kind == "rate":
        if row.variance is not None and row.variance < 0:
            return label("bulletin.rate_gap", lang).format(points=format_number(-row.variance))
        return label("empty", lang)
    if row.schedule_gap is None:
        return label("empty", lang)
    points = _one_decimal(row.schedule_gap)
    sign = "-" if row.schedule_gap < 0 and points != "0.0" else ""
    sign = "+" if row.schedule_gap > 0 and points != "0.0" else sign
    return label("bulletin.gap", lang).format(points=f"{sign}{points}")


def pace_text(row: TargetRow, lang: Language) -> str:
    """倒排: `后7个月需月均完成5.2亿元`, the same words as the notes of `tracker status`."""
    if row.kind == "rate":
        return label("bulletin.no_pace", lang)
    if row.needed_per_period is None or not row.periods_left:
        if row.status is Status.MISSED or row.periods_left is None:
            return label("empty", lang)
        return label("bulletin.pace_met", lang)
    key = "note.allowed" if row.qualifier == "at_most" else "note.needed"
    return label(key, lang).format(
        count=row.periods_left,
        period=label(f"pace.unit.{row.cadence}", lang),
        each=label(f"pace.each.{row.cadence}", lang),
        amount=_value(row.needed_per_period, row, lang),
    )


def _percent(ratio: float | None, lang: Language) -> str:
    return format_percent(ratio) or label("empty", lang)


def _status(row: TargetRow | None, lang: Language) -> str:
    return label("empty", lang) if row is None else status_label(row.status, lang)


def _district(row: TargetRow, lang: Language) -> str:
    return district_name(row.district_name, row.district_name_en, lang)


def _goal(row: TargetRow, lang: Language) -> str:
    return _value(row.target, row, lang)


# --- sections ------------------------------------------------------------------------------


def _meta(bulletin: Bulletin, lang: Language) -> tuple[str, ...]:
    def day(value: date) -> str:
        return value.isoformat()

    lines = [
        label("bulletin.meta.judged", lang).format(date=day(bulletin.judged)),
        label("bulletin.meta.issued", lang).format(date=day(bulletin.issued)),
    ]
    compared = period_name(bulletin.compare_period, lang)
    if bulletin.previous is None:
        lines.append(label("bulletin.meta.no_compare", lang).format(period=compared))
    else:
        lines.append(
            label("bulletin.meta.compare", lang).format(
                period=compared, date=day(bulletin.compare_issued)
            )
        )
    source = clean_text(bulletin.plan_source, lang) if bulletin.plan_source else None
    lines.append(
        label("bulletin.meta.source", lang).format(
            source=source or label("bulletin.meta.source_default", lang)
        )
    )
    return tuple(lines)


OVERVIEW_STATUSES = (
    Status.ACHIEVED,
    Status.AHEAD,
    Status.ON_TRACK,
    Status.AT_RISK,
    Status.BEHIND,
    Status.STALE,
    Status.MISSED,
    Status.NO_DATA,
)


def _signed(number: int) -> str:
    return f"+{number}" if number > 0 else str(number)


def _overview(bulletin: Bulletin, lang: Language) -> list[Block]:
    comparison = bulletin.comparison
    total = sum(comparison.counts.values())
    before = comparison.previous_counts
    empty = label("empty", lang)
    rows = []
    for status in OVERVIEW_STATUSES:
        count = comparison.counts[status]
        rows.append(
            (
                status_label(status, lang),
                str(count),
                _percent(count / total if total else None, lang),
                empty if before is None else str(before[status]),
                empty if before is None else _signed(count - before[status]),
            )
        )
    headers = tuple(
        label(f"bulletin.column.{key}", lang)
        for key in ("status", "count", "share", "previous", "change")
    )
    blocks: list[Block] = [
        Heading(1, label("bulletin.section.overview", lang)),
        Paragraph(label("bulletin.overview.total", lang).format(count=total)),
        Table("overview", headers, tuple(rows), ("left", "right", "right", "right", "right")),
    ]
    if before is not None:
        separator = label("summary.list_separator", lang)
        for key, changes in (
            ("newly_behind", comparison.newly_behind),
            ("recovered", comparison.recovered),
        ):
            if changes:
                names = separator.join(
                    f"{_district(c.row, lang)}{target_name(c.row, lang)}"
                    if lang is Language.ZH
                    else f"{target_name(c.row, lang)} ({_district(c.row, lang)})"
                    for c in changes
                )
                text = label(f"bulletin.overview.{key}", lang).format(
                    count=len(changes), targets=names
                )
            else:
                text = label(f"bulletin.overview.no_{key}", lang)
            blocks.append(Paragraph(text))
    return blocks


def _ranking(bulletin: Bulletin, lang: Language) -> list[Block]:
    empty = label("empty", lang)
    rows = []
    for standing in bulletin.comparison.districts:
        summary = standing.summary
        category = (
            clean_text(summary.category, lang)
            if summary.category
            else label("bulletin.category.none", lang)
            if summary.rank is not None
            else label("bulletin.unranked", lang)
        )
        rank = (
            empty
            if summary.rank is None
            else f"{summary.rank}/{summary.rank_total or summary.rank}"
        )
        rows.append(
            (
                category,
                district_name(summary.name, summary.name_en, lang),
                _percent(summary.score, lang),
                rank,
                rank_change_text(standing.rank_change, lang),
                str(standing.lights[Light.GREEN]),
                str(standing.lights[Light.YELLOW]),
                str(standing.lights[Light.RED]),
            )
        )
    keys = ("category", "district", "score", "rank", "rank_change", "green", "yellow", "red")
    light_keys = (
        "district",
        "target",
        "previous_status",
        "current_status",
        "completion",
        "schedule_gap",
        "light",
    )
    light_rows = tuple(
        (
            _district(change.row, lang),
            target_name(change.row, lang),
            _status(change.previous, lang),
            _status(change.row, lang),
            _percent(change.row.completion, lang),
            gap_text(change.row, lang),
            light_text(change, lang),
        )
        for change in bulletin.comparison.targets
    )
    return [
        Heading(1, label("bulletin.section.ranking", lang)),
        Table(
            "ranking",
            tuple(label(f"bulletin.column.{key}", lang) for key in keys),
            tuple(rows),
            ("left", "left", "right", "right", "right", "right", "right", "right"),
        ),
        Heading(2, label("bulletin.section.lights", lang)),
        Table(
            "lights",
            tuple(label(f"bulletin.column.{key}", lang) for key in light_keys),
            light_rows,
            ("left", "left", "left", "left", "right", "right", "left"),
            tuple(change.light for change in bulletin.comparison.targets),
        ),
    ]


LAGGING_STATUSES = (Status.MISSED, Status.BEHIND, Status.AT_RISK)


def lagging_changes(bulletin: Bulletin) -> list[TargetChange]:
    return [c for c in bulletin.comparison.targets if c.row.status in LAGGING_STATUSES]


def group_name(row: TargetRow, grouping: Grouping, lang: Language) -> str:
    if grouping is Grouping.OWNER:
        return clean_text(row.owner, lang) if row.owner else label("bulletin.group.no_owner", lang)
    if grouping is Grouping.LEADER:
        if row.leader:
            return clean_text(row.leader, lang)
        return label("bulletin.group.no_leader", lang)
    return _district(row, lang)


def _grouped(
    rows: list[TargetRow], grouping: Grouping, lang: Language
) -> list[tuple[str, list[TargetRow]]]:
    groups: dict[str, list[TargetRow]] = {}
    for row in rows:
        groups.setdefault(group_name(row, grouping, lang), []).append(row)
    return list(groups.items())


def _lagging(bulletin: Bulletin, lang: Language) -> list[Block]:
    keys = (
        "district",
        "target",
        "current_status",
        "owner",
        "leader",
        "actual",
        "target_value",
        "completion",
        "schedule_gap",
        "required_pace",
    )
    headers = tuple(label(f"bulletin.column.{key}", lang) for key in keys)
    align: tuple[Align, ...] = (
        "left",
        "left",
        "left",
        "left",
        "left",
        "right",
        "right",
        "right",
        "right",
        "left",
    )
    blocks: list[Block] = [Heading(1, label("bulletin.section.lagging", lang))]
    rows = [change.row for change in lagging_changes(bulletin)]
    if not rows:
        return [*blocks, Paragraph(label("bulletin.none.lagging", lang))]
    for name, members in _grouped(rows, bulletin.grouping, lang):
        blocks.append(Heading(2, name))
        blocks.append(
            Table(
                "lagging",
                headers,
                tuple(
                    (
                        _district(row, lang),
                        target_name(row, lang),
                        status_label(row.status, lang),
                        clean_text(row.owner, lang),
                        clean_text(row.leader, lang),
                        _actual(row, lang),
                        _goal(row, lang),
                        _percent(row.completion, lang),
                        gap_text(row, lang),
                        pace_text(row, lang),
                    )
                    for row in members
                ),
                align,
            )
        )
    return blocks


def overdue_rows(bulletin: Bulletin, lang: Language) -> list[tuple[TargetRow, tuple[str, ...]]]:
    """Every overdue figure, then every overdue item, each with its row."""
    found = []
    for change in bulletin.comparison.targets:
        row = change.row
        if row.overdue_figure is not None:
            what = label("bulletin.figure", lang).format(
                period=period_text(row.overdue_figure.period, lang)
            )
            found.append((row, what, row.overdue_figure.due_by, row.owner, row.leader))
    for change in bulletin.comparison.targets:
        row = change.row
        for item in row.overdue_items:
            what = label("bulletin.item", lang).format(item=clean_text(item.name, lang))
            found.append((row, what, item.due, item.owner or row.owner, item.leader or row.leader))
    return [
        (
            row,
            (
                _district(row, lang),
                target_name(row, lang),
                what,
                due.isoformat(),
                clean_text(owner, lang),
                clean_text(leader, lang),
            ),
        )
        for row, what, due, owner, leader in found
    ]


def _overdue(bulletin: Bulletin, lang: Language) -> list[Block]:
    keys = ("district", "target", "what", "due", "owner", "leader")
    headers = tuple(label(f"bulletin.column.{key}", lang) for key in keys)
    blocks: list[Block] = [Heading(1, label("bulletin.section.overdue", lang))]
    found = overdue_rows(bulletin, lang)
    if not found:
        return [*blocks, Paragraph(label("bulletin.none.overdue", lang))]
    groups: dict[str, list[tuple[str, ...]]] = {}
    for row, cells in found:
        groups.setdefault(group_name(row, bulletin.grouping, lang), []).append(cells)
    for name, members in groups.items():
        blocks.append(Heading(2, name))
        blocks.append(Table("overdue", headers, tuple(members), ("left",) * 6))
    return blocks
