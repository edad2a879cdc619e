"""`tracker init DIR`: a new data directory, with a commented plan skeleton that `tracker
check` passes, or (`--from-example`) a writable copy of the shipped example.

Guarantees: refuses a DIR that exists and is not empty; writes each file whole
(`output_files`). The example's `example: true` marker is left out of the copy, so the copy
can be written to; nothing else of the example changes.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from liuxia_tracker.commands.dataset import FIGURES_DIR, PLAN_NAME, seed_dir
from liuxia_tracker.commands.output_files import make_folder, write_atomically
from liuxia_tracker.diagnostics import TrackerError

SKELETON = """\
# 年度目标计划 · the year's plan. 手工编辑、在评审中修改；工具从不改写本文件。
# Hand-edited and reviewed; the tool never rewrites this file. Format: docs/data-format.md.
year: {year}                 # 计划年度 · the plan year
title: {year}年重点工作目标    # 标题 · a title for reports
settings:                    # 全局设置，均可省略 · plan-wide settings, all optional
  at_risk_share: 0.10        # 低于序时进度10%以内为"有风险" · at risk within 10% below pace
  max_ratio: 10              # 超过目标10倍视为疑似录入错误 · >10× the target is a likely slip
  early_days: 2              # 期末前超过2天报送须标快报 · >2 days early must be --provisional
districts:
  - id: my_district          # 标识：小写字母、数字、_ · an id: lower-case letters, digits, _
    name: 示例区              # 中文名称 · the Chinese name
    name_en: Example District  # 英文名称，可省略 · the English name, optional
    aliases: [示例]           # 别名，命令中可代替标识 · other names the commands accept
    targets:
      # 增速类 (rate)：年内累计同比增速，单位 % · a year-to-date growth rate, in %
      - id: gdp_growth
        name: 地区生产总值增长
        group: 经济指标        # 报告分组 · the heading the report groups by
        kind: rate
        value: 6
        unit: "%"
        qualifier: at_least  # 以上 at_least · 左右 about · 以内 at_most
        cadence: quarter     # 报送频次 · how often: day, week, dekad, month, quarter, year
        owner: 区统计局       # 责任单位 · the responsible unit
      # 数量类 (quantity)：逐期累加到全年目标 · an amount accumulating to a year-end total
      - id: investment
        name: 固定资产投资
        group: 经济指标
        kind: quantity
        value: 50
        unit: 亿元            # 万 = 1e4、亿 = 1e8 · 万 and 亿 multiply
        cadence: month
        reported_as: cumulative  # 累计值 cumulative · 当期值 increment
        pace: linear         # 序时进度 linear，或 {{month: [12个权重]}} · or a weight profile
        leader: 张副区长      # 包联领导 · the 包联 leader
        weight: 2            # 考核权重 · weight in the district's score
      # 事项类 (items)：逐项完成 · a list of things, each done or not
      - id: key_projects
        name: 重点项目
        group: 重点项目
        kind: items
        cadence: month
        items:
          - id: first_project
            name: 第一个项目
            due: {year}-06-30     # 截止日期 · the due date
"""


def _refuse_non_empty(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise TrackerError(f"{folder} is not empty; give a new or empty folder")


def without_example_marker(text: str) -> str:
    """The example plan's text without its `example: true` line."""
    return "".join(
        line
        for line in text.splitlines(keepends=True)
        if not line.strip().startswith("example: true")
    )


def init_data_dir(
    folder: Path, *, from_example: bool = False, year: int | None = None
) -> list[Path]:
    """Create the data directory; the files written."""
    _refuse_non_empty(folder)
    make_folder(folder / FIGURES_DIR)
    written = []
    if from_example:
        seed = seed_dir()
        plan_text = without_example_marker((seed / PLAN_NAME).read_text(encoding="utf-8"))
        write_atomically(folder / PLAN_NAME, plan_text.encode("utf-8"))
        written.append(folder / PLAN_NAME)
        for figures in sorted((seed / FIGURES_DIR).glob("*.yaml")):
            destination = folder / FIGURES_DIR / figures.name
            write_atomically(destination, figures.read_bytes())
            written.append(destination)
    else:
        text = SKELETON.format(year=year or date.today().year)
        write_atomically(folder / PLAN_NAME, text.encode("utf-8"))
        written.append(folder / PLAN_NAME)
    return written
