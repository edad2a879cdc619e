"""Draft-07 JSON Schemas of the plan and of a figure file, generated from the pydantic models.

Guarantees: the keys, required keys, defaults, enums and bounds come from `models` through
pydantic's schema generator; the models' own validators are mapped to what a JSON Schema can
say (`_SCHEMA_OF_VALIDATOR`: an id is a slug, a period or a date is text of a given shape, a
qualifier may be written 以上/左右/以内, `pace` may be `linear`). What only the model-level
validators know is added by hand, once, below: a value may be a shorthand (`"6%"`, `15亿`), an
items target may leave `value` and `unit` out, and a figure record is either a value for a
period or an item's progress. Every key carries a Chinese and an English description
(`schema_text`). The output is deterministic: the same models give the same bytes.

The schema is a help for editors and other tools, not the judge: `tracker check` still applies
every rule (a schema cannot see units, cadences or the plan a figure belongs to).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from liuxia_tracker.domain import models
from liuxia_tracker.domain.schema_text import MODEL_TEXT, describe, field_text

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
SCHEMA_BASE = "https://github.com/liuxia-tracker/liuxia-tracker/schemas/"


class SchemaName(StrEnum):
    PLAN = "plan"
    FIGURE = "figure"


_SLUG_PATTERN = r"^[a-z][a-z0-9_]*(?:-[a-z0-9_]+)*$"
_PERIOD_PATTERN = r"^[0-9]{4}(?:-Q[1-4]|-W[0-9]{2}|-[0-9]{2}(?:-D[1-3]|-[0-9]{2})?)?$"
_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# A number written as text: ASCII digits, optional sign and point, then a unit (what
# `units.parse_shorthand` reads). The unit itself is judged by `tracker check`.
_SHORTHAND_PATTERN = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[^\s0-9.+-]\S*$"

_SCHEMA_OF_VALIDATOR: dict[Callable[..., Any], JsonSchemaValue] = {
    models._slug: {"type": "string", "pattern": _SLUG_PATTERN},
    models._unit_text: {"type": "string", "minLength": 1},
    models._finite: {"type": "number"},
    # A year period may be written as a bare number: `period: 2023`.
    models._period: {
        "anyOf": [
            {"type": "string", "pattern": _PERIOD_PATTERN},
            {"type": "integer", "minimum": 1900, "maximum": 2999},
        ]
    },
    models._iso_date: {"type": "string", "pattern": _DATE_PATTERN},
    models._timestamp: {"type": "string", "minLength": 10},
    models._qualifier: {
        "type": "string",
        "enum": ["at_least", "about", "at_most", *models.QUALIFIER_ALIASES],
    },
}

_NUMBER_OR_SHORTHAND: JsonSchemaValue = {
    "anyOf": [{"type": "number"}, {"type": "string", "pattern": _SHORTHAND_PATTERN}]
}


class _FromModels(GenerateJsonSchema):
    """Pydantic's generator, taught what the models' validators mean."""

    def _known(self, function: Any) -> JsonSchemaValue | None:
        found = _SCHEMA_OF_VALIDATOR.get(function)
        return dict(found) if found is not None else None

    def function_plain_schema(
        self, schema: core_schema.PlainValidatorFunctionSchema
    ) -> JsonSchemaValue:
        known = self._known(schema["function"]["function"])
        return known if known is not None else super().function_plain_schema(schema)

    def function_after_schema(
        self, schema: core_schema.AfterValidatorFunctionSchema
    ) -> JsonSchemaValue:
        known = self._known(schema["function"]["function"])
        inner = self.generate_inner(schema["schema"])
        if known is None:
            return inner
        # Keep the bounds the inner schema holds (`Field(ge=0)`), with the validator's type.
        return {**inner, **known} if "anyOf" not in known else known

    def function_before_schema(
        self, schema: core_schema.BeforeValidatorFunctionSchema
    ) -> JsonSchemaValue:
        known = self._known(schema["function"]["function"])
        return known if known is not None else self.generate_inner(schema["schema"])


def _definitions(schema: JsonSchemaValue) -> JsonSchemaValue:
    """Draft 2020-12's `$defs` as draft-07's `definitions`, references too; pydantic's titles
    and docstring descriptions dropped (`_describe_model` writes ours)."""
    text = json.dumps(schema).replace('"#/$defs/', '"#/definitions/')
    moved: JsonSchemaValue = json.loads(text)
    if "$defs" in moved:
        moved["definitions"] = moved.pop("$defs")
    cleaned: JsonSchemaValue = _without_titles(moved)
    return cleaned


def _without_titles(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: _without_titles(value)
            for key, value in node.items()
            if not (key == "title" and isinstance(value, str))
            and not (key == "description" and isinstance(value, str))
        }
    if isinstance(node, list):
        return [_without_titles(value) for value in node]
    return node


def _describe_model(name: str, model_schema: JsonSchemaValue) -> None:
    model_schema["description"] = describe(MODEL_TEXT[name])
    for field, field_schema in model_schema.get("properties", {}).items():
        field_schema["description"] = field_text(name, field)


def _model_schemas(root: type[BaseModel]) -> tuple[JsonSchemaValue, JsonSchemaValue]:
    """The root model's schema and its definitions, each described."""
    generated = _definitions(root.model_json_schema(schema_generator=_FromModels))
    definitions: JsonSchemaValue = generated.pop("definitions", {})
    for name, model_schema in definitions.items():
        _describe_model(name, model_schema)
    _describe_model(root.__name__, generated)
    return generated, definitions


def _shorthand_value(model_schema: JsonSchemaValue) -> None:
    # `value: 15亿元` is split into value and unit by the model's `_shorthand_value`.
    description = model_schema["properties"]["value"]["description"]
    nullable = any(
        option.get("type") == "null"
        for option in model_schema["properties"]["value"].get("anyOf", [])
    )
    options = [*_NUMBER_OR_SHORTHAND["anyOf"], *([{"type": "null"}] if nullable else [])]
    model_schema["properties"]["value"] = {"anyOf": options, "description": description}


def _pace(pace_schema: JsonSchemaValue) -> JsonSchemaValue:
    # `pace: linear` is read by the model's `_linear` as the empty profile.
    description = pace_schema.pop("description")
    return {
        "description": description,
        "anyOf": [{"type": "string", "const": "linear"}, pace_schema],
    }


def plan_schema() -> JsonSchemaValue:
    body, definitions = _model_schemas(models.Plan)
    target = definitions["Target"]
    _shorthand_value(target)
    # An items target may leave out `value` (its number of items) and `unit` (项); any other
    # needs a value, and a unit unless the value is a shorthand that carries one.
    target["required"] = [key for key in target["required"] if key not in ("value", "unit")]
    target["if"] = {"properties": {"kind": {"const": "items"}}, "required": ["kind"]}
    target["then"] = {}
    target["else"] = {
        "required": ["value"],
        "if": {"properties": {"value": {"type": "number"}}},
        "then": {"required": ["unit"]},
    }
    definitions["Pace"] = _pace(definitions["Pace"])
    return {
        "$schema": DRAFT_07,
        "$id": SCHEMA_BASE + "plan.schema.json",
        "title": "liuxia-tracker plan",
        **body,
        "definitions": dict(sorted(definitions.items())),
    }


def figure_schema() -> JsonSchemaValue:
    record, definitions = _model_schemas(models.Figure)
    _shorthand_value(record)
    # A record is an item's progress (`item`, `done`) or a value for a period.
    record["if"] = {"required": ["item"]}
    absent = {"type": "null"}
    record["then"] = {"required": ["done"], "properties": {"value": absent, "period": absent}}
    record["else"] = {"required": ["period", "value"], "properties": {"done": absent}}
    definitions["Figure"] = record
    return {
        "$schema": DRAFT_07,
        "$id": SCHEMA_BASE + "figure.schema.json",
        "title": "liuxia-tracker figure file",
        "description": describe(MODEL_TEXT["FigureFile"]),
        # A file of comments only (no record yet) reads as null.
        "type": ["array", "null"],
        "items": {"$ref": "#/definitions/Figure"},
        "definitions": dict(sorted(definitions.items())),
    }


SCHEMAS: dict[SchemaName, Callable[[], JsonSchemaValue]] = {
    SchemaName.PLAN: plan_schema,
    SchemaName.FIGURE: figure_schema,
}


def schema_text(name: SchemaName) -> str:
    """The schema as the committed file holds it: JSON, two-space indent, UTF-8, newline."""
    return json.dumps(SCHEMAS[name](), ensure_ascii=False, indent=2) + "\n"
