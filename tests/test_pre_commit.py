"""The pre-commit hook, run by the real `pre-commit` in a temporary git repository holding the
example data: it passes on the example data and fails on a broken plan, printing the problem's
`path:line:col` line. Both forms README.md shows are run: the local hook (`language: system`,
taken from README.md as written) and the hook this repository provides (`language: python`),
with `repo:` pointing at a git copy of this project, so pre-commit builds its environment from
PyPI alone."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PRE_COMMIT = shutil.which("pre-commit", path=str(BIN))
pytestmark = pytest.mark.skipif(
    PRE_COMMIT is None or shutil.which("git") is None,
    reason="needs pre-commit (pip install '.[test]') and git",
)

BROKEN_LINE = (
    "data/targets.yaml:28:15: bad-value kind: text 'rates' is not one of 'rate', 'quantity' "
    "or 'items'"
)


def _environment(home: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_", "PRE_COMMIT", "TRACKER_", "GITHUB_"))
    }
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        PRE_COMMIT_HOME=str(home),
        GIT_AUTHOR_NAME="test",
        GIT_AUTHOR_EMAIL="test@example.com",
        GIT_COMMITTER_NAME="test",
        GIT_COMMITTER_EMAIL="test@example.com",
        GIT_CONFIG_NOSYSTEM="1",
        HOME=str(home),
    )
    return env


def _git(folder: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=folder, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def _repository(folder: Path, env: dict[str, str], config: str) -> Path:
    folder.mkdir()
    shutil.copytree(ROOT / "data", folder / "data")
    (folder / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    _git(folder, env, "init", "-q")
    _git(folder, env, "add", "-A")
    return folder


def _run(folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    assert PRE_COMMIT is not None
    return subprocess.run(
        [PRE_COMMIT, "run", "--all-files", "--color", "never"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _break_the_plan(folder: Path, env: dict[str, str]) -> None:
    plan = folder / "data" / "targets.yaml"
    lines = plan.read_text(encoding="utf-8").split("\n")
    assert lines[27] == "        kind: rate"
    lines[27] = "        kind: rates"
    plan.write_text("\n".join(lines), encoding="utf-8")
    _git(folder, env, "add", "-A")


def _readme_local_hook() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, flags=re.DOTALL)
    (local,) = [block for block in blocks if "repo: local" in block]
    return local


def _check_passes_then_fails(folder: Path, env: dict[str, str]) -> None:
    passed = _run(folder, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^tracker check\.+Passed$", passed.stdout, flags=re.MULTILINE)
    _break_the_plan(folder, env)
    failed = _run(folder, env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"^tracker check\.+Failed$", failed.stdout, flags=re.MULTILINE)
    assert BROKEN_LINE in failed.stdout.splitlines()


def test_the_local_hook_from_the_readme(tmp_path: Path) -> None:
    env = _environment(tmp_path / "home")
    folder = _repository(tmp_path / "repo", env, _readme_local_hook())
    _check_passes_then_fails(folder, env)


@pytest.mark.slow
def test_the_hook_this_repository_provides(tmp_path: Path) -> None:
    env = _environment(tmp_path / "home")
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(ROOT / name, project / name)
    for name in ("src", "data"):
        shutil.copytree(
            ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
        )
    _git(project, env, "init", "-q")
    _git(project, env, "add", "-A")
    _git(project, env, "commit", "-q", "-m", "the project")
    revision = _git(project, env, "rev-parse", "HEAD")
    config = (
        f"repos:\n  - repo: {project}\n    rev: {revision}\n    hooks:\n      - id: tracker-check\n"
    )
    folder = _repository(tmp_path / "repo", env, config)
    _check_passes_then_fails(folder, env)
