"""`render.table_draw` writes the terminal table exactly as rich draws it (`render.table_rich`):
the same characters and the same colour codes, on any report at any width, or declines and
leaves the report to rich."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.color import ColorSystem
from rich.style import Style

from liuxia_tracker.engine.rows import (
    DistrictSummary,
    ExpectedBasis,
    OverdueFigure,
    Report,
    Status,
    TargetRow,
)
from liuxia_tracker.i18n import Language
from liuxia_tracker.render import table_draw, table_rich
from liuxia_tracker.render.table import _texts, layout
from liuxia_tracker.render.table_layout import STATUS_STYLES
from liuxia_tracker.render.view import SECTION_COLUMNS

BASE = TargetRow(
    district_id="lixia",
    district_name="历下区",
    district_name_en="Lixia District",
    target_id="target",
    name="指标",
    name_en=None,
    group="经济指标",
    kind="quantity",
    qualifier="at_least",
    unit="万平方米",
    target=80.0,
    tolerance=None,
    actual=35.5,
    expected=43.72,
    expected_basis=ExpectedBasis.LAST_PERIOD,
    variance=-8.22,
    completion=0.44375,
    remaining=44.5,
    status=Status.BEHIND,
    last_period="2023-W28",
    forecast=64.35,
    forecast_date=None,
    forecast_reached=False,
    owner="中央商务区管委会",
    leader="分管副区长",
    weight=1.0,
    score=0.44375,
)

# Plain text of every kind a plan holds, and now and then a character that rich measures by
# its neighbours (a joiner, a variation selector, a line separator), which makes the fast
# drawing decline.
ORDINARY = "aZx09 .-/%()（）【】，、：中央商务区交付建筑面积新增产值亿元万平方米"
AWKWARD = "\u200d\ufe0f\u2028\u0301👍"
words = st.text(alphabet=st.sampled_from(ORDINARY), min_size=1, max_size=30)
awkward = st.builds(lambda a, b, c: a + b + c, words, st.sampled_from(AWKWARD), words)
number = st.one_of(st.none(), st.floats(min_value=-1e7, max_value=1e7, allow_nan=False))


@st.composite
def rows(draw: st.DrawFn, district: tuple[str, str, str]) -> TargetRow:
    district_id, name, name_en = district
    return replace(
        BASE,
        district_id=district_id,
        district_name=name,
        district_name_en=name_en,
        target_id=draw(st.sampled_from(["a", "b", "c", "d"])),
        name=draw(words),
        name_en=draw(st.one_of(st.none(), words)),
        group=draw(words),
        kind=draw(st.sampled_from(["quantity", "rate"])),
        qualifier=draw(st.sampled_from(["at_least", "at_most", "about"])),
        unit=draw(st.sampled_from(["", "%", "万平方米", "微克/立方米", "亿元", "个"])),
        tolerance=draw(st.sampled_from([None, 0.5])),
        actual=draw(number),
        expected=draw(number),
        variance=draw(number),
        completion=draw(st.one_of(st.none(), st.floats(min_value=-1, max_value=3))),
        status=draw(st.sampled_from(list(Status))),
        forecast=draw(number),
        forecast_reached=draw(st.sampled_from([None, True, False])),
        forecast_date=draw(st.sampled_from([None, date(2023, 11, 28)])),
        owner=draw(st.one_of(st.none(), words)),
        leader=draw(st.one_of(st.none(), words)),
        overdue_figure=draw(st.sampled_from([None, OverdueFigure("2023-06", date(2023, 7, 20))])),
    )


@st.composite
def reports(draw: st.DrawFn) -> Report:
    districts = [("lixia", "历下区", "Lixia District"), ("d2", draw(words), draw(words))]
    found: list[TargetRow] = []
    summaries = []
    for district in districts[: draw(st.integers(min_value=1, max_value=2))]:
        found += draw(st.lists(rows(district), min_size=1, max_size=4))
        summaries.append(
            DistrictSummary(
                district[0],
                district[1],
                district[2],
                counts={Status.BEHIND: 1},
                score=draw(st.one_of(st.none(), st.floats(min_value=0, max_value=1))),
                rank=draw(st.sampled_from([None, 1, 2])),
                category=draw(st.one_of(st.none(), words)),
            )
        )
    if draw(st.integers(min_value=0, max_value=9)) == 0:  # now and then, one awkward name
        found[0] = replace(found[0], name=draw(awkward))
    return Report(2023, date(2023, 7, 20), tuple(found), tuple(summaries))


def both(report: Report, lang: Language, color: bool, width: int | None) -> tuple[str | None, str]:
    texts = [_texts(row, lang) for row in report.rows]
    chosen = layout(lang, texts, width, SECTION_COLUMNS)
    drawn = table_draw.draw(report, lang, texts, chosen, color=color, width=width)
    by_rich = table_rich.draw(report, lang, texts, chosen, color=color, width=width)
    return drawn, by_rich


@settings(max_examples=300, deadline=None)
@given(
    reports(),
    st.sampled_from(list(Language)),
    st.booleans(),
    st.one_of(st.none(), st.integers(min_value=8, max_value=180)),
)
def test_the_table_is_drawn_as_rich_draws_it(
    report: Report, lang: Language, color: bool, width: int | None
) -> None:
    drawn, by_rich = both(report, lang, color, width)

    assert drawn is None or drawn == by_rich


@pytest.mark.parametrize("width", [None, 160, 120, 100, 80, 60, 40, 20])
@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("lang", list(Language))
def test_plain_text_is_never_left_to_rich(lang: Language, color: bool, width: int | None) -> None:
    row = replace(BASE, name="CBD交付建筑面积（一期、二期）", owner="中央商务区 management office")
    report = Report(
        2023,
        date(2023, 7, 20),
        (row, replace(row, status=Status.ACHIEVED, completion=1.2, target_id="b")),
        (DistrictSummary("lixia", "历下区", "Lixia District", {Status.BEHIND: 1}, 0.5, 1),),
    )

    drawn, by_rich = both(report, lang, color, width)

    assert drawn == by_rich


@pytest.mark.parametrize("width", [None, 100, 30])
@pytest.mark.parametrize("color", [False, True])
def test_a_district_without_rows_has_a_table_of_headers(color: bool, width: int | None) -> None:
    elsewhere = replace(BASE, district_id="shizhong", district_name="市中区")
    report = Report(
        2023,
        date(2023, 7, 20),
        (elsewhere,),
        (DistrictSummary("lixia", "历下区", "Lixia District", {}, None, None),),
    )

    drawn, by_rich = both(report, Language.ZH, color, width)

    assert drawn == by_rich


def test_a_joiner_leaves_the_report_to_rich() -> None:
    report = Report(2023, date(2023, 7, 20), (replace(BASE, name="👍\u200d指标"),), ())

    assert both(report, Language.ZH, True, None)[0] is None


@pytest.mark.parametrize("style", sorted({*STATUS_STYLES.values(), "bold", "dim"}))
def test_colour_codes_are_richs(style: str) -> None:
    written = Style.parse(style).render("x", color_system=ColorSystem.STANDARD)

    assert written == f"\x1b[{table_draw.SGR[style]}mx\x1b[0m"
