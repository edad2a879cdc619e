"""Reading figure files: the canonical line is read without json or pydantic, with the same
result as the general way.

`canonical_reader.canonical_record` reads a line in the form `canonical_line` writes and
returns a `FigureRecord`, or None to leave the line to the general way (json, then the
`Figure` model and its diagnostics). The properties here hold it to that: whatever it accepts, `Figure`
accepts with equal fields; it accepts what the tool writes; and a file reads the same, records
and diagnostics, whether or not it is used.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEED_PLAN, run_cli, write_data_dir
from liuxia_tracker.domain.models import Figure
from liuxia_tracker.domain.records import FigureRecord, Recorded
from liuxia_tracker.log import canonical, canonical_reader, figures
from liuxia_tracker.log.canonical import FIELD_ORDER, canonical_line
from liuxia_tracker.log.figures import parse_figures

SLUGS = ["gdp", "gdp_growth", "a-b", "x1", "A", "1x", "x_", "", "中", "a--b", "a-", "item_01"]
PERIODS = [
    "2023", "2023-Q1", "2023-Q5", "2023-03", "2023-13", "2023-W05", "2023-W53", "2020-W53",
    "2023-03-D1", "2023-03-D4", "2023-02-28", "2023-02-29", "2023-3", "2023-q1", " 2023", "",
]  # fmt: skip
NUMBERS: list[Any] = [
    0, 1, -3, 12, 5.1, -0.0, 0.5, 1e16, 1e-7, 2**53, 2**53 + 1, -(2**53), 10**20, 1.5e300,
    True, False, "6%", "15亿", "x", "12.5", None, [1], {"a": 1},
]  # fmt: skip
UNITS: list[Any] = ["%", "亿元", "万平方米", "pp", "个", "", " x", "6", "百分点", "元/吨", 5, None]
DAYS: list[Any] = ["2023-01-05", "2023-1-5", "2023-02-30", "20230105", "2023-01-05T00:00", 1, None]
TEXTS: list[Any] = [
    "区统计局", "a \"quoted\" word", "back\\slash", "tab\there", "line\nbreak", "\u2028",
    "\x7f", "emoji 😀", "", "   ", 7, None, True,
]  # fmt: skip
STAMPS: list[Any] = [
    "2023-01-05T09:00:00+08:00",
    "2023-01-05T09:00:00",
    "2023-01-05T09:00:00Z",
    "2023-01-05T09:00:00.5-05:30",
    "2023-01-05",
    "2023-01-05T25:00:00+08:00",
    "now",
    20230105,
    None,
]
BOOLS: list[Any] = [True, False, None, "true", 1, 0]

POOLS: dict[str, list[Any]] = {
    "target": SLUGS,
    "period": PERIODS,
    "value": NUMBERS,
    "unit": UNITS,
    "item": SLUGS,
    "done": BOOLS,
    "date": DAYS,
    "source": TEXTS,
    "note": TEXTS,
    "by": TEXTS,
    "recorded_at": STAMPS,
}


def line_of(data: dict[str, Any]) -> str:
    """A one-line entry the way a hand (or a script) might write one: json text after `- `."""
    parts = [
        f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
        for k, v in data.items()
    ]
    return "- {" + ", ".join(parts) + "}"


@st.composite
def figure_dicts(draw: st.DrawFn) -> dict[str, Any]:
    """Mostly the keys in the canonical order with values near the canonical shape; sometimes
    a key left out, a key added, or the order changed."""
    shape = draw(st.sampled_from(["value", "item"]))
    keys = ["target", "period", "value"] if shape == "value" else ["target", "item", "done"]
    optional = ["unit", "date", "source", "note", "by", "recorded_at"]
    keys += [key for key in optional if draw(st.booleans())]
    if draw(st.integers(0, 5)) == 0:
        keys.append(draw(st.sampled_from([*FIELD_ORDER, "colour"])))
    if draw(st.integers(0, 5)) == 0 and len(keys) > 1:
        keys.remove(draw(st.sampled_from(keys)))
    keys = list(dict.fromkeys(keys))
    if draw(st.integers(0, 5)) > 0:
        keys.sort(key=lambda key: FIELD_ORDER.index(key) if key in FIELD_ORDER else 99)
    return {key: draw(values_for(key)) for key in keys}


# Values that `Figure` accepts, drawn more often, so that both outcomes are frequent.
VALID: dict[str, list[Any]] = {
    "target": ["gdp", "gdp_growth", "a-b", "item_01"],
    "period": ["2023", "2023-Q1", "2023-03", "2023-W05", "2020-W53", "2023-03-D1", "2023-02-28"],
    "value": [0, 1, -3, 12, 5.1, -0.0, 0.5, 2**53, -(2**53), 1.5e300],
    "unit": ["%", "亿元", "万平方米", "pp", "个", "百分点", "元/吨"],
    "item": ["item_01", "x1"],
    "done": [True, False],
    "date": ["2023-01-05"],
    "source": ["区统计局", "", "   ", "emoji 😀", "\x7f"],
    "note": ["区统计局", "", 'a "quoted" word'],
    "by": ["clerk", "", "\u2028"],
    "recorded_at": STAMPS[:4],
}


def values_for(key: str) -> st.SearchStrategy[Any]:
    every = st.sampled_from(POOLS.get(key, ["x"]))
    if key not in VALID:
        return every
    return st.one_of(st.sampled_from(VALID[key]), st.sampled_from(VALID[key]), every)


def shown(record: FigureRecord) -> dict[str, str]:
    # repr tells -0.0 from 0.0 and a float from an int, which == does not
    return {name: repr(value) for name, value in record.fields().items()}


@settings(max_examples=800, deadline=None)
@given(figure_dicts())
def test_what_the_canonical_reader_accepts_the_model_accepts_with_equal_fields(
    data: dict[str, Any],
) -> None:
    line = line_of(data)
    record = canonical_reader.canonical_record(line)
    if record is None:
        return
    model = Figure.model_validate(json.loads(line[2:]))
    assert shown(record) == shown(FigureRecord.from_model(model))
    assert record == model


def test_the_properties_see_both_outcomes() -> None:
    # The property above would hold trivially if nothing were accepted.
    accepted = line_of({"target": "gdp", "period": "2023-Q1", "value": 5, "by": "a"})
    assert canonical_reader.canonical_record(accepted) is not None
    assert canonical_reader.canonical_record(accepted.replace("5", "true")) is None


written_figures = st.builds(
    lambda target, period, value, unit, source, note, minutes: Figure.model_validate(
        {
            "target": target,
            "period": period,
            "value": value,
            "unit": unit,
            "source": source,
            "note": note,
            "by": "clerk",
            "recorded_at": datetime(2023, 1, 5, 9, tzinfo=timezone(timedelta(hours=8)))
            + timedelta(minutes=minutes),
        }
    ),
    st.sampled_from(["gdp", "gdp_growth", "a-b"]),
    st.sampled_from(["2023", "2023-Q1", "2023-03", "2023-W05", "2023-03-D1", "2023-02-28"]),
    st.one_of(
        st.integers(-(2**53), 2**53).map(float),
        st.floats(allow_nan=False, allow_infinity=False),
    ),
    st.sampled_from([None, "%", "亿元", "万平方米"]),
    st.one_of(st.none(), st.text(max_size=8)),
    st.one_of(st.none(), st.text(max_size=8)),
    st.integers(0, 600_000),
)


@settings(max_examples=500, deadline=None)
@given(written_figures)
def test_every_line_the_tool_writes_reads_back_equal(figure: Figure) -> None:
    line = canonical_line(figure).rstrip("\n")
    records, problems = parse_figures(line + "\n", "f.yaml")
    assert problems == []
    assert records == [Recorded(FigureRecord.from_model(figure), 1)]
    assert records[0].figure == figure


def test_a_plain_line_takes_the_canonical_reader() -> None:
    figure = Figure.model_validate(
        {
            "target": "gdp",
            "period": "2023-Q1",
            "value": 5.1,
            "note": "更正",
            "by": "clerk",
            "recorded_at": datetime(2023, 4, 1, 9, tzinfo=UTC),
        }
    )
    line = canonical_line(figure).rstrip("\n")
    record = canonical_reader.canonical_record(line)
    assert record is not None
    assert (record.target, str(record.period), record.value, record.note) == (
        "gdp",
        "2023-Q1",
        5.1,
        "更正",
    )


# -- a whole file reads the same with or without the canonical reader ----------------------

ENTRY_LINES = [
    '- {"target": "gdp", "period": "2023-Q1", "value": 5.1, "by": "a"}',
    '- {"target": "gdp", "period": "2023-Q2", "value": 5.2, "unit": "%", "by": "b", '
    '"recorded_at": "2023-07-01T09:00:00+08:00"}',
    '- {"target": "land", "item": "item_01", "done": true, "date": "2023-05-01", "by": "c"}',
    '- {"target": "gdp", "period": "2023-Q9", "value": 5}',
    '- {"target": "gdp", "period": "2023-Q1", "value": 1e3}',
    '- {"target": "gdp", "period": "2023-Q1", "value": 5, "value": 6}',
    '- {"target": "gdp", "value": 5}',
    "- {target: gdp, period: 2023-Q3, value: 5.3}",
    "- target: gdp",
    "  period: 2023-Q4",
    "  value: 5.4",
    "  # an indented comment",
    "",
    "   ",
    "# a comment",
    "-",
    "- [1, 2]",
    "not a record",
    "  indented: alone",
    "\t- tabbed",
    "-\tx",
    "- {",
    '- {"target": "gdp", "period": "2023-Q1", "value": 5.1, "by": "a"}   ',
]


def reference_entries(text: str) -> list[tuple[int, str]]:
    """How figure files were split into entries before the canonical reader (kept here as the
    reference the faster loop must agree with)."""
    found: list[tuple[int, str]] = []
    start = 0
    current: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("-") and (len(line) == 1 or line[1] in " \t"):
            if current:
                found.append((start, "\n".join(current)))
            start, current = number, [line]
        elif not line.strip() or line.lstrip().startswith("#"):
            if current and line.startswith((" ", "\t")):
                current.append(line)
        elif current and line.startswith((" ", "\t")):
            current.append(line)
        else:
            if current:
                found.append((start, "\n".join(current)))
                current = []
            found.append((number, line))
    if current:
        found.append((start, "\n".join(current)))
    return found


def reference_read(text: str) -> tuple[list[Recorded], list[Any]]:
    records: list[Recorded] = []
    problems: list[Any] = []
    for line, entry in reference_entries(text):
        figures._read_entry(entry, line, "f.yaml", records, problems)
    return records, problems


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(ENTRY_LINES), max_size=12), st.booleans())
def test_a_file_reads_the_same_with_or_without_the_canonical_reader(
    lines: list[str], final_newline: bool
) -> None:
    text = "\n".join(lines) + ("\n" if final_newline else "")
    expected = reference_read(text)
    assert parse_figures(text, "f.yaml") == expected
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(figures, "record_of", lambda fields: None)
        patch.setattr(figures, "canonical_record", lambda line: None)
        assert parse_figures(text, "f.yaml") == expected


def test_records_share_their_repeated_texts() -> None:
    line = '- {"target": "gdp", "period": "2023-Q1", "value": 5.1, "source": "区统计局", "by": "a", "recorded_at": "2023-04-01T09:00:00+08:00"}'
    text = "".join(line.replace("5.1", str(n)) + "\n" for n in range(3))
    records, _ = parse_figures(text, "f.yaml")
    first, second, third = (recorded.figure for recorded in records)
    assert first.source is second.source is third.source
    assert first.period is second.period
    assert first.recorded_at is not None
    assert [recorded.figure.value for recorded in records] == [0.0, 1.0, 2.0]
    assert first.recorded_at == datetime(2023, 4, 1, 1, tzinfo=UTC)
    assert date(2023, 1, 1) < first.recorded_at.date()


# What YAML reads back as itself in a double-quoted scalar (and as no line break).
PRINTABLE = [
    (0x09, 0x0A), (0x0D, 0x0D), (0x20, 0x7E), (0xA0, 0x2027), (0x202A, 0xD7FF),
    (0xE000, 0xFEFE), (0xFF00, 0xFFFD), (0x10000, 0x10FFFF),
]  # fmt: skip


def test_the_characters_written_as_escapes_are_those_yaml_does_not_print() -> None:
    from liuxia_tracker.plan import text

    edges = {0, 0x10FFFF}
    for low, high in PRINTABLE:
        edges |= {low - 1, low, low + 1, high - 1, high, high + 1}
    for code in sorted(edge for edge in edges if 0 <= edge <= 0x10FFFF):
        printable = any(low <= code <= high for low, high in PRINTABLE)
        character = chr(code)
        assert (canonical.NOT_YAML_PRINTABLE.match(character) is None) == printable, hex(code)
        # (a carriage return is refused only when no line feed follows it)
        assert (text.BAD_CHARACTER.match(character + "\n") is None) == printable, hex(code)


def test_a_figure_file_with_windows_line_endings_reads_like_the_same_file_with_unix_ones(
    tmp_path: Path,
) -> None:
    lines = [
        '- {"target": "gdp_growth", "period": "2023-Q1", "value": 5.1, "source": "s"}',
        "# a comment",
        "- target: gdp_growth",
        "  period: 2023-Q2",
        "  value: 5.6",
        "  source: s",
    ]
    plan = SEED_PLAN.read_bytes()
    unix = write_data_dir(tmp_path / "unix", plan, {"lixia": "\n".join(lines) + "\n"})
    windows = write_data_dir(tmp_path / "windows", plan, {"lixia": "\r\n".join(lines) + "\r\n"})
    for data in (unix, windows):
        checked = run_cli("check", "--data", str(data), "--as-of", "2023-12-31")
        assert (checked.exit_code, checked.stdout) == (0, "no problems (2 files checked)\n")
    reports = [
        run_cli(
            "status", "lixia", "--data", str(data), "--as-of", "2023-06-30", "--format", "json"
        ).stdout
        for data in (unix, windows)
    ]
    assert reports[0] == reports[1]  # the whole report, byte for byte
    [lixia] = json.loads(reports[1])["districts"]
    [gdp_growth] = [target for target in lixia["targets"] if target["id"] == "gdp_growth"]
    assert (gdp_growth["actual"], gdp_growth["last_period"]) == (5.6, "2023-Q2")
    assert [target["id"] for target in lixia["targets"] if target["last_period"] is not None] == [
        "gdp_growth"
    ]
