"""Chinese and English labels for every header, status and phrase the reports print.

Guarantees: every label lives in the `LABELS` dictionaries below and each key exists in both
languages (a test holds this). A label may hold `str.format` fields (`{year}`); both languages
use the same fields. The default language comes from the locale: the first of `LC_ALL`,
`LC_MESSAGES`, `LANG` that is set and non-empty decides, and a value starting with `zh`
(`zh_CN.UTF-8`, `zh_TW`, `zh`) means Chinese; anything else, or nothing, means English.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from enum import StrEnum

from liuxia_tracker.engine.rows import Status
from liuxia_tracker.i18n_bulletin import BULLETIN_EN, BULLETIN_ZH
from liuxia_tracker.i18n_help import EN_HELP, ZH_HELP


class Language(StrEnum):
    ZH = "zh"
    EN = "en"


# The locale variables in POSIX precedence: LC_ALL overrides LC_MESSAGES, which overrides LANG.
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

_ZH: dict[str, str] = {
    # Column headers, in the order every format prints them.
    "column.district": "区县",
    "column.group": "分组",
    "column.target": "指标",
    "column.qualifier": "要求",
    "column.target_value": "目标值",
    "column.actual": "实际",
    "column.expected": "序时进度",
    "column.variance": "偏差",
    "column.completion": "完成率",
    "column.status": "状态",
    "column.forecast": "全年预计",
    "column.owner": "责任单位",
    "column.leader": "包联领导",
    # Statuses.
    "status.achieved": "已完成",
    "status.on_track": "达到序时",
    "status.ahead": "超进度",
    "status.at_risk": "有风险",
    "status.behind": "滞后",
    "status.missed": "未完成",
    "status.no_data": "无数据",
    "status.stale": "数据逾期",
    # Qualifiers: 以上 at least, 左右 about (± a tolerance), 以内 at most.
    "qualifier.at_least": "以上",
    "qualifier.about": "左右",
    "qualifier.at_most": "以内",
    # The unit of a rate's variance.
    "unit.percentage_point": "百分点",
    # Forecast phrases; a 以内 (at_most) target's date is the day its cap is reached.
    "forecast.reached": "{value}（{date}完成）",
    "forecast.not_this_year": "{value}（年内无法完成）",
    "forecast.cap_reached": "{value}（预计{date}超限）",
    "forecast.within_cap": "{value}（年内不超限）",
    # Headings and the district summary line.
    "report.title": "{year}年目标进度（截至{as_of}）",
    "summary.targets.one": "{district}：{count}项指标",
    "summary.targets.other": "{district}：{count}项指标",
    "summary.count": "{status} {count}",
    "summary.score": "得分 {score}",
    "summary.rank": "排名 {rank}/{total}",
    "summary.rank_in_category": "排名 {rank}/{total}（{category}）",
    "summary.list_separator": "，",
    "summary.clause_separator": "；",
    # The lines under a district's table: overdue items, then why a target is stale or missed.
    "note.overdue_item": "逾期事项：{target} · {item}（{details}）",
    "note.due": "截止{date}",
    "note.owner": "责任单位 {owner}",
    "note.leader": "包联领导 {leader}",
    "note.detail_separator": "；",
    "note.stale": "数据逾期：{target}（最新数据 {period}）",
    "note.stale_without_figure": "数据逾期：{target}（尚无数据）",
    "note.missed": "未完成：{target}（实际 {actual}，目标 {goal}）",
    "note.provisional": "快报：{target} {period} 为快报数，待正式数据确认",
    # Overdue figures (逾期未报), listed first with who owns them.
    "note.overdue_figure": "逾期未报：{target} {period}数据（应于{due_by}前报送；{details}）",
    "note.overdue_figure_alone": "逾期未报：{target} {period}数据（应于{due_by}前报送）",
    # Lagging targets: how far behind schedule (序时差) and what each period must deliver (倒排).
    "note.lagging": "{status}：{target}（{details}）",
    "note.completion": "完成{completion}",
    "note.gap_ahead": "超序时进度{points}个百分点",
    "note.gap_behind": "慢序时进度{points}个百分点",
    "note.gap_even": "与序时进度持平",
    "note.needed": "后{count}{period}需{each}完成{amount}",
    "note.allowed": "后{count}{period}{each}至多新增{amount}",
    "note.rate_variance": "低于目标{points}个百分点",
    "note.rate_no_pace": "增速指标无倒排：计划未给出基期值",
    "period.half.1": "上半年",
    "period.half.2": "下半年",
    "pace.each.quarter": "季均",
    "pace.each.month": "月均",
    "pace.each.dekad": "旬均",
    "pace.each.week": "周均",
    "pace.each.day": "日均",
    "pace.each.year": "年均",
    "pace.unit.quarter": "个季度",
    "pace.unit.month": "个月",
    "pace.unit.dekad": "旬",
    "pace.unit.week": "周",
    "pace.unit.day": "天",
    "pace.unit.year": "年",
    "note.goal": "{value}{qualifier}{tolerance}",
    # The terminal table: the columns left out to fit the terminal's width.
    "table.hidden": "为适应终端宽度已隐藏：{columns}；--format plain 显示全部列",
    "table.hidden_separator": "、",
    # A cell with no value.
    "empty": "—",
}

_EN: dict[str, str] = {
    "column.district": "District",
    "column.group": "Group",
    "column.target": "Target",
    "column.qualifier": "Qualifier",
    "column.target_value": "Target value",
    "column.actual": "Actual",
    "column.expected": "Expected to date",
    "column.variance": "Variance",
    "column.completion": "Completion",
    "column.status": "Status",
    "column.forecast": "Year-end forecast",
    "column.owner": "Owner",
    "column.leader": "Leader",
    "status.achieved": "achieved",
    "status.on_track": "on track",
    "status.ahead": "ahead",
    "status.at_risk": "at risk",
    "status.behind": "behind",
    "status.missed": "missed",
    "status.no_data": "no data",
    "status.stale": "stale",
    "qualifier.at_least": "≥",
    "qualifier.about": "≈",
    "qualifier.at_most": "≤",
    "unit.percentage_point": "pp",
    "forecast.reached": "{value} (reached {date})",
    "forecast.not_this_year": "{value} (not this year)",
    "forecast.cap_reached": "{value} (cap reached {date})",
    "forecast.within_cap": "{value} (within cap this year)",
    "report.title": "{year} targets (as of {as_of})",
    "summary.targets.one": "{district}: {count} target",
    "summary.targets.other": "{district}: {count} targets",
    "summary.count": "{status} {count}",
    "summary.score": "score {score}",
    "summary.rank": "rank {rank} of {total}",
    "summary.rank_in_category": "rank {rank} of {total} ({category})",
    "summary.list_separator": ", ",
    "summary.clause_separator": "; ",
    "note.overdue_item": "Overdue: {target} · {item} ({details})",
    "note.due": "due {date}",
    "note.owner": "owner {owner}",
    "note.leader": "leader {leader}",
    "note.detail_separator": "; ",
    "note.stale": "Stale: {target} (latest figure {period})",
    "note.stale_without_figure": "Stale: {target} (no figure yet)",
    "note.missed": "Missed: {target} (actual {actual}; target {goal})",
    "note.provisional": "Provisional (快报): {target} {period} is a provisional figure, to be confirmed",
    "note.overdue_figure": "Not reported: {target}, the {period} figure (due by {due_by}; {details})",
    "note.overdue_figure_alone": "Not reported: {target}, the {period} figure (due by {due_by})",
    "note.lagging": "{status}: {target} ({details})",
    "note.completion": "{completion} done",
    "note.gap_ahead": "{points} pp ahead of schedule",
    "note.gap_behind": "{points} pp behind schedule",
    "note.gap_even": "on schedule",
    "note.needed": "needs {amount} {each} over the last {count} {period}",
    "note.allowed": "may add at most {amount} {each} over the last {count} {period}",
    "note.rate_variance": "{points} pp below target",
    "note.rate_no_pace": "no required pace for a rate: the plan gives no base-year level",
    "period.half.1": "H1",
    "period.half.2": "H2",
    "pace.each.quarter": "a quarter",
    "pace.each.month": "a month",
    "pace.each.dekad": "a dekad",
    "pace.each.week": "a week",
    "pace.each.day": "a day",
    "pace.each.year": "a year",
    "pace.unit.quarter": "quarters",
    "pace.unit.month": "months",
    "pace.unit.dekad": "dekads",
    "pace.unit.week": "weeks",
    "pace.unit.day": "days",
    "pace.unit.year": "years",
    "note.goal": "{qualifier} {value}{tolerance}",
    "table.hidden": "Hidden to fit the terminal: {columns}; --format plain shows every column",
    "table.hidden_separator": ", ",
    "empty": "—",
}

# The `--help` texts of every command and option are labels too (`i18n_help`).
LABELS: Mapping[Language, Mapping[str, str]] = {
    Language.ZH: {**_ZH, **ZH_HELP, **BULLETIN_ZH},
    Language.EN: {**_EN, **EN_HELP, **BULLETIN_EN},
}


def default_language(environ: Mapping[str, str] | None = None) -> Language:
    """The language the locale asks for: Chinese for a `zh…` locale, else English."""
    env = os.environ if environ is None else environ
    for variable in _LOCALE_VARIABLES:
        value = env.get(variable, "")
        if value:
            return Language.ZH if value.strip().lower().startswith("zh") else Language.EN
    return Language.EN


def label(key: str, lang: Language) -> str:
    """The label `key` in `lang`; an unknown key is a programming error (KeyError)."""
    return LABELS[lang][key]


def count_label(key: str, count: int, lang: Language) -> str:
    """The label `key.one` when `count` is 1, else `key.other` ("1 target", "2 targets");
    Chinese has one form, written under both keys."""
    return label(f"{key}.{'one' if count == 1 else 'other'}", lang)


def status_label(status: Status, lang: Language) -> str:
    return label(f"status.{status.value}", lang)


def qualifier_label(qualifier: str, lang: Language) -> str:
    """以上/左右/以内 or ≥/≈/≤; a qualifier the labels do not know is shown as written."""
    return LABELS[lang].get(f"qualifier.{qualifier}", qualifier)
