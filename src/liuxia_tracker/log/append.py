"""Appending to a figure log: the only code that adds to a data file.

Guarantees: an append opens the file without following links, takes an exclusive lock
(`fcntl.flock`), checks that the file ends with a newline (a torn last line refuses the
append and names the line), writes the record or batch in one `os.write` whose byte count is
checked, then `fsync`s. Nothing is re-read or rewritten, so an append costs the same on a file
of any size. Readers take a shared lock and see a memory map of complete appends.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import mmap
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from liuxia_tracker.diagnostics import TrackerError
from liuxia_tracker.log.figures import Content
from liuxia_tracker.log.journal import refuse_cut_off_import

READ_CHUNK = 8 * 1024 * 1024


class TornTailError(TrackerError):
    """An append refused because the file's last line has no newline (a write was cut off)."""

    def __init__(self, display: str, line: int) -> None:
        super().__init__(
            f"{display}:{line}: the last line is torn (no newline); run `tracker repair`"
        )
        self.display = display
        self.line = line


class WriteError(TrackerError):
    """A figure file could not be opened, locked, written or synced."""


def describe_os_error(error: OSError) -> str:
    return error.strerror or str(error)


def count_newlines(fd: int, end: int) -> int:
    """How many newlines the first `end` bytes of the open file hold, read in chunks."""
    count = 0
    position = 0
    while position < end:
        chunk = os.pread(fd, min(READ_CHUNK, end - position), position)
        if not chunk:
            break
        count += chunk.count(b"\n")
        position += len(chunk)
    return count


def last_byte(fd: int, size: int) -> bytes:
    return os.pread(fd, 1, size - 1) if size else b""


def sync_directory(directory: Path) -> None:
    """Make a file's creation (or a side file's) durable: sync the folder that names it."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a directory; the file itself is synced
    finally:
        os.close(fd)


class LockedFigureFile:
    """A figure file held open under an exclusive lock, checked to end with a newline.

    Made by `locked_for_append`; the lock lasts until the `with` block ends, so whatever the
    holder reads (`content`) stays true until its own `append`.
    """

    def __init__(self, path: Path, display: str, fd: int, created: bool) -> None:
        self.path = path
        self.display = display
        self._fd = fd
        self._created = created
        self._views: list[mmap.mmap] = []

    def fileno(self) -> int:
        return self._fd

    @property
    def size(self) -> int:
        return os.fstat(self._fd).st_size

    def content(self) -> Content:
        """The file's bytes as they stand under the lock (memory-mapped, not copied)."""
        size = self.size
        if size == 0:
            return b""
        view = mmap.mmap(self._fd, size, access=mmap.ACCESS_READ)
        self._views.append(view)
        return view

    def close_views(self) -> None:
        """Unmap what `content` mapped: a mapping holds a duplicate of the locked descriptor."""
        for view in self._views:
            _close_view(view)
        self._views.clear()

    def append(self, text: str) -> int:
        """Write whole lines in one `os.write`, check the count, fsync; return bytes written.

        A short write (a full disk) is cut back to where the file ended, so the file never
        keeps half a record from this call; the error says so.
        """
        data = text.encode("utf-8")
        if not data or not data.endswith(b"\n"):
            raise ValueError("an append writes whole lines, each ending in a newline")
        before = self.size
        try:
            written = os.write(self._fd, data)
        except OSError as error:
            self._cut_back(before)
            raise WriteError(
                f"{self.display}: cannot write: {describe_os_error(error)}; nothing was written"
            ) from None
        if written != len(data):
            restored = self._cut_back(before)
            outcome = (
                "the file was cut back to where it ended"
                if restored
                else "run `tracker repair` to move the partial line aside"
            )
            raise WriteError(
                f"{self.display}: only {written} of {len(data)} bytes were written "
                f"(is the disk full?); {outcome}"
            )
        try:
            os.fsync(self._fd)
        except OSError as error:
            raise WriteError(
                f"{self.display}: written but not synced to disk: {describe_os_error(error)}"
            ) from None
        if self._created:
            sync_directory(self.path.parent)
            self._created = False
        return written

    def _cut_back(self, size: int) -> bool:
        """Undo this call's own partial write; the lock guarantees nobody wrote after it."""
        try:
            if os.fstat(self._fd).st_size > size:
                os.ftruncate(self._fd, size)
                os.fsync(self._fd)
        except OSError:
            return False
        return True


def open_regular(path: Path, flags: int, display: str, *, follow: bool = False) -> int:
    """Open a figure file only if it is a regular file, judged on the opened descriptor.

    Without `follow`, a link is refused (`O_NOFOLLOW`): a write never lands in the file a link
    points to, the plan above all. `O_NONBLOCK` keeps a FIFO from blocking the open.
    FileNotFoundError and FileExistsError pass through; any other failure is a `WriteError`.
    """
    extra = os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags | extra, 0o644)
    except (FileNotFoundError, FileExistsError):
        raise
    except OSError as error:
        if error.errno == errno.ELOOP and not follow:
            raise WriteError(
                f"{display}: is a link; the tool writes only a regular file of its own"
            ) from None
        if error.errno == errno.EISDIR:
            raise WriteError(f"{display}: not a regular file (it is a directory)") from None
        raise WriteError(f"{display}: cannot open: {describe_os_error(error)}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a directory" if stat.S_ISDIR(mode) else "a pipe or device"
            raise WriteError(f"{display}: not a regular file (it is {kind})")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_locked(path: Path, display: str, *, create: bool, lock: int) -> tuple[int, bool]:
    """Open a figure file read-write for appending and lock it; (fd, whether it was created)."""
    flags = os.O_RDWR | os.O_APPEND
    created = False
    try:
        if create:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise WriteError(
                    f"{display}: cannot create its folder: {describe_os_error(error)}"
                ) from None
            try:
                fd = open_regular(path, flags | os.O_CREAT | os.O_EXCL, display)
                created = True
            except FileExistsError:
                fd = open_regular(path, flags, display)
        else:
            fd = open_regular(path, flags, display)
    except FileNotFoundError:
        raise WriteError(f"{display}: no such file") from None
    try:
        fcntl.flock(fd, lock)
    except OSError as error:
        os.close(fd)
        raise WriteError(f"{display}: cannot lock: {describe_os_error(error)}") from None
    return fd, created


def torn_line_number(fd: int) -> int | None:
    """The number of the last line when it lacks its newline, else None."""
    size = os.fstat(fd).st_size
    if size == 0 or last_byte(fd, size) == b"\n":
        return None
    return count_newlines(fd, size) + 1


def refuse_torn_tail(path: Path, display: str | None = None) -> None:
    """Raise `TornTailError` now when an existing file's last line is torn (without locking or
    creating anything), so a batch over several files can refuse before touching any."""
    try:
        fd = open_regular(path, os.O_RDONLY, display or str(path))
    except FileNotFoundError:
        return
    try:
        torn = torn_line_number(fd)
    finally:
        os.close(fd)
    if torn is not None:
        raise TornTailError(display if display is not None else str(path), torn)


@contextmanager
def locked_for_append(path: Path, display: str | None = None) -> Iterator[LockedFigureFile]:
    """Open (creating folder and file if missing) and lock a figure file for appending.

    Raises `TornTailError` when the file does not end with a newline: an append never glues a
    record onto a fragment.
    """
    shown = display if display is not None else str(path)
    fd, created = open_locked(path, shown, create=True, lock=fcntl.LOCK_EX)
    locked: LockedFigureFile | None = None
    try:
        torn = torn_line_number(fd)
        if torn is not None:
            raise TornTailError(shown, torn)
        # Under this file's lock, a journal naming it can only be a cut-off import's.
        refuse_cut_off_import(path.parent, str(Path(shown).parent))
        locked = LockedFigureFile(path, shown, fd, created)
        yield locked
    finally:
        if locked is not None:
            locked.close_views()
        unlock_and_close(fd)


@contextmanager
def locked_for_reading(path: Path, display: str | None = None) -> Iterator[Content]:
    """A figure file's bytes under a shared lock (no append is half-way through); b"" if absent.
    Only a regular file is read (a link to one is followed: reading it harms nothing)."""
    try:
        fd = open_regular(path, os.O_RDONLY, display or str(path), follow=True)
    except FileNotFoundError:
        yield b""
        return
    view: mmap.mmap | None = None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        size = os.fstat(fd).st_size
        if size:
            view = mmap.mmap(fd, size, access=mmap.ACCESS_READ)
        yield view if view is not None else b""
    finally:
        if view is not None:
            _close_view(view)
        unlock_and_close(fd)


def _close_view(view: mmap.mmap) -> None:
    # Still in use somewhere: the explicit unlock in `unlock_and_close` releases the lock anyway.
    with contextlib.suppress(BufferError):
        view.close()


def unlock_and_close(fd: int) -> None:
    """Unlock explicitly: a memory map keeps a duplicate of the descriptor (and so the lock)
    alive after `close` until the map itself is freed."""
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
