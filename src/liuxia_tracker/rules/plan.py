"""The rules about the plan beyond its schema: each a small function yielding findings.

Guarantees: pure. A plan finding is the path of the value it is about (`("districts", 0,
"targets", 2, "id")`) and a `Finding`; the caller turns the path into a line and column
through the one position table the YAML reader made (`locate`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from liuxia_tracker.diagnostics import Finding
from liuxia_tracker.domain.models import Plan

PathKey = tuple[str | int, ...]
PlanFinding = tuple[PathKey, Finding]
Locate = Callable[[PathKey], tuple[int, int]]


def _entries(container: Any, key: str) -> list[Any]:
    """The list under `key` of a mapping as written, or nothing when it is not one."""
    value = container.get(key) if isinstance(container, dict) else None
    return value if isinstance(value, list) else []


def _ids(entries: list[Any]) -> list[str | None]:
    return [
        entry.get("id") if isinstance(entry, dict) and isinstance(entry.get("id"), str) else None
        for entry in entries
    ]


def unique_ids(tree: Any, locate: Locate) -> Iterator[PlanFinding]:
    """District ids are unique in the plan; target ids in a district; item ids in a target.

    Reads the plan as written (`tree`, the values the YAML reader gave), so duplicates are
    found even when another problem keeps the plan from loading.
    """

    def duplicates(ids: list[str | None], path: PathKey, what: str) -> Iterator[PlanFinding]:
        first: dict[str, int] = {}
        for index, identifier in enumerate(ids):
            if identifier is None:
                continue
            where = (*path, index, "id")
            if identifier in first:
                yield (
                    where,
                    Finding(
                        "duplicate-id",
                        "id",
                        f"{what} id {identifier!r} is already used on line {first[identifier]}",
                    ),
                )
            else:
                first[identifier] = locate(where)[0]

    districts = _entries(tree, "districts")
    yield from duplicates(_ids(districts), ("districts",), "district")
    for d_index, district in enumerate(districts):
        targets_path = ("districts", d_index, "targets")
        targets = _entries(district, "targets")
        yield from duplicates(_ids(targets), targets_path, "target")
        for t_index, target in enumerate(targets):
            items_path = (*targets_path, t_index, "items")
            yield from duplicates(_ids(_entries(target, "items")), items_path, "item")


def items_due_in_year(plan: Plan) -> Iterator[PlanFinding]:
    """An item's due date falls in the plan year."""
    for d_index, district in enumerate(plan.districts):
        for t_index, target in enumerate(district.targets):
            for i_index, item in enumerate(target.items):
                if item.due is not None and item.due.year != plan.year:
                    path = ("districts", d_index, "targets", t_index, "items", i_index, "due")
                    yield (
                        path,
                        Finding(
                            "due-outside-year",
                            "due",
                            f"item {item.id!r} is due {item.due}, outside the plan year {plan.year}",
                        ),
                    )


# Characters that reorder how the text around them is shown (a "Trojan source"): an id or a
# name holding one reads differently on screen from what it is.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def bidi_controls(tree: Any, path: PathKey = ()) -> Iterator[PlanFinding]:
    """No text of the plan (ids, names, owners, ...) holds a bidirectional control."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from bidi_controls(value, (*path, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from bidi_controls(value, (*path, index))
    elif isinstance(tree, str) and (match := BIDI_CONTROLS.search(tree)) is not None:
        name = unicodedata.name(match.group(), "a bidirectional control")
        field = str(path[-1]) if path else ""
        yield (
            path,
            Finding(
                "bidi-control",
                field,
                f"U+{ord(match.group()):04X} ({name}) reorders how the text is shown, so it "
                "reads differently from what it is; delete it",
            ),
        )


def plan_findings(plan: Plan | None, tree: Any, locate: Locate) -> list[PlanFinding]:
    """Every plan rule: the ids as written always, the rest when the plan loaded."""
    found = list(unique_ids(tree, locate))
    found.extend(bidi_controls(tree))
    if plan is not None:
        found.extend(items_due_in_year(plan))
    return found
