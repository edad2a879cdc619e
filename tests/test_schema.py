"""`tracker schema`: the committed schemas are what the command prints, every key is described
in Chinese and English, and check-jsonschema (the real one, run as a subprocess) accepts the
example data and the valid cases and rejects the invalid cases a schema can see."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import CASES
from liuxia_tracker.cli import app
from liuxia_tracker.commands.check import check_paths
from liuxia_tracker.domain import models
from liuxia_tracker.domain.schema import SchemaName
from liuxia_tracker.plan.validation import load_plan_text

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
DATA = ROOT / "data"
runner = CliRunner()

CHECK_JSONSCHEMA = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
needs_check_jsonschema = pytest.mark.skipif(
    CHECK_JSONSCHEMA is None, reason="check-jsonschema is not installed (pip install '.[test]')"
)

# check-jsonschema reads YAML 1.1 through libyaml, where `no` and `on` are booleans; the tool
# reads them as text (YAML 1.2), so this one valid case cannot pass that validator.
READ_AS_YAML_1_1 = {"valid/plans/yes_no_as_names.yaml"}

# The invalid cases whose problems a schema can see: types, unknown and missing keys, enums,
# bounds, the shape of ids, periods and dates. (The others are about bytes, YAML syntax, or
# rules that need the plan: units, cadences, ids that must exist.)
SCHEMA_VISIBLE_PLANS = [
    "bad_values",
    "missing_keys",
    "pace_profiles",
    "plan_is_a_list",
    "quoted_number",
    "settings_out_of_range",
    "unknown_key_typo",
    "wrong_types",
    "year_written_as_a_date",
    "yes_no_are_text",
]
SCHEMA_VISIBLE_FIGURES = [
    "east__bad_dates",
    "east__bad_periods",
    "east__missing_keys",
    "east__quoted_numbers",
    "east__record_not_a_mapping",
    "east__record_shape",
    "east__unknown_key_typo",
    "east__yes_is_not_true",
]


@pytest.mark.parametrize("name", [name.value for name in SchemaName])
def test_the_committed_schema_is_what_the_command_prints(name: str) -> None:
    result = runner.invoke(app, ["schema", name])
    assert result.exit_code == 0, result.output
    committed = (SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8")
    assert result.stdout == committed, f"run: tracker schema {name} -o schemas/{name}.schema.json"


def test_output_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "plan.schema.json"
    result = runner.invoke(app, ["schema", "plan", "--output", str(target)])
    assert (result.exit_code, result.stdout) == (0, "")
    assert target.read_bytes() == (SCHEMAS / "plan.schema.json").read_bytes()


def test_the_default_is_the_plan() -> None:
    assert runner.invoke(app, ["schema"]).stdout == runner.invoke(app, ["schema", "plan"]).stdout


def test_an_unknown_schema_is_a_usage_error() -> None:
    result = runner.invoke(app, ["schema", "figures"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "tracker: no schema 'figures'; choose one of plan, figure\n",
    )


def test_an_output_in_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "figure", "-o", str(tmp_path / "no" / "f.json")])
    assert (result.exit_code, result.stderr) == (
        1,
        f"tracker: cannot write {tmp_path / 'no' / 'f.json'}: no such folder {tmp_path / 'no'}\n",
    )


def _schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8"))
    return loaded


@pytest.mark.parametrize("name", ["plan", "figure"])
def test_the_schema_is_draft_07_with_definitions(name: str) -> None:
    schema = _schema(name)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    text = json.dumps(schema)
    assert "$defs" not in text
    assert set(re.findall(r'"#/definitions/(\w+)"', text)) <= set(schema["definitions"])


CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3}")


def test_every_key_of_every_model_is_described_in_both_languages() -> None:
    plan, figure = _schema("plan"), _schema("figure")
    described = {"Plan": plan, **plan["definitions"], **figure["definitions"]}
    for model in (models.Plan, models.Settings, models.Pace, models.Item, models.Target):
        assert model.__name__ in described
    for model in (models.District, models.Figure):
        assert model.__name__ in described
    for name, model_schema in described.items():
        body = model_schema if "properties" in model_schema else model_schema["anyOf"][1]
        model = getattr(models, name)
        assert set(body["properties"]) == set(model.model_fields), name
        for key, key_schema in body["properties"].items():
            description = key_schema["description"]
            assert CJK.search(description) and LATIN.search(description), (name, key)
            assert " / " in description, (name, key)


def test_values_may_be_numbers_or_shorthands() -> None:
    value = _schema("plan")["definitions"]["Target"]["properties"]["value"]
    pattern = re.compile(value["anyOf"][1]["pattern"])
    assert value["anyOf"][0] == {"type": "number"}
    for text in ("6%", "15亿", "80万平方米", "-0.5%", "1.5亿元"):
        assert pattern.match(text), text
    for text in ("6", "12.5", "abc", "6 %", ""):
        assert not pattern.match(text), text


def test_the_example_plan_names_its_schema_by_a_relative_path() -> None:
    content = (DATA / "targets.yaml").read_bytes()
    first, _, rest = content.partition(b"\n")
    assert first == b"# yaml-language-server: $schema=../schemas/plan.schema.json"
    assert (DATA / first.decode().split("=", 1)[1]).resolve() == SCHEMAS / "plan.schema.json"
    # The comment changes nothing the tool reads: the same plan, and it checks clean.
    with_header, _, problems = load_plan_text(content.decode("utf-8"), "targets.yaml")
    without_header, _, _ = load_plan_text(rest.decode("utf-8"), "targets.yaml")
    assert problems == [] and with_header == without_header and with_header is not None


def test_the_example_data_checks_clean() -> None:
    result = check_paths([DATA], None, date(2023, 12, 31))
    assert result.diagnostics == []


def _check_jsonschema(schema: str, files: list[Path]) -> subprocess.CompletedProcess[str]:
    assert CHECK_JSONSCHEMA is not None
    return subprocess.run(
        [
            CHECK_JSONSCHEMA,
            "--schemafile",
            str(SCHEMAS / f"{schema}.schema.json"),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@needs_check_jsonschema
def test_check_jsonschema_accepts_the_example_data_and_every_valid_case() -> None:
    plans = [DATA / "targets.yaml", CASES / "plan.yaml"] + [
        path
        for path in sorted((CASES / "valid" / "plans").glob("*.yaml"))
        if path.relative_to(CASES).as_posix() not in READ_AS_YAML_1_1
    ]
    figures = sorted((DATA / "figures").glob("*.yaml")) + sorted(
        (CASES / "valid" / "figures").glob("*.yaml")
    )
    for schema, files in (("plan", plans), ("figure", figures)):
        result = _check_jsonschema(schema, files)
        assert (result.returncode, result.stdout.strip()) == (0, "ok -- validation done"), (
            result.stdout + result.stderr
        )


@needs_check_jsonschema
@pytest.mark.parametrize(
    ("schema", "cases"),
    [
        ("plan", [f"invalid/plans/{name}.yaml" for name in SCHEMA_VISIBLE_PLANS]),
        ("figure", [f"invalid/figures/{name}.yaml" for name in SCHEMA_VISIBLE_FIGURES]),
    ],
)
def test_check_jsonschema_rejects_the_invalid_cases_a_schema_can_see(
    schema: str, cases: list[str]
) -> None:
    result = _check_jsonschema(schema, [CASES / case for case in cases])
    assert result.returncode == 1
    # Schema errors, not files the validator could not parse; and every file has one.
    assert result.stdout.startswith("Schema validation errors were encountered."), result.stdout
    rejected = set(re.findall(r"^  (\S+?)::\$", result.stdout, flags=re.MULTILINE))
    assert rejected == {str(CASES / case) for case in cases}
