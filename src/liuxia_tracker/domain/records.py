"""Figures as held in memory once read: `FigureRecord` (the fields of `Figure` in slots, a
million of them built fast) and `Recorded` (a record with the line it starts on).

Guarantees: `FIGURE_FIELDS` is `Figure`'s field list, in order; `FigureRecord` takes its
slots and constructor from it, so a field added to `Figure` needs only its type here (a test
holds that every field is typed).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from liuxia_tracker.domain.models import Figure
from liuxia_tracker.domain.periods import Period

_Day = date  # `date` is also a field name below

FIGURE_FIELDS: tuple[str, ...] = tuple(Figure.model_fields)


def _figure_record_init() -> Any:
    """`FigureRecord.__init__`, written out from `FIGURE_FIELDS` (as dataclasses do): every
    field a parameter defaulting to None but `target`, each stored in its slot. Generated so
    a new field needs no edit here, and written out so a million records are built fast."""
    parameters = ", ".join(name if name == "target" else f"{name}=None" for name in FIGURE_FIELDS)
    body = "".join(f"\n    self.{name} = {name}" for name in FIGURE_FIELDS)
    namespace: dict[str, Any] = {}
    exec(f"def __init__(self, {parameters}):{body}", namespace)  # our own text, from the fields
    return namespace["__init__"]


class FigureRecord:
    """A figure as held in memory once read from a file: the fields of `Figure`, already
    validated (by `Figure`, or by the reader's check of the canonical line, which accepts only
    what `Figure` accepts and gives the same values), in slots. A million of them must fit in
    memory and be built quickly, which a pydantic model is not made for. Equal to a `Figure`
    or a `FigureRecord` with the same fields. Built positionally or by name, in
    `FIGURE_FIELDS` order; every field but `target` defaults to None."""

    __slots__ = FIGURE_FIELDS

    target: str
    period: Period | None
    value: float | None
    unit: str | None
    item: str | None
    done: bool | None
    date: _Day | None
    source: str | None
    note: str | None
    by: str | None
    recorded_at: datetime | None
    published: _Day | None
    level: str | None
    provisional: bool | None
    forced: bool | None
    retraction: str | None

    if TYPE_CHECKING:

        def __init__(self, target: str, *fields: Any, **named: Any) -> None: ...

    else:
        __init__ = _figure_record_init()

    @classmethod
    def from_model(cls, figure: Figure) -> FigureRecord:
        return cls(*(getattr(figure, name) for name in FIGURE_FIELDS))

    def to_model(self) -> Figure:
        """The same figure as a `Figure` (not validated again: it already was)."""
        fields = {name: value for name, value in self.fields().items() if value is not None}
        return Figure.model_construct(**fields)

    def fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FIGURE_FIELDS}

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in FIGURE_FIELDS)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FigureRecord):
            return self._values() == other._values()
        if isinstance(other, Figure):
            return self._values() == tuple(getattr(other, name) for name in FIGURE_FIELDS)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={value!r}" for name, value in self.fields().items() if value is not None
        )
        return f"FigureRecord({shown})"


# A field added to `Figure` must be typed in `FigureRecord` too (tests/test_models.py).
TYPED_RECORD_FIELDS = frozenset(FigureRecord.__annotations__)


# A figure either way: as read (`FigureRecord`) or as built to be written (`Figure`).
AnyFigure = Figure | FigureRecord


class Recorded(NamedTuple):
    """A figure as read from its file, with the line it starts on. (A named tuple: a million
    are made, and a tuple is made fastest.)"""

    figure: FigureRecord
    line: int
