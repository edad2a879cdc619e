"""Text from the data, made safe to print: no control character reaches a terminal.

Guarantees: `visible` turns every control character (C0, DEL, C1), line or paragraph
separator and bidirectional control into a visible stand-in — C0 and DEL as their Unicode
control pictures (`␛` for ESC), the rest as `<U+XXXX>` — so a note cannot clear the screen,
retitle the window or reorder the line it is on. `json_safe` escapes the same characters as
`\\uXXXX` in a JSON text, which decodes back to the very same string.
"""

from __future__ import annotations

import re

UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)


# json.dumps already escapes C0 inside strings; the newlines left are the layout's own.
_UNSAFE_AFTER_JSON = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)


def _stand_in(match: re.Match[str]) -> str:
    character = match.group()
    code = ord(character)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"<U+{code:04X}>"


def visible(text: str) -> str:
    """`text` with every unsafe character shown as a visible stand-in."""
    return UNSAFE.sub(_stand_in, text) if UNSAFE.search(text) else text


def json_safe(json_text: str) -> str:
    """A JSON text (from `json.dumps`, which escapes C0 itself) with every other unsafe
    character in its strings written as `\\uXXXX`."""
    return _UNSAFE_AFTER_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", json_text)
