"""Reading a data file's bytes into text that the YAML reader can trust.

Guarantees: files over their limit (`MAX_PLAN_BYTES`, `MAX_FIGURE_BYTES`) are refused before
they are read; bytes are decoded strictly as UTF-8 (a leading byte-order mark allowed, nothing
else that is not UTF-8); control characters, line breaks other than `\\n` / `\\r\\n`, a
byte-order mark after the start and tabs outside comments are refused with their line and
column, so every line number is the one an editor shows.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from liuxia_tracker.diagnostics import Diagnostic

if TYPE_CHECKING:
    pass


# A plan of the whole country (2,800 districts and counties, 60 targets each) is about 54 MB;
# the limit leaves room for more targets and longer texts, and still refuses what is surely not a
# plan. Loading a plan takes about 27 bytes of memory per byte of it with positions (a check), 12
# without (a report, `plan.values`): docs/performance.md.
MAX_PLAN_BYTES = 256 * 1024 * 1024


MAX_FIGURE_BYTES = 1024 * 1024 * 1024


# Integers beyond this lose digits when held as a float, which is how values are kept.
MAX_EXACT_INTEGER = 2**53


Location = tuple[int, int]


_UTF8_BOM = b"\xef\xbb\xbf"


# Characters the parser refuses or counts as line breaks where editors may not (U+0085,
# U+2028, U+2029, a lone carriage return): refused first, so every line number is the one an
# editor shows. The set is canonical.NOT_YAML_PRINTABLE, named one by one (fast to compile).
BAD_CHARACTER = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]|\r(?!\n)"
)


SURROGATE = re.compile("[\ud800-\udfff]")


_TAB_MESSAGE = "tab character; use spaces (a tab is allowed only in a comment)"


def read_text(path: Path, limit: int, display: str) -> tuple[str | None, list[Diagnostic]]:
    """Read a whole file as UTF-8 text, or say why it cannot be read (see `read_bytes`)."""
    data, problems = read_bytes(path, limit, display)
    if data is None:
        return None, problems
    return decode(data, display)


def read_bytes(path: Path, limit: int, display: str) -> tuple[bytes | None, list[Diagnostic]]:
    """Read a whole file's bytes, or say why it cannot be read.

    The size is checked before the file is opened, and at most `limit + 1` bytes are read, so
    a file that grows meanwhile is refused too. Only regular files are opened: a pipe would
    block the run.
    """

    def unreadable(reason: str) -> tuple[None, list[Diagnostic]]:
        return None, [Diagnostic(display, 1, 1, "unreadable", f"cannot read the file: {reason}")]

    def too_large(size: str) -> tuple[None, list[Diagnostic]]:
        message = f"file is {size} bytes, over the limit of {limit:,}; is it the right file?"
        return None, [Diagnostic(display, 1, 1, "too-large", message)]

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except IsADirectoryError:
        return unreadable("it is a directory")
    except OSError as error:
        return unreadable(error.strerror or str(error))
    # Judged on the opened descriptor: what was opened is what is read.
    try:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            return unreadable("it is a directory")
        if not stat.S_ISREG(status.st_mode):
            return unreadable("it is not a regular file")
        if status.st_size > limit:
            return too_large(f"{status.st_size:,}")
        os.set_blocking(fd, True)
        chunks = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 64 * 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
    except OSError as error:
        return unreadable(error.strerror or str(error))
    finally:
        os.close(fd)
    if len(data) > limit:  # the file grew after it was measured
        return too_large(f"over {limit:,}")
    return data, []


def decode(data: bytes, display: str) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 text without its leading byte-order mark, or where the first bad byte is."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            Diagnostic(
                display, 1, 1, "not-utf8", "the file is UTF-16; save it as UTF-8 (without BOM)"
            )
        ]
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        return None, [
            Diagnostic(
                display,
                line,
                column,
                "not-utf8",
                f"byte 0x{data[error.start]:02x} is not UTF-8 (save the file as UTF-8)",
            )
        ]
    return text, []


def line_col(text: str, index: int, line_offset: int) -> Location:
    line = text.count("\n", 0, index) + 1
    return line + line_offset, index - (text.rfind("\n", 0, index) + 1) + 1


def lint_characters(text: str, display: str, line_offset: int) -> list[Diagnostic]:
    """What parsers disagree on, or what would shift positions: refused before parsing."""
    problems: list[Diagnostic] = []
    last_line = 0
    for match in BAD_CHARACTER.finditer(text):
        line, column = line_col(text, match.start(), line_offset)
        if line == last_line:  # one per line is enough to find them
            continue
        last_line = line
        character = match.group()
        if character == "\ufeff":
            message = "a byte-order mark (U+FEFF) after the start of the file; delete it"
        elif character == "\r":
            message = "a carriage return without a line feed; save the file with \\n line endings"
        else:
            message = f"character U+{ord(character):04X} is not allowed in a data file; delete it"
        problems.append(
            Diagnostic(
                display, line, column, "bom" if character == "\ufeff" else "bad-character", message
            )
        )
    problems.extend(
        Diagnostic(display, line + 1 + line_offset, column + 1, "tab-indent", _TAB_MESSAGE)
        for line, column in _tabs_outside_comments(text)
    )
    return problems


_BLOCK_HEADER = re.compile(r"[|>](?:[1-9][-+]?|[-+][1-9]?)?[ ]*(?:#.*)?\r?")


def _tabs_outside_comments(text: str) -> Iterator[tuple[int, int]]:
    """(line, column), 0-based, of the first tab on each line that is not inside a comment.

    A light scan, not a parser: it follows quoted scalars (also across lines) and the content
    lines of block scalars, so a `#` inside them does not start a comment. Whatever it judges,
    the outcome is the same on every install: a tab it lets through goes to the pure parser.
    """
    if "\t" not in text:
        return
    quote = ""  # the quote character while inside a quoted scalar
    block_indent = -1  # inside a block scalar: its content lines are indented more than this
    for number, line in enumerate(text.split("\n")):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent >= 0:
            if indent > block_indent or not line.strip(" \t\r"):
                if "\t" in line:
                    yield number, line.index("\t")
                continue
            block_indent = -1
        previous = " "
        index = 0
        length = len(line)
        while index < length:
            character = line[index]
            if character == "\t":
                yield number, index
                break
            if quote == '"':
                if character == "\\":
                    index += 1  # the escaped character (a tab after it is still reported)
                    if index < length and line[index] == "\t":
                        yield number, index
                        break
                elif character == '"':
                    quote = ""
            elif quote == "'":
                if character == "'":
                    if line[index + 1 : index + 2] == "'":
                        index += 1
                    else:
                        quote = ""
            elif character == "#" and previous in " \t":
                break  # a comment: the rest of the line may hold tabs
            elif character in "\"'" and previous in " [{,":
                quote = character
            elif character in "|>" and previous == " " and _BLOCK_HEADER.fullmatch(line, index):
                block_indent = indent
                break
            previous = character
            index += 1
