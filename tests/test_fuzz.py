"""The short run of the fuzz harness (benchmarks/fuzz.py): 1,000 mutated data sets, each
driven through a command, and nothing it counts may happen. The long run (20,000 inputs, every
input through three commands) and its last figures are in docs/reliability.md."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parents[1] / "benchmarks" / "fuzz.py"


@pytest.mark.slow
def test_a_thousand_hostile_inputs_find_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("fuzz", FUZZ)
    assert spec is not None and spec.loader is not None
    fuzz = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "fuzz", fuzz)
    spec.loader.exec_module(fuzz)
    tally = fuzz.fuzz(1000, seed=20230712, per_input=1)
    assert tally.inputs == 1000
    assert tally.found == 0, tally.examples
    assert set(tally.exit_codes) <= {0, 1, 2}
