"""The status memo: `tracker status` given back whole when nothing it depends on has changed.

The report memo (`row_memo`) spares reading and judging an unchanged log, but a warm report
still validates the plan, decodes every row, scores, sorts and renders them. When nothing at
all changed since a report was shown, the text it printed is the text it would print again:
so after each report its output is stored, keyed by everything it depends on, and the next
run that asks the same gives it back without loading the plan or any row.

The key: the plan cache's key (the plan's bytes with this package's source), the data folder,
the working directory and every figure file (as found by `dataset.figure_files_in`, by name),
the day judged, the filters as given, the sort key, the output format, the language, colour
and width. Each log's bytes are checked by `row_memo.LogState`'s rule (its `stat`, trusted
only when it had not changed for `row_memo.RACY_NS` before it was read; else its SHA-256).
The entry holds the output's bytes and what the command line says besides: the statuses of
the rows shown (for `--fail-on`), how many rows were shown and how many problems in the
figure files were skipped.

Guarantees: an entry is given back only when its key, every log and the entry's own digest
hold, so the bytes are those the same run would make; a report of plan problems, a folder
holding a log no district reads (its problems are read afresh each time), or a cache turned
off (`TRACKER_NO_CACHE=1`) is never stored. A cut-off import is refused before anything is
looked up. One entry per data folder and choice of options (the last day asked), at most
`MAX_ENTRIES`, written atomically in `plan.cache.folder()/status`; deleting them changes
nothing but time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from liuxia_tracker.commands.dataset import DataDir, display_path, figure_files_in
from liuxia_tracker.commands.row_memo import LogState
from liuxia_tracker.commands.status import Filters, SortKey, build_status
from liuxia_tracker.diagnostics import Diagnostic
from liuxia_tracker.engine.rows import Status
from liuxia_tracker.i18n import Language
from liuxia_tracker.log.cache_entry import read_entry, write_entry
from liuxia_tracker.log.journal import refuse_cut_off_import
from liuxia_tracker.render.formats import OutputFormat, render_report

FORMAT = 1
MAX_ENTRIES = 8
_FOLDER = "status"


@dataclass(frozen=True, slots=True)
class Look:
    """How the report is shown: its format, language, colour and width (None: as wide as the
    text needs), all resolved by the caller."""

    format: OutputFormat
    language: Language
    color: bool = False
    width: int | None = None


@dataclass(frozen=True, slots=True)
class ShownStatus:
    """What `tracker status` shows. `content` None: the plan has problems (`plan_problems`)
    and there is nothing to report."""

    content: bytes | None
    statuses: frozenset[Status]  # the statuses of the rows shown
    rows: int  # rows shown
    skipped: int  # problems in the figure files, counted, not shown
    plan_problems: tuple[Diagnostic, ...] = ()


def shown_status(
    data_dir: DataDir, as_of: date, filters: Filters, sort: SortKey, look: Look
) -> ShownStatus:
    """The report rendered as `look` says: as stored when nothing it depends on changed, else
    built (`status.build_status`), rendered and stored."""
    from liuxia_tracker.plan import cache as plan_cache

    refuse_cut_off_import(data_dir.figures_path, display_path(data_dir.figures_path))
    folder = plan_cache.folder()
    where = None if folder is None else _Where.of(folder, data_dir, as_of, filters, sort, look)
    if where is not None:
        recalled = where.recall()
        if recalled is not None:
            return recalled
    result = build_status(data_dir, as_of, filters, sort)
    if result.report is None:
        return ShownStatus(None, frozenset(), 0, len(result.diagnostics), tuple(result.diagnostics))
    text = render_report(
        result.report, look.format, look.language, color=look.color, width=look.width
    )
    shown = ShownStatus(
        text.encode("utf-8"),
        frozenset(row.status for row in result.report.rows),
        len(result.report.rows),
        len(result.diagnostics),
    )
    if where is not None and result.plan_key == where.plan_key:
        states = [result.logs.get(log) for log in where.logs]
        if len(result.logs) == len(where.logs) and all(states):
            where.remember(shown, [state for state in states if state is not None])
    return shown


@dataclass(frozen=True, slots=True)
class _Where:
    """Where a report's entry is, its key, and what the key was made of."""

    path: Path
    key: str
    plan_key: str
    logs: list[Path]

    @classmethod
    def of(
        cls,
        folder: Path,
        data_dir: DataDir,
        as_of: date,
        filters: Filters,
        sort: SortKey,
        look: Look,
    ) -> _Where | None:
        from liuxia_tracker.plan.cache import key_for
        from liuxia_tracker.plan.text import MAX_PLAN_BYTES, read_bytes

        data, _ = read_bytes(data_dir.plan_path, MAX_PLAN_BYTES, display_path(data_dir.plan_path))
        if data is None:
            return None  # the report says why
        plan_key = key_for(data)
        del data
        logs = figure_files_in(data_dir)
        # Every log is in the figures folder: the folder, the working directory (the names
        # shown are relative to it) and each log's name say where each is and how it is shown;
        # a log that is a link is judged by its `stat`, which follows it.
        options = [
            plan_key,
            str(data_dir.path.resolve()),
            str(data_dir.shipped),
            str(Path.cwd().resolve()),
            str(data_dir.figures_path.resolve()),
            *(f"{log.parent}\0{log.name}" for log in logs),
            "\0".join(filters.districts),
            "\0".join(filters.groups),
            "\0".join(filters.owners),
            "\0".join(filters.leaders),
            "\0".join(status.value for status in filters.statuses),
            sort.value,
            look.format.value,
            look.language.value,
            str(look.color),
            str(look.width),
        ]
        slot = _digest("status slot", *options)
        key = _digest("status memo", slot, as_of.isoformat())
        return cls(folder / _FOLDER / f"{slot[:32]}.json", key, plan_key, logs)

    def recall(self) -> ShownStatus | None:
        """The stored output, when it is this key's and every log is as it was, or None."""
        entry = read_entry(self.path, FORMAT, self.key)
        if entry is None:
            return None
        header, content = entry
        try:
            stored = header["logs"]
            if len(stored) != len(self.logs):
                return None
            states = []
            renewed = False
            for log, (stat, read_ns, digest) in zip(self.logs, stored, strict=True):
                old = LogState(tuple(stat), int(read_ns), str(digest))
                state = old.confirmed(log)
                if state is None:
                    return None
                renewed = renewed or state is not old
                states.append(state)
            shown = ShownStatus(
                content,
                frozenset(Status(status) for status in header["statuses"]),
                int(header["rows"]),
                int(header["skipped"]),
            )
        except (ValueError, TypeError, KeyError):
            return None
        if renewed:
            self.remember(shown, states)  # a log was hashed again: next time its stat will do
        return shown

    def remember(self, shown: ShownStatus, states: list[LogState]) -> None:
        if shown.content is None:
            return
        header = {
            "format": FORMAT,
            "key": self.key,
            "logs": [[list(state.stat), state.read_ns, state.digest] for state in states],
            "statuses": sorted(status.value for status in shown.statuses),
            "rows": shown.rows,
            "skipped": shown.skipped,
        }
        write_entry(self.path, header, shown.content)
        _prune(self.path.parent)


def _digest(*parts: str) -> str:
    digest = hashlib.sha256(f"{FORMAT}".encode())
    for part in parts:
        digest.update(b"\0\0" + part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _prune(where: Path) -> None:
    """Keep the `MAX_ENTRIES` most recently written entries."""
    from liuxia_tracker.plan.cache import prune_entries

    prune_entries(where, MAX_ENTRIES)
