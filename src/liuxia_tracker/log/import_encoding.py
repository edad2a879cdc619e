"""An import file's encoding and format: UTF-8 (with or without a byte-order mark) or
GBK/GB18030 detected, or the one named; CSV or JSON lines by extension, else by content."""

from __future__ import annotations

import codecs
from enum import StrEnum

from liuxia_tracker.diagnostics import Diagnostic, UsageError

# Evidence that a file is UTF-8 with a bad byte rather than GB18030: this many non-ASCII
# characters already read cleanly as UTF-8 before the first bad byte.
UTF8_EVIDENCE = 4


BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class ImportFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    EXCEL = "excel"


# Excel workbooks, read by python-calamine (`import_sheet`): by extension, or by the first
# bytes of a zip archive (.xlsx, .xlsm, .ods) or an OLE2 file (.xls, also as WPS saves it).
WORKBOOK_EXTENSIONS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".et", ".ods")
WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def is_workbook(name: str | None, data: bytes) -> bool:
    """Whether the file is a spreadsheet workbook rather than text."""
    if name is not None and name.lower().endswith(WORKBOOK_EXTENSIONS):
        return True
    return data.startswith(WORKBOOK_MAGIC)


EXTENSIONS = {
    ".csv": ImportFormat.CSV,
    ".tsv": ImportFormat.CSV,
    ".txt": ImportFormat.CSV,
    ".jsonl": ImportFormat.JSONL,
    ".ndjson": ImportFormat.JSONL,
    ".json": ImportFormat.JSONL,
}


def check_encoding_name(name: str) -> str:
    """The codec name for `--encoding`, or a usage error naming the unknown one."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise UsageError(
            f"--encoding: unknown encoding {name!r} (try utf-8, utf-8-sig, gbk or gb18030)"
        ) from None


def _bad_byte(data: bytes, start: int, display: str, encoding: str, hint: str) -> Diagnostic:
    before = data[:start]
    line = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode(encoding, errors="replace")) + 1
    return Diagnostic(
        display,
        line,
        column,
        "encoding",
        f"byte 0x{data[start]:02x} is not {hint}",
    )


def decode_import(
    data: bytes, display: str, encoding: str | None = None
) -> tuple[str | None, str, list[Diagnostic]]:
    """(text, the encoding used, problems): see the module docstring for the rule."""
    if encoding is not None:
        codec = check_encoding_name(encoding)
        if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
            codec = "utf-8-sig"
        try:
            return data.decode(codec), codec, []
        except UnicodeDecodeError as error:
            hint = f"{encoding} text (check --encoding)"
            return None, codec, [_bad_byte(data, error.start, display, "utf-8", hint)]
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec, []
            except UnicodeDecodeError as error:
                hint = f"{codec} text, though the file starts with its byte-order mark"
                return None, codec, [_bad_byte(data, error.start, display, "utf-8", hint)]
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as error:
        utf8_error = error
    clean_prefix = data[: utf8_error.start].decode("utf-8")
    if sum(1 for character in clean_prefix if ord(character) > 0x7F) < UTF8_EVIDENCE:
        try:
            return data.decode("gb18030"), "gb18030", []
        except UnicodeDecodeError:
            pass
    hint = "UTF-8 (save the file as UTF-8, or give --encoding, e.g. --encoding gbk)"
    return None, "utf-8", [_bad_byte(data, utf8_error.start, display, "utf-8", hint)]


def detect_format(name: str | None, text: str) -> ImportFormat:
    """By the file's extension, else by its first non-blank character (`{` is JSON lines)."""
    if name is not None:
        for extension, found in EXTENSIONS.items():
            if name.lower().endswith(extension):
                return found
    return ImportFormat.JSONL if text.lstrip().startswith("{") else ImportFormat.CSV


def check_format_name(name: str) -> ImportFormat:
    try:
        return ImportFormat(name)
    except ValueError:
        raise UsageError(f"--format: {name!r} is not one of csv, jsonl, excel") from None
