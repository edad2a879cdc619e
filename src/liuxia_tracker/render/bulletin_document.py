"""The bulletin's section 五 (下步工作要求) and the whole document, in the order the sections
come: title, the lines saying when and on what it was judged, 一 overview, 二 ranking and
lights, 三 lagging targets, 四 overdue reports, 五 next steps.

Guarantees: 五 is one line per responsible unit (the owner; a target whose plan names none
falls to its district) that has a lagging target, an overdue figure or an overdue item,
grouped under headings as sections 三–四 are; each line is a fixed template filled with the
row's own fields (required pace, gap below target, what is overdue), never free text.
"""

from __future__ import annotations

from liuxia_tracker.engine.bulletin import Bulletin, Grouping
from liuxia_tracker.engine.rows import Status, TargetRow
from liuxia_tracker.i18n import Language, label
from liuxia_tracker.render.bulletin_view import (
    Block,
    Bullets,
    Document,
    Heading,
    Paragraph,
    _meta,
    _overdue,
    _overview,
    _ranking,
    bulletin_title,
    group_name,
    lagging_changes,
)
from liuxia_tracker.render.notes import period_text
from liuxia_tracker.render.view import (
    _actual,
    _value,
    clean_text,
    district_name,
    format_number,
    format_percent,
    target_name,
)


def _owner(row: TargetRow, lang: Language) -> str:
    if row.owner:
        return clean_text(row.owner, lang)
    district = district_name(row.district_name, row.district_name_en, lang)
    return label("bulletin.owner.fallback", lang).format(district=district)


def lagging_clause(row: TargetRow, lang: Language) -> str:
    """What the owner of a lagging target is asked to do, from the row's fields."""
    target = target_name(row, lang)
    goal = _value(row.target, row, lang)
    if row.status is Status.MISSED:
        return label("bulletin.step.missed", lang).format(
            target=target, actual=_actual(row, lang), goal=goal
        )
    if row.kind == "rate":
        points = format_number(-row.variance) if row.variance is not None else None
        return label("bulletin.step.rate", lang).format(
            target=target, actual=_actual(row, lang), points=points or "0", goal=goal
        )
    if row.needed_per_period is not None and row.periods_left:
        key = "bulletin.step.allowed" if row.qualifier == "at_most" else "bulletin.step.needed"
        return label(key, lang).format(
            target=target,
            goal=goal,
            count=row.periods_left,
            period=label(f"pace.unit.{row.cadence}", lang),
            each=label(f"pace.each.{row.cadence}", lang),
            amount=_value(row.needed_per_period, row, lang),
        )
    return label("bulletin.step.lagging", lang).format(
        target=target, completion=format_percent(row.completion) or "—", goal=goal
    )


def _clauses(bulletin: Bulletin, lang: Language) -> list[tuple[TargetRow, str]]:
    """Every clause of 五 with the row it is about: lagging targets first, then overdue
    figures, then overdue items, each in the report's order."""
    found = [(change.row, lagging_clause(change.row, lang)) for change in lagging_changes(bulletin)]
    for change in bulletin.comparison.targets:
        row = change.row
        if row.overdue_figure is not None:
            text = label("bulletin.step.overdue_figure", lang).format(
                target=target_name(row, lang),
                period=period_text(row.overdue_figure.period, lang),
                due_by=row.overdue_figure.due_by.isoformat(),
            )
            found.append((row, text))
    for change in bulletin.comparison.targets:
        row = change.row
        for item in change.row.overdue_items:
            text = label("bulletin.step.overdue_item", lang).format(
                target=target_name(row, lang),
                item=clean_text(item.name, lang),
                due=item.due.isoformat(),
            )
            found.append((row, text))
    return found


def next_steps(bulletin: Bulletin, lang: Language) -> list[Block]:
    blocks: list[Block] = [Heading(1, label("bulletin.section.next_steps", lang))]
    clauses = _clauses(bulletin, lang)
    if not clauses:
        return [*blocks, Paragraph(label("bulletin.none.next_steps", lang))]
    # group (district, owner or leader) → owner → clauses, each in first-seen order
    groups: dict[str, dict[str, list[str]]] = {}
    for row, clause in clauses:
        group = group_name(row, bulletin.grouping, lang)
        groups.setdefault(group, {}).setdefault(_owner(row, lang), []).append(clause)
    separator = label("bulletin.step.separator", lang)
    for group, owners in groups.items():
        if bulletin.grouping is not Grouping.OWNER:
            blocks.append(Heading(2, group))
        blocks.append(
            Bullets(
                tuple(
                    label("bulletin.step", lang).format(owner=owner, clauses=separator.join(parts))
                    for owner, parts in owners.items()
                )
            )
        )
    return blocks


def document(bulletin: Bulletin, lang: Language) -> Document:
    blocks: list[Block] = [
        *_overview(bulletin, lang),
        *_ranking(bulletin, lang),
        *_lagging_blocks(bulletin, lang),
        *_overdue(bulletin, lang),
        *next_steps(bulletin, lang),
    ]
    return Document(bulletin_title(bulletin, lang), _meta(bulletin, lang), tuple(blocks))


def _lagging_blocks(bulletin: Bulletin, lang: Language) -> list[Block]:
    from liuxia_tracker.render.bulletin_view import _lagging

    return _lagging(bulletin, lang)
