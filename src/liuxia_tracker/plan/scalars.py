"""How a plain YAML scalar is read, the same in every field of every data file.

Guarantees: `true`/`false` are booleans and `yes`/`no`/`on`/`off` stay text; decimal integers
and floats are numbers; literals that YAML readers disagree on (`012`, `0x1f`, `1_000`,
`12:30`, `1e3`, `.inf`) and numbers a float cannot hold exactly are refused with the reason;
dates and timestamps stay text for the field to read.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from liuxia_tracker.diagnostics import Diagnostic
from liuxia_tracker.plan.text import MAX_EXACT_INTEGER, Location

if TYPE_CHECKING:
    import yaml


_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


_TRUE = frozenset(("true", "True", "TRUE"))


_FALSE = frozenset(("false", "False", "FALSE"))


_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")


_DECIMAL_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


# What YAML 1.1 (PyYAML) reads as a number, and what YAML 1.2 does: a plain scalar matching
# either that is not a plain decimal number above is read differently by different tools.
_YAML11_INT = re.compile(
    r"[-+]?(?:0b[0-1_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)"
)


_YAML11_FLOAT = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)


_YAML12_NUMBER = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)


def _sexagesimal(text: str) -> str:
    sign = -1 if text.startswith("-") else 1
    total = 0.0
    for part in text.lstrip("+-").replace("_", "").split(":"):
        total = total * 60 + float(part)
    value = sign * total
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _plain_float(text: str) -> str:
    """A float in the form every YAML reader takes for a number: 1000, or 1.5e-07."""
    value = float(text)
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    shown = repr(value)
    mantissa, _, exponent = shown.partition("e")
    if exponent and "." not in mantissa:
        shown = f"{mantissa}.0e{exponent}"
    return shown


def _why_ambiguous(text: str) -> str:
    """Why a plain scalar that some YAML reader takes for a number is refused, and the fix."""
    shown = shorten(text)
    lowered = text.lower()
    sign = text[0] if text[0] in "+-" else ""
    digits = lowered.removeprefix(sign).replace("_", "")
    if "inf" in lowered or "nan" in lowered:
        return f"{shown} is not a finite number (quote it if it is text)"
    if ":" in text:
        return (
            f"{shown} is the base-60 number {_sexagesimal(text)} to YAML 1.1 readers "
            "(quote it if it is text)"
        )
    radix = {"0x": (16, "a hexadecimal"), "0o": (8, "an octal"), "0b": (2, "a binary")}.get(
        digits[:2]
    )
    if radix is not None and len(digits) > 2:
        base, name = radix
        number = int(digits[2:], base) * (-1 if sign == "-" else 1)
        return f"{shown} is {name} literal; write the decimal number {number}"
    if "_" in text:
        return f"{shown} has '_' digit separators; write the digits alone"
    if "e" in lowered:
        return (
            f"{shown} is a number to YAML 1.2 readers but text to YAML 1.1 readers; "
            f"write {_plain_float(text)}, or quote it if it is text"
        )
    plain = shorten(sign + (digits.lstrip("0") or "0"))
    if re.fullmatch(r"0[0-7]+", digits) and len(digits) < 40:
        return (
            f"{shown} has a leading zero, so YAML 1.1 readers take it as the octal number "
            f"{sign}{int(digits, 8)}; write {plain}, or quote it if it is text"
        )
    return f"{shown} has a leading zero; write {plain}, or quote it if it is text"


def _overflows(text: str) -> bool:
    try:
        return math.isinf(float(text))
    except ValueError:
        return False


def shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Refused(NamedTuple):
    """Why a plain scalar is refused: a diagnostic's code and message."""

    code: str
    message: str


def _number(text: str) -> int | float | tuple[str, str] | None:
    """The number a plain scalar spells by this module's rules, `None` if it spells none, or
    why it is refused: (code, message)."""
    if _DECIMAL_INT.fullmatch(text):
        # Compare lengths first: int() of thousands of digits is slow, or refused outright.
        if len(text.lstrip("+-")) > 20 or abs(int(text)) > MAX_EXACT_INTEGER:
            return (
                "number-range",
                f"{shorten(text)} is too large to hold exactly (the limit is 2**53)",
            )
        return int(text)
    if _DECIMAL_FLOAT.fullmatch(text) and (
        "e" not in text.lower() or _YAML11_FLOAT.fullmatch(text)
    ):
        value = float(text)
        if not math.isfinite(value):
            return ("number-range", f"{shorten(text)} is too large for a number")
        return value
    if (
        _YAML11_INT.fullmatch(text)
        or _YAML11_FLOAT.fullmatch(text)
        or _YAML12_NUMBER.fullmatch(text)
    ):
        if "e" in text.lower() and _overflows(text):
            return ("number-range", f"{shorten(text)} is too large for a number")
        return ("ambiguous-number", _why_ambiguous(text))
    return None


# The words that are not text, each with its value: one look-up for the commonest cases.
_WORDS: dict[str, Any] = {
    **dict.fromkeys(_NULLS),
    **dict.fromkeys(_TRUE, True),
    **dict.fromkeys(_FALSE, False),
}


_NOT_A_WORD = object()  # a plain scalar that is none of `_WORDS`


def plain_value(text: str) -> Any:
    """The value of a plain (unquoted) scalar by this module's rules, or a `Refused`."""
    word = _WORDS.get(text, _NOT_A_WORD)
    if word is not _NOT_A_WORD:
        return word
    if text[0] not in "+-.0123456789":  # not like a number: text (yes, no, on, off too)
        return text
    number = _number(text)
    if number is None:
        return text
    return Refused(*number) if type(number) is tuple else number


def read_scalar(
    event: yaml.ScalarEvent, display: str, location: Location
) -> tuple[Any, Diagnostic | None]:
    """Resolve one scalar by this module's rules (see the module docstring)."""
    text: str = event.value
    if not event.implicit[0]:  # quoted or block scalars are text
        return text, None
    value = plain_value(text)
    if type(value) is Refused:
        return text, Diagnostic(display, *location, value.code, value.message)
    return value, None
