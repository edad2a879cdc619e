"""Synthetic data at scale for the benchmarks: a plan of many districts and a figure log.

    python benchmarks/generate.py                     # 10k, 100k and 1m into benchmarks/out/
    python benchmarks/generate.py --sizes 100k --force
    python benchmarks/generate.py --sizes 5000 --districts 3 --targets 12 --out /tmp/x

Guarantees:

- Deterministic: the same options give byte-identical files (every random choice comes from a
  generator seeded by `--seed` and the target it is for).
- Clean: `tracker check` reports no problem on the output. Every period is one of the target's
  cadence in the plan year (taken from `liuxia_tracker.domain.periods`), cumulative series never fall,
  counts are never negative, units convert to the target's, every item is named in the plan.
- Canonical: each record is one line in the form `figures.canonical_line` writes (formatted
  here directly, for speed; the smoke test proves the two agree).

The plan has ONE year, so the record count grows the way a real log does: a plan of
`--districts` × `--targets` (default 150 × 60) with daily, weekly, 旬, monthly and quarterly
targets, each period reported once shortly after it ends, and some reports revised later (a
correction is a new record for the same period). All reports of the year, revisions included,
are ordered by the minute they were recorded; a data set of N records is the first N of them,
i.e. the log as it stood on some day of the year. 10k records is the first week of January,
100k about the first six weeks, 1m the whole year with its corrections.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from liuxia_tracker.domain.periods import PeriodKind, periods_in_year
from liuxia_tracker.domain.units import is_count, parse_unit

YEAR = 2023
DEFAULT_DISTRICTS = 150
DEFAULT_TARGETS = 60
DEFAULT_SEED = 2023
DEFAULT_SIZES = ("10k", "100k", "1m")
OUT_DIR = Path(__file__).resolve().parent / "out"
STAMP_NAME = "generated.json"
# Bump when the output for the same options changes, so the runner regenerates stale data.
GENERATOR_VERSION = 2
# Revisions per reported period are at least this share on average, more when the size needs it.
BASE_REVISION_RATE = 0.25
MAX_REVISIONS = 15
MINUTES_PER_DAY = 24 * 60

# Days between the end of a period and its report, by cadence (lowest, highest).
REPORT_LAG_DAYS = {
    PeriodKind.DAY: (1, 1),
    PeriodKind.WEEK: (1, 2),
    PeriodKind.DEKAD: (1, 3),
    PeriodKind.MONTH: (3, 10),
    PeriodKind.QUARTER: (10, 20),
}


@dataclass(frozen=True, slots=True)
class Template:
    """One kind of target; a plan repeats the catalogue, adding `_2`, `_3`… to the ids."""

    slug: str
    name: str
    group: str
    kind: str  # rate, quantity, items
    cadence: PeriodKind
    value: float
    unit: str = ""
    reported_as: str = "cumulative"
    qualifier: str = "at_least"
    tolerance: float | None = None
    pace: str = "linear"  # linear, month, quarter
    items: int = 0  # named items (an items target whose items are all named)
    other_unit: str = ""  # a unit some records are written in instead (converted by the tool)
    other_factor: int = 1  # how many `other_unit` make one `unit`
    source: str = ""


DAY, WEEK, DEKAD, MONTH, QUARTER = (
    PeriodKind.DAY,
    PeriodKind.WEEK,
    PeriodKind.DEKAD,
    PeriodKind.MONTH,
    PeriodKind.QUARTER,
)

# The first twelve cover every kind, cadence, qualifier and pace, so small plans test them all.
CATALOGUE: tuple[Template, ...] = (
    Template("gdp_growth", "地区生产总值增长", "经济指标", "rate", QUARTER, 6, "%", source="区统计局"),
    Template("revenue_growth", "一般公共预算收入增长", "经济指标", "rate", MONTH, 17, "%",
             qualifier="about", tolerance=0.5, source="区财政局"),
    Template("cbd_area_under_construction", "CBD在建建筑面积", "中央商务区", "quantity", WEEK, 300,
             "万平方米"),
    Template("cbd_buildings_delivered", "CBD交付楼宇", "中央商务区", "quantity", WEEK, 12, "栋",
             reported_as="increment"),
    Template("visitors", "接待游客", "文旅消费", "quantity", DAY, 800, "万人次",
             reported_as="increment", other_unit="人次", other_factor=10_000),
    Template("investment_signed", "签约项目总投资", "招商引资", "quantity", DEKAD, 150, "亿元",
             pace="quarter"),
    Template("land_expropriation", "征收项目", "征收", "items", MONTH, 8, items=8),
    Template("innovation_items", "创新突破事项", "创新突破", "items", MONTH, 28),
    Template("energy_use_growth", "能源消费总量增长", "绿色低碳", "rate", QUARTER, 2, "%",
             qualifier="at_most", source="区发改局"),
    Template("new_tax_buildings", "新增亿元楼", "中央商务区", "quantity", QUARTER, 3, "座"),
    Template("safety_inspections", "安全生产检查", "安全稳定", "quantity", DEKAD, 3600, "次",
             reported_as="increment"),
    Template("new_jobs", "城镇新增就业", "民生保障", "quantity", DAY, 1.2, "万人",
             pace="month", source="区人社局"),
    Template("retail_sales_growth", "社会消费品零售总额增长", "经济指标", "rate", MONTH, 8, "%",
             qualifier="about", tolerance=1, source="区统计局"),
    Template("projects_started", "重点项目开工", "重点项目", "quantity", MONTH, 40, "个",
             pace="month"),
    Template("housing_delivered", "保障性住房交付", "民生保障", "quantity", MONTH, 30, "万平方米",
             reported_as="increment", pace="quarter", other_unit="平方米", other_factor=10_000),
    Template("key_projects", "区级领导包联重点项目", "重点项目", "items", MONTH, 12, items=12),
    Template("enterprise_visits", "走访服务企业", "营商环境", "quantity", WEEK, 5200, "家次",
             reported_as="increment"),
    Template("good_air_days", "空气质量优良天数", "绿色低碳", "quantity", DAY, 230, "天"),
    Template("hotline_cases", "12345热线办结", "营商环境", "quantity", DAY, 9, "万件",
             reported_as="increment", other_unit="件", other_factor=10_000),
    Template("fai_growth", "固定资产投资增长", "经济指标", "rate", MONTH, 7, "%",
             qualifier="about", tolerance=0.5, source="区统计局"),
)  # fmt: skip

MONTH_PACE = (0.04, 0.06, 0.08, 0.09, 0.09, 0.09, 0.09, 0.09, 0.09, 0.09, 0.09, 0.10)
QUARTER_PACE = (0.15, 0.25, 0.25, 0.35)
CORRECTION_NOTES = ("更正：口径调整", "更正：补报漏项", "更正：统计局反馈")


@dataclass(frozen=True, slots=True)
class Size:
    label: str  # directory name under out/
    records: int


def parse_size(text: str) -> Size:
    """`10k`, `100k`, `1m` or a plain count; the label is the lower-case text."""
    cleaned = text.strip().lower()
    multiplier = 1
    if cleaned.endswith("k"):
        multiplier, number = 1_000, cleaned[:-1]
    elif cleaned.endswith("m"):
        multiplier, number = 1_000_000, cleaned[:-1]
    else:
        number = cleaned
    if not number.isdigit() or int(number) == 0:
        raise ValueError(f"not a size: {text!r} (write e.g. 10k, 100k, 1m or 5000)")
    return Size(cleaned, int(number) * multiplier)


@dataclass(slots=True)
class PlannedTarget:
    id: str
    template: Template
    scale: float  # this district's target relative to the template's value
    rng: random.Random
    prefix: str = ""  # '- {"target": "<id>", ' — every record of the target starts with it
    period_texts: list[str] = field(default_factory=list)
    value_texts: list[list[str]] = field(default_factory=list)  # [period][revision]
    item_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Summary:
    directory: Path
    records: int
    districts: int
    targets: int
    last_day: date  # the day the latest record was recorded
    seconds: float


def _number(cents: int) -> str:
    """A number in hundredths as canonical_line writes it: whole numbers without a point."""
    if cents % 100 == 0:
        return str(cents // 100)
    return repr(cents / 100)


def _target_value(template: Template, scale: float) -> float:
    if template.kind == "rate":
        return template.value
    if template.kind == "items":
        return template.items if template.items else round(template.value * scale)
    return round(template.value * scale, 2)


def plan_targets(districts: int, targets: int, seed: int) -> list[list[PlannedTarget]]:
    """The targets of every district, each with its own seeded random generator."""
    planned: list[list[PlannedTarget]] = []
    for district in range(districts):
        row: list[PlannedTarget] = []
        for index in range(targets):
            template = CATALOGUE[index % len(CATALOGUE)]
            round_number = index // len(CATALOGUE) + 1
            target_id = template.slug if round_number == 1 else f"{template.slug}_{round_number}"
            rng = random.Random(f"{seed}/{district}/{index}")
            scale = rng.choice((0.5, 0.8, 1.0, 1.0, 1.2, 1.5, 2.0))
            row.append(PlannedTarget(target_id, template, scale, rng))
        planned.append(row)
    return planned


def district_id(index: int) -> str:
    return f"d{index + 1:03d}"


def write_plan(path: Path, planned: list[list[PlannedTarget]]) -> None:
    lines = [
        "# Synthetic plan written by benchmarks/generate.py for the performance benchmarks.",
        f"year: {YEAR}",
        f"title: 基准测试合成计划（{len(planned)}个区县）",
        "source: benchmarks/generate.py",
        "districts:",
    ]
    for district_index, row in enumerate(planned):
        number = district_index + 1
        lines += [
            f"  - id: {district_id(district_index)}",
            f"    name: 合成区{number:03d}",
            f"    name_en: Synthetic district {number:03d}",
            "    targets:",
        ]
        for target in row:
            lines += _target_lines(target)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _yaml_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def _target_lines(target: PlannedTarget) -> list[str]:
    template = target.template
    lines = [
        f"      - id: {target.id}",
        f"        name: {template.name}",
        f"        group: {template.group}",
        f"        kind: {template.kind}",
    ]
    if template.qualifier != "at_least":
        lines.append(f"        qualifier: {template.qualifier}")
    if template.tolerance is not None:
        lines.append(f"        tolerance: {_yaml_number(template.tolerance)}")
    if template.kind != "items" or not template.items:
        lines.append(f"        value: {_yaml_number(_target_value(template, target.scale))}")
    if template.unit:
        unit = '"%"' if template.unit == "%" else template.unit
        lines.append(f"        unit: {unit}")
    lines.append(f"        cadence: {template.cadence.value}")
    if template.kind == "quantity":
        lines.append(f"        reported_as: {template.reported_as}")
    if template.pace == "month":
        lines.append(f"        pace: {{month: [{', '.join(map(str, MONTH_PACE))}]}}")
    elif template.pace == "quarter":
        lines.append(f"        pace: {{quarter: [{', '.join(map(str, QUARTER_PACE))}]}}")
    if template.source:
        lines.append(f"        source: {template.source}")
    if template.items:
        lines.append("        items:")
        for item in range(template.items):
            due_month = 3 + (item * 9) // template.items
            lines += [
                f"          - id: item_{item + 1:02d}",
                f"            name: {template.name}{item + 1:02d}",
                f"            due: {YEAR}-{due_month:02d}-28",
            ]
    return lines


# -- the figure log ------------------------------------------------------------------------


@dataclass(slots=True)
class Packing:
    """Events are packed into one int each (time, district, target, period, revision), so a
    million of them sort quickly and in a fixed order."""

    district_bits: int
    target_bits: int
    period_bits: int = 9  # up to 366 days, or a target's named items
    revision_bits: int = 4  # up to MAX_REVISIONS

    def pack(self, minute: int, district: int, target: int, period: int, revision: int) -> int:
        key = minute
        key = (key << self.district_bits) | district
        key = (key << self.target_bits) | target
        key = (key << self.period_bits) | period
        return (key << self.revision_bits) | revision

    def unpack(self, key: int) -> tuple[int, int, int, int, int]:
        revision = key & ((1 << self.revision_bits) - 1)
        key >>= self.revision_bits
        period = key & ((1 << self.period_bits) - 1)
        key >>= self.period_bits
        target = key & ((1 << self.target_bits) - 1)
        key >>= self.target_bits
        district = key & ((1 << self.district_bits) - 1)
        return key >> self.district_bits, district, target, period, revision


def _working_minute(rng: random.Random) -> int:
    return rng.randrange(8 * 60 + 30, 17 * 60 + 30)


def _series_cents(target: PlannedTarget, count: int) -> list[int]:
    """Each period's figure in hundredths of the target's unit, as first reported."""
    template, rng = target.template, target.rng
    total = _target_value(template, target.scale) * 100 * rng.uniform(0.85, 1.15)
    if template.kind == "rate":
        centre = template.value - (0.5 if template.qualifier == "at_most" else 0.0)
        return [round((centre + rng.uniform(-2.5, 2.5)) * 100) for _ in range(count)]
    if template.reported_as == "increment":
        share = total / count
        return [max(1, round(share * rng.uniform(0.5, 1.5))) for _ in range(count)]
    # Cumulative: the pace's share of the year by each period's end, strictly rising so that
    # a figure converted between units can never compare below the one before it.
    values: list[int] = []
    previous = 0
    for index in range(count):
        reached = total * (index + 1) / count * rng.uniform(0.97, 1.0)
        if template.kind == "items":
            cents = max(previous, round(reached / 100) * 100)
        else:
            cents = max(previous + 1, round(reached))
        values.append(cents)
        previous = cents
    return values


def _revised_cents(target: PlannedTarget, cents: list[int], index: int, revision: int) -> int:
    """A later correction of period `index`: between its first figure and the next one."""
    template, rng = target.template, target.rng
    first = cents[index]
    if template.kind == "rate":
        return first + rng.choice((-30, -20, -10, 10, 20, 30))
    if template.reported_as == "increment":
        return max(0, round(first * rng.uniform(0.9, 1.1)))
    if template.kind == "items":
        return first
    following = cents[index + 1] if index + 1 < len(cents) else first + 100
    return first + ((following - first) * revision) // (MAX_REVISIONS + 1)


def plan_events(planned: list[list[PlannedTarget]], records: int) -> tuple[list[int], Packing, int]:
    """Every report of the year as a packed key; returns (keys, packing, base report count).

    Each target's texts are prepared here too (period texts, value texts per revision).
    """
    districts = len(planned)
    targets = max(len(row) for row in planned)
    packing = Packing(max(1, (districts - 1).bit_length()), max(1, (targets - 1).bit_length()))
    base = sum(_base_reports(target) for row in planned for target in row)
    rate = max(BASE_REVISION_RATE, records / max(base, 1) - 1 + 0.05)
    if rate > MAX_REVISIONS:
        raise ValueError(
            f"{records} records need more than {MAX_REVISIONS} revisions per report on a plan "
            f"of {districts} × {targets} targets: use more districts or targets"
        )
    first_day = date(YEAR, 1, 1).toordinal()
    keys: list[int] = []
    pack = packing.pack
    for district_index, row in enumerate(planned):
        for target_index, target in enumerate(row):
            rng = target.rng
            template = target.template
            target.prefix = f'- {{"target": "{target.id}", '
            if template.kind == "items" and template.items:
                target.item_ids = [f"item_{n + 1:02d}" for n in range(template.items)]
                for item in range(template.items):
                    started = rng.randrange(10, 200)
                    keys.append(
                        pack(started * MINUTES_PER_DAY + _working_minute(rng),
                             district_index, target_index, item, 0)
                    )  # fmt: skip
                    if rng.random() < 0.75:
                        done = started + rng.randrange(20, 150)
                        keys.append(
                            pack(done * MINUTES_PER_DAY + _working_minute(rng),
                                 district_index, target_index, item, 1)
                        )  # fmt: skip
                continue
            periods = periods_in_year(template.cadence, YEAR)
            cents = _series_cents(target, len(periods))
            low, high = REPORT_LAG_DAYS[template.cadence]
            target.period_texts = [period.text for period in periods]
            target.value_texts = []
            for index, period in enumerate(periods):
                day = period.end.toordinal() - first_day + rng.randint(low, high)
                keys.append(
                    pack(day * MINUTES_PER_DAY + _working_minute(rng),
                         district_index, target_index, index, 0)
                )  # fmt: skip
                revisions = int(rate) + (1 if rng.random() < rate - int(rate) else 0)
                texts = [_value_text(target, cents[index])]
                for revision in range(1, revisions + 1):
                    day += rng.randint(1, 30)
                    keys.append(
                        pack(day * MINUTES_PER_DAY + _working_minute(rng),
                             district_index, target_index, index, revision)
                    )  # fmt: skip
                    texts.append(
                        _value_text(target, _revised_cents(target, cents, index, revision))
                    )
                target.value_texts.append(texts)
    return keys, packing, base


def _base_reports(target: PlannedTarget) -> int:
    template = target.template
    if template.kind == "items" and template.items:
        return template.items
    return len(periods_in_year(template.cadence, YEAR))


def whole_units(unit: str) -> bool:
    """A unit whose every figure is a whole number: a count unit without a 万/亿 prefix."""
    parsed = parse_unit(unit)
    return is_count(parsed) and parsed.factor == 1.0


def _value_text(target: PlannedTarget, cents: int) -> str:
    """`"value": …` and the unit, sometimes written in a smaller unit the tool converts."""
    template = target.template
    # Counts are whole (rounded down, which keeps a series' order) and an items count is at
    # most the target's items, as `check` requires (not-whole, count-range).
    if template.kind == "items":
        cents = min(cents // 100 * 100, round(_target_value(template, target.scale)) * 100)
    elif template.kind == "quantity" and whole_units(template.unit):
        cents = cents // 100 * 100
    if template.other_unit and target.rng.random() < 0.2:
        return f'"value": {cents * template.other_factor // 100}, "unit": "{template.other_unit}"'
    if template.unit == "%" or (template.unit and target.rng.random() < 0.3):
        return f'"value": {_number(cents)}, "unit": "{template.unit}"'
    return f'"value": {_number(cents)}'


def _stamp(first_day: int, minute: int) -> str:
    day = date.fromordinal(first_day + minute // MINUTES_PER_DAY)
    within = minute % MINUTES_PER_DAY
    return f"{day.isoformat()}T{within // 60:02d}:{within % 60:02d}:00+08:00"


def write_figures(
    directory: Path, planned: list[list[PlannedTarget]], keys: list[int], packing: Packing
) -> None:
    first_day = date(YEAR, 1, 1).toordinal()
    clerks = [[f"{district_id(d)}-clerk{n}" for n in (1, 2, 3)] for d in range(len(planned))]
    lines: list[list[str]] = [[] for _ in planned]
    unpack = packing.unpack
    for key in keys:
        minute, district, target_index, period, revision = unpack(key)
        target = planned[district][target_index]
        template = target.template
        stamp = _stamp(first_day, minute)
        by = clerks[district][(period + revision) % 3]
        source = f', "source": "{template.source}"' if template.source else ""
        if target.item_ids:
            done = "true" if revision else "false"
            lines[district].append(
                f'{target.prefix}"item": "{target.item_ids[period]}", "done": {done}, '
                f'"date": "{stamp[:10]}"{source}, "by": "{by}", "recorded_at": "{stamp}"}}'
            )
            continue
        note = (
            f', "note": "{CORRECTION_NOTES[(period + revision) % len(CORRECTION_NOTES)]}"'
            if revision
            else ""
        )
        lines[district].append(
            f'{target.prefix}"period": "{target.period_texts[period]}", '
            f"{target.value_texts[period][revision]}{source}{note}, "
            f'"by": "{by}", "recorded_at": "{stamp}"}}'
        )
    figures = directory / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    for district, district_lines in enumerate(lines):
        text = "\n".join(district_lines) + "\n" if district_lines else ""
        (figures / f"{district_id(district)}.yaml").write_text(text, encoding="utf-8")


def generate(
    directory: Path,
    records: int,
    districts: int = DEFAULT_DISTRICTS,
    targets: int = DEFAULT_TARGETS,
    seed: int = DEFAULT_SEED,
) -> Summary:
    """Write a data directory (targets.yaml, figures/*.yaml, generated.json) of `records` records.

    An existing directory is replaced.
    """
    if districts < 1 or targets < 1 or records < 1:
        raise ValueError("districts, targets and records must be at least 1")
    started = time.perf_counter()
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    planned = plan_targets(districts, targets, seed)
    write_plan(directory / "targets.yaml", planned)
    keys, packing, _base = plan_events(planned, records)
    if len(keys) < records:
        raise ValueError(f"the plan yields {len(keys)} reports, fewer than {records}")
    keys.sort()
    keys = keys[:records]
    write_figures(directory, planned, keys, packing)
    last_minute = packing.unpack(keys[-1])[0]
    last_day = date.fromordinal(date(YEAR, 1, 1).toordinal() + last_minute // MINUTES_PER_DAY)
    stamp = stamp_for(records, districts, targets, seed)
    (directory / STAMP_NAME).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
    return Summary(directory, records, districts, targets, last_day, time.perf_counter() - started)


def stamp_for(records: int, districts: int, targets: int, seed: int) -> dict[str, int]:
    """What a generated directory was made from; the runner regenerates when it differs."""
    return {
        "generator_version": GENERATOR_VERSION,
        "records": records,
        "districts": districts,
        "targets": targets,
        "seed": seed,
    }


def is_current(directory: Path, stamp: dict[str, int]) -> bool:
    try:
        found = json.loads((directory / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(found == stamp)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=",".join(DEFAULT_SIZES),
        help="comma-separated record counts: 10k, 100k, 1m or a number (default: %(default)s)",
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="parent directory of the data")
    parser.add_argument("--districts", type=int, default=DEFAULT_DISTRICTS)
    parser.add_argument("--targets", type=int, default=DEFAULT_TARGETS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--force", action="store_true", help="regenerate even when the data is up to date"
    )
    options = parser.parse_args(argv)
    try:
        sizes = [parse_size(text) for text in options.sizes.split(",") if text.strip()]
    except ValueError as error:
        parser.error(str(error))
    for size in sizes:
        directory = options.out / size.label
        stamp = stamp_for(size.records, options.districts, options.targets, options.seed)
        if not options.force and is_current(directory, stamp):
            print(f"{directory}: up to date ({size.records:,} records)")
            continue
        try:
            summary = generate(
                directory, size.records, options.districts, options.targets, options.seed
            )
        except ValueError as error:
            print(f"generate.py: {error}", file=sys.stderr)
            return 2
        print(
            f"{directory}: {summary.records:,} records, {summary.districts} districts × "
            f"{summary.targets} targets, recorded through {summary.last_day} "
            f"({summary.seconds:.1f} s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
