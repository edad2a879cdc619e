"""Every district of a report, one at a time: read its log (through the summary cache), build its
series, evaluate its targets, and keep only the rows. In worker processes when the logs are
large enough to repay them.

Guarantees:

- Memory grows with the number of targets, not of records: a district's records and series
  are dropped once its targets are evaluated, so at most one district's log is held at a time
  (one per worker).
- The result is the same whichever way it was made: districts are independent, and the results
  are put back in plan order, so a parallel run gives the same report, byte for byte, as a
  serial one (a test holds the two the same), and a run through the cache as one without.
- Workers: see `commands.parallel`.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from liuxia_tracker.commands.parallel import parallel_map, workers_for
from liuxia_tracker.commands.row_memo import LogState, memo_key, recall, remember, stat_of
from liuxia_tracker.diagnostics import Diagnostic, TrackerError
from liuxia_tracker.domain.models import District, Plan
from liuxia_tracker.engine.variance import Evaluated
from liuxia_tracker.log.summary import LogSeries, log_key, read_log, read_log_series


@dataclass(frozen=True, slots=True)
class LogSource:
    """Where a district's log is, and what the summary cache needs to read it."""

    path: Path | None  # None: the district has no log
    display: str
    plan_key: str | None  # the plan cache's key of the plan, None: no cache
    folder: Path | None  # the cache folder, None: no cache


@dataclass(frozen=True, slots=True)
class DistrictResult:
    district_id: str
    evaluated: list[Evaluated]
    problems: list[Diagnostic]  # reading the log, and records that joined no series
    log: LogState | None = None  # the log's bytes the rows come from (None: no memo, no log)


def read_series(
    plan: Plan,
    district: District,
    source: LogSource,
    content: tuple[bytes | None, list[Diagnostic]] | None = None,
) -> LogSeries:
    """The district's series from its log; a log that could not be read at all stops the report
    (its numbers would not be the data's)."""
    read = read_log_series(
        plan,
        district,
        source.path,
        source.display,
        plan_key=source.plan_key,
        folder=source.folder,
        content=content,
    )
    for problem in read.problems:
        if problem.code in ("unreadable", "too-large"):
            raise TrackerError(f"{problem.path}: {problem.message}; run `tracker check`")
    return read


def problems_of(source: LogSource, read: LogSeries) -> list[Diagnostic]:
    """The reading problems and the findings of records that joined no series, as diagnostics
    (counted by a report, shown by `tracker check`)."""
    return [
        *read.problems,
        *(
            Diagnostic(source.display, line, 1, finding.code, finding.message)
            for line, finding in read.found
        ),
    ]


def evaluate_districts(
    plan: Plan,
    sources: dict[str, LogSource],
    as_of: date,
    known_by: date | None = None,
) -> list[DistrictResult]:
    """Every district of the plan evaluated as of `as_of`, in plan order: those the report memo
    holds from here, the others read and judged (in workers when their logs are large)."""
    job = _Job(plan, sources, as_of, known_by)
    results: list[DistrictResult | None] = [
        job.recall(index) for index in range(len(plan.districts))
    ]
    missed = [index for index, result in enumerate(results) if result is None]
    logs = [
        path for index in missed if (path := job.source(plan.districts[index]).path) is not None
    ]
    for index, result in zip(
        missed, parallel_map(job.district, missed, workers_for(logs)), strict=True
    ):
        results[index] = result
    return [result for result in results if result is not None]


@dataclass(frozen=True, slots=True)
class _Job:
    plan: Plan
    sources: dict[str, LogSource]
    as_of: date
    known_by: date | None

    def source(self, district: District) -> LogSource:
        return self.sources.get(district.id) or LogSource(None, "", None, None)

    def _memo(self, district: District, source: LogSource) -> tuple[Path, str] | None:
        """Where the district's rows are remembered, and their key; None: not remembered."""
        if source.path is None or source.folder is None or source.plan_key is None:
            return None
        key = memo_key(
            source.plan_key,
            district.id,
            source.display,
            self.as_of.isoformat(),
            "" if self.known_by is None else self.known_by.isoformat(),
        )
        return source.folder / "reports" / f"{log_key(source.path)}.json", key

    def recall(self, index: int) -> DistrictResult | None:
        """The district's rows as remembered, or None."""
        district = self.plan.districts[index]
        source = self.source(district)
        memo = self._memo(district, source)
        if memo is None or source.path is None:
            return None
        recalled = recall(*memo, source.path, source.display)
        return None if recalled is None else DistrictResult(district.id, *recalled)

    def district(self, index: int) -> DistrictResult:
        """The district's log read (through its summary) and its targets evaluated."""
        from liuxia_tracker.engine.score import evaluate_district

        district = self.plan.districts[index]
        source = self.source(district)
        memo = self._memo(district, source)
        content = None
        state = log = None
        if source.path is not None:
            if memo is not None:
                with contextlib.suppress(OSError):
                    state = stat_of(source.path)
            content = read_log(source.path, source.display)
        read = read_series(self.plan, district, source, content)
        evaluated = evaluate_district(self.plan, district, read.series, self.as_of, self.known_by)
        problems = problems_of(source, read)
        data = None if content is None else content[0]
        if memo is not None and state is not None and data is not None:
            digest = read.identity or hashlib.sha256(data).hexdigest()
            log = LogState(*state, digest)
            remember(*memo, log, evaluated, problems)
        return DistrictResult(district.id, evaluated, problems, log)
