"""`tracker targets`: every target of the plan with what it takes to name and report it.

Guarantees: reads only the plan; districts may be named by id or name. The next figure due is
the first period of the target's cadence that ends on or after the day asked about.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from liuxia_tracker.commands.common import find_district, load_plan_for_writing
from liuxia_tracker.commands.dataset import DataDir
from liuxia_tracker.domain.periods import PeriodKind, period_of


@dataclass(frozen=True, slots=True)
class TargetLine:
    district: str
    id: str
    name: str
    name_en: str | None
    group: str
    kind: str
    unit: str
    cadence: str
    qualifier: str
    owner: str | None
    leader: str | None
    next_due: str | None  # the period whose figure is due next

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


COLUMNS = tuple(TargetLine.__dataclass_fields__)


def list_targets(data_dir: DataDir, districts: list[str], today: date) -> list[TargetLine]:
    plan = load_plan_for_writing(data_dir, None)
    chosen = [find_district(plan, wanted) for wanted in districts] or plan.districts
    lines = []
    for district in chosen:
        for target in district.targets:
            day = max(today, date(plan.year, 1, 1))
            due = period_of(PeriodKind(target.cadence), day) if day.year == plan.year else None
            lines.append(
                TargetLine(
                    district.id,
                    target.id,
                    target.name,
                    target.name_en,
                    target.group,
                    target.kind,
                    target.unit,
                    target.cadence,
                    target.qualifier,
                    target.owner,
                    target.leader,
                    None if due is None else str(due),
                )
            )
    return lines
