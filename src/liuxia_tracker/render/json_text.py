"""JSON text, indented by two spaces, exactly as `json.dumps(value, ensure_ascii=False,
indent=2, allow_nan=False)` writes it, in less time on a large report.

Guarantees: `dumps` returns the same text as that call for any value made of dicts with string
keys, lists, strings, integers, floats, booleans and None (a test compares them on arbitrary
values); a non-finite float raises ValueError as json does. Any other value (a tuple, a
subclass of str, a date…) is left to `json.dumps` itself.

Why: with an indent, the standard library encodes in Python, value by value. Here every dict
or list has all its plain values encoded in one call of the C encoder (its item separator a
NUL, which JSON text never holds unescaped, so the result splits back into values), and only
the layout is Python's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

_INDENT = "  "
_PLAIN = frozenset({str, int, float, bool, type(None)})
_NESTED = frozenset({dict, list})
_KNOWN = _PLAIN | _NESTED
_SEPARATOR = "\x00"


def _plain_encoder() -> Callable[[list[Any]], str]:
    """Plain values in one call of the C encoder: `[v1\0v2\0…]`."""
    from json import encoder as json_encoder

    c_make_encoder = getattr(json_encoder, "c_make_encoder", None)
    if c_make_encoder is None:  # no C accelerator: the same text, more slowly
        encode = json.JSONEncoder(
            ensure_ascii=False, allow_nan=False, separators=(_SEPARATOR, ":")
        ).encode
        return encode
    # (markers, default, encoder, indent, key separator, item separator, sort keys, skip
    # keys, allow NaN): no markers, as a flat list of plain values cannot hold itself.
    encoder = c_make_encoder(
        None, None, json_encoder.encode_basestring, None, ":", _SEPARATOR, False, False, False
    )
    return lambda values: "".join(encoder(values, 0))


_encode_list = _plain_encoder()


def _positions(kinds: list[type], kind: type) -> list[int]:
    """Where `kind` is in `kinds`, found by the list's own search."""
    found = []
    position = -1
    for _ in range(kinds.count(kind)):
        position = kinds.index(kind, position + 1)
        found.append(position)
    return found


class _Unusual(Exception):
    """A value this module leaves to json.dumps."""


def _literal(text: str) -> str:
    """`text` as literal text of a `str.format` template."""
    return text.replace("{", "{{").replace("}", "}}")


class _Writer:
    def __init__(self) -> None:
        self.newlines: list[str] = []
        # An object's text with a `{}` for each value, by its keys and depth: the objects
        # of a report (its targets, their cells) share a few sets of keys.
        self.templates: dict[tuple[tuple[str, ...], int], str] = {}

    def newline(self, depth: int) -> str:
        while len(self.newlines) <= depth:
            self.newlines.append("\n" + _INDENT * len(self.newlines))
        return self.newlines[depth]

    def template(self, keys: tuple[str, ...], depth: int) -> str:
        """The object's text for `str.format`: its braces doubled, a `{}` for each value."""
        if not all(type(key) is str for key in keys):
            raise _Unusual(keys)
        inner = self.newline(depth + 1)
        members = [_literal(f"{inner}{key}: ") + "{}" for key in self.values(list(keys), 0)]
        found = "{{" + ",".join(members) + _literal(self.newline(depth)) + "}}"
        self.templates[keys, depth] = found
        return found

    def values(self, items: list[Any], depth: int) -> list[str]:
        """Each of `items` encoded, nested ones laid out at `depth`."""
        kinds = list(map(type, items))
        if not _KNOWN.issuperset(kinds):
            raise _Unusual(kinds)
        if dict not in kinds and list not in kinds:
            return _encode_list(items)[1:-1].split(_SEPARATOR)
        objects = _positions(kinds, dict)
        arrays = _positions(kinds, list)
        if len(objects) + len(arrays) == len(items):
            encoded = [""] * len(items)
        else:
            plain = list(items)
            for index in objects + arrays:
                plain[index] = None
            encoded = _encode_list(plain)[1:-1].split(_SEPARATOR)
        for index in objects:
            encoded[index] = self.object(items[index], depth)
        for index in arrays:
            encoded[index] = self.array(items[index], depth)
        return encoded

    def object(self, value: dict[str, Any], depth: int) -> str:
        if not value:
            return "{}"
        keys = tuple(value)
        template = self.templates.get((keys, depth)) or self.template(keys, depth)
        return template.format(*self.values(list(value.values()), depth + 1))

    def array(self, value: list[Any], depth: int) -> str:
        if not value:
            return "[]"
        inner = self.newline(depth + 1)
        encoded = self.values(value, depth + 1)
        return "[" + inner + ("," + inner).join(encoded) + self.newline(depth) + "]"


def dumps(value: Any) -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)`."""
    try:
        return _Writer().values([value], 0)[0]
    except _Unusual:
        return json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)
