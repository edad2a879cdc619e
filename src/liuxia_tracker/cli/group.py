"""The `tracker` command group: usage errors and fatal errors as one line, `--version`.

Guarantees: a usage error prints `tracker: ...` and exits 2; a `TrackerError` raised by any
command is caught here, once, and printed as one line with its exit code; `--help` follows the
locale's language (`cli.help`).
"""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
import typer.core
import typer.main

from liuxia_tracker import __version__
from liuxia_tracker.cli.help import HELP_FLAGS
from liuxia_tracker.diagnostics import TrackerError


class _OneLineErrors(typer.core.TyperGroup):
    """Usage errors as one line on standard error (`tracker: ...`, exit 2), not Click's block."""

    def main(self, args: Any = None, standalone_mode: bool = True, **kwargs: Any) -> Any:  # type: ignore[override]
        from liuxia_tracker.cli.help import localize

        localize(self, args)
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
        except TrackerError as error:  # the one place a fatal error becomes its exit code
            typer.echo(f"tracker: {error}", err=True)
            sys.exit(error.exit_code)
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
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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


def command_name(info: typer.models.CommandInfo) -> str | None:
    """The name typer gives a registered command: its own, else its function's."""
    if info.name:
        return info.name
    return typer.main.get_command_name(info.callback.__name__) if info.callback else None


def app_for(arguments: Sequence[str]) -> typer.Typer:
    """The app to run `tracker ARGUMENTS` with: when they start with a command's name, a copy
    of `app` holding that command alone, so typer builds its options and no other command's
    (about 25 ms); the command and the group around it are built as they are in `app`.
    The whole app when help or shell completion may list the commands, or when the first
    argument is an option or names no command (a typo is answered with the list)."""
    if not arguments or arguments[0].startswith("-") or any(a in HELP_FLAGS for a in arguments):
        return app
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return app
    named = [info for info in app.registered_commands if command_name(info) == arguments[0]]
    if len(named) != 1:
        return app
    alone = copy.copy(app)
    alone.registered_commands = named
    return alone
