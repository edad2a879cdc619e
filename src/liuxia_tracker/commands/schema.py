"""`tracker schema`: the JSON Schema of the plan or of a figure file, printed or written."""

from __future__ import annotations

from pathlib import Path

from liuxia_tracker.commands.output_files import write_atomically
from liuxia_tracker.diagnostics import UsageError
from liuxia_tracker.domain.schema import SchemaName, schema_text


def parse_schema_name(text: str) -> SchemaName:
    try:
        return SchemaName(text)
    except ValueError:
        names = ", ".join(name.value for name in SchemaName)
        raise UsageError(f"no schema {text!r}; choose one of {names}") from None


def write_schema(name: SchemaName, output: Path | None) -> str | None:
    """The schema's text when `output` is None (to print), else None after writing it."""
    text = schema_text(name)
    if output is None:
        return text
    write_atomically(output, text.encode("utf-8"))
    return None
