"""Tests for `liuxia_tracker.i18n`: every label in both languages, and the locale default."""

from __future__ import annotations

from string import Formatter

import pytest

from liuxia_tracker.engine.rows import Status
from liuxia_tracker.i18n import (
    LABELS,
    Language,
    count_label,
    default_language,
    label,
    qualifier_label,
    status_label,
)
from liuxia_tracker.render.view import COLUMNS

ZH = Language.ZH
EN = Language.EN


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in Formatter().parse(text) if field is not None}


def test_every_key_exists_in_both_languages() -> None:
    assert set(LABELS) == set(Language)
    assert set(LABELS[ZH]) == set(LABELS[EN])
    for key in LABELS[ZH]:
        assert LABELS[ZH][key].strip(), key
        assert LABELS[EN][key].strip(), key


def test_both_languages_fill_the_same_fields() -> None:
    for key in LABELS[ZH]:
        assert _fields(LABELS[ZH][key]) == _fields(LABELS[EN][key]), key
    assert _fields(label("report.title", ZH)) == {"year", "as_of"}


def test_every_column_and_status_has_a_label() -> None:
    for lang in Language:
        headers = [column.header(lang) for column in COLUMNS]
        assert len(set(headers)) == len(COLUMNS)
        statuses = [status_label(status, lang) for status in Status]
        assert len(set(statuses)) == len(Status)


def test_chinese_labels() -> None:
    assert {status: status_label(status, ZH) for status in Status} == {
        Status.ACHIEVED: "已完成",
        Status.ON_TRACK: "达到序时",
        Status.AHEAD: "超进度",
        Status.AT_RISK: "有风险",
        Status.BEHIND: "滞后",
        Status.MISSED: "未完成",
        Status.NO_DATA: "无数据",
        Status.STALE: "数据逾期",
    }
    assert [column.header(ZH) for column in COLUMNS] == [
        "区县",
        "分组",
        "指标",
        "要求",
        "目标值",
        "实际",
        "序时进度",
        "偏差",
        "完成率",
        "状态",
        "全年预计",
        "责任单位",
        "包联领导",
    ]


def test_english_labels() -> None:
    assert [status_label(status, EN) for status in Status] == [
        "missed",
        "behind",
        "at risk",
        "stale",
        "no data",
        "on track",
        "ahead",
        "achieved",
    ]
    assert label("forecast.not_this_year", EN).format(value="5 个") == "5 个 (not this year)"
    assert label("forecast.not_this_year", ZH).format(value="5个") == "5个（年内无法完成）"


@pytest.mark.parametrize(
    ("count", "zh", "en"),
    [
        (0, "东区：0项指标", "East: 0 targets"),
        (1, "东区：1项指标", "East: 1 target"),
        (2, "东区：2项指标", "East: 2 targets"),
        (11, "东区：11项指标", "East: 11 targets"),
    ],
)
def test_counted_labels_agree_with_their_number(count: int, zh: str, en: str) -> None:
    assert count_label("summary.targets", count, ZH).format(district="东区", count=count) == zh
    assert count_label("summary.targets", count, EN).format(district="East", count=count) == en


def test_every_counted_label_has_both_forms() -> None:
    for lang in Language:
        counted = {
            key.rsplit(".", 1)[0] for key in LABELS[lang] if key.endswith((".one", ".other"))
        }
        for key in counted:
            assert f"{key}.one" in LABELS[lang] and f"{key}.other" in LABELS[lang], key


def test_cap_forecast_labels() -> None:
    day = {"value": "40微克/立方米", "date": "2024-10-26"}
    assert label("forecast.cap_reached", ZH).format(**day) == "40微克/立方米（预计2024-10-26超限）"
    assert label("forecast.within_cap", ZH).format(value="36%") == "36%（年内不超限）"
    day["value"] = "40 微克/立方米"
    assert (
        label("forecast.cap_reached", EN).format(**day) == "40 微克/立方米 (cap reached 2024-10-26)"
    )
    assert label("forecast.within_cap", EN).format(value="36%") == "36% (within cap this year)"


@pytest.mark.parametrize(
    ("qualifier", "zh", "en"),
    [("at_least", "以上", "≥"), ("about", "左右", "≈"), ("at_most", "以内", "≤")],
)
def test_qualifiers(qualifier: str, zh: str, en: str) -> None:
    assert qualifier_label(qualifier, ZH) == zh
    assert qualifier_label(qualifier, EN) == en


def test_an_unknown_qualifier_shows_as_written() -> None:
    assert qualifier_label("exactly", EN) == "exactly"


def test_an_unknown_key_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        label("column.nonexistent", ZH)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, EN),
        ({"LANG": "zh_CN.UTF-8"}, ZH),
        ({"LANG": "zh_TW.Big5"}, ZH),
        ({"LANG": "zh"}, ZH),
        ({"LANG": "ZH_cn.utf8"}, ZH),
        ({"LANG": "en_US.UTF-8"}, EN),
        ({"LANG": "C"}, EN),
        ({"LANG": "C.UTF-8"}, EN),
        ({"LANG": "POSIX"}, EN),
        ({"LANG": "de_DE.UTF-8"}, EN),
        # LC_ALL overrides LC_MESSAGES, which overrides LANG.
        ({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "zh_CN", "LANG": "zh_CN.UTF-8"}, EN),
        ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, ZH),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, ZH),
        ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, EN),
        # An empty variable is unset.
        ({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"}, ZH),
        # Only the message locale decides: LC_CTYPE or LANGUAGE do not.
        ({"LC_CTYPE": "zh_CN.UTF-8", "LANGUAGE": "zh_CN"}, EN),
    ],
)
def test_default_language_follows_the_locale(environ: dict[str, str], expected: Language) -> None:
    assert default_language(environ) is expected


def test_default_language_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert default_language() is ZH
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert default_language() is EN


def test_language_values() -> None:
    assert [lang.value for lang in Language] == ["zh", "en"]
    assert Language("zh") is ZH
