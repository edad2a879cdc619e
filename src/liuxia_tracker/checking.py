"""`tracker check`: which files to check, and the result that decides the exit code.

A directory argument is a data directory (its targets.yaml and figures/*.yaml); a file named
targets.yaml is a plan; any other file is a figure file, checked against the plan of its data
directory (the folder above `figures/`, else the data directory chosen by `--data`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from liuxia_tracker.checks import run_checks
from liuxia_tracker.dataset import (
    PLAN_NAME,
    DataDir,
    figure_files_in,
    load_dataset,
    resolve_data_dir,
)
from liuxia_tracker.diagnostics import Diagnostic, UsageError, exit_code_for


@dataclass(frozen=True, slots=True)
class CheckResult:
    diagnostics: list[Diagnostic]
    files_checked: int
    used_seed: bool

    @property
    def exit_code(self) -> int:
        return exit_code_for(self.diagnostics)


def _plan_for(figure: Path, data_option: Path | None) -> Path:
    parent = figure.parent
    if parent.name == "figures" and (parent.parent / PLAN_NAME).is_file():
        return parent.parent / PLAN_NAME
    return resolve_data_dir(data_option).plan_path


def check_paths(paths: list[Path], data_option: Path | None, as_of: date) -> CheckResult:
    groups: dict[Path, list[Path]] = {}
    used_seed = False
    if not paths:
        data_dir = resolve_data_dir(data_option)
        used_seed = data_dir.shipped
        groups[data_dir.plan_path] = figure_files_in(data_dir)
    for path in paths:
        if path.is_dir():
            if not (path / PLAN_NAME).is_file():
                raise UsageError(f"{path} is not a data directory: it has no {PLAN_NAME}")
            data_dir = DataDir(path, shipped=False)
            groups.setdefault(data_dir.plan_path, []).extend(figure_files_in(data_dir))
        elif path.is_file():
            if path.name == PLAN_NAME:
                groups.setdefault(path, [])
            else:
                groups.setdefault(_plan_for(path, data_option), []).append(path)
        else:
            raise UsageError(f"{path}: no such file or directory")
    diagnostics: list[Diagnostic] = []
    checked = 0
    for plan_path, figure_paths in groups.items():
        unique = sorted(set(figure_paths))
        dataset = load_dataset(plan_path, unique)
        checked += 1 + len(unique)
        diagnostics.extend(run_checks(dataset, as_of))
    return CheckResult(sorted(set(diagnostics)), checked, used_seed)
