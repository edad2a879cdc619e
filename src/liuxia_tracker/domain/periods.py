"""Periods that figures are keyed by: year, half year, quarter, month, 旬 (dekad), ISO week, day.

Guarantees:

- A period text is accepted only in its canonical form: `2023`, `2023-H1` (上半年, January to
  June; `2023-H2` 下半年), `2023-Q1`, `2023-03`,
  `2023-W05`, `2023-03-D1`, `2023-03-15`, with zero-padded numbers, capital letters and no
  spaces. Years are 1900–2999 (for weeks, the ISO week-numbering year). Anything else raises
  `PeriodError` with a one-line message naming the text and what is wrong with it.
- `parse_period(str(p)) == p` for every period `p`, and `period_of(p.kind, day) == p` for every
  day `p` covers. Periods are immutable values: equal texts give equal, hashable periods.
- A dekad (旬) is days 1–10, 11–20, or 21 to the end of the month (28, 29, 30 or 31 days).
- Weeks follow the ISO calendar (Monday to Sunday, week 1 holds the year's first Thursday);
  week 53 exists only in ISO years that have it.
- Periods sort by end day, then start day, then granularity, so a cumulative series sorts by
  the day its figure runs through.
- Shares of the year are exact `Fraction`s counted in days, leap years included.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache

FIRST_YEAR = 1900
LAST_YEAR = 2999

_ONE_DAY = timedelta(days=1)
_EXPECTED_FORMS = "expected YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM, YYYY-Www, YYYY-MM-Dn or YYYY-MM-DD"
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# Long enough for any valid period text plus a few characters of context.
_QUOTED_TEXT_LIMIT = 40

# One alternation covering every form; which named group matched tells the kind.
_PERIOD_PATTERN = re.compile(
    r"(?P<year>[0-9]{4})"
    r"(?:-(?:"
    r"Q(?P<quarter>[0-9])"
    r"|H(?P<half>[0-9])"
    r"|W(?P<week>[0-9]{2})"
    r"|(?P<month>[0-9]{2})(?:-(?:D(?P<dekad>[0-9])|(?P<day>[0-9]{2})))?"
    r"))?"
)


class PeriodKind(StrEnum):
    """A period's kind; the values are also the cadence names used in the data files."""

    YEAR = "year"
    HALF = "half"  # 上半年 / 下半年: a period figures may be keyed by, never a cadence
    QUARTER = "quarter"
    MONTH = "month"
    DEKAD = "dekad"
    WEEK = "week"
    DAY = "day"

    @property
    def zh(self) -> str:
        """The kind's Chinese name: 年, 季, 月, 旬, 周, 日."""
        return _CHINESE_NAMES[self]

    @property
    def en(self) -> str:
        """The kind's English name, the same as its value."""
        return self.value


_CHINESE_NAMES = {
    PeriodKind.YEAR: "年",
    PeriodKind.HALF: "半年",
    PeriodKind.QUARTER: "季",
    PeriodKind.MONTH: "月",
    PeriodKind.DEKAD: "旬",
    PeriodKind.WEEK: "周",
    PeriodKind.DAY: "日",
}
# Coarser kinds first; only breaks ties between periods with the same start and end.
_GRANULARITY = {kind: rank for rank, kind in enumerate(PeriodKind)}


class PeriodError(ValueError):
    """A period text or year that is not valid; the message is one line, fit to show a user."""


@dataclass(frozen=True, slots=True)
class Period:
    """A span of whole days of one kind. Build it with `parse_period` or `period_of`."""

    kind: PeriodKind
    start: date
    end: date
    text: str
    # End day, start day, granularity: the order periods sort in (computed once).
    sort_key: tuple[date, date, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "sort_key", (self.end, self.start, _GRANULARITY[self.kind]))

    def __str__(self) -> str:
        return self.text

    def __hash__(self) -> int:
        # The text alone says which period it is; a str caches its hash.
        return hash(self.text)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key < other.sort_key

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key <= other.sort_key

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key > other.sort_key

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key >= other.sort_key

    @property
    def year(self) -> int:
        """The year the period is counted in: the ISO year for weeks, else the year of `end`."""
        if self.kind is PeriodKind.WEEK:
            return self.end.isocalendar().year
        return self.end.year

    def next(self) -> Period:
        """The period of the same kind that starts the day after this one ends."""
        return period_of(self.kind, self.end + _ONE_DAY)

    def previous(self) -> Period:
        """The period of the same kind that ends the day before this one starts."""
        return period_of(self.kind, self.start - _ONE_DAY)

    def contains(self, day: date) -> bool:
        """Whether `day` is one of the days this period covers."""
        return self.start <= _plain_date(day) <= self.end


def parse_period(text: str) -> Period:
    """Read a canonical period text such as `2023-Q1` or `2023-03-D2`; raise `PeriodError`."""
    if not isinstance(text, str):
        raise PeriodError(
            f'not a period: {text!r} (expected text such as "2023-03", got {type(text).__name__})'
        )
    outcome = _parse_or_explain(text)
    if isinstance(outcome, str):
        raise PeriodError(outcome)
    return outcome


def period_of(kind: PeriodKind, day: date) -> Period:
    """The period of `kind` that contains `day`; weeks are ISO weeks."""
    return _period_of(PeriodKind(kind), _plain_date(day))


def days_in_year(year: int) -> int:
    """365, or 366 in a leap year."""
    _check_year(year)
    return 366 if _is_leap(year) else 365


def share_of_year_elapsed(year: int, through: date) -> Fraction:
    """Days of `year` from 1 January through `through` inclusive, over the days in the year.

    Clamped to [0, 1]: a day before the year gives 0, a day after it gives 1.
    """
    total = days_in_year(year)
    first_day = date(year, 1, 1)
    through = _plain_date(through)
    if through < first_day:
        return Fraction(0)
    elapsed = (through - first_day).days + 1
    if elapsed >= total:
        return Fraction(1)
    return Fraction(elapsed, total)


def fits_cadence(period: Period, cadence: PeriodKind) -> bool:
    """Whether a figure for `period` belongs in a series reported at `cadence`.

    An annual figure fits any cadence; a quarterly one fits a monthly cadence because a quarter
    ends on a month end; a half year (`2023-H1`, 上半年) fits a quarterly or monthly cadence
    because it ends on a quarter's end (for a cumulative figure, H1 is the same as Q2).
    """
    if period.kind == cadence or period.kind is PeriodKind.YEAR:
        return True
    if period.kind is PeriodKind.HALF:
        return cadence in (PeriodKind.QUARTER, PeriodKind.MONTH)
    return period.kind is PeriodKind.QUARTER and cadence == PeriodKind.MONTH


def periods_in_year(kind: PeriodKind, year: int) -> list[Period]:
    """Every period of `kind` counted in `year` (see `Period.year`), in order.

    For all kinds but weeks these are the periods ending in calendar year `year`; for weeks
    they are the 52 or 53 weeks of ISO year `year`, which may end a few days into the next
    calendar year or begin a few days into the previous one.
    """
    _check_year(year)
    return list(_periods_in_year(PeriodKind(kind), year))


# Building periods. The builders assume valid numbers; callers check them first.


def _year(year: int) -> Period:
    return Period(PeriodKind.YEAR, date(year, 1, 1), date(year, 12, 31), f"{year:04d}")


def _quarter(year: int, quarter: int) -> Period:
    last_month = quarter * 3
    return Period(
        PeriodKind.QUARTER,
        date(year, last_month - 2, 1),
        date(year, last_month, _days_in_month(year, last_month)),
        f"{year:04d}-Q{quarter}",
    )


def _half(year: int, half: int) -> Period:
    last_month = half * 6
    return Period(
        PeriodKind.HALF,
        date(year, last_month - 5, 1),
        date(year, last_month, _days_in_month(year, last_month)),
        f"{year:04d}-H{half}",
    )


def _month(year: int, month: int) -> Period:
    return Period(
        PeriodKind.MONTH,
        date(year, month, 1),
        date(year, month, _days_in_month(year, month)),
        f"{year:04d}-{month:02d}",
    )


def _dekad(year: int, month: int, dekad: int) -> Period:
    last_day = dekad * 10 if dekad < 3 else _days_in_month(year, month)
    return Period(
        PeriodKind.DEKAD,
        date(year, month, dekad * 10 - 9),
        date(year, month, last_day),
        f"{year:04d}-{month:02d}-D{dekad}",
    )


def _week(iso_year: int, week: int) -> Period:
    monday = date.fromisocalendar(iso_year, week, 1)
    return Period(
        PeriodKind.WEEK, monday, monday + timedelta(days=6), f"{iso_year:04d}-W{week:02d}"
    )


def _day(day: date) -> Period:
    return Period(PeriodKind.DAY, day, day, day.isoformat())


@lru_cache(maxsize=4096)
def _period_of(kind: PeriodKind, day: date) -> Period:
    if kind is PeriodKind.WEEK:
        iso = day.isocalendar()
        if not FIRST_YEAR <= iso.year <= LAST_YEAR:
            raise PeriodError(
                f"no week period for {day.isoformat()}: "
                f"ISO year {iso.year} is outside {FIRST_YEAR}–{LAST_YEAR}"
            )
        return _week(iso.year, iso.week)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PeriodError(
            f"no {kind.value} period for {day.isoformat()}: "
            f"year {day.year} is outside {FIRST_YEAR}–{LAST_YEAR}"
        )
    if kind is PeriodKind.YEAR:
        return _year(day.year)
    if kind is PeriodKind.HALF:
        return _half(day.year, (day.month - 1) // 6 + 1)
    if kind is PeriodKind.QUARTER:
        return _quarter(day.year, (day.month - 1) // 3 + 1)
    if kind is PeriodKind.MONTH:
        return _month(day.year, day.month)
    if kind is PeriodKind.DEKAD:
        return _dekad(day.year, day.month, min((day.day - 1) // 10, 2) + 1)
    return _day(day)


@lru_cache(maxsize=64)
def _periods_in_year(kind: PeriodKind, year: int) -> tuple[Period, ...]:
    if kind is PeriodKind.YEAR:
        return (_year(year),)
    if kind is PeriodKind.HALF:
        return (_half(year, 1), _half(year, 2))
    if kind is PeriodKind.QUARTER:
        return tuple(_quarter(year, quarter) for quarter in range(1, 5))
    if kind is PeriodKind.MONTH:
        return tuple(_month(year, month) for month in range(1, 13))
    if kind is PeriodKind.DEKAD:
        return tuple(_dekad(year, month, dekad) for month in range(1, 13) for dekad in range(1, 4))
    if kind is PeriodKind.WEEK:
        return tuple(_week(year, week) for week in range(1, _iso_weeks_in_year(year) + 1))
    first_day = date(year, 1, 1)
    return tuple(_day(first_day + timedelta(days=offset)) for offset in range(days_in_year(year)))


# Parsing. Results, including error messages, are cached: a figure log repeats the same few
# hundred period texts across up to a million records.


@lru_cache(maxsize=4096)
def _parse_or_explain(text: str) -> Period | str:
    """The period `text` names, or the one-line message saying why it names none."""
    match = _PERIOD_PATTERN.fullmatch(text)
    if match is None:
        return _explain_shape(text)
    return _build(text, match)


def _build(text: str, match: re.Match[str]) -> Period | str:
    year = int(match["year"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return _not_a_period(text, f"year must be {FIRST_YEAR}–{LAST_YEAR}")
    if match["quarter"] is not None:
        quarter = int(match["quarter"])
        if not 1 <= quarter <= 4:
            return _not_a_period(text, "quarter must be Q1–Q4")
        return _quarter(year, quarter)
    if match["half"] is not None:
        half = int(match["half"])
        if not 1 <= half <= 2:
            return _not_a_period(text, "half must be H1 or H2")
        return _half(year, half)
    if match["week"] is not None:
        week = int(match["week"])
        if not 1 <= week <= 53:
            return _not_a_period(text, "week must be W01–W53")
        weeks = _iso_weeks_in_year(year)
        if week > weeks:
            return f"week {week} does not exist in ISO year {year} (it has {weeks} weeks)"
        return _week(year, week)
    if match["month"] is None:
        return _year(year)
    month = int(match["month"])
    if not 1 <= month <= 12:
        return _not_a_period(text, "month must be 01–12")
    if match["dekad"] is not None:
        dekad = int(match["dekad"])
        if not 1 <= dekad <= 3:
            return _not_a_period(text, "dekad must be D1–D3")
        return _dekad(year, month, dekad)
    if match["day"] is not None:
        day = int(match["day"])
        last_day = _days_in_month(year, month)
        if not 1 <= day <= last_day:
            return _not_a_period(text, f"day must be 01–{last_day} in {year:04d}-{month:02d}")
        return _day(date(year, month, day))
    return _month(year, month)


def _explain_shape(text: str) -> str:
    """Say the text has no period's shape, suggesting the canonical text when one is evident."""
    guess = _canonical_guess(text)
    match = _PERIOD_PATTERN.fullmatch(guess)
    if guess != text and match is not None:
        outcome = _build(guess, match)
        if isinstance(outcome, Period):
            return _not_a_period(text, f'did you mean "{outcome.text}"?')
    return _not_a_period(text, _EXPECTED_FORMS)


def _canonical_guess(text: str) -> str:
    """Undo the usual slips: full-width characters, spaces, lower case, `/` or `.`, no padding."""
    guess = unicodedata.normalize("NFKC", text).strip().upper().replace("/", "-").replace(".", "-")
    parts = guess.split("-")
    for index in range(1, len(parts)):
        part = parts[index]
        if part.isascii() and part.isdigit() and len(part) == 1:
            parts[index] = "0" + part
        elif part[:1] == "W" and part[1:].isascii() and part[1:].isdigit() and len(part) == 2:
            parts[index] = "W0" + part[1:]
    return "-".join(parts)


def _not_a_period(text: str, reason: str) -> str:
    return f"not a period: {_quote(text)} ({reason})"


def _quote(text: str) -> str:
    """Quote user text on one line, making invisible characters visible and long text short."""
    shown = text[:_QUOTED_TEXT_LIMIT]
    characters = []
    for character in shown:
        if character in '"\\':
            characters.append("\\" + character)
        elif character.isprintable():
            characters.append(character)
        else:
            characters.append(character.encode("unicode_escape").decode("ascii"))
    ellipsis = "..." if len(text) > _QUOTED_TEXT_LIMIT else ""
    return '"' + "".join(characters) + ellipsis + '"'


# Calendar arithmetic.


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"year {year} is outside {FIRST_YEAR}–{LAST_YEAR}")


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and _is_leap(year):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def _iso_weeks_in_year(iso_year: int) -> int:
    # 28 December always falls in the last ISO week of its year.
    return date(iso_year, 12, 28).isocalendar().week


def _plain_date(day: date) -> date:
    """A `datetime` is a `date` too; drop its time so it compares with and prints as a date."""
    if type(day) is date:
        return day
    return date(day.year, day.month, day.day)
