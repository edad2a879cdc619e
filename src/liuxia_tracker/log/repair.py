"""Repairing a log after a crash: the one change to a figure file that is not an append.

Guarantees: a torn last line is copied to a side file (`<file>.torn-<timestamp>`, synced,
never deleted) before it is cut off; a complete last record that only lacks its newline gets
the newline. Only figure files are repaired (`not_a_figure_file`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from liuxia_tracker.diagnostics import TrackerError
from liuxia_tracker.log.append import (
    READ_CHUNK,
    WriteError,
    count_newlines,
    describe_os_error,
    last_byte,
    open_locked,
    sync_directory,
    unlock_and_close,
)
from liuxia_tracker.log.figures import parse_figures

RepairAction = Literal["clean", "added-newline", "moved-torn-tail"]
_ENTRY_LOOKBACK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Repair:
    path: Path
    display: str
    action: RepairAction
    line: int | None = None  # the torn (or newline-less) last line
    moved_bytes: int = 0
    side_file: Path | None = None


def _last_newline(fd: int, size: int) -> int:
    """The offset of the last newline in the file, or -1."""
    end = size
    while end > 0:
        start = max(0, end - READ_CHUNK)
        chunk = os.pread(fd, end - start, start)
        at = chunk.rfind(b"\n")
        if at != -1:
            return start + at
        end = start
    return -1


def _complete_without_newline(fd: int, tail_start: int, size: int, display: str) -> bool:
    """Whether the newline-less last line finishes a valid entry (only its newline is missing)."""
    tail = os.pread(fd, size - tail_start, tail_start)
    try:
        tail_text = tail.decode("utf-8")
    except UnicodeDecodeError:
        return False
    stripped = tail_text.strip()
    if not stripped or stripped.startswith("#"):
        return True
    if tail_text.startswith("-"):
        entry = tail_text
    elif tail_text.startswith((" ", "\t")):
        # A continuation line of a hand-written block entry: judge the whole entry.
        window_start = max(0, tail_start - _ENTRY_LOOKBACK)
        try:
            before = os.pread(fd, tail_start - window_start, window_start).decode("utf-8")
        except UnicodeDecodeError:
            return False
        lines = before.split("\n")[:-1]
        starts = [i for i, text in enumerate(lines) if text.startswith("-")]
        if not starts:
            return False
        entry = "\n".join([*lines[starts[-1] :], tail_text])
    else:
        return False
    records, problems = parse_figures(entry + "\n", display)
    return not problems and len(records) == 1


def _side_file_for(path: Path, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.torn-{stamp}")
    number = 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}.torn-{stamp}-{number}")
    return candidate


def _write_side_file(path: Path, data: bytes, now: datetime, display: str) -> Path:
    while True:
        side = _side_file_for(path, now)
        try:
            fd = os.open(side, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        except FileExistsError:
            continue
        except OSError as error:
            raise WriteError(
                f"{display}: cannot create {side.name}: {describe_os_error(error)}; "
                "nothing was changed"
            ) from None
        break
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except OSError as error:
        os.close(fd)
        # A side file that does not hold the torn bytes is no copy of them: leave nothing.
        with contextlib.suppress(OSError):
            os.unlink(side)
        sync_directory(side.parent)
        raise WriteError(
            f"{display}: cannot write {side.name}: {describe_os_error(error)}; nothing was changed"
        ) from None
    os.close(fd)
    sync_directory(side.parent)
    return side


def not_a_figure_file(path: Path, display: str | None = None) -> str | None:
    """Why `repair` refuses `path`, or None for a figure file: a `.yaml` or `.yml` file directly
    in a folder named `figures`, not named `targets.yaml` — as written and with links followed,
    so neither a stray path nor a link to the plan ever gets its last line cut."""
    shown = display if display is not None else str(path)
    for candidate in (Path(os.path.abspath(path)), path.resolve()):
        if (
            candidate.parent.name != "figures"
            or candidate.suffix not in (".yaml", ".yml")
            or candidate.name == "targets.yaml"
        ):
            return (
                f"{shown} is not a figure file (figures/<district>.yaml); "
                "repair never touches the plan"
            )
    return None


def repair_figure_file(
    path: Path, display: str | None = None, now: datetime | None = None
) -> Repair:
    """Make a figure file end with a complete line again, losing nothing.

    Under the same lock appends take: a file ending in a newline is left alone; a last line
    that is a complete, valid record missing only its newline gets the newline; any other last
    line is copied to `<file>.torn-<UTC timestamp>`, synced, and only then cut off the file.
    Any file but a figure file (see `not_a_figure_file`) is refused untouched (exit code 2).
    """
    shown = display if display is not None else str(path)
    refusal = not_a_figure_file(path, shown)
    if refusal is not None:
        raise TrackerError(refusal, exit_code=2)
    moment = now if now is not None else datetime.now(UTC)
    fd, _ = open_locked(path, shown, create=False, lock=fcntl.LOCK_EX)
    try:
        size = os.fstat(fd).st_size
        if size == 0 or last_byte(fd, size) == b"\n":
            return Repair(path, shown, "clean")
        newline = _last_newline(fd, size)
        line = count_newlines(fd, newline + 1) + 1
        tail_start = newline + 1
        if _complete_without_newline(fd, tail_start, size, shown):
            try:
                if os.write(fd, b"\n") != 1:
                    raise OSError(0, "short write")
                os.fsync(fd)
            except OSError as error:
                raise WriteError(
                    f"{shown}: cannot add the newline: {describe_os_error(error)}"
                ) from None
            return Repair(path, shown, "added-newline", line)
        torn = os.pread(fd, size - tail_start, tail_start)
        side = _write_side_file(path, torn, moment, shown)
        try:
            os.ftruncate(fd, tail_start)
            os.fsync(fd)
        except OSError as error:
            raise WriteError(
                f"{shown}: copied the torn line to {side.name} but cannot cut it off: "
                f"{describe_os_error(error)}"
            ) from None
        return Repair(path, shown, "moved-torn-tail", line, len(torn), side)
    finally:
        unlock_and_close(fd)
