"""What every command shares: the `--data` option, dates, choices from enums, and the data
directory to read or to write."""

from __future__ import annotations

import os
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional, TypeVar

import typer
import typer.core

from liuxia_tracker.diagnostics import UsageError

if TYPE_CHECKING:
    from liuxia_tracker.commands.dataset import DataDir


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


def fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"tracker: {message}", err=True)
    return typer.Exit(code)


_Choice = TypeVar("_Choice", bound=StrEnum)


def one_of(choices: type[_Choice], text: str, option: str) -> _Choice:
    """`text` as one of an enum's values, or a usage error listing them all."""
    try:
        return choices(text)
    except ValueError:
        names = ", ".join(choice.value for choice in choices)
        raise UsageError(f"{option}: {text!r} is not one of {names}") from None


def parse_date(text: str | None, option: str) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option}: not a date: {text!r} (write YYYY-MM-DD)") from None


def data_dir_for_reading(option: Path | None) -> DataDir:
    """The data directory to read, saying so when it is the shipped seed data."""
    from liuxia_tracker.commands.dataset import resolve_data_dir

    data_dir = resolve_data_dir(option)
    if data_dir.shipped:
        typer.echo(
            f"tracker: no ./data/targets.yaml here; using the seed data shipped with the tool ({data_dir.path})",
            err=True,
        )
    return data_dir


def writable_data_dir(option: Path | None) -> DataDir:
    """The data directory figures are written to; never the seed data shipped with the tool."""
    from liuxia_tracker.commands.dataset import writable_data_dir as resolve_writable

    return resolve_writable(option)


def say_skipped(count: int) -> None:
    """One line on standard error when problems in the figure files were skipped."""
    if count:
        typer.echo(
            f"tracker: {count} problem{'s' if count != 1 else ''} in the figure files "
            f"{'were' if count != 1 else 'was'} skipped; run `tracker check` to see them",
            err=True,
        )


def write_out(content: str | bytes) -> None:
    """Text (as UTF-8) or bytes to standard output, written as bytes so a byte-order mark and
    every Chinese character survive any console encoding."""
    sys.stdout.flush()
    sys.stdout.buffer.write(content.encode("utf-8") if isinstance(content, str) else content)
    sys.stdout.buffer.flush()


# -- shell completion: ids from the plan (`commands.completion`) ----------------------------


def complete_district(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from liuxia_tracker.commands.completion import district_candidates

    return district_candidates(ctx.params.get("data"), incomplete)


def complete_target(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from liuxia_tracker.commands.completion import target_candidates

    return target_candidates(ctx.params.get("data"), ctx.params.get("district"), incomplete)


def complete_item(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    from liuxia_tracker.commands.completion import item_candidates

    params = ctx.params
    return item_candidates(
        params.get("data"), params.get("district"), params.get("target"), incomplete
    )


# Arguments and options several commands share, declared once.
DistrictArgument = Annotated[
    str,
    typer.Argument(
        metavar="DISTRICT",
        help="District id or name, e.g. lixia or 历下.",
        show_default=False,
        autocompletion=complete_district,
    ),
]
TargetArgument = Annotated[
    str,
    typer.Argument(
        metavar="TARGET",
        help="Target id or name, e.g. gdp_growth or 地区生产总值增长.",
        show_default=False,
        autocompletion=complete_target,
    ),
]
OverwriteOption = Annotated[
    bool, typer.Option("--force", help="Overwrite the --output file if it exists.")
]
LangOption = Annotated[
    Optional[str],  # noqa: UP045 - typer reads the annotation at run time
    typer.Option(
        "--lang", metavar="LANG", help="zh or en (default: from the locale).", show_default=False
    ),
]


def _turn_caches_off(context: typer.Context, value: bool) -> bool:
    """`--no-cache`: TRACKER_NO_CACHE=1 for this command (and the workers it starts)."""
    if value and os.environ.get("TRACKER_NO_CACHE") != "1":
        before = os.environ.get("TRACKER_NO_CACHE")
        os.environ["TRACKER_NO_CACHE"] = "1"

        def restore() -> None:
            if before is None:
                os.environ.pop("TRACKER_NO_CACHE", None)
            else:
                os.environ["TRACKER_NO_CACHE"] = before

        context.call_on_close(restore)
    return value


NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Read the plan and every log afresh, using and storing no cache (as "
        "TRACKER_NO_CACHE=1 does); the result is the same.",
        callback=_turn_caches_off,
    ),
]
