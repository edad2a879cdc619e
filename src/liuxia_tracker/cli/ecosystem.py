"""`tracker schema` and `tracker export`: the commands that hand data to other tools."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
import typer.core

if TYPE_CHECKING:
    pass

from liuxia_tracker.cli.group import app
from liuxia_tracker.cli.options import (
    DataOption,
    data_dir_for_reading,
    fail,
    parse_date,
    say_skipped,
    write_out,
)


@app.command()
def schema(
    name: Annotated[
        str,
        typer.Argument(metavar="[plan|figure]", help="Which file's schema: plan or figure."),
    ] = "plan",
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the schema to FILE instead of standard output.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Print the draft-07 JSON Schema of the plan (targets.yaml) or of a figure file, for
    editors and other tools (`tracker check` remains the judge)."""
    from liuxia_tracker.commands.schema import parse_schema_name, write_schema

    text = write_schema(parse_schema_name(name), output)
    if text is not None:
        write_out(text)


@app.command()
def export(
    output_format: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", help="jsonl, csv or parquet."),
    ] = "jsonl",
    what: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--what",
            metavar="TABLE",
            help="plan, figures or status (default: all three, into the folder OUTPUT).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR|FILE",
            help="A folder for the tables; with --what, a file (or - for standard output).",
            show_default=False,
        ),
    ] = "",
    as_of: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="The day of the status snapshot, YYYY-MM-DD (default: today).",
            show_default=False,
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Export the plan's targets, every figure (superseded ones too) and a status snapshot as
    long tables: JSON lines, CSV, or Parquet (pip install 'liuxia-tracker[export]')."""
    from liuxia_tracker.commands.export import ExportFormat, TableName, export, parse_choice

    if not output:
        raise fail(
            "--output: give a folder, or a file with --what (see `tracker export --help`)", 2
        )
    day = parse_date(as_of, "--as-of")
    chosen = ExportFormat(parse_choice(output_format, ExportFormat, "--format"))
    table = TableName(parse_choice(what, TableName, "--what")) if what else None
    result = export(data_dir_for_reading(data), chosen, table, output, day)
    if result.plan_problems:
        for problem in result.plan_problems:
            typer.echo(str(problem), err=True)
        raise fail("the plan has problems; nothing exported (see above)", 1)
    say_skipped(len(result.diagnostics))
    if result.text is not None:
        write_out(result.text)
    for name, path, rows in result.written:
        typer.echo(f"{name}: {rows} row{'s' if rows != 1 else ''} written to {path}")
