"""Export tables as JSON lines or CSV text.

Guarantees: one JSON object per row, keys in column order; text and exact decimals are JSON
strings, doubles and integers JSON numbers (a whole double without `.0`), dates `YYYY-MM-DD`,
booleans `true`/`false`, missing values `null`. CSV: UTF-8 without a byte-order mark (for
databases; `tracker status --format csv` is the one for Excel), a header row, `\\n` line ends,
booleans `true`/`false`, an empty field for a missing value: what PostgreSQL's
`\\copy … (FORMAT csv, HEADER true)` reads as NULL.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from liuxia_tracker.domain.units import format_number, number_text
from liuxia_tracker.render.export_tables import ColumnType, Table


def _json_value(value: Any, kind: ColumnType) -> Any:
    if value is None:
        return None
    if kind is ColumnType.DOUBLE:
        return format_number(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def as_jsonl(table: Table) -> str:
    names = [column.name for column in table.columns]
    kinds = [column.type for column in table.columns]
    lines = []
    for row in table.rows:
        record = {
            name: _json_value(value, kind)
            for name, value, kind in zip(names, row, kinds, strict=True)
        }
        lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    return "".join(lines)


def _csv_value(value: Any, kind: ColumnType) -> str:
    if value is None:
        return ""
    if kind is ColumnType.BOOLEAN:
        return "true" if value else "false"
    if kind is ColumnType.DOUBLE:
        return number_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def as_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([column.name for column in table.columns])
    kinds = [column.type for column in table.columns]
    for row in table.rows:
        writer.writerow([_csv_value(value, kind) for value, kind in zip(row, kinds, strict=True)])
    return buffer.getvalue()
