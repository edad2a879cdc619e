"""Shell completion of ids from the plan: districts, a district's targets, a target's items.

Guarantees: never raises and never prints: a completion that cannot read the plan offers
nothing. Each candidate comes with its Chinese name as the help a shell shows beside it.
"""

from __future__ import annotations

from pathlib import Path

from liuxia_tracker.commands.dataset import display_path, resolve_data_dir
from liuxia_tracker.domain.models import Plan
from liuxia_tracker.plan import cache as plan_cache

Candidate = tuple[str, str]  # (the id to insert, its name)


def _plan(data_option: Path | None) -> Plan | None:
    try:
        data_dir = resolve_data_dir(data_option)
        plan, _, _ = plan_cache.load_plan(data_dir.plan_path, display_path(data_dir.plan_path))
    except Exception:  # completion must never fail the shell
        return None
    return plan


def _starting(candidates: list[Candidate], incomplete: str) -> list[Candidate]:
    return [c for c in candidates if c[0].startswith(incomplete) or c[1].startswith(incomplete)]


def district_candidates(data_option: Path | None, incomplete: str) -> list[Candidate]:
    plan = _plan(data_option)
    if plan is None:
        return []
    return _starting([(d.id, d.name) for d in plan.districts], incomplete)


def target_candidates(
    data_option: Path | None, district: str | None, incomplete: str
) -> list[Candidate]:
    plan = _plan(data_option)
    if plan is None:
        return []
    found: dict[str, str] = {}
    for entry in plan.districts:
        if district in (None, entry.id, entry.name):
            found.update((t.id, t.name) for t in entry.targets)
    return _starting(sorted(found.items()), incomplete)


def item_candidates(
    data_option: Path | None, district: str | None, target: str | None, incomplete: str
) -> list[Candidate]:
    plan = _plan(data_option)
    if plan is None:
        return []
    found: dict[str, str] = {}
    for entry in plan.districts:
        if district not in (None, entry.id, entry.name):
            continue
        for goal in entry.targets:
            if target in (None, goal.id, goal.name):
                found.update((i.id, i.name) for i in goal.items)
    return _starting(sorted(found.items()), incomplete)
