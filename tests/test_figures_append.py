"""Tests for writing the figure log: the canonical line, locked appends, the torn-tail refusal,
and finding one target's records without parsing the file (`liuxia_tracker.log.figures`)."""

from __future__ import annotations

import fcntl
import json
import math
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import append_figures, append_text
from liuxia_tracker.domain.models import Figure
from liuxia_tracker.domain.units import number_text
from liuxia_tracker.log.append import (
    TornTailError,
    WriteError,
    locked_for_append,
    locked_for_reading,
)
from liuxia_tracker.log.canonical import canonical_line
from liuxia_tracker.log.figures import parse_figures, read_figure_file
from liuxia_tracker.log.search import LineRef, find_target_lines, line_numbers, record_at

GDP_Q1 = '- {"target": "gdp_growth", "period": "2023-Q1", "value": 5.1, "unit": "%"}\n'


def gdp(value: float = 5.1, period: str = "2023-Q1", **extra: object) -> Figure:
    return Figure.model_validate({"target": "gdp_growth", "period": period, "value": value} | extra)


# -- the canonical line ---------------------------------------------------------------------


def test_canonical_line_is_json_in_a_yaml_sequence_entry() -> None:
    assert canonical_line(gdp(unit="%")) == GDP_Q1


def test_canonical_line_orders_fields_and_writes_item_records() -> None:
    figure = Figure.model_validate(
        {
            "recorded_at": "2023-05-02T09:30:00+08:00",
            "by": "zhang",
            "date": "2023-05-01",
            "done": True,
            "item": "sansu_plot",
            "target": "land_expropriation",
            "note": "清零",
        }
    )
    assert canonical_line(figure) == (
        '- {"target": "land_expropriation", "item": "sansu_plot", "done": true, '
        '"date": "2023-05-01", "note": "清零", "by": "zhang", '
        '"recorded_at": "2023-05-02T09:30:00+08:00"}\n'
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3.0, "3"),
        (-2.5, "-2.5"),
        (0.1, "0.1"),
        (1e16, "10000000000000000.0"),
        (1e-7, "0.0000001"),
        (-1.5e-5, "-0.000015"),
        (2.0**53, "9007199254740992.0"),
        (2.0**53 - 1, "9007199254740991"),
    ],
)
def test_number_text_never_uses_an_exponent(value: float, text: str) -> None:
    assert number_text(value) == text


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_number_text_refuses_what_is_not_finite(value: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        number_text(value)


@given(st.floats(allow_nan=False, allow_infinity=False))
@example(1e16)
@example(1e-7)
@example(5e-324)
@example(1.7976931348623157e308)
@example(-0.0)
def test_every_finite_value_reads_back_the_same_through_yaml_json_and_the_reader(
    value: float,
) -> None:
    line = canonical_line(gdp(value))
    assert line.endswith("}\n") and line.count("\n") == 1
    through_yaml = yaml.safe_load(line)[0]["value"]
    through_json = json.loads(line[2:])["value"]
    assert isinstance(through_yaml, (int, float)) and not isinstance(through_yaml, bool)
    assert through_yaml == value
    assert through_json == value
    records, problems = parse_figures(line, "f.yaml")
    assert problems == []
    assert records[0].figure.value == value


@given(st.text())
@example("line\nbreak")
@example("\u2028\u2029\x85\x7f\ufeff\ufffe")
@example('"quoted" \\ back')
def test_every_text_reads_back_the_same_through_yaml_and_json(note: str) -> None:
    line = canonical_line(gdp(note=note))
    assert line.count("\n") == 1
    assert yaml.safe_load(line)[0]["note"] == note
    assert json.loads(line[2:])["note"] == note
    records, problems = parse_figures(line, "f.yaml")
    assert problems == []
    assert records[0].figure.note == note


# -- appending ------------------------------------------------------------------------------


def test_append_creates_the_folder_and_the_file(tmp_path: Path) -> None:
    path = tmp_path / "figures" / "lixia.yaml"
    written = append_figures(path, [gdp(unit="%")])
    assert written == len(GDP_Q1.encode())
    assert path.read_text(encoding="utf-8") == GDP_Q1


def test_a_batch_is_appended_whole_after_what_was_there(tmp_path: Path) -> None:
    path = tmp_path / "lixia.yaml"
    path.write_text("# the log\n" + GDP_Q1, encoding="utf-8")
    inode = path.stat().st_ino
    append_figures(path, [gdp(5.3, "2023-Q2"), gdp(5.8, "2023-Q3")])
    assert path.read_text(encoding="utf-8") == (
        "# the log\n"
        + GDP_Q1
        + '- {"target": "gdp_growth", "period": "2023-Q2", "value": 5.3}\n'
        + '- {"target": "gdp_growth", "period": "2023-Q3", "value": 5.8}\n'
    )
    assert path.stat().st_ino == inode  # appended in place, never replaced


def test_an_append_refuses_a_torn_tail_and_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "lixia.yaml"
    before = (GDP_Q1 * 2 + '- {"target": "gdp_gro').encode()
    path.write_bytes(before)
    with pytest.raises(TornTailError) as refused:
        append_figures(path, [gdp()], display="figures/lixia.yaml")
    assert str(refused.value) == (
        "figures/lixia.yaml:3: the last line is torn (no newline); run `tracker repair`"
    )
    assert refused.value.exit_code == 1
    assert path.read_bytes() == before


def test_a_file_of_one_line_without_newline_is_torn_at_line_1(tmp_path: Path) -> None:
    path = tmp_path / "lixia.yaml"
    path.write_bytes(b"- {")
    with pytest.raises(TornTailError, match=r"lixia.yaml:1: the last line is torn"):
        append_text(path, GDP_Q1)


def test_only_whole_lines_are_appended(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="whole lines"):
        append_text(tmp_path / "lixia.yaml", GDP_Q1.rstrip("\n"))


def test_a_short_write_is_cut_back_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lixia.yaml"
    path.write_text(GDP_Q1, encoding="utf-8")
    real_write = os.write

    def half_write(fd: int, data: bytes) -> int:
        return real_write(fd, data[: len(data) // 2])

    monkeypatch.setattr(os, "write", half_write)  # the module figures writes with
    with pytest.raises(WriteError) as failed:
        append_figures(path, [gdp(5.3, "2023-Q2")], display="lixia.yaml")
    monkeypatch.undo()
    assert str(failed.value) == (
        "lixia.yaml: only 31 of 62 bytes were written (is the disk full?); "
        "the file was cut back to where it ended"
    )
    assert path.read_text(encoding="utf-8") == GDP_Q1


def test_the_lock_is_exclusive_while_an_append_holds_it(tmp_path: Path) -> None:
    path = tmp_path / "lixia.yaml"
    with locked_for_append(path) as locked:
        other = os.open(path, os.O_RDONLY)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(other)
        locked.append(GDP_Q1)
    other = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released once the block ends
    finally:
        os.close(other)


def test_an_unopenable_file_is_a_write_error(tmp_path: Path) -> None:
    folder = tmp_path / "lixia.yaml"
    folder.mkdir()
    with pytest.raises(WriteError, match=r"lixia.yaml: not a regular file \(it is a directory\)"):
        append_text(folder, GDP_Q1, display="lixia.yaml")


def test_reading_under_the_shared_lock(tmp_path: Path) -> None:
    path = tmp_path / "lixia.yaml"
    with locked_for_reading(path) as content:
        assert content == b""
    path.write_text(GDP_Q1, encoding="utf-8")
    with locked_for_reading(path) as content:
        assert content[:] == GDP_Q1.encode()


def test_what_is_appended_is_read_back_by_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "lixia.yaml"
    figures_written = [gdp(5.1, "2023-Q1", unit="%", note="一季度"), gdp(1e16, "2023-Q2")]
    append_figures(path, figures_written)
    read = read_figure_file(path)
    assert read.diagnostics == []
    assert [r.figure for r in read.records] == figures_written
    assert [r.line for r in read.records] == [1, 2]


# -- finding a target's records without parsing the file --------------------------------


LOG = (
    "# 历下区 figures; gdp_growth is quarterly\n"
    '- {"target": "gdp_growth", "period": "2023-Q1", "value": 5.1}\n'
    '- {"target": "gdp_growth_2", "period": "2023-Q1", "value": 1}\n'
    '- {"target": "revenue_growth", "period": "2023-01", "value": 9, "note": "gdp_growth too"}\n'
    '- {"target": "land", "item": "gdp_growth", "done": true}\n'
    '- {"target": "gdp_growth", "period": "2023-Q2", "value": 5.3}\n'
    '- {"target": "gdp_growth", "period": "2023-Q1", "value": 5.2}\n'
)


def offsets_of(text: str, *line_numbers_wanted: int) -> list[int]:
    lines = text.encode().split(b"\n")
    return [sum(len(line) + 1 for line in lines[: n - 1]) for n in line_numbers_wanted]


def test_find_target_lines_takes_only_the_targets_own_lines() -> None:
    content = LOG.encode()
    first, second, third = offsets_of(LOG, 2, 6, 7)
    assert find_target_lines(content, "gdp_growth") == [
        LineRef(first, "period", "2023-Q1"),
        LineRef(second, "period", "2023-Q2"),
        LineRef(third, "period", "2023-Q1"),
    ]
    assert find_target_lines(content, "land") == [
        LineRef(offsets_of(LOG, 5)[0], "item", "gdp_growth")
    ]
    assert find_target_lines(content, "fai_growth") == []


def test_find_target_lines_reads_a_first_line_and_an_item_named_like_its_target() -> None:
    text = '- {"target": "zone", "item": "zone", "done": false}\n'
    assert find_target_lines(text.encode(), "zone") == [LineRef(0, "item", "zone")]


@pytest.mark.parametrize(
    "hand_written",
    [
        "- {target: gdp_growth, period: 2023-Q3, value: 6}\n",
        "- target: gdp_growth\n  period: 2023-Q3\n  value: 6\n",
        '- {"target": "gdp_growth", "value": 6, "period": "2023-Q3"}\n',
        '- {"target":"gdp_growth","period":"2023-Q3","value":6}\n',
    ],
)
def test_find_target_lines_gives_up_on_a_hand_written_entry(hand_written: str) -> None:
    assert find_target_lines((LOG + hand_written).encode(), "gdp_growth") is None
    # A hand-written entry of another target does not stop the search for this one.
    other = hand_written.replace("gdp_growth", "fai_growth")
    assert find_target_lines((LOG + other).encode(), "gdp_growth") is not None


def test_record_at_and_line_numbers() -> None:
    content = LOG.encode()
    offsets = offsets_of(LOG, 2, 6)
    assert line_numbers(content, offsets) == [2, 6]
    recorded = record_at(content, offsets[1], "f.yaml", 6)
    assert recorded is not None
    assert recorded.line == 6
    assert recorded.figure == gdp(5.3, "2023-Q2")
    assert record_at(b'- {"target": "gdp_growth", "per\n', 0, "f.yaml") is None
