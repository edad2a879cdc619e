"""Figures to import from an Excel workbook (.xlsx, and .xls as Excel or WPS saves it), read by
python-calamine, an optional extra: `pip install 'liuxia-tracker[xlsx]'`.

Guarantees: the first sheet is read like a CSV file (`import_table.read_header`, `read_cells`):
the header is the first row naming two columns (a title
above it is skipped), and every problem is reported as `FILE:ROW:COL` with
the sheet's own row and column numbers (A1 is 1:1, whatever blank rows and columns come
first). A number cell is a number as Excel holds it (a double: digits beyond its precision
were lost when the cell was typed, so nothing here can refuse them); true/false cells are
`done` values; a date cell is its day, YYYY-MM-DD (a period typed as 2023-03 that Excel
turned into a date reads as the day 2023-03-01: format the period column as text). Without
python-calamine, a usage error (exit 2) says how to install it; a file calamine cannot open
is one `excel` problem at 1:1.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from liuxia_tracker.diagnostics import UsageError
from liuxia_tracker.domain.units import number_text
from liuxia_tracker.log.import_table import COLUMNS, column_name, read_cells, read_header

if TYPE_CHECKING:
    from liuxia_tracker.log.import_table import TableReader

INSTALL_HINT = "pip install 'liuxia-tracker[xlsx]'"


def _sheet_rows(data: bytes, display: str) -> list[list[Any]]:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        raise UsageError(
            f"{display} is an Excel workbook; reading it needs python-calamine: {INSTALL_HINT} "
            "(or save the sheet as CSV UTF-8)"
        ) from None
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheet = book.get_sheet_by_index(0)
    rows: list[list[Any]] = sheet.to_python(skip_empty_area=False)
    return rows


def _text(value: Any, column: str) -> Any:
    """A cell as the row reader takes it: numbers stay numbers only as the value."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        if column == "value":
            return int(value) if float(value).is_integer() and abs(value) < 2**53 else value
        return number_text(float(value))
    if isinstance(value, (time, timedelta)):
        return str(value)
    return value


def parse_workbook(data: bytes, display: str, reader: TableReader) -> None:
    """Read the first sheet's rows into `reader` (see the module docstring)."""
    try:
        rows = _sheet_rows(data, display)
    except UsageError:
        raise
    except Exception as error:  # calamine raises its own errors, and some of Python's
        reader.problem(1, 1, "excel", f"not a workbook python-calamine can read: {error}")
        return
    numbered = [
        (index, row) for index, row in enumerate(rows, start=1) if any(_filled(c) for c in row)
    ]
    if not numbered:
        return
    at = next((i for i, (_, row) in enumerate(numbered) if _is_header(row)), 0)
    numbered = numbered[at:]  # a title above the table ("本周数据") is not the header
    header_row, header = numbered[0]
    header_text = [cell if isinstance(cell, str) else _text(cell, "") or "" for cell in header]
    columns = read_header(header_text, header_row, reader)
    if columns is None:
        return
    names = {number: name for name, number in columns.items()}
    width = max((number for number in columns.values()), default=0)
    for row, cells in numbered[1:]:
        converted = [_text(cell, names.get(number, "")) for number, cell in enumerate(cells, 1)]
        while converted and not _filled(converted[-1]):
            converted.pop()
        read_cells(row, converted, width, columns, reader)


def _is_header(row: list[Any]) -> bool:
    return sum(1 for cell in row if isinstance(cell, str) and column_name(cell) in COLUMNS) >= 2


def _filled(cell: Any) -> bool:
    return not (cell is None or (isinstance(cell, str) and not cell.strip()))
