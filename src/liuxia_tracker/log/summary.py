"""The log summary cache: what a district's log gives a report, kept between runs, so the next
run reads only the bytes appended since.

A log is append-only, so a report need not read it all again. Once a log is seen to grow, its
summary is stored: the records the series builder still holds (per target and period the standing
figure and the superseded ones a report of some past day could count, every item state, and
every record that broke a rule or retracts another), the problems found reading it, the number
of bytes and lines it covers, and the SHA-256 of those bytes. The next run hashes the same
prefix of the log; when it is unchanged, the summary's records are fed to a new builder, then
the records of the bytes after it. Fed the records it held, a builder gives the same reports:
a superseded record it left out is one no report of any day could count (see
`engine.series._never_counted`), and a record left out now is left out for the same reason.

Guarantees:

- Results never depend on the cache: a summary is used only when its prefix of the log is
  byte for byte the same (digest), the plan and the tool are the same (the plan cache's key:
  the plan's bytes with this package's source), and the entry's own digest holds. Anything
  else (a shorter or rewritten log, a new version, another plan, a corrupt or foreign entry)
  reads the whole log (and stores a mark or a summary: below). An entry can be deleted at any
  time.
- What the summary cannot continue is read whole and not cached: a log with a byte-order mark
  or Windows line ends, or that is not UTF-8 before its last line; appended bytes that go on
  with an entry of the summary (they start with an indented line); a retraction appended after
  records were left out (the one it brings back may be among them).
- A torn last line (no newline) is read as a whole read reads it, and is never stored: the
  summary ends at the last newline.
- A summary is stored only for a log that has changed since it was last read (it is being
  appended to): a log read for the first time (no entry for it, this plan and this tool) gets
  only a mark, an entry with its offset, lines and digest but no records, so a first run over
  many logs writes no copy of them. The next read of that log, when it is unchanged, reads it
  whole again and leaves the mark; when it has grown (or is no longer what the mark covers),
  it reads it whole and stores its summary, which every later read continues.
- Entries live beside the plan cache's (`plan.cache.folder()`), in `logs/`, one per log (by the
  log's resolved path), written atomically; a folder that cannot be written is ignored.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from liuxia_tracker.diagnostics import Diagnostic, Severity
from liuxia_tracker.domain.models import District, Plan
from liuxia_tracker.domain.periods import Period, parse_period
from liuxia_tracker.domain.records import FIGURE_FIELDS, FigureRecord, Recorded
from liuxia_tracker.engine.series import LineFinding, Series, SeriesBuilder, build_series
from liuxia_tracker.log.cache_entry import read_entry, write_entry
from liuxia_tracker.log.figures import (
    figure_file_of,
    parse_figures,
    torn_line_problem,
)
from liuxia_tracker.plan.text import MAX_FIGURE_BYTES, decode, read_bytes

FORMAT = 2
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class LogSeries:
    """A district's series from its log, the findings of records that joined none (with their
    lines), the problems found reading it, and the identity of what was read (the SHA-256 of
    the log's bytes; None when there is no log, or it was not read through the cache)."""

    series: dict[str, Series]
    found: list[LineFinding]
    problems: list[Diagnostic]
    identity: str | None


def read_log_series(
    plan: Plan,
    district: District,
    path: Path | None,
    display: str,
    *,
    plan_key: str | None,
    folder: Path | None,
    content: tuple[bytes | None, list[Diagnostic]] | None = None,
) -> LogSeries:
    """The series of `district` from its log at `path` (None: it has none), through the
    summary in `folder` when given (with the plan's cache key), else read whole. `content`:
    the log's bytes (or None and why not) when already read (`read_log`)."""
    if path is None:
        series, found = build_series(plan, district, (), replay=True)
        return LogSeries(series, found, [], None)
    data, problems = content if content is not None else read_log(path, display)
    if data is None or folder is None or plan_key is None or data.startswith(_BOM) or b"\r" in data:
        return _whole(plan, district, path, display, data, problems)
    return _Summarized(plan, district, path, display, data, plan_key, folder).read()


def read_log(path: Path, display: str) -> tuple[bytes | None, list[Diagnostic]]:
    """A log's bytes, or None and why it cannot be read."""
    return read_bytes(path, MAX_FIGURE_BYTES, display)


def _whole(
    plan: Plan,
    district: District,
    path: Path,
    display: str,
    data: bytes | None,
    problems: list[Diagnostic],
) -> LogSeries:
    file = figure_file_of(path, display, data, problems)
    series, found = build_series(plan, district, file.records, replay=True)
    return LogSeries(series, found, file.diagnostics, None)


class _Summarized:
    """One read of a log through its summary."""

    def __init__(
        self,
        plan: Plan,
        district: District,
        path: Path,
        display: str,
        data: bytes,
        plan_key: str,
        folder: Path,
    ) -> None:
        self.plan = plan
        self.district = district
        self.path = path
        self.display = display
        self.data = data
        self.entry_path = folder / "logs" / f"{log_key(path)}.json"
        self.key = hashlib.sha256(f"{plan_key}\0{district.id}".encode()).hexdigest()

    def read(self) -> LogSeries:
        data = self.data
        end = data.rfind(b"\n") + 1  # the summary covers whole lines only
        entry = _Entry.load(self.entry_path, self.key)
        if entry is not None and entry.offset <= end:
            prefix = hashlib.sha256(memoryview(data)[: entry.offset])
            if prefix.hexdigest() == entry.digest:
                entry.hasher = prefix
                if entry.summarized:
                    continued = self._continue(entry, end)
                    if continued is not None:
                        return continued
                elif entry.offset == end:  # read before, unchanged since: read whole again
                    return self._continue(_Entry.empty(), end, store=None) or self._whole()
        # Summarize a log that has changed since it was last read (it is being appended to);
        # a log read for the first time is only marked as read.
        summarize = entry is not None
        return self._continue(_Entry.empty(), end, store=summarize) or self._whole()

    def _whole(self) -> LogSeries:
        return _whole(self.plan, self.district, self.path, self.display, self.data, [])

    def _continue(self, entry: _Entry, end: int, store: bool | None = True) -> LogSeries | None:
        """The series from `entry` and the lines after it, or None when they cannot continue
        it (the whole log is then read). `store`: True stores the summary when it changed,
        False stores only that the log was read this far (a mark, no records), None nothing."""
        data = self.data
        appended = data[entry.offset : end]
        text, problems = decode(appended, self.display)
        if (
            text is None
            or (entry.offset and _goes_on(text))
            or _goes_on(data[end:].decode("utf-8", "replace"))
        ):
            return None
        records, read_problems = parse_figures(text, self.display)
        if entry.lines:
            records = [Recorded(r.figure, r.line + entry.lines) for r in records]
            read_problems = [_shifted(p, entry.lines) for p in read_problems]
        retracts = entry.keeps_all or any(r.figure.retraction is not None for r in records)
        if retracts and not entry.keeps_all and entry.offset:
            return None  # a retraction may bring back a record the summary left out
        held = entry.records(self.display)
        builder = SeriesBuilder(self.plan, self.district, revisions=True, replay=not retracts)
        found = builder.add_all(held)
        found.extend(builder.add_all(records))
        problems = [*entry.problems(self.display), *read_problems]
        lines = entry.lines + text.count("\n")
        hasher = entry.hasher or hashlib.sha256()
        hasher.update(appended)
        digest = hasher.hexdigest()
        if store is False:
            _store(self.entry_path, self.key, (end, lines, digest), retracts, None, [])
        elif store and (entry.offset != end or not entry.stored):
            if retracts:
                kept = [*held, *records]
            else:
                found_lines = {line for line, _ in found}
                kept = [r for r in [*held, *records] if r.line in found_lines]
                kept = _merge(kept, builder.held())
            rows = entry.rows_of(kept, text, entry.lines)
            _store(self.entry_path, self.key, (end, lines, digest), retracts, rows, problems)
        tail = data[end:]
        if tail:
            torn_line = lines + 1
            tail_text, _ = decode(tail, self.display)
            if tail_text is not None:
                tail_records, tail_problems = parse_figures(tail_text, self.display)
                records = [Recorded(r.figure, torn_line) for r in tail_records]
                found.extend(builder.add_all(records))
                problems.extend(_shifted(p, lines) for p in tail_problems)
            problems.insert(0, torn_line_problem(self.display, torn_line))  # as read whole
            hasher.update(tail)
            digest = hasher.hexdigest()
        return LogSeries(builder.series(), found, problems, digest)


def _goes_on(text: str) -> bool:
    """Whether the first line that is not blank or a comment is indented: it goes on with the
    last entry before it, which the summary has already read."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        line = text[start:] if end == -1 else text[start:end]
        stripped = line.lstrip()
        if stripped and not stripped.startswith("#"):
            return line[:1] in (" ", "\t")
        if end == -1:
            break
        start = end + 1
    return False


def _merge(first: list[Recorded], second: list[Recorded]) -> list[Recorded]:
    """The records of both lists (each in file order), in file order, each once."""
    seen: set[int] = set()
    merged = []
    for recorded in sorted([*first, *second], key=_line_of):
        if recorded.line not in seen:
            seen.add(recorded.line)
            merged.append(recorded)
    return merged


def _line_of(recorded: Recorded) -> int:
    return recorded.line


def _shifted(problem: Diagnostic, lines: int) -> Diagnostic:
    return Diagnostic(
        problem.path,
        problem.line + lines,
        problem.column,
        problem.code,
        problem.message,
        problem.severity,
    )


def log_key(path: Path) -> str:
    return hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:32]


# -- the entry: a header line (JSON), then the records and problems (JSON) --------------------


@cache
def _period(text: str) -> Period:
    return parse_period(text)


@cache
def _day(text: str) -> date:
    return date.fromisoformat(text)


# How a value of each annotated type is written (a value JSON keeps exactly, or its text) and
# read back; a field of any other type is kept as it is.
_CODECS: dict[str, tuple[Any, Any]] = {
    "Period": (str, _period),
    "_Day": (date.isoformat, _day),
    "datetime": (datetime.isoformat, datetime.fromisoformat),
}
_FIELD_CODECS = [
    _CODECS.get(str(FigureRecord.__annotations__[name]).split(" ")[0], (None, None))
    for name in FIGURE_FIELDS
]
_ENCODERS = [encoder for encoder, _ in _FIELD_CODECS]
_DECODERS = [decoder for _, decoder in _FIELD_CODECS]


def _encode(recorded: Recorded) -> list[Any]:
    figure = recorded.figure
    row: list[Any] = []
    for name, encoder in zip(FIGURE_FIELDS, _ENCODERS, strict=True):
        value = getattr(figure, name)
        row.append(value if value is None or encoder is None else encoder(value))
    while row[-1] is None:
        row.pop()
    return row


def _decode(fields: list[Any]) -> FigureRecord:
    return FigureRecord(
        *(
            value if value is None or decoder is None else decoder(value)
            for value, decoder in zip(fields, _DECODERS, strict=False)
        )
    )


def _one_line_entry(lines: list[str], index: int) -> str | None:
    """Line `index` when it is a whole entry in the canonical shape (`- {...}`, nothing going
    on after it), else None."""
    line = lines[index]
    if not (line.startswith("- {") and line.endswith("}")):
        return None
    following = lines[index + 1] if index + 1 < len(lines) else ""
    return None if following[:1] in (" ", "\t") else line


class _Entry:
    """A stored summary: what it covers (bytes, lines, their digest), whether it keeps every
    record (the log retracts), and its records and problems as stored (rows of JSON values;
    a problem without its path)."""

    def __init__(
        self,
        offset: int,
        lines: int,
        digest: str,
        keeps_all: bool,
        kept: list[list[Any]],
        problems: list[list[Any]],
        *,
        stored: bool = True,
        summarized: bool = True,
    ) -> None:
        self.offset = offset
        self.lines = lines
        self.digest = digest
        self.keeps_all = keeps_all
        self._kept = kept
        self._problems = problems
        self._stored: dict[int, Any] = {}
        self.stored = stored
        self.summarized = summarized  # False: a mark that the log was read, no records
        self.hasher: Any = None

    @classmethod
    def empty(cls) -> _Entry:
        return cls(0, 0, hashlib.sha256().hexdigest(), False, [], [], stored=False)

    def records(self, display: str) -> list[Recorded]:
        """The records kept, each with its line: stored as its line of the log when that line
        is a whole entry (read again by the log's reader), else as its fields."""
        numbered: list[tuple[int, str]] = []
        records: list[Recorded] = []
        for line, stored in self._kept:
            if isinstance(stored, str):
                numbered.append((line, stored))
            else:
                records.append(Recorded(_decode(stored), line))
        self._stored = {line: stored for line, stored in self._kept}
        # The lines, one entry each, read as one text, then given back their own numbers.
        text = "".join(line + "\n" for _, line in numbered)
        read = [
            Recorded(recorded.figure, numbered[recorded.line - 1][0])
            for recorded in parse_figures(text, display)[0]
        ]
        return sorted([*read, *records], key=_line_of) if records else read

    def rows_of(self, kept: list[Recorded], text: str, first: int) -> list[list[Any]]:
        """The rows to store for `kept`: those from this entry as stored, those read from
        `text` (the lines after line `first`) as their line when it is a whole entry."""
        lines: list[str] | None = None
        rows: list[list[Any]] = []
        for recorded in kept:
            line = recorded.line
            stored = self._stored.get(line)
            if stored is None and line > first:
                if lines is None:
                    lines = text.split("\n")
                stored = _one_line_entry(lines, line - first - 1)
            rows.append([line, stored if stored is not None else _encode(recorded)])
        return rows

    def problems(self, display: str) -> list[Diagnostic]:
        return [
            Diagnostic(display, line, column, code, message, Severity(severity))
            for line, column, code, message, severity in self._problems
        ]

    @classmethod
    def load(cls, path: Path, key: str) -> _Entry | None:
        """The entry at `path` for `key`, or None (missing, foreign, corrupt)."""
        entry = read_entry(path, FORMAT, key)
        if entry is None:
            return None
        header, body = entry
        try:
            kept, problems = json.loads(body)
            return cls(
                int(header["offset"]),
                int(header["lines"]),
                str(header["digest"]),
                bool(header["all"]),
                kept,
                problems,
                summarized=bool(header["summarized"]),
            )
        except (OSError, ValueError, TypeError, KeyError, RecursionError):
            return None


def _store(
    path: Path,
    key: str,
    covered: tuple[int, int, str],
    keeps_all: bool,
    rows: list[list[Any]] | None,
    problems: list[Diagnostic],
) -> None:
    """Write an entry (atomically); a folder that cannot be written is left alone. `rows`
    None: a mark that the log was read this far, with no records."""
    offset, lines, digest = covered
    try:
        body = json.dumps(
            [
                rows or [],
                [[p.line, p.column, p.code, p.message, p.severity.value] for p in problems],
            ],
            ensure_ascii=False,
            separators=(",", ":"),
            allow_nan=False,
        ).encode("utf-8")
    except (ValueError, TypeError, RecursionError):
        return
    header = {
        "format": FORMAT,
        "key": key,
        "offset": offset,
        "lines": lines,
        "digest": digest,
        "all": keeps_all,
        "summarized": rows is not None,
    }
    write_entry(path, header, body)
