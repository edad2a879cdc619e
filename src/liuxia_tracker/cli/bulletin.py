"""`tracker bulletin`: the 月通报 / 季分析 of a period, in markdown, plain text, HTML, Word or
Excel."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional

import typer

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
from liuxia_tracker.diagnostics import UsageError


class BulletinFormat(StrEnum):
    MARKDOWN = "markdown"
    PLAIN = "plain"
    HTML = "html"
    DOCX = "docx"
    XLSX = "xlsx"


BINARY_FORMATS = (BulletinFormat.DOCX, BulletinFormat.XLSX)


def write_output(path: Path, content: bytes, force: bool) -> None:
    """Write a file the user asked for, refusing to overwrite one unless `force`."""
    from liuxia_tracker.commands.output_files import write_atomically

    if path.exists() and not force:
        raise UsageError(f"--output: {path} exists; add --force to overwrite it")
    write_atomically(path, content)


@app.command()
def bulletin(
    districts: Annotated[
        Optional[list[str]],  # noqa: UP045
        typer.Argument(
            metavar="DISTRICT", help="District ids to report (default: all).", show_default=False
        ),
    ] = None,
    period: Annotated[
        str,
        typer.Option(
            "--period",
            "-p",
            metavar="PERIOD",
            help="The month, quarter, half or year: 2023-05, 2023-Q2, 2023-H1 or 2023.",
        ),
    ] = ...,  # type: ignore[assignment]
    issued: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--issued",
            metavar="DATE",
            help="The issue day, YYYY-MM-DD: figures known by then count (default: today).",
            show_default=False,
        ),
    ] = None,
    compare_with: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--compare",
            metavar="PERIOD",
            help="The bulletin to compare with (default: the period before, issued one period earlier).",
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        str,
        typer.Option(
            "--by", metavar="GROUPING", help="Group sections 3-5 by district, owner or leader."
        ),
    ] = "district",
    output_format: Annotated[
        str,
        typer.Option(
            "--format", "-f", metavar="FORMAT", help="markdown, plain, html, docx or xlsx."
        ),
    ] = "markdown",
    output: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (required for docx and xlsx; default: standard output).",
            show_default=False,
        ),
    ] = None,
    force: OverwriteOption = False,
    template: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(
            "--template",
            metavar="FILE",
            help="A .docx template of the office's own (docx only).",
            show_default=False,
        ),
    ] = None,
    lang: LangOption = None,
    data: DataOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Write the bulletin of a period (月通报, 季分析, year-end review): overview, ranking with
    red/yellow/green lights, lagging targets, overdue reports and next steps per owner."""
    from liuxia_tracker.commands.bulletin import build_bulletin, bulletin_period
    from liuxia_tracker.engine.bulletin import Grouping
    from liuxia_tracker.i18n import Language, default_language

    chosen = one_of(BulletinFormat, output_format, "--format")
    grouping = one_of(Grouping, by, "--by")
    language = one_of(Language, lang, "--lang") if lang else default_language()
    if chosen in BINARY_FORMATS and output is None:
        raise UsageError(f"--format {chosen.value} writes a file: give --output FILE")
    if template is not None and chosen is not BulletinFormat.DOCX:
        raise UsageError("--template is for --format docx")
    if template is not None and not template.is_file():
        raise UsageError(f"--template: no such file {template}")
    the_period = bulletin_period(period)
    before = bulletin_period(compare_with, "--compare") if compare_with else None
    result = build_bulletin(
        data_dir_for_reading(data),
        the_period,
        parse_date(issued, "--issued"),
        before,
        tuple(districts or ()),
        grouping,
    )
    if result.bulletin is None:
        for problem in result.diagnostics:
            typer.echo(str(problem), err=True)
        raise fail("the plan has problems; nothing to report (see above)", 1)
    say_skipped(len(result.diagnostics))
    content = _render(result.bulletin, chosen, language, template)
    if output is not None:
        write_output(output, content, force)
        return
    write_out(content)


def _render(
    bulletin: object, chosen: BulletinFormat, language: object, template: Path | None
) -> bytes:
    from liuxia_tracker.engine.bulletin import Bulletin
    from liuxia_tracker.i18n import Language

    assert isinstance(bulletin, Bulletin) and isinstance(language, Language)
    if chosen is BulletinFormat.DOCX:
        from liuxia_tracker.render.bulletin_docx import render as render_docx

        return render_docx(bulletin, language, template)
    if chosen is BulletinFormat.XLSX:
        from liuxia_tracker.render.bulletin_xlsx import render as render_xlsx

        return render_xlsx(bulletin, language)
    if chosen is BulletinFormat.HTML:
        from liuxia_tracker.render.bulletin_html import render as render_text
    elif chosen is BulletinFormat.PLAIN:
        from liuxia_tracker.render.bulletin_plain import render as render_text
    else:
        from liuxia_tracker.render.bulletin_markdown import render as render_text
    return render_text(bulletin, language).encode("utf-8")
