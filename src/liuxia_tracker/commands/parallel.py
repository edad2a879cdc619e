"""Work over many logs in worker processes: districts are independent, so their logs can be
read and judged on every processor, with results identical to one process's.

Guarantees: `parallel_map` returns the results in the order of its items, whether it ran them
here or in workers, so a caller that puts them together in that order gets the same output
either way. Workers are forked (they inherit the plan and the function, nothing is sent but
the item and the result) and used only when they repay their start: `TRACKER_WORKERS` (1:
none; n: at most n), else one per processor this process may use (at most `MAX_WORKERS`),
when the logs hold at least `PARALLEL_BYTES` bytes and there are two or more.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

PARALLEL_BYTES = 8 * 1024 * 1024
MAX_WORKERS = 8

Item = TypeVar("Item")
Result = TypeVar("Result")


def workers_for(logs: Sequence[Path], environ: dict[str, str] | None = None) -> int:
    """How many worker processes to read `logs` with (1: none)."""
    env = os.environ if environ is None else environ
    asked = env.get("TRACKER_WORKERS", "").strip()
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    if asked.isdigit() and int(asked) > 0:
        return min(int(asked), max(1, len(logs)))
    if len(logs) < 2 or available < 2:
        return 1
    size = 0
    for path in logs:
        try:
            size += path.stat().st_size
        except OSError:
            continue
        if size >= PARALLEL_BYTES:
            return min(available, MAX_WORKERS, len(logs))
    return 1


# The work of the current `parallel_map`, for the workers, which inherit it when they are forked.
_WORK: list[Callable[[Any], Any]] = []


def _run(item: Any) -> Any:
    return _WORK[-1](item)


def parallel_map(
    function: Callable[[Item], Result], items: list[Item], workers: int
) -> list[Result]:
    """`function` of each item, in order; in `workers` forked processes when more than one (the
    function and what it refers to are inherited, not sent; results come back pickled)."""
    if workers <= 1 or len(items) <= 1 or not _can_fork():
        return [function(item) for item in items]
    import multiprocessing

    gc.freeze()  # what the workers inherit is never collected, so its pages are not copied
    _WORK.append(function)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            # One item at a time: a log takes tens of milliseconds or more, far more than
            # handing it over, and the workers finish together (a chunk of many logs left to
            # one worker at the end kept the others idle).
            return pool.map(_run, items, chunksize=1)
    finally:
        _WORK.pop()


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()
