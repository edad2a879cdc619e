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
    FIGURES_DIR,
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


def _plan_for(figure: Path, data_option: Path | None) -> DataDir:
    """The data directory whose plan a figure file is checked against."""
    parent = figure.parent
    if parent.name == FIGURES_DIR and (parent.parent / PLAN_NAME).is_file():
        return DataDir(parent.parent, shipped=False)
    return resolve_data_dir(data_option)


def check_paths(paths: list[Path], data_option: Path | None, as_of: date) -> CheckResult:
    """Check the given paths (default: the data directory); raise `UsageError` for a path that
    does not exist or a directory that holds no plan, before anything is read."""
    groups: dict[Path, tuple[Path, list[Path]]] = {}  # plan (resolved) → (plan, figure files)
    used_seed = False

    def add(data_dir: DataDir | None, plan_path: Path, figures: list[Path]) -> None:
        nonlocal used_seed
        if data_dir is not None and data_dir.shipped:
            used_seed = True
        _, listed = groups.setdefault(plan_path.resolve(), (plan_path, []))
        listed.extend(figures)

    if not paths:
        data_dir = resolve_data_dir(data_option)
        add(data_dir, data_dir.plan_path, figure_files_in(data_dir))
    for path in paths:
        if path.is_dir():
            if not (path / PLAN_NAME).is_file():
                raise UsageError(f"{path} is not a data directory: it has no {PLAN_NAME}")
            data_dir = DataDir(path, shipped=False)
            add(data_dir, data_dir.plan_path, figure_files_in(data_dir))
        elif path.is_file():
            if path.name == PLAN_NAME:
                add(None, path, [])
            else:
                data_dir = _plan_for(path, data_option)
                add(data_dir, data_dir.plan_path, [path])
        else:
            raise UsageError(f"{path}: no such file or directory")
    diagnostics: list[Diagnostic] = []
    checked = 0
    for plan_path, figure_paths in groups.values():
        unique = list({figure.resolve(): figure for figure in sorted(figure_paths)}.values())
        dataset = load_dataset(plan_path, unique)
        checked += 1 + len(unique)
        diagnostics.extend(run_checks(dataset, as_of))
    return CheckResult(sorted(set(diagnostics)), checked, used_seed)
