"""The command line: parse options, call one service function of `commands`, pick a renderer,
map the result to an exit code. No arithmetic and no file writes here; a `TrackerError` from
any command is caught once (`cli.group`) and printed as one line.

One module per group of commands registers them on `app` (`cli.group`): `reports` (check,
status), `figures` (record, import, history, repair), `ecosystem` (schema, export), `bulletin`,
`entry` (targets, init, retract).

Guarantees: importing this package imports neither typer nor any command module; `app` (and
each command module) is loaded when first asked for, with every command registered, in the
order `tracker --help` lists them. `tracker --version` is answered by `main` before any of that,
with the text and exit code the group's own `--version` gives.
"""

from __future__ import annotations

import importlib
import sys

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: `tracker --version` needs no `typing`
if TYPE_CHECKING:
    from typing import Any

    from liuxia_tracker.cli import bulletin, ecosystem, entry, figures, reports
    from liuxia_tracker.cli.group import app

__all__ = ["app", "bulletin", "ecosystem", "entry", "figures", "main", "reports"]

# Registration order is the order `tracker --help` lists the commands in.
COMMAND_MODULES = ("bulletin", "ecosystem", "entry", "figures", "reports")
VERSION_ARGUMENTS = ["--version"]


def _group() -> Any:
    """The Typer app with every command registered (each module registers its own)."""
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}")
    from liuxia_tracker.cli.group import app as group

    # A command module imported on its own registers its commands first: put them back in
    # the order of COMMAND_MODULES (sorting is stable, so each module keeps its own order).
    rank = {f"{__name__}.{name}": index for index, name in enumerate(COMMAND_MODULES)}
    group.registered_commands.sort(key=lambda info: rank[info.callback.__module__])
    globals()["app"] = group
    return group


def __getattr__(name: str) -> Any:
    if name == "app":
        return _group()
    if name in COMMAND_MODULES:
        _group()
        return sys.modules[f"{__name__}.{name}"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    arguments = sys.argv[1:]
    if arguments == VERSION_ARGUMENTS:
        # Nothing to parse: typer, the commands and their options would be built to print one
        # line (about 100 ms of start-up).
        from liuxia_tracker import __version__

        sys.stdout.write(f"tracker {__version__}\n")
        sys.stdout.flush()
        return
    from liuxia_tracker.cli.startup import turn_pydantic_plugins_off

    turn_pydantic_plugins_off()  # before anything imports pydantic
    _group()
    from liuxia_tracker.cli.group import app_for

    app_for(arguments)()
