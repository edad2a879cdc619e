"""`tracker check` for CI services: GitHub's annotation limit and step summary, GitLab's Code
Quality report."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import write_data_dir
from liuxia_tracker.cli import app
from liuxia_tracker.diagnostics import Diagnostic, Severity
from liuxia_tracker.render.diagnostics import FORMATTERS, DiagnosticFormat
from liuxia_tracker.render.diagnostics_ci import as_github, fingerprint, step_summary

runner = CliRunner()

MESSAGE = "area 2023-W{week:02d} is -1 万平方米; an amount or count cannot be negative"


def negative_weeks(count: int) -> str:
    return "".join(
        f'- {{"target": "area", "period": "2023-W{week:02d}", "value": -1}}\n'
        for week in range(1, count + 1)
    )


def annotation(week: int) -> str:
    return (
        f"::error file=data/figures/east.yaml,line={week},col=53,title=negative-count::"
        + MESSAGE.format(week=week)
    )


def text_line(week: int) -> str:
    return f"data/figures/east.yaml:{week}:53: negative-count " + MESSAGE.format(week=week)


def summary_row(week: int) -> str:
    return (
        f"| data/figures/east.yaml | {week} | 53 | `negative-count` | error | "
        + MESSAGE.format(week=week)
        + " |"
    )


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for variable in ("TRACKER_DATA", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(variable, raising=False)
    return tmp_path


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, ["check", "data", *args, "--as-of", "2023-06-30"], env=env)


def test_every_format_choice_has_a_formatter() -> None:
    assert set(FORMATTERS) == set(DiagnosticFormat) - {DiagnosticFormat.AUTO}


def test_github_annotates_ten_of_each_kind_and_prints_the_rest_as_text(workdir: Path) -> None:
    write_data_dir(workdir / "data", figures={"east": negative_weeks(12)})
    result = run("--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        *(annotation(week) for week in range(1, 11)),
        text_line(11),
        text_line(12),
        "12 problems in 1 file (2 checked); 2 not annotated (GitHub shows at most 10 of each "
        "kind per step), printed above as text",
    ]


def test_ten_problems_are_all_annotated(workdir: Path) -> None:
    write_data_dir(workdir / "data", figures={"east": negative_weeks(10)})
    result = run("--format", "github")
    assert result.stdout.splitlines() == [
        *(annotation(week) for week in range(1, 11)),
        "10 problems in 1 file (2 checked)",
    ]


def test_the_limit_counts_errors_and_warnings_apart() -> None:
    errors = [Diagnostic("a.yaml", line, 1, "x", "e") for line in range(1, 12)]
    warnings = [Diagnostic("b.yaml", line, 1, "y", "w", Severity.WARNING) for line in range(1, 11)]
    lines = as_github(errors + warnings, 2).splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("::warning ") for line in lines) == 10
    assert "a.yaml:11:1: x e" in lines
    assert lines[-1].endswith(
        "; 1 not annotated (GitHub shows at most 10 of each kind per step), printed above as text"
    )


def test_github_appends_every_problem_to_the_step_summary(workdir: Path) -> None:
    write_data_dir(workdir / "data", figures={"east": negative_weeks(12)})
    summary = workdir / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    result = run("--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert summary.read_text(encoding="utf-8") == "\n".join(
        [
            "earlier step",
            "## tracker check",
            "",
            "12 problems in 1 file (2 checked); 2 not annotated (GitHub shows at most 10 of "
            "each kind per step), all listed here",
            "",
            "| file | line | column | code | severity | message |",
            "| --- | ---: | ---: | --- | --- | --- |",
            *(summary_row(week) for week in range(1, 13)),
            "",
            "",
        ]
    )


def test_a_clean_check_says_so_in_the_summary(workdir: Path) -> None:
    write_data_dir(workdir / "data")
    summary = workdir / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    result = run(env=env)
    assert (result.exit_code, result.stdout) == (0, "no problems (1 file checked)\n")
    assert summary.read_text(encoding="utf-8") == (
        "## tracker check\n\nno problems (1 file checked)\n\n"
    )


def test_other_formats_leave_the_summary_alone(workdir: Path) -> None:
    write_data_dir(workdir / "data", figures={"east": negative_weeks(2)})
    summary = workdir / "summary.md"
    for chosen in ("text", "json", "gitlab"):
        run("--format", chosen, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert not summary.exists()


def test_a_summary_that_cannot_be_written_is_one_line_and_keeps_the_exit_code(
    workdir: Path,
) -> None:
    write_data_dir(workdir / "data", figures={"east": negative_weeks(1)})
    missing = workdir / "no" / "summary.md"
    result = run("-f", "github", env={"GITHUB_STEP_SUMMARY": str(missing)})
    assert result.exit_code == 1
    assert result.stderr == (
        f"tracker: cannot append to $GITHUB_STEP_SUMMARY ({missing}): No such file or directory\n"
    )


def test_summary_cells_escape_pipes_and_newlines() -> None:
    found = step_summary([Diagnostic("a|b.yaml", 1, 2, "x", "one | two\nthree")], 1)
    assert "| a\\|b.yaml | 1 | 2 | `x` | error | one \\| two three |" in found.splitlines()


def test_gitlab_code_quality_report(workdir: Path) -> None:
    write_data_dir(workdir / "data", figures={"east": negative_weeks(2)})
    result = run("--format", "gitlab")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    key = "data/figures/east.yaml\0negative-count\0" + MESSAGE.format(week=1) + "\0" + "1"
    assert report[0] == {
        "description": MESSAGE.format(week=1),
        "check_name": "negative-count",
        "fingerprint": hashlib.sha256(key.encode()).hexdigest(),
        "severity": "major",
        "location": {"path": "data/figures/east.yaml", "lines": {"begin": 1}},
    }
    assert [issue["location"]["lines"]["begin"] for issue in report] == [1, 2]
    assert len({issue["fingerprint"] for issue in report}) == 2
    assert run("--format", "gitlab").stdout == result.stdout  # stable from run to run


def test_gitlab_fingerprints_survive_lines_added_above_and_tell_twins_apart() -> None:
    first = Diagnostic("a.yaml", 3, 1, "x", "same")
    moved = Diagnostic("a.yaml", 9, 1, "x", "same")
    assert fingerprint(first, 1) == fingerprint(moved, 1)
    assert fingerprint(first, 1) != fingerprint(first, 2)
    assert fingerprint(Diagnostic("a.yaml", 3, 1, "warning-code", "same", Severity.WARNING), 1)


def test_a_clean_gitlab_report_is_an_empty_list(workdir: Path) -> None:
    write_data_dir(workdir / "data")
    result = run("-f", "gitlab")
    assert (result.exit_code, result.stdout) == (0, "[]\n")
