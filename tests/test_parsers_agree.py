"""libyaml's parser and PyYAML's pure-Python one give the loader the same results.

`loading.parse_yaml` reads with libyaml when PyYAML has it; whatever the two parsers are known
to read differently goes to the pure parser, and so does every text libyaml finds an error in.
These properties compare the outcome (values, every position, every diagnostic) of both on
generated YAML: documents of nested block and flow collections with plain, quoted and escaped
scalars, comments and empty values, sometimes broken by one edit, and loose token soup.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from liuxia_tracker.plan import loading

pytestmark = pytest.mark.skipif(
    not hasattr(yaml, "CSafeLoader"), reason="PyYAML has no libyaml here"
)

WORDS = [
    "a", "id", "名称", "x y", "12", "-3", "1.5", "1e3", "012", "true", "no", "null", "~", "",
    "2023-01-05", "6%", "15亿元", "a:b", "a#b", "a # b", "-x", ":x", "x:", "'", '"', "\\",
    "é", "中文 测试", ",", "[", "]", "{", "}", "---", "...", "%x", "@", "<<", "a,b", "?", "&a",
    "*a", "!x", "|", ">",
]  # fmt: skip
ESCAPES = ["", "\\u00e9", "\\x41", "\\n", "\\t", "\\ud800", "\\U0001F600", "\\q", "\\\n  "]
BREAKS = ["", "\n  x", "\n\n  y"]
COMMENTS = ["", "", "  # c", " #", " # x: [y] 'z", " #\tt"]


@st.composite
def scalars(draw: st.DrawFn) -> str:
    word = draw(st.sampled_from(WORDS))
    style = draw(st.sampled_from(["plain", "plain", "double", "single"]))
    if style == "plain":
        return word
    if style == "double":
        escaped = word.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}{draw(st.sampled_from(ESCAPES))}{draw(st.sampled_from(BREAKS))}"'
    return "'" + word.replace("'", "''") + draw(st.sampled_from(BREAKS)) + "'"


@st.composite
def flow_nodes(draw: st.DrawFn, depth: int = 0) -> str:
    if depth > 2 or draw(st.booleans()):
        return draw(scalars())
    separator = draw(st.sampled_from([", ", ",", " , ", ",\n  "]))
    closing = draw(st.sampled_from(["", ",", " "]))
    if draw(st.booleans()):
        items = draw(st.lists(flow_nodes(depth + 1), max_size=3))
        return "[" + separator.join(items) + closing + "]"
    pairs = []
    for key in draw(st.lists(scalars(), max_size=3)):
        colon = draw(st.sampled_from([": ", ":", " : ", ":\n  ", ": "]))
        value = draw(st.one_of(st.just(""), flow_nodes(depth + 1)))
        pairs.append(key + colon + value)
    return "{" + separator.join(pairs) + closing + "}"


@st.composite
def block_nodes(draw: st.DrawFn, indent: int = 0, depth: int = 0) -> str:
    """A block collection as lines at `indent`, or a flow node or scalar (inline)."""
    if depth > 2 or draw(st.integers(0, 4)) == 0:
        return draw(st.one_of(scalars(), flow_nodes()))
    step = draw(st.sampled_from([1, 2, 4]))
    lines = []
    sequence = draw(st.booleans())
    for _ in range(draw(st.integers(1, 3))):
        child = draw(st.one_of(st.just(""), block_nodes(indent + step, depth + 1)))
        lead = " " * indent + ("-" if sequence else draw(scalars()) + ":")
        comment = draw(st.sampled_from(COMMENTS))
        if child.startswith("\n"):
            lines.append(lead + comment + child)
        else:
            lines.append(lead + (" " + child if child else "") + comment)
    return "\n" + "\n".join(lines)


@st.composite
def documents(draw: st.DrawFn) -> str:
    text = draw(block_nodes()).lstrip("\n") + "\n"
    if draw(st.integers(0, 3)) == 0:  # one edit that may break it
        at = draw(st.integers(0, len(text) - 1))
        cut = draw(st.integers(0, 2))
        insert = draw(st.sampled_from(["", " ", "\n", ":", "-", "#", "'", '"', "[", "{", ",", "?"]))
        text = text[:at] + insert + text[at + cut :]
    if draw(st.integers(0, 9)) == 0:
        text = text.rstrip("\n")
    return text


TOKENS = [
    "a", "1", " ", "\n", ": ", ":", "- ", "-", "? ", "[", "]", "{", "}", ", ", "#", " #", "'",
    '"', "|", ">", "|-", "&x ", "*x", "!x ", "!!str ", "%YAML 1.1\n", "%FOO x\n", "---", "...",
    "  ", "\r\n", "中", "\\", "\\ud800", "\\U00110000", "\\q", "0", "e", "~", "''", '""', "\t",
    "\n  ", "\n- ", "<<: ", "012", "1e3", "\ufeff",
]  # fmt: skip


def outcome(text: str, use_libyaml: bool) -> Any:
    saved = loading.USE_LIBYAML
    loading.USE_LIBYAML = use_libyaml
    try:
        parsed, problems = loading.parse_yaml(text, "f.yaml", line_offset=2)
    finally:
        loading.USE_LIBYAML = saved
    if parsed is None:
        return None, [str(problem) for problem in problems]
    shape = (parsed.value, parsed.positions, parsed.key_positions, parsed.reported)
    return shape, [str(problem) for problem in problems]


@settings(max_examples=400, deadline=None)
@given(documents())
def test_generated_documents_read_the_same_with_either_parser(text: str) -> None:
    assert outcome(text, use_libyaml=True) == outcome(text, use_libyaml=False)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=30).map("".join))
def test_token_soup_reads_the_same_with_either_parser(text: str) -> None:
    assert outcome(text, use_libyaml=True) == outcome(text, use_libyaml=False)


def test_libyaml_is_used_for_ordinary_text() -> None:
    # Not a property that could pass by always using the pure parser: libyaml's own result
    # is taken for an ordinary document.
    assert loading._libyaml_reads_as_pure("a: [1, 2]\nb: {c: 'd'}\n")
    calls: list[bool] = []
    original = loading._walk

    def spy(text: str, display: str, line_offset: int, *, libyaml: bool) -> Any:
        calls.append(libyaml)
        return original(text, display, line_offset, libyaml=libyaml)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loading, "_walk", spy)
        patch.setattr(loading, "USE_LIBYAML", True)
        assert outcome("a: [1, 2]\n", use_libyaml=True)[1] == []
        assert calls == [True]
        calls.clear()
        outcome("a: [1, 2\n", use_libyaml=True)  # an error: read again by the pure parser
        assert calls == [True, False]
