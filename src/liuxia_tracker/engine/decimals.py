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
from itertools import compress, repeat
from operator import and_, eq, le, mul, not_, truediv

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
    numerators, exact = _scaled(values, 2)
    if exact is None:
        return Written(Fraction(sum(numerators), 100), numerators, 2)
    total = Fraction(sum(compress(numerators, exact)), 100)
    rest = list(compress(values, map(not_, exact)))
    numerators, exact = _scaled(rest, 6)
    if exact is None:
        return Written(total + Fraction(sum(numerators), 10**6), None, 0)
    total += Fraction(sum(compress(numerators, exact)), 10**6)
    with localcontext(EXACT_DECIMALS):
        others = map(Decimal, map(repr, map(float, compress(rest, map(not_, exact)))))
        total += Fraction(sum(others, Decimal(0)))
    return Written(total, None, 0)


def _scaled(values: list[float], places: int) -> tuple[list[int], list[bool] | None]:
    """Each value times 10**places, rounded to an integer `n`, and which of them are shown to
    be the value as written (None: all of them)."""
    scale = 10.0**places
    try:
        numerators = list(map(round, map(mul, values, repeat(scale))))
    except (ValueError, OverflowError):  # not a number, or infinite: none is shown
        return [], [False] * len(values)
    back = list(map(truediv, numerators, repeat(scale)))
    small = not numerators or (max(numerators) <= _LIMIT and min(numerators) >= -_LIMIT)
    if small and back == values:
        return numerators, None
    exact = list(map(eq, back, values))
    if not small:
        exact = list(map(and_, exact, map(le, map(abs, numerators), repeat(_LIMIT))))
    return numerators, exact
