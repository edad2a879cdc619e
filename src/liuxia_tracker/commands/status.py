"""`tracker status`: load what a report needs, hand it to the engine, filter and order the rows.

Guarantees: reads only the figure files of the districts asked for; returns the report together
with every problem found while loading, so the caller can warn without hiding the report.
Filters never change the numbers of the rows they keep, and district summaries (counts, score,
rank) count only the rows shown. Every renderer groups rows by district; within a district the
rows come in the order of the sort key:

- `status` (the default, worst first): status rank (missed, behind, at risk, stale, no data,
  on track, ahead, achieved), then the relative variance, most behind first;
- `variance`: the relative variance, most behind first. It is the variance over the expected
  value (over the target when nothing is expected yet), so targets in different units compare;
  for an `at_most` target its sign is flipped, so being over the cap counts as behind;
- `completion`: actual / target, lowest first;
- `name`: group, then the target's name as the plan writes it (Unicode code-point order).

Rows without a number to sort by (no data) come after those with one; remaining ties go by
district id, then target id. Status words (`--status`, `--fail-on`) are codes (`on_track`) or
labels in either language (`on track`, `达到序时`), in any case.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path

from liuxia_tracker.commands.common import find_district
from liuxia_tracker.commands.dataset import (
    DataDir,
    display_path,
    figure_files_in,
    without_cyclic_collection,
)
from liuxia_tracker.commands.evaluation import (
    LogSource,
    evaluate_districts,
    problems_of,
    read_series,
)
from liuxia_tracker.commands.row_memo import LogState
from liuxia_tracker.diagnostics import Diagnostic, TrackerError, UsageError
from liuxia_tracker.domain.models import Plan
from liuxia_tracker.engine.rows import STATUS_ORDER, Report, Status, TargetRow
from liuxia_tracker.engine.series import Series
from liuxia_tracker.log.journal import refuse_cut_off_import


class SortKey(StrEnum):
    STATUS = "status"
    VARIANCE = "variance"
    COMPLETION = "completion"
    NAME = "name"


@dataclass(frozen=True, slots=True)
class Filters:
    districts: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    leaders: tuple[str, ...] = ()
    statuses: tuple[Status, ...] = ()

    def keep(self, row: TargetRow) -> bool:
        return (
            (not self.groups or row.group in self.groups)
            and (not self.owners or row.owner in self.owners)
            and (not self.leaders or row.leader in self.leaders)
            and (not self.statuses or row.status in self.statuses)
        )


@dataclass(frozen=True, slots=True)
class StatusResult:
    report: Report | None
    diagnostics: list[Diagnostic]
    plan_key: str | None = None  # the plan cache's key of the plan read (None: no cache)
    # Each log read, as the rows came from it (only where the report memo knows it).
    logs: dict[Path, LogState] = field(default_factory=dict)


def _status_words() -> dict[str, Status]:
    from liuxia_tracker.i18n import Language, status_label

    words: dict[str, Status] = {}
    for status in Status:
        words[_normalized(status.value)] = status
        for language in Language:
            words[_normalized(status_label(status, language))] = status
    return words


def _normalized(word: str) -> str:
    return word.strip().casefold().replace("-", "_").replace(" ", "_")


def parse_statuses(text: str | None, *, option: str | None = None) -> tuple[Status, ...]:
    """The statuses a comma-separated list names, in order, each once; empty words are skipped.
    An unknown word is a usage error naming `option` (e.g. `--status`) when given."""
    if not text:
        return ()
    words = _status_words()
    chosen: list[Status] = []
    for word in text.split(","):
        if not word.strip():
            continue
        status = words.get(_normalized(word))
        if status is None:
            names = ", ".join(known.value for known in Status)
            prefix = f"{option}: " if option else ""
            raise UsageError(f"{prefix}unknown status {word.strip()!r}; choose from {names}")
        if status not in chosen:
            chosen.append(status)
    return tuple(chosen)


def _relative_variance(row: TargetRow) -> float:
    if row.variance is None:
        return float("inf")
    scale = abs(row.expected) if row.expected else abs(row.target) or 1.0
    sign = -1.0 if row.qualifier == "at_most" else 1.0
    return sign * row.variance / scale


def sort_rows(rows: list[TargetRow], key: SortKey) -> list[TargetRow]:
    def completion(row: TargetRow) -> float:
        return row.completion if row.completion is not None else float("inf")

    if key is SortKey.NAME:
        return sorted(rows, key=lambda r: (r.district_id, r.group, r.name, r.target_id))
    if key is SortKey.VARIANCE:
        return sorted(rows, key=lambda r: (_relative_variance(r), r.district_id, r.target_id))
    if key is SortKey.COMPLETION:
        return sorted(rows, key=lambda r: (completion(r), r.district_id, r.target_id))
    return sorted(
        rows,
        key=lambda r: (STATUS_ORDER[r.status], _relative_variance(r), r.district_id, r.target_id),
    )


@dataclass(frozen=True, slots=True)
class LoadedSeries:
    """The plan and every district's series (superseded records kept, for replays), with every
    problem found loading them; `plan` is None when the plan has problems."""

    plan: Plan | None
    series_by_district: dict[str, dict[str, Series]]
    diagnostics: list[Diagnostic]


@dataclass(frozen=True, slots=True)
class OpenedData:
    """The plan of a data directory (None: it has problems, in `diagnostics`), where each
    district's log is, and the problems of logs no district of the plan reads."""

    plan: Plan | None
    sources: dict[str, LogSource]
    diagnostics: list[Diagnostic]


def open_data(data_dir: DataDir) -> OpenedData:
    """The plan (through the plan cache) and each district's log, ready to be read one at a
    time (through the log summary cache, unless the caches are off)."""
    from liuxia_tracker.log.figures import read_figure_file
    from liuxia_tracker.plan import cache as plan_cache
    from liuxia_tracker.plan.text import MAX_PLAN_BYTES, read_bytes

    refuse_cut_off_import(data_dir.figures_path, display_path(data_dir.figures_path))
    shown = display_path(data_dir.plan_path)
    with without_cyclic_collection():
        plan, _, problems = plan_cache.load_plan(data_dir.plan_path, shown, positions=False)
    if plan is None:
        return OpenedData(None, {}, sorted(problems))
    refuse_plan_problems(shown, problems)
    logs = {path.stem: path for path in figure_files_in(data_dir)}
    folder = plan_cache.folder()
    plan_key = None
    if folder is not None:
        data, _ = read_bytes(data_dir.plan_path, MAX_PLAN_BYTES, shown)
        plan_key = None if data is None else plan_cache.key_for(data)
    sources = {}
    for district in plan.districts:
        path = logs.pop(district.id, None)
        shown_log = "" if path is None else display_path(path)
        sources[district.id] = LogSource(path, shown_log, plan_key, folder)
    others: list[Diagnostic] = []
    for path in logs.values():  # a log of no district: its problems are counted all the same
        file = read_figure_file(path, display_path(path))
        refuse_unreadable_log(file.diagnostics)
        others.extend(file.diagnostics)
    return OpenedData(plan, sources, others)


def load_series(data_dir: DataDir) -> LoadedSeries:
    opened = open_data(data_dir)
    plan = opened.plan
    if plan is None:
        return LoadedSeries(None, {}, opened.diagnostics)
    problems = list(opened.diagnostics)
    series_by_district = {}
    # Superseded records are kept: a report of a past day takes, per period, the latest record
    # known on that day, which may be one a later correction superseded.
    with without_cyclic_collection():
        for district in plan.districts:
            source = opened.sources[district.id]
            read = read_series(plan, district, source)
            problems.extend(problems_of(source, read))
            series_by_district[district.id] = read.series
    return LoadedSeries(plan, series_by_district, problems)


def build_status(data_dir: DataDir, as_of: date, filters: Filters, sort: SortKey) -> StatusResult:
    from liuxia_tracker.engine.score import assemble_report

    # Every district is computed even when some are asked for: score and rank compare them all.
    opened = open_data(data_dir)
    plan = opened.plan
    if plan is None:
        return StatusResult(None, opened.diagnostics)
    check_as_of(plan, as_of)
    filters = replace(filters, districts=tuple(district_ids(plan, filters.districts)))
    check_filters(plan, filters)
    problems = list(opened.diagnostics)
    with without_cyclic_collection():
        results = evaluate_districts(plan, opened.sources, as_of)
        logs = {}
        for result in results:
            problems.extend(result.problems)
            path = opened.sources[result.district_id].path
            if result.log is not None and path is not None:
                logs[path] = result.log
        report = assemble_report(
            plan, {result.district_id: result.evaluated for result in results}, as_of
        )
    wanted = set(filters.districts)
    rows = sort_rows(
        [
            row
            for row in report.rows
            if (not wanted or row.district_id in wanted) and filters.keep(row)
        ],
        sort,
    )
    counts: dict[str, dict[Status, int]] = {}
    for row in rows:
        shown_counts = counts.get(row.district_id)
        if shown_counts is None:
            shown_counts = counts[row.district_id] = dict.fromkeys(Status, 0)
        shown_counts[row.status] += 1
    # Each district's overall score and rank, with status counts of the rows shown.
    districts = tuple(
        replace(summary, counts=counts[summary.district_id])
        for summary in report.districts
        if summary.district_id in counts
    )
    ranked = sum(1 for summary in report.districts if summary.rank is not None)
    filtered = replace(report, rows=tuple(rows), districts=districts, ranked=ranked)
    plan_keys = {source.plan_key for source in opened.sources.values()}
    plan_key = plan_keys.pop() if len(plan_keys) == 1 else None
    return StatusResult(filtered, sorted(problems), plan_key, logs)


def refuse_plan_problems(plan_display: str, problems: list[Diagnostic]) -> None:
    if problems:
        count = len(problems)
        raise TrackerError(
            f"{plan_display} has {count} problem{'s' if count != 1 else ''}; "
            "run `tracker check` and fix the plan first"
        )


def refuse_unreadable_log(problems: list[Diagnostic]) -> None:
    for problem in problems:
        if problem.code in ("unreadable", "too-large"):
            raise TrackerError(f"{problem.path}: {problem.message}; run `tracker check`")


def check_as_of(plan: Plan, as_of: date) -> None:
    """A day before the plan year has nothing to judge: a usage error, not an empty report."""
    if as_of.year < plan.year:
        raise UsageError(
            f"--as-of {as_of} is before the plan year {plan.year} (give a day in {plan.year} "
            "or later)"
        )


def district_ids(plan: Plan, asked: tuple[str, ...]) -> list[str]:
    """The ids of the districts asked for by id or name (历下区, 历下); an unknown one is left
    as written for `check_filters` to refuse, an ambiguous one is a usage error."""
    ids = []
    for wanted in asked:
        try:
            ids.append(find_district(plan, wanted).id)
        except TrackerError as error:
            if "names several" in str(error):
                raise UsageError(str(error)) from None
            ids.append(wanted)
    return ids


def check_filters(plan: Plan, filters: Filters) -> None:
    """A filter value the plan never uses is a typo, not an empty report: say so (exit 2)."""
    districts = {district.id for district in plan.districts}
    targets = [target for district in plan.districts for target in district.targets]
    choices: dict[str, tuple[tuple[str, ...], set[str]]] = {
        "district": (filters.districts, districts),
        "group": (filters.groups, {t.group for t in targets}),
        "owner": (filters.owners, {t.owner for t in targets if t.owner}),
        "leader": (filters.leaders, {t.leader for t in targets if t.leader}),
    }
    for what, (asked, known) in choices.items():
        for value in asked:
            if value not in known:
                listed = ", ".join(sorted(known)) if known else "none"
                raise UsageError(f"no {what} {value!r} in the plan (it has: {listed})")
