"""The plan cache: a plan found valid is kept, so the next command need not read and judge it
again.

Parsing and validating a plan of thousands of targets takes about a second; `record` needs one
district of it, `status` its values, `check` nothing more than the plan when nothing in it is
wrong. Whenever a plan is loaded whole and has no problem loading, its values are stored here,
with whether the plan rules (`rules.plan`) found anything in it; the next command on the same
plan reads them back (only the districts it needs, for the writing commands) and validates them
with the same models, which is all loading would have done after parsing: the plan is the one
loading gives.

Guarantees:

- An entry is keyed by the SHA-256 of the plan's bytes together with this package's own source
  files, so a changed plan, or a changed tool, never meets an old entry; a plan with problems
  loading is never stored, so its diagnostics always come from loading it.
- An entry is plain JSON lines (never pickle): a header (format, key, the SHA-256 of the rest),
  then what is known of the plan (whether it is clean, its keys but its districts, the district
  ids in order), then one line per district. An entry that cannot be read, of another format or
  key, whose digest does not match its content (torn, or changed by hand), or whose values do
  not validate, is ignored and the plan is loaded.
- The cyclic garbage collector is paused while a plan is read: the objects made are all kept
  and hold no cycle, and collections meanwhile would only scan them again (about half the
  time of reading an entry).
- A plan is clean when loading it found no problem and no plan rule found anything in it: then
  nothing in it needs a position, and `positions=True` (a check) takes it from the cache too.
- Entries are written atomically (a temporary file in the cache folder, then `os.replace`);
  at most `MAX_ENTRIES` are kept. A folder that cannot be written is ignored.
- The folder is `$XDG_CACHE_HOME/liuxia-tracker`, else `~/.cache/liuxia-tracker`;
  `TRACKER_NO_CACHE=1` turns the cache off.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from liuxia_tracker.diagnostics import Diagnostic
from liuxia_tracker.domain.models import Plan
from liuxia_tracker.plan.loading import Parsed
from liuxia_tracker.plan.text import MAX_PLAN_BYTES, decode, read_bytes
from liuxia_tracker.plan.validation import load_plan_text
from liuxia_tracker.rules.plan import plan_findings

FORMAT = 2
MAX_ENTRIES = 8
_FOLDER = "liuxia-tracker"


def folder(environ: dict[str, str] | None = None) -> Path | None:
    """Where entries live, or None when the cache is off."""
    env = os.environ if environ is None else environ
    if env.get("TRACKER_NO_CACHE", "") not in ("", "0"):
        return None
    base = env.get("XDG_CACHE_HOME")
    if base and Path(base).is_absolute():
        return Path(base) / _FOLDER
    home = env.get("HOME")
    if not home:
        return None
    return Path(home) / ".cache" / _FOLDER


@cache
def _code_identity() -> bytes:
    """A digest of this package's source files: what decides how a plan is read and judged."""
    digest = hashlib.sha256(f"liuxia-tracker plan cache {FORMAT}".encode())
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0")
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    return digest.digest()


def key_for(plan_bytes: bytes) -> str:
    digest = hashlib.sha256(_code_identity())
    digest.update(plan_bytes)
    return digest.hexdigest()


def load_plan(
    path: Path,
    display: str,
    *,
    districts: Collection[str] | None = None,
    positions: bool = False,
) -> tuple[Plan | None, Parsed | None, list[Diagnostic]]:
    """Like `loading.load_plan`: (Plan or None, its parsed positions, diagnostics), through the
    cache.

    From the cache the positions are None and there are no diagnostics (only a plan without
    problems loading is stored). `positions=True` (a check, which reports positions in the
    plan) takes from the cache only a clean plan, whose positions nothing could need; any other
    plan is loaded, with its positions. With `districts`, the plan holds only those districts,
    in plan order — all of them when one is not in the plan, so an error can name the others.
    """
    data, problems = read_bytes(path, MAX_PLAN_BYTES, display)
    if data is None:
        return None, None, problems
    key = key_for(data)
    with _collection_paused():
        entry = _read(key)
        if entry is not None and (entry.clean or not positions):
            cached = entry.plan(districts)
            if cached is not None:
                return cached, None, []
            entry = None  # its values do not validate: replaced below
        text, problems = decode(data, display)
        del data  # a national plan is tens of megabytes: not kept while it is parsed
        if text is None:
            return None, None, problems
        # Read without the position tables first (about half the time and memory), unless the
        # entry says a rule finds fault with this plan; a check reads the positions only when
        # there is something in the plan to point at.
        known_faulty = positions and entry is not None and not entry.clean
        plan, parsed, problems = load_plan_text(text, display, positions=known_faulty)
        clean = plan is not None and parsed is not None and not problems and _is_clean(plan, parsed)
        if positions and not clean and parsed is not None and not parsed.positions:
            plan, parsed, problems = load_plan_text(text, display)  # a finding needs positions
        del text
        if plan is None or parsed is None:
            return None, parsed, problems
        if not problems and entry is None:
            _write(key, parsed.value, clean=clean)
    if districts is not None:
        wanted = set(districts)
        if wanted <= {district.id for district in plan.districts}:
            kept = [district for district in plan.districts if district.id in wanted]
            plan = plan.model_copy(update={"districts": kept})
    return plan, parsed, problems


@contextlib.contextmanager
def _collection_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _is_clean(plan: Plan, parsed: Parsed) -> bool:
    """No plan rule finds anything in the plan (loading it found nothing either)."""
    return not plan_findings(plan, parsed.value, lambda path: parsed.positions.get(path, (1, 1)))


@dataclass(frozen=True, slots=True)
class _Entry:
    """An entry whose digest matched: the plan's values, not validated yet."""

    clean: bool
    values: dict[str, Any]  # the plan's keys but its districts
    ids: list[Any]
    lines: list[bytes]  # each district's values, in plan order

    def plan(self, districts: Collection[str] | None) -> Plan | None:
        wanted = set(self.ids) if districts is None else set(districts)
        if not wanted <= set(self.ids):
            wanted = set(self.ids)
        try:
            value = dict(self.values)
            value["districts"] = [
                json.loads(line)
                for line, district in zip(self.lines, self.ids, strict=True)
                if district in wanted
            ]
            return Plan.model_validate(value)
        except (ValueError, TypeError, KeyError, RecursionError, ValidationError):
            return None


def _read(key: str) -> _Entry | None:
    where = folder()
    if where is None:
        return None
    try:
        data = (where / f"{key}.json").read_bytes()
        first, _, rest = data.partition(b"\n")
        header = json.loads(first)
        if header != {"format": FORMAT, "key": key, "digest": header.get("digest")}:
            return None
        if header["digest"] != hashlib.sha256(rest).hexdigest():
            return None
        about, *lines = rest.split(b"\n")
        known = json.loads(about)
        ids = known["districts"]
        if (
            not isinstance(known["clean"], bool)
            or not isinstance(known["plan"], dict)
            or not isinstance(ids, list)
            or len(lines) != len(ids) + 1  # a line per district, then the final newline
            or lines.pop()
        ):
            return None
        return _Entry(known["clean"], known["plan"], ids, lines)
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def _write(key: str, value: Any, *, clean: bool) -> None:
    where = folder()
    if where is None or not isinstance(value, dict):
        return
    import tempfile

    listed = value.get("districts")
    if not isinstance(listed, list):
        return
    try:
        known = {
            "clean": clean,
            "plan": {name: item for name, item in value.items() if name != "districts"},
            "districts": [district.get("id") for district in listed],
        }
        lines = [json.dumps(known, ensure_ascii=False)]
        lines += [json.dumps(district, ensure_ascii=False) for district in listed]
        rest = ("\n".join(lines) + "\n").encode("utf-8")
        header = {"format": FORMAT, "key": key, "digest": hashlib.sha256(rest).hexdigest()}
        data = json.dumps(header).encode("utf-8") + b"\n" + rest
        where.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=where, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, where / f"{key}.json")
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _prune(where)
    except (OSError, ValueError, TypeError, AttributeError, RecursionError):
        return


def _prune(where: Path) -> None:
    """Keep the `MAX_ENTRIES` most recently written entries."""
    prune_entries(where, MAX_ENTRIES)


def prune_entries(where: Path, keep: int) -> None:
    """Keep the `keep` most recently written cache entries in `where` (files named by a hex
    key); the others are deleted. Shared by every cache that keeps a few entries."""
    entries = []
    for path in where.glob("[0-9a-f]*.json"):
        with contextlib.suppress(OSError):
            entries.append((path.stat().st_mtime_ns, path))
    entries.sort(reverse=True)
    for _, path in entries[keep:]:
        with contextlib.suppress(OSError):
            path.unlink()
