"""The strict loader: bytes → YAML values → models, or diagnostics with exact positions.

Each PyYAML behaviour the loader defends against is first shown to be real (so the defence is
not against a ghost), then shown to be refused or read strictly here. Every test runs with
libyaml's parser and with the pure-Python one (`each_parser`): the results must be the same.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import AS_OF, SEED_PLAN, run_cli, write_data_dir
from liuxia_tracker.commands.check import check_paths
from liuxia_tracker.plan import validation
from liuxia_tracker.plan.loading import MAX_DEPTH, parse_yaml
from liuxia_tracker.plan.text import MAX_FIGURE_BYTES, MAX_PLAN_BYTES, decode, read_text

pytestmark = pytest.mark.usefixtures("each_parser")


def parse(text: str) -> tuple[Any, list[str]]:
    parsed, problems = parse_yaml(text, "f.yaml")
    return (parsed.value if parsed is not None else None), [str(p) for p in problems]


# --- the facts about PyYAML 6 that the loader defends against --------------------------------


def test_pyyaml_facts_the_loader_defends_against() -> None:
    assert yaml.__version__.startswith("6.")
    assert yaml.safe_load("a: 1\na: 2\n") == {"a": 2}  # a duplicate key silently wins
    assert yaml.safe_load("[no, off, 012, 12:30, 1.0e+3, 1e3, 2023-01-05]") == [
        False,
        False,
        10,
        750,
        1000.0,
        "1e3",
        datetime.date(2023, 1, 5),
    ]
    with pytest.raises(RecursionError):  # the pure-Python composer recurses per level
        yaml.safe_load("[" * 2000 + "]" * 2000)


# --- plain scalars -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("true", True),
        ("False", False),
        ("no", "no"),
        ("off", "off"),
        ("Yes", "Yes"),
        ("~", None),
        ("null", None),
        ("", None),
        ("12", 12),
        ("-3", -3),
        ("+7", 7),
        ("0", 0),
        ("1165.1", 1165.1),
        ("1.0e+3", 1000.0),
        ("2.5E-2", 0.025),
        (".5", 0.5),
        ("5.", 5.0),
        ("9007199254740992", 2**53),
        ("2023-01-05", "2023-01-05"),
        ("2023-01-05T09:00:00+08:00", "2023-01-05T09:00:00+08:00"),
        ("15亿元", "15亿元"),
        ("'012'", "012"),
        ('"12:30"', "12:30"),
        ('"1e3"', "1e3"),
    ],
)
def test_plain_values_are_read_by_one_rule(written: str, value: Any) -> None:
    assert parse(f"x: {written}\n") == ({"x": value}, [])


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            "012",
            "012 has a leading zero, so YAML 1.1 readers take it as the octal number 10; write 12, or quote it if it is text",
        ),
        (
            "-012",
            "-012 has a leading zero, so YAML 1.1 readers take it as the octal number -10; write -12, or quote it if it is text",
        ),
        ("09", "09 has a leading zero; write 9, or quote it if it is text"),
        ("12:30", "12:30 is the base-60 number 750 to YAML 1.1 readers (quote it if it is text)"),
        (
            "1e3",
            "1e3 is a number to YAML 1.2 readers but text to YAML 1.1 readers; write 1000, or quote it if it is text",
        ),
        (
            "1.5e7",
            "1.5e7 is a number to YAML 1.2 readers but text to YAML 1.1 readers; write 15000000, or quote it if it is text",
        ),
        (
            "25e-31",
            "25e-31 is a number to YAML 1.2 readers but text to YAML 1.1 readers; write 2.5e-30, or quote it if it is text",
        ),
        ("0x1F", "0x1F is a hexadecimal literal; write the decimal number 31"),
        ("0o17", "0o17 is an octal literal; write the decimal number 15"),
        ("0b101", "0b101 is a binary literal; write the decimal number 5"),
        ("1_000", "1_000 has '_' digit separators; write the digits alone"),
        (".inf", ".inf is not a finite number (quote it if it is text)"),
        ("-.Inf", "-.Inf is not a finite number (quote it if it is text)"),
        (".NaN", ".NaN is not a finite number (quote it if it is text)"),
    ],
)
def test_numbers_yaml_readers_disagree_on_are_refused(written: str, message: str) -> None:
    value, problems = parse(f"x: {written}\n")
    assert problems == [f"f.yaml:1:4: ambiguous-number {message}"]
    assert value == {"x": written}  # kept as the text written, never converted


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("9007199254740993", "9007199254740993 is too large to hold exactly (the limit is 2**53)"),
        ("-" + "9" * 30, "-" + "9" * 30 + " is too large to hold exactly (the limit is 2**53)"),
        ("1" * 5000, "1" * 37 + "... is too large to hold exactly (the limit is 2**53)"),
        ("1.0e+400", "1.0e+400 is too large for a number"),
        ("1e400", "1e400 is too large for a number"),
    ],
)
def test_numbers_a_float_cannot_hold_are_refused(written: str, message: str) -> None:
    assert parse(f"x: {written}\n")[1] == [f"f.yaml:1:4: number-range {message}"]


# --- structure -----------------------------------------------------------------------------


def test_duplicate_keys_are_reported_with_both_lines() -> None:
    value, problems = parse("a: 1\nb: 2\na: 3\n")
    assert value == {"a": 3, "b": 2}  # reported, so the file fails; the value is not trusted
    assert problems == [
        "f.yaml:3:1: duplicate-key key 'a' is repeated (first on line 1); keep one of them"
    ]


def test_duplicate_keys_in_nested_and_flow_mappings() -> None:
    _, problems = parse("top:\n  x: {k: 1, k: 2}\n  x: 3\n")
    assert problems == [
        "f.yaml:2:13: duplicate-key key 'k' is repeated (first on line 2); keep one of them",
        "f.yaml:3:3: duplicate-key key 'x' is repeated (first on line 2); keep one of them",
    ]


def test_the_same_key_in_different_mappings_is_fine() -> None:
    assert parse("- {a: 1}\n- {a: 2}\n") == ([{"a": 1}, {"a": 2}], [])


ALIAS_BOMB = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]\n"
    for previous, name in zip("abcdef", "bcdefg", strict=True)
)


def test_the_alias_bomb_is_refused_without_expanding() -> None:
    # Expanded, this is 9**7 = 4.8 million strings; walking events, it is 61 small problems.
    assert len(ALIAS_BOMB.splitlines()) == 7
    value, problems = parse(ALIAS_BOMB)
    assert value is None
    anchors = [p for p in problems if " anchor " in p]
    aliases = [p for p in problems if " alias " in p]
    assert len(anchors) == 7 and len(aliases) == 6 * 9 and len(problems) == 61
    assert problems[0] == (
        "f.yaml:1:4: anchor &a: anchors and aliases are not allowed in data files; write the value out"
    )
    assert problems[2] == (
        "f.yaml:2:8: alias *a: anchors and aliases are not allowed in data files; write the value out"
    )


def test_the_alias_bomb_as_a_plan_file(data_dir: Any) -> None:
    root = data_dir(plan="year: 2023\ndistricts: []\n" + ALIAS_BOMB)
    result = check_paths([root], None, AS_OF)
    assert result.exit_code == 1
    assert len(result.diagnostics) == 61
    assert {d.code for d in result.diagnostics} == {"anchor", "alias"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: !!str 5\n",
            "f.yaml:1:4: tag !!str: explicit tags are not allowed in data files; remove the tag",
        ),
        (
            "a: !custom x\n",
            "f.yaml:1:4: tag !custom: explicit tags are not allowed in data files; remove the tag",
        ),
        (
            "a: !!python/object/apply:os.system [echo]\n",
            "f.yaml:1:4: tag !!python/object/apply:os.system: explicit tags are not allowed in data files; remove the tag",
        ),
        (
            "a: {x: 1}\nb:\n  <<: {y: 2}\n",
            "f.yaml:3:3: merge-key <<: merge keys are not allowed in data files; write the keys out",
        ),
        (
            "a: 1\n---\nb: 2\n",
            "f.yaml:2:1: multiple-documents a second YAML document; a data file holds one (remove the '---' line)",
        ),
        (
            "a: 1\n...\n---\nb: 2\n",
            "f.yaml:3:1: multiple-documents a second YAML document; a data file holds one (remove the '---' line)",
        ),
        (
            "a: 1\n...\nb: 2\n",
            "f.yaml:3:1: yaml-syntax expected '<document start>', but found '<block mapping start>'",
        ),
        (
            "? [a]\n: 1\n",
            "f.yaml:1:3: complex-key a key must be plain text, not a list or mapping ('?' starts a complex key)",
        ),
        (
            "{a: 1}: 2\n",
            "f.yaml:1:1: complex-key a key must be plain text, not a list or mapping ('?' starts a complex key)",
        ),
    ],
)
def test_refused_constructs(text: str, expected: str) -> None:
    assert parse(text) == (None, [expected])


def test_a_quoted_merge_key_is_an_ordinary_key() -> None:
    assert parse('"<<": 1\n') == ({"<<": 1}, [])


def test_one_document_with_markers_is_fine() -> None:
    assert parse("%YAML 1.1\n---\na: 1\n...\n") == ({"a": 1}, [])


@pytest.mark.parametrize("opener", ["[", "{a: "])
def test_deep_flow_nesting_is_a_diagnostic_not_a_crash(opener: str) -> None:
    text = "x: " + opener * 100_000
    column = 4 + len(opener) * (MAX_DEPTH - 1)
    assert parse(text) == (
        None,
        [
            f"f.yaml:1:{column}: too-deep nesting deeper than {MAX_DEPTH} levels; a data file needs far fewer"
        ],
    )


def test_deep_block_nesting_is_a_diagnostic_not_a_crash() -> None:
    text = "- " * 100_000 + "x\n"
    column = 1 + 2 * MAX_DEPTH
    assert parse(text) == (
        None,
        [
            f"f.yaml:1:{column}: too-deep nesting deeper than {MAX_DEPTH} levels; a data file needs far fewer"
        ],
    )


def test_nesting_up_to_the_limit_is_fine() -> None:
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    value, problems = parse(text)
    assert problems == []
    for _ in range(MAX_DEPTH - 1):
        value = value[0]
    assert value == []


def test_deep_nesting_in_plan_and_figure_files(data_dir: Any) -> None:
    root = data_dir(plan="[" * 100_000, figures={"east": "- " * 100_000 + "x\n"})
    lines = [str(d) for d in check_paths([root], None, AS_OF).diagnostics]
    assert lines == [
        "figures/east.yaml:1:49: too-deep nesting deeper than 24 levels; a data file needs far fewer",
        "targets.yaml:1:25: too-deep nesting deeper than 24 levels; a data file needs far fewer",
    ]


# --- characters and bytes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b"\xe9", 1, 1),
        (b"year: 2023\ntitle: caf\xe9\n", 2, 11),
        (b"a: 1\nname: \xe4\xb8\x9c\xe5\x8c\xba\xe9\n", 2, 9),  # after 东区: counted in characters
        (b"a: 1\r\nb: \xff\r\n", 2, 4),
        (b"a: \xe4\xb8\n", 1, 4),  # a UTF-8 sequence cut short
    ],
)
def test_non_utf8_bytes_give_their_line_and_column(data: bytes, line: int, column: int) -> None:
    text, problems = decode(data, "f.yaml")
    assert text is None
    assert [(p.line, p.column, p.code) for p in problems] == [(line, column, "not-utf8")]


def test_latin1_message_names_the_byte() -> None:
    _, problems = decode(b"title: caf\xe9\n", "f.yaml")
    assert [str(p) for p in problems] == [
        "f.yaml:1:11: not-utf8 byte 0xe9 is not UTF-8 (save the file as UTF-8)"
    ]


def test_a_leading_utf8_bom_is_accepted() -> None:
    assert decode(b"\xef\xbb\xbfa: 1\n", "f.yaml") == ("a: 1\n", [])


def test_utf16_is_named() -> None:
    data = "a: 1\n".encode("utf-16")
    assert [str(p) for p in decode(data, "f.yaml")[1]] == [
        "f.yaml:1:1: not-utf8 the file is UTF-16; save it as UTF-8 (without BOM)"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: 1\n\ufeffb: 2\n",
            "f.yaml:2:1: bom a byte-order mark (U+FEFF) after the start of the file; delete it",
        ),
        (
            "a: x\ufeff\n",
            "f.yaml:1:5: bom a byte-order mark (U+FEFF) after the start of the file; delete it",
        ),
        (
            "\ufeffa: 1\n",
            "f.yaml:1:1: bom a byte-order mark (U+FEFF) after the start of the file; delete it",
        ),
        (
            "a: 1\x00\n",
            "f.yaml:1:5: bad-character character U+0000 is not allowed in a data file; delete it",
        ),
        (
            "a: \x1b[31m\n",
            "f.yaml:1:4: bad-character character U+001B is not allowed in a data file; delete it",
        ),
        (
            "a: 1\x85b\n",
            "f.yaml:1:5: bad-character character U+0085 is not allowed in a data file; delete it",
        ),
        (
            "a: 1\u2028\n",
            "f.yaml:1:5: bad-character character U+2028 is not allowed in a data file; delete it",
        ),
        (
            "a: \uffff\n",
            "f.yaml:1:4: bad-character character U+FFFF is not allowed in a data file; delete it",
        ),
        (
            "a: 1\rb: 2\n",
            "f.yaml:1:5: bad-character a carriage return without a line feed; save the file with \\n line endings",
        ),
    ],
)
def test_characters_that_shift_positions_or_are_not_yaml(text: str, expected: str) -> None:
    # A BOM that survives decoding was not at the start of the bytes: decode strips that one.
    assert parse(text) == (None, [expected])


def test_windows_line_endings_are_fine() -> None:
    assert parse("a: 1\r\nb:\r\n  - x\r\n") == ({"a": 1, "b": ["x"]}, [])


def test_a_full_width_colon_is_named_at_its_own_line_and_column(tmp_path: Path) -> None:
    data = write_data_dir(tmp_path / "data", SEED_PLAN.read_bytes(), {"lixia": ""})
    plan = (data / "targets.yaml").read_text(encoding="utf-8")
    lines = plan.split("\n")
    index = lines.index("        value: 6")
    lines[index] = "        value： 6"
    (data / "targets.yaml").write_text("\n".join(lines), encoding="utf-8")
    result = run_cli("check", "--data", str(data))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{data / 'targets.yaml'}:{index + 1}:14: yaml-syntax "
        "a full-width colon '：' where YAML needs ':' followed by a space"
    )


def test_a_full_width_colon_inside_a_value_is_not_blamed(tmp_path: Path) -> None:
    data = write_data_dir(
        tmp_path / "data",
        SEED_PLAN.read_bytes(),
        {"lixia": "- target: gdp_growth\n  note: 说明：季度数据\n  period: [2023-Q1\n"},
    )
    result = run_cli("check", "--data", str(data), "--as-of", "2023-12-31")
    assert result.exit_code == 1
    assert "full-width colon" not in result.stdout


def test_bad_characters_are_reported_once_per_line() -> None:
    assert parse("a: \x01\x02\nb: \x03\n")[1] == [
        "f.yaml:1:4: bad-character character U+0001 is not allowed in a data file; delete it",
        "f.yaml:2:4: bad-character character U+0003 is not allowed in a data file; delete it",
    ]


TAB = "tab-indent tab character; use spaces (a tab is allowed only in a comment)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a:\n\tb: 1\n", f"f.yaml:2:1: {TAB}"),
        ("a:\n  \tb: 1\n", f"f.yaml:2:3: {TAB}"),
        ("a: 1\n\t# a comment\n", f"f.yaml:2:1: {TAB}"),
        ("a: {x:\t1}\n", f"f.yaml:1:7: {TAB}"),
        ("a: [1,\t2]\n", f"f.yaml:1:7: {TAB}"),
        ("a: 1\t\n", f"f.yaml:1:5: {TAB}"),
        ("a: b\tc\n", f"f.yaml:1:5: {TAB}"),
        ('a: "x\ty"\n', f"f.yaml:1:6: {TAB}"),
        ("a: 'p\tq'\n", f"f.yaml:1:6: {TAB}"),
        ('a: "x\\\ty"\n', f"f.yaml:1:7: {TAB}"),
        ('a: "x #\n  y\tz"\n', f"f.yaml:2:4: {TAB}"),
        ("a: |\n  x\n  # y\tz\nb: 1\n", f"f.yaml:3:6: {TAB}"),
        ("- {note: 'it''s #\t'}\n", f"f.yaml:1:18: {TAB}"),
    ],
)
def test_a_tab_outside_a_comment_is_refused_before_parsing(text: str, expected: str) -> None:
    # libyaml reads many of these as spaces or text where the pure parser refuses them: a tab
    # is refused here, so every install says the same.
    assert parse(text) == (None, [expected])


@pytest.mark.parametrize(
    "text",
    [
        "a: 1 # a\tcomment\n",
        "# a\tcomment\na: 1\n",
        "a: [1, # a\tcomment\n  ]\n",
        "a: |\n  x\n# a\tcomment\n",
    ],
)
def test_a_tab_in_a_comment_is_fine(text: str) -> None:
    value, problems = parse(text)
    assert problems == []
    assert value in ({"a": 1}, {"a": [1]}, {"a": "x\n"})


def test_every_line_with_a_tab_is_reported() -> None:
    assert [p.split(": ")[0] for p in parse("a:\n\tb: 1\n\tc: 2\nd: x\ty\n")[1]] == [
        "f.yaml:2:1",
        "f.yaml:3:1",
        "f.yaml:4:5",
    ]


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="libyaml is not installed")
@pytest.mark.parametrize("text", ["a: {x:\t1}\n", "a: [1,\t2]\n", "a: b\tc\n"])
def test_tabs_libyaml_accepts_and_the_pure_parser_refuses_are_refused(text: str) -> None:
    list(yaml.parse(text, Loader=yaml.CSafeLoader))  # libyaml: fine
    with pytest.raises(yaml.YAMLError):
        list(yaml.parse(text, Loader=yaml.SafeLoader))
    assert parse(text)[0] is None


# --- line offsets (figure entries are parsed one at a time) ---------------------------------


def test_line_offset_shifts_every_position() -> None:
    parsed, problems = parse_yaml("- {a: 012}\n", "f.yaml", line_offset=41)
    assert str(problems[0]).startswith("f.yaml:42:7: ambiguous-number 012")
    assert parsed is not None and parsed.positions[(0, "a")] == (42, 7)


# --- reading files -------------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "targets.yaml"
    with plan.open("wb") as handle:  # sparse: 256 MiB + 1 of zeros, which no parser would like
        handle.truncate(MAX_PLAN_BYTES + 1)

    def refuse_to_open(self: Path, *args: object, **kwargs: object) -> object:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", refuse_to_open)
    assert [str(p) for p in read_text(plan, MAX_PLAN_BYTES, "targets.yaml")[1]] == [
        "targets.yaml:1:1: too-large file is 268,435,457 bytes, over the limit of 268,435,456; "
        "is it the right file?"
    ]


def test_a_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    plan = tmp_path / "targets.yaml"
    body = "year: 2023\ndistricts: []\n"
    plan.write_text(body + "#" * (4096 - len(body)))
    assert plan.stat().st_size == 4096
    assert read_text(plan, 4096, "targets.yaml") == (plan.read_text(), [])
    with plan.open("a") as handle:
        handle.write("#")
    assert [str(p) for p in read_text(plan, 4096, "targets.yaml")[1]] == [
        "targets.yaml:1:1: too-large file is 4,097 bytes, over the limit of 4,096; "
        "is it the right file?"
    ]


def test_an_oversized_plan_and_figure_file_through_check(data_dir: Any) -> None:
    root = data_dir(plan="year: 2023\ndistricts: []\n")
    with open("targets.yaml", "ab") as handle:  # sparse, as below
        handle.truncate(MAX_PLAN_BYTES + 25)
    with open("figures/east.yaml", "wb") as handle:
        handle.truncate(MAX_FIGURE_BYTES + 1)
    lines = [str(d) for d in check_paths([root], None, AS_OF).diagnostics]
    assert lines == [
        "figures/east.yaml:1:1: too-large file is 1,073,741,825 bytes, over the limit of "
        "1,073,741,824; is it the right file?",
        "targets.yaml:1:1: too-large file is 268,435,481 bytes, over the limit of 268,435,456; "
        "is it the right file?",
    ]


def test_a_file_that_cannot_be_read_is_reported(data_dir: Any) -> None:
    root = data_dir(figures={"east": "", "west": ""})
    os.remove("figures/east.yaml")
    os.mkdir("figures/east.yaml")  # a directory where a figure file should be
    os.remove("figures/west.yaml")
    os.symlink("nowhere.yaml", "figures/west.yaml")  # a dangling link
    lines = [str(d) for d in check_paths([root], None, AS_OF).diagnostics]
    assert lines == [
        "figures/east.yaml:1:1: unreadable cannot read the file: it is a directory",
        "figures/west.yaml:1:1: unreadable cannot read the file: No such file or directory",
    ]


# --- pydantic errors mapped to positions ---------------------------------------------------


def test_unknown_keys_get_a_hint_only_when_one_is_close(check: Any) -> None:
    plan = (
        "year: 2023\nyaer: 2023\ndistricts:\n  - id: east\n    naem: 东区\n    name: 东区\n"
        "    targets: []\n    zzz: 1\n"
    )
    assert check(plan=plan) == [
        "targets.yaml:2:1: unknown-key unknown key 'yaer' (did you mean 'year'?)",
        "targets.yaml:5:5: unknown-key unknown key 'naem' (did you mean 'name'?)",
        "targets.yaml:8:5: unknown-key unknown key 'zzz'",
    ]


def test_the_plan_must_be_a_mapping(check: Any) -> None:
    assert check(plan="") == [
        "targets.yaml:1:1: type a plan is a mapping with `year` and `districts`"
    ]
    assert check(plan="- 1\n") == [
        "targets.yaml:1:1: type a plan is a mapping with `year` and `districts`"
    ]


def test_every_problem_in_every_file_in_one_run(check: Any) -> None:
    plan = "year: 2023\ndistricts:\n  - {id: east, name: 东区, targets: [], colour: red}\n"
    lines = check(
        plan=plan,
        figures={
            "east": '- {"target": "gdp", "period": "2023-Q1", "value": 012}\n',
            "west": "- {target: gdp, period: 2023-Q1, value: 1, value: 2}\n- [\n",
        },
    )
    assert lines == [
        "figures/east.yaml:1:51: ambiguous-number 012 has a leading zero, so YAML 1.1 readers "
        "take it as the octal number 10; write 12, or quote it if it is text",
        "figures/west.yaml:1:44: duplicate-key key 'value' is repeated (first on line 1); "
        "keep one of them",
        "figures/west.yaml:2:4: yaml-syntax while parsing a flow node; expected the node "
        "content, but found '<stream end>'",
        "targets.yaml:3:39: unknown-key unknown key 'colour'",
    ]


def test_two_runs_give_the_same_lines_in_the_same_order(check: Any) -> None:
    figures = {
        "east": "- {target: nope, period: 2023-Q1, value: 1}\n- {target: gdp, period: x, value: 1}\n",
        "west": "- {target: gdp, period: 2023-Q9, value: 1}\n",
    }
    first = check(figures=figures)
    assert first == check(figures=figures)
    assert first == sorted(first, key=lambda line: (line.split(":")[0], int(line.split(":")[1])))


def test_a_pipe_is_not_opened(data_dir: Any) -> None:
    root = data_dir(figures={"east": ""})
    os.remove("figures/east.yaml")
    os.mkfifo("figures/east.yaml")  # opening it for reading would wait for a writer forever
    assert [str(d) for d in check_paths([root], None, AS_OF).diagnostics] == [
        "figures/east.yaml:1:1: unreadable cannot read the file: it is not a regular file"
    ]


def test_a_file_that_grows_after_it_is_measured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "targets.yaml"
    plan.write_bytes(b"year: 2023\n")  # 11 bytes: under the limit when measured
    from liuxia_tracker.plan import text

    measured = text.os.fstat

    def measure_then_grow(fd: int) -> Any:
        status = measured(fd)
        with plan.open("ab") as handle:
            handle.write(b"#" * 100)
        return status

    monkeypatch.setattr(text.os, "fstat", measure_then_grow)
    assert [str(p) for p in read_text(plan, 50, "targets.yaml")[1]] == [
        "targets.yaml:1:1: too-large file is over 50 bytes, over the limit of 50; is it the right file?"
    ]


def test_validate_is_exported_for_other_models() -> None:
    parsed, _ = parse_yaml("year: 2023\ndistricts: []\nx: 1\n", "p.yaml")
    assert parsed is not None
    from liuxia_tracker.domain.models import Plan

    model, problems = validation.validate(Plan, parsed, "p.yaml")
    assert model is None
    assert [str(p) for p in problems] == ["p.yaml:3:1: unknown-key unknown key 'x'"]


def test_escapes_that_are_half_a_character_are_refused() -> None:
    # A lone surrogate passes validation as text, then crashes whatever prints it as UTF-8.
    message = (
        "bad-character the escape \\ud800 is half of a UTF-16 pair, not a character; "
        "write the character itself"
    )
    assert parse('a: "x\\ud800"\n') == (None, [f"f.yaml:1:4: {message}"])
    assert parse('"\\ud800": 1\n') == (None, [f"f.yaml:1:1: {message}"])
    assert parse('a: "\\U0001F600"\n') == ({"a": "\U0001f600"}, [])


@pytest.mark.parametrize(
    ("text", "column", "escape"),
    [('a: "\\U00110000"\n', 5, "\\U00110000"), ('- "x\\UFFFFFFFF"\n', 5, "\\UFFFFFFFF")],
)
def test_escapes_beyond_the_last_character_are_refused(text: str, column: int, escape: str) -> None:
    assert parse(text) == (
        None,
        [
            f"f.yaml:1:{column}: bad-character the escape {escape} is not a character "
            "(the largest is \\U0010FFFF); write the character itself"
        ],
    )


# --- canonical figure lines, read as JSON by figures.py, must meet the same rules ----------

JSON_PATH_GAPS = pytest.mark.xfail(
    strict=True,
    reason="figures.py reads canonical lines with json.loads, which skips the loader's rules",
)


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ('- {"target": "gdp", "period": "2023-Q1", "value": 5.1, "value": 9}', "duplicate-key"),
        ('- {"target": "revenue", "period": "2023-01", "value": 1e3}', "ambiguous-number"),
        (
            '- {"target": "revenue", "period": "2023-01", "value": 99999999999999999999}',
            "number-range",
        ),
        (
            '- {"target": "gdp", "period": "2023-Q1", "value": 5.1, "note": "\\ud800"}',
            "bad-character",
        ),
    ],
)
def test_a_canonical_line_meets_the_loaders_rules(check: Any, line: str, code: str) -> None:
    assert [entry.split(" ")[1] for entry in check(figures={"east": line + "\n"})] == [code]
