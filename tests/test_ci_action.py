"""The composite action (action.yml) and the GitLab job of docs/ci.md, run here as written:
their shell steps, with the environment GitHub or GitLab would give them and the `tracker` of
this environment on PATH (the install steps are left out: they need the network)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.skipif(shutil.which("tracker", path=str(BIN)) is None, reason="no tracker")

BAD_FIGURE = '- {"target": "gdp_growth", "period": "2023-03", "value": 5}\n'


def _action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return loaded


def _expand(text: str, inputs: dict[str, str]) -> str:
    return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: inputs[m.group(1)], text)


def _environment(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "TRACKER_"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["GITHUB_ACTIONS"] = "true"
    env["GITHUB_STEP_SUMMARY"] = str(folder / "summary.md")
    return env


def _run_action(folder: Path) -> list[int]:
    """Run the action's check and status steps in `folder`; their exit codes."""
    action = _action()
    inputs = {name: spec["default"] for name, spec in action["inputs"].items()}
    env = _environment(folder)
    (folder / "summary.md").write_text("", encoding="utf-8")
    codes = []
    for step in action["runs"]["steps"]:
        if "run" not in step or "pip install" in step["run"]:
            continue
        assert step["shell"] == "bash"
        step_env = {**env, **{k: _expand(v, inputs) for k, v in step.get("env", {}).items()}}
        done = subprocess.run(
            ["bash", "-e", "-c", _expand(step["run"], inputs)],
            cwd=folder,
            env=step_env,
            capture_output=True,
            text=True,
            check=False,
        )
        codes.append(done.returncode)
    return codes


def _status_markdown(folder: Path) -> str:
    done = subprocess.run(
        ["tracker", "status", "--format", "markdown", "--data", "data"],
        cwd=folder,
        env=_environment(folder),
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_the_action_is_composite_with_the_documented_inputs() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"data", "status", "python-version"}
    names = [step.get("name") for step in action["runs"]["steps"]]
    assert names == [None, "Install liuxia-tracker", "tracker check", "tracker status"]
    assert action["runs"]["steps"][3]["if"] == "${{ always() && inputs.status == 'true' }}"


def test_the_action_checks_and_appends_the_status_report(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    assert _run_action(tmp_path) == [0, 0]
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    check_part = "## tracker check\n\nno problems (3 files checked)\n\n"
    assert summary == check_part + _status_markdown(tmp_path)


def test_a_failing_check_still_gets_the_status_report(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    with (tmp_path / "data" / "figures" / "lixia.yaml").open("a", encoding="utf-8") as file:
        file.write(BAD_FIGURE)
    assert _run_action(tmp_path) == [1, 0]
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    check_part, _, _ = summary.partition(_status_markdown(tmp_path))
    assert summary.endswith(_status_markdown(tmp_path))
    assert "| `period-cadence` | error |" in check_part


def test_the_gitlab_job_of_the_docs_runs_as_written(tmp_path: Path) -> None:
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    (job_text,) = [b for b in re.findall(r"```yaml\n(.*?)```", docs, re.DOTALL) if "gitlab" in b]
    job = yaml.safe_load(job_text)["tracker-check"]
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality.json"
    shutil.copytree(ROOT / "data", tmp_path / "data")
    with (tmp_path / "data" / "figures" / "lixia.yaml").open("a", encoding="utf-8") as file:
        file.write(BAD_FIGURE)
    env = _environment(tmp_path)
    del env["GITHUB_ACTIONS"], env["GITHUB_STEP_SUMMARY"]
    script = "\n".join(line for line in job["script"] if not line.startswith("pip install"))
    done = subprocess.run(
        ["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert re.search(r"^data/figures/lixia\.yaml:\d+:\d+: period-cadence ", done.stdout, re.M)
    report = (tmp_path / "gl-code-quality.json").read_text(encoding="utf-8")
    assert '"check_name": "period-cadence"' in report
    assert (tmp_path / "status.md").read_text(encoding="utf-8").strip()
