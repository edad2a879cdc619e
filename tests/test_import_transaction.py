"""An import is one transaction across every log it touches (`log.transaction`): killed with
SIGKILL at any point, or cut short by a full disk, every file afterwards holds all of the
import's rows or none (once `tracker repair` has rolled a cut-off import back), and `check`
is clean. Until the roll-back, every other command refuses to go on."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import SHARED_PLAN, run_cli
from liuxia_tracker.log import append as append_module
from liuxia_tracker.log import transaction

fork = multiprocessing.get_context("fork")
DISTRICTS = ("east", "west")


def import_csv(rows_per_district: int, note_size: int = 40, first: int = 0) -> str:
    """A daily rate figure per district for as many days (never refused: each day once, under
    ten times the target), each with a long note."""
    lines = ["district,target,period,value,note"]
    for district in DISTRICTS:
        for number in range(first, first + rows_per_district):
            day = date(2023, 1, 1) + timedelta(days=number % 365)
            value = f"{number % 59}.{number % 10}"
            lines.append(f"{district},daily,{day},{value},{number}:" + "n" * note_size)
    return "\n".join(lines) + "\n"


# The shared case plan, and a daily rate in each district for imports of many distinct rows.
DAILY = """
      - id: daily
        name: 日监测
        group: 经济指标
        kind: rate
        value: 6
        unit: "%"
        cadence: day
"""


def plan_text() -> str:
    text = SHARED_PLAN.read_text(encoding="utf-8")
    for district in DISTRICTS:
        marker = f"  - id: {district}\n"
        head, tail = text.split(marker, 1)
        body, _, rest = tail.partition("    targets:\n")
        text = head + marker + body + "    targets:\n" + DAILY.lstrip("\n") + "\n" + rest
    return text


def make_data(root: Path) -> Path:
    (root / "figures").mkdir(parents=True)
    (root / "targets.yaml").write_text(plan_text(), encoding="utf-8")
    return root


def seed_figures(data: Path) -> dict[str, bytes]:
    """Each district's file holds one import already, so a roll-back has something to keep."""
    (data.parent / "first.csv").write_text(import_csv(3), encoding="utf-8")
    result = run_cli("import", str(data.parent / "first.csv"), "--data", str(data))
    assert result.exit_code == 0, result.output
    return logs(data)


def logs(data: Path) -> dict[str, bytes]:
    return {d: (data / "figures" / f"{d}.yaml").read_bytes() for d in DISTRICTS}


def assert_all_or_none(data: Path, before: dict[str, bytes], rows: int) -> str:
    """Every file holds exactly its content before, or that plus all of the import's rows;
    the same for every file. Returns which."""
    after = logs(data)
    outcomes = set()
    for district in DISTRICTS:
        if after[district] == before[district]:
            outcomes.add("none")
        else:
            assert after[district].startswith(before[district])
            added = after[district][len(before[district]) :].decode("utf-8")
            assert added.count("\n") == rows and added.endswith("\n")
            outcomes.add("all")
    assert len(outcomes) == 1, f"a half-done import: {outcomes}"
    check = run_cli("check", "--data", str(data))
    assert check.exit_code == 0, check.output
    return outcomes.pop()


def kill_self(*_: Any, **__: Any) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def after(original: Callable[..., Any], calls: int) -> Callable[..., Any]:
    """`original`, except that the process dies right after its `calls`-th call."""
    count = [0]

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        count[0] += 1
        if count[0] == calls:
            kill_self()
        return result

    return wrapped


def half_then_die(self: Any, text: str) -> int:
    """The second file's append cut off half-way, as a kill in the middle of a write."""
    data = text.encode("utf-8")
    os.write(self.fileno(), data[: len(data) // 2])
    kill_self()
    return 0


CRASH_POINTS: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "after the locks, before the journal": lambda patch: patch.setattr(
        transaction, "_write_journal", kill_self
    ),
    "journal written, not yet renamed": lambda patch: patch.setattr(
        transaction.os, "rename", kill_self
    ),
    "journal in place, nothing appended": lambda patch: patch.setattr(
        transaction, "sync_directory", after(transaction.sync_directory, 1)
    ),
    "between the first and second file's append": lambda patch: patch.setattr(
        append_module.LockedFigureFile, "append", after(append_module.LockedFigureFile.append, 1)
    ),
    "in the middle of the second file's append": lambda patch: patch.setattr(
        append_module.LockedFigureFile,
        "append",
        _first_then(append_module.LockedFigureFile.append, half_then_die),
    ),
    "every append durable, journal not removed": lambda patch: patch.setattr(
        transaction, "_remove_journal", kill_self
    ),
    "journal removed, locks still held": lambda patch: patch.setattr(
        transaction, "_remove_journal", after(transaction._remove_journal, 1)
    ),
}


def _first_then(first: Callable[..., Any], then: Callable[..., Any]) -> Callable[..., Any]:
    count = [0]

    def wrapped(*args: Any) -> Any:
        count[0] += 1
        return first(*args) if count[0] == 1 else then(*args)

    return wrapped


def _import_in_child(data: str, csv: str, point: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        CRASH_POINTS[point](patch)
        run_cli("import", csv, "--data", data)
    os._exit(3)  # the crash point was never reached


@pytest.mark.parametrize("point", list(CRASH_POINTS))
def test_a_kill_at_each_point_of_the_protocol_leaves_all_rows_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("USER", "tester")
    data = make_data(tmp_path / "data")
    before = seed_figures(data)
    csv = tmp_path / "second.csv"
    csv.write_text(import_csv(40, first=100), encoding="utf-8")
    child = fork.Process(target=_import_in_child, args=(str(data), str(csv), point))
    child.start()
    child.join(60)
    assert child.exitcode == -signal.SIGKILL
    journals = transaction.journals_in(data / "figures")
    if journals:  # a cut-off import: every command but repair refuses until it is rolled back
        for command in (
            ["check", "--data", str(data)],
            ["status", "--data", str(data)],
            ["history", "east", "gdp", "--data", str(data)],
            ["record", "east", "gdp", "2023-Q1", "1", "--data", str(data)],
            ["import", str(csv), "--data", str(data)],
        ):
            refused = run_cli(*command)
            assert refused.exit_code == 1, (command, refused.output)
            assert "run `tracker repair`" in refused.stderr
        assert logs(data) != before or point != "between the first and second file's append"
    repaired = run_cli("repair", "--data", str(data))
    assert repaired.exit_code == 0, repaired.output
    assert transaction.journals_in(data / "figures") == []
    assert not [p for p in (data / "figures").iterdir() if p.name.startswith(".")]
    outcome = assert_all_or_none(data, before, 40)
    expected = "all" if point == "journal removed, locks still held" else "none"
    assert outcome == expected
    if outcome == "none":  # the import can then be made again
        again = run_cli("import", str(csv), "--data", str(data))
        assert again.exit_code == 0, again.output
        assert assert_all_or_none(data, before, 40) == "all"


def _journal_appears(folder: Path, deadline: float) -> bool:
    while time.monotonic() < deadline:
        if any(name.startswith((".import-", ".writing-import-")) for name in os.listdir(folder)):
            return True
    return False


@pytest.mark.slow
def test_an_import_killed_at_random_moments_of_its_writes_leaves_all_rows_or_none(
    tmp_path: Path,
) -> None:
    """A real `tracker import` of two large districts, killed with SIGKILL a random moment
    (0-8 ms) after its journal appears: the window in which its files are written."""
    moments = random.Random(20230712)
    csv = tmp_path / "big.csv"
    rows = 300
    csv.write_text(import_csv(rows, note_size=10_000, first=1000), encoding="utf-8")
    outcomes = {"all": 0, "none": 0}
    environment = {**os.environ, "USER": "tester"}
    for run in range(5):
        data = make_data(tmp_path / f"run{run}" / "data")
        before = {d: b"" for d in DISTRICTS}
        for district in DISTRICTS:
            (data / "figures" / f"{district}.yaml").write_bytes(b"")
        process = subprocess.Popen(
            [sys.executable, "-m", "liuxia_tracker", "import", str(csv), "--data", str(data)],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            if _journal_appears(data / "figures", time.monotonic() + 60):
                time.sleep(moments.uniform(0, 0.008))
            process.send_signal(signal.SIGKILL)
        finally:
            process.wait()
        repaired = subprocess.run(
            [sys.executable, "-m", "liuxia_tracker", "repair", "--data", str(data)],
            env=environment,
            capture_output=True,
            check=False,
        )
        assert repaired.returncode == 0, repaired.stderr
        outcomes[_outcome_at(tmp_path / f"run{run}", data, before, rows)] += 1
    print(outcomes)
    assert outcomes["none"] > 0  # the kills landed inside the transaction


def _outcome_at(folder: Path, data: Path, before: dict[str, bytes], rows: int) -> str:
    with _working_directory(folder):
        return assert_all_or_none(data, before, rows)


@contextlib.contextmanager
def _working_directory(folder: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(old)


# -- a full disk -----------------------------------------------------------------------------


@contextlib.contextmanager
def small_filesystem(folder: Path, size: str) -> Iterator[bool]:
    """A tmpfs of `size` mounted at `folder`, when this process may mount one."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave: int) -> None:
    """Fill the file system of `folder` until about `leave` bytes are free."""
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    with open(folder / "ballast", "wb") as ballast, contextlib.suppress(OSError):
        ballast.write(b"\0" * max(0, free - leave))


def test_an_import_on_a_full_disk_writes_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second district's write fails for want of space: the first district's rows, already
    appended and synced, are rolled back too, and the import says so (exit 1)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("USER", "tester")
    csv = tmp_path / "second.csv"
    csv.write_text(import_csv(300, note_size=200, first=100), encoding="utf-8")
    with small_filesystem(tmp_path / "disk", "1m") as mounted:
        data = make_data(tmp_path / "disk" / "data")
        before = seed_figures(data)
        if mounted:
            fill(tmp_path / "disk", leave=80 * 1024)  # room for one district's rows, not two
        else:  # no tmpfs here: the fault is injected where the tool meets the OS
            real_write = os.write
            calls = [0]

            def short_second_append(fd: int, data: bytes) -> int:
                if len(data) > 10_000:
                    calls[0] += 1
                    if calls[0] == 2:
                        return real_write(fd, data[: len(data) // 3])
                return real_write(fd, data)

            monkeypatch.setattr(append_module.os, "write", short_second_append)
        result = run_cli("import", str(csv), "--data", str(data))
        assert result.exit_code == 1, result.output
        assert "rolled back" in result.stderr
        monkeypatch.undo()
        monkeypatch.chdir(tmp_path)
        if mounted:
            (tmp_path / "disk" / "ballast").unlink()
        assert transaction.journals_in(data / "figures") == []
        assert assert_all_or_none(data, before, 300) == "none"


@pytest.mark.parametrize(
    "journal",
    [
        b"",
        b"{",
        b'{"files": 3}',
        b"[" * 1000 + b"]" * 1000,
        b'{"files": [{"file": "../x", "size": 1}]}',
    ],
)
def test_a_journal_the_tool_did_not_write_is_refused_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, journal: bytes
) -> None:
    # Found by the long fuzz run: a journal nested 1,000 deep made `repair` raise RecursionError.
    monkeypatch.chdir(tmp_path)
    data = make_data(tmp_path / "data")
    (data / "figures" / ".import-1-fuzz.journal").write_bytes(journal)
    repaired = run_cli("repair", "--data", str(data))
    assert repaired.exception is None or isinstance(repaired.exception, SystemExit)
    assert repaired.exit_code == 1, repaired.output
    assert "move it aside" in repaired.stderr
