"""Figures to import: CSV with a header row, an Excel workbook (`import_sheet`), or JSON lines,
read into `Figure` values; the header and rows of CSV and sheets are `import_table`'s part.

Guarantees:

- Reading never raises for bad content and never stops at the first problem: every row is
  read, and every problem is a `Diagnostic` printed `FILE:ROW:COL: CODE message`. ROW is the
  line the row starts on (the header is line 1), which is the spreadsheet's row number unless
  a cell holds a line break; COL is the column's position in the header for CSV, and the
  character where the key starts for JSON lines.
- Columns (CSV header names or JSON keys): district, target, period, value, unit, source,
  note, by, item, done, date, published, level, provisional; a CSV header may name them in
  Chinese instead (区县, 指标, 期间, 数值, 单位, 来源, 备注, 填报人, 事项, 完成, 日期, 发布日期,
  总量, 快报). An unknown column is an error; `district` may instead be given
  once for the whole file.
- Text encodings: `--encoding` when given; else a UTF-8 or UTF-16 byte-order mark, else
  UTF-8, else GB18030 (the superset of GBK that Excel in China writes). A file that reads as
  UTF-8 for a while and then breaks is reported as broken UTF-8, not guessed to be GB18030.
- Values: a number, or text in the shorthand `units.parse_shorthand` reads ("6%", "15亿",
  "80万平方米"), with thousands separators allowed ("1,234.5"); `done` is true/false (also
  1/0, yes/no, 是/否). An integer a float cannot hold exactly (beyond 2**53) is refused, as
  `check` refuses it in a figure file;
  so is any number with more digits than the float the log stores keeps (`inexact_message`:
  9007199254740993.0, 0.000…0001 below the smallest float): refused, never rounded. `record`
  reads its VALUE with the same `read_value`. Everything is validated by the `Figure` model; nothing
  here knows the plan (recording checks rows against it).
- Codes: a problem `check` also finds in a figure file has `check`'s code — `type` for a value
  of the wrong kind (text that is not a number), `bad-value` for a value the field refuses (a
  unit that disagrees, a district other than --district), `number-range`, and the model's
  codes; the rest are about the import file itself (`encoding`, `csv`, `json`,
  `unknown-column`, `missing-column`, `duplicate-column`, `extra-cells`).
- An empty input (nothing but blanks, in either format) has no rows and no problems.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from liuxia_tracker.diagnostics import Diagnostic, TrackerError, UsageError
from liuxia_tracker.domain.models import Figure, is_slug
from liuxia_tracker.domain.units import UnitError, number_text, parse_shorthand, parse_unit
from liuxia_tracker.log.import_encoding import (
    ImportFormat,
    decode_import,
    detect_format,
    is_workbook,
)
from liuxia_tracker.log.import_table import (
    COLUMNS,
    cell_value,
    parse_csv,
    unknown_column,
)
from liuxia_tracker.plan.loading import Parsed, PathKey
from liuxia_tracker.plan.text import MAX_EXACT_INTEGER
from liuxia_tracker.plan.validation import validation_diagnostics

FIGURE_COLUMNS = tuple(column for column in COLUMNS if column != "district")
STDIN_NAME = "-"
# What a row's target or item holds while it is a name still to be found in the plan.
NAMED = "named-in-row"

_TRUE_WORDS = frozenset(("true", "1", "yes", "y", "done", "是", "完成", "已完成"))
_FALSE_WORDS = frozenset(("false", "0", "no", "n", "not done", "否", "未完成"))
_THOUSANDS = re.compile(r"([+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?)(\S*)")
_INTEGER_PART = re.compile(r"([+-]?[0-9]+)([^0-9.].*)?", re.DOTALL)
# Digits beyond which an integer is too large without converting it (int() of thousands of
# digits is slow, or refused outright).
_MAX_EXACT_DIGITS = len(str(MAX_EXACT_INTEGER))
_NUMBER_PART = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
_SAFE_DIGITS = 15


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One valid row: its figure, the district it names (if any), and where its cells are."""

    row: int
    district: str | None
    figure: Figure
    columns: Mapping[str, int]  # column name → column number, for diagnostics
    # A target or item given by name (地区生产总值增长), not id: the name as typed; the figure
    # holds NAMED in its place until the plan says which id it is (`import_rows.by_names`).
    names: Mapping[str, str] = field(default_factory=dict)

    def column(self, name: str) -> int:
        return self.columns.get(name, self.columns.get("value", 1))


@dataclass
class ParsedImport:
    display: str
    format: ImportFormat
    encoding: str
    rows: list[ImportRow] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    rows_read: int = 0  # data rows seen, valid or not (blank rows not counted)


# -- values -------------------------------------------------------------------------------


class NumberRangeError(UnitError):
    """An integer a float cannot hold exactly; the message is the one `check` gives."""


def too_large_message(digits: str) -> str | None:
    """`check`'s message for an integer beyond 2**53 (as `loading` words it), else None."""
    if len(digits.lstrip("+-")) <= _MAX_EXACT_DIGITS and abs(int(digits)) <= MAX_EXACT_INTEGER:
        return None
    shown = digits if len(digits) <= 40 else digits[:37] + "..."
    return f"{shown} is too large to hold exactly (the limit is 2**53)"


def read_value(text: str) -> tuple[float, str | None]:
    """A figure's value as typed: "12.5", "6%", "15亿", "1,234.5万元" → (number, unit text).

    Raises UnitError with a one-line message when the text is not a number or shorthand, and
    its subclass NumberRangeError for an integer beyond 2**53, which a float would round.
    """
    cleaned = text.strip()
    match = _THOUSANDS.fullmatch(cleaned)
    if match is not None:
        cleaned = match.group(1).replace(",", "") + match.group(2)
    integer = _INTEGER_PART.fullmatch(cleaned)
    if integer is not None:
        unit_text = integer.group(2)
        message = too_large_message(integer.group(1))
        if message is not None and (unit_text is None or _is_unit(unit_text)):
            raise NumberRangeError(message)
    number, unit = parse_shorthand(cleaned)
    message = inexact_message(cleaned, number)
    if message is not None:
        raise NumberRangeError(message)
    return number, (unit.text if unit is not None else None)


def inexact_message(text: str, number: float) -> str | None:
    """Why `text`'s number (read as `number`) cannot be stored, or None: the log writes the
    float (`number_text`), so a number with more significant digits than a float keeps
    (9007199254740993.0; 0.000…0001 past the smallest float) would be silently rounded."""
    digits = _NUMBER_PART.match(text)
    if digits is None:
        return None
    typed = digits.group(0)
    if len(typed.lstrip("+-").replace(".", "")) <= _SAFE_DIGITS:
        return None  # a float keeps 15 significant digits, and the smallest is ~1e-308
    stored = number_text(number)
    if Decimal(typed) == Decimal(stored):
        return None
    shown = typed if len(typed) <= 40 else typed[:37] + "..."
    return (
        f"{shown} has more digits than a figure holds exactly (it would be stored as "
        f"{stored if len(stored) <= 40 else stored[:37] + '...'}); round it to the digits "
        "the source gives"
    )


def _is_unit(text: str) -> bool:
    try:
        parse_unit(text)
    except UnitError:
        return False
    return True


def read_done(value: Any) -> bool | None:
    """true/false and their usual spellings; None when the value is none of them."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    return None


# -- rows ---------------------------------------------------------------------------------


class _RowReader:
    """Turns one row's cells into an `ImportRow`, or diagnostics at the row's cells."""

    def __init__(self, parsed: ParsedImport, district: str | None) -> None:
        self.parsed = parsed
        self.district = district

    def problem(self, row: int, column: int, code: str, message: str) -> None:
        self.parsed.diagnostics.append(Diagnostic(self.parsed.display, row, column, code, message))

    def count_unread(self) -> None:
        self.parsed.rows_read += 1

    def has_problems(self) -> bool:
        return bool(self.parsed.diagnostics)

    def read(self, row: int, cells: dict[str, Any], columns: Mapping[str, int]) -> None:
        self.parsed.rows_read += 1
        problems_before = len(self.parsed.diagnostics)
        district = self._district(row, cells, columns)
        data: dict[str, Any] = {
            name: cells[name] for name in FIGURE_COLUMNS if cells.get(name) is not None
        }
        if isinstance(data.get("value"), str):
            try:
                number, unit = read_value(data["value"])
            except NumberRangeError as error:
                self.problem(row, columns.get("value", 1), "number-range", str(error))
                data.pop("value")
            except UnitError as error:
                self.problem(row, columns.get("value", 1), "type", f"value: {error}")
                data.pop("value")
            else:
                data["value"] = number
                if unit is not None:
                    given = data.get("unit")
                    if given is not None and given != unit:
                        self.problem(
                            row,
                            columns.get("unit", 1),
                            "bad-value",
                            f"value {unit!r} and unit {given!r} disagree: give the unit once",
                        )
                    data["unit"] = unit
        elif isinstance(data.get("value"), bool):
            self.problem(row, columns.get("value", 1), "type", "value: expected a number")
            data.pop("value")
        elif isinstance(data.get("value"), int):
            message = too_large_message(str(data["value"]))
            if message is not None:
                self.problem(row, columns.get("value", 1), "number-range", message)
                data.pop("value")
        if "provisional" in data:
            flag = read_done(data["provisional"])
            if flag is None:
                self.problem(
                    row,
                    columns.get("provisional", 1),
                    "type",
                    f"provisional: expected true or false, got {data['provisional']!r}",
                )
                data.pop("provisional")
            else:
                data["provisional"] = flag or None
        if "done" in data:
            done = read_done(data["done"])
            if done is None:
                self.problem(
                    row,
                    columns.get("done", 1),
                    "type",
                    f"done: expected true or false, got {data['done']!r}",
                )
                data.pop("done")
            else:
                data["done"] = done
        if len(self.parsed.diagnostics) > problems_before:
            return
        names = _names(data)
        positions: dict[PathKey, tuple[int, int]] = {(): (row, 1)}
        for name in data:
            positions[(name,)] = (row, columns.get(name, 1))
        try:
            figure = Figure.model_validate(data)
        except ValidationError as error:
            parsed = Parsed(data, positions, dict(positions))
            self.parsed.diagnostics.extend(
                validation_diagnostics(error, parsed, self.parsed.display, Figure)
            )
            return
        self.parsed.rows.append(ImportRow(row, district, figure, dict(columns), names))

    def _district(self, row: int, cells: dict[str, Any], columns: Mapping[str, int]) -> str | None:
        given = cells.get("district")
        if given is None:
            return self.district
        if not isinstance(given, str):
            self.problem(row, columns.get("district", 1), "type", "district: expected text")
            return None
        if self.district is not None and given != self.district:
            self.problem(
                row,
                columns["district"],
                "bad-value",
                f"district {given!r} differs from --district {self.district}",
            )
        return given


def _names(data: dict[str, Any]) -> dict[str, str]:
    """Take a target or item given by name out of `data` (see `ImportRow.names`)."""
    names = {}
    for key in ("target", "item"):
        text = data.get(key)
        if isinstance(text, str) and not is_slug(text):
            names[key] = text
            data[key] = NAMED
    return names


def _parse_jsonl(text: str, reader: _RowReader) -> None:
    for number, line in enumerate(text.lstrip("\ufeff").split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        try:
            value = json.loads(stripped, parse_constant=_refuse_constant)
        except RecursionError:
            reader.problem(number, 1, "json", "not a JSON object: nested too deeply")
            reader.parsed.rows_read += 1
            continue
        except ValueError as error:
            message = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
            column = line.index(stripped[0]) + 1 + getattr(error, "pos", 0)
            reader.problem(number, column, "json", f"not a JSON object: {message}")
            reader.parsed.rows_read += 1
            continue
        if not isinstance(value, dict):
            reader.problem(number, 1, "json", 'each line is one JSON object: {"target": ...}')
            reader.parsed.rows_read += 1
            continue
        columns: dict[str, int] = {}
        unknown = False
        for key in value:
            at = line.find(json.dumps(key, ensure_ascii=False))
            columns[key] = at + 1 if at != -1 else 1
            if key not in COLUMNS:
                reader.problem(number, columns[key], "unknown-column", unknown_column(key))
                unknown = True
        if unknown:
            reader.parsed.rows_read += 1
            continue
        cells = {
            key: (cell_value(item) if isinstance(item, str) else item)
            for key, item in value.items()
        }
        reader.read(number, cells, columns)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a finite number")


def read_source(file: str) -> tuple[bytes, str]:
    """The bytes to import and how to name them: a file, or standard input for `-`."""
    import sys

    if file == STDIN_NAME:
        return sys.stdin.buffer.read(), "<stdin>"
    path = Path(file)
    if not path.is_file():
        raise UsageError(f"{file}: no such file")
    try:
        return path.read_bytes(), file
    except OSError as error:
        raise TrackerError(f"{file}: cannot read: {error.strerror or error}") from None


def parse_import(
    data: bytes,
    display: str,
    *,
    name: str | None = None,
    import_format: ImportFormat | None = None,
    encoding: str | None = None,
    district: str | None = None,
) -> ParsedImport:
    """Read an import file's bytes into rows; `name` (the file name) helps pick the format."""
    if import_format is ImportFormat.EXCEL or (import_format is None and is_workbook(name, data)):
        from liuxia_tracker.log.import_sheet import parse_workbook

        parsed = ParsedImport(display, ImportFormat.EXCEL, "excel")
        parse_workbook(data, display, _RowReader(parsed, district))
        parsed.diagnostics.sort()
        return parsed
    text, used, problems = decode_import(data, display, encoding)
    chosen = import_format or detect_format(name, text or "")
    parsed = ParsedImport(display, chosen, used, diagnostics=list(problems))
    if text is None:
        return parsed
    reader = _RowReader(parsed, district)
    if not text.lstrip("\ufeff").strip():
        return parsed  # nothing to import, in either format
    if chosen is ImportFormat.CSV:
        parse_csv(text, reader)
    else:
        _parse_jsonl(text, reader)
    parsed.diagnostics.sort()
    return parsed
