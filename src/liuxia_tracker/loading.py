"""Bytes → checked YAML values → models, or diagnostics with positions.

Guarantees: nothing in a data file is executed or expanded. Bytes are decoded strictly as
UTF-8 (a leading BOM is allowed); files over `MAX_PLAN_BYTES` / `MAX_FIGURE_BYTES` are refused
before parsing. The YAML is read as a stream of parser events and built into plain values by
this module, so anchors, aliases, tags, merge keys, several documents, duplicate keys and deep
nesting are each rejected with their own code before anything expands. Plain scalars are read
by our own rules: `true`/`false` are booleans and `yes`/`no`/`on`/`off` stay text; decimal
integers and floats are numbers, while octal-looking, sexagesimal and `.inf`/`.nan` literals
are refused; dates and timestamps stay text for the field to read. Every pydantic error is
mapped back to the line and column of the YAML node that holds the bad value.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from liuxia_tracker.diagnostics import Diagnostic

MAX_PLAN_BYTES = 4 * 1024 * 1024
MAX_FIGURE_BYTES = 1024 * 1024 * 1024
MAX_DEPTH = 24

try:  # One parser everywhere: libyaml when present (it ships in PyYAML's wheels).
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - only on a PyYAML built without libyaml
    _Loader = yaml.SafeLoader

Location = tuple[int, int]
PathKey = tuple[str | int, ...]

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_YAML11_BOOLS = frozenset(
    w for base in ("yes", "no", "on", "off", "y", "n") for w in (base, base.title(), base.upper())
)
_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_DECIMAL_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_YAML11_INT = re.compile(
    r"[-+]?(?:0b[0-1_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)"
)
_YAML11_FLOAT = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)


@dataclass
class Parsed:
    """A parsed YAML value with the position of every node, keyed by its path from the root."""

    value: Any
    positions: dict[PathKey, Location] = field(default_factory=dict)
    key_positions: dict[PathKey, Location] = field(default_factory=dict)
    reported: set[PathKey] = field(default_factory=set)  # paths already diagnosed


def read_text(path: Path, limit: int, display: str) -> tuple[str | None, list[Diagnostic]]:
    """Read a whole file as UTF-8 text, or say why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > limit:
            return None, [
                Diagnostic(
                    display, 1, 1, "too-large", f"file is {size:,} bytes; the limit is {limit:,}"
                )
            ]
        data = path.read_bytes()
    except OSError as error:
        return None, [Diagnostic(display, 1, 1, "unreadable", error.strerror or str(error))]
    return decode(data, display)


def decode(data: bytes, display: str) -> tuple[str | None, list[Diagnostic]]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        return None, [
            Diagnostic(
                display,
                line,
                column,
                "not-utf8",
                f"byte 0x{data[error.start]:02x} is not UTF-8 (save the file as UTF-8)",
            )
        ]
    return text, []


def _line_col(text: str, index: int, line_offset: int) -> Location:
    line = text.count("\n", 0, index) + 1
    return line + line_offset, index - (text.rfind("\n", 0, index) + 1) + 1


def _lint_characters(text: str, display: str, line_offset: int) -> list[Diagnostic]:
    """Tabs in indentation and a BOM after the start: the two places parsers disagree."""
    problems = []
    bom = text.find("\ufeff")
    if bom != -1:
        line, column = _line_col(text, bom, line_offset)
        problems.append(
            Diagnostic(display, line, column, "bom", "a byte-order mark (U+FEFF) inside the file")
        )
    if "\t" in text:
        for number, line_text in enumerate(text.split("\n"), start=1 + line_offset):
            stripped = line_text.lstrip(" \t")
            indent = line_text[: len(line_text) - len(stripped)]
            if "\t" in indent and stripped and not stripped.startswith("#"):
                problems.append(
                    Diagnostic(
                        display,
                        number,
                        indent.index("\t") + 1,
                        "tab-indent",
                        "tab used for indentation; indent with spaces",
                    )
                )
    return problems


def _scalar(
    event: yaml.ScalarEvent, display: str, location: Location
) -> tuple[Any, Diagnostic | None]:
    """Resolve one scalar by this module's rules (see the module docstring)."""
    text: str = event.value
    if not event.implicit[0]:  # quoted or block scalars are text
        return text, None
    if text in _NULLS:
        return None, None
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    if text in _YAML11_BOOLS:
        return text, None
    if _DECIMAL_INT.fullmatch(text):
        return int(text), None
    if _DECIMAL_FLOAT.fullmatch(text) and (
        "e" not in text.lower() or _YAML11_FLOAT.fullmatch(text)
    ):
        return float(text), None
    if _YAML11_INT.fullmatch(text) or _YAML11_FLOAT.fullmatch(text):
        lowered = text.lower()
        if "inf" in lowered or "nan" in lowered:
            why = "is not a finite number"
        elif ":" in text:
            why = "would be read by YAML as a base-60 number"
        elif "_" in text:
            why = "has '_' digit separators; write the digits alone"
        elif lowered.lstrip("+-").startswith(("0x", "0b")):
            why = "is a hexadecimal or binary literal; write the decimal number"
        else:
            why = "has a leading zero and would be read by YAML as octal"
        line, column = location
        return text, Diagnostic(
            display, line, column, "ambiguous-number", f"{text} {why} (quote it if it is text)"
        )
    return text, None


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: PathKey
    key: str | None = None
    key_lines: dict[str, int] = field(default_factory=dict)


def parse_yaml(
    text: str, display: str, line_offset: int = 0
) -> tuple[Parsed | None, list[Diagnostic]]:
    """Parse one YAML document into plain values and positions, or return diagnostics."""
    problems = _lint_characters(text, display, line_offset)
    if problems:
        return None, problems
    parsed = Parsed(None)
    stack: list[_Frame] = []
    documents = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            mark = event.start_mark
            location = (mark.line + 1 + line_offset, mark.column + 1)
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    return None, [
                        Diagnostic(
                            display,
                            *location,
                            "multiple-documents",
                            "a data file holds one YAML document",
                        )
                    ]
                continue
            if isinstance(
                event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)
            ):
                continue
            if isinstance(event, yaml.AliasEvent):
                return None, [
                    Diagnostic(
                        display,
                        *location,
                        "alias",
                        f"alias *{event.anchor} refused: data files use no anchors or aliases",
                    )
                ]
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                finished = stack.pop()
                _attach(
                    stack,
                    parsed,
                    finished.container,
                    finished.path,
                    problems,
                    display,
                    location,
                    is_end=True,
                )
                continue
            node_event: Any = event
            if node_event.anchor is not None:
                return None, [
                    Diagnostic(
                        display,
                        *location,
                        "anchor",
                        f"anchor &{node_event.anchor} refused: data files use no anchors or aliases",
                    )
                ]
            if node_event.tag is not None:
                return None, [
                    Diagnostic(display, *location, "tag", f"explicit tag {node_event.tag} refused")
                ]
            frame = stack[-1] if stack else None
            if frame is not None and isinstance(frame.container, dict) and frame.key is None:
                # This event is a mapping key.
                if not isinstance(event, yaml.ScalarEvent):
                    return None, [
                        Diagnostic(display, *location, "complex-key", "a key must be plain text")
                    ]
                key = event.value
                if key == "<<" and event.implicit[0]:
                    return None, [
                        Diagnostic(display, *location, "merge-key", "merge keys (<<) are refused")
                    ]
                if key in frame.key_lines:
                    problems.append(
                        Diagnostic(
                            display,
                            *location,
                            "duplicate-key",
                            f"key {key!r} repeats the one on line {frame.key_lines[key]}",
                        )
                    )
                frame.key_lines[key] = location[0]
                frame.key = key
                parsed.key_positions[(*frame.path, key)] = location
                continue
            path = _child_path(frame)
            parsed.positions[path] = location
            if isinstance(event, yaml.ScalarEvent):
                value, problem = _scalar(event, display, location)
                if problem is not None:
                    problems.append(problem)
                    parsed.reported.add(path)
                _attach(stack, parsed, value, path, problems, display, location)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    return None, [
                        Diagnostic(
                            display,
                            *location,
                            "too-deep",
                            f"nesting deeper than {MAX_DEPTH} levels",
                        )
                    ]
                container: dict[str, Any] | list[Any] = (
                    {} if isinstance(event, yaml.MappingStartEvent) else []
                )
                stack.append(_Frame(container, path))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (
            (mark.line + 1 + line_offset, mark.column + 1) if mark else (1 + line_offset, 1)
        )
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        return None, [
            *problems,
            Diagnostic(display, line, column, "yaml-syntax", message or "invalid YAML"),
        ]
    except (yaml.YAMLError, RecursionError, MemoryError) as error:
        return None, [
            *problems,
            Diagnostic(
                display,
                1 + line_offset,
                1,
                "yaml-syntax",
                str(error).splitlines()[0] if str(error) else "invalid YAML",
            ),
        ]
    return parsed, problems


def _child_path(frame: _Frame | None) -> PathKey:
    if frame is None:
        return ()
    if isinstance(frame.container, dict):
        assert frame.key is not None
        return (*frame.path, frame.key)
    return (*frame.path, len(frame.container))


def _attach(
    stack: list[_Frame],
    parsed: Parsed,
    value: Any,
    path: PathKey,
    problems: list[Diagnostic],
    display: str,
    location: Location,
    is_end: bool = False,
) -> None:
    if not stack:
        parsed.value = value
        return
    frame = stack[-1]
    if isinstance(frame.container, dict):
        assert frame.key is not None
        frame.container[frame.key] = value
        frame.key = None
    else:
        frame.container.append(value)


# -- pydantic errors → diagnostics ---------------------------------------------------------


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text {shown!r}"
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
    """Map each pydantic error back to the position of the node that holds the bad value."""
    for item in error.errors(include_url=False):
        loc = (*prefix, *item["loc"])
        path: list[str | int] = []
        for part in loc:  # keep the parts that are real data paths (drop union-member tags)
            candidate = (*path, part)
            if candidate in parsed.positions or candidate in parsed.key_positions:
                path.append(part)
        data_path = tuple(path)
        if any(data_path[: i + 1] in parsed.reported for i in range(len(data_path))):
            continue
        kind = item["type"]
        relative = data_path[len(prefix) :]
        if kind == "extra_forbidden":
            name = str(data_path[-1])
            line, column = parsed.key_positions.get(
                data_path, parsed.positions.get(data_path, (1, 1))
            )
            known = _known_fields(model, relative[:-1])
            hint = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
            yield Diagnostic(
                display, line, column, "unknown-key", f"unknown key {name!r}{suggestion}"
            )
            continue
        if kind == "missing":
            missing = str(loc[-1])
            line, column = parsed.positions.get(data_path, (1, 1))
            yield Diagnostic(display, line, column, "missing-key", f"missing key {missing!r}")
            continue
        line, column = parsed.positions.get(data_path, (1, 1))
        field_name = next((str(p) for p in reversed(data_path) if isinstance(p, str)), "value")
        if kind in _EXPECTED:
            message = f"{field_name}: expected {_EXPECTED[kind]}, got {_describe(item['input'])}"
            if kind == "string_type" and isinstance(item["input"], (int, float, bool)):
                message += " (quote it to make it text)"
            yield Diagnostic(display, line, column, "type", message)
            continue
        if kind == "literal_error":
            expected = item.get("ctx", {}).get("expected", "")
            yield Diagnostic(
                display,
                line,
                column,
                "value",
                f"{field_name}: {_describe(item['input'])} is not one of {expected}",
            )
            continue
        message = str(item["msg"])
        message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        message = message[0].lower() + message[1:] if message else message
        yield Diagnostic(display, line, column, "value", f"{field_name}: {message}")


def validate(
    model: type[BaseModel], parsed: Parsed, display: str
) -> tuple[BaseModel | None, list[Diagnostic]]:
    try:
        return model.model_validate(parsed.value), []
    except ValidationError as error:
        return None, sorted(set(validation_diagnostics(error, parsed, display, model)))


def load_plan(path: Path, display: str) -> tuple[Any, Parsed | None, list[Diagnostic]]:
    """Read and validate a plan file: (Plan or None, its parsed positions, diagnostics)."""
    from liuxia_tracker.models import Plan

    text, problems = read_text(path, MAX_PLAN_BYTES, display)
    if text is None:
        return None, None, problems
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
