"""What every command that writes figures shares: the plan they write against, the district,
target and file a figure goes to, who records it and when, and what a write did.

Guarantees: figures are never written against a plan with problems; a district or target
that is not in the plan is a one-line error naming the closest id (or listing them).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from liuxia_tracker.commands.dataset import DataDir, display_path
from liuxia_tracker.diagnostics import TrackerError, UsageError, exit_code_for
from liuxia_tracker.domain.models import District, Figure, Item, Plan, Target
from liuxia_tracker.domain.names import resolve
from liuxia_tracker.domain.records import AnyFigure
from liuxia_tracker.plan import cache as plan_cache

ChangeKind = Literal["new", "revision", "unchanged"]


@dataclass(frozen=True, slots=True)
class Change:
    """What recording one figure did (or, for an import being validated, will do)."""

    kind: ChangeKind
    district: str
    display: str  # the figure file, as shown to the user
    figure: Figure  # as written, with `by` and `recorded_at`; as asked when unchanged
    previous: AnyFigure | None  # the record this one revises, or the one it repeats
    row: int | None = None
    target_unit: str = ""  # what a figure without a unit is in


def load_plan_for_writing(data_dir: DataDir, districts: Collection[str] | None = None) -> Plan:
    """The plan, or a refusal: figures are never written against a plan with problems.

    With `districts`, the plan holds only those districts (all of them when one is not in the
    plan, so the refusal can name the others). A plan found valid before comes from the plan
    cache (`plan_cache`): only the districts asked for are validated again.
    """
    shown = display_path(data_dir.plan_path)
    plan, _, problems = plan_cache.load_plan(data_dir.plan_path, shown, districts=districts)
    if plan is None or exit_code_for(problems):
        count = len(problems)
        raise TrackerError(
            f"{shown} has {count} problem{'s' if count != 1 else ''}; "
            "run `tracker check` and fix the plan first"
        )
    return plan


def load_plan_to_write(data_dir: DataDir, districts: Collection[str] | None = None) -> Plan:
    """`load_plan_for_writing`, refusing the shipped example (`refuse_example`)."""
    plan = load_plan_for_writing(data_dir, districts)
    refuse_example(plan, data_dir)
    return plan


def find_district(plan: Plan, wanted: str) -> District:
    """A district by id, name, short name (历下 for 历下区), English name or alias."""
    return resolve(plan.districts, wanted, "district", "the plan", short=True)


def find_target(district: District, wanted: str) -> Target:
    """A target by id, exact name, English name or alias."""
    return resolve(district.targets, wanted, "target", district.id)


def find_item(target: Target, wanted: str) -> Item:
    """An item by id, exact name, English name or alias."""
    if target.kind != "items":
        raise TrackerError(f"{target.id} is a {target.kind} target; it has no items")
    return resolve(target.items, wanted, "item", target.id)


def refuse_example(plan: Plan, data_dir: DataDir) -> None:
    """The shipped example (`settings.example: true`) is never written to."""
    if plan.settings.example:
        raise TrackerError(
            f"{display_path(data_dir.path)} is the shipped example (settings.example: true) and "
            "is never written to; copy it with `tracker init mydata --from-example` and use "
            "--data mydata"
        )


def figure_path(data_dir: DataDir, district_id: str) -> Path:
    """The district's log: `figures/<district>.yaml`, or the `.yml` file when only that exists
    (`DataDir.figure_path`, the one rule every command follows)."""
    return data_dir.figure_path(district_id)


def default_recorder(environ: dict[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    name = env.get("USER") or env.get("USERNAME")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def check_recorder(by: str | None) -> None:
    """`--by` names someone when given: an empty one would record the figure as no one."""
    if by is not None and not by.strip():
        raise UsageError("--by is empty: name who records the figures, or leave it out for $USER")


def timestamp_now() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)
