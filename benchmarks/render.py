"""Time `tracker status` rendering alone: each output format of one report, in this process.

    python benchmarks/render.py                       # 10k data (150 × 60 = 9,000 rows), 5 runs
    python benchmarks/render.py --data benchmarks/out/1m --as-of 2023-12-31
    python benchmarks/render.py --formats table,plain --runs 9 --json

Method: the report is computed once, untimed, the way `tracker status` computes it
(`commands.status.build_status`: every district, sorted worst first); then each format renders
it once unmeasured (imports, caches of the first call) and `--runs` times measured, by
`time.perf_counter` (wall clock) and `time.process_time` (CPU) around the renderer call alone.
Figures are medians; on a machine shared with other work the CPU seconds are the steadier.
`table` is the table as a pipe or a file gets it (`tracker status -f table > report.txt`: as
wide as it needs, no colour); `table@W` is the table on a terminal W cells wide, in colour.
Every measured run must give the same text; its SHA-256 is printed, so two versions of the
renderers can be shown to give byte-identical output on the same data.

Without `--data`, the 10k data set of benchmarks/generate.py is used (generated first when
missing or out of date): 150 districts × 60 targets, the first week of the year. Standard
library plus the project only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # the generator beside this file

from liuxia_tracker.commands.dataset import DataDir
from liuxia_tracker.commands.status import Filters, SortKey, build_status
from liuxia_tracker.engine.rows import Report
from liuxia_tracker.i18n import Language
from liuxia_tracker.render.formats import OutputFormat, render_report

DEFAULT_SIZE = "10k"
DEFAULT_AS_OF = date(generate.YEAR, 6, 30)
DEFAULT_FORMATS = ("table", "table@120", "plain", "markdown", "csv", "json", "html")


@dataclass(frozen=True, slots=True)
class Case:
    """One way of rendering: a format, and for the table a terminal width and colour."""

    name: str
    output_format: OutputFormat
    width: int | None = None
    color: bool = False

    def render(self, report: Report, lang: Language) -> str:
        return render_report(report, self.output_format, lang, color=self.color, width=self.width)


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    seconds: list[float]  # wall clock
    cpu_seconds: list[float]  # this process's CPU time
    characters: int
    lines: int
    sha256: str

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_seconds)


def parse_case(text: str) -> Case:
    """`table`, `plain`, … or `table@W`: the table on a terminal W cells wide, in colour."""
    name, _, width = text.strip().partition("@")
    try:
        output_format = OutputFormat(name)
    except ValueError:
        choices = ", ".join(member.value for member in OutputFormat)
        raise ValueError(f"unknown format {name!r}; choose from {choices}") from None
    if not width:
        return Case(name, output_format)
    if output_format is not OutputFormat.TABLE or not width.isdigit() or int(width) < 1:
        raise ValueError(f"{text!r}: only the table takes a width, table@W with W ≥ 1")
    return Case(f"{name}@{width}", output_format, int(width), color=True)


def ensure_data(label: str) -> Path:
    """The generator's data set of that size, generated first (in a child) when missing or
    out of date."""
    size = generate.parse_size(label)
    directory = generate.OUT_DIR / size.label
    stamp = generate.stamp_for(
        size.records, generate.DEFAULT_DISTRICTS, generate.DEFAULT_TARGETS, generate.DEFAULT_SEED
    )
    if not generate.is_current(directory, stamp):
        print(f"generating {size.label} ({size.records:,} records)…", file=sys.stderr)
        script = Path(__file__).resolve().parent / "generate.py"
        subprocess.run([sys.executable, str(script), "--sizes", size.label], check=True)
    return directory


def build_report(data: Path, as_of: date) -> Report:
    result = build_status(DataDir(data, shipped=False), as_of, Filters(), SortKey.STATUS)
    if result.report is None:
        problems = "\n".join(str(problem) for problem in result.diagnostics[:5])
        raise SystemExit(f"render.py: the plan in {data} has problems:\n{problems}")
    return result.report


def measure(case: Case, report: Report, lang: Language, runs: int) -> Result:
    first = case.render(report, lang)  # unmeasured: imports and first-call caches
    seconds: list[float] = []
    cpu_seconds: list[float] = []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        text = case.render(report, lang)
        seconds.append(time.perf_counter() - started)
        cpu_seconds.append(time.process_time() - cpu_started)
        if text != first:
            raise SystemExit(f"render.py: {case.name} gave different text on a later run")
    digest = hashlib.sha256(first.encode("utf-8")).hexdigest()
    return Result(case.name, seconds, cpu_seconds, len(first), first.count("\n"), digest)


def text_report(info: dict[str, object], results: list[Result]) -> str:
    lines = [
        f"{info['rows']:,} rows ({info['districts']} districts) from {info['data']}, "
        f"as of {info['as_of']}, {info['language']}; Python {info['python']}; "
        f"median of {info['runs']} runs",
        "",
        f"{'format':<12} {'median s':>9} {'min s':>8} {'max s':>8} {'cpu s':>8} {'lines':>8}  "
        "sha256",
    ]
    for result in results:
        lines.append(
            f"{result.name:<12} {result.median:>9.3f} {min(result.seconds):>8.3f} "
            f"{max(result.seconds):>8.3f} {result.cpu_median:>8.3f} {result.lines:>8,}  "
            f"{result.sha256[:16]}"
        )
    return "\n".join(lines) + "\n"


def json_report(info: dict[str, object], results: list[Result]) -> str:
    payload = {
        **info,
        "results": [
            {
                "format": result.name,
                "median_seconds": result.median,
                "seconds": result.seconds,
                "median_cpu_seconds": result.cpu_median,
                "cpu_seconds": result.cpu_seconds,
                "characters": result.characters,
                "lines": result.lines,
                "sha256": result.sha256,
            }
            for result in results
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help=f"a data directory (default: the generator's {DEFAULT_SIZE}, made when missing)",
    )
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=DEFAULT_AS_OF,
        help="the day the report is judged at (default: %(default)s)",
    )
    parser.add_argument(
        "--formats",
        default=",".join(DEFAULT_FORMATS),
        help="comma-separated: table, table@W (a terminal W cells wide, in colour), plain, "
        "markdown, csv, json, html (default: %(default)s)",
    )
    parser.add_argument(
        "--lang", choices=[member.value for member in Language], default=Language.ZH.value
    )
    parser.add_argument("--runs", type=int, default=5, help="measured runs per format")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    options = parser.parse_args(argv)
    if options.runs < 1:
        parser.error("--runs must be at least 1")
    try:
        cases = [parse_case(text) for text in options.formats.split(",") if text.strip()]
    except ValueError as error:
        parser.error(str(error))
    data = options.data if options.data is not None else ensure_data(DEFAULT_SIZE)
    if not (data / "targets.yaml").is_file():
        parser.error(f"--data: no targets.yaml in {data}")
    lang = Language(options.lang)
    report = build_report(data, options.as_of)
    results = [measure(case, report, lang, options.runs) for case in cases]
    info: dict[str, object] = {
        "data": str(data),
        "as_of": options.as_of.isoformat(),
        "language": lang.value,
        "rows": len(report.rows),
        "districts": len(report.districts),
        "runs": options.runs,
        "python": platform.python_version(),
    }
    report_text: Callable[[dict[str, object], list[Result]], str] = (
        json_report if options.json else text_report
    )
    sys.stdout.write(report_text(info, results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
