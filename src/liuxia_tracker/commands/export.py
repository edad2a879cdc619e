"""`tracker export`: the plan, every figure and a status snapshot as long tables, for databases
and notebooks (JSON lines, CSV, or Parquet with the `export` extra).

Guarantees: the tables are built from the same loading and the same status computation as
`tracker status` (`commands.status.build_status`), so every number matches it. Where they go:
with one table (`--what`), OUTPUT is a file, or `-` for standard output (JSON lines, CSV), or an
existing folder to write `<table>.<ext>` into; with all three, OUTPUT is a folder, created if
missing. Each file is written whole or not at all (`output_files`). Figure records a rule finds
fault with are left out and counted, as `tracker status` does; a plan with problems exports
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

from liuxia_tracker.commands.dataset import DataDir, figure_files_in, load_dataset
from liuxia_tracker.commands.output_files import make_folder, replacing, write_atomically
from liuxia_tracker.commands.status import Filters, SortKey, build_status
from liuxia_tracker.diagnostics import Diagnostic, UsageError
from liuxia_tracker.render.export_tables import Table, figure_table, plan_table, status_table


class ExportFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"
    PARQUET = "parquet"


class TableName(StrEnum):
    PLAN = "plan"
    FIGURES = "figures"
    STATUS = "status"


STDOUT = "-"


@dataclass
class ExportResult:
    """What was exported: (table, where, rows) per table, or the text for standard output."""

    tables: list[Table] = field(default_factory=list)
    written: list[tuple[str, str, int]] = field(default_factory=list)
    text: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)  # figure lines left out
    plan_problems: list[Diagnostic] = field(default_factory=list)  # nothing was exported


def parse_choice(text: str, choices: type[StrEnum], option: str) -> StrEnum:
    try:
        return choices(text)
    except ValueError:
        names = ", ".join(choice.value for choice in choices)
        raise UsageError(f"{option}: {text!r} is not one of {names}") from None


def _destinations(
    tables: list[TableName], output: str, export_format: ExportFormat
) -> dict[TableName, Path] | None:
    """Where each table goes; None for standard output."""
    extension = export_format.value
    if output == STDOUT:
        if len(tables) != 1:
            raise UsageError("--output -: standard output takes one table; choose it with --what")
        if export_format is ExportFormat.PARQUET:
            raise UsageError("--output -: Parquet is written to a file or folder, not stdout")
        return None
    path = Path(output)
    if len(tables) == 1 and not path.is_dir() and not output.endswith(("/", "\\")):
        return {tables[0]: path}
    if path.exists() and not path.is_dir():
        raise UsageError(
            f"--output: {output} is a file; all three tables go into a folder "
            "(or choose one with --what)"
        )
    return {table: path / f"{table.value}.{extension}" for table in tables}


def build_tables(data_dir: DataDir, as_of: date, tables: list[TableName]) -> ExportResult:
    """The tables asked for (in `ExportResult.tables`), or the plan's problems."""
    status = build_status(data_dir, as_of, Filters(), SortKey.NAME)
    if status.report is None:
        return ExportResult(plan_problems=status.diagnostics)
    report = status.report
    result = ExportResult(diagnostics=status.diagnostics)
    dataset = None
    if TableName.PLAN in tables or TableName.FIGURES in tables:
        dataset = load_dataset(data_dir.plan_path, figure_files_in(data_dir), positions=False)
        if dataset.plan is None:  # the plan changed between the two reads
            return ExportResult(plan_problems=dataset.diagnostics)
    skipped = {(problem.path, problem.line) for problem in status.diagnostics}
    for table in tables:
        if table is TableName.STATUS:
            result.tables.append(status_table(report))
            continue
        assert dataset is not None and dataset.plan is not None
        if table is TableName.PLAN:
            result.tables.append(plan_table(dataset.plan))
        else:
            result.tables.append(figure_table(dataset.plan, dataset.figure_files, skipped))
    return result


def export(
    data_dir: DataDir,
    export_format: ExportFormat,
    what: TableName | None,
    output: str,
    as_of: date,
) -> ExportResult:
    from liuxia_tracker.render.export_text import as_csv, as_jsonl

    tables = [what] if what is not None else list(TableName)
    destinations = _destinations(tables, output, export_format)
    if export_format is ExportFormat.PARQUET:
        from liuxia_tracker.render.export_parquet import require_duckdb

        require_duckdb()
    result = build_tables(data_dir, as_of, tables)
    if result.plan_problems:
        return result
    text_of = {ExportFormat.JSONL: as_jsonl, ExportFormat.CSV: as_csv}
    if destinations is None:
        result.text = text_of[export_format](result.tables[0])
        return result
    if what is None:
        make_folder(Path(output))
    for table in result.tables:
        path = destinations[TableName(table.name)]
        if export_format is ExportFormat.PARQUET:
            from liuxia_tracker.render.export_parquet import write_parquet

            with replacing(path) as temporary:
                write_parquet(table, temporary)
        else:
            write_atomically(path, text_of[export_format](table).encode("utf-8"))
        result.written.append((table.name, str(path), len(table.rows)))
    return result
