"""A document's values without positions: what a command that shows no position needs.

`loading.parse_yaml` keeps the line and column of every node, which only a diagnostic needs;
for a national plan (4.9 million nodes) the tables cost more memory than the values. Reading
the values alone is for text with nothing to report, which is what a plan nearly always is.

Guarantees:

- `read_values(text)` is `parse_yaml(text, ...)`'s value, or None. It gives a value only when
  `parse_yaml` gives that same value (equal, of the same types) and no diagnostic at all.
- It is None, and the caller reads the text again with `parse_yaml` for the diagnostics, at
  anything `parse_yaml` reports or refuses: characters and tabs the lint refuses, a syntax
  error, an anchor, alias, tag or `<<` merge key, a duplicate or complex key, nesting deeper
  than `MAX_DEPTH`, a second document, half a UTF-16 pair, a plain scalar the scalar rules
  refuse; and where libyaml may place a value differently from the pure parser (an empty
  value inside `[...]` or `{...}`). The same parser reads the text as in `parse_yaml`.
- Equal texts among the values are one string object (a national plan repeats the same
  groups, units and sources in every district), as keys are.
"""

from __future__ import annotations

import sys
from typing import Any

from liuxia_tracker.plan.loading import MAX_DEPTH, Parsed, libyaml_for, yaml_module
from liuxia_tracker.plan.scalars import Refused, plain_value
from liuxia_tracker.plan.text import SURROGATE, lint_characters


class _Diagnose(Exception):
    """The text has something to report, or libyaml may read it differently: read it again
    with positions."""


def read_values(text: str) -> Parsed | None:
    """The document's values (position tables left empty), or None when `parse_yaml` must read
    it: it has something to report, or libyaml may read it differently (see the module)."""
    if lint_characters(text, "", 0):
        return None
    yaml = yaml_module()
    libyaml = libyaml_for(text)
    loader: Any = (yaml.CSafeLoader if libyaml else yaml.SafeLoader)(text)
    try:
        value = _walk(loader, yaml, escapes="\\" in text, libyaml=libyaml)
    except (_Diagnose, yaml.YAMLError, RecursionError, MemoryError, ValueError, OverflowError):
        return None
    finally:
        loader.dispose()
    return Parsed(value)


def _walk(loader: Any, yaml: Any, *, escapes: bool, libyaml: bool) -> Any:
    """Build the values from the parser's events, as `loading._Walker` does, without positions.

    The hot path of a plan read for a report: one pass, one branch per event class, the
    enclosing collections kept as plain tuples.
    """
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    document_start = yaml.DocumentStartEvent
    intern = sys.intern
    texts: dict[str, str] = {}  # one string per distinct text
    share = texts.setdefault
    # The open collection, the key its next value goes under (None: the next scalar is a key,
    # in a mapping), whether it is written in flow style; the enclosing ones, saved alike.
    container: Any = None
    key: str | None = None
    flow = False
    enclosing: list[tuple[Any, str | None, bool]] = []
    root: Any = None  # an empty document's value
    documents = 0
    for event in iter(loader.get_event, None):  # None after the end of the stream
        kind = type(event)
        if kind is scalar_event:
            if event.anchor is not None or event.tag is not None:
                raise _Diagnose
            written: str = event.value
            if escapes and SURROGATE.search(written) is not None:
                raise _Diagnose
            if libyaml and flow and not written:  # the pure parser may place it elsewhere
                raise _Diagnose
            if key is None and type(container) is dict:
                if written in container or (written == "<<" and event.implicit[0]):
                    raise _Diagnose  # a duplicate key, a merge key
                key = intern(written)
                continue
            value: Any = plain_value(written) if event.implicit[0] else written
            if type(value) is str:
                value = share(value, value)
            elif type(value) is Refused:
                raise _Diagnose
        elif kind is mapping_end or kind is sequence_end:
            value = container
            container, key, flow = enclosing.pop()
        elif kind is mapping_start or kind is sequence_start:
            if event.anchor is not None or event.tag is not None:
                raise _Diagnose
            if key is None and type(container) is dict:
                raise _Diagnose  # a complex key
            if len(enclosing) >= MAX_DEPTH:
                raise _Diagnose
            enclosing.append((container, key, flow))
            container = {} if kind is mapping_start else []
            key = None
            flow = bool(event.flow_style)
            continue
        elif kind is alias_event:
            raise _Diagnose
        else:
            if kind is document_start:
                documents += 1
                if documents > 1:
                    raise _Diagnose
            continue  # the start or end of the stream, the end of a document
        if key is not None:
            container[key] = value
            key = None
        elif container is not None:
            container.append(value)
        else:
            root = value
    return root
