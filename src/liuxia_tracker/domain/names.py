"""Finding a district, target or item by what a person types: its id, its Chinese name, its
short name (历下 for 历下区), its English name, or one of the plan's `aliases:`.

Guarantees: pure. An id always wins; otherwise every other name is compared exactly (English
names without regard to case). A name that fits more than one thing is an error listing the
candidates; an unknown name is an error naming the closest id, if any, and listing the valid
ones. Errors are one-line `TrackerError`s (exit 1).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from liuxia_tracker.diagnostics import TrackerError

# The administrative suffixes a short name leaves off: 历下区 → 历下, 济南市 → 济南.
_SUFFIXES = ("自治县", "新区", "区", "县", "市", "旗")


class Named(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def name_en(self) -> str | None: ...
    @property
    def aliases(self) -> list[str]: ...


_Thing = TypeVar("_Thing", bound=Named)


def short_name(name: str) -> str | None:
    """A district's name without its administrative suffix, when something is left."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return None


def names_of(thing: Named, *, short: bool = False) -> list[str]:
    """Every name `thing` answers to besides its id."""
    names = [thing.name, *thing.aliases]
    if short:
        abbreviated = short_name(thing.name)
        if abbreviated is not None:
            names.append(abbreviated)
    return names


def listing(things: Iterable[Named]) -> str:
    """`lixia (历下区), zhangqiu (章丘区)`: the valid choices, as an error lists them."""
    return ", ".join(f"{thing.id} ({thing.name})" for thing in things)


def resolve(
    things: Sequence[_Thing], wanted: str, what: str, owner: str, *, short: bool = False
) -> _Thing:
    """The thing `wanted` names (see the module docstring). `what` is the kind ("district",
    "target", "item"), `owner` what holds them ("the plan", "lixia")."""
    text = wanted.strip()
    for thing in things:
        if thing.id == text:
            return thing
    folded = text.casefold()
    found = [
        thing
        for thing in things
        if text in names_of(thing, short=short)
        or (thing.name_en is not None and thing.name_en.casefold() == folded)
    ]
    if len(found) == 1:
        return found[0]
    if found:
        raise TrackerError(
            f"{wanted!r} names several {what}s of {owner}: {listing(found)}; give the id"
        )
    ids = [thing.id for thing in things]
    containing = [thing.id for thing in things if text and text in thing.id]
    close = containing[:1] or difflib.get_close_matches(text, ids, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    article = "the plan" if owner == "the plan" else owner
    raise TrackerError(
        f"{article} has no {what} {wanted!r}{hint}; the {what}s are: {listing(things)}"
    )
