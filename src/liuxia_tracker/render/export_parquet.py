"""Export tables as Parquet files, through DuckDB (the optional `export` extra).

Guarantees: DuckDB is imported only here and only when Parquet is asked for; without it,
`ParquetUnavailable` says in one line how to install it. Each column has the type its `Column`
names (VARCHAR, BIGINT, DOUBLE, BOOLEAN, DATE), whatever the rows hold, so an empty table or a
column of nulls keeps its type. The rows go to DuckDB as JSON lines (`render.export_text`), the
same values the other formats show.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from liuxia_tracker.diagnostics import UsageError
from liuxia_tracker.render.export_tables import ColumnType, Table
from liuxia_tracker.render.export_text import as_jsonl

INSTALL_HINT = (
    "Parquet export needs DuckDB; install it with: pip install 'liuxia-tracker[export]' "
    "(or pip install duckdb)"
)

_SQL_TYPE = {
    ColumnType.TEXT: "VARCHAR",
    ColumnType.INTEGER: "BIGINT",
    ColumnType.DOUBLE: "DOUBLE",
    ColumnType.BOOLEAN: "BOOLEAN",
    ColumnType.DATE: "DATE",
}


class ParquetUnavailable(UsageError):
    """DuckDB is not installed (exit 2, with the line that says how to install it)."""


def require_duckdb() -> None:
    """Fail early, before any table is built, when Parquet cannot be written."""
    try:
        import duckdb  # noqa: F401
    except ImportError:
        raise ParquetUnavailable(INSTALL_HINT) from None


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def write_parquet(table: Table, path: Path) -> None:
    """Write `table` to `path` (a new file: the caller moves it into place)."""
    import duckdb

    columns = ", ".join(
        f"{_quote(column.name)}: {_quote(_SQL_TYPE[column.type])}" for column in table.columns
    )
    selected = ", ".join('"' + column.name.replace('"', '""') + '"' for column in table.columns)
    with tempfile.TemporaryDirectory(prefix="tracker-export-") as folder:
        rows = Path(folder) / f"{table.name}.jsonl"
        rows.write_text(as_jsonl(table), encoding="utf-8")
        connection = duckdb.connect(":memory:")
        try:
            connection.execute(
                f"COPY (SELECT {selected} FROM read_json({_quote(str(rows))}, "
                f"format = 'newline_delimited', columns = {{{columns}}})) "
                f"TO {_quote(str(path))} (FORMAT parquet)"
            )
        finally:
            connection.close()
