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
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # the generator beside this file
from goals import goals, json_report, text_report
from results import (
    CHECK,
    CHECK_COLD,
    DUCKDB,
    FLOOR,
    GIB_KIB,
    IMPORT_FLOOR,
    MILLION,
    RECORD,
    RECORD_NOT_CACHED,
    ROW_KEYS,
    STATUS,
    STATUS_AFTER_RECORD,
    STATUS_CACHE_OFF,
    STATUS_COLD,
    STATUS_WARM,
    VERSION,
    Result,
    Sample,
)

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_DATA = ROOT / "data"
TRACKER = Path(sys.executable).parent / "tracker"
KEEP_WARMUP_SECONDS = 5.0
DEFAULT_SIZES = ("100k", "1m")
QUICK_SIZES = ("10k", "100k")
BENCH_EXTRA_HINT = "pip install -e '.[bench]'"

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


# The rows not asked for with `--only` (set in `main`): reported as not measured, never run.
SKIPPED_ROWS: set[str] = set()


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

    if result.name in SKIPPED_ROWS and result.size not in ("", "shipped"):
        result.status, result.note = "not available", "not asked for (--only)"
        return result

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


def summary_cache_line(commands: dict[str, str]) -> str:
    if has_option(commands.get("status", ""), "--no-cache"):
        return "status has --no-cache: cold, warm and after one record include its own cache"
    return "status has no --no-cache: cold, warm and after one record differ by the plan cache only"


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
    parser.add_argument(
        "--only",
        default=None,
        metavar="ROWS",
        help="comma-separated rows to measure at the generated sizes (the floors are always "
        f"measured): {', '.join(ROW_KEYS)}",
    )
    options = parser.parse_args(argv)
    if options.only is not None:
        asked = {key.strip() for key in options.only.split(",") if key.strip()}
        unknown = sorted(asked - set(ROW_KEYS))
        if unknown or not asked:
            given = f": not {', '.join(unknown)}" if unknown else ""
            parser.error(f"--only takes some of {', '.join(ROW_KEYS)}{given}")
        SKIPPED_ROWS.update(name for key, name in ROW_KEYS.items() if key not in asked)
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
