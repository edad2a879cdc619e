"""The figure log: one file per district, one record per line, append-only.

Guarantees:

- Reading never raises for bad content; it returns the records it could read, each with its
  line number, and a diagnostic for every line it could not. Lines in the canonical form this
  module writes (`- {"target": ...}` — a YAML sequence entry whose mapping is also JSON) are
  decoded with `json`; any other entry (hand-edited block or flow YAML) goes through the strict
  YAML loader with the same diagnostics. A last line without a newline is reported as torn.
- Writing is the only way the tool changes a figure file, and it only appends: the file is
  opened for appending, locked (`fcntl.flock`, exclusive), checked to end with a newline (a
  torn last line refuses the append and names the line), and the record or batch goes out in
  one `os.write` whose byte count is checked, then `fsync`. Nothing is re-read or rewritten,
  so an append costs the same on a file of any size. `repair_figure_file` is the one exception:
  it cuts a torn tail off, after copying it to a side file and syncing that.
- `canonical_line` writes numbers that JSON and YAML both read back as the same number, and
  text that YAML reads back unchanged; the line ends in `}` and a newline, so a cut-off write
  is visible.
- `find_target_lines` finds one target's records by searching the raw bytes for its id, without
  parsing the rest of the file; it answers `None` when the id occurs anywhere it cannot vouch
  for, so the caller falls back to a full read.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import math
import mmap
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from sys import intern
from typing import Any, Literal, NamedTuple

from pydantic import ValidationError

from liuxia_tracker.diagnostics import Diagnostic, TrackerError
from liuxia_tracker.domain.models import (
    FIGURE_FIELDS,
    Figure,
    FigureRecord,
    is_slug,
    parse_iso_date,
)
from liuxia_tracker.domain.periods import Period, PeriodError, parse_period
from liuxia_tracker.domain.units import UnitError, parse_unit
from liuxia_tracker.plan.loading import (
    MAX_EXACT_INTEGER,
    MAX_FIGURE_BYTES,
    Parsed,
    decode,
    parse_yaml,
    read_text,
    validation_diagnostics,
)

CANONICAL_PREFIX = '- {"'
FIELD_ORDER = FIGURE_FIELDS  # the canonical line writes the keys in the model's order


class Recorded(NamedTuple):
    """A figure as read from its file, with the line it starts on. (A named tuple: a million
    are made, and a tuple is made fastest.)"""

    figure: FigureRecord
    line: int


@dataclass(frozen=True, slots=True)
class FigureFile:
    path: Path
    display: str
    district: str
    records: list[Recorded]
    diagnostics: list[Diagnostic]
    torn_line: int | None  # the last line, when it has no newline


def district_of(path: Path) -> str:
    return path.stem


def _is_entry_start(line: str) -> bool:
    return line.startswith("-") and (len(line) == 1 or line[1] in " \t")


def _is_blank_or_comment(line: str) -> bool:
    return not line.strip() or line.lstrip().startswith("#")


def _entry_from(lines: list[str], index: int) -> tuple[str, int]:
    """The entry that starts at `lines[index]` (an entry start, `- ...`), and the index after it.

    An entry goes on over indented lines, and over blank or comment lines at the margin
    between them; it ends at the next entry or at any other line at the margin.
    """
    parts = [lines[index]]
    index += 1
    while index < len(lines):
        following = lines[index]
        if following.startswith((" ", "\t")):
            parts.append(following)
        elif _is_entry_start(following) or not _is_blank_or_comment(following):
            break
        index += 1
    return "\n".join(parts), index


# -- the canonical line, read without json or pydantic ----------------------------------------

# A canonical line as `canonical_line` writes it: the keys in FIELD_ORDER, text without escapes
# or control characters, numbers without exponents. Whatever does not match, or matches but is
# not a valid figure, takes the general way (json, then `Figure` and its diagnostics).
_TEXT = r'"([^"\\\x00-\x1f]*)"'
_CANONICAL_LINE = re.compile(
    r'- \{"target": ' + _TEXT
    + r'(?:, "period": ' + _TEXT + ")?"
    + r'(?:, "value": (-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?))?'
    + r'(?:, "unit": ' + _TEXT + ")?"
    + r'(?:, "item": ' + _TEXT + ")?"
    + r'(?:, "done": (true|false))?'
    + r'(?:, "date": ' + _TEXT + ")?"
    + r'(?:, "source": ' + _TEXT + ")?"
    + r'(?:, "note": ' + _TEXT + ")?"
    + r'(?:, "by": ' + _TEXT + ")?"
    + r'(?:, "recorded_at": ' + _TEXT + ")?"
    + r"\}"
)  # fmt: skip

# What the canonical reader has already found valid, by its text: a figure log repeats the
# same ids, periods, units and days across up to a million records, so each is judged once and
# every record shares one object per text (strings are interned). Bounded: a cache is cleared
# when full.
_CACHE_LIMIT = 1 << 16
_SLUGS: set[str] = set()
_UNITS: set[str] = set()
_PERIODS: dict[str, Period] = {}
_DAYS: dict[str, date] = {}
_MATCH = _CANONICAL_LINE.fullmatch
# The same, for every canonical line of a whole text at once (no line is cut out of it).
_CANONICAL_LINES = re.compile("^" + _CANONICAL_LINE.pattern + "$", re.MULTILINE)


def _remember(cache: Any, key: Any, value: Any = None) -> None:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    if isinstance(cache, set):
        cache.add(key)
    else:
        cache[key] = value


def _valid_slug(text: str) -> bool:
    if not is_slug(text):
        return False
    _remember(_SLUGS, text)
    return True


def _valid_unit(text: str) -> bool:
    try:
        parse_unit(text)
    except UnitError:
        return False
    _remember(_UNITS, text)
    return True


def _period_of(text: str) -> Period | None:
    try:
        period = parse_period(text)
    except PeriodError:
        return None
    _remember(_PERIODS, text, period)
    return period


def _day_of(text: str) -> date | None:
    try:
        day = parse_iso_date(text)
    except ValueError:
        return None
    _remember(_DAYS, text, day)
    return day


def _canonical_record(line: str) -> FigureRecord | None:
    """The figure of a canonical line, or None when the general way must judge it.

    Accepts only what `Figure` accepts, with the values `Figure` would give (the property test
    in tests/test_figures_read.py holds it to that).
    """
    match = _MATCH(line)
    return None if match is None else _record_of(match.groups())


def _record_of(fields: tuple[Any, ...]) -> FigureRecord | None:
    """The figure of the groups of a canonical line's match, or None (see above)."""
    (target, period_text, number, unit, item, done_text, day_text, source, note, by, stamp) = fields
    if target not in _SLUGS and not _valid_slug(target):
        return None
    target = intern(target)
    period: Period | None = None
    value: float | None = None
    done: bool | None = None
    if item is None:
        if period_text is None or number is None or done_text is not None:
            return None
        period = _PERIODS.get(period_text) or _period_of(period_text)
        if period is None:
            return None
        if "." in number:
            value = float(number)
            if not math.isfinite(value):
                return None
        else:
            whole = int(number)
            if whole > MAX_EXACT_INTEGER or whole < -MAX_EXACT_INTEGER:
                return None
            value = float(whole)
    else:
        if done_text is None or period_text is not None or number is not None:
            return None
        if item not in _SLUGS and not _valid_slug(item):
            return None
        item = intern(item)
        done = done_text == "true"
    if unit is not None:
        if unit not in _UNITS and not _valid_unit(unit):
            return None
        unit = intern(unit)
    day: date | None = None
    if day_text is not None:
        day = _DAYS.get(day_text) or _day_of(day_text)
        if day is None:
            return None
    recorded_at: datetime | None = None
    if stamp is not None:
        try:
            # Each record keeps its own timezone object: sharing one costs a
            # datetime.replace (0.7 µs a record, more than the parse) to save 80 bytes.
            recorded_at = datetime.fromisoformat(stamp)
        except ValueError:
            return None
    return FigureRecord(
        target,
        period,
        value,
        unit,
        item,
        done,
        day,
        None if source is None else intern(source),
        None if note is None else intern(note),
        None if by is None else intern(by),
        recorded_at,
    )


# -- the general way: json for other one-line entries, the YAML loader for the rest ----------


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def _plain_float(text: str) -> float:
    if "e" in text or "E" in text:
        raise ValueError(text)
    return float(text)


def _exact_int(text: str) -> int:
    if len(text) > 15 and abs(int(text)) > MAX_EXACT_INTEGER:
        raise ValueError(text)
    return int(text)


_DECODER = json.JSONDecoder(
    parse_constant=_reject_constant, parse_float=_plain_float, parse_int=_exact_int
)


def _json_entry(entry: str) -> dict[str, Any] | None:
    """The mapping of a canonical line, or None to send the line through the YAML loader.

    JSON is only a fast path: anything where `json` and the loader's rules could disagree — a
    repeated key, a number with an exponent or beyond 2**53, a `\\ud800` escape — goes the
    slow way, so it gets the loader's diagnostic.
    """
    if not (entry.startswith(CANONICAL_PREFIX) and entry.endswith("}")) or "\n" in entry:
        return None
    if "\\u" in entry and _SURROGATE_ESCAPE.search(entry):
        return None
    try:
        value = _DECODER.decode(entry[2:])
    except ValueError:
        return None
    if not isinstance(value, dict) or entry.count('":') != len(value):
        return None  # a repeated key collapsed, or keys written unusually: let YAML decide
    return value


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _json_positions(entry: str, line: int, value: dict[str, Any]) -> Parsed:
    """Positions for a canonical line, computed only when it has a problem to report."""
    parsed = Parsed([value], {(): (line, 1), (0,): (line, 3)}, {})
    for key in value:
        at = entry.find(json.dumps(key, ensure_ascii=False) + ":")
        if at == -1:
            at = 2
        value_at = at + len(json.dumps(key, ensure_ascii=False)) + 1
        while value_at < len(entry) and entry[value_at] == " ":
            value_at += 1
        parsed.key_positions[(0, key)] = (line, at + 1)
        parsed.positions[(0, key)] = (line, value_at + 1)
    return parsed


def parse_figures(text: str, display: str) -> tuple[list[Recorded], list[Diagnostic]]:
    """Every record of a figure file's text with the line it starts on, and a diagnostic for
    each entry that is not a valid record.

    The text is split into entries (`- ...` and the indented lines that go on with it);
    comment and blank lines between entries are skipped, and a line that belongs to no entry
    is read alone so the YAML loader can say what is wrong with it.
    """
    records: list[Recorded] = []
    problems: list[Diagnostic] = []
    if not text.startswith((" ", "\t")) and "\n " not in text and "\n\t" not in text:
        # No line goes on from the one before it, so every line is an entry of its own (or a
        # blank or comment line between them): the usual figure file. Its canonical lines are
        # matched in the text itself, one after the other; the lines between them (rare) are
        # read the general way.
        append = records.append
        record_of = _record_of
        new = tuple.__new__
        position = 0
        number = 1
        for match in _CANONICAL_LINES.finditer(text):
            start = match.start()
            if start != position:
                number = _read_lines(text[position:start], number, display, records, problems)
            record = record_of(match.groups())
            if record is not None:
                append(new(Recorded, (record, number)))
            else:
                _read_entry(match.group(), number, display, records, problems)
            number += 1
            position = match.end() + 1
        if position < len(text):
            _read_lines(text[position:], number, display, records, problems)
        return records, problems
    lines = text.split("\n")
    count = len(lines)
    last = count - 1
    index = 0
    while index < count:
        line = lines[index]
        number = index + 1
        index += 1
        if line.startswith(CANONICAL_PREFIX):
            following = lines[index] if index < count else None
            if (
                following is None
                or following[:1] not in ("", " ", "\t", "#")
                or (not following and index == last)
            ):  # an entry of one line: the usual case
                record = _canonical_record(line)
                if record is not None:
                    records.append(Recorded(record, number))
                else:
                    _read_entry(line, number, display, records, problems)
                continue
        if _is_blank_or_comment(line):
            continue
        if _is_entry_start(line):
            entry, index = _entry_from(lines, index - 1)
        else:
            entry = line
        _read_entry(entry, number, display, records, problems)
    return records, problems


def _read_lines(
    text: str, number: int, display: str, records: list[Recorded], problems: list[Diagnostic]
) -> int:
    """Read each line of `text` (none of which goes on from the one before) the general way,
    the first being line `number`; blank and comment lines are skipped. The next line's number."""
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    for offset, line in enumerate(lines):
        if line and not line.startswith("#"):
            _read_entry(line, number + offset, display, records, problems)
    return number + len(lines)


def _read_entry(
    entry: str, line: int, display: str, records: list[Recorded], problems: list[Diagnostic]
) -> None:
    """Read one entry the general way: json for a one-line flow mapping, else the YAML loader;
    then `Figure` validates it, with diagnostics at the positions of the values."""
    value = _json_entry(entry)
    if value is not None:
        try:
            records.append(Recorded(FigureRecord.from_model(Figure.model_validate(value)), line))
        except ValidationError as error:
            parsed = _json_positions(entry, line, value)
            problems.extend(validation_diagnostics(error, parsed, display, Figure, (0,)))
        return
    parsed_entry, entry_problems = parse_yaml(entry, display, line_offset=line - 1)
    problems.extend(entry_problems)
    if parsed_entry is None:
        return
    items = parsed_entry.value
    if not isinstance(items, list) or len(items) != 1:
        problems.append(
            Diagnostic(
                display,
                line,
                1,
                "not-a-list",
                "a figure file is a list: each record starts with '- ' at the start of a line",
            )
        )
        return
    if not isinstance(items[0], dict):
        location = parsed_entry.positions.get((0,), (line, 1))
        problems.append(
            Diagnostic(display, *location, "type", "a figure record is a mapping of keys to values")
        )
        return
    try:
        records.append(Recorded(FigureRecord.from_model(Figure.model_validate(items[0])), line))
    except ValidationError as error:
        problems.extend(validation_diagnostics(error, parsed_entry, display, Figure, (0,)))


def _complete_lines_of_torn_file(path: Path, shown: str, problems: list[Diagnostic]) -> str | None:
    """When a write cut off inside a character, the bad byte is in the torn last line: the
    lines before it are still read (the torn line is reported as torn, not as bad text)."""
    if len(problems) != 1 or problems[0].code != "not-utf8":
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if data.endswith(b"\n") or problems[0].line != data.count(b"\n") + 1:
        return None
    body, body_problems = decode(data[: data.rfind(b"\n") + 1], shown)
    return body if not body_problems else None


def read_figure_file(path: Path, display: str | None = None) -> FigureFile:
    shown = display if display is not None else str(path)
    text, problems = read_text(path, MAX_FIGURE_BYTES, shown)
    torn_line: int | None = None
    if text is None:
        complete = _complete_lines_of_torn_file(path, shown, problems)
        if complete is None:
            return FigureFile(path, shown, district_of(path), [], problems, None)
        text, problems = complete, []
        torn_line = text.count("\n") + 1
    elif text and not text.endswith("\n"):
        torn_line = text.count("\n") + 1
    if "\r\n" in text:  # a file saved on Windows: the same lines, the same line numbers
        text = text.replace("\r\n", "\n")
    if torn_line is not None:
        problems.append(
            Diagnostic(
                shown,
                torn_line,
                1,
                "torn-line",
                f"line {torn_line} does not end with a newline (a write cut off?); "
                "run `tracker repair` before the next append",
            )
        )
    records, record_problems = parse_figures(text, shown)
    return FigureFile(
        path, shown, district_of(path), records, [*problems, *record_problems], torn_line
    )


# -- writing: the canonical line ------------------------------------------------------------

# Characters YAML does not read back as themselves inside a double-quoted scalar (non-printable
# ones, and U+0085 / U+2028 / U+2029, which YAML counts as line breaks): written as \uXXXX,
# which JSON and YAML both decode. json.dumps has already escaped the C0 controls. Named one by
# one (what YAML 1.1 does not count as printable, the surrogates, and those line breaks): the
# same set as "not printable" written as a negated class, which takes ten times longer to
# compile (tests/test_figures_read.py holds the two the same).
NOT_YAML_PRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)


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


def _text_json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return NOT_YAML_PRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def canonical_line(figure: Figure) -> str:
    """The one-line form written to a figure file: `- {json}` and a newline."""
    data = figure.model_dump(mode="json", exclude_none=True)
    keys = [key for key in FIELD_ORDER if key in data]
    keys += [key for key in data if key not in FIELD_ORDER]
    parts = []
    for key in keys:
        if key == "value" and figure.value is not None:
            shown = number_text(figure.value)
        else:
            shown = _text_json(data[key])
        parts.append(f"{json.dumps(key)}: {shown}")
    return "- {" + ", ".join(parts) + "}\n"


# -- writing: locked appends ----------------------------------------------------------------

Content = bytes | mmap.mmap
_READ_CHUNK = 8 * 1024 * 1024


class TornTailError(TrackerError):
    """An append refused because the file's last line has no newline (a write was cut off)."""

    def __init__(self, display: str, line: int) -> None:
        super().__init__(
            f"{display}:{line}: the last line is torn (no newline); run `tracker repair`"
        )
        self.display = display
        self.line = line


class WriteError(TrackerError):
    """A figure file could not be opened, locked, written or synced."""


def _describe_os_error(error: OSError) -> str:
    return error.strerror or str(error)


def _count_newlines(fd: int, end: int) -> int:
    """How many newlines the first `end` bytes of the open file hold, read in chunks."""
    count = 0
    position = 0
    while position < end:
        chunk = os.pread(fd, min(_READ_CHUNK, end - position), position)
        if not chunk:
            break
        count += chunk.count(b"\n")
        position += len(chunk)
    return count


def _last_byte(fd: int, size: int) -> bytes:
    return os.pread(fd, 1, size - 1) if size else b""


def _sync_directory(directory: Path) -> None:
    """Make a file's creation (or a side file's) durable: sync the folder that names it."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a directory; the file itself is synced
    finally:
        os.close(fd)


class LockedFigureFile:
    """A figure file held open under an exclusive lock, checked to end with a newline.

    Made by `locked_for_append`; the lock lasts until the `with` block ends, so whatever the
    holder reads (`content`) stays true until its own `append`.
    """

    def __init__(self, path: Path, display: str, fd: int, created: bool) -> None:
        self.path = path
        self.display = display
        self._fd = fd
        self._created = created
        self._views: list[mmap.mmap] = []

    @property
    def size(self) -> int:
        return os.fstat(self._fd).st_size

    def content(self) -> Content:
        """The file's bytes as they stand under the lock (memory-mapped, not copied)."""
        size = self.size
        if size == 0:
            return b""
        view = mmap.mmap(self._fd, size, access=mmap.ACCESS_READ)
        self._views.append(view)
        return view

    def close_views(self) -> None:
        """Unmap what `content` mapped: a mapping holds a duplicate of the locked descriptor."""
        for view in self._views:
            _close_view(view)
        self._views.clear()

    def append(self, text: str) -> int:
        """Write whole lines in one `os.write`, check the count, fsync; return bytes written.

        A short write (a full disk) is cut back to where the file ended, so the file never
        keeps half a record from this call; the error says so.
        """
        data = text.encode("utf-8")
        if not data or not data.endswith(b"\n"):
            raise ValueError("an append writes whole lines, each ending in a newline")
        before = self.size
        try:
            written = os.write(self._fd, data)
        except OSError as error:
            self._cut_back(before)
            raise WriteError(
                f"{self.display}: cannot write: {_describe_os_error(error)}; nothing was written"
            ) from None
        if written != len(data):
            restored = self._cut_back(before)
            outcome = (
                "the file was cut back to where it ended"
                if restored
                else "run `tracker repair` to move the partial line aside"
            )
            raise WriteError(
                f"{self.display}: only {written} of {len(data)} bytes were written "
                f"(is the disk full?); {outcome}"
            )
        try:
            os.fsync(self._fd)
        except OSError as error:
            raise WriteError(
                f"{self.display}: written but not synced to disk: {_describe_os_error(error)}"
            ) from None
        if self._created:
            _sync_directory(self.path.parent)
            self._created = False
        return written

    def _cut_back(self, size: int) -> bool:
        """Undo this call's own partial write; the lock guarantees nobody wrote after it."""
        try:
            if os.fstat(self._fd).st_size > size:
                os.ftruncate(self._fd, size)
                os.fsync(self._fd)
        except OSError:
            return False
        return True


def _open_locked(path: Path, display: str, *, create: bool, lock: int) -> tuple[int, bool]:
    """Open a figure file read-write for appending and lock it; (fd, whether it was created)."""
    flags = os.O_RDWR | os.O_APPEND | os.O_CLOEXEC
    created = False
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o644)
                created = True
            except FileExistsError:
                fd = os.open(path, flags)
        else:
            fd = os.open(path, flags)
    except FileNotFoundError:
        raise WriteError(f"{display}: no such file") from None
    except OSError as error:
        raise WriteError(f"{display}: cannot open: {_describe_os_error(error)}") from None
    try:
        fcntl.flock(fd, lock)
    except OSError as error:
        os.close(fd)
        raise WriteError(f"{display}: cannot lock: {_describe_os_error(error)}") from None
    return fd, created


def torn_line_number(fd: int) -> int | None:
    """The number of the last line when it lacks its newline, else None."""
    size = os.fstat(fd).st_size
    if size == 0 or _last_byte(fd, size) == b"\n":
        return None
    return _count_newlines(fd, size) + 1


def refuse_torn_tail(path: Path, display: str | None = None) -> None:
    """Raise `TornTailError` now when an existing file's last line is torn (without locking or
    creating anything), so a batch over several files can refuse before touching any."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return
    except OSError as error:
        raise WriteError(f"{display or path}: cannot open: {_describe_os_error(error)}") from None
    try:
        torn = torn_line_number(fd)
    finally:
        os.close(fd)
    if torn is not None:
        raise TornTailError(display if display is not None else str(path), torn)


@contextmanager
def locked_for_append(path: Path, display: str | None = None) -> Iterator[LockedFigureFile]:
    """Open (creating folder and file if missing) and lock a figure file for appending.

    Raises `TornTailError` when the file does not end with a newline: an append never glues a
    record onto a fragment.
    """
    shown = display if display is not None else str(path)
    fd, created = _open_locked(path, shown, create=True, lock=fcntl.LOCK_EX)
    locked: LockedFigureFile | None = None
    try:
        torn = torn_line_number(fd)
        if torn is not None:
            raise TornTailError(shown, torn)
        locked = LockedFigureFile(path, shown, fd, created)
        yield locked
    finally:
        if locked is not None:
            locked.close_views()
        _unlock_and_close(fd)


@contextmanager
def locked_for_reading(path: Path) -> Iterator[Content]:
    """A figure file's bytes under a shared lock (no append is half-way through); b"" if absent."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        yield b""
        return
    except OSError as error:
        raise WriteError(f"{path}: cannot open: {_describe_os_error(error)}") from None
    view: mmap.mmap | None = None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        size = os.fstat(fd).st_size
        if size:
            view = mmap.mmap(fd, size, access=mmap.ACCESS_READ)
        yield view if view is not None else b""
    finally:
        if view is not None:
            _close_view(view)
        _unlock_and_close(fd)


def _close_view(view: mmap.mmap) -> None:
    # Still in use somewhere: the explicit unlock in `_unlock_and_close` releases the lock anyway.
    with contextlib.suppress(BufferError):
        view.close()


def _unlock_and_close(fd: int) -> None:
    """Unlock explicitly: a memory map keeps a duplicate of the descriptor (and so the lock)
    alive after `close` until the map itself is freed."""
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def append_text(path: Path, text: str, display: str | None = None) -> int:
    """Append whole canonical lines to a figure file under the lock; return bytes written."""
    with locked_for_append(path, display) as locked:
        return locked.append(text)


def append_figures(path: Path, figures: Sequence[Figure], display: str | None = None) -> int:
    """Append figures as one batch: one write, one fsync."""
    return append_text(path, "".join(canonical_line(figure) for figure in figures), display)


# -- searching one target's records without parsing the file --------------------------------

_TARGET_PREFIX = b'- {"target": "'
_KEY_AFTER_TARGET = re.compile(rb'", "(period|item)": "([^"\\\n]*)"')


@dataclass(frozen=True, slots=True)
class LineRef:
    """Where a target's record starts, and the period or item it is for (from the raw text)."""

    offset: int
    key: Literal["period", "item"]
    value: str


@lru_cache(maxsize=256)
def _mention_pattern(target: str) -> re.Pattern[bytes]:
    # Every mention of the id; where it sits at the start of a canonical line of this target,
    # the groups capture the key that follows (period or item) and its text.
    needle = re.escape(target.encode())
    return re.compile(
        needle
        + rb"(?![a-z0-9_-])(?:(?<=\n"
        + re.escape(_TARGET_PREFIX)
        + needle
        + rb')", "(period|item)": "([^"\\\n]*)")?'
    )


def find_target_lines(content: Content, target: str) -> list[LineRef] | None:
    """Every record line of `target`, in file order, found by searching for its id.

    Returns None when the id also occurs on a line that is neither a canonical line of this
    target nor a canonical line of another target (a hand-edited entry, say): the caller then
    reads the whole file. Comment lines are ignored.
    """
    found: list[LineRef] = []
    target_bytes = target.encode()
    own_prefix = _TARGET_PREFIX + target_bytes + b'"'
    last_line_start = -1
    for match in _mention_pattern(target).finditer(content):
        if match.group(1) is not None:
            line_start = match.start() - len(_TARGET_PREFIX)
            found.append(_line_ref(line_start, match.group(1), match.group(2)))
            last_line_start = line_start
            continue
        line_start = content.rfind(b"\n", 0, match.start()) + 1
        if line_start == last_line_start:
            continue  # another mention on a line already taken (an item named like its target)
        last_line_start = line_start
        head = content[line_start : line_start + len(own_prefix)]
        if head == own_prefix:  # the first line of the file, or keys in another order
            keyed = _KEY_AFTER_TARGET.match(content, line_start + len(own_prefix) - 1)
            if keyed is None:
                return None
            found.append(_line_ref(line_start, keyed.group(1), keyed.group(2)))
        elif head.startswith(_TARGET_PREFIX):
            continue  # another target's record that mentions this id (a note, a longer id)
        elif not content[line_start : match.start()].lstrip().startswith(b"#"):
            return None
    return found


def _line_ref(offset: int, key: bytes, value: bytes) -> LineRef:
    return LineRef(
        offset,
        "period" if key == b"period" else "item",
        value.decode("utf-8", errors="replace"),
    )


def record_at(content: Content, offset: int, display: str, line: int = 0) -> Recorded | None:
    """The record on the line starting at `offset`, or None when it does not read cleanly."""
    end = content.find(b"\n", offset)
    raw = content[offset : end if end != -1 else len(content)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    records, problems = parse_figures(text, display)
    if problems or len(records) != 1:
        return None
    return Recorded(records[0].figure, line)


def line_numbers(content: Content, offsets: Sequence[int]) -> list[int]:
    """The 1-based line number of each byte offset (offsets in ascending order)."""
    numbers: list[int] = []
    line = 1
    position = 0
    for offset in offsets:
        while position < offset:
            step = min(_READ_CHUNK, offset - position)
            line += content[position : position + step].count(b"\n")
            position += step
        numbers.append(line)
    return numbers


# -- repair ---------------------------------------------------------------------------------

RepairAction = Literal["clean", "added-newline", "moved-torn-tail"]
_ENTRY_LOOKBACK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Repair:
    path: Path
    display: str
    action: RepairAction
    line: int | None = None  # the torn (or newline-less) last line
    moved_bytes: int = 0
    side_file: Path | None = None


def _last_newline(fd: int, size: int) -> int:
    """The offset of the last newline in the file, or -1."""
    end = size
    while end > 0:
        start = max(0, end - _READ_CHUNK)
        chunk = os.pread(fd, end - start, start)
        at = chunk.rfind(b"\n")
        if at != -1:
            return start + at
        end = start
    return -1


def _complete_without_newline(fd: int, tail_start: int, size: int, display: str) -> bool:
    """Whether the newline-less last line finishes a valid entry (only its newline is missing)."""
    tail = os.pread(fd, size - tail_start, tail_start)
    try:
        tail_text = tail.decode("utf-8")
    except UnicodeDecodeError:
        return False
    stripped = tail_text.strip()
    if not stripped or stripped.startswith("#"):
        return True
    if tail_text.startswith("-"):
        entry = tail_text
    elif tail_text.startswith((" ", "\t")):
        # A continuation line of a hand-written block entry: judge the whole entry.
        window_start = max(0, tail_start - _ENTRY_LOOKBACK)
        try:
            before = os.pread(fd, tail_start - window_start, window_start).decode("utf-8")
        except UnicodeDecodeError:
            return False
        lines = before.split("\n")[:-1]
        starts = [i for i, text in enumerate(lines) if text.startswith("-")]
        if not starts:
            return False
        entry = "\n".join([*lines[starts[-1] :], tail_text])
    else:
        return False
    records, problems = parse_figures(entry + "\n", display)
    return not problems and len(records) == 1


def _side_file_for(path: Path, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.torn-{stamp}")
    number = 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}.torn-{stamp}-{number}")
    return candidate


def _write_side_file(path: Path, data: bytes, now: datetime, display: str) -> Path:
    while True:
        side = _side_file_for(path, now)
        try:
            fd = os.open(side, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        except FileExistsError:
            continue
        except OSError as error:
            raise WriteError(
                f"{display}: cannot create {side.name}: {_describe_os_error(error)}; "
                "nothing was changed"
            ) from None
        break
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except OSError as error:
        raise WriteError(
            f"{display}: cannot write {side.name}: {_describe_os_error(error)}; nothing was changed"
        ) from None
    finally:
        os.close(fd)
    _sync_directory(side.parent)
    return side


def not_a_figure_file(path: Path, display: str | None = None) -> str | None:
    """Why `repair` refuses `path`, or None for a figure file: a `.yaml` or `.yml` file directly
    in a folder named `figures`, not named `targets.yaml` — as written and with links followed,
    so neither a stray path nor a link to the plan ever gets its last line cut."""
    shown = display if display is not None else str(path)
    for candidate in (Path(os.path.abspath(path)), path.resolve()):
        if (
            candidate.parent.name != "figures"
            or candidate.suffix not in (".yaml", ".yml")
            or candidate.name == "targets.yaml"
        ):
            return (
                f"{shown} is not a figure file (figures/<district>.yaml); "
                "repair never touches the plan"
            )
    return None


def repair_figure_file(
    path: Path, display: str | None = None, now: datetime | None = None
) -> Repair:
    """Make a figure file end with a complete line again, losing nothing.

    Under the same lock appends take: a file ending in a newline is left alone; a last line
    that is a complete, valid record missing only its newline gets the newline; any other last
    line is copied to `<file>.torn-<UTC timestamp>`, synced, and only then cut off the file.
    Any file but a figure file (see `not_a_figure_file`) is refused untouched (exit code 2).
    """
    shown = display if display is not None else str(path)
    refusal = not_a_figure_file(path, shown)
    if refusal is not None:
        raise TrackerError(refusal, exit_code=2)
    moment = now if now is not None else datetime.now(UTC)
    fd, _ = _open_locked(path, shown, create=False, lock=fcntl.LOCK_EX)
    try:
        size = os.fstat(fd).st_size
        if size == 0 or _last_byte(fd, size) == b"\n":
            return Repair(path, shown, "clean")
        newline = _last_newline(fd, size)
        line = _count_newlines(fd, newline + 1) + 1
        tail_start = newline + 1
        if _complete_without_newline(fd, tail_start, size, shown):
            try:
                if os.write(fd, b"\n") != 1:
                    raise OSError(0, "short write")
                os.fsync(fd)
            except OSError as error:
                raise WriteError(
                    f"{shown}: cannot add the newline: {_describe_os_error(error)}"
                ) from None
            return Repair(path, shown, "added-newline", line)
        torn = os.pread(fd, size - tail_start, tail_start)
        side = _write_side_file(path, torn, moment, shown)
        try:
            os.ftruncate(fd, tail_start)
            os.fsync(fd)
        except OSError as error:
            raise WriteError(
                f"{shown}: copied the torn line to {side.name} but cannot cut it off: "
                f"{_describe_os_error(error)}"
            ) from None
        return Repair(path, shown, "moved-torn-tail", line, len(torn), side)
    finally:
        _unlock_and_close(fd)
