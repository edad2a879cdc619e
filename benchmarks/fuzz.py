"""Hostile input for every command: mutated plans, logs and import files, and the file-system
oddities (links, directories, FIFOs, a second log, a cut-off import's journal) that found the
holes of issue 12. Counts what must never happen:

- a traceback (any exception but the tool's own exit),
- a hang (a command still running after --timeout seconds),
- an exit code outside 0/1/2,
- a `check` diagnostic not in the form `path:line:col: CODE message`,
- a stored byte changed by a command that refused (exit code other than 0),
- the plan changed by any command (the tool never writes it: not through a link either).

    python benchmarks/fuzz.py --inputs 20000 --seed 1     # the long run (docs/reliability.md)
    python benchmarks/fuzz.py --inputs 1000 --commands-per-input 1   # tests/test_fuzz.py

Every command runs in this process through Typer's CliRunner (fast enough for tens of
thousands of inputs); a hang is cut off by SIGALRM. Exit code 1 when anything was counted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "tests" / "cases" / "plan.yaml"

LOG = (
    '- {"target": "gdp", "period": "2023-Q1", "value": 5.1, "unit": "%", "by": "a", '
    '"recorded_at": "2023-04-20T09:00:00+08:00"}\n'
    '- {"target": "revenue", "period": "2023-03", "value": 9, "unit": "亿元", "note": "一季度"}\n'
    "# a comment\n"
    "- {target: revenue, period: 2023-04, value: 10}\n"
    "- target: area\n  period: 2023-W05\n  value: 15000\n  unit: m2\n"
    '- {"target": "visits", "period": "2023-02-D3", "value": 3, "source": "周报"}\n'
)
CSV = (
    "district,target,period,value,unit,source,note\n"
    "east,gdp,2023-Q2,5.3,%,统计局,\n"
    "west,gdp,2023-Q1,4.0,,,\n"
    "east,revenue,2023-05,11,亿元,,note\n"
)
JSONL = (
    '{"district": "east", "target": "gdp", "period": "2023-Q2", "value": 5.2}\n'
    '{"district": "west", "target": "gdp", "period": "2023-Q1", "value": 4.1, "note": "x"}\n'
)

# What hostile input is made of: each was, or is close to, a hole once found.
TOKENS = [
    "\r\n", "\r", "\n", "\t", "\x00", "\x07", "\x1b[2J", "\x7f", "\x85", "\u2028", "\u202e",
    "\ufeff", "\ud800", "#", "- ", "{", "}", "[", "]", ":", ",", '"', "'", "\\", "\\u0000",
    "&a", "*a", "!!python/object", "<<: *a", "1" * 4301, "9" * 30, "1e400", "-0", "NaN",
    "[" * 1000 + "]" * 1000, "{" * 300, "2023", "2023-Q5", "2023-02-30", '"period": 2023',
    '"value": true', "value: 6\n  value: 60", "~", "null", "亿", "万", "%", "百分点", " " * 200,
]  # fmt: skip


@dataclass
class Tally:
    inputs: int = 0
    commands: int = 0
    tracebacks: int = 0
    hangs: int = 0
    bad_exit_codes: int = 0
    unplaced_diagnostics: int = 0
    changed_by_refusal: int = 0
    plan_changed: int = 0
    exit_codes: Counter[int] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    @property
    def found(self) -> int:
        return (
            self.tracebacks
            + self.hangs
            + self.bad_exit_codes
            + self.unplaced_diagnostics
            + self.changed_by_refusal
            + self.plan_changed
        )

    def note(self, kind: str, detail: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        if len(self.examples) < 20:
            self.examples.append(f"{kind}: {detail}")


def mutate_text(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        at = rng.randint(0, len(text))
        if choice < 0.45:
            text = text[:at] + rng.choice(TOKENS) + text[at:]
        elif choice < 0.6 and text:
            end = min(len(text), at + rng.randint(1, 20))
            text = text[:at] + text[end:]
        elif choice < 0.7:
            lines = text.split("\n")
            line = rng.choice(lines)
            lines.insert(rng.randint(0, len(lines)), line)
            text = "\n".join(lines)
        elif choice < 0.8:
            text = text[:at]  # cut off, as by a crash
        elif choice < 0.9 and text:
            position = rng.randrange(len(text))
            text = text[:position] + chr(rng.randint(0, 0x3000)) + text[position + 1 :]
        else:
            text = text.replace("\n", "\r\n")
    return text


def mutate_bytes(text: str, rng: random.Random) -> bytes:
    data = bytearray(mutate_text(text, rng).encode("utf-8", errors="surrogatepass"))
    if rng.random() < 0.15 and data:
        data[rng.randrange(len(data))] = rng.randint(0x80, 0xFF)  # not UTF-8
    if rng.random() < 0.05:
        data = bytearray(b"\xff\xfe") + data
    return bytes(data)


def build_input(root: Path, rng: random.Random) -> Path:
    """A data directory with one or more things wrong, and the import files beside it."""
    data = root / "data"
    figures = data / "figures"
    figures.mkdir(parents=True)
    plan = PLAN.read_text(encoding="utf-8")
    (data / "targets.yaml").write_bytes(
        mutate_bytes(plan, rng) if rng.random() < 0.25 else plan.encode()
    )
    (figures / "east.yaml").write_bytes(
        mutate_bytes(LOG, rng) if rng.random() < 0.6 else LOG.encode()
    )
    (figures / "west.yaml").write_text(LOG.replace("visits", "gdp"), encoding="utf-8")
    (root / "rows.csv").write_bytes(mutate_bytes(CSV, rng) if rng.random() < 0.5 else CSV.encode())
    (root / "rows.jsonl").write_bytes(
        mutate_bytes(JSONL, rng) if rng.random() < 0.5 else JSONL.encode()
    )
    oddity = rng.random()
    east = figures / "east.yaml"
    if oddity < 0.03:
        east.unlink()
        east.symlink_to("../targets.yaml")
    elif oddity < 0.06:
        east.unlink()
        east.mkdir()
    elif oddity < 0.09:
        east.unlink()
        os.mkfifo(east)
    elif oddity < 0.12:
        (figures / "east.yml").write_bytes(mutate_bytes(LOG, rng))
    elif oddity < 0.14:
        shutil.rmtree(figures)
        figures.write_text("not a folder\n")
    elif oddity < 0.17:
        (figures / ".import-0-fuzz.journal").write_bytes(
            mutate_bytes('{"files": [{"file": "east.yaml", "size": 40}]}', rng)
        )
    return data


def commands(root: Path, data: Path) -> list[tuple[str, ...]]:
    d = ("--data", str(data))
    return [
        ("check", *d),
        ("check", str(data / "figures" / "east.yaml"), *d),
        ("status", "--as-of", "2023-06-30", *d),
        ("status", "--as-of", "2023-06-30", "--format", "json", *d),
        ("history", "east", "revenue", *d),
        ("history", "east", "gdp", "--format", "json", *d),
        ("record", "east", "revenue", "2023-05", "12", *d),
        ("record", "east", "gdp", "2023-Q2", "5.5", "--note", "\x1b]0;x\x07", *d),
        ("import", str(root / "rows.csv"), *d),
        ("import", str(root / "rows.jsonl"), *d),
        ("repair", *d),
        ("export", "--format", "csv", "--output", str(root / "out"), *d),
    ]


def snapshot(folder: Path) -> dict[str, bytes]:
    """The bytes of every regular file under `folder` (links and pipes by their kind)."""
    found: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            found[key] = b"link:" + os.readlink(path).encode()
        elif path.is_file():
            found[key] = path.read_bytes()
        elif path.exists() and not path.is_dir():
            found[key] = b"special"
    return found


class Hang(Exception):
    pass


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    def alarm(signum: int, frame: Any) -> None:
        raise Hang

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


PLACED = re.compile(r"^.+:\d+:\d+: [a-z0-9]+(?:-[a-z0-9]+)* \S")


def run_one(
    invoke: Callable[[list[str]], Any], args: tuple[str, ...], root: Path, tally: Tally
) -> None:
    data = root / "data"
    before = snapshot(data)
    tally.commands += 1
    label = " ".join(a for a in args if not a.startswith(str(root)))
    try:
        with deadline(TIMEOUT):
            result = invoke(list(args))
    except Hang:
        tally.note("hangs", label)
        return
    if isinstance(result.exception, Hang):  # the runner caught the alarm's exception
        tally.note("hangs", label)
        return
    code = result.exit_code
    tally.exit_codes[code] += 1
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        error = result.exception
        tally.note("tracebacks", f"{label}: {type(error).__name__}: {str(error)[:120]}")
        return
    if code not in (0, 1, 2):
        tally.note("bad_exit_codes", f"{label}: {code}")
    if args[0] == "check" and code == 1:
        for line in result.stdout.splitlines()[:-1]:
            if not PLACED.match(line):
                tally.note("unplaced_diagnostics", f"{label}: {line[:120]!r}")
                break
    after = snapshot(data)
    if after.get("targets.yaml") != before.get("targets.yaml"):
        tally.note("plan_changed", f"{label} (exit {code})")
    if code != 0 and args[0] != "export" and after != before:
        tally.note("changed_by_refusal", f"{label} (exit {code})")


TIMEOUT = 10.0


def fuzz(inputs: int, seed: int, per_input: int = 3, progress: bool = False) -> Tally:
    os.environ.setdefault("USER", "fuzz")
    os.environ.pop("TRACKER_DATA", None)
    saved = {"XDG_CACHE_HOME": os.environ.get("XDG_CACHE_HOME")}
    import typer.testing
    from typer.testing import CliRunner

    from liuxia_tracker.cli import app

    runner = CliRunner()
    # Typer builds the command from the functions' signatures on every invoke (~0.2 s): build
    # it once, and let the runner hand it out.
    command = typer.testing._get_command(app)
    build = typer.testing._get_command
    typer.testing._get_command = lambda _: command
    try:
        return _fuzz(runner, app, inputs, seed, per_input, progress)
    finally:
        typer.testing._get_command = build
        for name in ("XDG_CACHE_HOME",):
            if saved.get(name) is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = saved[name]


def _fuzz(runner: Any, app: Any, inputs: int, seed: int, per_input: int, progress: bool) -> Tally:

    def invoke(args: list[str]) -> Any:
        return runner.invoke(app, args)

    rng = random.Random(seed)
    tally = Tally()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="tracker-fuzz-") as scratch:
        os.environ["XDG_CACHE_HOME"] = str(Path(scratch) / "cache")
        for number in range(inputs):
            root = Path(scratch) / f"input{number}"
            data = build_input(root, rng)
            tally.inputs += 1
            every = commands(root, data)
            chosen = rng.sample(every, per_input)
            for args in chosen:
                run_one(invoke, args, root, tally)
            shutil.rmtree(root, ignore_errors=True)
            if progress and number % 500 == 499:
                elapsed = time.monotonic() - started
                print(f"{number + 1} inputs, {tally.found} found, {elapsed:.0f} s", file=sys.stderr)
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--commands-per-input", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    started = time.monotonic()
    tally = fuzz(
        options.inputs, options.seed, options.commands_per_input, progress=not options.json
    )
    summary = {
        "inputs": tally.inputs,
        "commands": tally.commands,
        "seconds": round(time.monotonic() - started, 1),
        "tracebacks": tally.tracebacks,
        "hangs": tally.hangs,
        "bad_exit_codes": tally.bad_exit_codes,
        "unplaced_diagnostics": tally.unplaced_diagnostics,
        "changed_by_refusal": tally.changed_by_refusal,
        "plan_changed": tally.plan_changed,
        "exit_codes": dict(sorted(tally.exit_codes.items())),
        "examples": tally.examples,
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 1 if tally.found else 0


if __name__ == "__main__":
    sys.exit(main())
