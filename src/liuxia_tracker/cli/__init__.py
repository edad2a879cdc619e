"""The command line: parse options, call one service function of `commands`, pick a renderer,
map the result to an exit code. No arithmetic and no file writes here; a `TrackerError` from
any command is caught once (`cli.app`) and printed as one line. Heavy modules are imported
inside the commands that need them, so `tracker --version` starts fast.

One module per group of commands registers them on `app`: `reports` (check, status),
`figures` (record, import, history, repair), `ecosystem` (schema, export), `bulletin`, `entry`
(targets, init, retract).
"""

from __future__ import annotations

import os

from liuxia_tracker.cli import bulletin, ecosystem, entry, figures, reports
from liuxia_tracker.cli.app import app

__all__ = ["app", "bulletin", "ecosystem", "entry", "figures", "main", "reports"]


def main() -> None:
    # Pydantic looks for third-party plugins (through importlib.metadata) the first time a
    # model is built: 15 ms of every command's start-up, for plugins this tool never uses.
    # Set for this process only, and only when the user has not set it.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app()
