"""Checked YAML values → pydantic models, every validation error at its node's position.

Guarantees: a pydantic error is mapped back to the line and column of the value it is about,
with a sentence that names the field, what was expected and what was found (and the closest
known key for a typo); values are never converted from one YAML type to another.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from liuxia_tracker.diagnostics import Diagnostic
from liuxia_tracker.plan.loading import Parsed, PathKey, parse_yaml
from liuxia_tracker.plan.scalars import shorten
from liuxia_tracker.plan.text import MAX_EXACT_INTEGER, MAX_PLAN_BYTES, read_text

if TYPE_CHECKING:
    pass


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int) and abs(value) > MAX_EXACT_INTEGER:
        return "a number too large to hold exactly"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"text {shorten(value)!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


_EXPECTED = {
    "string_type": "text",
    "float_type": "a number",
    "int_type": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list",
    "model_type": "a mapping",
    "dict_type": "a mapping",
    "model_attributes_type": "a mapping",
    "int_from_float": "a whole number",
}


_BOUNDS = {
    "greater_than_equal": ("at least", "ge"),
    "greater_than": ("more than", "gt"),
    "less_than_equal": ("at most", "le"),
    "less_than": ("less than", "lt"),
}


def _known_fields(model: type[BaseModel], path: tuple[str | int, ...]) -> list[str]:
    """Field names of the model at `path` inside `model`, for "did you mean" hints."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if info is None:
            return []
        current = _model_in(info.annotation)
        if current is None:
            return []
    return list(current.model_fields) if hasattr(current, "model_fields") else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()) or ():
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def validation_diagnostics(
    error: ValidationError,
    parsed: Parsed,
    display: str,
    model: type[BaseModel],
    prefix: PathKey = (),
) -> Iterator[Diagnostic]:
    """Map each pydantic error back to the position of the node that holds the bad value.

    Errors under a node the loader already reported (an ambiguous number, an alias) are left
    out: the loader's diagnostic says what is wrong there.
    """
    for item in error.errors(include_url=False):
        loc = (*prefix, *item["loc"])
        path: list[str | int] = []
        for part in loc:  # keep the parts that are real data paths (drop union-member tags)
            candidate = (*path, part)
            if candidate in parsed.positions or candidate in parsed.key_positions:
                path.append(part)
        data_path = tuple(path)
        if any(data_path[: i + 1] in parsed.reported for i in range(len(data_path) + 1)):
            continue
        yield _diagnostic_for(item, loc, data_path, parsed, display, model, prefix)


def _diagnostic_for(
    item: Any,
    loc: PathKey,
    data_path: PathKey,
    parsed: Parsed,
    display: str,
    model: type[BaseModel],
    prefix: PathKey,
) -> Diagnostic:
    kind = item["type"]
    line, column = parsed.positions.get(data_path, (1, 1))
    if kind == "extra_forbidden" and data_path:
        name = str(data_path[-1])
        line, column = parsed.key_positions.get(data_path, (line, column))
        known = _known_fields(model, data_path[len(prefix) : -1])
        hint = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
        return Diagnostic(
            display, line, column, "unknown-key", f"unknown key {shorten(name)!r}{suggestion}"
        )
    if kind == "missing":
        return Diagnostic(display, line, column, "missing-key", f"missing key {str(loc[-1])!r}")
    if kind == "missing_key":  # raised by a model that needs one of several keys
        return Diagnostic(display, line, column, "missing-key", str(item["msg"]))
    # A field's name prefixes its message; a rule about a whole mapping (a model's own check)
    # speaks for itself.
    value = item.get("input")
    field_name = next((str(p) for p in reversed(data_path) if isinstance(p, str)), "")
    whole_mapping = kind in ("value_error", "assertion_error") and isinstance(
        _value_at(parsed.value, data_path), dict
    )
    lead = "" if whole_mapping or not field_name else f"{field_name}: "
    if loc and loc[-1] == "[key]" and data_path:  # a mapping's key, not its value, is wrong
        line, column = parsed.key_positions.get(data_path, (line, column))
        parent = next((str(p) for p in reversed(data_path[:-1]) if isinstance(p, str)), "")
        return Diagnostic(
            display,
            line,
            column,
            "bad-value",
            f"{parent + ': ' if parent else ''}key {shorten(str(data_path[-1]))!r} is not one "
            f"of {item.get('ctx', {}).get('expected', 'the keys allowed here')}",
        )
    if kind in _EXPECTED:
        message = f"{lead}expected {_EXPECTED[kind]}, got {_describe(value)}"
        if kind == "string_type" and isinstance(value, (int, float, bool)):
            message += " (quote it to make it text)"
        elif kind == "float_type" and isinstance(value, str):
            message += ' (write a number, or a shorthand such as "6%", "15亿")'
        return Diagnostic(display, line, column, "type", message)
    bound = _BOUNDS.get(kind)
    if bound is not None:
        words, key = bound
        limit = item.get("ctx", {}).get(key)
        shown = f"{limit:g}" if isinstance(limit, (int, float)) else str(limit)
        return Diagnostic(
            display, line, column, "bad-value", f"{lead}must be {words} {shown}, not {value!r}"
        )
    if kind == "finite_number":
        return Diagnostic(
            display, line, column, "bad-value", f"{lead}expected a finite number, got {value!r}"
        )
    if kind == "literal_error":
        expected = item.get("ctx", {}).get("expected", "")
        return Diagnostic(
            display, line, column, "bad-value", f"{lead}{_describe(value)} is not one of {expected}"
        )
    message = str(item["msg"])
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    message = message[0].lower() + message[1:] if message else message
    return Diagnostic(display, line, column, "bad-value", f"{lead}{message}")


def _value_at(value: Any, path: PathKey) -> Any:
    for part in path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def validate(
    model: type[BaseModel], parsed: Parsed, display: str
) -> tuple[BaseModel | None, list[Diagnostic]]:
    try:
        return model.model_validate(parsed.value), []
    except ValidationError as error:
        return None, sorted(set(validation_diagnostics(error, parsed, display, model)))


def load_plan(
    path: Path, display: str, *, positions: bool = True
) -> tuple[Any, Parsed | None, list[Diagnostic]]:
    """Read and validate a plan file: (Plan or None, its parsed positions, diagnostics); for
    `positions`, see `load_plan_text`."""
    text, problems = read_text(path, MAX_PLAN_BYTES, display)
    if text is None:
        return None, None, problems
    return load_plan_text(text, display, positions=positions)


def load_plan_text(
    text: str, display: str, *, positions: bool = True
) -> tuple[Any, Parsed | None, list[Diagnostic]]:
    """Parse and validate a plan's text: (Plan or None, its parsed positions, diagnostics).

    `positions=False` is for a caller that needs no position when the plan has no problem (a
    report): the values are read without position tables (`plan.values`), and a plan whose
    values validate is returned with them, its `Parsed` holding no position. A plan with
    anything to report is read again with positions, so its diagnostics and `Parsed` are
    exactly those of `positions=True`.
    """
    from liuxia_tracker.domain.models import Plan

    if not positions:
        from liuxia_tracker.plan.values import read_values

        values = read_values(text)
        if values is not None and isinstance(values.value, dict):
            try:
                return Plan.model_validate(values.value), values, []
            except ValidationError:
                pass  # reported below, each error at its position
        del values
    parsed, problems = parse_yaml(text, display)
    if parsed is None:
        return None, None, problems
    if not isinstance(parsed.value, dict):
        return (
            None,
            parsed,
            [
                *problems,
                Diagnostic(
                    display, 1, 1, "type", "a plan is a mapping with `year` and `districts`"
                ),
            ],
        )
    plan, validation_problems = validate(Plan, parsed, display)
    return plan, parsed, sorted([*problems, *validation_problems])
