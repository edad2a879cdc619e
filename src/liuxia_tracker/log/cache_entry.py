"""A cache entry file (the log summaries, the report memo): one JSON header line, then a body.

Guarantees: an entry is written atomically (a temporary file in the same folder, then
`os.replace`), with the SHA-256 of its body in its header; it is read back only when its
header has the format and key asked for and its body still has that digest, so a torn,
edited or foreign entry is never used. A folder that cannot be written is left alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any


def read_entry(path: Path, format_version: int, key: str) -> tuple[dict[str, Any], bytes] | None:
    """The header and body of the entry at `path`, or None (missing, foreign, corrupt)."""
    try:
        with open(path, "rb") as stored:
            header = json.loads(stored.readline())
            body = stored.read()
    except (OSError, ValueError, RecursionError):
        return None
    if (
        not isinstance(header, dict)
        or header.get("format") != format_version
        or header.get("key") != key
        or header.get("body") != hashlib.sha256(body).hexdigest()
    ):
        return None
    return header, body


def write_entry(path: Path, header: dict[str, Any], body: bytes) -> None:
    """Write `header` (with the body's digest added) and `body` to `path`, atomically."""
    import tempfile

    try:
        line = json.dumps({**header, "body": hashlib.sha256(body).hexdigest()}).encode()
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(line + b"\n" + body)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except (OSError, ValueError, TypeError, RecursionError):
        return
