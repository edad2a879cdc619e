"""Bytes → checked YAML values → models, or diagnostics with positions.

Guarantees:

- Nothing in a data file is executed or expanded. Files over `MAX_PLAN_BYTES` /
  `MAX_FIGURE_BYTES` are refused before they are read. Bytes are decoded strictly as UTF-8; a
  leading UTF-8 byte-order mark is allowed and nothing else that is not UTF-8.
- One behaviour on every install. The event stream comes from libyaml's parser when PyYAML
  was built with it (`USE_LIBYAML`), else from PyYAML's pure-Python parser; this module makes
  the two agree. What they read differently is refused before parsing: a tab anywhere but in a
  comment (libyaml takes tabs as spaces where the pure parser refuses them), a byte-order mark
  after the start. Text with a tab in a comment, and any text libyaml reports an error in, is
  read again by the pure parser, so every syntax error (its message and its position) and
  whatever libyaml refuses that the pure parser reads (escapes of half a UTF-16 pair, nesting
  past libyaml's 1,000 flow levels, unknown directives) gives the pure parser's result. Events
  are built into plain values here, without recursion, so deep nesting is a diagnostic, never
  a `RecursionError`.
- Refused while walking, before anything could expand, each with its own code: anchors,
  aliases, explicit tags and `<<` merge keys (all of them reported), several documents, keys
  that are not plain text, nesting deeper than `MAX_DEPTH`. Duplicate keys are reported with
  both lines. Tabs outside comments, a byte-order mark after the start, control characters and
  line breaks other than `\\n` / `\\r\\n` are refused before parsing.
- Plain scalars are read by this module's rules, the same in every field: `true`/`false` are
  booleans and `yes`/`no`/`on`/`off` stay text; decimal integers and floats are numbers.
  Literals that YAML readers disagree on (`012`, `0x1f`, `1_000`, `12:30`, `1e3`, `.inf`) and
  numbers a float cannot hold exactly are refused; dates and timestamps stay text for the field
  to read.
- Every problem is a `Diagnostic` at the line and column of the node that holds the bad value;
  every pydantic error is mapped back to that node.
"""

from __future__ import annotations

import difflib
import math
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from liuxia_tracker.diagnostics import Diagnostic

if TYPE_CHECKING:
    import yaml

MAX_PLAN_BYTES = 4 * 1024 * 1024
MAX_FIGURE_BYTES = 1024 * 1024 * 1024
MAX_DEPTH = 24
# Integers beyond this lose digits when held as a float, which is how values are kept.
MAX_EXACT_INTEGER = 2**53

Location = tuple[int, int]
PathKey = tuple[str | int, ...]

_UTF8_BOM = b"\xef\xbb\xbf"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_YAML11_BOOLS = frozenset(
    w for base in ("yes", "no", "on", "off", "y", "n") for w in (base, base.title(), base.upper())
)
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
# Characters the parser refuses or counts as line breaks where editors may not (U+0085,
# U+2028, U+2029, a lone carriage return): refused first, so every line number is the one an
# editor shows. The set is figures.NOT_YAML_PRINTABLE, named one by one (fast to compile).
_BAD_CHARACTER = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]|\r(?!\n)"
)

_SURROGATE = re.compile("[\ud800-\udfff]")

# libyaml's parser when PyYAML has it (None: decide on first use); tests set this to False to
# run the pure-Python one, or True to require libyaml.
USE_LIBYAML: bool | None = None


@cache
def _yaml() -> Any:
    """PyYAML, imported on first use (it takes 20 ms; a plan from the plan cache needs none)."""
    import yaml

    return yaml


_TAB_MESSAGE = "tab character; use spaces (a tab is allowed only in a comment)"


@dataclass
class Parsed:
    """A parsed YAML value with the position of every node, keyed by its path from the root."""

    value: Any
    positions: dict[PathKey, Location] = field(default_factory=dict)
    key_positions: dict[PathKey, Location] = field(default_factory=dict)
    reported: set[PathKey] = field(default_factory=set)  # paths already diagnosed


def read_text(path: Path, limit: int, display: str) -> tuple[str | None, list[Diagnostic]]:
    """Read a whole file as UTF-8 text, or say why it cannot be read (see `read_bytes`)."""
    data, problems = read_bytes(path, limit, display)
    if data is None:
        return None, problems
    return decode(data, display)


def read_bytes(path: Path, limit: int, display: str) -> tuple[bytes | None, list[Diagnostic]]:
    """Read a whole file's bytes, or say why it cannot be read.

    The size is checked before the file is opened, and at most `limit + 1` bytes are read, so
    a file that grows meanwhile is refused too. Only regular files are opened: a pipe would
    block the run.
    """

    def unreadable(reason: str) -> tuple[None, list[Diagnostic]]:
        return None, [Diagnostic(display, 1, 1, "unreadable", f"cannot read the file: {reason}")]

    def too_large(size: str) -> tuple[None, list[Diagnostic]]:
        message = f"file is {size} bytes, over the limit of {limit:,}; is it the right file?"
        return None, [Diagnostic(display, 1, 1, "too-large", message)]

    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            return unreadable("it is a directory")
        if not stat.S_ISREG(status.st_mode):
            return unreadable("it is not a regular file")
        if status.st_size > limit:
            return too_large(f"{status.st_size:,}")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        return unreadable(error.strerror or str(error))
    if len(data) > limit:  # the file grew after it was measured
        return too_large(f"over {limit:,}")
    return data, []


def decode(data: bytes, display: str) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 text without its leading byte-order mark, or where the first bad byte is."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            Diagnostic(
                display, 1, 1, "not-utf8", "the file is UTF-16; save it as UTF-8 (without BOM)"
            )
        ]
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
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
    """What parsers disagree on, or what would shift positions: refused before parsing."""
    problems: list[Diagnostic] = []
    last_line = 0
    for match in _BAD_CHARACTER.finditer(text):
        line, column = _line_col(text, match.start(), line_offset)
        if line == last_line:  # one per line is enough to find them
            continue
        last_line = line
        character = match.group()
        if character == "\ufeff":
            message = "a byte-order mark (U+FEFF) after the start of the file; delete it"
        elif character == "\r":
            message = "a carriage return without a line feed; save the file with \\n line endings"
        else:
            message = f"character U+{ord(character):04X} is not allowed in a data file; delete it"
        problems.append(
            Diagnostic(
                display, line, column, "bom" if character == "\ufeff" else "bad-character", message
            )
        )
    problems.extend(
        Diagnostic(display, line + 1 + line_offset, column + 1, "tab-indent", _TAB_MESSAGE)
        for line, column in _tabs_outside_comments(text)
    )
    return problems


def _tabs_outside_comments(text: str) -> Iterator[tuple[int, int]]:
    """(line, column), 0-based, of the first tab on each line that is not inside a comment.

    A light scan, not a parser: it follows quoted scalars (also across lines) and the content
    lines of block scalars, so a `#` inside them does not start a comment. Whatever it judges,
    the outcome is the same on every install: a tab it lets through goes to the pure parser.
    """
    if "\t" not in text:
        return
    quote = ""  # the quote character while inside a quoted scalar
    block_indent = -1  # inside a block scalar: its content lines are indented more than this
    for number, line in enumerate(text.split("\n")):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent >= 0:
            if indent > block_indent or not line.strip(" \t\r"):
                if "\t" in line:
                    yield number, line.index("\t")
                continue
            block_indent = -1
        previous = " "
        index = 0
        length = len(line)
        while index < length:
            character = line[index]
            if character == "\t":
                yield number, index
                break
            if quote == '"':
                if character == "\\":
                    index += 1  # the escaped character (a tab after it is still reported)
                    if index < length and line[index] == "\t":
                        yield number, index
                        break
                elif character == '"':
                    quote = ""
            elif quote == "'":
                if character == "'":
                    if line[index + 1 : index + 2] == "'":
                        index += 1
                    else:
                        quote = ""
            elif character == "#" and previous in " \t":
                break  # a comment: the rest of the line may hold tabs
            elif character in "\"'" and previous in " [{,":
                quote = character
            elif character in "|>" and previous == " " and _BLOCK_HEADER.fullmatch(line, index):
                block_indent = indent
                break
            previous = character
            index += 1


# A block scalar's header: `|` or `>`, an indentation digit and a chomping sign in either order,
# then nothing but an optional comment.
_BLOCK_HEADER = re.compile(r"[|>](?:[1-9][-+]?|[-+][1-9]?)?[ ]*(?:#.*)?\r?")


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
    shown = _shorten(text)
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
    plain = _shorten(sign + (digits.lstrip("0") or "0"))
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


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _number(text: str) -> int | float | tuple[str, str] | None:
    """The number a plain scalar spells by this module's rules, `None` if it spells none, or
    why it is refused: (code, message)."""
    if _DECIMAL_INT.fullmatch(text):
        # Compare lengths first: int() of thousands of digits is slow, or refused outright.
        if len(text.lstrip("+-")) > 20 or abs(int(text)) > MAX_EXACT_INTEGER:
            return (
                "number-range",
                f"{_shorten(text)} is too large to hold exactly (the limit is 2**53)",
            )
        return int(text)
    if _DECIMAL_FLOAT.fullmatch(text) and (
        "e" not in text.lower() or _YAML11_FLOAT.fullmatch(text)
    ):
        value = float(text)
        if not math.isfinite(value):
            return ("number-range", f"{_shorten(text)} is too large for a number")
        return value
    if (
        _YAML11_INT.fullmatch(text)
        or _YAML11_FLOAT.fullmatch(text)
        or _YAML12_NUMBER.fullmatch(text)
    ):
        if "e" in text.lower() and _overflows(text):
            return ("number-range", f"{_shorten(text)} is too large for a number")
        return ("ambiguous-number", _why_ambiguous(text))
    return None


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
    if text in _YAML11_BOOLS or not text or text[0] not in "+-.0123456789":
        return text, None
    number = _number(text)
    if number is None:
        return text, None
    if isinstance(number, tuple):
        return text, Diagnostic(display, *location, *number)
    return number, None


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: PathKey
    key: str | None = None
    key_lines: dict[str, int] = field(default_factory=dict)
    flow: bool = False  # a `[...]` or `{...}` collection


class _Stop(Exception):
    """Walking cannot go on (several documents, a complex key, nesting too deep)."""


@dataclass
class _Walker:
    """Builds plain values from parser events, collecting every problem it meets."""

    display: str
    line_offset: int
    parsed: Parsed = field(default_factory=lambda: Parsed(None))
    problems: list[Diagnostic] = field(default_factory=list)
    refused: bool = False  # an anchor, alias, tag or merge key: the value is not what it says
    stack: list[_Frame] = field(default_factory=list)
    documents: int = 0
    # Set when libyaml placed something where the pure parser may place it elsewhere: an empty
    # value inside `[...]` or `{...}` (libyaml: at the next token; pure: after the `:`).
    unsure: bool = False
    yaml: Any = field(default_factory=_yaml)  # the module, whose event classes are matched

    def location(self, mark: Any) -> Location:
        if mark is None:
            return (1 + self.line_offset, 1)
        return (mark.line + 1 + self.line_offset, mark.column + 1)

    def report(self, location: Location, code: str, message: str) -> None:
        self.problems.append(Diagnostic(self.display, *location, code, message))

    def refuse(self, location: Location, code: str, message: str) -> None:
        self.refused = True
        self.report(location, code, message)

    def feed(self, event: yaml.Event) -> None:
        yaml = self.yaml
        location = self.location(event.start_mark)
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.report(
                    location,
                    "multiple-documents",
                    "a second YAML document; a data file holds one (remove the '---' line)",
                )
                raise _Stop
            return
        if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
            return
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            finished = self.stack.pop()
            self.attach(finished.container)
            return
        node: Any = event
        if node.anchor is not None:
            self.refuse(
                location,
                "anchor" if not isinstance(event, yaml.AliasEvent) else "alias",
                f"{'&' if not isinstance(event, yaml.AliasEvent) else '*'}{node.anchor}: "
                "anchors and aliases are not allowed in data files; write the value out",
            )
        elif node.tag is not None:
            shown = str(node.tag).replace("tag:yaml.org,2002:", "!!", 1)
            self.refuse(
                location,
                "tag",
                f"{shown}: explicit tags are not allowed in data files; remove the tag",
            )
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.container, dict) and frame.key is None:
            self.mapping_key(frame, event, location)
            return
        path = self.child_path(frame)
        self.parsed.positions[path] = location
        if isinstance(event, yaml.AliasEvent):
            self.parsed.reported.add(path)
            self.attach(None)
        elif isinstance(event, yaml.ScalarEvent):
            if self.has_surrogate(event.value, location):
                self.refused = True
                value: Any = event.value
            elif event.tag is not None:
                value = event.value
            else:
                value, problem = _scalar(event, self.display, location)
                if problem is not None:
                    self.problems.append(problem)
                    self.parsed.reported.add(path)
            if frame is not None and frame.flow and not event.value:
                self.unsure = True
            self.attach(value)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(self.stack) >= MAX_DEPTH:
                self.report(
                    location,
                    "too-deep",
                    f"nesting deeper than {MAX_DEPTH} levels; a data file needs far fewer",
                )
                raise _Stop
            container: dict[str, Any] | list[Any] = (
                {} if isinstance(event, yaml.MappingStartEvent) else []
            )
            self.stack.append(_Frame(container, path, flow=bool(event.flow_style)))

    def has_surrogate(self, text: str, location: Location) -> bool:
        """A quoted "\\ud800" escape gives half a UTF-16 pair, which no output can encode."""
        found = _SURROGATE.search(text)
        if found is None:
            return False
        self.report(
            location,
            "bad-character",
            f"the escape \\u{ord(found.group()):04x} is half of a UTF-16 pair, not a "
            "character; write the character itself",
        )
        return True

    def mapping_key(self, frame: _Frame, event: yaml.Event, location: Location) -> None:
        yaml = self.yaml
        if isinstance(event, yaml.AliasEvent):
            key = f"*{event.anchor}"
        elif isinstance(event, yaml.ScalarEvent):
            key = event.value
            if frame.flow and not key:
                self.unsure = True
            if self.has_surrogate(key, location):
                self.refused = True
        else:
            self.report(
                location,
                "complex-key",
                "a key must be plain text, not a list or mapping ('?' starts a complex key)",
            )
            raise _Stop
        if key == "<<" and isinstance(event, yaml.ScalarEvent) and event.implicit[0]:
            self.refuse(
                location,
                "merge-key",
                "<<: merge keys are not allowed in data files; write the keys out",
            )
        if key in frame.key_lines:
            self.report(
                location,
                "duplicate-key",
                f"key {key!r} is repeated (first on line {frame.key_lines[key]}); keep one of them",
            )
        else:
            frame.key_lines[key] = location[0]
        frame.key = key
        self.parsed.key_positions[(*frame.path, key)] = location

    @staticmethod
    def child_path(frame: _Frame | None) -> PathKey:
        if frame is None:
            return ()
        if isinstance(frame.container, dict):
            assert frame.key is not None
            return (*frame.path, frame.key)
        return (*frame.path, len(frame.container))

    def attach(self, value: Any) -> None:
        if not self.stack:
            self.parsed.value = value
            return
        frame = self.stack[-1]
        if isinstance(frame.container, dict):
            assert frame.key is not None
            frame.container[frame.key] = value
            frame.key = None
        else:
            frame.container.append(value)


def _full_width_colon_near(text: str, line: int) -> tuple[int, int] | None:
    """(line, column), 0-based, of a `key：` full-width colon on or just above `line`: the usual
    cause of a syntax error in a hand-typed Chinese file. Only outside comments and quotes."""
    lines = text.split("\n")
    for index in (line - 1, line):
        if 0 <= index < len(lines):
            content = lines[index].split(" #", 1)[0]
            at = content.find("：")
            before = content[:at]
            if at > 0 and not any(mark in before for mark in ('"', "'", ": ")):
                return index, at
    return None


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    problem = str(error.problem or "")
    if "'\\t'" in problem or "\t" in problem:
        return "a tab where YAML expects a space or a value; use spaces"
    parts = [str(part) for part in (error.context, error.problem) if part]
    return "; ".join(parts) if parts else "invalid YAML"


def parse_yaml(
    text: str, display: str, line_offset: int = 0
) -> tuple[Parsed | None, list[Diagnostic]]:
    """Parse one YAML document into plain values and positions, or return diagnostics.

    `line_offset` is added to every line number, for text cut out of a longer file. The value
    is `None` when the text cannot be read, or holds a construct refused here.
    """
    problems = _lint_characters(text, display, line_offset)
    if problems:
        return None, problems
    use_libyaml = hasattr(_yaml(), "CSafeLoader") if USE_LIBYAML is None else USE_LIBYAML
    if use_libyaml and _libyaml_reads_as_pure(text):
        outcome = _walk(text, display, line_offset, libyaml=True)
        if outcome is not None:
            return outcome
    # The pure parser: the reference for what libyaml reports as an error, and for the text
    # libyaml might read differently.
    pure = _walk(text, display, line_offset, libyaml=False)
    assert pure is not None
    return pure


# Characters around which the two parsers are known to read differently: a tab (libyaml takes
# it for a space), `?` in a flow scalar (the pure parser ends the scalar there), anchor and tag
# names (each parser allows other characters), a comment glued to a block scalar header (`|#`,
# which only libyaml reads).
_PARSERS_DIFFER_AROUND = re.compile(r"[\t?!&*|>]")


def _libyaml_reads_as_pure(text: str) -> bool:
    """Whether libyaml's events are known to be the pure parser's (or libyaml reports an error).

    Not for text with one of the characters above anywhere, even where it would be harmless,
    nor for text without a final newline (an empty value at its very end is placed on the next
    line by libyaml, on the last by the pure parser; figure entries cut out of a file end so).
    """
    return text.endswith("\n") and _PARSERS_DIFFER_AROUND.search(text) is None


def _walk(
    text: str, display: str, line_offset: int, *, libyaml: bool
) -> tuple[Parsed | None, list[Diagnostic]] | None:
    """Walk the events of one parser. None when libyaml reports an error: the text is then read
    again by the pure parser, whose error messages and positions are the reference."""
    yaml = _yaml()
    walker = _Walker(display, line_offset)
    loader: Any = (yaml.CSafeLoader if libyaml else yaml.SafeLoader)(text)
    try:
        while loader.check_event():
            walker.feed(loader.get_event())
    except _Stop:
        return None, walker.problems
    except (yaml.YAMLError, RecursionError, MemoryError) as error:
        if libyaml:
            return None
        return _pure_parser_error(error, text, line_offset, walker)
    except (ValueError, OverflowError):
        if libyaml:  # pragma: no cover - libyaml reports such escapes as errors
            return None
        # The pure parser lets chr() fail on an escape such as \U00110000; it stands at the
        # escape's first hex digit.
        mark = loader.get_mark()
        digits = text[mark.index : mark.index + 8]
        walker.report(
            (mark.line + 1 + line_offset, max(mark.column - 1, 1)),
            "bad-character",
            f"the escape \\U{_shorten(digits)} is not a character (the largest is "
            "\\U0010FFFF); write the character itself",
        )
        return None, walker.problems
    finally:
        loader.dispose()
    if libyaml and walker.unsure:
        return None
    if walker.refused:
        return None, walker.problems
    return walker.parsed, walker.problems


def _pure_parser_error(
    error: BaseException, text: str, line_offset: int, walker: _Walker
) -> tuple[Parsed | None, list[Diagnostic]]:
    """The diagnostic for an error the pure parser raised, after what the walk found before it."""
    yaml = _yaml()
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        colon = _full_width_colon_near(text, mark.line if mark is not None else 0)
        if colon is not None:
            # `key： value` parses as one plain scalar, so the parser stumbles a line later.
            line, column = colon
            walker.report(
                (line + 1 + line_offset, column + 1),
                "yaml-syntax",
                "a full-width colon '：' where YAML needs ':' followed by a space",
            )
            return None, walker.problems
        walker.report(walker.location(mark), "yaml-syntax", _syntax_message(error))
    elif isinstance(error, yaml.reader.ReaderError):
        # The character lint above should make this unreachable.
        walker.report(
            _line_col(text, error.position, line_offset),
            "bad-character",
            f"character U+{error.character:04X} is not allowed in a data file; delete it"
            if isinstance(error.character, int)
            else "a character that is not allowed in a data file",
        )
    else:  # pragma: no cover - defensive
        first_line = str(error).splitlines()[0] if str(error) else "invalid YAML"
        walker.report((1 + line_offset, 1), "yaml-syntax", first_line)
    return None, walker.problems


# -- pydantic errors → diagnostics ---------------------------------------------------------


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
        return f"text {_shorten(value)!r}"
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
            display, line, column, "unknown-key", f"unknown key {_shorten(name)!r}{suggestion}"
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
            f"{parent + ': ' if parent else ''}key {_shorten(str(data_path[-1]))!r} is not one "
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


def load_plan(path: Path, display: str) -> tuple[Any, Parsed | None, list[Diagnostic]]:
    """Read and validate a plan file: (Plan or None, its parsed positions, diagnostics)."""
    text, problems = read_text(path, MAX_PLAN_BYTES, display)
    if text is None:
        return None, None, problems
    return load_plan_text(text, display)


def load_plan_text(text: str, display: str) -> tuple[Any, Parsed | None, list[Diagnostic]]:
    """Parse and validate a plan's text: (Plan or None, its parsed positions, diagnostics)."""
    from liuxia_tracker.domain.models import Plan

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
