"""What the benchmark runner measures and reports, shared by `run.py` (which measures) and
`goals.py` (which judges and prints): the row names the goals find rows by, the sizes with goals
of their own, and one measured row (`Result`) with its samples."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

MILLION = 1_000_000
SCALE_RECORDS = 30 * MILLION  # the size with goals of its own (a province's year)
MIB_KIB = 1024
GIB_KIB = 1024 * 1024

# Row names; the goals find rows by them.
FLOOR = "floor: json.loads of the record lines"
IMPORT_FLOOR = "floor: import of the dependencies"
DUCKDB = "anchor: DuckDB, latest per period"
VERSION = "tracker --version"
CHECK = "tracker check"
CHECK_COLD = "tracker check (cold)"
STATUS = "tracker status"
STATUS_COLD = "tracker status (cold)"
STATUS_WARM = "tracker status (warm)"
STATUS_AFTER_RECORD = "tracker status (after one record)"
STATUS_CACHE_OFF = "tracker status (cache off)"
RECORD = "tracker record (one append)"
RECORD_NOT_CACHED = "tracker record (plan not cached)"

# The rows `run.py --only` can pick at the generated sizes, by a short name. The rows of the
# shipped data, the import floor and each size's floor are always measured: every ratio needs
# them.
ROW_KEYS = {
    "duckdb": DUCKDB,
    "check": CHECK,
    "status": STATUS,
    "check-cold": CHECK_COLD,
    "status-cold": STATUS_COLD,
    "status-warm": STATUS_WARM,
    "status-cache-off": STATUS_CACHE_OFF,
    "status-after-record": STATUS_AFTER_RECORD,
    "record": RECORD,
    "record-not-cached": RECORD_NOT_CACHED,
}


@dataclass(frozen=True, slots=True)
class Sample:
    seconds: float
    peak_kib: int
    returncode: int


@dataclass(slots=True)
class Result:
    name: str
    size: str  # a size label, "shipped", or "" when no data is read
    records: int | None
    floor: str | None  # the size whose floor this one is compared with
    status: str = "ok"  # ok, not available, failed
    note: str = ""
    samples: list[Sample] = field(default_factory=list)
    warmup_kept: bool = False  # the warm-up was slow enough to count as a run

    @property
    def median(self) -> float | None:
        if not self.samples:
            return None
        return statistics.median(sample.seconds for sample in self.samples)

    @property
    def peak_kib(self) -> int | None:
        return max((sample.peak_kib for sample in self.samples), default=None)

    @property
    def measured(self) -> bool:
        return self.status == "ok" and self.median is not None
