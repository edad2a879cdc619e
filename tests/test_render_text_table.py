"""`render.text_table` lays tables out exactly as tabulate does (`simple` and `pipe`, number
parsing off), on any text: wide characters, combining marks, joiners, emoji, control
characters, empty cells and empty tables."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tabulate import tabulate

from liuxia_tracker.render.text_table import pipe_table, simple_table

# Characters that each take a different path through a width function or a table layout.
AWKWARD = (
    "aZ09 .-:|%()"  # ASCII, the table's own marks
    "中国历下区万平方米"  # wide
    "，。（）％：３"  # fullwidth punctuation and digits
    "\u3000\u2028\u00a0"  # ideographic space, line separator, no-break space
    "\u0301\u3099\u094d\u0903"  # combining acute, kana voicing, virama, spacing mark
    "कष\u0d4e\u0600"  # Devanagari letters, prepended marks
    "\u200d\ufe0f\ufe0e"  # zero-width joiner, variation selectors
    "😀👍\U0001f3fd\U0001f1e8\U0001f1f3"  # emoji, skin tone, regional indicators
)
# Line breaks and escapes make tabulate lay a table out another way (text_table leaves such a
# table to tabulate): one table in ten has one.
CONTROL = "\t\n\r\x1b\x01\x85"

cell_text = st.text(alphabet=st.sampled_from(AWKWARD), max_size=6)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]], list[str]]:
    columns = draw(st.integers(min_value=1, max_value=4))
    headers = draw(st.lists(cell_text, min_size=columns, max_size=columns))
    rows = draw(st.lists(st.lists(cell_text, min_size=columns, max_size=columns), max_size=4))
    aligns = draw(st.lists(st.sampled_from(["left", "right"]), min_size=columns, max_size=columns))
    if rows and draw(st.integers(min_value=0, max_value=9)) == 0:
        rows[0][0] += draw(st.sampled_from(CONTROL))
    return headers, rows, aligns


def reference(headers: list[str], rows: list[list[str]], aligns: list[str], fmt: str) -> str:
    return tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True, colalign=aligns)


@settings(max_examples=400, deadline=None)
@given(tables())
def test_simple_table_is_tabulate_simple(
    table: tuple[list[str], list[list[str]], list[str]],
) -> None:
    headers, rows, aligns = table
    assert simple_table(headers, rows, aligns) == reference(headers, rows, aligns, "simple")  # type: ignore[arg-type]


@settings(max_examples=400, deadline=None)
@given(tables())
def test_pipe_table_is_tabulate_pipe(table: tuple[list[str], list[list[str]], list[str]]) -> None:
    headers, rows, aligns = table
    assert pipe_table(headers, rows, aligns) == reference(headers, rows, aligns, "pipe")  # type: ignore[arg-type]


CHINESE = (
    ["区", "指标", "实际"],
    [["历下区", "CBD交付建筑面积", "35.5万平方米"], ["章丘区", "GDP", "6%"]],
)


def test_a_simple_table_aligns_chinese_by_display_width() -> None:
    headers, rows = CHINESE

    text = simple_table(headers, rows, ["left", "left", "right"])

    assert text.split("\n") == [
        "区      指标                     实际",
        "------  ---------------  ------------",
        "历下区  CBD交付建筑面积  35.5万平方米",
        "章丘区  GDP                        6%",
    ]


def test_a_pipe_table_marks_each_column_side() -> None:
    headers, rows = CHINESE

    text = pipe_table(headers, rows, ["left", "left", "right"])

    assert text.split("\n") == [
        "| 区     | 指标            |         实际 |",
        "|:-------|:----------------|-------------:|",
        "| 历下区 | CBD交付建筑面积 | 35.5万平方米 |",
        "| 章丘区 | GDP             |           6% |",
    ]


@pytest.mark.parametrize("layout", [simple_table, pipe_table])
def test_a_table_without_rows_is_its_headers(layout: object) -> None:
    assert callable(layout)
    assert layout(["区", "指标"], [], ["right", "right"]) == reference(
        ["区", "指标"], [], ["right", "right"], "simple" if layout is simple_table else "pipe"
    )
