"""Each figure rule exists once: for the same figure, `check`, `record` and `import` report the
same code and the same sentence. Only where it is shown differs: `check` points at the log,
`import` at the import row, `record` prints the sentence alone; a figure the sentence cites in
the log is "line 5" to `check` (already in that file) and "line 5 of <log>" to the others."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import SHARED_PLAN
from liuxia_tracker.commands.check import check_paths
from liuxia_tracker.commands.common import load_plan_for_writing
from liuxia_tracker.commands.dataset import DataDir
from liuxia_tracker.commands.import_figures import import_figures
from liuxia_tracker.commands.record import record_figure
from liuxia_tracker.diagnostics import TrackerError
from liuxia_tracker.domain.models import Figure
from liuxia_tracker.log.import_file import parse_import

TODAY = date(2023, 6, 30)
LOG = "data/figures/east.yaml"

# code → (the figures already in the log, the figure that breaks the rule, its sentence)
CASES: dict[str, tuple[list[dict[str, Any]], dict[str, Any], str]] = {
    "negative-count": (
        [],
        {"target": "area", "period": "2023-W05", "value": -2},
        "area 2023-W05 is -2 万平方米; an amount or count cannot be negative",
    ),
    "future-figure (period)": (
        [],
        {"target": "gdp", "period": "2023-Q3", "value": 5},
        "gdp 2023-Q3 has not begun on 2023-06-30",
    ),
    "future-figure (date)": (
        [],
        {"target": "projects", "item": "north_plot", "done": True, "date": "2023-07-02"},
        "item 'north_plot' is dated 2023-07-02, after 2023-06-30",
    ),
    "cumulative-decrease": (
        [{"target": "revenue", "period": "2023-02", "value": 5}],
        {"target": "revenue", "period": "2023-03", "value": 3},
        "revenue 2023-03 is 3 亿元, below 5 亿元 for 2023-02 on line 1{log}; "
        "a year-to-date total cannot fall",
    ),
    "date-year": (
        [],
        {"target": "projects", "item": "north_plot", "done": True, "date": "2022-12-01"},
        "item 'north_plot' is dated 2022-12-01, outside the plan year 2023",
    ),
    "not-whole": (
        [],
        {"target": "innovation", "period": "2023-05", "value": 2.5},
        "innovation 2023-05 is 2.5 项; a count of items done is a whole number",
    ),
    "count-range": (
        [],
        {"target": "innovation", "period": "2023-05", "value": 29},
        "innovation 2023-05 is 29 项, more than its 28 items",
    ),
    "implausible-value": (
        [],
        {"target": "revenue", "period": "2023-03", "value": 200},
        "revenue 2023-03 is 200 亿元, more than 10 times the target of 15 亿元; if it is right, "
        "record it with --force",
    ),
    "early-figure": (
        [],
        {"target": "revenue", "period": "2023-06", "value": 7},
        "revenue 2023-06 runs until 2023-06-30, 20 days after 2023-06-10; a figure sent before "
        "its period ends is provisional (快报): record it with --provisional",
    ),
}
# `check` judges an early figure by the day it was recorded; record and import by today.
SENT = {"early-figure": date(2023, 6, 10)}


def make_data(root: Path, lines: list[dict[str, Any]]) -> DataDir:
    (root / "figures").mkdir(parents=True)
    shutil.copyfile(SHARED_PLAN, root / "targets.yaml")
    text = "".join("- " + json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    (root / "figures" / "east.yaml").write_text(text, encoding="utf-8")
    return DataDir(root, shipped=False)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_record_and_import_say_the_same_sentence(case: str, here: Path) -> None:
    existing, bad, sentence = CASES[case]
    code = case.split(" ")[0]
    in_log = sentence.format(log="")
    elsewhere = sentence.format(log=f" of {LOG}")

    today = SENT.get(case, TODAY)
    logged = {**bad, "recorded_at": f"{today}T09:00:00+08:00"} if case in SENT else bad
    checked = check_paths([make_data(here / "c" / "data", [*existing, logged]).path], None, today)
    found = [(d.code, d.message) for d in checked.diagnostics]
    assert found == [(code, in_log)]

    (here / "r").mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(here / "r")
        data = make_data(Path("data"), existing)
        plan = load_plan_for_writing(data)
        with pytest.raises(TrackerError) as refused:
            record_figure(data, plan, "east", Figure.model_validate(bad), today=today)
        assert str(refused.value) == elsewhere

        row = json.dumps({"district": "east", **bad}, ensure_ascii=False) + "\n"
        parsed = parse_import(row.encode(), "rows.jsonl", name="rows.jsonl")
        result = import_figures(data, plan, parsed, today=today)
        assert [(d.path, d.line, d.code, d.message) for d in result.diagnostics] == [
            ("rows.jsonl", 1, code, elsewhere)
        ]
        assert not result.written


def test_every_figure_rule_has_a_case() -> None:
    """The codes the figure rules can give, read from their module, are the codes above."""
    import re

    from liuxia_tracker.rules import figures

    source = Path(figures.__file__).read_text(encoding="utf-8")
    assert set(re.findall(r'Finding\(\s*"([a-z-]+)"', source)) == {
        case.split(" ")[0] for case in CASES
    }
