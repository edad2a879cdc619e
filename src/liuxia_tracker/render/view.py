"""The status report's columns, its one rounding rule, and the choice of output format.

Guarantees: `cells` is the one place a `TargetRow` becomes the strings a reader sees, so every
format shows the same numbers in the same columns and order (`COLUMNS`). Rendering never
computes: rows keep the caller's order (worst first) and the numbers are the engine's, only
rounded for display. The rounding rule, used by every format:

- a value (target, actual, expected, variance, forecast, tolerance) shows at most two decimals,
  rounded half up on its shortest decimal form, trailing zeros dropped (6 → "6",
  6.125 → "6.13", 35.5 → "35.5"); a variance carries its sign ("+0.3", "-0.6", "0");
- completion and a district's score are percentages with exactly one decimal ("52.3%").

Columns: csv, json and plain show every column of `COLUMNS` on every row, so a row read on its
own (a spreadsheet line, a grepped line) still names its district. The formats a person reads
as a page of sections (table, markdown, html) show `SECTION_COLUMNS`: the same without the
district, which the section's heading names. Under each district's table every human-readable
format prints the same `note_lines`: overdue figures and items (with owner and leader), then
lagging targets (序时差, required pace), then why a target is missed.

This module imports no third-party code; each renderer imports rich or tabulate itself, when
called, so the command line starts fast.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import lru_cache
from typing import Literal

from liuxia_tracker.engine.rows import DistrictSummary, Report, Status, TargetRow
from liuxia_tracker.i18n import Language, count_label, label, qualifier_label, status_label

Align = Literal["left", "right"]


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # stable snake_case name: the JSON `display` key and the label key `column.<key>`
    align: Align

    def header(self, lang: Language) -> str:
        return label(f"column.{self.key}", lang)


COLUMNS: tuple[Column, ...] = (
    Column("district", "left"),
    Column("group", "left"),
    Column("target", "left"),
    Column("qualifier", "left"),
    Column("target_value", "right"),
    Column("actual", "right"),
    Column("expected", "right"),
    Column("variance", "right"),
    Column("completion", "right"),
    Column("status", "left"),
    Column("forecast", "right"),
    Column("owner", "left"),
    Column("leader", "left"),
)

# The columns of a per-district section in table, markdown and html: the heading above the
# table names the district, so a district column would repeat it on every row.
SECTION_COLUMNS: tuple[Column, ...] = COLUMNS[1:]  # all but the first, the district
_COLUMN_KEYS = tuple(column.key for column in COLUMNS)
_COLUMN_INDEX = {key: index for index, key in enumerate(_COLUMN_KEYS)}

_PERCENT_UNITS = ("%", "％")
# The languages as plain names: looking a member up on its enum class costs a descriptor call,
# several times for every row.
_ZH = Language.ZH
_EN = Language.EN
# Enough digits for any float to keep its decimals (the largest has 309 before the point).
_WIDE = Context(prec=400, Emax=400, Emin=-400)
_TENTH = Decimal("0.1")


# --- numbers -------------------------------------------------------------------------------


def _rounded(value: float, places: int) -> Decimal | None:
    """`value` rounded half up to `places` decimals on its shortest decimal form (repr), so
    2.675 rounds to 2.68 as a reader expects, not to 2.67 as its binary form would."""
    if not math.isfinite(value):
        return None
    step = Decimal(1).scaleb(-places, _WIDE)
    return Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP, context=_WIDE)


def _decimal_text(number: Decimal, keep_zeros: bool) -> str:
    if number.is_zero():
        number = abs(number)  # never "-0"
    text = f"{number:f}"
    if not keep_zeros and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _decimals_rounded(value: float, text: str, places: int) -> str | None:
    """`value`, whose shortest form is `text`, rounded half up to at most `places` decimals,
    without Decimal where that is safe; None where it is not (an exponent, inf or nan, or a
    tie: the shortest form ending in a 5 just after `places` decimals).

    The nearest number of `places` decimals to the float and to its shortest form are the
    same unless the form is a tie: a boundary between them would itself be a shorter form of
    the float. So `f"{value:.{places}f}"`, correctly rounded, is the rule's result."""
    if "e" in text or "n" in text:
        return None
    point = text.find(".")
    if point < 0:
        return text
    decimals = len(text) - point - 1
    if decimals <= places:
        return text
    if decimals == places + 1 and text[-1] == "5":
        return None
    return f"{value:.{places}f}"


def format_number(value: float | None) -> str | None:
    """At most two decimals, trailing zeros dropped; None for no value."""
    if value is None:
        return None
    text = _decimals_rounded(value, repr(value), 2)
    if text is not None:
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    number = _rounded(value, 2)
    return None if number is None else _decimal_text(number, keep_zeros=False)


def format_signed(value: float | None) -> str | None:
    """`format_number` with a sign: "+0.3", "-0.6", and "0" when it rounds to nothing."""
    text = format_number(value)
    if text is None or text == "0" or text.startswith("-"):
        return text
    return f"+{text}"


def format_percent(ratio: float | None) -> str | None:
    """A ratio as a percentage with one decimal: 0.52349 → "52.3%". The shortest decimal form
    of the ratio is scaled, not `ratio * 100` in binary (0.0105 * 100 is 1.0499999…)."""
    if ratio is None or not math.isfinite(ratio):
        return None
    text = repr(ratio)
    thousandths = _decimals_rounded(ratio, text, 3) if "." in text else None
    if thousandths is not None:  # the ratio to three decimals is the percentage to one
        whole, _, fraction = thousandths.lstrip("-").partition(".")
        tenths = int(whole + fraction.ljust(3, "0"))
        sign = "-" if thousandths.startswith("-") and tenths else ""
        return f"{sign}{tenths // 10}.{tenths % 10}%"
    scaled = Decimal(text).scaleb(2, _WIDE)
    number = scaled.quantize(_TENTH, rounding=ROUND_HALF_UP, context=_WIDE)
    return _decimal_text(number, keep_zeros=True) + "%"


def with_unit(number: str, unit: str, lang: Language) -> str:
    """`6%`, and `300万平方米` in Chinese but `300 万平方米` in English; units stay as the plan
    writes them."""
    if not unit:
        return number
    if unit in _PERCENT_UNITS or lang is _ZH:
        return f"{number}{unit}"
    return f"{number} {unit}"


def variance_unit(row: TargetRow, lang: Language) -> str:
    """A rate's variance is in percentage points (百分点, pp); anything else in its own unit."""
    return label("unit.percentage_point", lang) if row.kind == "rate" else row.unit


# --- text ----------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def clean_text(text: str | None, lang: Language) -> str:
    """Plan text as one line: control characters (newlines, tabs, terminal escapes) become
    spaces, so no name can break a table row or drive a terminal; empty shows the empty mark.
    (Remembered: names, groups, owners and leaders repeat from row to row.)"""
    return _one_line(text) or label("empty", lang)


def _one_line(text: str | None) -> str:
    """`text` with control characters as spaces, stripped; empty for None."""
    if text is None:
        return ""
    if text.isprintable():  # holds no control character (nor much else): nothing to replace
        return text.strip()
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text).strip()


def _or_empty(text: str | None, lang: Language) -> str:
    return label("empty", lang) if text is None else text


def target_name(row: TargetRow, lang: Language) -> str:
    name = row.name_en if lang is _EN and row.name_en else row.name
    return clean_text(name, lang)


def district_name(name: str, name_en: str | None, lang: Language) -> str:
    return clean_text(name_en if lang is _EN and name_en else name, lang)


# --- cells ---------------------------------------------------------------------------------


def _tolerance(row: TargetRow, lang: Language) -> str | None:
    """The ± band of a 左右 (about) target: `±0.5百分点`; None for any other target."""
    tolerance = format_number(row.tolerance) if row.qualifier == "about" else None
    if tolerance is None:
        return None
    return f"±{with_unit(tolerance, variance_unit(row, lang), lang)}"


def _qualifier(row: TargetRow, lang: Language) -> str:
    text = qualifier_label(row.qualifier, lang)
    tolerance = _tolerance(row, lang)
    return text if tolerance is None else f"{text} {tolerance}"


def _value(value: float | None, row: TargetRow, lang: Language) -> str:
    text = format_number(value)
    return label("empty", lang) if text is None else with_unit(text, row.unit, lang)


def _actual(row: TargetRow, lang: Language) -> str:
    if row.kind == "items" and row.items_done is not None and row.items_total is not None:
        return f"{row.items_done}/{row.items_total}"
    return _value(row.actual, row, lang)


def _variance(row: TargetRow, lang: Language) -> str:
    text = format_signed(row.variance)
    return label("empty", lang) if text is None else with_unit(text, variance_unit(row, lang), lang)


def _forecast(row: TargetRow, lang: Language) -> str:
    value = format_number(row.forecast)
    if value is None:
        return label("empty", lang)
    shown = with_unit(value, row.unit, lang)
    # For a 以内 (at_most) target the engine's "reached" day is the day the cap is breached,
    # which is a warning, not a completion.
    cap = row.qualifier == "at_most"
    if row.forecast_reached is False:
        key = "forecast.within_cap" if cap else "forecast.not_this_year"
        return label(key, lang).format(value=shown)
    if row.forecast_reached and row.forecast_date is not None:
        key = "forecast.cap_reached" if cap else "forecast.reached"
        return label(key, lang).format(value=shown, date=row.forecast_date.isoformat())
    return shown


def cells(row: TargetRow, lang: Language) -> tuple[str, ...]:
    """The row as shown to a reader, one string per column of `COLUMNS`, in that order."""
    return (
        district_name(row.district_name, row.district_name_en, lang),
        clean_text(row.group, lang),
        target_name(row, lang),
        _qualifier(row, lang),
        _value(row.target, row, lang),
        _actual(row, lang),
        _value(row.expected, row, lang),
        _variance(row, lang),
        _or_empty(format_percent(row.completion), lang),
        status_label(row.status, lang),
        _forecast(row, lang),
        clean_text(row.owner, lang),
        clean_text(row.leader, lang),
    )


def display_cells(row: TargetRow, lang: Language) -> dict[str, str]:
    """`cells` keyed by column key."""
    return dict(zip(_COLUMN_KEYS, cells(row, lang), strict=True))


def cells_of(row: TargetRow, lang: Language, columns: tuple[Column, ...]) -> list[str]:
    """The row's cells for `columns` (e.g. `SECTION_COLUMNS`), in that order."""
    shown = cells(row, lang)
    if columns is SECTION_COLUMNS:
        return list(shown[1:])
    return [shown[_COLUMN_INDEX[column.key]] for column in columns]


def headers(lang: Language, columns: tuple[Column, ...] = COLUMNS) -> list[str]:
    return [column.header(lang) for column in columns]


# --- districts -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DistrictSection:
    """One district's rows, in the caller's order, with its summary when the report has one."""

    district_id: str
    name: str
    name_en: str | None
    summary: DistrictSummary | None
    rows: tuple[TargetRow, ...]

    def title(self, lang: Language) -> str:
        return district_name(self.name, self.name_en, lang)


def sections(report: Report) -> list[DistrictSection]:
    """The districts in the report's order, each with its rows in their given order; a district
    that only appears in the rows follows, in the order first seen."""
    rows_by_district: dict[str, list[TargetRow]] = {}
    for row in report.rows:
        rows_by_district.setdefault(row.district_id, []).append(row)
    result = [
        DistrictSection(
            summary.district_id,
            summary.name,
            summary.name_en,
            summary,
            tuple(rows_by_district.pop(summary.district_id, ())),
        )
        for summary in report.districts
    ]
    for district_rows in rows_by_district.values():
        first = district_rows[0]
        result.append(
            DistrictSection(
                first.district_id,
                first.district_name,
                first.district_name_en,
                None,
                tuple(district_rows),
            )
        )
    return result


def ranked_districts(report: Report) -> int:
    if report.ranked is not None:
        return report.ranked
    return sum(1 for summary in report.districts if summary.rank is not None)


def summary_line(section: DistrictSection, report: Report, lang: Language) -> str | None:
    """`历下区：7项指标；滞后 1，有风险 2；得分 85.3%；排名 1/2`: the statuses present, worst first."""
    summary = section.summary
    if summary is None:
        return None
    clause = label("summary.clause_separator", lang)
    counted = [
        label("summary.count", lang).format(status=status_label(status, lang), count=count)
        for status in Status
        if (count := summary.counts.get(status, 0))
    ]
    total = sum(summary.counts.values())
    parts = [
        count_label("summary.targets", total, lang).format(
            district=section.title(lang), count=total
        )
    ]
    if counted:
        parts.append(label("summary.list_separator", lang).join(counted))
    parts.append(
        label("summary.score", lang).format(score=_or_empty(format_percent(summary.score), lang))
    )
    if summary.rank is not None:
        total = summary.rank_total or ranked_districts(report)
        if summary.category:
            parts.append(
                label("summary.rank_in_category", lang).format(
                    rank=summary.rank, total=total, category=clean_text(summary.category, lang)
                )
            )
        else:
            parts.append(label("summary.rank", lang).format(rank=summary.rank, total=total))
    return clause.join(parts)


def report_title(report: Report, lang: Language) -> str:
    """The plan year and the report's own day (`Report.as_of`, the day its numbers are judged
    at); never the clock's."""
    return label("report.title", lang).format(year=report.year, as_of=report.as_of.isoformat())
