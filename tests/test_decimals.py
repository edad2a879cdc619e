"""Figures as written, in integers (`engine.decimals`): the total is the sum of the decimals the
figures are written as (`Fraction(repr(x))`, `engine.pace.exact`), and the integers, when
given, are each figure exactly: for cents, figures converted between units (0.07 × 1 万 is
700.0000000000001 as a float, and is written so), figures with up to 15 significant digits on
either side of the limit, large and tiny numbers, integers and negative zero."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from liuxia_tracker.engine.decimals import written_exactly
from liuxia_tracker.engine.pace import exact

finite = st.floats(allow_nan=False, allow_infinity=False)
cents = st.integers(-(10**9), 10**9).map(lambda count: count / 100)
converted = st.tuples(cents, st.sampled_from([1e4, 1e-4, 1e8, 1e-8, 0.1, 3.0])).map(
    lambda pair: pair[0] * pair[1]
)
near_the_limit = st.tuples(
    st.integers(-(10**15), 10**15), st.sampled_from([1, 100, 10**6, 10**7])
).map(lambda pair: pair[0] / pair[1])
figures = st.one_of(
    finite,
    cents,
    converted,
    near_the_limit,
    st.integers(-(10**17), 10**17),
    st.sampled_from([0.1, 0.2, 0.3, -0.0, 5e-324, 1.7976931348623157e308, 1e-7, 1e16, 0.125]),
)


def as_written(values: list[float]) -> list[Fraction]:
    return [exact(value) for value in values]


@settings(max_examples=800, deadline=None)
@given(st.lists(figures, max_size=50))
def test_the_total_is_the_sum_of_the_figures_as_written(values: list[float]) -> None:
    written = written_exactly(values)
    assert written.total == sum(as_written(values), Fraction(0))
    if written.numerators is not None:
        scale = 10**written.places
        assert [Fraction(n, scale) for n in written.numerators] == as_written(values)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(cents, near_the_limit), max_size=50))
def test_figures_of_few_places_are_integers(values: list[float]) -> None:
    written = written_exactly(values)
    assert written.total == sum(as_written(values), Fraction(0))
    if written.numerators is not None:
        scale = 10**written.places
        assert [Fraction(n, scale) for n in written.numerators] == as_written(values)


def test_how_figures_are_written() -> None:
    cases = [
        ([0.1, 0.2], [10, 20], 2, Fraction(3, 10)),
        ([3, 4.5, -0.0], [300, 450, 0], 2, Fraction(15, 2)),
        ([0.125, 0.5], None, 0, Fraction(5, 8)),  # more than two places: added as decimals
        ([0.07 * 1e4, 1.5], None, 0, Fraction("701.5000000000001")),
        ([0.030000000000000002], None, 0, Fraction("0.030000000000000002")),
        ([1e16, 2.0], None, 0, Fraction(10**16 + 2)),
        ([], [], 2, Fraction(0)),
    ]
    for values, numerators, places, total in cases:
        written = written_exactly(values)  # type: ignore[arg-type]
        assert (written.numerators, written.places, written.total) == (
            numerators,
            places if numerators is not None else 0,
            total,
        ), values
