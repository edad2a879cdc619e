"""Behaviour found missing in review: Windows line endings in a figure file, and a whole-year
figure recorded after the December one."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from liuxia_tracker.cli import app

SEED = Path(__file__).resolve().parents[1] / "data"
runner = CliRunner()


def _data(tmp_path: Path, lixia: str) -> Path:
    data = tmp_path / "data"
    (data / "figures").mkdir(parents=True)
    shutil.copy(SEED / "targets.yaml", data / "targets.yaml")
    (data / "figures" / "lixia.yaml").write_bytes(lixia.encode("utf-8"))
    return data


def test_a_figure_file_with_windows_line_endings_reads_like_the_same_file_with_unix_ones(
    tmp_path: Path,
) -> None:
    lines = [
        '- {"target": "gdp_growth", "period": "2023-Q1", "value": 5.1, "source": "s"}',
        "# a comment",
        "- target: gdp_growth",
        "  period: 2023-Q2",
        "  value: 5.6",
        "  source: s",
    ]
    unix = _data(tmp_path / "unix", "\n".join(lines) + "\n")
    windows = _data(tmp_path / "windows", "\r\n".join(lines) + "\r\n")
    for data in (unix, windows):
        checked = runner.invoke(app, ["check", "--data", str(data), "--as-of", "2023-12-31"])
        assert (checked.exit_code, checked.stdout) == (0, "no problems (2 files checked)\n")
    reports = [
        runner.invoke(
            app,
            ["status", "lixia", "--data", str(data), "--as-of", "2023-06-30", "--format", "json"],
        ).stdout
        for data in (unix, windows)
    ]
    assert reports[0] == reports[1]
    assert '"last_period": "2023-Q2"' in reports[1]


def test_a_whole_year_figure_recorded_after_the_december_one_wins(tmp_path: Path) -> None:
    data = _data(
        tmp_path,
        '- {"target": "revenue_growth", "period": "2023-12", "value": 15.4, "source": "s"}\n'
        '- {"target": "revenue_growth", "period": "2023", "value": 16, "source": "s"}\n',
    )
    result = runner.invoke(
        app,
        ["status", "lixia", "--data", str(data), "--as-of", "2024-02-01", "--format", "json"],
    )
    assert result.exit_code == 0, result.stderr
    assert '"actual": 16,' in result.stdout.replace("16.0", "16")
    assert '"last_period": "2023",' in result.stdout


def test_a_full_width_colon_is_named_at_its_own_line_and_column(tmp_path: Path) -> None:
    data = _data(tmp_path, "")
    plan = (data / "targets.yaml").read_text(encoding="utf-8")
    lines = plan.split("\n")
    index = lines.index("        value: 6")
    lines[index] = "        value： 6"
    (data / "targets.yaml").write_text("\n".join(lines), encoding="utf-8")
    result = runner.invoke(app, ["check", "--data", str(data)])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{data / 'targets.yaml'}:{index + 1}:14: yaml-syntax "
        "a full-width colon '：' where YAML needs ':' followed by a space"
    )


def test_a_full_width_colon_inside_a_value_is_not_blamed(tmp_path: Path) -> None:
    data = _data(tmp_path, "- target: gdp_growth\n  note: 说明：季度数据\n  period: [2023-Q1\n")
    result = runner.invoke(app, ["check", "--data", str(data), "--as-of", "2023-12-31"])
    assert result.exit_code == 1
    assert "full-width colon" not in result.stdout
