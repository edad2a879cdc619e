"""Many figures at once as the decimals they are written as: whole numbers over one power of ten.

Guarantees: pure and exact. `written_exactly(values)` is the exact sum of the decimals the
values are written as (`Fraction(repr(value))` each, `engine.pace.exact`), and, when every
value is an integer `n` over one power of ten 10**p, those integers (for running totals). It
finds `n` for a value in integer arithmetic wherever it can show `n / 10**p` is that decimal
(below), with two places, else six; the other values (more places, or 16 or 17 significant
digits, such as 0.030000000000000002) are read as `Decimal`s and added in a context that never
rounds.

Why the answer is exact: `n / 10.0**p == value` (a correctly rounded division of two floats
that hold `n` and `10**p` exactly, both being below 2**53) says that q = n / 10**p rounds to
`value`. `repr` writes the shortest decimal that rounds to `value` (of several, the nearest),
D. With |n| ≤ 10**14 (15 digits at most), the interval of numbers rounding to `value` is
narrower than 2**-52 × |value| < 10**-p / 40, so it holds one multiple of 10**-p only: if D has
at most p decimal places, D = q. If D had more, it would have no more significant digits than
q and so lie below the power of ten q starts at, 10**L ≤ q, by at least 10**(L-15), more than
the interval's width: so it has not.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Context, Decimal, Inexact, localcontext
from fractions import Fraction
from itertools import repeat
from operator import and_, eq, le, mul, truediv

# Decimal arithmetic that never rounds: any float written out (17 digits, exponents within
# ±324) and any sum of them fit these digits; a result that would not raises `Inexact`.
EXACT_DECIMALS = Context(prec=4000, Emax=100_000, Emin=-100_000, traps=[Inexact])

_LIMIT = 10**14  # |n| at most this: see the module docstring


def decimal_of(value: float) -> Decimal:
    return Decimal(repr(float(value)))


@dataclass(frozen=True, slots=True)
class Written:
    """The exact sum of some figures, and, when each figure i is exactly
    `numerators[i] / 10**places`, those numerators (else None)."""

    total: Fraction
    numerators: list[int] | None
    places: int


def written_exactly(values: list[float]) -> Written:
    """The values' exact sum, and their numerators when they share a power of ten."""
    numerators, others = _scaled(values, 2)
    if not others:
        return Written(Fraction(sum(numerators), 100), numerators, 2)
    total = Fraction(sum(numerators) - sum(numerators[index] for index in others), 100)
    rest = [values[index] for index in others]
    numerators, others = _scaled(rest, 6)
    total += Fraction(sum(numerators) - sum(numerators[index] for index in others), 10**6)
    if others:
        with localcontext(EXACT_DECIMALS):
            decimals = (decimal_of(rest[index]) for index in others)
            total += Fraction(sum(decimals, Decimal(0)))
    return Written(total, None, 0)


def _scaled(values: list[float], places: int) -> tuple[list[int], list[int]]:
    """Each value times 10**places, rounded to an integer `n`, and the positions of the values
    it is not shown to be (see the module docstring)."""
    scale = 10.0**places
    try:
        numerators = list(map(round, map(mul, values, repeat(scale))))
    except (ValueError, OverflowError):  # not a number, or infinite: none is shown
        return [0] * len(values), list(range(len(values)))
    shown = list(map(eq, map(truediv, numerators, repeat(scale)), values))
    if numerators and (max(numerators) > _LIMIT or min(numerators) < -_LIMIT):
        shown = list(map(and_, shown, map(le, map(abs, numerators), repeat(_LIMIT))))
    others: list[int] = []
    start = 0
    try:
        while True:  # the list is scanned once, in C, however many values are not shown
            start = shown.index(False, start) + 1
            others.append(start - 1)
    except ValueError:  # no more
        return numerators, others
