"""`--help` in the language of the locale: the help texts of the commands and options, taken
from the label tables (`i18n.LABELS`, whose help entries live in `i18n_help`).

Guarantees: only the texts change, never the commands or options. It runs only when help can
be shown (`-h`, `--help`, or no arguments), so `tracker --version` and every other command pay
nothing for it. A text the tables lack keeps the one written in `cli.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

HELP_FLAGS = ("-h", "--help")


def wants_help(args: Sequence[str] | None) -> bool:
    if args is None:
        import sys

        args = sys.argv[1:]
    return not args or any(arg in HELP_FLAGS for arg in args)


def localize(group: Any, args: Sequence[str] | None) -> None:
    """Set the help texts of `group` (the `tracker` click group) and its commands from the
    label tables, in the language of the locale."""
    if not wants_help(args):
        return
    from liuxia_tracker.i18n import LABELS, default_language

    labels = LABELS[default_language()]
    group.help = labels["help.app"]
    _parameters(group, "app", labels)
    for name, command in group.commands.items():
        text = labels.get(f"help.{name}")
        if text is not None:
            command.help = text
            command.short_help = text.split("\n\n", 1)[0].replace("\n", " ")
        _parameters(command, name, labels)
        _plain_arguments(command)
    _help_option(group, labels["help.option.help"])


def _parameters(command: Any, name: str, labels: Any) -> None:
    for parameter in command.params:
        text = labels.get(f"help.{name}.{parameter.name}") or labels.get(
            f"help.option.{parameter.name}"
        )
        if text is not None and hasattr(parameter, "help"):
            parameter.help = text


def _help_option(group: Any, text: str) -> None:
    """The `-h/--help` option is made when help is asked for; its text comes from here."""
    for command in [group, *group.commands.values()]:
        command.context_settings = {**(command.context_settings or {})}
        original = command.get_help_option

        def translated(ctx: Any, original: Any = original) -> Any:
            option = original(ctx)
            if option is not None:
                option.help = text
            return option

        command.get_help_option = translated


def _plain_arguments(command: Any) -> None:
    """Arguments shown as a reader writes them: `DISTRICT` when required, `[PERIOD]` when not,
    `DISTRICT...` for several, and no Python type beside the name (`<str>`, `<list[str]>`)."""
    for parameter in command.params:
        if getattr(parameter, "param_type_name", None) != "argument":
            continue
        name = parameter.metavar or parameter.name.upper()
        shown = name if parameter.required else f"[{name}]"
        if parameter.nargs != 1:
            shown += "..."
        parameter._usage_display_name = lambda shown=shown: shown
        parameter.display_type_rich = lambda ctx: None
