"""Tests for `liuxia_tracker.domain.periods`: parsing, calendar arithmetic, ordering and shares."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liuxia_tracker.domain.periods import (
    Period,
    PeriodError,
    PeriodKind,
    days_in_year,
    fits_cadence,
    parse_period,
    period_of,
    periods_in_year,
    share_of_year_elapsed,
)

YEAR = PeriodKind.YEAR
HALF = PeriodKind.HALF
QUARTER = PeriodKind.QUARTER
MONTH = PeriodKind.MONTH
DEKAD = PeriodKind.DEKAD
WEEK = PeriodKind.WEEK
DAY = PeriodKind.DAY

# Days whose periods of every kind, ISO weeks included, fall in the supported years.
supported_days = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 29))
kinds = st.sampled_from(list(PeriodKind))


# --- the kind enum ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "zh"),
    [
        (YEAR, "year", "年"),
        (QUARTER, "quarter", "季"),
        (MONTH, "month", "月"),
        (DEKAD, "dekad", "旬"),
        (WEEK, "week", "周"),
        (DAY, "day", "日"),
    ],
)
def test_kind_names(kind: PeriodKind, value: str, zh: str) -> None:
    assert kind.value == value
    assert kind.en == value
    assert kind.zh == zh
    assert PeriodKind(value) is kind
    assert kind == value
    assert str(kind) == value
    assert f"{kind}" == value


# --- parsing every kind ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2023", YEAR, date(2023, 1, 1), date(2023, 12, 31)),
        ("2023-Q1", QUARTER, date(2023, 1, 1), date(2023, 3, 31)),
        ("2023-Q2", QUARTER, date(2023, 4, 1), date(2023, 6, 30)),
        ("2023-Q3", QUARTER, date(2023, 7, 1), date(2023, 9, 30)),
        ("2023-Q4", QUARTER, date(2023, 10, 1), date(2023, 12, 31)),
        ("2023-03", MONTH, date(2023, 3, 1), date(2023, 3, 31)),
        ("2023-02", MONTH, date(2023, 2, 1), date(2023, 2, 28)),
        ("2024-02", MONTH, date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-04", MONTH, date(2023, 4, 1), date(2023, 4, 30)),
        ("2023-W05", WEEK, date(2023, 1, 30), date(2023, 2, 5)),
        ("2023-W01", WEEK, date(2023, 1, 2), date(2023, 1, 8)),
        ("2023-W52", WEEK, date(2023, 12, 25), date(2023, 12, 31)),
        ("2020-W53", WEEK, date(2020, 12, 28), date(2021, 1, 3)),
        ("2026-W53", WEEK, date(2026, 12, 28), date(2027, 1, 3)),
        ("2020-W01", WEEK, date(2019, 12, 30), date(2020, 1, 5)),
        ("2023-03-D1", DEKAD, date(2023, 3, 1), date(2023, 3, 10)),
        ("2023-03-D2", DEKAD, date(2023, 3, 11), date(2023, 3, 20)),
        ("2023-03-D3", DEKAD, date(2023, 3, 21), date(2023, 3, 31)),
        ("2023-04-D3", DEKAD, date(2023, 4, 21), date(2023, 4, 30)),
        ("2023-02-D3", DEKAD, date(2023, 2, 21), date(2023, 2, 28)),
        ("2024-02-D3", DEKAD, date(2024, 2, 21), date(2024, 2, 29)),
        ("2023-03-15", DAY, date(2023, 3, 15), date(2023, 3, 15)),
        ("2024-02-29", DAY, date(2024, 2, 29), date(2024, 2, 29)),
        ("1900", YEAR, date(1900, 1, 1), date(1900, 12, 31)),
        ("2999-12-31", DAY, date(2999, 12, 31), date(2999, 12, 31)),
    ],
)
def test_parse_gives_kind_start_end_and_text(
    text: str, kind: PeriodKind, start: date, end: date
) -> None:
    period = parse_period(text)
    assert isinstance(period, Period)
    assert period.kind is kind
    assert period.start == start
    assert period.end == end
    assert period.text == text
    assert str(period) == text


def test_week_53_missing_from_iso_year_has_exact_message() -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period("2023-W53")
    assert str(raised.value) == "week 53 does not exist in ISO year 2023 (it has 52 weeks)"


def test_period_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="month must be 01–12"):
        parse_period("2023-13")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023-13", 'not a period: "2023-13" (month must be 01–12)'),
        ("2023-00", 'not a period: "2023-00" (month must be 01–12)'),
        ("2023-Q5", 'not a period: "2023-Q5" (quarter must be Q1–Q4)'),
        ("2023-Q0", 'not a period: "2023-Q0" (quarter must be Q1–Q4)'),
        ("2023-02-30", 'not a period: "2023-02-30" (day must be 01–28 in 2023-02)'),
        ("2023-02-29", 'not a period: "2023-02-29" (day must be 01–28 in 2023-02)'),
        ("2024-02-30", 'not a period: "2024-02-30" (day must be 01–29 in 2024-02)'),
        ("2023-04-31", 'not a period: "2023-04-31" (day must be 01–30 in 2023-04)'),
        ("2023-03-00", 'not a period: "2023-03-00" (day must be 01–31 in 2023-03)'),
        ("2023-03-D4", 'not a period: "2023-03-D4" (dekad must be D1–D3)'),
        ("2023-03-D0", 'not a period: "2023-03-D0" (dekad must be D1–D3)'),
        ("2023-W00", 'not a period: "2023-W00" (week must be W01–W53)'),
        ("2023-W54", 'not a period: "2023-W54" (week must be W01–W53)'),
        ("1899", 'not a period: "1899" (year must be 1900–2999)'),
        ("3000-01", 'not a period: "3000-01" (year must be 1900–2999)'),
        ("2023-14-D1", 'not a period: "2023-14-D1" (month must be 01–12)'),
        ("2023-W53", "week 53 does not exist in ISO year 2023 (it has 52 weeks)"),
        ("2021-W53", "week 53 does not exist in ISO year 2021 (it has 52 weeks)"),
    ],
)
def test_out_of_range_numbers_say_which_part_is_wrong(text: str, message: str) -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period(text)
    assert str(raised.value) == message


SHAPE = "expected YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM, YYYY-Www, YYYY-MM-Dn or YYYY-MM-DD"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", f'not a period: "" ({SHAPE})'),
        ("23-03", f'not a period: "23-03" ({SHAPE})'),
        ("2023-", f'not a period: "2023-" ({SHAPE})'),
        ("2023-003", f'not a period: "2023-003" ({SHAPE})'),
        ("2023Q1", f'not a period: "2023Q1" ({SHAPE})'),
        ("2023-Q10", f'not a period: "2023-Q10" ({SHAPE})'),
        ("2023-W5a", f'not a period: "2023-W5a" ({SHAPE})'),
        ("2023-03-D12", f'not a period: "2023-03-D12" ({SHAPE})'),
        ("2023-03-15T00:00", f'not a period: "2023-03-15T00:00" ({SHAPE})'),
        ("20230315", f'not a period: "20230315" ({SHAPE})'),
        ("Q1-2023", f'not a period: "Q1-2023" ({SHAPE})'),
        ("٢٠٢٣", f'not a period: "٢٠٢٣" ({SHAPE})'),
        ("2023\n", 'not a period: "2023\\n" (did you mean "2023"?)'),
        ("a\nb", f'not a period: "a\\nb" ({SHAPE})'),
        ("2023-1", 'not a period: "2023-1" (did you mean "2023-01"?)'),
        ("2023-3-5", 'not a period: "2023-3-5" (did you mean "2023-03-05"?)'),
        ("2023/03", 'not a period: "2023/03" (did you mean "2023-03"?)'),
        ("2023.03", 'not a period: "2023.03" (did you mean "2023-03"?)'),
        (" 2023", 'not a period: " 2023" (did you mean "2023"?)'),
        ("2023-03 ", 'not a period: "2023-03 " (did you mean "2023-03"?)'),
        ("2023-w05", 'not a period: "2023-w05" (did you mean "2023-W05"?)'),
        ("2023-W5", 'not a period: "2023-W5" (did you mean "2023-W05"?)'),
        ("2023-q1", 'not a period: "2023-q1" (did you mean "2023-Q1"?)'),
        ("2023-03-d2", 'not a period: "2023-03-d2" (did you mean "2023-03-D2"?)'),
        ("２０２３－０３", 'not a period: "２０２３－０３" (did you mean "2023-03"?)'),
        ("2023\u300003", f'not a period: "2023\\u300003" ({SHAPE})'),
        # A tidied text that is itself invalid earns no suggestion.
        ("2023-13 ", f'not a period: "2023-13 " ({SHAPE})'),
        ("2023-w53", f'not a period: "2023-w53" ({SHAPE})'),
    ],
)
def test_malformed_text_is_refused_with_the_expected_forms_or_a_suggestion(
    text: str, message: str
) -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period(text)
    assert str(raised.value) == message


def test_long_input_is_shortened_in_the_message() -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period("x" * 500)
    assert str(raised.value) == f'not a period: "{"x" * 40}..." ({SHAPE})'


def test_text_that_is_not_a_string_is_refused() -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period(2023)  # type: ignore[arg-type]
    assert str(raised.value) == 'not a period: 2023 (expected text such as "2023-03", got int)'


@given(st.text(max_size=20))
def test_any_text_parses_or_raises_a_one_line_period_error(text: str) -> None:
    try:
        period = parse_period(text)
    except PeriodError as error:
        assert len(str(error).splitlines()) == 1
    else:
        assert period.text == text


def test_parse_returns_equal_hashable_values_for_equal_texts() -> None:
    first = parse_period("2023-03-D2")
    second = parse_period("2023-03-D2")
    assert first == second
    assert len({first, second, parse_period("2023-03-D3")}) == 2


def test_periods_are_immutable() -> None:
    period = parse_period("2023-03")
    with pytest.raises(AttributeError):
        period.text = "2023-04"  # type: ignore[misc]


def test_repeated_errors_are_raised_afresh_each_time() -> None:
    for _ in range(3):
        with pytest.raises(PeriodError, match="month must be 01–12"):
            parse_period("2023-13")


# --- period_of and the round trip ------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "day", "text"),
    [
        (YEAR, date(2023, 7, 4), "2023"),
        (QUARTER, date(2023, 7, 4), "2023-Q3"),
        (QUARTER, date(2023, 12, 31), "2023-Q4"),
        (MONTH, date(2023, 7, 4), "2023-07"),
        (DEKAD, date(2023, 7, 10), "2023-07-D1"),
        (DEKAD, date(2023, 7, 11), "2023-07-D2"),
        (DEKAD, date(2023, 7, 20), "2023-07-D2"),
        (DEKAD, date(2023, 7, 21), "2023-07-D3"),
        (DEKAD, date(2023, 7, 31), "2023-07-D3"),
        (WEEK, date(2023, 1, 1), "2022-W52"),
        (WEEK, date(2023, 1, 2), "2023-W01"),
        (WEEK, date(2021, 1, 3), "2020-W53"),
        (WEEK, date(2024, 12, 30), "2025-W01"),
        (DAY, date(2023, 7, 4), "2023-07-04"),
    ],
)
def test_period_of_finds_the_containing_period(kind: PeriodKind, day: date, text: str) -> None:
    assert period_of(kind, day) == parse_period(text)


def test_period_of_accepts_a_datetime_as_its_day() -> None:
    period = period_of(DAY, datetime(2023, 3, 5, 18, 30))
    assert period == parse_period("2023-03-05")
    assert type(period.start) is date
    assert parse_period("2023-03").contains(datetime(2023, 3, 31, 23, 59))


def test_period_of_accepts_the_cadence_name() -> None:
    assert period_of(PeriodKind("month"), date(2023, 3, 5)).text == "2023-03"


@pytest.mark.parametrize(
    ("kind", "day", "message"),
    [
        (
            MONTH,
            date(1899, 12, 31),
            "no month period for 1899-12-31: year 1899 is outside 1900–2999",
        ),
        (DAY, date(3000, 1, 1), "no day period for 3000-01-01: year 3000 is outside 1900–2999"),
        (
            WEEK,
            date(2999, 12, 31),
            "no week period for 2999-12-31: ISO year 3000 is outside 1900–2999",
        ),
    ],
)
def test_period_of_refuses_days_outside_the_supported_years(
    kind: PeriodKind, day: date, message: str
) -> None:
    with pytest.raises(PeriodError) as raised:
        period_of(kind, day)
    assert str(raised.value) == message


@given(supported_days, kinds)
def test_round_trip_through_text(day: date, kind: PeriodKind) -> None:
    period = period_of(kind, day)
    assert parse_period(str(period)) == period
    assert period.contains(day)
    assert period.start <= day <= period.end
    assert period_of(kind, period.start) == period
    assert period_of(kind, period.end) == period


@given(supported_days)
def test_a_week_runs_monday_to_sunday(day: date) -> None:
    week = period_of(WEEK, day)
    assert week.start.isoweekday() == 1
    assert week.end - week.start == timedelta(days=6)
    assert week.text == f"{day.isocalendar().year:04d}-W{day.isocalendar().week:02d}"


@given(supported_days)
def test_dekads_tile_their_month(day: date) -> None:
    month = period_of(MONTH, day)
    dekads = [parse_period(f"{month.text}-D{number}") for number in (1, 2, 3)]
    assert dekads[0].start == month.start
    assert dekads[2].end == month.end
    assert dekads[0].next() == dekads[1]
    assert dekads[1].next() == dekads[2]
    assert sum(1 for dekad in dekads if dekad.contains(day)) == 1


# --- year -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2023", 2023),
        ("2023-Q4", 2023),
        ("2023-12", 2023),
        ("2023-12-D3", 2023),
        ("2023-12-31", 2023),
        ("2020-W53", 2020),
        ("2022-W52", 2022),
        ("2025-W01", 2025),
    ],
)
def test_year_is_the_iso_year_for_weeks_and_the_calendar_year_otherwise(
    text: str, year: int
) -> None:
    assert parse_period(text).year == year


def test_the_year_period_covers_the_calendar_year() -> None:
    assert parse_period("2024").start == date(2024, 1, 1)
    assert parse_period("2024").end == date(2024, 12, 31)


@pytest.mark.parametrize("year", [1899, 3000])
def test_year_functions_refuse_unsupported_years(year: int) -> None:
    message = f"year {year} is outside 1900–2999"
    with pytest.raises(PeriodError, match=message):
        days_in_year(year)
    with pytest.raises(PeriodError, match=message):
        share_of_year_elapsed(year, date(2023, 1, 1))
    with pytest.raises(PeriodError, match=message):
        periods_in_year(MONTH, year)


# --- next and previous ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "following"),
    [
        ("2023", "2024"),
        ("2023-Q4", "2024-Q1"),
        ("2023-Q1", "2023-Q2"),
        ("2023-12", "2024-01"),
        ("2023-01", "2023-02"),
        ("2023-12-D3", "2024-01-D1"),
        ("2023-02-D3", "2023-03-D1"),
        ("2023-03-D1", "2023-03-D2"),
        ("2020-W53", "2021-W01"),
        ("2023-W52", "2024-W01"),
        ("2023-W05", "2023-W06"),
        ("2023-12-31", "2024-01-01"),
        ("2024-02-28", "2024-02-29"),
    ],
)
def test_next_and_previous_are_adjacent(text: str, following: str) -> None:
    period = parse_period(text)
    assert period.next() == parse_period(following)
    assert parse_period(following).previous() == period
    assert period.next().start == period.end + timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "step"),
    [("2999", "next"), ("2999-12-31", "next"), ("1900-Q1", "previous"), ("1900-W01", "previous")],
)
def test_stepping_past_the_supported_years_raises(text: str, step: str) -> None:
    period = parse_period(text)
    with pytest.raises(PeriodError, match="is outside 1900–2999"):
        period.next() if step == "next" else period.previous()


@given(supported_days, kinds)
def test_previous_undoes_next(day: date, kind: PeriodKind) -> None:
    period = period_of(kind, day)
    if period.end < date(2999, 12, 20):
        assert period.next().previous() == period
        assert period.next().kind is kind


# --- ordering ---------------------------------------------------------------------------------


def test_a_mixed_list_sorts_by_end_then_start() -> None:
    texts = [
        "2023",
        "2023-W13",
        "2023-03-31",
        "2023-Q1",
        "2023-03-D3",
        "2023-03",
        "2023-01",
        "2022-12-D3",
        "2023-01-D1",
    ]
    ordered = [str(period) for period in sorted(parse_period(text) for text in texts)]
    assert ordered == [
        "2022-12-D3",
        "2023-01-D1",
        "2023-01",
        "2023-Q1",
        "2023-03",
        "2023-03-D3",
        "2023-03-31",
        "2023-W13",
        "2023",
    ]


def test_comparison_operators_agree() -> None:
    march, april = parse_period("2023-03"), parse_period("2023-04")
    assert march < april
    assert march <= april
    assert april > march
    assert april >= march
    assert march <= parse_period("2023-03")
    assert march >= parse_period("2023-03")
    assert not march < parse_period("2023-03")


def test_comparing_with_something_else_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        _ = parse_period("2023") < "2024"


@given(st.lists(st.tuples(supported_days, kinds), max_size=30))
def test_sorted_periods_run_by_end_day(pairs: list[tuple[date, PeriodKind]]) -> None:
    periods = sorted(period_of(kind, day) for day, kind in pairs)
    ends = [period.end for period in periods]
    assert ends == sorted(ends)


# --- shares of the year -----------------------------------------------------------------------


def test_days_in_year_counts_leap_days() -> None:
    assert days_in_year(2023) == 365
    assert days_in_year(2024) == 366
    assert days_in_year(1900) == 365
    assert days_in_year(2000) == 366


@pytest.mark.parametrize(
    ("year", "through", "share"),
    [
        (2024, date(2024, 5, 31), Fraction(152, 366)),
        (2023, date(2023, 5, 31), Fraction(151, 365)),
        (2023, date(2023, 12, 31), Fraction(1)),
        (2024, date(2024, 12, 31), Fraction(1)),
        (2023, date(2023, 1, 1), Fraction(1, 365)),
        (2024, date(2024, 2, 29), Fraction(60, 366)),
        (2023, date(2022, 12, 31), Fraction(0)),
        (2023, date(1900, 1, 1), Fraction(0)),
        (2023, date(2024, 1, 1), Fraction(1)),
        (2023, date(2999, 12, 31), Fraction(1)),
    ],
)
def test_share_of_year_elapsed_counts_days_and_clamps(
    year: int, through: date, share: Fraction
) -> None:
    result = share_of_year_elapsed(year, through)
    assert isinstance(result, Fraction)
    assert result == share


def test_share_of_year_elapsed_ignores_the_time_of_a_datetime() -> None:
    assert share_of_year_elapsed(2023, datetime(2023, 1, 1, 23, 0)) == Fraction(1, 365)


@pytest.mark.parametrize(
    ("text", "year", "share"),
    [
        ("2023-Q1", 2023, Fraction(90, 365)),
        ("2024-Q1", 2024, Fraction(91, 366)),
        ("2023-05", 2023, Fraction(151, 365)),
        ("2023", 2023, Fraction(1)),
        ("2023-01-D1", 2023, Fraction(10, 365)),
        ("2020-W53", 2020, Fraction(1)),
        ("2020-W53", 2021, Fraction(3, 365)),
        ("2023-Q4", 2024, Fraction(0)),
    ],
)
def test_period_share_of_year_is_the_share_elapsed_at_its_end(
    text: str, year: int, share: Fraction
) -> None:
    assert share_of_year_elapsed(year, parse_period(text).end) == share


@given(st.integers(min_value=1900, max_value=2999), supported_days)
def test_share_is_between_zero_and_one(year: int, through: date) -> None:
    assert 0 <= share_of_year_elapsed(year, through) <= 1


# --- cadence ----------------------------------------------------------------------------------

FITS = {
    (YEAR, YEAR),
    (YEAR, HALF),
    (HALF, HALF),
    (HALF, QUARTER),
    (HALF, MONTH),
    (YEAR, QUARTER),
    (YEAR, MONTH),
    (YEAR, DEKAD),
    (YEAR, WEEK),
    (YEAR, DAY),
    (QUARTER, QUARTER),
    (QUARTER, MONTH),
    (MONTH, MONTH),
    (DEKAD, DEKAD),
    (WEEK, WEEK),
    (DAY, DAY),
}
SAMPLE_OF_KIND = {
    YEAR: "2023",
    HALF: "2023-H1",
    QUARTER: "2023-Q2",
    MONTH: "2023-06",
    DEKAD: "2023-06-D3",
    WEEK: "2023-W26",
    DAY: "2023-06-30",
}


@pytest.mark.parametrize("period_kind", list(PeriodKind))
@pytest.mark.parametrize("cadence", list(PeriodKind))
def test_fits_cadence_truth_table(period_kind: PeriodKind, cadence: PeriodKind) -> None:
    period = parse_period(SAMPLE_OF_KIND[period_kind])
    assert fits_cadence(period, cadence) is ((period_kind, cadence) in FITS)


# --- periods in a year ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "year", "count"),
    [
        (YEAR, 2023, 1),
        (QUARTER, 2023, 4),
        (MONTH, 2023, 12),
        (DEKAD, 2023, 36),
        (WEEK, 2023, 52),
        (WEEK, 2020, 53),
        (WEEK, 2026, 53),
        (DAY, 2023, 365),
        (DAY, 2024, 366),
    ],
)
def test_periods_in_year_counts(kind: PeriodKind, year: int, count: int) -> None:
    periods = periods_in_year(kind, year)
    assert len(periods) == count
    assert all(period.kind is kind and period.year == year for period in periods)
    assert periods == sorted(periods)
    assert all(later == earlier.next() for earlier, later in pairwise(periods))


def test_periods_in_year_ends_run_to_the_year_end() -> None:
    assert [str(period) for period in periods_in_year(QUARTER, 2023)] == [
        "2023-Q1",
        "2023-Q2",
        "2023-Q3",
        "2023-Q4",
    ]
    assert periods_in_year(DEKAD, 2024)[5] == parse_period("2024-02-D3")
    assert periods_in_year(DAY, 2024)[-1].end == date(2024, 12, 31)
    assert periods_in_year(YEAR, 2023) == [parse_period("2023")]


def test_weeks_in_year_are_those_of_the_iso_year() -> None:
    weeks_2023 = periods_in_year(WEEK, 2023)
    assert weeks_2023[0].text == "2023-W01"
    assert weeks_2023[-1].text == "2023-W52"
    weeks_2020 = periods_in_year(WEEK, 2020)
    assert weeks_2020[0].start == date(2019, 12, 30)
    assert weeks_2020[-1] == parse_period("2020-W53")


def test_periods_in_year_returns_a_fresh_list() -> None:
    months = periods_in_year(MONTH, 2023)
    months.clear()
    assert len(periods_in_year(MONTH, 2023)) == 12


def test_half_years_are_january_to_june_and_july_to_december() -> None:
    first, second = parse_period("2023-H1"), parse_period("2023-H2")
    assert (first.start, first.end) == (date(2023, 1, 1), date(2023, 6, 30))
    assert (second.start, second.end) == (date(2023, 7, 1), date(2023, 12, 31))
    assert period_of(HALF, date(2023, 7, 1)) == second
    assert [str(p) for p in periods_in_year(HALF, 2023)] == ["2023-H1", "2023-H2"]
    # H1 ends with Q2 and June: a cumulative H1 figure is the same as Q2's.
    assert first.end == parse_period("2023-Q2").end == parse_period("2023-06").end
    with pytest.raises(PeriodError, match="half must be H1 or H2"):
        parse_period("2023-H3")
