"""The table of an import file, CSV or a workbook's sheet: its header, then its rows.

Guarantees: a header names each column once, in English or Chinese; what the header lacks
that every row would need (`target`, `district` unless --district, `period` and `value` unless
the rows are items') is one `missing-column` problem at the header's row, never one per row.
A data row is handed on as a mapping of column → cell, with its row number; blank rows are
skipped and cells beyond the header are `extra-cells`. For CSV, a quote opened and never
closed (Python's reader then takes the rest of the file into one cell) is a `csv` problem at
the cell it opens. Knows nothing of figures: `import_file`'s row reader does that.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

COLUMNS = (
    "district",
    "target",
    "period",
    "value",
    "unit",
    "source",
    "note",
    "by",
    "item",
    "done",
    "date",
    "published",
    "level",
    "provisional",
)
# The headers an office's form may use instead (区县, 指标, 期间, ...): the same columns.
CHINESE_COLUMNS = {
    "区县": "district",
    "指标": "target",
    "期间": "period",
    "数值": "value",
    "单位": "unit",
    "来源": "source",
    "备注": "note",
    "填报人": "by",
    "事项": "item",
    "完成": "done",
    "日期": "date",
    "发布日期": "published",
    "总量": "level",
    "快报": "provisional",
}
_DELIMITERS = (",", "\t", ";")


class TableReader(Protocol):
    """Where a table's rows and problems go (`import_file._RowReader`)."""

    district: str | None  # --district, when given

    def problem(self, row: int, column: int, code: str, message: str) -> None: ...
    def read(self, row: int, cells: dict[str, Any], columns: Mapping[str, int]) -> None: ...
    def count_unread(self) -> None: ...
    def has_problems(self) -> bool: ...


def column_name(header: str) -> str:
    """A header cell as a column name: English (any case) or its Chinese form."""
    text = header.strip()
    return CHINESE_COLUMNS.get(text, text.lower())


def unknown_column(name: str) -> str:
    hint = difflib.get_close_matches(name, COLUMNS, n=1, cutoff=0.6)
    suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
    return f"unknown column {name!r}{suggestion}; the columns are {', '.join(COLUMNS)}"


def cell_value(value: Any) -> Any:
    """A cell's content: text stripped (None when blank); a spreadsheet's number, true/false
    or date as `import_sheet` gives it."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def _choose_delimiter(header_line: str) -> str:
    def known(delimiter: str) -> int:
        names = [column_name(part.strip().strip('"')) for part in header_line.split(delimiter)]
        return sum(1 for name in names if name in COLUMNS)

    return max(_DELIMITERS, key=known)


def read_header(header: Sequence[str], row: int, reader: TableReader) -> dict[str, int] | None:
    """The columns a header row names (name → column number), or None after reporting its
    problems: each at the header's cell, and a missing column once, at the header's row."""
    columns: dict[str, int] = {}
    unknown = False
    for number, raw in enumerate(header, start=1):
        name = column_name(raw)
        if not name:
            continue
        if name not in COLUMNS:
            unknown = True
            reader.problem(row, number, "unknown-column", unknown_column(raw.strip()))
        elif name in columns:
            reader.problem(
                row, number, "duplicate-column", f"column {name!r} repeats column {columns[name]}"
            )
        else:
            columns[name] = number
    for missing in _missing_columns(columns, reader.district is not None, unknown):
        reader.problem(row, 1, "missing-column", missing)
    return None if reader.has_problems() else columns


def _missing_columns(
    columns: Mapping[str, int], has_district: bool, misspelt: bool
) -> Iterator[str]:
    """What the header lacks that every row would need: said once, not once per row. The
    value's columns are not asked for beside an unknown column, likely one of them misspelt."""
    if "target" not in columns:
        yield "the header has no `target` column"
    if "district" not in columns and not has_district:
        yield "the header has no `district` column: add one or give --district"
    if misspelt:
        return
    if "item" in columns:
        if "done" not in columns and "value" not in columns:
            yield "the header has no `done` column for its items (nor a `value` column)"
        return
    for name in ("period", "value"):
        if name not in columns:
            yield f"the header has no `{name}` column (an item's rows need `item` and `done`)"


def read_cells(
    row: int, cells: Sequence[Any], width: int, columns: Mapping[str, int], reader: TableReader
) -> None:
    """One data row below a header of `width` cells (blank rows are skipped)."""
    if not any(_filled(cell) for cell in cells):
        return
    if len(cells) > width and any(_filled(cell) for cell in cells[width:]):
        reader.problem(
            row,
            width + 1,
            "extra-cells",
            f"the row has {len(cells)} cells; the header names {width}",
        )
        reader.count_unread()
        return
    values = {
        name: cell_value(cells[number - 1]) if number <= len(cells) else None
        for name, number in columns.items()
    }
    reader.read(row, values, columns)


def _filled(cell: Any) -> bool:
    return not (cell is None or (isinstance(cell, str) and not cell.strip()))


def parse_csv(text: str, reader: TableReader) -> None:
    body = text.lstrip("\ufeff")
    first_line = body.split("\n", 1)[0]
    rows = csv.reader(io.StringIO(body, newline=""), delimiter=_choose_delimiter(first_line))
    try:
        header = next(rows)
    except csv.Error as error:
        reader.problem(1, 1, "csv", f"the header row cannot be read: {error}")
        return
    columns = read_header(header, 1, reader)
    if columns is None:
        return
    last_line = body.count("\n") + (0 if body.endswith("\n") else 1)
    previous_line = rows.line_num
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            break
        except csv.Error as error:
            reader.problem(previous_line + 1, 1, "csv", f"the row cannot be read: {error}")
            return
        row = previous_line + 1
        previous_line = rows.line_num
        unclosed = _unclosed_quote(cells, row, previous_line, last_line, body)
        if unclosed is not None:
            reader.problem(
                row,
                unclosed,
                "csv",
                "a quote opened in this cell is never closed: the row runs to the end of the "
                'file (close the quote, or write a quote inside a cell as "")',
            )
            return
        read_cells(row, cells, len(header), columns, reader)


def _unclosed_quote(
    cells: list[str], row: int, end_line: int, last_line: int, body: str
) -> int | None:
    """The column of a cell whose opening quote is never closed, or None. Python's reader
    then takes the rest of the file into that cell; an odd number of quotes in all shows it."""
    if end_line < last_line or end_line == row or body.count('"') % 2 == 0:
        return None
    for number, cell in enumerate(cells, start=1):
        if "\n" in cell or "\r" in cell:
            return number
    return None
