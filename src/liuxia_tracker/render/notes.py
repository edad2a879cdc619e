"""The lines under a district's table, the same text in every readable format (table, plain,
markdown, html): overdue figures (逾期未报) and items first, each with owner and leader and what
was due by when; then each lagging target with its 序时差 and required pace (倒排); then why each
missed target is missed. Built from the row's own fields in the chosen language (the engine's
English `note` stays in csv and json).
"""

from __future__ import annotations

from functools import lru_cache

from liuxia_tracker.engine.rows import OverdueItem, Status, TargetRow
from liuxia_tracker.i18n import Language, label, qualifier_label, status_label
from liuxia_tracker.render.view import (
    DistrictSection,
    _actual,
    _decimal_text,
    _decimals_rounded,
    _one_line,
    _rounded,
    _tolerance,
    _value,
    clean_text,
    format_number,
    format_percent,
    target_name,
)


@lru_cache(maxsize=1024)
def period_text(text: str, lang: Language) -> str:
    """A period as a reader says it: `2023-H1` is 2023上半年 / 2023 H1; others as written."""
    year, _, rest = text.partition("-")
    if rest in ("H1", "H2"):
        half = label(f"period.half.{rest[1]}", lang)
        return f"{year}{half}" if lang is Language.ZH else f"{year} {half}"
    return clean_text(text, lang)


@lru_cache(maxsize=4096)
def _owner_details(owner: str | None, leader: str | None, lang: Language) -> tuple[str, ...]:
    """`责任单位 …`, `包联领导 …`: the parts the plan names (remembered: they repeat)."""
    details = []
    if owner := _one_line(owner):
        details.append(label("note.owner", lang).format(owner=owner))
    if leader := _one_line(leader):
        details.append(label("note.leader", lang).format(leader=leader))
    return tuple(details)


def overdue_item_line(row: TargetRow, item: OverdueItem, lang: Language) -> str:
    """`逾期事项：征收项目 · 三塑地块（截止2023-05-31；责任单位 区征收办；包联领导 张三）`; an item
    without its own owner or leader shows its target's, and a part the plan never names is
    left out."""
    details = [label("note.due", lang).format(date=item.due.isoformat())]
    details += _owner_details(item.owner or row.owner, item.leader or row.leader, lang)
    return label("note.overdue_item", lang).format(
        target=target_name(row, lang),
        item=clean_text(item.name, lang),
        details=label("note.detail_separator", lang).join(details),
    )


def overdue_figure_line(row: TargetRow, lang: Language) -> str | None:
    """`逾期未报：CBD交付楼宇 2023-05数据（应于2023-06-20前报送；责任单位 …；包联领导 …）`."""
    overdue = row.overdue_figure
    if overdue is None:
        return None
    details = _owner_details(row.owner, row.leader, lang)
    fields = {
        "target": target_name(row, lang),
        "period": period_text(overdue.period, lang),
        "due_by": overdue.due_by.isoformat(),
    }
    if not details:
        return label("note.overdue_figure_alone", lang).format(**fields)
    separator = label("note.detail_separator", lang)
    return label("note.overdue_figure", lang).format(details=separator.join(details), **fields)


def overdue_lines(section: DistrictSection, lang: Language) -> list[str]:
    """Every overdue figure (逾期未报), then every overdue item, each with its owner and leader
    and what was due by when: the first of a district's notes."""
    figures = [line for row in section.rows if (line := overdue_figure_line(row, lang))]
    items = [
        overdue_item_line(row, item, lang) for row in section.rows for item in row.overdue_items
    ]
    return figures + items


def _goal(row: TargetRow, lang: Language) -> str:
    tolerance = _tolerance(row, lang)
    return label("note.goal", lang).format(
        value=_value(row.target, row, lang),
        qualifier=qualifier_label(row.qualifier, lang),
        tolerance="" if tolerance is None else f" {tolerance}",
    )


def reason_line(row: TargetRow, lang: Language) -> str | None:
    """Why a missed target is so, in the chosen language, built from the row's own fields (the
    engine's English `note` stays in csv and json); None for other statuses (a stale target's
    overdue figure leads the section instead).

    `未完成：CBD交付建筑面积（实际 70万平方米，目标 80万平方米以上）`."""
    if row.status is Status.MISSED:
        return label("note.missed", lang).format(
            target=target_name(row, lang), actual=_actual(row, lang), goal=_goal(row, lang)
        )
    return None


_LAGGING = frozenset({Status.BEHIND, Status.AT_RISK})


def _one_decimal(value: float) -> str:
    """`abs(value)` rounded half up to one decimal, the decimal kept ("5.0"); empty for inf
    and nan. Without Decimal where `_decimals_rounded` says that is safe: a float's shortest
    form always has a decimal point or an exponent, so its result has exactly one decimal."""
    value = abs(value)
    if type(value) is float:
        text = _decimals_rounded(value, repr(value), 1)
        if text is not None and "." in text:
            return text
    number = _rounded(value, 1)
    return "" if number is None else _decimal_text(number, keep_zeros=True)


def lagging_line(row: TargetRow, lang: Language) -> str | None:
    """A target behind or at risk: its completion, 序时差 and 倒排 (what each remaining period
    must deliver), or for a rate how far below target it is; then owner and leader.
    `滞后：CBD交付建筑面积（完成30.0%；慢序时进度19.6个百分点；后6个月需月均完成8.33万平方米；…）`."""
    if row.status not in _LAGGING:
        return None
    details: list[str] = []
    if row.kind == "rate":
        if row.variance is not None and row.variance < 0:
            details.append(
                label("note.rate_variance", lang).format(points=format_number(-row.variance))
            )
        details.append(label("note.rate_no_pace", lang))
    else:
        if row.completion is not None:
            details.append(
                label("note.completion", lang).format(completion=format_percent(row.completion))
            )
        if row.schedule_gap is not None:
            points = _one_decimal(row.schedule_gap)
            if points in ("0.0", ""):
                details.append(label("note.gap_even", lang))
            else:
                key = "note.gap_ahead" if row.schedule_gap > 0 else "note.gap_behind"
                details.append(label(key, lang).format(points=points))
        if row.needed_per_period is not None and row.periods_left:
            key = "note.allowed" if row.qualifier == "at_most" else "note.needed"
            details.append(
                label(key, lang).format(
                    count=row.periods_left,
                    period=label(f"pace.unit.{row.cadence}", lang),
                    each=label(f"pace.each.{row.cadence}", lang),
                    amount=_value(row.needed_per_period, row, lang),
                )
            )
    details += _owner_details(row.owner, row.leader, lang)
    status = status_label(row.status, lang)
    return label("note.lagging", lang).format(
        status=status[:1].upper() + status[1:],
        target=target_name(row, lang),
        details=label("note.detail_separator", lang).join(details),
    )


def note_lines(section: DistrictSection, lang: Language) -> list[str]:
    """The lines under a district's table, after its summary line: first what is overdue
    (`overdue_lines`: figures, then items, each with owner and leader), then each lagging target
    (behind or at risk) with its 序时差 and required pace, then why each missed target is
    missed."""
    lagging = [line for row in section.rows if (line := lagging_line(row, lang)) is not None]
    reasons = [line for row in section.rows if (line := reason_line(row, lang)) is not None]
    provisional = [
        line for row in section.rows if (line := provisional_line(row, lang)) is not None
    ]
    return overdue_lines(section, lang) + lagging + reasons + provisional


def provisional_line(row: TargetRow, lang: Language) -> str | None:
    """A target whose latest figure counted is a 快报 (provisional), to be confirmed."""
    if not row.provisional or row.last_period is None:
        return None
    return label("note.provisional", lang).format(
        target=target_name(row, lang), period=period_text(row.last_period, lang)
    )
