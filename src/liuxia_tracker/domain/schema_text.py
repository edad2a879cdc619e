"""The words of the JSON Schemas: a Chinese and an English description of every key.

Guarantees: every field of every model in `models` has an entry here, either under its own
`(model, field)` key or under the field name alone when it means the same everywhere; a test
holds this. The description shown is `中文 / English`.
"""

from __future__ import annotations

# (Chinese, English), by field name when a field means the same in every model…
FIELD_TEXT: dict[str, tuple[str, str]] = {
    "id": (
        "稳定标识：小写字母、数字、_ 和 -，以字母开头",
        "stable id: lower-case letters, digits, _ and -, starting with a letter",
    ),
    "name": ("中文名称", "Chinese name"),
    "name_en": ("英文名称（可选）", "English name (optional)"),
    "note": ("备注", "a note"),
    "source": ("出处", "where it comes from"),
    "owner": ("责任单位", "responsible unit"),
    "leader": ("包联领导", "the leader in charge (包联)"),
}

# …and by (model, field) where the meaning depends on the model.
MODEL_FIELD_TEXT: dict[tuple[str, str], tuple[str, str]] = {
    ("Plan", "year"): ("计划年度", "the plan year"),
    ("Plan", "title"): ("计划标题", "the plan's title"),
    ("Plan", "settings"): ("全局设置：各项默认值", "plan-wide settings: the defaults"),
    ("Plan", "districts"): ("区县及其目标", "the districts and their targets"),
    ("Settings", "at_risk_share"): (
        "数量、事项类：低于序时进度多少比例以内算“有风险”（默认 0.10）",
        "quantities and items: at risk within this share below pace (default 0.10)",
    ),
    ("Settings", "at_risk_points"): (
        "增速类：低于目标多少个百分点以内算“有风险”（默认 1）",
        "rates: at risk within this many percentage points below target (default 1)",
    ),
    ("Settings", "about_share"): (
        "“左右”数量目标的容差比例（默认 ±5%）",
        "the band of a 左右 (about) quantity, as a share (default ±0.05)",
    ),
    ("Settings", "about_points"): (
        "“左右”增速目标的容差百分点（默认 ±0.5）",
        "the band of a 左右 (about) rate, in percentage points (default ±0.5)",
    ),
    ("Settings", "score_cap"): (
        "单项得分上限（完成率封顶，默认 1.2）",
        "the cap on one target's completion in a score (default 1.2)",
    ),
    ("Settings", "example"): (
        "随工具附带的示例计划：写入命令拒绝写入（用 tracker init DIR --from-example 复制）",
        "the shipped example plan: writing commands refuse it (copy it with tracker init DIR "
        "--from-example)",
    ),
    ("Settings", "max_ratio"): (
        "数值超过目标（或上期累计）的这么多倍即视为疑似录入错误，需 --force（默认 10）",
        "a figure more than this many times its target (or the total before it) is refused as "
        "a likely slip unless --force (default 10)",
    ),
    ("Settings", "early_days"): (
        "期间结束前超过这么多天报送的数据须标为快报（--provisional，默认 2）",
        "a figure sent with more than this many days of its period to run must be provisional "
        "(--provisional; default 2)",
    ),
    ("Settings", "lag_days"): (
        "各报送频率允许的滞后天数，超过即“数据逾期”",
        "days of grace per cadence before a figure is overdue (stale)",
    ),
    ("Settings", "ahead_share"): (
        "超出序时进度多少（占应完成量的比例）算“超进度”（默认 0.1）",
        "how far above the expected amount counts as ahead (超进度), as a share (default 0.1)",
    ),
    ("Settings", "ahead_points"): (
        "增速高出目标多少个百分点算“超进度”（默认 1）",
        "how many percentage points above its target a rate counts as ahead (default 1)",
    ),
    ("Settings", "scoring"): (
        "计分方法：capped 封顶完成率、all_or_nothing 目标完成、rank_points 争先进位、efficacy 功效系数",
        "the scoring method: capped, all_or_nothing, rank_points or efficacy",
    ),
    ("Pace", "month"): ("按月权重（12 个，合计 1）", "weights per month (12, summing to 1)"),
    ("Pace", "quarter"): ("按季权重（4 个，合计 1）", "weights per quarter (4, summing to 1)"),
    ("Item", "due"): ("截止日期，YYYY-MM-DD", "the due date, YYYY-MM-DD"),
    ("Target", "group"): (
        "报告分组，如 经济指标",
        "the heading the report groups by, e.g. 经济指标",
    ),
    ("Target", "kind"): (
        "类型：rate 增速、quantity 数量、items 事项清单",
        "kind: rate (growth %), quantity (an amount), items (a list of things)",
    ),
    ("Target", "qualifier"): (
        "要求：以上 at_least（默认）、左右 about、以内 at_most",
        "qualifier: 以上 at_least (default), 左右 about, 以内 at_most",
    ),
    ("Target", "value"): (
        '目标值：数字，或简写如 "6%"、15亿、80万平方米',
        'the target: a number, or a shorthand such as "6%", 15亿, 80万平方米',
    ),
    ("Target", "unit"): (
        "单位：%、百分点，或 个、亿元、万平方米 等（万、亿为倍数）",
        "the unit: %, 百分点, or a name such as 个, 亿元, 万平方米 (万 and 亿 multiply)",
    ),
    ("Target", "tolerance"): (
        "“左右”目标的容差（目标单位；增速为百分点）",
        "the ± band of a 左右 (about) target, in its unit (points for rates)",
    ),
    ("Target", "at_risk"): (
        "本目标的“有风险”区间（比例；增速为百分点）",
        "this target's at-risk band (a share; points for rates)",
    ),
    ("Target", "cadence"): (
        "报送频率：day、week、dekad（旬）、month、quarter、year",
        "how often a figure is due: day, week, dekad (旬), month, quarter, year",
    ),
    ("Target", "reported_as"): (
        "数量的报送方式：cumulative 累计、increment 当期增量",
        "how a quantity is reported: cumulative (year to date) or increment (this period)",
    ),
    ("Target", "pace"): (
        "序时进度：linear 按天均匀，或 {month: [...]} / {quarter: [...]} 权重",
        "pace: linear (序时进度), or weights {month: [...]} / {quarter: [...]}",
    ),
    ("Target", "weight"): ("考核权重（默认 1）", "the weight in the district's score (default 1)"),
    ("Target", "over_band"): (
        "“左右”目标超出上限时：met 仍算完成（默认），miss 算未完成（双向）",
        "a 左右 target above its band: met (default) or miss (two-sided)",
    ),
    ("Target", "items"): ("事项清单（items 类型）", "the named items (kind items)"),
    ("District", "category"): (
        "考核类别（差异化考核），排名只在同类别内比较",
        "the category it is ranked within (差异化考核)",
    ),
    ("District", "ranked"): (
        "是否参与排名（并列跟踪的市、省填 false）",
        "whether it is ranked (false for a city or province tracked alongside)",
    ),
    ("District", "targets"): ("本区县的目标", "the district's targets"),
    ("District", "aliases"): (
        "别名：在命令中可代替标识使用的其他名称",
        "other names the tool accepts wherever the id is asked for",
    ),
    ("Target", "aliases"): (
        "别名：在命令中可代替标识使用的其他名称",
        "other names the tool accepts wherever the id is asked for",
    ),
    ("Item", "aliases"): (
        "别名：在命令中可代替标识使用的其他名称",
        "other names the tool accepts wherever the id is asked for",
    ),
    ("Figure", "target"): ("目标标识", "the target's id"),
    ("Figure", "period"): (
        "期间：2023、2023-Q1、2023-03、2023-W05、2023-03-D1（旬）、2023-03-15",
        "the period: 2023, 2023-Q1, 2023-03, 2023-W05, 2023-03-D1 (旬), 2023-03-15",
    ),
    ("Figure", "value"): (
        '数值：数字，或简写如 "6%"、15亿、80万平方米',
        'the figure: a number, or a shorthand such as "6%", 15亿, 80万平方米',
    ),
    ("Figure", "unit"): ("单位（默认为目标的单位）", "the unit (default: the target's)"),
    ("Figure", "item"): ("事项标识（事项进度记录）", "the item's id (an item record)"),
    ("Figure", "done"): ("事项是否完成", "whether the item is done"),
    ("Figure", "date"): ("事项完成日期，YYYY-MM-DD", "the day the item was done, YYYY-MM-DD"),
    ("Figure", "by"): ("记录人", "who recorded it"),
    ("Figure", "recorded_at"): ("记录时间（ISO 8601）", "when it was recorded (ISO 8601)"),
    ("Figure", "published"): (
        "发布日期，YYYY-MM-DD：此日起该数据计入报告",
        "the day it was made public, YYYY-MM-DD: reports count it from that day",
    ),
    ("Figure", "level"): (
        '增速对应的总量，带单位，如 "1165.1亿元"',
        'the level behind a rate, with its unit, e.g. "1165.1亿元"',
    ),
    ("Figure", "provisional"): (
        "快报：期间结束前报送，待正式数据确认",
        "a provisional figure (快报), sent before its period ended, to be confirmed",
    ),
    ("Figure", "forced"): (
        "明知数值超出合理范围仍坚持记录（--force）",
        "recorded although implausible (--force)",
    ),
    ("Figure", "retraction"): (
        "撤回：撤回该期间（或事项）现行数据的原因",
        "a retraction: why the standing figure of the period (or item) is withdrawn",
    ),
}

MODEL_TEXT: dict[str, tuple[str, str]] = {
    "Plan": ("年度目标计划（data/targets.yaml）", "the year's plan (data/targets.yaml)"),
    "Settings": ("全局设置", "plan-wide settings"),
    "Pace": ("序时进度：linear，或按月、按季权重", "pace: linear, or weights per month or quarter"),
    "Item": ("事项", "an item of an items target"),
    "Target": ("目标", "a target"),
    "District": ("区县", "a district"),
    "Figure": (
        "一条数据记录：某期数值，或事项进度（item + done）",
        "one figure: a value for a period, or an item's progress (item + done)",
    ),
    "FigureFile": (
        "数据文件（data/figures/<区县>.yaml）：记录列表，每行一条，只追加",
        "a figure file (data/figures/<district>.yaml): a list of records, one a line, append-only",
    ),
}


def describe(zh_en: tuple[str, str]) -> str:
    return f"{zh_en[0]} / {zh_en[1]}"


def field_text(model: str, field: str) -> str:
    """The description of `field` in `model`; KeyError when none is written (a test's job)."""
    found = MODEL_FIELD_TEXT.get((model, field)) or FIELD_TEXT[field]
    return describe(found)
