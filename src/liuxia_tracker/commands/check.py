"""`tracker check`: which files to check, and the result that decides the exit code.

A directory argument is a data directory (its targets.yaml and figures/*.yaml); a file named
targets.yaml is a plan; any other file is a figure file, checked against the plan of its data
directory (the folder above `figures/`, else the data directory chosen by `--data`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from liuxia_tracker.commands.dataset import (
    FIGURES_DIR,
    PLAN_NAME,
    DataDir,
    figure_files_in,
    load_dataset,
    resolve_data_dir,
    without_cyclic_collection,
)
from liuxia_tracker.diagnostics import Diagnostic, UsageError, exit_code_for
from liuxia_tracker.plan.loading import MAX_FIGURE_BYTES, parse_yaml, read_text
from liuxia_tracker.rules.checks import run_checks


@dataclass(frozen=True, slots=True)
class CheckResult:
    diagnostics: list[Diagnostic]
    files_checked: int

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

    def add(data_dir: DataDir | None, plan_path: Path, figures: list[Path]) -> None:
        if data_dir is not None and data_dir.shipped:
            # A CI job run from the wrong folder must not pass green on the seed data.
            raise UsageError(
                "no data directory here (no --data, no $TRACKER_DATA, no ./data/targets.yaml); "
                "give --data DIR or the paths to check"
            )
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
        elif path.exists():  # a file, or something that is not one, which reading reports
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
        with without_cyclic_collection():
            found = run_checks(dataset, as_of)
        by_display = {file.display: file.path for file in dataset.figure_files}
        diagnostics.extend(_at_the_value(found, by_display))
    return CheckResult(sorted(set(diagnostics)), checked)


# The key whose value a record-level rule is about; the rules report the record's first line
# and column 1, and this moves the position to that value.
_KEY_OF_CODE = {
    "unknown-target": ("target",),
    "unknown-item": ("item", "value"),
    "period-cadence": ("period",),
    "period-year": ("period",),
    "unit-mismatch": ("unit", "value"),
    "cumulative-decrease": ("value",),
    "negative-count": ("value",),
    "future-figure": ("period", "date"),
    "date-year": ("date",),
    "not-whole": ("value",),
    "count-range": ("value",),
}


def _at_the_value(diagnostics: list[Diagnostic], figure_paths: dict[str, Path]) -> list[Diagnostic]:
    """Point each record-level diagnostic at the value it is about, reading the record again.

    Only records with a problem are re-read, so a clean million-record file costs nothing.
    """
    texts: dict[str, list[str] | None] = {}
    placed = []
    for diagnostic in diagnostics:
        keys = _KEY_OF_CODE.get(diagnostic.code)
        path = figure_paths.get(diagnostic.path)
        if keys is None or path is None or diagnostic.column != 1:
            placed.append(diagnostic)
            continue
        if diagnostic.path not in texts:
            text, _ = read_text(path, MAX_FIGURE_BYTES, diagnostic.path)
            texts[diagnostic.path] = text.split("\n") if text is not None else None
        lines = texts[diagnostic.path]
        if " is dated " in diagnostic.message:
            keys = ("date",)
        location = _value_location(lines, diagnostic.line, keys) if lines else None
        if location is None:
            placed.append(diagnostic)
        else:
            placed.append(replace(diagnostic, line=location[0], column=location[1]))
    return placed


def _value_location(lines: list[str], line: int, keys: tuple[str, ...]) -> tuple[int, int] | None:
    """Where the first of `keys` has its value in the record that starts on `line`."""
    entry = lines[line - 1 : line]
    for following in lines[line:]:
        if following.startswith("-") or (following and not following.startswith((" ", "\t", "#"))):
            break
        entry.append(following)
    parsed, _ = parse_yaml("\n".join(entry), "", line_offset=line - 1)
    if parsed is None:
        return None
    for key in keys:
        if (0, key) in parsed.positions:
            return parsed.positions[(0, key)]
    return None
