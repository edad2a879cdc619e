"""Where the data lives, and loading all of it: the plan and every district's figure file.

Guarantees: the data directory is chosen by one documented rule (`--data`, `$TRACKER_DATA`,
`./data` when it holds a plan, else the seed data shipped in the package); loading a data set
reads every file and collects every problem, so one bad file never hides another.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from liuxia_tracker.diagnostics import Diagnostic, TrackerError, UsageError
from liuxia_tracker.domain.models import Plan
from liuxia_tracker.log.figures import FigureFile, read_figure_file
from liuxia_tracker.log.journal import refuse_cut_off_import
from liuxia_tracker.plan import cache as plan_cache
from liuxia_tracker.plan.loading import Parsed

PLAN_NAME = "targets.yaml"
FIGURES_DIR = "figures"


@dataclass(frozen=True, slots=True)
class DataDir:
    path: Path
    shipped: bool  # the seed data inside the installed package

    @property
    def plan_path(self) -> Path:
        return self.path / PLAN_NAME

    @property
    def figures_path(self) -> Path:
        return self.path / FIGURES_DIR

    def figure_path(self, district: str) -> Path:
        """The district's log, by the one rule every command follows: `<district>.yaml`, or
        `<district>.yml` when only that exists (two logs of one district are a problem
        `check` reports)."""
        preferred = self.figures_path / f"{district}.yaml"
        other = preferred.with_suffix(".yml")
        if not os.path.lexists(preferred) and os.path.lexists(other):
            return other
        return preferred


def seed_dir() -> Path:
    """The seed data: installed as liuxia_tracker/seed, or data/ beside src/ in a checkout."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "seed"
    if (installed / PLAN_NAME).is_file():
        return installed
    return package.parents[1] / "data"


def resolve_data_dir(option: Path | None, environ: dict[str, str] | None = None) -> DataDir:
    env = os.environ if environ is None else environ
    if option is not None:
        chosen = option
    elif env.get("TRACKER_DATA"):
        chosen = Path(env["TRACKER_DATA"])
    elif (Path("data") / PLAN_NAME).is_file():
        chosen = Path("data")
    else:
        return DataDir(seed_dir(), shipped=True)
    if not (chosen / PLAN_NAME).is_file():
        raise UsageError(f"no plan found: {chosen / PLAN_NAME} does not exist")
    return DataDir(chosen, shipped=False)


def writable_data_dir(option: Path | None, environ: dict[str, str] | None = None) -> DataDir:
    """The data directory figures are written to; never the seed data shipped with the tool."""
    data_dir = resolve_data_dir(option, environ)
    if data_dir.shipped:
        raise UsageError(
            "no data directory: give --data DIR, set TRACKER_DATA, or run where "
            "./data/targets.yaml is (figures are never written into the shipped seed data)"
        )
    return data_dir


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    # Resolve the folder but not the file itself: a linked figure file keeps its own name.
    located = path.parent.resolve() / path.name
    try:
        return str(located.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass
class Dataset:
    plan: Plan | None
    plan_display: str
    plan_parsed: Parsed | None
    figure_files: list[FigureFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


class NotAFolderError(TrackerError):
    """`figures` exists but is not a folder."""


def district_logs(data_dir: DataDir) -> tuple[list[Path], list[tuple[Path, Path]]]:
    """Each district's log in `figures/` (chosen by `DataDir.figure_path`), and each other
    file of the same district beside it, with the log it is shadowed by."""
    folder = data_dir.figures_path
    if not os.path.lexists(folder):
        return [], []
    if not folder.is_dir():
        raise NotAFolderError(
            f"{display_path(folder)}: not a folder (figure files go in "
            f"{FIGURES_DIR}/<district>.yaml); move it aside"
        )
    found = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    logs = [path for path in found if data_dir.figure_path(path.stem) == path]
    chosen = {path.stem: path for path in logs}
    kept = set(logs)  # a set: thousands of logs are not compared with each other
    shadowed = [(path, chosen[path.stem]) for path in found if path not in kept]
    return logs, shadowed


def figure_files_in(data_dir: DataDir) -> list[Path]:
    """Every district's log in the data directory (one per district; see `district_logs`)."""
    return district_logs(data_dir)[0]


@contextmanager
def without_cyclic_collection() -> Iterator[None]:
    """Loading allocates millions of objects that all survive and hold no reference cycles;
    each cyclic collection would rescan everything loaded so far. Collection is paused while
    loading (and while series and reports are built from what was loaded: the same holds for
    them), and what was made is then frozen (moved out of the collector's sight), so later
    collections do not rescan it either. Nesting is fine."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def load_dataset(
    plan_path: Path,
    figure_paths: list[Path],
    districts: set[str] | None = None,
    *,
    positions: bool = True,
) -> Dataset:
    """Load a plan and figure files; `districts` limits which figure files are read.

    `positions=False` lets a plan found valid before come from the plan cache, without its
    positions (`plan_parsed` is then None): for a report, which shows none.
    """
    for folder in {plan_path.parent / FIGURES_DIR, *(path.parent for path in figure_paths)}:
        refuse_cut_off_import(folder, display_path(folder))
    with without_cyclic_collection():
        shown = display_path(plan_path)
        plan, parsed, problems = plan_cache.load_plan(plan_path, shown, positions=positions)
        dataset = Dataset(plan, shown, parsed, diagnostics=list(problems))
        for path in figure_paths:
            if districts is not None and path.stem not in districts:
                continue
            figure_file = read_figure_file(path, display_path(path))
            dataset.figure_files.append(figure_file)
            dataset.diagnostics.extend(figure_file.diagnostics)
    return dataset
