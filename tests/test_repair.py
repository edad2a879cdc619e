"""Tests for `tracker repair` and the torn tail it repairs: `check` names the torn line, an
append refuses it, repair moves the fragment aside (never deleting it), the next append works."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from liuxia_tracker.cli import app
from liuxia_tracker.diagnostics import TrackerError
from liuxia_tracker.figures import (
    Repair,
    TornTailError,
    append_text,
    canonical_line,
    read_figure_file,
    repair_figure_file,
)
from liuxia_tracker.models import Figure

PLAN = Path(__file__).resolve().parents[1] / "data" / "targets.yaml"
WHEN = datetime(2023, 7, 1, 4, 5, 6, tzinfo=UTC)
FIRST = '- {"target": "gdp_growth", "period": "2023-Q1", "value": 5.1, "unit": "%"}\n'
SECOND = canonical_line(
    Figure.model_validate(
        {"target": "gdp_growth", "period": "2023-Q2", "value": 5.3, "note": "二季度 revised"}
    )
)
NEXT = '- {"target": "gdp_growth", "period": "2023-Q3", "value": 5.6}\n'


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "data"
    (root / "figures").mkdir(parents=True)
    shutil.copy(PLAN, root / "targets.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKER_DATA", raising=False)
    return root


def tracker(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def side_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.torn-*"))


# -- the repair itself --------------------------------------------------------------------


def test_a_file_ending_in_a_newline_needs_no_repair(tmp_path: Path) -> None:
    path = tmp_path / "lixia.yaml"
    path.write_text(FIRST, encoding="utf-8")
    assert repair_figure_file(path, "lixia.yaml", WHEN) == Repair(path, "lixia.yaml", "clean")
    assert path.read_text(encoding="utf-8") == FIRST
    empty = tmp_path / "empty.yaml"
    empty.write_bytes(b"")
    assert repair_figure_file(empty).action == "clean"
    assert side_files(tmp_path) == []


def test_a_torn_line_is_moved_to_a_side_file(tmp_path: Path) -> None:
    path = tmp_path / "lixia.yaml"
    torn = b'- {"target": "gdp_growth", "period": "2023-Q2", "val'
    path.write_bytes(FIRST.encode() + torn)
    repair = repair_figure_file(path, "lixia.yaml", WHEN)
    side = tmp_path / "lixia.yaml.torn-20230701T040506Z"
    assert repair == Repair(path, "lixia.yaml", "moved-torn-tail", 2, len(torn), side)
    assert side.read_bytes() == torn
    assert path.read_text(encoding="utf-8") == FIRST
    append_text(path, NEXT)
    assert path.read_text(encoding="utf-8") == FIRST + NEXT


def test_a_complete_record_without_its_newline_gets_the_newline(tmp_path: Path) -> None:
    path = tmp_path / "lixia.yaml"
    path.write_text(FIRST + SECOND.rstrip("\n"), encoding="utf-8")
    assert repair_figure_file(path, "lixia.yaml", WHEN) == Repair(
        path, "lixia.yaml", "added-newline", 2
    )
    assert path.read_text(encoding="utf-8") == FIRST + SECOND
    assert side_files(tmp_path) == []


@pytest.mark.parametrize(
    "ending",
    [
        "- target: gdp_growth\n  period: 2023-Q2\n  value: 5.3",
        "- {target: gdp_growth, period: 2023-Q2, value: 5.3}",
        "# end of the log",
    ],
    ids=["block-entry", "flow-entry", "comment"],
)
def test_a_hand_written_last_entry_without_newline_gets_the_newline(
    tmp_path: Path, ending: str
) -> None:
    path = tmp_path / "lixia.yaml"
    path.write_text(FIRST + ending, encoding="utf-8")
    assert repair_figure_file(path, "lixia.yaml", WHEN).action == "added-newline"
    assert path.read_text(encoding="utf-8") == FIRST + ending + "\n"


def test_a_line_cut_inside_a_character_is_moved(tmp_path: Path) -> None:
    path = tmp_path / "lixia.yaml"
    torn = SECOND.encode()[: SECOND.encode().index("季".encode()) + 1]
    path.write_bytes(FIRST.encode() + torn)
    repair = repair_figure_file(path, "lixia.yaml", WHEN)
    assert repair.action == "moved-torn-tail"
    assert repair.side_file is not None
    assert repair.side_file.read_bytes() == torn


def test_a_file_that_is_one_torn_line_is_emptied_into_the_side_file(tmp_path: Path) -> None:
    path = tmp_path / "lixia.yaml"
    path.write_bytes(b'- {"target": "gdp')
    repair = repair_figure_file(path, "lixia.yaml", WHEN)
    assert (repair.action, repair.line, repair.moved_bytes) == ("moved-torn-tail", 1, 17)
    assert path.read_bytes() == b""


def test_side_files_are_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "lixia.yaml"
    for fragment in (b"- {first", b"- {second", b"- {third"):
        path.write_bytes(FIRST.encode() + fragment)
        repair_figure_file(path, "lixia.yaml", WHEN)
    assert [(p.name, p.read_bytes()) for p in side_files(tmp_path)] == [
        ("lixia.yaml.torn-20230701T040506Z", b"- {first"),
        ("lixia.yaml.torn-20230701T040506Z-2", b"- {second"),
        ("lixia.yaml.torn-20230701T040506Z-3", b"- {third"),
    ]


def test_repairing_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TrackerError, match=r"^missing.yaml: no such file$"):
        repair_figure_file(tmp_path / "missing.yaml", "missing.yaml")


# -- every cut of a record: check, refusal, repair, append -------------------------------


CUTS = list(range(1, len(SECOND.encode()) - 1))


@pytest.mark.parametrize("cut", CUTS)
def test_every_cut_of_a_record_is_reported_refused_repaired_and_appended_after(
    data: Path, cut: int
) -> None:
    """A write cut off after `cut` bytes (the whole line but its newline is the one complete
    case, tested above)."""
    path = data / "figures" / "lixia.yaml"
    fragment = SECOND.encode()[:cut]
    path.write_bytes(FIRST.encode() + fragment)

    checked = tracker("check", str(data), "--as-of", "2023-12-31")
    assert checked.exit_code == 1
    assert (
        "data/figures/lixia.yaml:2:1: torn-line line 2 does not end with a newline (a write cut "
        "off?); run `tracker repair` before the next append"
    ) in checked.stdout.splitlines()

    with pytest.raises(TornTailError, match=r"^lixia.yaml:2: the last line is torn"):
        append_text(path, NEXT, "lixia.yaml")

    repaired = tracker("repair", "--data", str(data))
    assert repaired.exit_code == 0
    [side] = side_files(path.parent)
    assert repaired.stdout == (
        f"data/figures/lixia.yaml:2: moved the torn last line ({cut} byte{'s' if cut != 1 else ''}) "
        f"to data/figures/{side.name}\n"
    )
    assert side.read_bytes() == fragment
    assert path.read_bytes() == FIRST.encode()

    assert (
        tracker("record", "lixia", "gdp_growth", "2023-Q3", "5.6", "--data", str(data)).exit_code
        == 0
    )
    assert tracker("check", str(data), "--as-of", "2023-12-31").exit_code == 0
    assert [r.figure.period for r in read_figure_file(path).records] == [
        Figure.model_validate({"target": "gdp_growth", "period": period, "value": 0}).period
        for period in ("2023-Q1", "2023-Q3")
    ]


# -- the command --------------------------------------------------------------------------


def test_repair_goes_through_every_figure_file_of_the_data_directory(data: Path) -> None:
    folder = data / "figures"
    (folder / "lixia.yaml").write_text(FIRST + '- {"tar', encoding="utf-8")
    (folder / "zhangqiu.yaml").write_text(
        '- {"target": "yilaite_output", "period": "2023-Q1", "value": 3.2}', encoding="utf-8"
    )
    result = tracker("repair", "--data", str(data))
    assert result.exit_code == 0
    [side] = side_files(folder)
    assert result.stdout == (
        f"data/figures/lixia.yaml:2: moved the torn last line (7 bytes) to data/figures/{side.name}\n"
        "data/figures/zhangqiu.yaml:1: the last line is a complete record that lacked its "
        "newline; added the newline\n"
    )
    again = tracker("repair", "--data", str(data))
    assert again.exit_code == 0
    assert again.stdout == (
        "data/figures/lixia.yaml: nothing to repair\ndata/figures/zhangqiu.yaml: nothing to repair\n"
    )
    assert tracker("check", str(data), "--as-of", "2023-12-31").exit_code == 0


def test_repair_of_one_named_file(data: Path) -> None:
    path = data / "figures" / "lixia.yaml"
    path.write_text(FIRST + "- {", encoding="utf-8")
    (data / "figures" / "zhangqiu.yaml").write_text("- {", encoding="utf-8")
    result = tracker("repair", "data/figures/lixia.yaml")
    assert result.exit_code == 0
    assert result.stdout.startswith("data/figures/lixia.yaml:2: moved the torn last line (3 bytes)")
    assert (data / "figures" / "zhangqiu.yaml").read_text(encoding="utf-8") == "- {"


def test_repair_of_a_missing_file_is_a_usage_error(data: Path) -> None:
    result = tracker("repair", "data/figures/nowhere.yaml")
    assert result.exit_code == 2
    assert result.stderr == "tracker: data/figures/nowhere.yaml: no such file\n"


def test_repair_with_no_figure_files(data: Path) -> None:
    result = tracker("repair", "--data", str(data))
    assert result.exit_code == 0
    assert result.stdout == "no figure files; nothing to repair\n"
