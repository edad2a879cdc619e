"""`tracker repair`: which files a repair may touch; the repair itself is `log.repair`'s.

Guarantees: only figure files are repaired (never the plan, a link to it, or a file outside
`figures/`); a data directory or its figures folder means all its figure files; every path is
judged before any file is touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from liuxia_tracker.commands.dataset import (
    FIGURES_DIR,
    PLAN_NAME,
    DataDir,
    display_path,
    figure_files_in,
)
from liuxia_tracker.diagnostics import UsageError
from liuxia_tracker.log.repair import Repair, not_a_figure_file, repair_figure_file
from liuxia_tracker.log.transaction import RolledBack, rollback_journals


@dataclass(frozen=True, slots=True)
class RepairOutcome:
    rollbacks: list[RolledBack]
    repairs: list[Repair]


def repair_paths(data_dir: DataDir | None, paths: list[Path]) -> RepairOutcome:
    """Repair the given figure files, or every figure file of the data directory.

    A directory given is a data directory (one holding targets.yaml) or its `figures/`
    folder, and stands for every figure file in it. Every path is judged before any file is
    touched: one that does not exist, or any file but a figure file — the plan above all — is
    a usage error.
    """
    chosen: list[tuple[Path, str]] = []  # each file, and how to name it in a refusal
    chosen_folders: list[tuple[Path, Path]] = []  # a figures folder named, even if empty
    if not paths:
        if data_dir is None:  # pragma: no cover - the command line always gives one
            raise UsageError("give a figure file or --data")
        chosen = [(path, display_path(path)) for path in figure_files_in(data_dir)]
    for path in paths:
        if path.is_dir():
            named = _data_dir_of(path)
            chosen_folders.append((path, named.figures_path))
            found = figure_files_in(named)
            chosen.extend((file, display_path(file)) for file in found)
        elif not path.exists():
            raise UsageError(f"{path}: no such file")
        else:
            chosen.append((path, str(path)))
    for path, shown in chosen:
        refusal = not_a_figure_file(path, shown)
        if refusal is not None:
            raise UsageError(refusal)
        if not path.is_file():
            raise UsageError(f"{shown}: not a regular file")
    unique = list({path.resolve(): path for path, _ in chosen}.values())
    # A cut-off import is rolled back first (its files back to their sizes before it), so the
    # torn-line repair then sees the files as they were.
    folders = {path.parent.resolve(): path.parent for path in unique}
    if data_dir is not None:
        folders.setdefault(data_dir.figures_path.resolve(), data_dir.figures_path)
    for _, folder in chosen_folders:
        folders.setdefault(folder.resolve(), folder)
    rollbacks = [done for folder in folders.values() for done in rollback_journals(folder)]
    repairs = [repair_figure_file(path, display_path(path)) for path in unique]
    return RepairOutcome(rollbacks, repairs)


def _data_dir_of(folder: Path) -> DataDir:
    """The data directory a folder given to `repair` names: itself, or the one whose
    `figures/` folder it is."""
    if (folder / PLAN_NAME).is_file():
        return DataDir(folder, shipped=False)
    parent = folder.resolve().parent
    if folder.resolve().name == FIGURES_DIR and (parent / PLAN_NAME).is_file():
        return DataDir(parent, shipped=False)
    raise UsageError(
        f"{folder} is a directory but not a data directory (it has no {PLAN_NAME}): "
        "give figure files, or a data directory to repair all of its figure files"
    )


def describe_rollback(rollback: RolledBack) -> list[str]:
    """What rolling back a cut-off import did, one line per file."""
    journal = display_path(rollback.journal)
    lines = []
    for path, cut in rollback.files:
        shown = display_path(path)
        if cut:
            lines.append(
                f"{shown}: rolled back a cut-off import ({cut} byte{'s' if cut != 1 else ''} "
                f"removed, as {journal} recorded)"
            )
        else:
            lines.append(f"{shown}: a cut-off import had not written to it; nothing to roll back")
    lines.append(f"{journal}: the cut-off import is rolled back; journal removed")
    return lines


def describe_repair(repair: Repair) -> str:
    if repair.action == "clean":
        return f"{repair.display}: nothing to repair"
    if repair.action == "added-newline":
        return (
            f"{repair.display}:{repair.line}: the last line is a complete record that lacked "
            "its newline; added the newline"
        )
    side = display_path(repair.side_file) if repair.side_file is not None else "?"
    size = repair.moved_bytes
    return (
        f"{repair.display}:{repair.line}: moved the torn last line ({size} byte"
        f"{'s' if size != 1 else ''}) to {side}"
    )
