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

import re
import sys
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from liuxia_tracker.diagnostics import Diagnostic
from liuxia_tracker.plan.scalars import read_scalar, shorten
from liuxia_tracker.plan.text import SURROGATE, Location, line_col, lint_characters

if TYPE_CHECKING:
    import yaml


MAX_DEPTH = 24


PathKey = tuple[str | int, ...]


# libyaml's parser when PyYAML has it (None: decide on first use); tests set this to False to
# run the pure-Python one, or True to require libyaml.
USE_LIBYAML: bool | None = None


@cache
def yaml_module() -> Any:
    """PyYAML, imported on first use (it takes 20 ms; a plan from the plan cache needs none)."""
    import yaml

    return yaml


@dataclass
class Parsed:
    """A parsed YAML value with the position of every node, keyed by its path from the root."""

    value: Any
    positions: dict[PathKey, Location] = field(default_factory=dict)
    key_positions: dict[PathKey, Location] = field(default_factory=dict)
    reported: set[PathKey] = field(default_factory=set)  # paths already diagnosed


# A block scalar's header: `|` or `>`, an indentation digit and a chomping sign in either order,
# then nothing but an optional comment.


@dataclass(slots=True)
class _Frame:
    container: dict[str, Any] | list[Any]
    path: PathKey
    key: str | None = None
    key_path: PathKey = ()  # the path of the value under `key`, made once for both tables
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
    # Whether the text holds a backslash: only an escape (in a double-quoted scalar) can give
    # half a UTF-16 pair, since the text itself was checked for them.
    escapes: bool = True
    # One string per distinct text: a plan repeats its groups, units and sources everywhere.
    texts: dict[str, str] = field(default_factory=dict)
    yaml: Any = field(default_factory=yaml_module)  # the module, whose event classes are matched

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
        # The hot path of every load: one call per event, so the common cases (a scalar, a
        # collection starting or ending) are decided by the event's class first, inline.
        yaml = self.yaml
        kind = type(event)
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            self.attach(self.stack.pop().container)
            return
        mark = event.start_mark
        location = (
            (mark.line + 1 + self.line_offset, mark.column + 1)
            if mark is not None
            else self.location(mark)
        )
        if (
            kind is not yaml.ScalarEvent
            and kind is not yaml.MappingStartEvent
            and kind is not yaml.SequenceStartEvent
            and kind is not yaml.AliasEvent
        ):
            if kind is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    self.report(
                        location,
                        "multiple-documents",
                        "a second YAML document; a data file holds one (remove the '---' line)",
                    )
                    raise _Stop
            return  # the start or end of the stream, the end of a document
        node: Any = event
        if node.anchor is not None:
            self.refuse(
                location,
                "anchor" if kind is not yaml.AliasEvent else "alias",
                f"{'&' if kind is not yaml.AliasEvent else '*'}{node.anchor}: "
                "anchors and aliases are not allowed in data files; write the value out",
            )
        elif node.tag is not None:
            shown = str(node.tag).replace("tag:yaml.org,2002:", "!!", 1)
            self.refuse(
                location,
                "tag",
                f"{shown}: explicit tags are not allowed in data files; remove the tag",
            )
        stack = self.stack
        frame = stack[-1] if stack else None
        if frame is None:
            path: PathKey = ()
        elif type(frame.container) is dict:
            if frame.key is None:
                self.mapping_key(frame, event, location)
                return
            path = frame.key_path
        else:
            path = (*frame.path, len(frame.container))
        self.parsed.positions[path] = location
        if kind is yaml.ScalarEvent:
            if self.escapes and self.has_surrogate(node.value, location):
                self.refused = True
                value: Any = node.value
            elif node.tag is not None:
                value = node.value
            else:
                value, problem = read_scalar(node, self.display, location)
                if problem is not None:
                    self.problems.append(problem)
                    self.parsed.reported.add(path)
                elif type(value) is str:
                    value = self.texts.setdefault(value, value)
            if frame is not None and frame.flow and not node.value:
                self.unsure = True
            self.attach(value)
        elif kind is yaml.AliasEvent:
            self.parsed.reported.add(path)
            self.attach(None)
        else:  # a mapping or a sequence starts
            if len(stack) >= MAX_DEPTH:
                self.report(
                    location,
                    "too-deep",
                    f"nesting deeper than {MAX_DEPTH} levels; a data file needs far fewer",
                )
                raise _Stop
            container: dict[str, Any] | list[Any] = {} if kind is yaml.MappingStartEvent else []
            stack.append(_Frame(container, path, flow=bool(node.flow_style)))

    def has_surrogate(self, text: str, location: Location) -> bool:
        """A quoted "\\ud800" escape gives half a UTF-16 pair, which no output can encode."""
        found = SURROGATE.search(text)
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
            # One string per distinct key: a plan repeats the same few keys thousands of times.
            key = sys.intern(event.value)
            if frame.flow and not key:
                self.unsure = True
            if self.escapes and self.has_surrogate(key, location):
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
        frame.key_path = (*frame.path, key)
        self.parsed.key_positions[frame.key_path] = location

    def attach(self, value: Any) -> None:
        if not self.stack:
            self.parsed.value = value
            return
        frame = self.stack[-1]
        container = frame.container
        if isinstance(container, dict):
            assert frame.key is not None
            container[frame.key] = value
            frame.key = None
        else:
            container.append(value)


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
    problems = lint_characters(text, display, line_offset)
    if problems:
        return None, problems
    if libyaml_for(text):
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


def libyaml_for(text: str) -> bool:
    """Whether libyaml's parser reads `text` (else the pure parser does, as the reference)."""
    use_libyaml = hasattr(yaml_module(), "CSafeLoader") if USE_LIBYAML is None else USE_LIBYAML
    return bool(use_libyaml) and _libyaml_reads_as_pure(text)


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
    yaml = yaml_module()
    walker = _Walker(display, line_offset, escapes="\\" in text)
    loader: Any = (yaml.CSafeLoader if libyaml else yaml.SafeLoader)(text)
    try:
        for event in iter(loader.get_event, None):  # None after the end of the stream
            walker.feed(event)
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
            f"the escape \\U{shorten(digits)} is not a character (the largest is "
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
    yaml = yaml_module()
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
            line_col(text, error.position, line_offset),
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
