"""Tests for `tracker repair` and the torn tail it repairs: `check` names the torn line, an
append refuses it, repair moves the fragment aside (never deleting it), the next append works."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import append_text, copy_seed_plan, run_cli
from liuxia_tracker.diagnostics import TrackerError
from liuxia_tracker.domain.models import Figure
from liuxia_tracker.log.append import TornTailError
from liuxia_tracker.log.canonical import canonical_line
from liuxia_tracker.log.figures import read_figure_file
from liuxia_tracker.log.repair import Repair, repair_figure_file

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
    copy_seed_plan(root / "targets.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKER_DATA", raising=False)
    return root


def side_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.torn-*"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A `figures/` folder: repair touches only files directly inside one."""
    figures = tmp_path / "figures"
    figures.mkdir()
    return figures


# -- the repair itself --------------------------------------------------------------------


def test_a_file_ending_in_a_newline_needs_no_repair(folder: Path) -> None:
    path = folder / "lixia.yaml"
    path.write_text(FIRST, encoding="utf-8")
    assert repair_figure_file(path, "lixia.yaml", WHEN) == Repair(path, "lixia.yaml", "clean")
    assert path.read_text(encoding="utf-8") == FIRST
    empty = folder / "empty.yaml"
    empty.write_bytes(b"")
    assert repair_figure_file(empty).action == "clean"
    assert side_files(folder) == []


def test_a_torn_line_is_moved_to_a_side_file(folder: Path) -> None:
    path = folder / "lixia.yaml"
    torn = b'- {"target": "gdp_growth", "period": "2023-Q2", "val'
    path.write_bytes(FIRST.encode() + torn)
    repair = repair_figure_file(path, "lixia.yaml", WHEN)
    side = folder / "lixia.yaml.torn-20230701T040506Z"
    assert repair == Repair(path, "lixia.yaml", "moved-torn-tail", 2, len(torn), side)
    assert side.read_bytes() == torn
    assert path.read_text(encoding="utf-8") == FIRST
    append_text(path, NEXT)
    assert path.read_text(encoding="utf-8") == FIRST + NEXT


def test_a_complete_record_without_its_newline_gets_the_newline(folder: Path) -> None:
    path = folder / "lixia.yaml"
    path.write_text(FIRST + SECOND.rstrip("\n"), encoding="utf-8")
    assert repair_figure_file(path, "lixia.yaml", WHEN) == Repair(
        path, "lixia.yaml", "added-newline", 2
    )
    assert path.read_text(encoding="utf-8") == FIRST + SECOND
    assert side_files(folder) == []


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
    folder: Path, ending: str
) -> None:
    path = folder / "lixia.yaml"
    path.write_text(FIRST + ending, encoding="utf-8")
    assert repair_figure_file(path, "lixia.yaml", WHEN).action == "added-newline"
    assert path.read_text(encoding="utf-8") == FIRST + ending + "\n"


def test_a_line_cut_inside_a_character_is_moved(folder: Path) -> None:
    path = folder / "lixia.yaml"
    torn = SECOND.encode()[: SECOND.encode().index("季".encode()) + 1]
    path.write_bytes(FIRST.encode() + torn)
    repair = repair_figure_file(path, "lixia.yaml", WHEN)
    assert repair.action == "moved-torn-tail"
    assert repair.side_file is not None
    assert repair.side_file.read_bytes() == torn


def test_a_file_that_is_one_torn_line_is_emptied_into_the_side_file(folder: Path) -> None:
    path = folder / "lixia.yaml"
    path.write_bytes(b'- {"target": "gdp')
    repair = repair_figure_file(path, "lixia.yaml", WHEN)
    assert (repair.action, repair.line, repair.moved_bytes) == ("moved-torn-tail", 1, 17)
    assert path.read_bytes() == b""


def test_side_files_are_never_overwritten(folder: Path) -> None:
    path = folder / "lixia.yaml"
    for fragment in (b"- {first", b"- {second", b"- {third"):
        path.write_bytes(FIRST.encode() + fragment)
        repair_figure_file(path, "lixia.yaml", WHEN)
    assert [(p.name, p.read_bytes()) for p in side_files(folder)] == [
        ("lixia.yaml.torn-20230701T040506Z", b"- {first"),
        ("lixia.yaml.torn-20230701T040506Z-2", b"- {second"),
        ("lixia.yaml.torn-20230701T040506Z-3", b"- {third"),
    ]


def test_repairing_a_missing_file_is_an_error(folder: Path) -> None:
    with pytest.raises(TrackerError, match=r"^missing.yaml: no such file$"):
        repair_figure_file(folder / "missing.yaml", "missing.yaml")


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

    checked = run_cli("check", str(data), "--as-of", "2023-12-31")
    assert checked.exit_code == 1
    assert (
        "data/figures/lixia.yaml:2:1: torn-line line 2 does not end with a newline (a write cut "
        "off?); run `tracker repair` before the next append"
    ) in checked.stdout.splitlines()

    with pytest.raises(TornTailError, match=r"^lixia.yaml:2: the last line is torn"):
        append_text(path, NEXT, "lixia.yaml")

    repaired = run_cli("repair", "--data", str(data))
    assert repaired.exit_code == 0
    [side] = side_files(path.parent)
    assert repaired.stdout == (
        f"data/figures/lixia.yaml:2: moved the torn last line ({cut} byte{'s' if cut != 1 else ''}) "
        f"to data/figures/{side.name}\n"
    )
    assert side.read_bytes() == fragment
    assert path.read_bytes() == FIRST.encode()

    assert (
        run_cli("record", "lixia", "gdp_growth", "2023-Q3", "5.6", "--data", str(data)).exit_code
        == 0
    )
    assert run_cli("check", str(data), "--as-of", "2023-12-31").exit_code == 0
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
    result = run_cli("repair", "--data", str(data))
    assert result.exit_code == 0
    [side] = side_files(folder)
    assert result.stdout == (
        f"data/figures/lixia.yaml:2: moved the torn last line (7 bytes) to data/figures/{side.name}\n"
        "data/figures/zhangqiu.yaml:1: the last line is a complete record that lacked its "
        "newline; added the newline\n"
    )
    again = run_cli("repair", "--data", str(data))
    assert again.exit_code == 0
    assert again.stdout == (
        "data/figures/lixia.yaml: nothing to repair\ndata/figures/zhangqiu.yaml: nothing to repair\n"
    )
    assert run_cli("check", str(data), "--as-of", "2023-12-31").exit_code == 0


def test_repair_of_one_named_file(data: Path) -> None:
    path = data / "figures" / "lixia.yaml"
    path.write_text(FIRST + "- {", encoding="utf-8")
    (data / "figures" / "zhangqiu.yaml").write_text("- {", encoding="utf-8")
    result = run_cli("repair", "data/figures/lixia.yaml")
    assert result.exit_code == 0
    assert result.stdout.startswith("data/figures/lixia.yaml:2: moved the torn last line (3 bytes)")
    assert (data / "figures" / "zhangqiu.yaml").read_text(encoding="utf-8") == "- {"


def test_repair_of_a_missing_file_is_a_usage_error(data: Path) -> None:
    result = run_cli("repair", "data/figures/nowhere.yaml")
    assert result.exit_code == 2
    assert result.stderr == "tracker: data/figures/nowhere.yaml: no such file\n"


def test_repair_with_no_figure_files(data: Path) -> None:
    result = run_cli("repair", "--data", str(data))
    assert result.exit_code == 0
    assert result.stdout == "no figure files; nothing to repair\n"


# -- only figure files are ever repaired --------------------------------------------------

PLAN_TAIL = "  # a comment still being typed"


def refused(shown: str) -> str:
    return (
        f"tracker: {shown} is not a figure file (figures/<district>.yaml); "
        "repair never touches the plan\n"
    )


def test_repair_refuses_the_plan_and_leaves_it_whole(data: Path) -> None:
    plan = data / "targets.yaml"
    edited = plan.read_bytes() + PLAN_TAIL.encode()
    plan.write_bytes(edited)
    result = run_cli("repair", "data/targets.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == refused("data/targets.yaml")
    assert plan.read_bytes() == edited
    assert side_files(data) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.txt", "- {"),  # not YAML by its name
        ("lixia.json", "- {"),
    ],
)
def test_repair_refuses_other_files_in_the_figures_folder(
    data: Path, name: str, content: str
) -> None:
    path = data / "figures" / name
    path.write_text(content, encoding="utf-8")
    result = run_cli("repair", f"data/figures/{name}")
    assert result.exit_code == 2
    assert result.stderr == refused(f"data/figures/{name}")
    assert path.read_text(encoding="utf-8") == content


def test_repair_refuses_yaml_outside_a_figures_folder(data: Path) -> None:
    path = data / "lixia.yaml"
    path.write_text(FIRST + "- {", encoding="utf-8")
    result = run_cli("repair", "data/lixia.yaml")
    assert result.exit_code == 2
    assert result.stderr == refused("data/lixia.yaml")
    assert path.read_text(encoding="utf-8") == FIRST + "- {"


def test_repair_refuses_a_link_to_the_plan_and_a_plan_named_file_in_figures(data: Path) -> None:
    plan = data / "targets.yaml"
    edited = plan.read_bytes() + PLAN_TAIL.encode()
    plan.write_bytes(edited)
    (data / "figures" / "lixia.yaml").symlink_to(Path("..") / "targets.yaml")
    result = run_cli("repair", "data/figures/lixia.yaml")
    assert result.exit_code == 2
    assert result.stderr == refused("data/figures/lixia.yaml")
    # The whole data directory is judged before anything is touched.
    assert run_cli("repair", "--data", str(data)).stderr == refused("data/figures/lixia.yaml")
    assert plan.read_bytes() == edited
    (data / "figures" / "lixia.yaml").unlink()
    stray = data / "figures" / "targets.yaml"
    stray.write_text("year: 2023", encoding="utf-8")
    assert run_cli("repair", "data/figures/targets.yaml").stderr == refused(
        "data/figures/targets.yaml"
    )
    assert stray.read_text(encoding="utf-8") == "year: 2023"


def test_every_path_is_judged_before_any_file_is_repaired(data: Path) -> None:
    path = data / "figures" / "lixia.yaml"
    path.write_text(FIRST + "- {", encoding="utf-8")
    result = run_cli("repair", "data/figures/lixia.yaml", "data/targets.yaml")
    assert result.exit_code == 2
    assert result.stderr == refused("data/targets.yaml")
    assert path.read_text(encoding="utf-8") == FIRST + "- {"
    assert side_files(data / "figures") == []


def test_the_core_refuses_any_file_but_a_figure_file(tmp_path: Path) -> None:
    plan = tmp_path / "targets.yaml"
    plan.write_text("year: 2023", encoding="utf-8")
    with pytest.raises(TrackerError) as raised:
        repair_figure_file(plan, "targets.yaml", WHEN)
    assert str(raised.value) == (
        "targets.yaml is not a figure file (figures/<district>.yaml); repair never touches the plan"
    )
    assert raised.value.exit_code == 2
    assert plan.read_text(encoding="utf-8") == "year: 2023"


@pytest.mark.parametrize("folder_given", ["data", "data/figures", "data/figures/"])
def test_a_data_directory_or_its_figures_folder_means_every_figure_file(
    data: Path, folder_given: str
) -> None:
    (data / "figures" / "lixia.yaml").write_text(FIRST + '- {"tar', encoding="utf-8")
    (data / "figures" / "zhangqiu.yaml").write_text(FIRST, encoding="utf-8")
    result = run_cli("repair", folder_given)
    assert result.exit_code == 0, result.stderr
    [side] = side_files(data / "figures")
    assert result.stdout == (
        f"data/figures/lixia.yaml:2: moved the torn last line (7 bytes) to data/figures/{side.name}\n"
        "data/figures/zhangqiu.yaml: nothing to repair\n"
    )


def test_a_file_named_twice_is_repaired_once(data: Path) -> None:
    (data / "figures" / "lixia.yaml").write_text(FIRST + "- {", encoding="utf-8")
    result = run_cli("repair", "data/figures/lixia.yaml", "data")
    assert result.exit_code == 0
    assert len(side_files(data / "figures")) == 1
    assert result.stdout.count("\n") == 1


def test_a_directory_that_is_not_a_data_directory_is_a_usage_error(data: Path) -> None:
    (data.parent / "elsewhere").mkdir()
    result = run_cli("repair", "elsewhere")
    assert result.exit_code == 2
    assert result.stderr == (
        "tracker: elsewhere is a directory but not a data directory (it has no targets.yaml): "
        "give figure files, or a data directory to repair all of its figure files\n"
    )


def test_a_pipe_named_like_a_figure_file_is_not_opened(data: Path) -> None:
    os.mkfifo(data / "figures" / "lixia.yaml")
    result = run_cli("repair", "data/figures/lixia.yaml")
    assert result.exit_code == 2
    assert result.stderr == "tracker: data/figures/lixia.yaml: not a regular file\n"
