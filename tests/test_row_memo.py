"""The report memo keeps a district's rows exactly: what `remember` stores, `recall` gives back
equal, field for field and type for type, for the same log, and nothing for another log."""

from __future__ import annotations

import hashlib
from dataclasses import fields, replace
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from conftest import SEED, copy_seed_plan
from liuxia_tracker.commands.row_memo import LogState, recall, remember, stat_of
from liuxia_tracker.diagnostics import Diagnostic, Severity
from liuxia_tracker.domain.models import Plan
from liuxia_tracker.engine.rows import ExpectedBasis, OverdueFigure, OverdueItem, Status
from liuxia_tracker.engine.score import evaluate_district
from liuxia_tracker.engine.series import build_series
from liuxia_tracker.engine.variance import Evaluated
from liuxia_tracker.log.figures import read_figure_file
from liuxia_tracker.plan.validation import load_plan


def _seed_rows(tmp_path: Path) -> list[Evaluated]:
    copy_seed_plan(tmp_path / "targets.yaml")
    plan, _, _ = load_plan(tmp_path / "targets.yaml", "targets.yaml")
    assert isinstance(plan, Plan)
    district = plan.districts[0]
    log = SEED / "figures" / f"{district.id}.yaml"
    records = read_figure_file(log, log.name).records
    series, _ = build_series(plan, district, records)
    return evaluate_district(plan, district, series, date(2023, 9, 30), None)


def _unusual(row: Evaluated) -> Evaluated:
    """A row with every field the memo does not store as JSON's own types set."""
    return replace(
        row,
        row=replace(
            row.row,
            expected_basis=ExpectedBasis.DUE_PERIOD,
            status=Status.STALE,
            forecast_date=date(2023, 11, 3),
            forecast_reached=True,
            overdue_items=(
                OverdueItem("a", "甲项目", "区住建局", None, date(2023, 6, 30)),
                OverdueItem("b", "乙", None, "王", date(2023, 7, 1)),
            ),
            overdue_figure=OverdueFigure("2023-08", date(2023, 9, 20)),
            items_done=3,
            note="逾期未报",
            provisional=True,
        ),
        ratio=Fraction(-7, 3),
        scores_zero=True,
    )


def _log(tmp_path: Path, text: str) -> tuple[Path, LogState]:
    log = tmp_path / "lixia.yaml"
    log.write_text(text, encoding="utf-8")
    stat, read_ns = stat_of(log)
    return log, LogState(stat, read_ns, hashlib.sha256(log.read_bytes()).hexdigest())


def test_rows_come_back_equal_field_for_field(tmp_path: Path) -> None:
    rows = _seed_rows(tmp_path)
    assert len(rows) > 3
    rows = [*rows, _unusual(rows[0]), replace(rows[1], ratio=None)]
    problems = [Diagnostic("lixia.yaml", 3, 1, "unknown-target", "no target x", Severity.ERROR)]
    log, state = _log(tmp_path, "- {}\n")
    entry = tmp_path / "memo.json"
    remember(entry, "k", state, rows, problems)
    recalled = recall(entry, "k", log, "lixia.yaml")
    assert recalled is not None
    back, back_problems, back_state = recalled
    assert back == rows and back_problems == problems and back_state.digest == state.digest
    for stored, given in zip(rows, back, strict=True):
        for field in fields(stored.row):
            mine, theirs = getattr(stored.row, field.name), getattr(given.row, field.name)
            assert type(mine) is type(theirs), field.name
        assert type(stored.ratio) is type(given.ratio)
    assert recall(entry, "another key", log, "lixia.yaml") is None
    log.write_text("- {}\n- {}\n", encoding="utf-8")
    assert recall(entry, "k", log, "lixia.yaml") is None


@pytest.mark.parametrize("odd", [Fraction(1, 3), (1, 2), date(2023, 1, 1)])
def test_a_row_holding_anything_else_is_not_stored(tmp_path: Path, odd: object) -> None:
    row = _seed_rows(tmp_path)[0]
    _, state = _log(tmp_path, "- {}\n")
    entry = tmp_path / "memo.json"
    remember(entry, "k", state, [replace(row, row=replace(row.row, note=odd))], [])
    assert not entry.exists()
