"""The status memo gives back, byte for byte, what `tracker status` prints with every cache off,
and only for the same plan, logs, day and options: a change to any of them is a new report."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import SEED, run_cli
from liuxia_tracker.commands import status_memo

BUILT: list[int] = []


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped data, a cache of this test's own, and a count of the reports
    built (not given back by the memo)."""
    root = tmp_path / "data"
    shutil.copytree(SEED, root)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKER_DATA", raising=False)
    monkeypatch.delenv("TRACKER_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    built = status_memo.build_status

    def counted(*args: Any, **kwargs: Any) -> Any:
        BUILT.append(1)
        return built(*args, **kwargs)

    monkeypatch.setattr(status_memo, "build_status", counted)
    BUILT.clear()
    return root


def _shown(*args: str, env: dict[str, str | None] | None = None) -> tuple[int, str, str]:
    result = run_cli("status", "--data", "data", *args, env=env)
    return result.exit_code, result.stdout, result.stderr


def _afresh(*args: str, env: dict[str, str | None] | None = None) -> tuple[int, str, str]:
    return _shown("--no-cache", *args, env=env)


FORMATS = [
    ("--format", "plain"),
    ("--format", "csv", "--lang", "zh"),
    ("--format", "json", "--sort", "name"),
    ("--format", "markdown", "--group", "经济指标"),
    ("--format", "html", "--status", "behind,on_track"),
    ("--format", "table", "--lang", "en"),
]


@pytest.mark.parametrize("options", FORMATS)
def test_a_warm_report_is_given_back_as_the_report_without_caches(
    data: Path, options: tuple[str, ...]
) -> None:
    args = ("--as-of", "2023-06-30", *options)
    expected = _afresh(*args)
    assert expected[1] and BUILT == [1]
    assert _shown(*args) == expected  # built and stored
    assert _shown(*args) == expected  # given back
    assert _shown(*args) == expected
    assert BUILT == [1, 1]
    assert len(list((data.parent / "cache" / "liuxia-tracker" / "status").glob("*.json"))) == 1


def test_the_exit_code_and_the_notices_are_given_back_too(data: Path) -> None:
    with (data / "figures" / "lixia.yaml").open("a", encoding="utf-8") as log:
        log.write('- {"target": "no_such_target", "period": "2023-05", "value": 1}\n')
    args = ("--as-of", "2023-06-30", "--format", "csv", "--fail-on", "behind,stale")
    expected = _afresh(*args)
    assert expected[0] == 1
    assert "1 problem in the figure files was skipped" in expected[2]
    assert _shown(*args) == expected
    assert _shown(*args) == expected
    assert _shown("--as-of", "2023-06-30", "--format", "csv", "--fail-on", "missed")[0] == 0
    none = ("--as-of", "2023-06-30", "--format", "csv", "--status", "missed")
    assert _shown(*none) == _shown(*none) == _afresh(*none)
    assert "no target matches" in _afresh(*none)[2]
    assert len(BUILT) == 5  # each --fail-on from one entry; the empty report stored too


def _append(data: Path) -> None:
    with (data / "figures" / "lixia.yaml").open("a", encoding="utf-8") as log:
        log.write('- {"target": "gdp_growth", "period": "2023-Q2", "value": 4.1}\n')


def _edit_plan(data: Path) -> None:
    plan = data / "targets.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")


def _drop_log(data: Path) -> None:
    (data / "figures" / "zhangqiu.yaml").unlink()


def _other_suffix(data: Path) -> None:
    log = data / "figures" / "zhangqiu.yaml"
    log.rename(log.with_suffix(".yml"))


CHANGES: list[tuple[str, Callable[[Path], None] | None, tuple[str, ...]]] = [
    ("a record appended", _append, ()),
    ("the plan edited", _edit_plan, ()),
    ("a log removed", _drop_log, ()),
    ("a log renamed", _other_suffix, ()),
    ("another day", None, ("--as-of", "2023-09-30")),
    ("another format", None, ("--format", "json")),
    ("another language", None, ("--lang", "zh")),
    ("another order", None, ("--sort", "variance")),
    ("a district", None, ("lixia",)),
    ("a group", None, ("--group", "经济指标")),
    ("every district named", None, ("lixia", "zhangqiu")),
    ("a status", None, ("--status", "behind")),
    ("colour", None, ("--format", "table", "--lang", "en")),
]


@pytest.mark.parametrize(("what", "change", "options"), CHANGES, ids=[c[0] for c in CHANGES])
def test_a_change_to_anything_the_report_depends_on_is_a_new_report(
    data: Path, what: str, change: Callable[[Path], None] | None, options: tuple[str, ...]
) -> None:
    base = ("--as-of", "2023-06-30", "--format", "csv", "--lang", "en")
    if what == "colour":
        base = ("--as-of", "2023-06-30", "--format", "table", "--lang", "en")
    _shown(*base)
    before = _shown(*base)
    assert before[1] and len(BUILT) == 1
    if change is not None:
        change(data)
    args = (*base, *options)
    env: dict[str, str | None] | None = {"FORCE_COLOR": "1"} if what == "colour" else None
    expected = _afresh(*args, env=env)
    assert _shown(*args, env=env) == expected
    assert len(BUILT) == 3  # built again, not given back
    assert _shown(*args, env=env) == expected
    assert len(BUILT) == 3
    if what not in ("the plan edited", "a log renamed", "another order", "every district named"):
        assert expected[1] != before[1]  # the output the change made is not the old one


def test_a_log_no_district_reads_is_never_stored(data: Path) -> None:
    (data / "figures" / "nowhere.yaml").write_text("- {target: x\n", encoding="utf-8")
    args = ("--as-of", "2023-06-30", "--format", "csv")
    expected = _afresh(*args)
    assert "problem" in expected[2]
    assert _shown(*args) == _shown(*args) == expected
    assert len(BUILT) == 3
    assert not list((data.parent / "cache" / "liuxia-tracker" / "status").glob("*.json"))


def test_a_cut_off_import_is_refused_before_the_memo(data: Path) -> None:
    args = ("--as-of", "2023-06-30", "--format", "csv")
    _shown(*args)
    (data / "figures" / ".import-1.journal").write_bytes(b"")  # no writer holds it
    code, out, err = _shown(*args)
    assert (code, out) == (1, "")
    assert "an import was cut off before it finished" in err
