"""Time the installed `tracker` on the shipped data and on generated data at scale.

    python benchmarks/run.py                  # 100k and 1m, 5 runs each
    python benchmarks/run.py --quick          # 10k and 100k
    python benchmarks/run.py --sizes 1m --runs 3 --json

Method: every measurement is a fresh child process (the `tracker` executable next to
`sys.executable`), timed by wall clock from spawn to exit; its peak memory is the child's own
`ru_maxrss`, read from `os.wait4` for that one child. Each command runs once unmeasured first
(page cache, bytecode), except that a warm-up slower than `KEEP_WARMUP_SECONDS` is kept as a
run, because start-up noise is negligible at that length. Children write bytecode even under
PYTHONDONTWRITEBYTECODE (as an installed package has it), and share a plan cache (see
`liuxia_tracker.plan.cache`) of this run's own, which starts empty: the warm-up fills it, and
`record` is also measured with the cache off. Figures are medians. The floor is
the same record lines decoded with `json.loads` (line[2:] of each `- {...}` line) in a child
Python process, measured the same way in the same run; every figure is also given as a ratio
to the floor of its data. Missing data sets are generated first (benchmarks/generate.py).

Commands that the installed tracker does not have (see `tracker --help`) are reported as
"not available". Standard library plus the project only.
"""

from __future__ import annotations

import argparse
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
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
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
GIB_KIB = 1024 * 1024

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

# The record appended by the `record` benchmark: a correction of a rate, which no rule forbids.
RECORD_VALUES = {"district": "d001", "target": "gdp_growth", "period": "2023-Q1", "value": "6"}


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
    floor: str | None  # the name of the floor measurement this one is compared with
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


# The environment of every child: this one's, except that bytecode is written (the warm-up
# run writes it, as installing a package would; PYTHONDONTWRITEBYTECODE would have every run
# compile the project from source), and the plan cache is a folder of this run's own, so
# every run of the runner starts cold (the warm-up run fills it).
CHILD_ENVIRONMENT = {
    name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"
}


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


def measure(
    result: Result,
    command: Sequence[str] | Callable[[int], Sequence[str]],
    runs: int,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
) -> Result:
    """Warm up, then run `command` until `runs` samples are kept. A callable command is given
    the run's number (0 for the warm-up), for commands that must differ on every run."""

    def argv(number: int) -> Sequence[str]:
        return command(number) if callable(command) else command

    sample, stdout, stderr = run_once(argv(0), cwd, env)
    result.warmup_kept = sample.seconds > KEEP_WARMUP_SECONDS
    kept = [sample] if result.warmup_kept else []
    if sample.returncode != 0:
        result.status = "failed"
        first = (stderr.strip() or stdout.strip()).splitlines()[:1]
        result.note = f"exit {sample.returncode}: {first[0] if first else ''}".strip()
        result.samples = [sample]
        return result
    while len(kept) < runs:
        sample, _stdout, stderr = run_once(argv(len(kept) + 1), cwd, env)
        if sample.returncode != 0:
            result.status = "failed"
            result.note = f"exit {sample.returncode} on a later run: {stderr.strip()[:200]}"
        kept.append(sample)
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
    help_text: str, data_dir: Path, value: str, template: str | None
) -> list[str] | str:
    """The `tracker record` arguments for RECORD_VALUES and `value`, read from its usage line
    (`Usage: tracker record [OPTIONS] {district} {target} [period] [value]`), or why not.

    `template`, when given, is used instead: a command line after `tracker` with the
    placeholders {data}, {district}, {target}, {period} and {value}.
    """
    values = {**RECORD_VALUES, "value": value, "data": str(data_dir)}
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
    stamp = generate.stamp_for(
        size.records, generate.DEFAULT_DISTRICTS, generate.DEFAULT_TARGETS, generate.DEFAULT_SEED
    )
    if not generate.is_current(directory, stamp):
        print(f"generating {size.label} ({size.records:,} records)…", file=sys.stderr)
        # In a child: generating here would grow this process, and the peak memory of every
        # child forked from it afterwards counts what it inherited.
        script = Path(__file__).resolve().parent / "generate.py"
        subprocess.run([sys.executable, str(script), "--sizes", size.label], check=True)
    return directory


def copy_for_append(source: Path, district: str) -> Path:
    """A data directory that shares every file with `source` (hard links) except the plan and
    the figure file appended to, which are copied, so appends never touch the original."""
    copy = source.parent / f".record-{source.name}"
    if copy.exists():
        shutil.rmtree(copy)
    (copy / "figures").mkdir(parents=True)
    shutil.copy2(source / "targets.yaml", copy / "targets.yaml")
    for path in (source / "figures").iterdir():
        if path.stem == district:
            shutil.copy2(path, copy / "figures" / path.name)
        else:
            os.link(path, copy / "figures" / path.name)
    return copy


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
    }


def run(sizes: list[generate.Size], runs: int, record_template: str | None) -> list[Result]:
    commands = tracker_commands()
    results: list[Result] = []
    python = sys.executable

    def floor(size: str, data_dir: Path, records: int | None) -> Result:
        result = Result("floor: json.loads of the record lines", size, records, None)
        measure(result, [python, "-c", FLOOR_SCRIPT, str(data_dir)], runs)
        return result

    def unavailable(name: str, size: str, records: int | None, floor_name: str) -> Result:
        return Result(name, size, records, floor_name, "not available", "not in `tracker --help`")

    shipped_floor = floor("shipped", SHIPPED_DATA, None)
    results.append(shipped_floor)
    results.append(
        measure(
            Result("tracker --version", "", None, shipped_floor.size),
            [str(TRACKER), "--version"],
            runs,
        )
    )
    if "status" in commands:
        results.append(
            measure(
                Result("tracker status", "shipped", None, "shipped"), [str(TRACKER), "status"], runs
            )
        )
    else:
        results.append(unavailable("tracker status", "shipped", None, "shipped"))
    for size in sizes:
        data_dir = ensure_data(size)
        results.append(floor(size.label, data_dir, size.records))
        for name in ("check", "status"):
            title = f"tracker {name}"
            if name not in commands:
                results.append(unavailable(title, size.label, size.records, size.label))
                continue
            if name == "check":
                argv = [str(TRACKER), "check", str(data_dir)]
                env = None
            elif has_option(commands[name], "--data"):
                argv, env = [str(TRACKER), name, "--data", str(data_dir)], None
            else:
                argv, env = [str(TRACKER), name], {"TRACKER_DATA": str(data_dir)}
            results.append(
                measure(Result(title, size.label, size.records, size.label), argv, runs, env=env)
            )
    if sizes:
        largest = max(sizes, key=lambda size: size.records)
        results.append(measure_record(commands, largest, runs, record_template))
        results.append(measure_record(commands, largest, runs, record_template, cached=False))
    return results


def measure_record(
    commands: dict[str, str],
    size: generate.Size,
    runs: int,
    template: str | None,
    cached: bool = True,
) -> Result:
    """Append one record per run to a copy of the data; each run a new value, so each run is a
    revision that is really written (the same value again would be a no-op).

    `cached=False` turns the plan cache off (TRACKER_NO_CACHE=1): what the first `record`
    after a change to the plan costs.
    """
    name = "tracker record (one append)" if cached else "tracker record (plan not cached)"
    result = Result(name, size.label, size.records, size.label)
    if "record" not in commands and template is None:
        result.status, result.note = "not available", "not in `tracker --help`"
        return result
    source = generate.OUT_DIR / size.label
    district = RECORD_VALUES["district"]
    help_text = commands.get("record", "")
    probe = record_argv(help_text, source, RECORD_VALUES["value"], template)
    if isinstance(probe, str):
        result.status, result.note = "not available", probe
        return result
    copy = copy_for_append(source, district)
    try:

        def argv(number: int) -> Sequence[str]:
            value = f"{float(RECORD_VALUES['value']) + (number + 1) / 100:.2f}"
            made = record_argv(help_text, copy, value, template)
            assert not isinstance(made, str)
            return made

        figure_file = copy / "figures" / f"{district}.yaml"
        lines_before = figure_file.read_bytes().count(b"\n")
        measure(result, argv, runs, env=None if cached else {"TRACKER_NO_CACHE": "1"})
        appended = figure_file.read_bytes().count(b"\n") - lines_before
        expected = len(result.samples) + (0 if result.warmup_kept else 1)
        if result.status == "ok" and appended != expected:
            result.note = f"{appended} lines appended in {expected} runs"
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    return result


# -- report --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Goal:
    text: str
    measured: str
    met: bool | None  # None: not measured


def ratio_to_floor(result: Result, results: list[Result]) -> float | None:
    floor = next(
        (r for r in results if r.name.startswith("floor") and r.size == result.floor), None
    )
    if floor is None or floor is result or floor.median is None or result.median is None:
        return None
    if result.status != "ok":
        return None
    return result.median / floor.median


def find(results: list[Result], name: str, size: str) -> Result | None:
    return next((r for r in results if r.name == name and r.size == size), None)


def goals(results: list[Result], sizes: list[generate.Size]) -> list[Goal]:
    found: list[Goal] = []

    def seconds_goal(text: str, result: Result | None, limit: float) -> None:
        if result is None or result.status != "ok" or result.median is None:
            found.append(Goal(text, result.status if result else "not measured", None))
            return
        found.append(Goal(text, f"{result.median * 1000:.0f} ms", result.median <= limit))

    def floor_goal(text: str, result: Result | None, limit: float) -> None:
        ratio = ratio_to_floor(result, results) if result else None
        if ratio is None:
            found.append(Goal(text, result.status if result else "not measured", None))
            return
        found.append(Goal(text, f"{ratio:.1f} × floor", ratio <= limit))

    seconds_goal("tracker --version ≤ 100 ms", find(results, "tracker --version", ""), 0.100)
    seconds_goal(
        "tracker status (shipped) ≤ 250 ms", find(results, "tracker status", "shipped"), 0.250
    )
    million = next((size.label for size in sizes if size.records == MILLION), None)
    if million is None:
        found.append(Goal("1M-record goals", "1m not measured", None))
    else:
        floor_goal("status 1M ≤ 3 × floor", find(results, "tracker status", million), 3)
        floor_goal("check 1M ≤ 5 × floor", find(results, "tracker check", million), 5)
        for name in ("tracker check", "tracker status"):
            result = find(results, name, million)
            peak = result.peak_kib if result and result.status == "ok" else None
            text = f"{name.split()[1]} 1M peak memory ≤ 1 GiB"
            if peak is None:
                found.append(Goal(text, result.status if result else "not measured", None))
            else:
                found.append(Goal(text, f"{peak / 1024:.0f} MiB", peak <= GIB_KIB))
        seconds_goal(
            "record on 1M ≤ 250 ms", find(results, "tracker record (one append)", million), 0.250
        )
    ordered = sorted(sizes, key=lambda size: size.records)
    for smaller, larger in itertools.pairwise(ordered):
        growth = larger.records / smaller.records
        for name in ("tracker check", "tracker status"):
            small, large = find(results, name, smaller.label), find(results, name, larger.label)
            text = f"{name.split()[1]} {smaller.label} → {larger.label}: ≤ about {growth:g} × time"
            if not (small and large and small.median and large.median) or "ok" not in (
                small.status,
                large.status,
            ):
                found.append(Goal(text, "not measured", None))
                continue
            times = large.median / small.median
            found.append(Goal(text, f"{times:.1f} ×", times <= growth * 1.1))
    return found


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def text_report(info: dict[str, Any], runs: int, results: list[Result], found: list[Goal]) -> str:
    lines = [
        f"{info['tracker']} on {info['nproc']} CPU ({info['cpu']}), {info['memory_gib']} GiB, "
        f"Python {info['python']}; median of {runs} runs",
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
            f"{(peak / 1024 if peak else 0):>9.0f} "
            f"{(f'{ratio:.1f}' if ratio is not None else ''):>8}"
        )
        if result.status == "failed" or result.note:
            label = "failed" if result.status == "failed" else "note"
            lines.append(f"{'':<4}{label}: {result.note}")
    lines += ["", "goals"]
    for goal in found:
        verdict = {True: "met", False: "MISSED", None: "-"}[goal.met]
        lines.append(f"  {goal.text:<48} {goal.measured:>16}  {verdict}")
    return "\n".join(lines) + "\n"


def json_report(info: dict[str, Any], runs: int, results: list[Result], found: list[Goal]) -> str:
    payload = {
        "machine": info,
        "runs": runs,
        "results": [
            {
                "name": r.name,
                "data": r.size,
                "records": r.records,
                "status": r.status,
                "note": r.note,
                "median_seconds": r.median,
                "seconds": [s.seconds for s in r.samples],
                "peak_kib": r.peak_kib,
                "ratio_to_floor": ratio_to_floor(r, results),
            }
            for r in results
        ],
        "goals": [asdict(goal) for goal in found],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=None,
        help=f"comma-separated sizes (default: {','.join(DEFAULT_SIZES)})",
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
    with tempfile.TemporaryDirectory(prefix="tracker-plan-cache-") as cache:
        CHILD_ENVIRONMENT["XDG_CACHE_HOME"] = cache
        results = run(sizes, options.runs, options.record_args)
    found = goals(results, sizes)
    report = json_report if options.json else text_report
    sys.stdout.write(report(info, options.runs, results, found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
