"""The canonical line (`- {"target": ...}`, as `log.canonical.canonical_line` writes it), read
without json or pydantic: the reader's fast path.

Guarantees: `record_of` and `canonical_record` accept only what the `Figure` model accepts,
with the values `Figure` would give (tests/test_figures_read.py holds them to it), and answer
None for anything else, which the caller then reads the general way (json, then `Figure` and
its diagnostics). `every_canonical_line(text)` gives the fields of each canonical line of a
text in order, for the caller to check that they are all of its lines.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from sys import intern
from typing import Any

from liuxia_tracker.domain.models import is_slug, parse_iso_date
from liuxia_tracker.domain.periods import Period, PeriodError, parse_period
from liuxia_tracker.domain.records import FigureRecord
from liuxia_tracker.domain.units import UnitError, parse_unit
from liuxia_tracker.plan.text import MAX_EXACT_INTEGER

# A canonical line as `canonical_line` writes it: the keys in FIELD_ORDER, text without escapes
# or control characters, numbers without exponents. Whatever does not match, or matches but is
# not a valid figure, takes the general way (json, then `Figure` and its diagnostics). Every
# group that is there is non-empty (an empty text takes the general way), so `findall`'s empty
# string for a group that is not there is never a value; quantifiers are possessive (nothing
# is given back: what follows a text or a number never starts with a character it took).
_TEXT = r'"([^"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]++)"'
_CANONICAL_LINE = re.compile(
    r'- \{"target": ' + _TEXT
    + r'(?:, "period": ' + _TEXT + ")?"
    + r'(?:, "value": (-?(?:0|[1-9][0-9]*+)(?:\.[0-9]++)?))?'
    + r'(?:, "unit": ' + _TEXT + ")?"
    + r'(?:, "item": ' + _TEXT + ")?"
    + r'(?:, "done": (true|false))?'
    + r'(?:, "date": ' + _TEXT + ")?"
    + r'(?:, "source": ' + _TEXT + ")?"
    + r'(?:, "note": ' + _TEXT + ")?"
    + r'(?:, "by": ' + _TEXT + ")?"
    + r'(?:, "recorded_at": ' + _TEXT + ")?"
    + r"\}"
)  # fmt: skip

# What the canonical reader has already found valid, by its text: a figure log repeats the
# same ids, periods, units, numbers and days across up to a million records, so each is judged
# once and every record shares one object per text (strings are interned). Bounded: a cache is
# cleared when full.
_CACHE_LIMIT = 1 << 16
_SLUGS: dict[str, str] = {}  # a valid id → the interned id
_UNITS: dict[str, str] = {}  # a valid unit → the interned unit
_PERIODS: dict[str, Period] = {}
_NUMBERS: dict[str, float] = {}
_DAYS: dict[str, date] = {}
_MATCH = _CANONICAL_LINE.fullmatch
# The same, for every canonical line of a whole text at once (no line is cut out of it).
CANONICAL_LINES = re.compile("^" + _CANONICAL_LINE.pattern + "$", re.MULTILINE)
every_canonical_line = CANONICAL_LINES.findall


def _remember(cache: dict[str, Any], key: str, value: Any) -> None:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value


def _slug_of(text: str) -> str | None:
    if not is_slug(text):
        return None
    slug = intern(text)
    _remember(_SLUGS, slug, slug)
    return slug


def _unit_of(text: str) -> str | None:
    try:
        parse_unit(text)
    except UnitError:
        return None
    unit = intern(text)
    _remember(_UNITS, unit, unit)
    return unit


def _period_of(text: str) -> Period | None:
    try:
        period = parse_period(text)
    except PeriodError:
        return None
    _remember(_PERIODS, text, period)
    return period


def _number_of(text: str) -> float | None:
    """The value of a number as the pattern takes it (no exponent), or None when `Figure`
    would refuse it (not finite, or a whole number beyond 2**53)."""
    if "." in text:
        value = float(text)
        if not math.isfinite(value):
            return None
    else:
        if len(text) > 17:  # beyond 2**53 (and int() refuses over 4,300 digits)
            return None
        whole = int(text)
        if whole > MAX_EXACT_INTEGER or whole < -MAX_EXACT_INTEGER:
            return None
        value = float(whole)
    _remember(_NUMBERS, text, value)
    return value


def _day_of(text: str) -> date | None:
    try:
        day = parse_iso_date(text)
    except ValueError:
        return None
    _remember(_DAYS, text, day)
    return day


def canonical_record(line: str) -> FigureRecord | None:
    """The figure of a canonical line, or None when the general way must judge it.

    Accepts only what `Figure` accepts, with the values `Figure` would give (the property test
    in tests/test_figures_read.py holds it to that).
    """
    match = _MATCH(line)
    return None if match is None else record_of(match.groups())


def record_of(fields: tuple[Any, ...]) -> FigureRecord | None:
    """The figure of the groups of a canonical line's match (a group that is not there: None
    or empty), or None (see above)."""
    (target, period_text, number, unit, item, done_text, day_text, source, note, by, stamp) = fields
    target = _SLUGS.get(target) or _slug_of(target)
    if target is None:
        return None
    period: Period | None = None
    value: float | None = None
    done: bool | None = None
    if not item:
        if not period_text or not number or done_text:
            return None
        period = _PERIODS.get(period_text) or _period_of(period_text)
        if period is None:
            return None
        value = _NUMBERS.get(number)
        if value is None:
            value = _number_of(number)
            if value is None:
                return None
        item = None
    else:
        if not done_text or period_text or number:
            return None
        item = _SLUGS.get(item) or _slug_of(item)
        if item is None:
            return None
        done = done_text == "true"
    if unit:
        unit = _UNITS.get(unit) or _unit_of(unit)
        if unit is None:
            return None
    else:
        unit = None
    day: date | None = None
    if day_text:
        day = _DAYS.get(day_text) or _day_of(day_text)
        if day is None:
            return None
    recorded_at: datetime | None = None
    if stamp:
        try:
            # Each record keeps its own timezone object: sharing one costs a
            # datetime.replace (0.7 µs a record, more than the parse) to save 80 bytes.
            recorded_at = datetime.fromisoformat(stamp)
        except ValueError:
            return None
    return FigureRecord(
        target,
        period,
        value,
        unit,
        item,
        done,
        day,
        intern(source) if source else None,
        intern(note) if note else None,
        intern(by) if by else None,
        recorded_at,
    )
