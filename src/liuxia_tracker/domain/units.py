"""Units, the 万/亿 factors, and the number shorthands a data file may use.

Guarantees: a unit text parses into a base unit and a power-of-ten factor (`亿元` is 1e8 `元`,
`万平方米` is 1e4 `平方米`); `%` and `百分点` are distinct bases that never convert into each
other; conversion happens only between units of the same base. A number written as text is
accepted only in the documented shorthand `<number><unit>` ("6%", "15亿", "80万平方米").
A count unit (`COUNT_UNITS`: 个, 项, 栋, …) counts whole things, judged in its base unit, so
1.5万个 (15,000) is whole and 0.5个 is not.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

PERCENT = "%"
PERCENTAGE_POINT = "百分点"
# Base units (after any 万/亿 prefix) that count whole things: buildings, projects, firms….
COUNT_UNITS = frozenset("个项栋座家件套处所户人次台条宗块")

# Longest prefix first, so 万亿 is not read as 万 + 亿….
_PREFIXES: tuple[tuple[str, float], ...] = (
    ("万亿", 1e12),
    ("千亿", 1e11),
    ("百亿", 1e10),
    ("千万", 1e7),
    ("百万", 1e6),
    ("十万", 1e5),
    ("亿", 1e8),
    ("万", 1e4),
    ("千", 1e3),
)
# Spellings of the same base unit; the key is how a plan may write it, the value the base.
_ALIASES = {
    "㎡": "平方米",
    "m2": "平方米",
    "m²": "平方米",
    "pp": PERCENTAGE_POINT,
    "个百分点": PERCENTAGE_POINT,
    "CNY": "元",
    "yuan": "元",
}
_SHORTHAND = re.compile(r"([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)", re.DOTALL)
# Inside a unit name, after its first letter, these may appear too (元/吨, m³).
_UNIT_SYMBOLS = frozenset("/²³·")


class UnitError(ValueError):
    """A unit or shorthand that cannot be read; the message is one user-facing line."""


@dataclass(frozen=True, slots=True)
class Unit:
    text: str
    base: str
    factor: float

    def __str__(self) -> str:
        return self.text


@lru_cache(maxsize=1024)
def parse_unit(text: str) -> Unit:
    """Read a unit text such as `亿元`, `万平方米`, `%`, `栋`, or a bare factor `亿`.

    A unit is `%`, `百分点`, one of the spellings in `_ALIASES`, or a name made of letters
    (any script) with an optional 万/亿-style prefix; anything else raises `UnitError`.
    """
    if not isinstance(text, str) or not text or text.strip() != text:
        raise UnitError(f"not a unit: {text!r}")
    if text in (PERCENT, "％"):
        return Unit(text, PERCENT, 1.0)
    base = _ALIASES.get(text, text)
    if base == PERCENTAGE_POINT:
        return Unit(text, PERCENTAGE_POINT, 1.0)
    factor = 1.0
    for prefix, prefix_factor in _PREFIXES:
        if base.startswith(prefix):
            base, factor = _ALIASES.get(base[len(prefix) :], base[len(prefix) :]), prefix_factor
            break
    if base in (PERCENT, "％", PERCENTAGE_POINT) or not _is_unit_name(base):
        raise UnitError(
            f"not a unit: {text!r} (a unit is %, 百分点, or a name such as 个, 亿元, 万平方米)"
        )
    return Unit(text, base, factor)


def _is_unit_name(base: str) -> bool:
    """An empty base (a bare factor such as 亿), a known spelling, or letters."""
    if base == "" or base in _ALIASES.values():
        return True
    return base[0].isalpha() and all(c.isalpha() or c in _UNIT_SYMBOLS for c in base[1:])


def is_count(unit: Unit) -> bool:
    """Whether the unit counts whole things (its base is one of `COUNT_UNITS`)."""
    return unit.base in COUNT_UNITS


_ZEROS = {factor: len(str(int(factor))) - 1 for _, factor in _PREFIXES}


def amount_in_base(value: float, unit: Unit) -> Decimal:
    """`value` in `unit` as an exact decimal amount of the base unit: 1.00005 万个 is 10000.5
    个 (the number as written times the power of ten, with no binary rounding)."""
    amount = Decimal(repr(float(value)))
    return amount if unit.factor == 1.0 else amount * Decimal(repr(unit.factor))


def whole_in_base(value: float, unit: Unit) -> bool:
    """Whether `value` in `unit` is a whole number of the base unit: 1.5 万个 is (15,000 个),
    1.00005 万个 is not."""
    if not math.isfinite(value):
        return False
    if value % 1 == 0:  # a whole number times a factor (1, or a power of ten) stays whole
        return True
    if unit.factor == 1.0:
        return False
    # The shortest decimal that reads back as `value` (what was written) has at most as many
    # decimals as the factor has zeros — the same verdict as `amount_in_base`, without it.
    text = repr(float(value))
    if "e" in text or "E" in text:
        return amount_in_base(value, unit) % 1 == 0
    decimals = text.partition(".")[2].rstrip("0")
    return len(decimals) <= _ZEROS.get(unit.factor, -1)


def conversion_factor(source: Unit, target: Unit) -> float:
    """The number to multiply a value in `source` by to express it in `target`.

    A bare factor (`亿`, base "") takes the target's base. Raises UnitError when the bases differ.
    """
    if source.base and source.base != target.base:
        raise UnitError(f"unit {source.text!r} does not convert to {target.text!r}")
    if source.base == "" and target.base in (PERCENT, PERCENTAGE_POINT):
        raise UnitError(f"unit {source.text!r} does not convert to {target.text!r}")
    return source.factor / target.factor


def parse_shorthand(text: str) -> tuple[float, Unit | None]:
    """Read "6%", "15亿", "80万平方米" or "12.5" into a number and its unit (None if bare).

    The number is ASCII digits with an optional sign and decimal point, followed directly by a
    unit (see `parse_unit`); anything else raises `UnitError`.
    """
    match = _SHORTHAND.fullmatch(text) if isinstance(text, str) else None
    unit: Unit | None = None
    if match is not None and match.group(2):
        try:
            unit = parse_unit(match.group(2))
        except UnitError:
            match = None
    if match is None:
        raise UnitError(
            f'not a number: {text!r} (write a number, or a shorthand such as "6%", "15亿")'
        )
    number = float(match.group(1))
    if not math.isfinite(number):
        raise UnitError(f"not a finite number: {text!r}")
    return number, unit


def format_number(value: float) -> int | float:
    """A whole number below 2**53 as an int (written without `.0`), anything else unchanged."""
    if not math.isfinite(value):
        raise ValueError("figures are finite numbers")
    if float(value).is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def number_text(value: float) -> str:
    """The text of a number that JSON and YAML both read back as the same value.

    JSON's `1e+16` and `1e-07` are text to YAML 1.1 readers such as PyYAML, so exponents are
    written out in full; a float keeps a decimal point so it never reads back as an integer.
    """
    number = format_number(value)
    if isinstance(number, int):
        return str(number)
    text = repr(number)
    if "e" in text:
        text = format(Decimal(text), "f")
        if "." not in text:
            text += ".0"
    return text
