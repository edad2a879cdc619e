"""`tracker check` and `tracker status`: the commands that read and report."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
import typer.core

if TYPE_CHECKING:
    from datetime import date

    from liuxia_tracker.commands.dataset import DataDir
    from liuxia_tracker.commands.status import Filters, SortKey
    from liuxia_tracker.commands.status_memo import Look, ShownStatus

from liuxia_tracker.cli.group import app
from liuxia_tracker.cli.options import (
    DataOption,
    LangOption,
    NoCacheOption,
    OverwriteOption,
    data_dir_for_reading,
    fail,
    one_of,
    parse_date,
    say_skipped,
    write_out,
)


def _github_step_summary(result: Any, choice: Any) -> None:
    """Under `--format github`, every problem also goes to $GITHUB_STEP_SUMMARY when set."""
    from liuxia_tracker.commands.step_summary import append_step_summary
    from liuxia_tracker.render.diagnostics import DiagnosticFormat, resolve

    if resolve(choice) is DiagnosticFormat.GITHUB:
        failed = append_step_summary(result.diagnostics, result.files_checked)
        if failed is not None:
            typer.echo(f"tracker: {failed}", err=True)


@app.command()
def check(
    paths: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Argument(
            metavar="PATH",
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
            metavar="FORMAT",
            help="auto, text, json, github or gitlab (auto: github when GITHUB_ACTIONS=true).",
        ),
    ] = "auto",
    as_of: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Judge figures dated after this day as future (default: today).",
            show_default=False,
        ),
    ] = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Check the plan and the figure files; report every problem as path:line:col: CODE message.

    Exit 0 when clean, 1 when any problem is found, 2 on a usage error.
    """
    from liuxia_tracker.commands.check import check_paths
    from liuxia_tracker.render.diagnostics import DiagnosticFormat, render

    choice = one_of(DiagnosticFormat, output_format, "--format")
    result = check_paths(paths or [], data, parse_date(as_of, "--as-of"))
    sys.stdout.write(render(result.diagnostics, result.files_checked, choice))
    _github_step_summary(result, choice)
    raise typer.Exit(result.exit_code)


@app.command()
def status(
    districts: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(
            metavar="DISTRICT", help="District ids to show (default: all).", show_default=False
        ),
    ] = None,
    group: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--group",
            "-g",
            metavar="GROUP",
            help="Only targets in this group (repeatable).",
            show_default=False,
        ),
    ] = None,
    owner: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--owner",
            metavar="OWNER",
            help="Only targets of this responsible unit (repeatable).",
            show_default=False,
        ),
    ] = None,
    leader: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Option(
            "--leader",
            metavar="LEADER",
            help="Only targets of this 包联 leader (repeatable).",
            show_default=False,
        ),
    ] = None,
    status_filter: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--status",
            "-s",
            metavar="STATUSES",
            help="Only these statuses, comma-separated: achieved, ahead, on_track, at_risk, behind, missed, no_data, stale.",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Judge as of this day, YYYY-MM-DD (default: today).",
            show_default=False,
        ),
    ] = None,
    sort: Annotated[
        str,
        typer.Option(
            "--sort", metavar="ORDER", help="status (worst first), variance, completion or name."
        ),
    ] = "status",
    output_format: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="table, plain, markdown, csv, json, html or xlsx (default: table on a terminal, plain when piped).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (required for xlsx, which also needs --force to overwrite).",
            show_default=False,
        ),
    ] = None,
    force: OverwriteOption = False,
    lang: LangOption = None,
    no_cache: NoCacheOption = False,
    fail_on: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--fail-on",
            metavar="STATUSES",
            help="Exit 1 when any target shown has one of these statuses, e.g. behind,missed.",
            show_default=False,
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Show every target: actual, expected to date (序时进度), variance, completion, status and
    forecast, worst first, with a summary and score per district."""
    from liuxia_tracker.commands.status import Filters, SortKey, parse_statuses
    from liuxia_tracker.commands.status_memo import Look, shown_status
    from liuxia_tracker.i18n import Language, default_language
    from liuxia_tracker.render.formats import OutputFormat

    day = parse_date(as_of, "--as-of")
    sort_key = one_of(SortKey, sort, "--sort")
    language = one_of(Language, lang, "--lang") if lang else default_language()
    interactive = sys.stdout.isatty()
    default_format = OutputFormat.TABLE if interactive else OutputFormat.PLAIN
    # xlsx is a file, not text: it does not fit the text renderers' registry (render.formats).
    excel = output_format == "xlsx"
    if excel and output is None:
        raise fail("--format xlsx writes a file: give --output FILE", 2)
    chosen = (
        default_format
        if excel or not output_format
        else one_of(OutputFormat, output_format, "--format")
    )
    filters = Filters(
        districts=tuple(districts or ()),
        groups=tuple(group or ()),
        owners=tuple(owner or ()),
        leaders=tuple(leader or ()),
        statuses=parse_statuses(status_filter, option="--status"),
    )
    failing = parse_statuses(fail_on, option="--fail-on")
    color = (interactive and "NO_COLOR" not in os.environ) or bool(os.environ.get("FORCE_COLOR"))
    width = shutil.get_terminal_size().columns if interactive else None
    look = Look(chosen, language, color=color and output is None, width=width)
    if excel:
        shown = _xlsx_status(data_dir_for_reading(data), day, filters, sort_key, look)
    else:
        shown = shown_status(data_dir_for_reading(data), day, filters, sort_key, look)
    if shown.content is None:
        for problem in shown.plan_problems:
            typer.echo(str(problem), err=True)
        raise fail("the plan has problems; nothing to report (see above)", 1)
    say_skipped(shown.skipped)
    if not shown.rows:
        typer.echo("tracker: no target matches the districts and filters given", err=True)
    if output is not None:
        from liuxia_tracker.cli.bulletin import write_output

        write_output(output, shown.content, force)
    else:
        write_out(shown.content)
    if failing and shown.statuses & set(failing):
        raise typer.Exit(1)


def _xlsx_status(
    data_dir: DataDir, day: date, filters: Filters, sort_key: SortKey, look: Look
) -> ShownStatus:
    """The report as an xlsx workbook (a file, not text: never kept by the status memo)."""
    from liuxia_tracker.commands.status import build_status
    from liuxia_tracker.commands.status_memo import ShownStatus
    from liuxia_tracker.render.status_xlsx import render as render_xlsx

    result = build_status(data_dir, day, filters, sort_key)
    if result.report is None:
        return ShownStatus(None, frozenset(), 0, 0, tuple(result.diagnostics))
    content = render_xlsx(result.report, look.language)
    statuses = frozenset(row.status for row in result.report.rows)
    return ShownStatus(content, statuses, len(result.report.rows), len(result.diagnostics))
