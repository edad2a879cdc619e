"""The goals of the benchmarks judged from measured rows, and the runner's report (a table or
JSON). Judging reads only `Result`s: nothing here runs a command."""

from __future__ import annotations

import itertools
import json
from dataclasses import asdict, dataclass
from typing import Any

import generate
from results import (
    CHECK,
    CHECK_COLD,
    DUCKDB,
    FLOOR,
    GIB_KIB,
    IMPORT_FLOOR,
    MIB_KIB,
    MILLION,
    RECORD,
    SCALE_RECORDS,
    STATUS,
    STATUS_AFTER_RECORD,
    STATUS_COLD,
    STATUS_WARM,
    VERSION,
    Result,
)


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
