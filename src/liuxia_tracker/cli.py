"""The command line: parse options, call the core, pick a renderer, map the result to an exit
code. No arithmetic and no file writes here. Heavy modules are imported inside the commands
that need them, so `tracker --version` and `tracker --help` start fast.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
import typer.core

from liuxia_tracker import __version__


class _OneLineErrors(typer.core.TyperGroup):
    """Usage errors as one line on standard error (`tracker: ...`, exit 2), not Click's block."""

    def main(self, args: Any = None, standalone_mode: bool = True, **kwargs: Any) -> Any:  # type: ignore[override]
        if not standalone_mode:
            return super().main(args, standalone_mode=False, **kwargs)
        from typer._click import exceptions

        try:
            code = super().main(args, standalone_mode=False, **kwargs)
        except exceptions.NoArgsIsHelpError as error:
            error.show()
            sys.exit(error.exit_code)
        except exceptions.UsageError as error:
            command = error.ctx.command_path if error.ctx is not None else "tracker"
            message = error.format_message()
            message = message[:1].lower() + message[1:].rstrip(".")
            typer.echo(f"tracker: {message} (see `{command} --help`)", err=True)
            sys.exit(2)
        except exceptions.ClickException as error:
            typer.echo(f"tracker: {error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except typer.Abort:
            typer.echo("tracker: aborted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    name="tracker",
    cls=_OneLineErrors,
    help="Track a district government's annual targets against the figures reported through the year.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DataOption = Annotated[
    Optional[Path],  # noqa: UP045 - typer reads the annotation at run time
    typer.Option(
        "--data",
        metavar="DIR",
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
    from liuxia_tracker.commands.dataset import resolve_data_dir
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
            help="auto, text, json or github (auto: github when GITHUB_ACTIONS=true).",
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
) -> None:
    """Check the plan and the figure files; report every problem as path:line:col: CODE message.

    Exit 0 when clean, 1 when any problem is found, 2 on a usage error.
    """
    from liuxia_tracker.commands.check import check_paths
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
    sys.stdout.write(render(result.diagnostics, result.files_checked, choice))
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
            help="table, plain, markdown, csv, json or html (default: table on a terminal, plain when piped).",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--lang",
            metavar="LANG",
            help="zh or en (default: from the locale).",
            show_default=False,
        ),
    ] = None,
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
    from liuxia_tracker.commands.status import Filters, SortKey, build_status, parse_statuses
    from liuxia_tracker.diagnostics import TrackerError
    from liuxia_tracker.i18n import Language, default_language
    from liuxia_tracker.render.view import OutputFormat, render_report

    day = _parse_date(as_of, "--as-of")
    try:
        sort_key = SortKey(sort)
    except ValueError:
        raise _fail(
            f"--sort: {sort!r} is not one of status, variance, completion, name", 2
        ) from None
    try:
        language = Language(lang) if lang else default_language()
    except ValueError:
        raise _fail(f"--lang: {lang!r} is not one of zh, en", 2) from None
    interactive = sys.stdout.isatty()
    try:
        chosen = (
            OutputFormat(output_format)
            if output_format
            else (OutputFormat.TABLE if interactive else OutputFormat.PLAIN)
        )
    except ValueError:
        names = ", ".join(f.value for f in OutputFormat)
        raise _fail(f"--format: {output_format!r} is not one of {names}", 2) from None
    try:
        filters = Filters(
            districts=tuple(districts or ()),
            groups=tuple(group or ()),
            owners=tuple(owner or ()),
            leaders=tuple(leader or ()),
            statuses=parse_statuses(status_filter, option="--status"),
        )
        failing = parse_statuses(fail_on, option="--fail-on")
        result = build_status(_data_dir(data), day, filters, sort_key)
    except TrackerError as error:
        raise _fail(str(error), error.exit_code) from None
    if result.report is None:
        for problem in result.diagnostics:
            typer.echo(str(problem), err=True)
        raise _fail("the plan has problems; nothing to report (see above)", 1)
    if result.diagnostics:
        count = len(result.diagnostics)
        typer.echo(
            f"tracker: {count} problem{'s' if count != 1 else ''} in the figure files "
            f"{'were' if count != 1 else 'was'} skipped; run `tracker check` to see them",
            err=True,
        )
    if not result.report.rows:
        typer.echo("tracker: no target matches the districts and filters given", err=True)
    color = (interactive and "NO_COLOR" not in os.environ) or bool(os.environ.get("FORCE_COLOR"))
    width = shutil.get_terminal_size().columns if interactive else None
    text = render_report(result.report, chosen, language, color=color, width=width)
    # Bytes, so the CSV's byte-order mark and every Chinese character survive any console.
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
    if failing and any(row.status in failing for row in result.report.rows):
        raise typer.Exit(1)


# -- recording figures: record, import, history, repair -------------------------------------


def _writable_data_dir(option: Path | None) -> Any:
    """The data directory figures are written to; never the seed data shipped with the tool."""
    from liuxia_tracker.commands.dataset import resolve_data_dir
    from liuxia_tracker.diagnostics import TrackerError

    try:
        data_dir = resolve_data_dir(option)
    except TrackerError as error:
        raise _fail(str(error), error.exit_code) from None
    if data_dir.shipped:
        raise _fail(
            "no data directory: give --data DIR, set TRACKER_DATA, or run where "
            "./data/targets.yaml is (figures are never written into the shipped seed data)",
            2,
        )
    return data_dir


@app.command(context_settings={"ignore_unknown_options": True})
def record(
    district: Annotated[
        str, typer.Argument(metavar="DISTRICT", help="District id, e.g. lixia.", show_default=False)
    ],
    target: Annotated[
        str,
        typer.Argument(metavar="TARGET", help="Target id, e.g. gdp_growth.", show_default=False),
    ],
    period: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            metavar="PERIOD",
            help="Period: 2023, 2023-Q1, 2023-03, 2023-W05, 2023-03-D1 or 2023-03-15.",
            show_default=False,
        ),
    ] = None,
    value: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            metavar="VALUE",
            help='The figure: a number or a shorthand such as "6%", "15亿", "80万".',
            show_default=False,
        ),
    ] = None,
    unit: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--unit",
            metavar="UNIT",
            help="Unit of VALUE (default: the target's).",
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--source", metavar="TEXT", help="Where the figure comes from.", show_default=False
        ),
    ] = None,
    note: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--note", metavar="TEXT", help="A note kept with the record.", show_default=False
        ),
    ] = None,
    by: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--by", metavar="WHO", help="Who records it (default: $USER).", show_default=False
        ),
    ] = None,
    item: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--item",
            metavar="ID",
            help="Record an item's progress instead of a value.",
            show_default=False,
        ),
    ] = None,
    done: Annotated[
        Optional[bool],  # noqa: UP045
        typer.Option(
            "--done/--not-done",
            help="With --item: the item is done, or not (yet).",
            show_default=False,
        ),
    ] = None,
    done_on: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--date",
            metavar="DATE",
            help="With --item: the day it was done, YYYY-MM-DD.",
            show_default=False,
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Append one figure (or an item's progress) to the district's figure file.

    Validated against the plan and the existing series first; refused with exit 1 and the file
    untouched when it does not fit. The same value again is a no-op; a different one is a
    revision (the latest wins, the old record stays). A rate may be negative: -0.5.
    """
    from liuxia_tracker.commands.record import (
        describe_change,
        figure_from_arguments,
        load_plan_for_writing,
        record_figure,
    )
    from liuxia_tracker.diagnostics import TrackerError

    data_dir = _writable_data_dir(data)
    try:
        figure = figure_from_arguments(
            target,
            period,
            value,
            unit=unit,
            item=item,
            done=done,
            done_on=done_on,
            source=source,
            note=note,
            by=by,
        )
        plan = load_plan_for_writing(data_dir, [district])
        change = record_figure(data_dir, plan, district, figure, by=by)
    except TrackerError as error:
        raise _fail(str(error), error.exit_code) from None
    typer.echo(describe_change(change))


@app.command("import")
def import_command(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE|-",
            help="A CSV file with a header row, a JSON-lines file, or - for standard input.",
            show_default=False,
        ),
    ],
    district: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--district",
            metavar="DISTRICT",
            help="The district of every row (instead of a district column).",
            show_default=False,
        ),
    ] = None,
    input_format: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="csv or jsonl (default: by extension, else by content).",
            show_default=False,
        ),
    ] = None,
    encoding: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--encoding",
            metavar="ENCODING",
            help="Text encoding (default: detect UTF-8, UTF-8 with BOM, GBK/GB18030).",
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--by",
            metavar="WHO",
            help="Who records rows without a `by` (default: $USER).",
            show_default=False,
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Import figures from CSV or JSON lines: all rows or none.

    Every bad row is reported as FILE:ROW:COL: CODE message (ROW is the file's line number, the
    header being line 1) and nothing is written. Rows already recorded are skipped.
    """
    from liuxia_tracker.commands.record import (
        describe_import,
        import_figures,
        load_plan_for_writing,
    )
    from liuxia_tracker.diagnostics import TrackerError
    from liuxia_tracker.log.import_file import check_format_name, parse_import, read_source

    data_dir = _writable_data_dir(data)
    try:
        chosen = check_format_name(input_format) if input_format else None
        content, display = read_source(file)
        parsed = parse_import(
            content,
            display,
            name=None if file == "-" else file,
            import_format=chosen,
            encoding=encoding,
            district=district,
        )
        named = {row.district for row in parsed.rows if row.district is not None}
        plan = load_plan_for_writing(data_dir, named)
        with _import_progress(len(parsed.rows)) as progress:
            result = import_figures(data_dir, plan, parsed, by=by, progress=progress)
    except TrackerError as error:
        raise _fail(str(error), error.exit_code) from None
    if result.diagnostics:
        for problem in result.diagnostics:
            typer.echo(str(problem))
        count = len(result.diagnostics)
        raise _fail(
            f"{count} problem{'s' if count != 1 else ''} in {display}; nothing was written", 1
        )
    for line in describe_import(result):
        typer.echo(line)


_PROGRESS_MIN_ROWS = 2000


@contextlib.contextmanager
def _import_progress(rows: int) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr for large imports, only when stderr is a terminal."""
    if rows < _PROGRESS_MIN_ROWS or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("checking rows", total=rows)
        yield lambda done, total: progress.update(task, completed=done, total=total)


@app.command()
def history(
    district: Annotated[
        str, typer.Argument(metavar="DISTRICT", help="District id, e.g. lixia.", show_default=False)
    ],
    target: Annotated[
        str,
        typer.Argument(metavar="TARGET", help="Target id, e.g. gdp_growth.", show_default=False),
    ],
    output_format: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="plain or json.")
    ] = "plain",
    data: DataOption = None,
) -> None:
    """Every record of one target, superseded ones too: which wins each period, who recorded
    it and when, the source, and a sparkline of the series."""
    from liuxia_tracker.commands.record import (
        history_as_json,
        history_as_plain,
        load_plan_for_writing,
        target_history,
    )
    from liuxia_tracker.diagnostics import TrackerError

    renderers = {"plain": history_as_plain, "json": history_as_json}
    if output_format not in renderers:
        raise _fail(f"--format: {output_format!r} is not one of plain, json", 2)
    data_dir = _data_dir(data)
    try:
        plan = load_plan_for_writing(data_dir, [district])
        found = target_history(data_dir, plan, district, target)
    except TrackerError as error:
        raise _fail(str(error), error.exit_code) from None
    sys.stdout.write(renderers[output_format](found))


@app.command()
def repair(
    files: Annotated[
        Optional[list[Path]],  # noqa: UP045
        typer.Argument(
            metavar="FILE",
            help="Figure files (default: every figure file of the data directory).",
            show_default=False,
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """After a crash: move a torn last line to <file>.torn-<timestamp> (never deleting it), or
    add the newline a complete last record lacks. Exit 0 when nothing needed repair or it
    succeeded."""
    from liuxia_tracker.commands.record import describe_repair, repair_paths
    from liuxia_tracker.diagnostics import TrackerError

    data_dir = None if files else _writable_data_dir(data)
    try:
        repairs = repair_paths(data_dir, list(files or []))
    except TrackerError as error:
        raise _fail(str(error), error.exit_code) from None
    if not repairs:
        typer.echo("no figure files; nothing to repair")
    for done in repairs:
        typer.echo(describe_repair(done))


def main() -> None:
    # Pydantic looks for third-party plugins (through importlib.metadata) the first time a
    # model is built: 15 ms of every command's start-up, for plugins this tool never uses.
    # Set for this process only, and only when the user has not set it.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app()
