"""Synthetic data at scale for the benchmarks: a plan of many districts and a figure log.

    python benchmarks/generate.py                     # 10k, 100k and 1m into benchmarks/out/
    python benchmarks/generate.py --sizes 3m,30m      # the growth curve; a province's year
    python benchmarks/generate.py --sizes 100k --force
    python benchmarks/generate.py --sizes 5000 --districts 3 --targets 12 --out /tmp/x

Guarantees:

- Deterministic: the same options give byte-identical files, with any number of worker
  processes (every random choice comes from a generator seeded by `--seed`, the district and
  the target it is for).
- Clean: `tracker check` reports no problem on the output. Every period is one of the target's
  cadence in the plan year (taken from `liuxia_tracker.domain.periods`), cumulative series
  never fall, counts are never negative, units convert to the target's, every item is named
  in the plan.
- Canonical: each record is one line in the form `figures.canonical_line` writes (formatted
  here directly, for speed; the smoke test proves the two agree).
- Streaming: nothing holds more than one district's records; the whole year is kept as one
  64-bit key and one line end per report (30m: 2,800 districts, about 0.5 GB).

The plan has ONE year, so the record count grows the way a real log does: a plan of
`--districts` × `--targets` (150 × 60, or the size's shape in `SHAPES`: 2,800 × 60 for 30m)
with daily, weekly, 旬, monthly and quarterly targets, each period reported once shortly
after it ends, and some reports revised later (a correction is a new record for the same
period). All reports of the year, revisions included, are ordered by the minute they were
recorded; a data set of N records is the first N of them, i.e. the log as it stood on some
day of the year. 10k records is the first week of January, 100k about the first six weeks,
1m the whole year with its corrections, 3m the year with about three corrections a report,
30m a province's year with about one.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import functools
import itertools
import json
import multiprocessing
import os
import random
import shutil
import sys
import time
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from liuxia_tracker.domain.periods import PeriodKind, periods_in_year
from liuxia_tracker.domain.units import is_count, parse_unit

YEAR = 2023
DEFAULT_DISTRICTS = 150
DEFAULT_TARGETS = 60
DEFAULT_SEED = 2023
DEFAULT_SIZES = ("10k", "100k", "1m")
MILLION = 1_000_000
# The plan's shape (districts, targets) of a size whose record count is listed; any other
# size has DEFAULT_DISTRICTS × DEFAULT_TARGETS. 30M records on 150 districts would need about
# 37 corrections of every report, more than MAX_REVISIONS: a province of 2,800 districts
# reports them in one year with about one correction each.
SHAPES = {30 * MILLION: (2_800, 60)}
# Below this many reports in the year, one process writes them all (starting workers costs
# more than it saves).
PARALLEL_FROM_REPORTS = 200_000
# Lines written per district beyond twice its share of the records (see `generate`).
SPARE_LINES = 1_000
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
    districts: int = DEFAULT_DISTRICTS
    targets: int = DEFAULT_TARGETS


def parse_size(text: str) -> Size:
    """`10k`, `100k`, `1m`, `3m`, `30m` or a plain count; the label is the lower-case text.

    The plan's shape comes with the size (`SHAPES`): 150 districts × 60 targets unless the
    record count is listed there (30m: 2,800 districts, a province's worth).
    """
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
    records = int(number) * multiplier
    districts, targets = SHAPES.get(records, (DEFAULT_DISTRICTS, DEFAULT_TARGETS))
    return Size(cleaned, records, districts, targets)


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


def plan_district(district: int, targets: int, seed: int) -> list[PlannedTarget]:
    """One district's targets, each with its own generator seeded by the district and target
    alone, so a district can be made (and made again) without the others."""
    row: list[PlannedTarget] = []
    for index in range(targets):
        template = CATALOGUE[index % len(CATALOGUE)]
        round_number = index // len(CATALOGUE) + 1
        target_id = template.slug if round_number == 1 else f"{template.slug}_{round_number}"
        rng = random.Random(f"{seed}/{district}/{index}")
        scale = rng.choice((0.5, 0.8, 1.0, 1.0, 1.2, 1.5, 2.0))
        row.append(PlannedTarget(target_id, template, scale, rng))
    return row


def id_width(districts: int) -> int:
    """Digits of the district numbers: d001…d150, d0001…d2800."""
    return max(3, len(str(districts)))


def district_id(index: int, width: int = 3) -> str:
    return f"d{index + 1:0{width}d}"


def write_plan(path: Path, districts: int, targets: int, seed: int) -> None:
    """The plan, written a district at a time (2,800 × 60 targets is about 54 MB)."""
    width = id_width(districts)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        header = [
            "# Synthetic plan written by benchmarks/generate.py for the performance benchmarks.",
            f"year: {YEAR}",
            f"title: 基准测试合成计划（{districts}个区县）",
            "source: benchmarks/generate.py",
            "districts:",
        ]
        out.write("\n".join(header) + "\n")
        for district_index in range(districts):
            number = f"{district_index + 1:0{width}d}"
            lines = [
                f"  - id: {district_id(district_index, width)}",
                f"    name: 合成区{number}",
                f"    name_en: Synthetic district {number}",
                "    targets:",
            ]
            for target in plan_district(district_index, targets, seed):
                lines += _target_lines(target)
            out.write("\n".join(lines) + "\n")


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


@dataclass(frozen=True, slots=True)
class Packing:
    """Events are packed into one int each (time, district, target, period, revision), so
    they sort quickly and in a fixed order, and fit an unsigned 64-bit array."""

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


def packing_for(districts: int, targets: int) -> Packing:
    packing = Packing(max(1, (districts - 1).bit_length()), max(1, (targets - 1).bit_length()))
    # A report is recorded at most 835 days into the year (a quarter's last correction):
    # 21 bits of minutes, so that a key fits an unsigned 64-bit array.
    if 21 + packing.district_bits + packing.target_bits + 13 > 64:
        raise ValueError(f"{districts} districts × {targets} targets: too many to number")
    return packing


def _below(rng: random.Random, bound: int) -> int:
    """`rng.randrange(bound)` as the standard library draws it (the same bits, so the same
    data), without its argument checks: a third of the generator's time went there."""
    bits = bound.bit_length()
    drawn = rng.getrandbits(bits)
    while drawn >= bound:
        drawn = rng.getrandbits(bits)
    return drawn


def _working_minute(rng: random.Random) -> int:
    return 8 * 60 + 30 + _below(rng, 9 * 60)  # rng.randrange(8:30, 17:30)


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


@functools.cache
def _periods(cadence: PeriodKind) -> tuple[tuple[str, int], ...]:
    """(text, ordinal of the last day) of every period of the plan year."""
    return tuple((period.text, period.end.toordinal()) for period in periods_in_year(cadence, YEAR))


def _base_reports(template: Template) -> int:
    if template.kind == "items" and template.items:
        return template.items
    return len(_periods(template.cadence))


def first_reports(districts: int, targets: int) -> int:
    """How many reports a plan's year has before any correction."""
    per_district = sum(_base_reports(CATALOGUE[index % len(CATALOGUE)]) for index in range(targets))
    return per_district * districts


def revision_rate(records: int, districts: int, targets: int) -> float:
    """Corrections per reported period on average: at least `BASE_REVISION_RATE`, more when
    the year's first reports are too few for `records`. Refused above `MAX_REVISIONS`."""
    base = first_reports(districts, targets)
    rate = max(BASE_REVISION_RATE, records / base - 1 + 0.05)
    if rate > MAX_REVISIONS:
        raise ValueError(
            f"{records} records need more than {MAX_REVISIONS} revisions per report on a plan "
            f"of {districts} × {targets} targets: use more districts or targets"
        )
    return rate


def district_events(
    district_index: int, row: list[PlannedTarget], rate: float, packing: Packing
) -> list[int]:
    """Every report of one district's year as a packed key, unsorted; each target's texts
    (period texts, value texts per revision) are prepared on the way."""
    first_day = date(YEAR, 1, 1).toordinal()
    whole, fraction = int(rate), rate - int(rate)
    keys: list[int] = []
    pack = packing.pack
    for target_index, target in enumerate(row):
        rng = target.rng
        template = target.template
        target.prefix = f'- {{"target": "{target.id}", '
        if template.kind == "items" and template.items:
            target.item_ids = [f"item_{n + 1:02d}" for n in range(template.items)]
            for item in range(template.items):
                started = 10 + _below(rng, 190)  # rng.randrange(10, 200)
                keys.append(
                    pack(started * MINUTES_PER_DAY + _working_minute(rng),
                         district_index, target_index, item, 0)
                )  # fmt: skip
                if rng.random() < 0.75:
                    done = started + 20 + _below(rng, 130)  # rng.randrange(20, 150)
                    keys.append(
                        pack(done * MINUTES_PER_DAY + _working_minute(rng),
                             district_index, target_index, item, 1)
                    )  # fmt: skip
            continue
        periods = _periods(template.cadence)
        cents = _series_cents(target, len(periods))
        low, high = REPORT_LAG_DAYS[template.cadence]
        target.period_texts = [text for text, _end in periods]
        target.value_texts = []
        for index, (_text, end) in enumerate(periods):
            day = end - first_day + low + _below(rng, high - low + 1)  # rng.randint(low, high)
            keys.append(
                pack(day * MINUTES_PER_DAY + _working_minute(rng),
                     district_index, target_index, index, 0)
            )  # fmt: skip
            revisions = whole + (1 if rng.random() < fraction else 0)
            texts = [_value_text(target, cents[index])]
            for revision in range(1, revisions + 1):
                day += 1 + _below(rng, 30)  # rng.randint(1, 30)
                keys.append(
                    pack(day * MINUTES_PER_DAY + _working_minute(rng),
                         district_index, target_index, index, revision)
                )  # fmt: skip
                texts.append(_value_text(target, _revised_cents(target, cents, index, revision)))
            target.value_texts.append(texts)
    return keys


@functools.cache
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


@functools.cache
def _day_text(day: int) -> str:
    return date.fromordinal(date(YEAR, 1, 1).toordinal() + day).isoformat()


TIMES_OF_DAY = tuple(f"T{minute // 60:02d}:{minute % 60:02d}:00+08:00" for minute in range(1440))


@dataclass(frozen=True, slots=True)
class DistrictJob:
    directory: Path
    district: int
    districts: int
    targets: int
    seed: int
    rate: float
    packing: Packing
    lines: int  # write at most this many of the district's first lines (the rest are cut)


def write_district(job: DistrictJob) -> tuple[int, array[int], array[int]]:
    """Write the first `job.lines` reports of one district's year to its figure file, in
    the order recorded.

    Returns the district, the keys of its whole year in that order and where each written
    line ends in the file: the data set is a prefix of every district's year, cut once all
    districts are known.
    """
    row = plan_district(job.district, job.targets, job.seed)
    keys = district_events(job.district, row, job.rate, job.packing)
    keys.sort()
    name = district_id(job.district, id_width(job.districts))
    clerks = [f"{name}-clerk{n}" for n in (1, 2, 3)]
    unpack = job.packing.unpack
    lines: list[bytes] = []
    for key in itertools.islice(keys, job.lines):
        minute, _district, target_index, period, revision = unpack(key)
        target = row[target_index]
        template = target.template
        day = _day_text(minute // MINUTES_PER_DAY)
        stamp = day + TIMES_OF_DAY[minute % MINUTES_PER_DAY]
        by = clerks[(period + revision) % 3]
        source = f', "source": "{template.source}"' if template.source else ""
        if target.item_ids:
            done = "true" if revision else "false"
            line = (
                f'{target.prefix}"item": "{target.item_ids[period]}", "done": {done}, '
                f'"date": "{day}"{source}, "by": "{by}", "recorded_at": "{stamp}"}}\n'
            )
        else:
            note = (
                f', "note": "{CORRECTION_NOTES[(period + revision) % len(CORRECTION_NOTES)]}"'
                if revision
                else ""
            )
            line = (
                f'{target.prefix}"period": "{target.period_texts[period]}", '
                f"{target.value_texts[period][revision]}{source}{note}, "
                f'"by": "{by}", "recorded_at": "{stamp}"}}\n'
            )
        lines.append(line.encode("utf-8"))
    ends = array("Q", itertools.accumulate(map(len, lines)))
    (job.directory / "figures" / f"{name}.yaml").write_bytes(b"".join(lines))
    return job.district, array("Q", keys), ends


def cut_key(keys: Sequence[array[int]], records: int) -> int:
    """The `records`-th smallest key of all districts (each district's keys sorted): the
    data set is every report up to and including it."""
    low, high = 0, max(district[-1] for district in keys if district)
    while low < high:
        middle = (low + high) // 2
        if sum(bisect.bisect_right(district, middle) for district in keys) >= records:
            high = middle
        else:
            low = middle + 1
    return low


def _district_jobs(
    directory: Path, districts: int, targets: int, seed: int, rate: float, lines: int
) -> Iterator[DistrictJob]:
    packing = packing_for(districts, targets)
    for district in range(districts):
        yield DistrictJob(directory, district, districts, targets, seed, rate, packing, lines)


def generate(
    directory: Path,
    records: int,
    districts: int = DEFAULT_DISTRICTS,
    targets: int = DEFAULT_TARGETS,
    seed: int = DEFAULT_SEED,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Summary:
    """Write a data directory (targets.yaml, figures/*.yaml, generated.json) of `records` records.

    An existing directory is replaced. Each district's whole year is written by one of
    `workers` processes (default: one per CPU, a single process for small plans); the files
    are then cut to the first `records` reports of all districts together. Memory stays
    about 16 bytes a report of the year (its key and where its line ends).
    """
    if districts < 1 or targets < 1 or records < 1:
        raise ValueError("districts, targets and records must be at least 1")
    started = time.perf_counter()
    rate = revision_rate(records, districts, targets)
    packing = packing_for(districts, targets)  # refuses a plan too large to number
    if directory.exists():
        shutil.rmtree(directory)
    (directory / "figures").mkdir(parents=True)
    write_plan(directory / "targets.yaml", districts, targets, seed)
    # A data set much smaller than the year (10k is its first week) needs only the first
    # lines of each district: about records / districts, a few more in some districts.
    # Formatting the rest would be most of the work; a district that turns out to need more
    # is written again in full below.
    lines = records * 2 // districts + SPARE_LINES
    jobs = _district_jobs(directory, districts, targets, seed, rate, lines)
    keys: list[array[int]] = [array("Q")] * districts
    ends: list[array[int]] = [array("Q")] * districts
    if workers is None:
        year = first_reports(districts, targets) * (1 + rate)
        workers = (os.cpu_count() or 1) if year >= PARALLEL_FROM_REPORTS else 1
    done = 0
    with contextlib.ExitStack() as stack:
        if workers > 1:
            # fork: the worker function is found in the parent's modules, however this
            # module was loaded (as a script, by the runner, by the tests).
            pool = stack.enter_context(multiprocessing.get_context("fork").Pool(workers))
            written = pool.imap_unordered(write_district, jobs, chunksize=4)
        else:
            written = map(write_district, jobs)
        for district, district_keys, district_ends in written:
            keys[district], ends[district] = district_keys, district_ends
            done += 1
            if progress is not None:
                progress(done, districts)
    total = sum(len(district) for district in keys)
    if total < records:
        raise ValueError(f"the plan yields {total} reports, fewer than {records}")
    last = cut_key(keys, records)
    for district in range(districts):
        kept = bisect.bisect_right(keys[district], last)
        if kept > len(ends[district]):
            job = DistrictJob(
                directory, district, districts, targets, seed, rate, packing, len(keys[district])
            )
            _district, _keys, ends[district] = write_district(job)
        size = ends[district][kept - 1] if kept else 0
        os.truncate(
            directory / "figures" / f"{district_id(district, id_width(districts))}.yaml", size
        )
    last_minute = packing.unpack(last)[0]
    last_day = date.fromordinal(date(YEAR, 1, 1).toordinal() + last_minute // MINUTES_PER_DAY)
    stamp = {**stamp_for(records, districts, targets, seed), "last_day": last_day.isoformat()}
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


def read_stamp(directory: Path) -> dict[str, Any]:
    """generated.json of a data directory (empty when missing or unreadable); besides the
    stamp it holds `last_day`, the day the latest record was recorded."""
    try:
        found = json.loads((directory / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def is_current(directory: Path, stamp: dict[str, int]) -> bool:
    found = read_stamp(directory)
    return all(found.get(name) == value for name, value in stamp.items())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=",".join(DEFAULT_SIZES),
        help="comma-separated record counts: 10k, 100k, 1m, 3m, 30m or a number "
        "(default: %(default)s)",
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="parent directory of the data")
    parser.add_argument(
        "--districts", type=int, default=None, help="default: the size's (150; 2,800 for 30m)"
    )
    parser.add_argument("--targets", type=int, default=None, help="default: the size's (60)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--workers", type=int, default=None, help="default: one per CPU")
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
        districts = options.districts or size.districts
        targets = options.targets or size.targets
        stamp = stamp_for(size.records, districts, targets, options.seed)
        if not options.force and is_current(directory, stamp):
            print(f"{directory}: up to date ({size.records:,} records)")
            continue

        def report(done: int, total: int) -> None:
            if done % max(1, total // 10) == 0 and done < total:
                print(f"  {done:,} of {total:,} districts written", file=sys.stderr, flush=True)

        try:
            summary = generate(
                directory,
                size.records,
                districts,
                targets,
                options.seed,
                options.workers,
                report if size.records >= 10 * MILLION else None,
            )
        except ValueError as error:
            print(f"generate.py: {error}", file=sys.stderr)
            return 2
        print(
            f"{directory}: {summary.records:,} records, {summary.districts:,} districts × "
            f"{summary.targets} targets, recorded through {summary.last_day} "
            f"({summary.seconds:.1f} s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
