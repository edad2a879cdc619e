"""Files the tool writes for the user (schemas, exports): never data files, never half-written.

Guarantees: a file is written whole or not at all: the bytes go to a temporary file in the
same folder, are synced, and replace the target in one `os.replace`. A folder or file that
cannot be written is a `TrackerError` with one line naming it (exit 1), never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from liuxia_tracker.diagnostics import TrackerError


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def write_atomically(path: Path, content: bytes) -> None:
    """Write `content` to `path` (replacing it) through a synced temporary file."""
    with replacing(path) as temporary:
        temporary.write_bytes(content)


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside `path` to write to; on success it is synced and moved onto
    `path`, on failure removed. For writers that want a file name (DuckDB's COPY)."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise TrackerError(f"cannot write {path}: no such folder {folder}")
    if path.is_dir():
        raise TrackerError(f"cannot write {path}: it is a folder")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        os.close(handle)
    except OSError as error:
        raise TrackerError(f"cannot write {path}: {_reason(error)}") from None
    temporary = Path(name)
    try:
        yield temporary
        _sync(temporary)
        os.replace(temporary, path)
    except OSError as error:
        raise TrackerError(f"cannot write {path}: {_reason(error)}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_folder(path: Path) -> None:
    """Create the output folder (and its parents) if missing; a file in the way is an error."""
    if path.exists() and not path.is_dir():
        raise TrackerError(f"cannot write into {path}: it is a file, not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise TrackerError(f"cannot create the folder {path}: {_reason(error)}") from None
