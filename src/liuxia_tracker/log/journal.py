"""Finding the journals of imports (see `log.transaction`), and refusing to go on while one
that was cut off is not rolled back.

Guarantees: a journal's writer holds an exclusive lock on it for its whole life, so a journal
whose lock can be taken belongs to an import that was cut off (a crash, kill -9, power loss);
`refuse_cut_off_import` then stops the command with a one-line error naming the journal.
"""

from __future__ import annotations

import fcntl
import os
import stat
from pathlib import Path

from liuxia_tracker.diagnostics import TrackerError

JOURNAL_PREFIX = ".import-"
JOURNAL_SUFFIX = ".journal"


class JournalError(TrackerError):
    """A journal could not be opened or read."""


def journals_in(folder: Path) -> list[Path]:
    """The journals in a figures folder (of live imports and cut-off ones alike)."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [
        folder / name
        for name in names
        if name.startswith(JOURNAL_PREFIX) and name.endswith(JOURNAL_SUFFIX)
    ]


def open_journal(path: Path) -> int | None:
    """The journal opened (without following a link), or None when it is gone."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise JournalError(
            f"{path}: cannot open the import journal: {error.strerror or error}"
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise JournalError(f"{path}: not a regular file, so not a journal; move it aside")
    return fd


def _owner_is_gone(fd: int) -> bool:
    """Whether the journal's writer is gone: it holds the lock for its whole life."""
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    fcntl.flock(fd, fcntl.LOCK_UN)
    return os.fstat(fd).st_nlink > 0


def stale_journals(folder: Path) -> list[Path]:
    """The journals of imports that were cut off (their writer is gone)."""
    stale = []
    for path in journals_in(folder):
        fd = open_journal(path)
        if fd is None:
            continue
        try:
            if _owner_is_gone(fd):
                stale.append(path)
        finally:
            os.close(fd)
    return stale


def refuse_cut_off_import(folder: Path, shown_folder: str | None = None) -> None:
    """Raise when an import into this figures folder was cut off and not yet rolled back."""
    stale = stale_journals(folder)
    if stale:
        where = Path(shown_folder) / stale[0].name if shown_folder else stale[0]
        raise TrackerError(
            f"{where}: an import was cut off before it finished; run `tracker repair` to roll "
            "its files back (nothing else reads or writes the figures until then)"
        )
