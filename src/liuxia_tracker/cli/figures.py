"""`tracker record`, `import`, `history` and `repair`: the commands about figures."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
import typer.core

if TYPE_CHECKING:
    pass

from liuxia_tracker.cli.group import app
from liuxia_tracker.cli.options import (
    DataOption,
    DistrictArgument,
    TargetArgument,
    complete_item,
    data_dir_for_reading,
    fail,
    one_of,
    writable_data_dir,
)


@app.command(context_settings={"ignore_unknown_options": True})
def record(
    district: DistrictArgument,
    target: TargetArgument,
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
            help="Record an item's progress instead of a value (the item's id or name).",
            show_default=False,
            autocompletion=complete_item,
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
    published: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--published",
            metavar="DATE",
            help="The day the figure was made public, YYYY-MM-DD (发布日期).",
            show_default=False,
        ),
    ] = None,
    level: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--level",
            metavar="AMOUNT",
            help='A rate\'s level, an amount with its unit, e.g. "1165.1亿元".',
            show_default=False,
        ),
    ] = None,
    provisional: Annotated[
        bool,
        typer.Option(
            "--provisional",
            help="A 快报: the figure is sent before its period ends, to be confirmed.",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Record a value the plausibility check refuses (settings.max_ratio).",
        ),
    ] = False,
    data: DataOption = None,
) -> None:
    """Append one figure (or an item's progress) to the district's figure file.

    Validated against the plan and the existing series first; refused with exit 1 and the file
    untouched when it does not fit. The same value again is a no-op; a different one is a
    revision (the latest wins, the old record stays). A rate may be negative: -0.5.
    """
    from liuxia_tracker.commands.record import describe_change
    from liuxia_tracker.commands.record import record as record_figure

    change = record_figure(
        writable_data_dir(data),
        district,
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
        published=published,
        level=level,
        provisional=provisional,
        force=force,
    )
    typer.echo(describe_change(change))


@app.command("import")
def import_command(
    file: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(
            metavar="FILE|-",
            help=(
                "A CSV or Excel (.xlsx, .xls) file with a header row, a JSON-lines file, or - "
                "for standard input; with --template, the districts (default: all)."
            ),
            show_default=False,
        ),
    ] = None,
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
            help="csv, jsonl or excel (default: by extension, else by content).",
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
    force: Annotated[
        bool,
        typer.Option("--force", help="Import values the plausibility check refuses, as forced."),
    ] = False,
    provisional: Annotated[
        bool,
        typer.Option("--provisional", help="Every row is a 快报 (provisional figure)."),
    ] = False,
    template: Annotated[
        bool,
        typer.Option(
            "--template", help="Write the CSV to fill in instead; the arguments are districts."
        ),
    ] = False,
    period: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--period",
            metavar="PERIOD",
            help="With --template: the period (default: each target's latest ended period).",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--lang",
            metavar="LANG",
            help="With --template: zh or en headers and names (default: zh).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="With --template: the file to write, or - for standard output.",
            show_default=False,
        ),
    ] = None,
    data: DataOption = None,
) -> None:
    """Import figures from CSV, Excel (.xlsx) or JSON lines: all rows or none.

    Every bad row is reported as FILE:ROW:COL: CODE message (ROW is the file's line number, the
    header being line 1) and nothing is written. Rows already recorded are skipped. With
    --template, write the CSV of the figures due instead, to fill in and import.
    """
    if template:
        _write_template(file or [], period, lang, encoding, output, data)
        return
    for name, given in (("--period", period), ("--lang", lang), ("--output", output)):
        if given is not None:
            raise fail(f"{name} goes with --template", 2)
    if not file or len(file) > 1:
        raise fail("give one FILE to import (or - for standard input), or --template", 2)
    from liuxia_tracker.commands.import_figures import describe_import, run_import

    data_dir = writable_data_dir(data)
    with _progress_bar() as progress:
        result = run_import(
            data_dir,
            file[0],
            district=district,
            import_format=input_format,
            encoding=encoding,
            by=by,
            progress=progress,
            force=force,
            provisional=provisional,
        )
    if result.diagnostics:
        for problem in result.diagnostics:
            typer.echo(str(problem))
        count = len(result.diagnostics)
        raise fail(
            f"{count} problem{'s' if count != 1 else ''} in {result.source}; nothing was written",
            1,
        )
    for line in describe_import(result):
        typer.echo(line)


def _write_template(
    districts: list[str],
    period: str | None,
    lang: str | None,
    encoding: str | None,
    output: str | None,
    data: Path | None,
) -> None:
    from liuxia_tracker.commands.import_template import write_template
    from liuxia_tracker.i18n import Language

    if output is None:
        raise fail("--template needs --output FILE (or - for standard output)", 2)
    language = one_of(Language, lang, "--lang") if lang else Language("zh")
    content, rows = write_template(
        data_dir_for_reading(data),
        districts,
        output=output,
        period=period,
        language="zh" if language.value == "zh" else "en",
        encoding=encoding or "utf-8-sig",
    )
    if output == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    else:
        typer.echo(f"wrote {output}: {rows} row{'s' if rows != 1 else ''} to fill in")


_PROGRESS_MIN_ROWS = 2000
ProgressStart = Callable[[int], Callable[[int, int], None] | None]


@contextlib.contextmanager
def _progress_bar() -> Iterator[ProgressStart]:
    """A progress bar on stderr for a large import, only when stderr is a terminal: what it
    yields starts the bar for a number of rows, or declines for a few."""
    with contextlib.ExitStack() as stack:

        def start(rows: int) -> Callable[[int, int], None] | None:
            if rows < _PROGRESS_MIN_ROWS or not sys.stderr.isatty():
                return None
            from rich.console import Console
            from rich.progress import Progress

            progress = stack.enter_context(Progress(console=Console(stderr=True), transient=True))
            task = progress.add_task("checking rows", total=rows)
            return lambda done, total: progress.update(task, completed=done, total=total)

        yield start


@app.command()
def history(
    district: DistrictArgument,
    target: TargetArgument,
    output_format: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="plain or json.")
    ] = "plain",
    data: DataOption = None,
) -> None:
    """Every record of one target, superseded ones too: which wins each period, who recorded
    it and when, the source, and a sparkline of the series."""
    from liuxia_tracker.commands.history import history as target_history
    from liuxia_tracker.commands.history import streamed_history
    from liuxia_tracker.render.history import HistoryFormat, render, stream_json

    chosen = one_of(HistoryFormat, output_format, "--format")
    if chosen is HistoryFormat.JSON:  # streamed: memory independent of the log's size
        with streamed_history(data_dir_for_reading(data), district, target) as streamed:
            for piece in stream_json(streamed.outline, streamed.entries):
                sys.stdout.write(piece)
        return
    found = target_history(data_dir_for_reading(data), district, target)
    sys.stdout.write(render(found, chosen))


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
    from liuxia_tracker.commands.repair import describe_repair, describe_rollback, repair_paths

    data_dir = None if files else writable_data_dir(data)
    outcome = repair_paths(data_dir, list(files or []))
    for rollback in outcome.rollbacks:
        for line in describe_rollback(rollback):
            typer.echo(line)
    if not outcome.repairs and not outcome.rollbacks:
        typer.echo("no figure files; nothing to repair")
    for done in outcome.repairs:
        typer.echo(describe_repair(done))
