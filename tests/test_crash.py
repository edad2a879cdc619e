"""A writer killed with SIGKILL at random moments: every record it finished is intact, `check`
names a torn tail when there is one, `repair` recovers, and the next append succeeds.

A single small `os.write` to a regular file is rarely torn by SIGKILL, so the writer appends
large records (up to ~1 MB, which the kernel may cut between pages when the signal arrives);
tests/test_repair.py covers deliberately torn files at every cut point.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

import pytest

from conftest import append_figures, copy_seed_plan, run_cli
from liuxia_tracker.domain.models import Figure

RUNS = 60
fork = multiprocessing.get_context("fork")


def write_until_killed(path: str, started: multiprocessing.synchronize.Event, seed: int) -> None:
    sizes = random.Random(seed)
    started.set()
    sequence = 0
    while True:
        note = f"{sequence}:" + "写" * sizes.randint(1, 350_000)  # 3 bytes a character
        figure = Figure.model_validate(
            {"target": "gdp_growth", "period": "2023-Q1", "value": sequence, "note": note}
        )
        append_figures(Path(path), [figure])
        sequence += 1


@pytest.mark.slow
def test_a_writer_killed_at_random_moments_loses_nothing_it_finished(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    moments = random.Random(20230701)
    outcomes = {"torn": 0, "clean": 0}
    for run in range(RUNS):
        data = tmp_path / f"run{run}"
        (data / "figures").mkdir(parents=True)
        copy_seed_plan(data / "targets.yaml")
        path = data / "figures" / "lixia.yaml"
        started = fork.Event()
        writer = fork.Process(target=write_until_killed, args=(str(path), started, run))
        writer.start()
        assert started.wait(30)
        time.sleep(moments.uniform(0.001, 0.030))
        assert writer.pid is not None
        os.kill(writer.pid, signal.SIGKILL)
        writer.join(30)
        assert writer.exitcode == -signal.SIGKILL

        raw = path.read_bytes() if path.exists() else b""
        *complete, tail = raw.split(b"\n")
        for sequence, line in enumerate(complete):  # intact, in order, none missing
            record = json.loads(line[2:])
            assert record["value"] == sequence
            assert record["note"].startswith(f"{sequence}:")

        checked = run_cli("check", str(data), "--as-of", "2023-12-31")
        if tail:
            outcomes["torn"] += 1
            torn_line = len(complete) + 1
            assert checked.exit_code == 1
            assert checked.stdout.splitlines()[0].startswith(
                f"run{run}/figures/lixia.yaml:{torn_line}:1: torn-line line {torn_line} does "
                "not end with a newline"
            )
            refused = run_cli("record", "lixia", "gdp_growth", "2023-Q2", "5", "--data", str(data))
            assert refused.exit_code == 1
            assert refused.stderr == (
                f"tracker: run{run}/figures/lixia.yaml:{torn_line}: the last line is torn "
                "(no newline); run `tracker repair`\n"
            )
        else:
            outcomes["clean"] += 1
            assert checked.exit_code == 0, checked.stdout

        repaired = run_cli("repair", "--data", str(data))
        assert repaired.exit_code == 0
        if tail:
            [side] = sorted(path.parent.glob("lixia.yaml.torn-*"))
            assert side.read_bytes() == tail
        if path.exists():
            assert path.read_bytes() == b"".join(line + b"\n" for line in complete)

        appended = run_cli("record", "lixia", "gdp_growth", "2023-Q2", "5", "--data", str(data))
        assert appended.exit_code == 0, appended.stderr
        assert run_cli("check", str(data), "--as-of", "2023-12-31").exit_code == 0
    assert outcomes["torn"] + outcomes["clean"] == RUNS
