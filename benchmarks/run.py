"""Time the installed `tracker` on the shipped data and on generated data at scale.

    python benchmarks/run.py                  # 100k and 1m, 5 runs each
    python benchmarks/run.py --quick          # 10k and 100k
    python benchmarks/run.py --sizes 1m --runs 3 --json
    python benchmarks/run.py --sizes 30m --runs 1

Method: every measurement is a fresh child process (the `tracker` executable next to
`sys.executable`), timed by wall clock from spawn to exit; its peak memory is the child's own
`ru_maxrss`, read from `os.wait4` for that one child. Each command runs once unmeasured first
(page cache, bytecode), except that a warm-up slower than `KEEP_WARMUP_SECONDS` is kept as a
run, because start-up noise is negligible at that length (not in the `(warm)` and `(after one
record)` rows, whose warm-up fills the cache their runs find). Children write bytecode even under
PYTHONDONTWRITEBYTECODE (as an installed package has it), never inherit TRACKER_NO_CACHE, and
keep their caches (`$XDG_CACHE_HOME/liuxia-tracker`) in folders of this run's own:

- the plain `tracker check` / `tracker status` rows, `record` and `--version` share one,
  which starts empty (the warm-up fills it); `record` is also measured with caches off;
- `(cold)`: every run, the warm-up too, gets a new empty folder;
- `(warm)`: one folder per size, filled by the warm-up; the data is unchanged between runs;
- `(after one record)`: one folder per size, and before every run (not timed) one record is
  appended with `tracker record` to a copy of the data;
- `(cache off)`: TRACKER_NO_CACHE=1 (and `--no-cache` when `tracker status` has it).

The `(…)` rows and `check (cold)` judge as of the data's last day (`last_day` in
generated.json), so every run does the same work. Appends go to a copy of the data made once
per size in a temporary folder (the appended figure file copied, the others hard-linked when
the file system allows), so benchmarks/out stays as generated.

Reference points, measured the same way in the same run: the floor, the same record lines
decoded with `json.loads` (line[2:] of each `- {...}` line) in a child Python process; the
DuckDB anchor, a child that reads the same figure files with DuckDB (the `bench` extra) and
takes the latest value of every (file, target, period); and the import floor, a child that
only imports the dependencies every command needs. Every figure is also given as a ratio to
the floor of its data. Figures are medians. Missing data sets are generated first
(benchmarks/generate.py).

Commands that the installed tracker does not have (see `tracker --help`) are reported as
"not available", as is the DuckDB anchor without DuckDB. Standard library plus the project
only (DuckDB runs in its child).
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # the generator beside this file

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_DATA = ROOT / "data"
TRACKER = Path(sys.executable).parent / "tracker"
KEEP_WARMUP_SECONDS = 5.0
DEFAULT_SIZES = ("100k", "1m")
QUICK_SIZES = ("10k", "100k")
MILLION = 1_000_000
SCALE_RECORDS = 30 * MILLION  # the size with goals of its own (a province's year)
MIB_KIB = 1024
GIB_KIB = 1024 * 1024
BENCH_EXTRA_HINT = "pip install -e '.[bench]'"

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

# Decode every canonical record line of a data directory's figure files, and nothing else.
FLOOR_SCRIPT = """\
import json, sys
from pathlib import Path
count = 0
for path in sorted(Path(sys.argv[1], "figures").glob("*.yaml")):
    for line in path.read_text(encoding="utf-8").split("\\n"):
        if line.startswith("- {"):
            json.loads(line[2:])
            count += 1
print(count)
"""

# What start-up costs before a command does anything of its own: the dependencies every
# command imports (the command line framework, the models, the YAML reader, the renderers).
IMPORT_FLOOR_SCRIPT = "import typer, pydantic, yaml, rich, tabulate"

# The same figure files read by DuckDB: every line one VARCHAR (a delimiter that never
# occurs, no quoting), record lines decoded as JSON, and per (file, target, period or item)
# the value of the last line. The row number follows the files' order as read (DuckDB keeps
# insertion order by default); on generated data it picks the same records as the latest
# `recorded_at` does. Prints the number of series points.
DUCKDB_SCRIPT = """\
import sys
import duckdb
connection = duckdb.connect()
count = connection.execute(
    '''
    WITH lines AS (
        SELECT filename, line, row_number() OVER () AS number
        FROM read_csv($pattern, columns = {'line': 'VARCHAR'}, delim = $delimiter,
                      quote = '', escape = '', header = false, filename = true,
                      auto_detect = false)
    ), records AS (
        SELECT filename, number,
               json_extract_string(substr(line, 3),
                                   ['$.target', '$.period', '$.item', '$.value']) AS fields
        FROM lines
        WHERE starts_with(line, '- {')
    )
    SELECT count(*) FROM (
        SELECT filename, fields[1] AS target, coalesce(fields[2], fields[3]) AS period,
               arg_max(fields[4], number) AS value
        FROM records
        GROUP BY ALL
    )
    ''',
    {"pattern": sys.argv[1] + "/figures/*.yaml", "delimiter": "\\x01"},
).fetchone()[0]
print(count)
"""

# The record appended by the `record` benchmark and before each `(after one record)` run: a
# correction of a rate, which no rule forbids. The district is the size's first one.
RECORD_VALUES = {"target": "gdp_growth", "period": "2023-Q1", "value": "6"}


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


# The environment of every child: this one's, except that bytecode is written (the warm-up
# run writes it, as installing a package would; PYTHONDONTWRITEBYTECODE would have every run
# compile the project from source), caches are never turned off unless a row says so, and
# XDG_CACHE_HOME is a folder of this run's own (set in `main`), so every run of the runner
# starts cold.
CHILD_ENVIRONMENT = {
    name: value
    for name, value in os.environ.items()
    if name not in ("PYTHONDONTWRITEBYTECODE", "TRACKER_NO_CACHE")
}


class NotPrepared(Exception):
    """What had to happen before a run (not timed) failed; the message says why."""


def run_once(
    argv: Sequence[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[Sample, str, str]:
    """Run one child; return its sample, its standard output and its standard error."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env={**CHILD_ENVIRONMENT, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", errors="replace")
        stderr = err.read().decode("utf-8", errors="replace")
    return Sample(elapsed, usage.ru_maxrss, child.returncode), stdout, stderr


def first_line(stdout: str, stderr: str) -> str:
    lines = (stderr.strip() or stdout.strip()).splitlines()
    return lines[0] if lines else ""


def measure(
    result: Result,
    command: Sequence[str] | Callable[[int], Sequence[str]],
    runs: int,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    prepare: Callable[[int], dict[str, str]] | None = None,
    warmup_is_a_run: bool = True,
) -> Result:
    """Warm up, then run `command` until `runs` samples are kept. A callable command is given
    the run's number (0 for the warm-up), for commands that must differ on every run.
    `prepare`, when given, is called with the run's number before each run, untimed, and
    returns environment variables for that run (or raises NotPrepared).
    `warmup_is_a_run=False`: the warm-up is never kept, even when slow, because it does other
    work than the runs (it fills the cache that a `(warm)` run finds filled)."""

    def run_number(number: int) -> tuple[Sample, str, str]:
        extra = dict(env or {})
        if prepare is not None:
            extra.update(prepare(number))
        return run_once(command(number) if callable(command) else command, cwd, extra)

    try:
        sample, stdout, stderr = run_number(0)
        result.warmup_kept = warmup_is_a_run and sample.seconds > KEEP_WARMUP_SECONDS
        kept = [sample] if result.warmup_kept else []
        if sample.returncode != 0:
            result.status = "failed"
            result.note = f"exit {sample.returncode}: {first_line(stdout, stderr)}".strip()
            result.samples = [sample]
            return result
        while len(kept) < runs:
            sample, stdout, stderr = run_number(len(kept) + 1)
            if sample.returncode != 0:
                result.status = "failed"
                result.note = (
                    f"exit {sample.returncode} on a later run: {first_line(stdout, stderr)}"
                )
            kept.append(sample)
    except NotPrepared as error:
        result.status, result.note = "failed", str(error)
        return result
    result.samples = kept
    return result


def tracker_commands() -> dict[str, str]:
    """The commands the installed tracker lists in `--help`, each with its own `--help` text."""
    completed = subprocess.run(
        [str(TRACKER), "--help"], capture_output=True, text=True, check=False
    )
    commands: dict[str, str] = {}
    in_commands = False
    for line in completed.stdout.splitlines():
        if line.strip().lower().startswith("commands"):
            in_commands = True
            continue
        if in_commands and line.startswith("  ") and line.strip():
            name = line.split()[0]
            help_text = subprocess.run(
                [str(TRACKER), name, "--help"], capture_output=True, text=True, check=False
            ).stdout
            commands[name] = help_text
        elif in_commands and line.strip() and not line.startswith(" "):
            in_commands = False
    return commands


def has_option(help_text: str, option: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", help_text) is not None


def record_argv(
    help_text: str, data_dir: Path, district: str, value: str, template: str | None
) -> list[str] | str:
    """The `tracker record` arguments for RECORD_VALUES, `district` and `value`, read from its
    usage line (`Usage: tracker record [OPTIONS] {district} {target} [period] [value]`), or
    why not.

    `template`, when given, is used instead: a command line after `tracker` with the
    placeholders {data}, {district}, {target}, {period} and {value}.
    """
    values = {**RECORD_VALUES, "district": district, "value": value, "data": str(data_dir)}
    if template is not None:
        return [str(TRACKER), *shlex.split(template.format(**values))]
    usage = next((line for line in help_text.splitlines() if "Usage:" in line), "")
    argv = [str(TRACKER), "record"]
    given: set[str] = set()
    after = usage.split("record", 1)[1] if "record" in usage else ""
    for word in after.split():
        name = word.strip("{}[].<>").lower()
        if name == "options":
            continue
        if name in values and name != "data":
            argv.append(values[name])
            given.add(name)
        elif not word.startswith("["):
            return f"unknown argument {word} in `{usage.strip()}` (give --record-args)"
    for name in ("district", "target", "period", "value"):
        if name not in given:
            if not has_option(help_text, f"--{name}"):
                return f"no way to give the {name} in `{usage.strip()}` (give --record-args)"
            argv += [f"--{name}", values[name]]
    if has_option(help_text, "--data"):
        argv += ["--data", str(data_dir)]
    return argv


def ensure_data(size: generate.Size) -> Path:
    directory = generate.OUT_DIR / size.label
    stamp = generate.stamp_for(size.records, size.districts, size.targets, generate.DEFAULT_SEED)
    if not generate.is_current(directory, stamp):
        print(f"generating {size.label} ({size.records:,} records)…", file=sys.stderr)
        # In a child: generating here would grow this process, and the peak memory of every
        # child forked from it afterwards counts what it inherited.
        script = Path(__file__).resolve().parent / "generate.py"
        subprocess.run([sys.executable, str(script), "--sizes", size.label], check=True)
    return directory


def last_day(data_dir: Path) -> str:
    """The day the data's latest record was recorded: `last_day` in generated.json, else the
    latest `recorded_at` of the files' last records (generated files are in recorded order)."""
    found = generate.read_stamp(data_dir).get("last_day")
    if isinstance(found, str):
        return found
    latest = ""
    for path in (data_dir / "figures").glob("*.yaml"):
        with path.open("rb") as file:
            file.seek(max(0, path.stat().st_size - 8192))
            tail = file.read().splitlines()
        for line in reversed(tail):
            if line.startswith(b"- {"):
                with_time = json.loads(line[2:]).get("recorded_at", "")
                latest = max(latest, str(with_time)[:10])
                break
    return latest or date.today().isoformat()


@dataclass(slots=True)
class DataCopy:
    """A copy of a size's data that appends go to, so benchmarks/out stays as generated: the
    plan and the appended district's file copied, the other figure files hard-linked (copied
    where the file system cannot link); nothing but the appended file is ever written."""

    directory: Path
    district: str
    appended: int = 0

    def next_value(self) -> str:
        """A new value for every append, so every append is a revision that is written (the
        same value again would be a no-op)."""
        self.appended += 1
        return f"{float(RECORD_VALUES['value']) + self.appended / 100:.2f}"

    def lines(self) -> int:
        return (self.directory / "figures" / f"{self.district}.yaml").read_bytes().count(b"\n")


@contextmanager
def data_copy(source: Path, district: str, parent: Path) -> Iterator[DataCopy]:
    copy = Path(tempfile.mkdtemp(prefix=f"data-{source.name}-", dir=parent))
    try:
        (copy / "figures").mkdir()
        shutil.copy2(source / "targets.yaml", copy / "targets.yaml")
        for path in (source / "figures").iterdir():
            if path.stem == district:
                shutil.copy2(path, copy / "figures" / path.name)
                continue
            try:
                os.link(path, copy / "figures" / path.name)
            except OSError:
                shutil.copy2(path, copy / "figures" / path.name)
        yield DataCopy(copy, district)
    finally:
        shutil.rmtree(copy, ignore_errors=True)


class FreshCache:
    """A new, empty cache folder for every run (the one before it removed): `(cold)`."""

    def __init__(self, parent: Path) -> None:
        self.parent = parent
        self.current: Path | None = None

    def __call__(self, number: int) -> dict[str, str]:
        self.remove()
        self.current = Path(tempfile.mkdtemp(prefix=f"cold-{number}-", dir=self.parent))
        return {"XDG_CACHE_HOME": str(self.current)}

    def remove(self) -> None:
        if self.current is not None:
            shutil.rmtree(self.current, ignore_errors=True)
            self.current = None


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_kib = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    except OSError:
        pass
    version = subprocess.run(
        [str(TRACKER), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "nproc": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu": model or platform.processor() or "unknown",
        "memory_gib": round(memory_kib / GIB_KIB, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "tracker": version,
        "duckdb": duckdb_version(),
    }


def duckdb_version() -> str | None:
    """DuckDB's version as the children would import it, or None when it is not installed."""
    if importlib.util.find_spec("duckdb") is None:
        return None
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("duckdb")
    except PackageNotFoundError:
        return "unknown"


# -- the measurements ----------------------------------------------------------------------


@dataclass(slots=True)
class Context:
    """What every measurement of one runner invocation shares."""

    commands: dict[str, str]
    runs: int
    scratch: Path  # this run's temporary folder: caches and data copies
    record_template: str | None

    @property
    def status_help(self) -> str:
        return self.commands.get("status", "")


def data_argv(help_text: str, command: str, data_dir: Path) -> tuple[list[str], dict[str, str]]:
    """`tracker COMMAND --data DIR`, or TRACKER_DATA when the command has no --data."""
    if has_option(help_text, "--data"):
        return [str(TRACKER), command, "--data", str(data_dir)], {}
    return [str(TRACKER), command], {"TRACKER_DATA": str(data_dir)}


def with_as_of(help_text: str, argv: list[str], day: str) -> list[str]:
    return [*argv, "--as-of", day] if has_option(help_text, "--as-of") else argv


def run(context: Context, sizes: list[generate.Size]) -> list[Result]:
    commands, runs, scratch = context.commands, context.runs, context.scratch
    results: list[Result] = []
    python = sys.executable

    shipped_floor = floor_result("shipped", SHIPPED_DATA, None, runs)
    results.append(shipped_floor)
    results.append(
        measure(Result(VERSION, "", None, shipped_floor.size), [str(TRACKER), "--version"], runs)
    )
    results.append(
        measure(Result(IMPORT_FLOOR, "", None, None), [python, "-c", IMPORT_FLOOR_SCRIPT], runs)
    )
    if "status" in commands:
        results.append(
            measure(Result(STATUS, "shipped", None, "shipped"), [str(TRACKER), "status"], runs)
        )
    else:
        results.append(unavailable(STATUS, "shipped", None))
    largest = max(sizes, key=lambda size: size.records) if sizes else None
    for size in sizes:
        data_dir = ensure_data(size)
        day = last_day(data_dir)
        results.append(floor_result(size.label, data_dir, size.records, runs))
        results.append(measure_duckdb(size, data_dir, runs))
        results += measure_plain(context, size, data_dir)
        results += measure_caches(context, size, data_dir, day)
        district = generate.district_id(0, generate.id_width(size.districts))
        with data_copy(data_dir, district, scratch) as copy:
            results.append(measure_after_record(context, size, copy, day))
            if size is largest or size.records == MILLION:
                results.append(measure_record(context, size, copy))
                results.append(measure_record(context, size, copy, cached=False))
    return results


def unavailable(name: str, size: str, records: int | None, note: str = "") -> Result:
    return Result(name, size, records, size, "not available", note or "not in `tracker --help`")


def floor_result(size: str, data_dir: Path, records: int | None, runs: int) -> Result:
    result = Result(FLOOR, size, records, None)
    return measure(result, [sys.executable, "-c", FLOOR_SCRIPT, str(data_dir)], runs)


def measure_duckdb(size: generate.Size, data_dir: Path, runs: int) -> Result:
    if importlib.util.find_spec("duckdb") is None:
        return unavailable(
            DUCKDB, size.label, size.records, f"DuckDB is not installed: {BENCH_EXTRA_HINT}"
        )
    result = Result(DUCKDB, size.label, size.records, size.label)
    return measure(result, [sys.executable, "-c", DUCKDB_SCRIPT, str(data_dir)], runs)


def measure_plain(context: Context, size: generate.Size, data_dir: Path) -> list[Result]:
    """`check` and `status` as a user runs them (as of today), sharing the run's cache."""
    results: list[Result] = []
    for name, title in (("check", CHECK), ("status", STATUS)):
        if name not in context.commands:
            results.append(unavailable(title, size.label, size.records))
            continue
        if name == "check":
            argv, env = [str(TRACKER), "check", str(data_dir)], {}
        else:
            argv, env = data_argv(context.commands[name], name, data_dir)
        result = Result(title, size.label, size.records, size.label)
        results.append(measure(result, argv, context.runs, env=env))
    return results


def measure_caches(context: Context, size: generate.Size, data_dir: Path, day: str) -> list[Result]:
    """`check (cold)`, `status (cold)`, `(warm)` and `(cache off)`, as of the data's last day."""
    results: list[Result] = []
    if "check" in context.commands:
        help_text = context.commands["check"]
        argv = with_as_of(help_text, [str(TRACKER), "check", str(data_dir)], day)
        cold = FreshCache(context.scratch)
        result = Result(CHECK_COLD, size.label, size.records, size.label)
        results.append(measure(result, argv, context.runs, prepare=cold))
        cold.remove()
    else:
        results.append(unavailable(CHECK_COLD, size.label, size.records))
    if "status" not in context.commands:
        for name in (STATUS_COLD, STATUS_WARM, STATUS_CACHE_OFF):
            results.append(unavailable(name, size.label, size.records))
        return results
    help_text = context.status_help
    argv, env = data_argv(help_text, "status", data_dir)
    argv = with_as_of(help_text, argv, day)

    cold = FreshCache(context.scratch)
    result = Result(STATUS_COLD, size.label, size.records, size.label)
    results.append(measure(result, argv, context.runs, env=env, prepare=cold))
    cold.remove()

    warm = Path(tempfile.mkdtemp(prefix="warm-", dir=context.scratch))
    result = Result(STATUS_WARM, size.label, size.records, size.label)
    warm_env = {**env, "XDG_CACHE_HOME": str(warm)}
    results.append(measure(result, argv, context.runs, env=warm_env, warmup_is_a_run=False))
    shutil.rmtree(warm, ignore_errors=True)

    off_argv = [*argv, "--no-cache"] if has_option(help_text, "--no-cache") else argv
    result = Result(STATUS_CACHE_OFF, size.label, size.records, size.label)
    results.append(measure(result, off_argv, context.runs, env={**env, "TRACKER_NO_CACHE": "1"}))
    return results


def measure_after_record(context: Context, size: generate.Size, copy: DataCopy, day: str) -> Result:
    """`status` on a copy of the data, one record appended (untimed) before every run; the
    cache folder is the copy's own, so each run finds what the run before it left."""
    result = Result(STATUS_AFTER_RECORD, size.label, size.records, size.label)
    if "status" not in context.commands:
        return unavailable(STATUS_AFTER_RECORD, size.label, size.records)
    if "record" not in context.commands and context.record_template is None:
        return unavailable(STATUS_AFTER_RECORD, size.label, size.records, "no `tracker record`")
    help_text = context.commands.get("record", "")
    probe = record_argv(help_text, copy.directory, copy.district, "0", context.record_template)
    if isinstance(probe, str):
        result.status, result.note = "not available", probe
        return result
    cache = Path(tempfile.mkdtemp(prefix="after-record-", dir=context.scratch))
    argv, env = data_argv(context.status_help, "status", copy.directory)
    argv = with_as_of(context.status_help, argv, day)
    env = {**env, "XDG_CACHE_HOME": str(cache)}

    def append_one(_number: int) -> dict[str, str]:
        made = record_argv(
            help_text, copy.directory, copy.district, copy.next_value(), context.record_template
        )
        assert not isinstance(made, str)
        sample, stdout, stderr = run_once(made, ROOT, env)
        if sample.returncode != 0:
            raise NotPrepared(
                f"tracker record before the run: exit {sample.returncode}: "
                f"{first_line(stdout, stderr)}"
            )
        return env

    try:
        before = copy.lines()
        measure(result, argv, context.runs, prepare=append_one, warmup_is_a_run=False)
        appended = copy.lines() - before
        expected = len(result.samples) + (0 if result.warmup_kept else 1)
        if result.status == "ok" and appended != expected:
            result.note = f"{appended} lines appended before {expected} runs"
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return result


def measure_record(
    context: Context, size: generate.Size, copy: DataCopy, cached: bool = True
) -> Result:
    """Append one record per run to the copy of the data; each run a new value, so each run
    is a revision that is really written.

    `cached=False` turns the caches off (TRACKER_NO_CACHE=1): what the first `record` after a
    change to the plan costs.
    """
    result = Result(RECORD if cached else RECORD_NOT_CACHED, size.label, size.records, size.label)
    template = context.record_template
    if "record" not in context.commands and template is None:
        result.status, result.note = "not available", "not in `tracker --help`"
        return result
    help_text = context.commands.get("record", "")
    probe = record_argv(help_text, copy.directory, copy.district, "0", template)
    if isinstance(probe, str):
        result.status, result.note = "not available", probe
        return result

    def argv(_number: int) -> Sequence[str]:
        made = record_argv(help_text, copy.directory, copy.district, copy.next_value(), template)
        assert not isinstance(made, str)
        return made

    before = copy.lines()
    measure(result, argv, context.runs, env=None if cached else {"TRACKER_NO_CACHE": "1"})
    appended = copy.lines() - before
    expected = len(result.samples) + (0 if result.warmup_kept else 1)
    if result.status == "ok" and appended != expected:
        result.note = f"{appended} lines appended in {expected} runs"
    return result


# -- report --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Goal:
    text: str
    measured: str
    met: bool | None  # None: not measured

    @property
    def verdict(self) -> str:
        return {True: "met", False: "not met", None: "not measured"}[self.met]


def ratio_to_floor(result: Result, results: list[Result]) -> float | None:
    floor = find(results, FLOOR, result.floor) if result.floor is not None else None
    if floor is None or floor is result or not floor.measured or not result.measured:
        return None
    assert floor.median is not None and result.median is not None
    return result.median / floor.median


def find(results: list[Result], name: str, size: str) -> Result | None:
    return next((r for r in results if r.name == name and r.size == size), None)


def verdict_of(parts: list[tuple[str, bool | None]]) -> tuple[str, bool | None]:
    """One goal judged at several sizes: not met if any size misses it, not measured if any
    size could not be measured, else met."""
    measured = ", ".join(text for text, _met in parts) or "not measured"
    verdicts = [met for _text, met in parts]
    if not verdicts or all(met is None for met in verdicts):
        return measured, None
    if False in verdicts:
        return measured, False
    return measured, None if None in verdicts else True


def goals(results: list[Result], sizes: list[generate.Size]) -> list[Goal]:
    found: list[Goal] = []
    ordered = sorted(sizes, key=lambda size: size.records)
    # The goals at every size hold for the sizes without goals of their own.
    general = [size.label for size in ordered if size.records != SCALE_RECORDS]
    scale = next((size.label for size in ordered if size.records == SCALE_RECORDS), None)

    def why_not(result: Result | None) -> str:
        if result is None:
            return "not measured"
        return result.status if result.status != "ok" else "no sample"

    def failed(result: Result | None) -> bool | None:
        """A command that fails does not meet its goal; one not measured is not judged."""
        return False if result is not None and result.status == "failed" else None

    def seconds_goal(text: str, result: Result | None, limit: float) -> None:
        if result is None or not result.measured:
            found.append(Goal(text, why_not(result), failed(result)))
            return
        assert result.median is not None
        found.append(Goal(text, format_seconds(result.median), result.median <= limit))

    def floor_part(result: Result | None, limit: float, label: str) -> tuple[str, bool | None]:
        ratio = ratio_to_floor(result, results) if result else None
        if ratio is None:
            return f"{label} {why_not(result)}", failed(result)
        return f"{label} {ratio:.2f} ×", ratio <= limit

    def floor_goal(text: str, name: str, labels: list[str], limit: float) -> None:
        parts = [floor_part(find(results, name, label), limit, label) for label in labels]
        found.append(Goal(text, *verdict_of(parts)))

    def duckdb_goal(text: str, name: str, labels: list[str]) -> None:
        parts: list[tuple[str, bool | None]] = []
        for label in labels:
            result, anchor = find(results, name, label), find(results, DUCKDB, label)
            if result is None or not result.measured:
                parts.append((f"{label} {why_not(result)}", failed(result)))
            elif anchor is None or not anchor.measured:
                parts.append((f"{label} DuckDB {why_not(anchor)}", None))
            else:
                assert result.median is not None and anchor.median is not None
                parts.append(
                    (
                        f"{label} {format_seconds(result.median)} vs "
                        f"{format_seconds(anchor.median)}",
                        result.median <= anchor.median,
                    )
                )
        found.append(Goal(text, *verdict_of(parts)))

    def peak_goal(text: str, labels: list[str], limit_kib: int) -> None:
        parts: list[tuple[str, bool | None]] = []
        for label in labels:
            # A failed run's peak counts too (the tool may fail after reading everything).
            rows = [r for r in results if r.size == label and r.name.startswith(STATUS)]
            peaks = [r.peak_kib for r in rows if r.peak_kib]
            if not peaks:
                parts.append((f"{label} not measured", None))
                continue
            peak = max(peaks)
            if any(r.status == "failed" for r in rows):
                parts.append((f"{label} {peak / MIB_KIB:,.0f} MiB (a run failed)", False))
            else:
                parts.append((f"{label} {peak / MIB_KIB:,.0f} MiB", peak <= limit_kib))
        found.append(Goal(text, *verdict_of(parts)))

    seconds_goal("tracker --version ≤ 100 ms", find(results, VERSION, ""), 0.100)
    seconds_goal("tracker status (shipped) ≤ 250 ms", find(results, STATUS, "shipped"), 0.250)
    million = next((size.label for size in sizes if size.records == MILLION), None)
    if million is None:
        found.append(Goal("1M-record goals", "1m not measured", None))
    else:
        floor_goal("status 1M ≤ 3 × floor", STATUS, [million], 3)
        floor_goal("check 1M ≤ 5 × floor", CHECK, [million], 5)
        for name in (CHECK, STATUS):
            result = find(results, name, million)
            text = f"{name.split()[1]} 1M peak memory ≤ 1 GiB"
            if result is None or not result.measured or result.peak_kib is None:
                found.append(Goal(text, why_not(result), failed(result)))
            else:
                peak = result.peak_kib
                found.append(Goal(text, f"{peak / MIB_KIB:,.0f} MiB", peak <= GIB_KIB))
        seconds_goal("record on 1M ≤ 250 ms", find(results, RECORD, million), 0.250)
    for smaller, larger in itertools.pairwise(ordered):
        growth = larger.records / smaller.records
        for name in (CHECK, STATUS):
            small, large = find(results, name, smaller.label), find(results, name, larger.label)
            text = f"{name.split()[1]} {smaller.label} → {larger.label}: ≤ about {growth:g} × time"
            if not (small and large and small.measured and large.measured):
                found.append(Goal(text, "not measured", None))
                continue
            assert small.median is not None and large.median is not None
            times = large.median / small.median
            found.append(Goal(text, f"{times:.1f} ×", times <= growth * 1.1))

    # The time goals of the national-scale work are set at 1M records; memory at every size.
    at_million = [million] if million is not None else []
    if at_million:
        floor_goal("status cold 1M ≤ 1.5 × floor", STATUS_COLD, at_million, 1.5)
        duckdb_goal("status warm 1M ≤ DuckDB", STATUS_WARM, at_million)
        duckdb_goal("status after one record 1M ≤ DuckDB", STATUS_AFTER_RECORD, at_million)
        floor_goal("check cold 1M ≤ 1.5 × floor", CHECK_COLD, at_million, 1.5)
    peak_goal("status peak memory ≤ 256 MiB", general, 256 * MIB_KIB)
    if scale is None:
        found.append(Goal("30M-record goals", "30m not measured", None))
    else:
        seconds_goal("status warm 30M ≤ 10 s", find(results, STATUS_WARM, scale), 10.0)
        floor_goal("status cold 30M ≤ 1.5 × floor", STATUS_COLD, [scale], 1.5)
        peak_goal("status peak memory 30M ≤ 1 GiB", [scale], GIB_KIB)

    imports = find(results, IMPORT_FLOOR, "")
    largest = ordered[-1].label if ordered else None
    record = find(results, RECORD, largest) if largest else None
    text = "record ≤ 1.6 × import floor"
    if record is None or not record.measured:
        found.append(Goal(text, why_not(record), failed(record)))
    elif imports is None or not imports.measured:
        found.append(Goal(text, f"import floor {why_not(imports)}", None))
    else:
        assert record.median is not None and imports.median is not None
        ratio = record.median / imports.median
        measured = (
            f"{largest} {format_seconds(record.median)} = {ratio:.2f} × "
            f"{format_seconds(imports.median)}"
        )
        found.append(Goal(text, measured, ratio <= 1.6))
    return found


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def summary_cache_line(commands: dict[str, str]) -> str:
    if has_option(commands.get("status", ""), "--no-cache"):
        return "status has --no-cache: cold, warm and after one record include its own cache"
    return "status has no --no-cache: cold, warm and after one record differ by the plan cache only"


def text_report(
    info: dict[str, Any], runs: int, results: list[Result], found: list[Goal], cache_line: str
) -> str:
    lines = [
        f"{info['tracker']} on {info['nproc']} CPU ({info['cpu']}), {info['memory_gib']} GiB, "
        f"Python {info['python']}, DuckDB {info['duckdb'] or 'not installed'}; "
        f"median of {runs} runs",
        cache_line,
        "",
        f"{'measurement':<40} {'data':>8} {'median':>9} {'min':>9} {'max':>9} "
        f"{'peak MiB':>9} {'× floor':>8}",
    ]
    for result in results:
        data = result.size or "-"
        if result.status == "not available":
            lines.append(f"{result.name:<40} {data:>8}   not available ({result.note})")
            continue
        seconds = [sample.seconds for sample in result.samples]
        ratio = ratio_to_floor(result, results)
        peak = result.peak_kib
        lines.append(
            f"{result.name:<40} {data:>8} {format_seconds(result.median):>9} "
            f"{format_seconds(min(seconds, default=None)):>9} "
            f"{format_seconds(max(seconds, default=None)):>9} "
            f"{(peak / MIB_KIB if peak else 0):>9,.0f} "
            f"{(f'{ratio:.2f}' if ratio is not None else ''):>8}"
        )
        if result.status == "failed" or result.note:
            label = "failed" if result.status == "failed" else "note"
            lines.append(f"{'':<4}{label}: {result.note}")
    lines += ["", "goals"]
    for goal in found:
        lines.append(f"  {goal.verdict:<13} {goal.text}: {goal.measured}")
    return "\n".join(lines) + "\n"


def json_report(
    info: dict[str, Any],
    runs: int,
    results: list[Result],
    found: list[Goal],
    sizes: list[dict[str, Any]],
    cache_line: str,
) -> str:
    payload = {
        "machine": info,
        "runs": runs,
        "summary_cache": cache_line,
        "sizes": sizes,
        "results": [
            {
                "name": r.name,
                "data": r.size,
                "records": r.records,
                "status": r.status,
                "note": r.note,
                "median_seconds": r.median,
                "seconds": [s.seconds for s in r.samples],
                "warmup_kept": r.warmup_kept,
                "peak_kib": r.peak_kib,
                "ratio_to_floor": ratio_to_floor(r, results),
            }
            for r in results
        ],
        "goals": [{**asdict(goal), "verdict": goal.verdict} for goal in found],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=None,
        help=f"comma-separated sizes: 10k, 100k, 1m, 3m, 30m or a number "
        f"(default: {','.join(DEFAULT_SIZES)})",
    )
    parser.add_argument("--runs", type=int, default=5, help="measured runs per command")
    parser.add_argument("--quick", action="store_true", help=f"sizes {', '.join(QUICK_SIZES)}")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--record-args",
        default=None,
        help="arguments of the append benchmark after `tracker`, with {data} {district} "
        "{target} {period} {value} (default: read from `tracker record --help`)",
    )
    options = parser.parse_args(argv)
    if options.runs < 1:
        parser.error("--runs must be at least 1")
    if not TRACKER.exists():
        print(f"run.py: no tracker executable at {TRACKER}", file=sys.stderr)
        return 2
    labels = options.sizes or ",".join(QUICK_SIZES if options.quick else DEFAULT_SIZES)
    try:
        sizes = [generate.parse_size(text) for text in labels.split(",") if text.strip()]
    except ValueError as error:
        parser.error(str(error))
    info = machine()
    commands = tracker_commands()
    with tempfile.TemporaryDirectory(prefix="tracker-bench-") as scratch:
        shared_cache = Path(scratch, "cache")
        shared_cache.mkdir()
        CHILD_ENVIRONMENT["XDG_CACHE_HOME"] = str(shared_cache)
        context = Context(commands, options.runs, Path(scratch), options.record_args)
        results = run(context, sizes)
    found = goals(results, sizes)
    cache_line = summary_cache_line(commands)
    if options.json:
        described = [
            {
                "label": size.label,
                "records": size.records,
                "districts": size.districts,
                "targets": size.targets,
                "as_of": last_day(generate.OUT_DIR / size.label),
            }
            for size in sizes
        ]
        report = json_report(info, options.runs, results, found, described, cache_line)
    else:
        report = text_report(info, options.runs, results, found, cache_line)
    sys.stdout.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
