"""`tracker targets`, `init` and `retract`: finding the ids, starting a plan, withdrawing a
figure."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from liuxia_tracker.cli.group import app
from liuxia_tracker.cli.options import (
    DataOption,
    DistrictArgument,
    TargetArgument,
    complete_district,
    complete_item,
    data_dir_for_reading,
    parse_date,
    writable_data_dir,
)


@app.command()
def targets(
    districts: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(
            metavar="DISTRICT",
            help="District ids or names (default: all).",
            show_default=False,
            autocompletion=complete_district,
        ),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="table, csv or json.")
    ] = "table",
    as_of: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="The day the next figure due is reckoned from (default: today).",
            show_default=False,
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Every target's id, names, group, kind, unit, cadence, qualifier, owner, leader and the
    next figure due."""
    import csv
    import io

    from liuxia_tracker.commands.targets import COLUMNS, list_targets

    if output_format not in ("table", "csv", "json"):
        raise typer.BadParameter(f"{output_format!r} is not one of table, csv, json")
    lines = list_targets(
        data_dir_for_reading(data), list(districts or []), parse_date(as_of, "--as-of")
    )
    rows = [line.as_dict() for line in lines]
    if output_format == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif output_format == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        sys.stdout.write(buffer.getvalue())
    else:
        from tabulate import tabulate

        shown = [[row[column] or "" for column in COLUMNS] for row in rows]
        sys.stdout.write(tabulate(shown, headers=list(COLUMNS), tablefmt="simple") + "\n")


@app.command()
def init(
    folder: Annotated[
        Path,
        typer.Argument(metavar="DIR", help="A new or empty folder.", show_default=False),
    ],
    from_example: Annotated[
        bool,
        typer.Option(
            "--from-example",
            help="Copy the shipped example (plan and figures) as a writable data directory.",
        ),
    ] = False,
) -> None:
    """Start a data directory: a commented plan skeleton that `tracker check` passes, or a
    writable copy of the shipped example (--from-example)."""
    from liuxia_tracker.commands.init import init_data_dir

    written = init_data_dir(folder, from_example=from_example)
    for path in written:
        typer.echo(f"wrote {path}")
    typer.echo(f"next: tracker check {folder}; tracker status --data {folder}")


@app.command()
def retract(
    district: DistrictArgument,
    target: TargetArgument,
    period: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(metavar="PERIOD", help="The period to withdraw.", show_default=False),
    ] = None,
    reason: Annotated[
        str,
        typer.Option("--reason", metavar="TEXT", help="Why the figure is withdrawn (required)."),
    ] = "",
    item: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--item",
            metavar="ID",
            help="Withdraw an item's standing state instead of a period's figure.",
            show_default=False,
            autocompletion=complete_item,
        ),
    ] = None,
    by: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--by", metavar="WHO", help="Who retracts it (default: $USER).", show_default=False
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Withdraw the standing figure of a period (or item) by appending a retraction: the period
    falls back to the figure before it, and `history` shows the retraction."""
    from liuxia_tracker.commands.retract import retract as retract_figure

    typer.echo(
        retract_figure(
            writable_data_dir(data), district, target, period, reason=reason, item=item, by=by
        )
    )
