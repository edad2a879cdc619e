"""The command line: parse options, call the core, pick a renderer, map the result to an exit
code. No arithmetic and no file writes here. Heavy modules are imported inside the commands
that need them, so `tracker --version` and `tracker --help` start fast.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from liuxia_tracker import __version__

app = typer.Typer(
    name="tracker",
    help="Track a district government's annual targets against the figures reported through the year.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

DataOption = Annotated[
    Optional[Path],  # noqa: UP045 - typer reads the annotation at run time
    typer.Option(
        "--data",
        help="Data directory holding targets.yaml and figures/ (default: $TRACKER_DATA, ./data, "
        "else the shipped seed data).",
        show_default=False,
    ),
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tracker {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Track a district government's annual targets against the figures reported through the year."""


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"tracker: {message}", err=True)
    return typer.Exit(code)


def _parse_date(text: str | None, option: str) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _fail(f"{option}: not a date: {text!r} (write YYYY-MM-DD)", 2) from None


def _data_dir(option: Path | None):  # type: ignore[no-untyped-def]
    from liuxia_tracker.dataset import resolve_data_dir
    from liuxia_tracker.diagnostics import TrackerError

    try:
        data_dir = resolve_data_dir(option)
    except TrackerError as error:
        raise _fail(str(error), error.exit_code) from None
    if data_dir.shipped:
        typer.echo(
            f"tracker: no ./data/targets.yaml here; using the seed data shipped with the tool ({data_dir.path})",
            err=True,
        )
    return data_dir


@app.command()
def check(
    paths: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Argument(
            help="Data directories, plan files (targets.yaml) or figure files "
            "(default: the data directory).",
            show_default=False,
        ),
    ] = None,
    data: DataOption = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="auto, text, json or github (auto: github when GITHUB_ACTIONS=true).",
        ),
    ] = "auto",
    as_of: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--as-of",
            help="Judge figures dated after this day as future (default: today).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check the plan and the figure files; report every problem as path:line:col: CODE message.

    Exit 0 when clean, 1 when any problem is found, 2 on a usage error.
    """
    from liuxia_tracker.checking import check_paths
    from liuxia_tracker.diagnostics import TrackerError
    from liuxia_tracker.render.diagnostics import DiagnosticFormat, render

    try:
        choice = DiagnosticFormat(output_format)
    except ValueError:
        raise _fail(
            f"--format: {output_format!r} is not one of auto, text, json, github", 2
        ) from None
    day = _parse_date(as_of, "--as-of")
    try:
        result = check_paths(paths or [], data, day)
    except TrackerError as error:
        raise _fail(str(error), error.exit_code) from None
    if result.used_seed:
        typer.echo(
            "tracker: no ./data/targets.yaml here; checking the seed data shipped with the tool",
            err=True,
        )
    sys.stdout.write(render(result.diagnostics, result.files_checked, choice))
    raise typer.Exit(result.exit_code)


def main() -> None:
    app()
