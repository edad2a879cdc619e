"""An import as one transaction across every log it touches: all of its rows, or none.

Guarantees (the protocol is documented in docs/recording.md, with what each crash leaves):

1. Every file is locked first (exclusive `flock`, in one order: by path), created if missing.
2. A journal naming each file and its size before the import is written to a new file in the
   figures folder, locked (so its owner is known to be alive), `fsync`ed, renamed to
   `.import-<id>.journal` and the folder synced. Only then is anything appended.
3. Each file gets its rows in one write, each `fsync`ed.
4. The journal is removed (and the folder synced) only when every append is durable; then the
   locks are released. A fault during the appends rolls every file back to its journalled
   size before the journal is removed.

A journal whose owner is gone (its lock can be taken) marks a cut-off import:
`rollback_journals` (run by `tracker repair`) cuts every file it names back to its size before,
under the files' locks, then removes it; until then `stale_journals` makes every other command
refuse, so nothing is ever built on half an import.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from liuxia_tracker.diagnostics import TrackerError
from liuxia_tracker.log.append import (
    LockedFigureFile,
    WriteError,
    describe_os_error,
    locked_for_append,
    open_locked,
    sync_directory,
    unlock_and_close,
)
from liuxia_tracker.log.journal import JOURNAL_PREFIX, JOURNAL_SUFFIX, journals_in, open_journal

_UNFINISHED_PREFIX = ".writing-import-"
_JOURNAL_LIMIT = 1024 * 1024  # a journal names files and sizes: anything larger is not one


@dataclass(frozen=True, slots=True)
class RolledBack:
    """What rolling one journal back did: each file, and the bytes cut off it."""

    journal: Path
    files: list[tuple[Path, int]]


def _read_journal(fd: int, path: Path) -> list[tuple[str, int]]:
    data = os.pread(fd, _JOURNAL_LIMIT + 1, 0)
    try:
        value = json.loads(data.decode("utf-8"))
        files = [(str(entry["file"]), int(entry["size"])) for entry in value["files"]]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
        raise TrackerError(
            f"{path}: not a journal this tool wrote; move it aside by hand", exit_code=1
        ) from None
    for name, size in files:
        if "/" in name or name in ("", ".", "..") or size < 0:
            raise TrackerError(f"{path}: names {name!r}, not a figure file; move it aside")
    return files


def _cut_back(locked: list[tuple[Path, int, int]]) -> list[tuple[Path, int]]:
    """Truncate each (path, fd, size before) back to its size; (path, bytes cut off) each."""
    cut: list[tuple[Path, int]] = []
    for path, fd, size in locked:
        now = os.fstat(fd).st_size
        if now > size:
            os.ftruncate(fd, size)
            os.fsync(fd)
            cut.append((path, now - size))
        else:
            cut.append((path, 0))
    return cut


def _remove_journal(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    sync_directory(path.parent)


def _remove_unfinished_journals(folder: Path) -> None:
    """A journal cut off while being written (before its rename) guarded no append: remove it
    once its writer is gone."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return
    for name in names:
        if not (name.startswith(_UNFINISHED_PREFIX) and name.endswith(".tmp")):
            continue
        fd = open_journal(folder / name)
        if fd is None:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue
        finally:
            os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(folder / name)


def rollback_journals(folder: Path) -> list[RolledBack]:
    """Roll back every cut-off import in a figures folder (waiting for live ones to end)."""
    _remove_unfinished_journals(folder)
    done = []
    for path in journals_in(folder):
        fd = open_journal(path)
        if fd is None:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # a live import holds it until it has finished
            if os.fstat(fd).st_nlink == 0:
                continue  # it finished and removed its journal meanwhile
            files = _read_journal(fd, path)
            with ExitStack() as stack:
                locked: list[tuple[Path, int, int]] = []
                for name, size in sorted(files):
                    file = folder / name
                    try:
                        file_fd, _ = open_locked(file, str(file), create=False, lock=fcntl.LOCK_EX)
                    except WriteError:
                        if not file.exists() and not file.is_symlink():
                            continue  # never created: nothing to roll back
                        raise
                    stack.callback(unlock_and_close, file_fd)
                    locked.append((file, file_fd, size))
                try:
                    cut = _cut_back(locked)
                except OSError as error:
                    raise WriteError(
                        f"{path}: cannot roll the import back: {describe_os_error(error)}"
                    ) from None
                _remove_journal(path)
            done.append(RolledBack(path, cut))
        finally:
            os.close(fd)
    return done


def _write_journal(folder: Path, files: list[tuple[LockedFigureFile, int]]) -> tuple[Path, int]:
    """Write, sync and lock the journal; its final path and the descriptor holding the lock."""
    content = json.dumps(
        {"files": [{"file": handle.path.name, "size": size} for handle, size in files]}
    ).encode("utf-8")
    token = f"{os.getpid()}-{secrets.token_hex(6)}"
    temporary = folder / f"{_UNFINISHED_PREFIX}{token}.tmp"
    final = folder / f"{JOURNAL_PREFIX}{token}{JOURNAL_SUFFIX}"
    fd = os.open(
        temporary, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644
    )
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        written = os.write(fd, content)
        if written != len(content):
            raise OSError(28, "short write (is the disk full?)")
        os.fsync(fd)
        os.rename(temporary, final)
        sync_directory(folder)
    except OSError:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return final, fd


class Transaction:
    """The files of one import, locked, and the appends made to them under one journal."""

    def __init__(self, folder: Path, files: dict[Path, LockedFigureFile]) -> None:
        self.folder = folder
        self.files = files

    def commit(self, batches: Sequence[tuple[Path, str]]) -> None:
        """Append each (path, text): all of them durably, or none (the files rolled back)."""
        batches = [(path, text) for path, text in batches if text]
        if not batches:
            return
        handles = [(self.files[path], self.files[path].size) for path, _ in batches]
        try:
            journal, journal_fd = _write_journal(self.folder, handles)
        except OSError as error:
            raise WriteError(
                f"{self.folder}: cannot write the import journal: {describe_os_error(error)}; "
                "nothing was written"
            ) from None
        try:
            try:
                for path, text in batches:
                    self.files[path].append(text)
            except WriteError as error:
                try:
                    _cut_back([(h.path, h.fileno(), size) for h, size in handles])
                except OSError:
                    raise WriteError(
                        f"{error}; the import could not be rolled back: run `tracker repair`"
                    ) from None
                _remove_journal(journal)
                raise WriteError(
                    f"{error}; the import was rolled back: no file holds any of its rows"
                ) from None
            _remove_journal(journal)
        finally:
            os.close(journal_fd)


@contextmanager
def import_transaction(paths: Sequence[tuple[Path, str]]) -> Iterator[Transaction]:
    """Lock every (path, display) in path order, refuse a cut-off import, and yield the
    transaction the import commits its appends through."""
    ordered = sorted(dict(paths).items())
    folder = ordered[0][0].parent if ordered else Path()
    with ExitStack() as stack:
        files = {
            path: stack.enter_context(locked_for_append(path, display)) for path, display in ordered
        }
        yield Transaction(folder, files)
