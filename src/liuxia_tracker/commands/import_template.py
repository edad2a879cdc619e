"""`tracker import --template`: the CSV an office fills in, one row per figure due.

Guarantees: reads only the plan. One row per target of the districts asked for (all when none
is named), in plan order; an `items` target with named items has one row per item instead
(its `done` to fill), one without has a row for the count done. Values are blank; the unit
column holds the target's unit, so a plain number is read in it.

The period of each row: with `--period P`, P for every target whose series takes it
(`periods.fits_cadence`: `2023-Q2` for quarterly and monthly targets, `2023` for all), and a
usage error when no target does; without it, the latest period of the target's cadence that
has ended before today, within the plan's year (the year's last period once the year is over,
its first before any period of the year has ended).

Headers are in the language asked for (`zh`: 区县, 指标, 期间, ...; `en`: district, target,
...); in Chinese, districts, targets and items are given by their names where the name finds
them again (`common.find_district` and the like), else by id. The file is UTF-8 with a
byte-order mark (what Excel opens as UTF-8) or GBK; importing it once filled works unchanged.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from liuxia_tracker.commands.common import (
    find_district,
    find_item,
    find_target,
    load_plan_for_writing,
)
from liuxia_tracker.commands.dataset import DataDir
from liuxia_tracker.commands.output_files import write_atomically
from liuxia_tracker.diagnostics import TrackerError, UsageError
from liuxia_tracker.domain.models import District, Plan, Target
from liuxia_tracker.domain.periods import (
    Period,
    PeriodError,
    PeriodKind,
    fits_cadence,
    parse_period,
    periods_in_year,
)
from liuxia_tracker.log.import_table import CHINESE_COLUMNS

TemplateLanguage = Literal["zh", "en"]
TEMPLATE_ENCODINGS = ("utf-8-sig", "gbk")
TEMPLATE_COLUMNS = (
    "district",
    "target",
    "period",
    "value",
    "unit",
    "item",
    "done",
    "date",
    "source",
    "note",
)
_HEADERS_ZH = {column: header for header, column in CHINESE_COLUMNS.items()}


@dataclass(frozen=True, slots=True)
class TemplateRow:
    district: str
    target: str
    period: str = ""
    unit: str = ""
    item: str = ""


def due_period(target: Target, year: int, today: date) -> Period:
    """The latest period of the target's cadence that ended before `today`, within `year`."""
    periods = periods_in_year(PeriodKind(target.cadence), year)
    ended = [period for period in periods if period.end < today]
    return ended[-1] if ended else periods[0]


def _named(thing_name: str, thing_id: str, found_again: bool, language: str) -> str:
    return thing_name if language == "zh" and found_again else thing_id


def _district_rows(
    district: District, period: Period | None, year: int, today: date, language: str
) -> list[TemplateRow]:
    rows = []
    district_text = _named(district.name, district.id, True, language)
    for target in district.targets:
        target_text = _named(target.name, target.id, _finds(district, target), language)
        if target.kind == "items" and target.items:
            for item in target.items:
                item_text = _named(item.name, item.id, _finds_item(target, item.id), language)
                rows.append(TemplateRow(district_text, target_text, item=item_text))
            continue
        if period is not None and not fits_cadence(period, PeriodKind(target.cadence)):
            continue
        chosen = period if period is not None else due_period(target, year, today)
        rows.append(TemplateRow(district_text, target_text, str(chosen), target.unit))
    return rows


def _finds(district: District, target: Target) -> bool:
    try:
        return find_target(district, target.name).id == target.id
    except TrackerError:
        return False


def _finds_item(target: Target, item_id: str) -> bool:
    item = next(item for item in target.items if item.id == item_id)
    try:
        return find_item(target, item.name).id == item_id
    except TrackerError:
        return False


def template_rows(
    plan: Plan,
    districts: list[str],
    period_text: str | None,
    language: TemplateLanguage,
    today: date,
) -> list[TemplateRow]:
    """The rows of the template (see the module docstring)."""
    chosen = [find_district(plan, wanted) for wanted in districts] or plan.districts
    period = None
    if period_text is not None:
        try:
            period = parse_period(period_text)
        except PeriodError as error:
            raise UsageError(f"--period: {error}") from None
    rows = [
        row
        for district in chosen
        for row in _district_rows(district, period, plan.year, today, language)
    ]
    if period is not None and not any(row.period for row in rows):
        raise UsageError(
            f"--period {period}: no target of {', '.join(d.id for d in chosen)} is reported "
            f"by {period.kind.value}; try the year ({period.year}) or a period of a cadence"
        )
    return rows


def template_csv(rows: list[TemplateRow], language: TemplateLanguage, encoding: str) -> bytes:
    """The rows as CSV bytes in `encoding`; a TrackerError for text it cannot hold."""
    if encoding not in TEMPLATE_ENCODINGS:
        raise UsageError(
            f"--encoding: a template is written as {' or '.join(TEMPLATE_ENCODINGS)}, "
            f"not {encoding!r}"
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    headers = [_HEADERS_ZH[c] if language == "zh" else c for c in TEMPLATE_COLUMNS]
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [row.district, row.target, row.period, "", row.unit, row.item, "", "", "", ""]
        )
    text = buffer.getvalue()
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as error:
        raise TrackerError(
            f"the template holds {text[error.start : error.end]!r}, which {encoding} cannot "
            "write; use --encoding utf-8-sig"
        ) from None


def write_template(
    data_dir: DataDir,
    districts: list[str],
    *,
    output: str,
    period: str | None = None,
    language: TemplateLanguage = "zh",
    encoding: str = "utf-8-sig",
    today: date | None = None,
) -> tuple[bytes, int]:
    """`tracker import --template`: the template's bytes, written to `output` unless it is
    `-` (standard output, which the caller writes), and the number of rows."""
    plan = load_plan_for_writing(data_dir, None)
    rows = template_rows(plan, districts, period, language, today or date.today())
    content = template_csv(rows, language, encoding)
    if output != "-":
        write_atomically(Path(output), content)
    return content, len(rows)
