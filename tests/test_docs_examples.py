"""Every example in the docs runs as written and never changes the shipped data.

Each document's shell blocks run in order, in one shell, in a fresh git repository holding a
copy of the shipped data (as a clone after the quick start has): every line must exit with
the code its comment promises (`# exit 1 when …`; 0 otherwise), and afterwards `git status`
must show `data/` untouched. The quick start's install lines are CI's own job (`.ci/run`) and
are left out here, as are docs/performance.md's benchmark runs, which take minutes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ("README.md", "README.zh-CN.md", "docs/recording.md", "docs/export.md")
FENCE = re.compile(r"^```(?:sh|bash|shell)\n(.*?)^```", re.MULTILINE | re.DOTALL)
PROMISED_EXIT = re.compile(r"#.*\bexit (\d)\b")


def example_lines(document: Path) -> list[str]:
    lines = []
    for block in FENCE.findall(document.read_text(encoding="utf-8")):
        if "pip install" in block:  # the quick start: CI runs it as written
            continue
        lines.extend(line for line in block.splitlines() if line.strip())
    return lines


def expected_exit(line: str) -> int:
    found = PROMISED_EXIT.search(line)
    return int(found.group(1)) if found else 0


def git(folder: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=folder, capture_output=True, text=True, check=True
    ).stdout


def fresh_checkout(folder: Path) -> Path:
    """The repository's data and docs, committed in a new repository of their own."""
    folder.mkdir()
    shutil.copytree(ROOT / "data", folder / "data")
    shutil.copytree(ROOT / "docs", folder / "docs")
    for name in ("README.md", "README.zh-CN.md"):
        shutil.copy(ROOT / name, folder / name)
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "checkout")
    return folder


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_example_runs_as_written(document: str, tmp_path: Path) -> None:
    lines = example_lines(ROOT / document)
    assert lines, f"{document} has no examples"
    checkout = fresh_checkout(tmp_path / "checkout")
    script = ["set +e"]
    for index, line in enumerate(lines):
        script += [line, f"printf '%d %d\\n' {index} $? >> \"$EXAMPLE_CODES\""]
    codes_file = tmp_path / "codes"
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TRACKER_", "GITHUB_"))},
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "LANG": "C.UTF-8",
        "COLUMNS": "120",
        "EXAMPLE_CODES": str(codes_file),
    }
    done = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        cwd=checkout,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    exits = dict(
        (int(index), int(code))
        for index, code in (row.split() for row in codes_file.read_text().splitlines())
    )
    wrong = [
        f"{line!r} exited {exits.get(index)}, expected {expected_exit(line)}"
        for index, line in enumerate(lines)
        if exits.get(index) != expected_exit(line)
    ]
    assert wrong == [], done.stderr[-3000:]
    assert git(checkout, "status", "--porcelain", "--", "data") == ""
