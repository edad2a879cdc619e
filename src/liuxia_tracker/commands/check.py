"""`tracker check`: which files to check, and the result that decides the exit code.

A directory argument is a data directory (its targets.yaml and figures/*.yaml); a file named
targets.yaml is a plan; any other file is a figure file, checked against the plan of its data
directory (the folder above `figures/`, else the data directory chosen by `--data`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from liuxia_tracker.commands.dataset import (
    FIGURES_DIR,
    PLAN_NAME,
    DataDir,
    Dataset,
    NotAFolderError,
    display_path,
    district_logs,
    load_dataset,
    resolve_data_dir,
    without_cyclic_collection,
)
from liuxia_tracker.commands.parallel import parallel_map, workers_for
from liuxia_tracker.commands.status import check_as_of
from liuxia_tracker.diagnostics import Diagnostic, UsageError, exit_code_for
from liuxia_tracker.domain.models import District, Plan
from liuxia_tracker.engine.series import build_series
from liuxia_tracker.log.figures import FigureFile, read_figure_file
from liuxia_tracker.log.positions import place_findings
from liuxia_tracker.plan.loading import PathKey
from liuxia_tracker.rules.figures import series_findings
from liuxia_tracker.rules.plan import plan_findings


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
    layout_problems: list[Diagnostic] = []

    def logs_of(data_dir: DataDir) -> list[Path]:
        """The district logs, with a problem for a second log of a district, or a `figures`
        that is not a folder."""
        try:
            logs, shadowed = district_logs(data_dir)
        except NotAFolderError:
            shown = display_path(data_dir.figures_path)
            message = f"cannot read the figures folder: {shown} is not a folder"
            layout_problems.append(Diagnostic(shown, 1, 1, "unreadable", message))
            return []
        for other, log in shadowed:
            layout_problems.append(
                Diagnostic(
                    display_path(other),
                    1,
                    1,
                    "two-logs",
                    f"a second log of {log.stem}: every command reads and writes only "
                    f"{log.name} beside it; move these records into it and delete this file",
                )
            )
        return logs

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
        add(data_dir, data_dir.plan_path, logs_of(data_dir))
    for path in paths:
        if path.is_dir():
            if not (path / PLAN_NAME).is_file():
                raise UsageError(f"{path} is not a data directory: it has no {PLAN_NAME}")
            data_dir = DataDir(path, shipped=False)
            add(data_dir, data_dir.plan_path, logs_of(data_dir))
        elif path.exists():  # a file, or something that is not one, which reading reports
            if path.name == PLAN_NAME:
                add(None, path, [])
            else:
                data_dir = _plan_for(path, data_option)
                add(data_dir, data_dir.plan_path, [path])
        else:
            raise UsageError(f"{path}: no such file or directory")
    diagnostics: list[Diagnostic] = list(layout_problems)
    checked = 0
    for plan_path, figure_paths in groups.values():
        unique = list({figure.resolve(): figure for figure in sorted(figure_paths)}.values())
        dataset = load_dataset(plan_path, unique, districts=set())  # the plan; logs below
        if dataset.plan is not None:
            check_as_of(dataset.plan, as_of)
        checked += 1 + len(unique)
        with without_cyclic_collection():
            diagnostics.extend(check_dataset(dataset, as_of))
            # One log at a time (its records are dropped once checked), in worker processes
            # when the logs are large.
            job = _LogCheck(dataset.plan, as_of)
            for found in parallel_map(job.check, unique, workers_for(unique)):
                diagnostics.extend(found)
    return CheckResult(sorted(set(diagnostics)), checked)


class _LogCheck:
    def __init__(self, plan: Plan | None, as_of: date) -> None:
        self.plan = plan
        self.as_of = as_of
        self.districts = {} if plan is None else {d.id: d for d in plan.districts}

    def check(self, path: Path) -> list[Diagnostic]:
        file = read_figure_file(path, display_path(path))
        if self.plan is None:  # figures cannot be matched to a plan that did not load
            return list(file.diagnostics)
        found = check_figure_file(self.plan, file, self.as_of, self.districts)
        return [*file.diagnostics, *found]


def check_dataset(dataset: Dataset, as_of: date) -> list[Diagnostic]:
    """What loading found, and every rule over the plan and each figure file, each at the
    line and column of the value it is about; sorted and de-duplicated."""
    problems = list(dataset.diagnostics)
    plan = dataset.plan
    parsed = dataset.plan_parsed
    # A plan without its positions came from the plan cache, which gives a check only a plan
    # that loaded without a problem and that the plan rules found clean.
    if parsed is not None:

        def locate(path: PathKey) -> tuple[int, int]:
            return parsed.positions.get(path, (1, 1))

        for path, finding in plan_findings(plan, parsed.value, locate):
            problems.append(
                Diagnostic(dataset.plan_display, *locate(path), finding.code, finding.message)
            )
    if plan is None:  # figures cannot be matched to a plan that did not load
        return sorted(set(problems))
    districts = {district.id: district for district in plan.districts}
    for file in dataset.figure_files:
        problems.extend(check_figure_file(plan, file, as_of, districts))
    return sorted(set(problems))


def check_figure_file(
    plan: Plan, file: FigureFile, as_of: date, districts: dict[str, District] | None = None
) -> list[Diagnostic]:
    """Every rule over one figure file's records, each at the line and column of the value it
    is about (what reading it found is the file's own `diagnostics`). `districts`: the plan's,
    by id, when already at hand."""
    if districts is None:
        districts = {district.id: district for district in plan.districts}
    district = districts.get(file.district)
    if district is None:
        known = ", ".join(sorted(d.id for d in plan.districts)) or "none"
        return [
            Diagnostic(
                file.display,
                1,
                1,
                "unknown-district",
                f"the plan has no district {file.district!r} (a figure file is named "
                f"<district id>.yaml; the districts are: {known})",
            )
        ]
    all_series, found = build_series(plan, district, file.records, revisions=False)
    for series in all_series.values():
        found.extend(series_findings(series, plan.year, as_of, plan.settings))
    return place_findings(file.path, file.display, found)
