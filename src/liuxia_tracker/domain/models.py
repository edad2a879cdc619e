"""Pydantic models of the plan (data/targets.yaml) and of figure records.

Guarantees: validation is strict — a value whose YAML type is not what the field means is an
error, never converted (the one exception: a number may be written in the shorthand of
`units.parse_shorthand`, and a period or date is read from its text). Unknown keys are errors.
Numbers are finite. Ids are slugs. A validated Plan is internally consistent on its own
(pace weights sum to 1, qualifier and tolerance agree, rates are in %); rules that need the
figures too live in `checks`.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from liuxia_tracker.domain.periods import Period, PeriodError, PeriodKind, parse_period
from liuxia_tracker.domain.units import PERCENT, UnitError, parse_shorthand, parse_unit

_SLUG = re.compile(r"[a-z][a-z0-9_]*(?:-[a-z0-9_]+)*")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_STRICT = ConfigDict(strict=True, extra="forbid", frozen=True, allow_inf_nan=False)

Kind = Literal["rate", "quantity", "items"]
# How a district's score is computed (docs/data-format.md has a worked example of each).
ScoringMethod = Literal["capped", "all_or_nothing", "rank_points", "efficacy"]
# What a 左右 (about) target is when the actual is above its band: still met, or a miss.
OverBand = Literal["met", "miss"]
ReportedAs = Literal["cumulative", "increment"]
QualifierName = Literal["at_least", "about", "at_most"]
QUALIFIER_ALIASES = {"以上": "at_least", "左右": "about", "以内": "at_most"}
# A half year (`2023-H1`) is a period a figure may cover, not a cadence a target reports by.
CADENCES = tuple(kind.value for kind in PeriodKind if kind is not PeriodKind.HALF)


def is_slug(text: str) -> bool:
    """An id: lower-case letters, digits, '_' and '-', starting with a letter."""
    return _SLUG.fullmatch(text) is not None


def parse_iso_date(text: str) -> date:
    """A day written YYYY-MM-DD; ValueError for anything else."""
    if not _ISO_DAY.fullmatch(text):
        raise ValueError(text)
    return date.fromisoformat(text)


def _slug(value: str) -> str:
    if not is_slug(value):
        raise ValueError(
            f"{value!r} is not an id: use lower-case letters, digits, '_' and '-', "
            "starting with a letter"
        )
    return value


def _period(value: Any) -> Period:
    # A number is never taken for a period (2023 is not "2023"): wrong types are not converted.
    if isinstance(value, bool) or not isinstance(value, str):
        hint = (
            f' (quote it: "{value}")'
            if isinstance(value, int) and not isinstance(value, bool)
            else ""
        )
        raise ValueError(f'a period must be text such as "2023-03" or "2023-Q1"{hint}')
    try:
        return parse_period(value)
    except PeriodError as error:
        raise ValueError(str(error)) from None


def _iso_date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("a date must be written YYYY-MM-DD, e.g. 2023-06-30")
    try:
        return parse_iso_date(value)
    except ValueError:
        raise ValueError(f"not a date: {value!r} (write YYYY-MM-DD)") from None


def _timestamp(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("a timestamp must be ISO 8601 text, e.g. 2023-06-30T09:00:00+08:00")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not an ISO 8601 timestamp: {value!r}") from None


def _split_shorthand(data: Any) -> Any:
    """`value: 15亿元` stands for `value: 15, unit: 亿元`; the unit is then given once."""
    if not (isinstance(data, dict) and isinstance(data.get("value"), str)):
        return data
    try:
        number, unit = parse_shorthand(data["value"])
    except UnitError:
        return data  # not a shorthand: the number field says text is not a number
    if unit is None:
        return data  # "12.5" quoted is text, not one of the shorthands
    data = dict(data, value=number)
    if unit is not None:
        if data.get("unit") is not None and data["unit"] != unit.text:
            raise ValueError(
                f"value {unit.text!r} and unit {data['unit']!r} disagree: give the unit once"
            )
        data["unit"] = unit.text
    return data


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


def _qualifier(value: Any) -> Any:
    return QUALIFIER_ALIASES.get(value, value) if isinstance(value, str) else value


def parse_level(text: str) -> tuple[float, str]:
    """A level written as an amount with its unit ("1165.1亿元"): the number and the unit text;
    ValueError (one line) for anything else."""
    try:
        number, unit = parse_shorthand(text)
    except UnitError as error:
        raise ValueError(str(error)) from None
    if unit is None or not math.isfinite(number):
        raise ValueError(f'a level is an amount with its unit, e.g. "1165.1亿元", not {text!r}')
    return number, unit.text


def _level(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError('a level is text: an amount with its unit, e.g. "1165.1亿元"')
    parse_level(value)
    return value


def _unit_text(value: str) -> str:
    try:
        parse_unit(value)
    except UnitError as error:
        raise ValueError(str(error)) from None
    return value


Slug = Annotated[str, AfterValidator(_slug)]
PeriodField = Annotated[Period, PlainValidator(_period), PlainSerializer(str, return_type=str)]
IsoDate = Annotated[date, PlainValidator(_iso_date), PlainSerializer(date.isoformat)]
Timestamp = Annotated[datetime, PlainValidator(_timestamp), PlainSerializer(datetime.isoformat)]
Qualifier = Annotated[QualifierName, BeforeValidator(_qualifier)]
UnitText = Annotated[str, AfterValidator(_unit_text)]
Level = Annotated[str, PlainValidator(_level)]
Number = Annotated[float, AfterValidator(_finite)]
NonNegative = Annotated[float, Field(ge=0), AfterValidator(_finite)]
Share = Annotated[float, Field(ge=0, le=1)]


class Settings(BaseModel):
    """Plan-wide defaults; every one can be overridden on a target where a field exists."""

    model_config = _STRICT
    at_risk_share: Share = 0.10  # quantities, items: at risk within 10% of the expected amount
    at_risk_points: NonNegative = 1.0  # rates: at risk within 1 percentage point of the target
    about_share: Share = 0.05  # 左右 on a quantity: met within ±5% of the target
    about_points: NonNegative = 0.5  # 左右 on a rate: met within ±0.5 percentage points
    score_cap: Annotated[float, Field(ge=1, le=10)] = 1.2  # a target adds at most 120% to a score
    ahead_share: Share = 0.10  # quantities, items: ahead (超进度) beyond 10% above the expected
    ahead_points: NonNegative = 1.0  # rates: ahead beyond 1 percentage point above the target
    scoring: ScoringMethod = "capped"  # capped, all_or_nothing, rank_points or efficacy
    # The shipped example plan says `example: true`: the writing commands refuse it (copy it
    # with `tracker init DIR --from-example`, which drops the marker).
    example: bool = False
    # A figure more than this many times its target (or a year-to-date total more than this
    # many times the one before) is refused as a likely slip unless insisted on (`--force`).
    max_ratio: Annotated[float, Field(gt=1, le=1000)] = 10.0
    # A figure for a period with more than this many days still to run is refused unless
    # recorded as provisional (快报, `--provisional`).
    early_days: Annotated[int, Field(ge=0, le=366)] = 2
    lag_days: dict[Literal[CADENCES], Annotated[int, Field(ge=0, le=366)]] = Field(  # type: ignore[valid-type]
        default_factory=lambda: {
            "day": 1,
            "week": 3,
            "dekad": 5,
            "month": 20,
            "quarter": 30,
            "year": 90,
        }
    )


class Pace(BaseModel):
    """How the year's target falls due: `linear` (序时进度), or weights per month (12) or per
    quarter (4) summing to 1. Written in the plan as `pace: linear` or `pace: {month: [...]}`."""

    model_config = _STRICT
    month: list[NonNegative] | None = None
    quarter: list[NonNegative] | None = None

    @model_validator(mode="before")
    @classmethod
    def _linear(cls, data: Any) -> Any:
        if data == "linear":
            return {}
        if isinstance(data, str):
            raise ValueError(
                f"expected `linear` or a profile `{{month: [12 weights]}}`, not {data!r}"
            )
        return data

    @model_validator(mode="after")
    def _one_profile(self) -> Pace:
        if self.month is not None and self.quarter is not None:
            raise ValueError("a pace profile gives one of `month` (12 weights) or `quarter` (4)")
        weights = self.month if self.month is not None else self.quarter
        if weights is None:
            return self
        expected = 12 if self.month is not None else 4
        if len(weights) != expected:
            raise ValueError(f"this pace profile needs {expected} weights, not {len(weights)}")
        if abs(sum(weights) - 1.0) > 1e-9:
            raise ValueError(f"pace weights must sum to 1, not {sum(weights):.6g}")
        return self

    @property
    def is_linear(self) -> bool:
        return self.month is None and self.quarter is None


Aliases = list[str]  # other names a district, target or item is known by (简称, old names)


class Item(BaseModel):
    model_config = _STRICT
    id: Slug
    name: str
    name_en: str | None = None
    aliases: Aliases = Field(default_factory=list)
    owner: str | None = None
    leader: str | None = None
    due: IsoDate | None = None
    note: str | None = None


class Target(BaseModel):
    model_config = _STRICT
    id: Slug
    name: str
    name_en: str | None = None
    aliases: Aliases = Field(default_factory=list)
    group: str
    kind: Kind
    qualifier: Qualifier = "at_least"
    value: Number
    unit: UnitText
    tolerance: NonNegative | None = None  # 左右 band, in the target's unit (points for rates)
    over_band: OverBand = "met"  # 左右: `miss` makes an actual above the band a failure
    at_risk: NonNegative | None = None  # at-risk band: a share of expected, or points for rates
    cadence: Literal[CADENCES]  # type: ignore[valid-type]
    reported_as: ReportedAs = "cumulative"
    pace: Pace = Field(default_factory=Pace)
    owner: str | None = None
    leader: str | None = None
    weight: NonNegative = 1.0
    items: list[Item] = Field(default_factory=list)
    source: str | None = None
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand_value(cls, data: Any) -> Any:
        data = _split_shorthand(data)
        if isinstance(data, dict) and data.get("kind") == "items":
            data = dict(data)
            data.setdefault("unit", "项")
            if "value" not in data and isinstance(data.get("items"), list):
                data["value"] = len(data["items"])
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Target:
        if self.kind == "rate" and parse_unit(self.unit).base != PERCENT:
            raise ValueError(f"a rate target is in %, not {self.unit!r}")
        if self.tolerance is not None and self.qualifier != "about":
            raise ValueError("`tolerance` applies only to 左右 (about) targets")
        if self.over_band != "met" and self.qualifier != "about":
            raise ValueError("`over_band` applies only to 左右 (about) targets")
        if self.kind == "items":
            if self.value != int(self.value) or self.value < len(self.items):
                raise ValueError(
                    f"an items target counts whole items: value {self.value:g} is below the "
                    f"{len(self.items)} named items or not a whole number"
                )
        elif self.items:
            raise ValueError("only an `items` target lists items")
        if self.kind == "rate" and self.reported_as != "cumulative":
            raise ValueError("a rate is reported year-to-date: reported_as must be cumulative")
        return self


class District(BaseModel):
    model_config = _STRICT
    id: Slug
    name: str
    name_en: str | None = None
    aliases: Aliases = Field(default_factory=list)
    # 差异化考核: districts are ranked (and compared by rank_points and efficacy scoring)
    # only within their category; `ranked: false` (a city or province tracked beside its
    # districts) is never ranked.
    category: str | None = None
    ranked: bool = True
    targets: list[Target]
    note: str | None = None


class Plan(BaseModel):
    model_config = _STRICT
    year: Annotated[int, Field(ge=1900, le=2999)]
    title: str | None = None
    settings: Settings = Field(default_factory=Settings)
    districts: list[District]
    source: str | None = None


class Figure(BaseModel):
    """One reported figure: a value for a period, or an item's progress (`item` + `done`), or
    a retraction of the figure standing for a period or item (`retraction`: the reason).

    An items target may also receive a `value` for a period: the count done among its unnamed
    items, reported cumulatively. The fields, in this order, are the canonical line's keys and
    `FigureRecord`'s slots (`FIGURE_FIELDS`): a new field is added here, and typed once more in
    `FigureRecord` for the type checker.
    """

    model_config = _STRICT
    target: Slug
    period: PeriodField | None = None
    value: Number | None = None
    unit: UnitText | None = None
    item: Slug | None = None
    done: bool | None = None
    date: IsoDate | None = None
    source: str | None = None
    note: str | None = None
    by: str | None = None
    recorded_at: Timestamp | None = None
    published: IsoDate | None = None  # the day the figure was made public (发布日期)
    level: Level | None = None  # a rate's level, an amount with its unit: "1165.1亿元"
    provisional: bool | None = None  # 快报: sent before its period ended, to be confirmed
    forced: bool | None = None  # recorded although implausible (`--force`)
    retraction: str | None = None  # why the standing figure of the period or item is withdrawn

    @model_validator(mode="before")
    @classmethod
    def _shorthand_value(cls, data: Any) -> Any:
        return _split_shorthand(data)

    @model_validator(mode="after")
    def _shape(self) -> Figure:
        if self.retraction is not None:
            if not self.retraction.strip():
                raise ValueError("a retraction says why: `retraction` is empty")
            if self.value is not None or self.done is not None or self.level is not None:
                raise ValueError(
                    "a retraction names a period or an item and why, not a value or state"
                )
            if (self.period is None) == (self.item is None):
                raise PydanticCustomError(
                    "missing_key", "a retraction names a `period` or an `item` (one of them)"
                )
            return self
        if self.item is not None:
            if self.done is None:
                raise PydanticCustomError(
                    "missing_key",
                    "missing key 'done' (an item record says `done: true` or `false`)",
                )
            if self.value is not None or self.period is not None:
                raise ValueError(
                    "an item record has `item`, `done` and `date`, not a value or period"
                )
            if self.level is not None:
                raise ValueError("`level` belongs to a figure with a value, not an item record")
        else:
            if self.done is not None:
                raise ValueError("`done` belongs to an item record, which names an `item`")
            if self.period is None or self.value is None:
                missing = "period" if self.period is None else "value"
                raise PydanticCustomError("missing_key", "missing key '{key}'", {"key": missing})
        return self
