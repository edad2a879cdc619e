"""The variance engine's faster arithmetic gives exactly the numbers of the plain `Fraction`
way: the day a goal is reached found in integers (`engine.decimals`, tests/test_decimals.py) or
never-rounding `Decimal`s, and pace profiles prepared once per year (the reference
implementations below are the engine's earlier ones)."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from liuxia_tracker.domain.models import Pace
from liuxia_tracker.domain.periods import (
    PeriodKind,
    periods_in_year,
)
from liuxia_tracker.engine.forecast import reached_on
from liuxia_tracker.engine.pace import due_share, exact, first_day_due
from liuxia_tracker.engine.series import Point
from reference_engine import reference_due_share, reference_first_day

finite = st.floats(allow_nan=False, allow_infinity=False)
plain = st.one_of(
    finite,
    st.integers(-(10**6), 10**6).map(lambda cents: cents / 100),
    st.sampled_from([0.1, 0.2, 0.3, -0.0, 5e-324, 1.7976931348623157e308, 1e-7, 1e16]),
)


@st.composite
def paces(draw: st.DrawFn) -> Pace:
    kind = draw(st.sampled_from(["linear", "month", "quarter"]))
    if kind == "linear":
        return Pace.model_validate("linear")
    count = 12 if kind == "month" else 4
    parts = draw(st.lists(st.integers(0, 5), min_size=count, max_size=count))
    if not any(parts):
        parts[-1] = 1
    weights = [part / sum(parts) for part in parts]
    weights[-1] = max(0.0, 1 - sum(weights[:-1]))  # a sum within 1e-9 of 1, as asked
    return Pace.model_validate({kind: weights})


@settings(max_examples=150, deadline=None)
@given(paces(), st.sampled_from([2023, 2024]), st.integers(-3, 368))
def test_due_share_is_the_reference(pace: Pace, year: int, offset: int) -> None:
    through = date(year, 1, 1) + timedelta(days=offset)
    assert due_share(pace, year, through) == reference_due_share(pace, year, through)


@settings(max_examples=300, deadline=None)
@given(paces(), st.sampled_from([2023, 2024]), st.data())
def test_first_day_due_is_the_reference(pace: Pace, year: int, data: st.DataObject) -> None:
    # Any share, and exactly the share due on some day (where a day's share is first reached).
    first = date(year, 1, 1)
    share = data.draw(
        st.one_of(
            st.fractions(Fraction(-1, 10), Fraction(11, 10)),
            st.integers(0, 365).map(
                lambda offset: reference_due_share(pace, year, first + timedelta(days=offset))
            ),
        )
    )
    assert first_day_due(pace, year, share) == reference_first_day(pace, year, share)


def reference_reached_on(points: list[Point], goal: Fraction, increments: bool) -> date | None:
    running = Fraction(0)
    for point in points:
        value = exact(point.value)
        running = running + value if increments else value
        if running >= goal:
            return min(point.period.end, date(2023, 12, 31))
    return None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(plain, max_size=12),
    st.one_of(plain.map(exact), st.fractions(-100, 100)),
    st.booleans(),
)
def test_the_day_a_goal_is_reached_is_the_reference(
    values: list[float], goal: Fraction, increments: bool
) -> None:
    months = periods_in_year(PeriodKind.MONTH, 2023)
    points = [Point(months[index], value, index + 1, None) for index, value in enumerate(values)]  # type: ignore[arg-type]
    context = SimpleNamespace(
        target=SimpleNamespace(reported_as="increment" if increments else "cumulative"),
        year_end=date(2023, 12, 31),
    )
    assert reached_on(context, points, goal) == reference_reached_on(  # type: ignore[arg-type]
        points, goal, increments
    )
