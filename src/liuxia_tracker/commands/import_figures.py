"""`tracker import`: many figures from a CSV or JSON-lines file, all of them or none.

Guarantees: every row of every district is judged (`FigureBook.judge`, then against the file
and the rows before it) before anything is written; any problem refuses the whole import,
each reported at its row and the column of the field it is about. The series checks run
twice: first under shared locks, so a refused import creates no file and blocks no writer;
then again under the exclusive locks the writes are made under, so the decisions hold for
what is written. Then each district's new records go to its file in one write, all of them
in one transaction (`log.transaction`): after a crash or a fault, every file holds all of
the import's rows or none. Rows already
recorded are skipped, so importing the same file twice writes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from liuxia_tracker.commands.common import (
    Change,
    ChangeKind,
    check_recorder,
    default_recorder,
    figure_path,
    find_district,
    load_plan_to_write,
    timestamp_now,
)
from liuxia_tracker.commands.dataset import DataDir, display_path
from liuxia_tracker.commands.figure_book import FigureBook, stamped
from liuxia_tracker.commands.import_rows import FirstRows, as_asked, by_names
from liuxia_tracker.commands.record import insisted
from liuxia_tracker.diagnostics import Diagnostic, Finding, TrackerError, exit_code_for
from liuxia_tracker.domain.models import District, Figure, Plan, Target
from liuxia_tracker.engine.series import suggestion
from liuxia_tracker.log.append import locked_for_reading, refuse_torn_tail
from liuxia_tracker.log.canonical import canonical_line
from liuxia_tracker.log.import_encoding import check_format_name
from liuxia_tracker.log.import_file import ImportRow, ParsedImport, parse_import, read_source
from liuxia_tracker.log.transaction import import_transaction


@dataclass
class DistrictBatch:
    district: str
    path: Path
    display: str
    changes: list[Change] = field(default_factory=list)

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


@dataclass
class ImportResult:
    source: str
    encoding: str
    rows_read: int
    diagnostics: list[Diagnostic] = field(default_factory=list)
    batches: list[DistrictBatch] = field(default_factory=list)
    written: bool = False

    @property
    def exit_code(self) -> int:
        return exit_code_for(self.diagnostics)


Progress = Callable[[int, int], None]  # (rows checked so far, rows to check in all)


def _row_problem(display: str, row: ImportRow, finding: Finding) -> Diagnostic:
    return Diagnostic(display, row.row, row.column(finding.field), finding.code, finding.message)


@dataclass(frozen=True, slots=True)
class _CheckedRow:
    row: ImportRow
    district: District
    value: float | None  # in the target's unit


class _SeriesPass:
    """One run of the series checks over every row, against the files as they are now."""

    def __init__(
        self,
        data_dir: DataDir,
        plan: Plan,
        parsed: ParsedImport,
        rows: list[_CheckedRow],
        stamp: Callable[[Figure, Target], Figure],
    ) -> None:
        self.parsed = parsed
        self.stamp = stamp
        self.rows_by_district: dict[str, list[_CheckedRow]] = {}
        for checked in rows:
            self.rows_by_district.setdefault(checked.district.id, []).append(checked)
        self.books: list[FigureBook] = []
        for district_id in sorted(self.rows_by_district):  # one lock order for every import
            district = self.rows_by_district[district_id][0].district
            path = figure_path(data_dir, district_id)
            book = FigureBook(plan, district, path, display_path(path))
            book.import_display = parsed.display
            self.books.append(book)
        self.diagnostics: list[Diagnostic] = []
        self.batches: dict[str, DistrictBatch] = {}
        self.force = False  # implausible values are recorded as `forced`

    def targets(self, book: FigureBook) -> set[str]:
        return {c.row.figure.target for c in self.rows_by_district[book.district.id]}

    def check(self, book: FigureBook, progress: Callable[[], None]) -> None:
        """Check one district's rows in order; the book's file content must still be mapped."""
        batch = self.batches[book.district.id] = DistrictBatch(
            book.district.id, book.path, book.display
        )
        for checked in self.rows_by_district[book.district.id]:
            row = checked.row
            kind, previous, problems = book.against_series(row.figure, checked.value)
            figure, problems = insisted(row.figure, problems, self.force)
            progress()
            if problems:
                self.diagnostics.extend(_row_problem(self.parsed.display, row, p) for p in problems)
                continue
            if kind != "unchanged":
                figure = self.stamp(figure, book.targets[figure.target])
                book.remember(figure, checked.value, row.row)
            batch.changes.append(
                Change(
                    kind,
                    book.district.id,
                    book.display,
                    figure,
                    previous.figure if previous is not None else None,
                    row.row,
                    book.targets[figure.target].unit,
                )
            )


def _by_name(plan: Plan, wanted: str) -> District | None:
    """A district named by its name or short name (历下区, 历下), or None."""
    try:
        return find_district(plan, wanted)
    except TrackerError:
        return None


def import_figures(
    data_dir: DataDir,
    plan: Plan,
    parsed: ParsedImport,
    *,
    by: str | None = None,
    now: datetime | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    force: bool = False,
    provisional: bool = False,
) -> ImportResult:
    """Validate every row, then write each district's batch in one append — or nothing.
    `force` and `provisional` are `record`'s flags, for every row (`import_rows.as_asked`).

    The series checks run twice: first reading the files under shared locks, so a refused
    import creates no file and blocks no writer; then again under the exclusive locks the
    writes are made under, so the decisions hold for what is written.
    """
    check_recorder(by)
    result = ImportResult(parsed.display, parsed.encoding, parsed.rows_read)
    result.diagnostics.extend(parsed.diagnostics)
    day = today if today is not None else date.today()
    moment = now if now is not None else timestamp_now()
    recorder = by or default_recorder()
    districts = {district.id: district for district in plan.districts}
    checked: list[_CheckedRow] = []
    plan_books: dict[str, FigureBook] = {}  # for the plan checks, which read no file
    first_rows = FirstRows(parsed.display)
    for row in parsed.rows:
        if row.district is None:
            result.diagnostics.append(
                Diagnostic(
                    parsed.display,
                    row.row,
                    row.column("district"),
                    "missing-district",
                    "no district: fill the district column or give --district",
                )
            )
            continue
        district = districts.get(row.district) or _by_name(plan, row.district)
        if district is None:
            message = f"the plan has no district {row.district!r}" + suggestion(
                row.district, districts
            )
            result.diagnostics.append(
                Diagnostic(
                    parsed.display, row.row, row.column("district"), "unknown-district", message
                )
            )
            continue
        named = by_names(district, row, parsed.display)
        if isinstance(named, Diagnostic):
            result.diagnostics.append(named)
            continue
        row = as_asked(named, provisional=provisional)
        repeated = first_rows.repeats(district.id, row)
        if repeated is not None:
            result.diagnostics.append(repeated)
            continue
        book = plan_books.get(district.id)
        if book is None:
            path = figure_path(data_dir, district.id)
            book = plan_books[district.id] = FigureBook(plan, district, path, display_path(path))
        problems, value = book.judge(row.figure, day)
        figure, problems = insisted(row.figure, problems, force)
        row = as_asked(row, figure=figure)
        result.diagnostics.extend(_row_problem(parsed.display, row, p) for p in problems)
        if not problems:
            checked.append(_CheckedRow(row, district, value))
    if result.diagnostics:
        result.diagnostics.sort()
        return result

    def stamp(figure: Figure, target: Target) -> Figure:
        return stamped(figure, target, recorder, moment)

    total = 2 * len(checked)
    counter = [0]

    def advance() -> None:
        counter[0] += 1
        if progress is not None and (counter[0] % 500 == 0 or counter[0] == total):
            progress(counter[0], total)

    first = _SeriesPass(data_dir, plan, parsed, checked, stamp)
    first.force = force
    for book in first.books:
        refuse_torn_tail(book.path, book.display)
        with locked_for_reading(book.path, book.display) as content:
            book.load(content, first.targets(book))
            first.check(book, advance)
    if first.diagnostics:
        result.diagnostics = sorted(first.diagnostics)
        return result
    final = _SeriesPass(data_dir, plan, parsed, checked, stamp)
    final.force = force
    # One transaction: every file locked first, the appends made under a journal (all or none).
    with import_transaction([(book.path, book.display) for book in final.books]) as transaction:
        for book in final.books:
            handle = transaction.files[book.path]
            if handle.size:
                book.load(handle.content(), final.targets(book))
            final.check(book, advance)
        result.batches = list(final.batches.values())
        if final.diagnostics:  # the files changed since the first pass
            result.diagnostics = sorted(final.diagnostics)
            return result
        transaction.commit(
            [
                (
                    batch.path,
                    "".join(
                        canonical_line(change.figure)
                        for change in batch.changes
                        if change.kind != "unchanged"
                    ),
                )
                for batch in result.batches
            ]
        )
        result.written = True
    return result


def describe_import(result: ImportResult) -> list[str]:
    """What an import wrote, one line per district, then a total; or that there was nothing
    to import (an empty input, or a header without rows)."""
    if result.rows_read == 0:
        return [f"nothing to import: {result.source} has no rows"]
    lines = []
    appended = 0
    for batch in result.batches:
        new = batch.count("new")
        revised = batch.count("revision")
        unchanged = batch.count("unchanged")
        count = new + revised
        appended += count
        parts = [f"{batch.display}: appended {count} figure{'s' if count != 1 else ''}"]
        if revised:
            parts.append(f" ({revised} revision{'s' if revised != 1 else ''})")
        if unchanged:
            parts.append(f"; {unchanged} already recorded, skipped")
        lines.append("".join(parts))
    rows = result.rows_read
    lines.append(
        f"imported {rows} row{'s' if rows != 1 else ''} from {result.source} "
        f"({result.encoding}): {appended} figure{'s' if appended != 1 else ''} appended"
    )
    return lines


def run_import(
    data_dir: DataDir,
    file: str,
    *,
    district: str | None = None,
    import_format: str | None = None,
    encoding: str | None = None,
    by: str | None = None,
    progress: Callable[[int], Progress | None] | None = None,
    force: bool = False,
    provisional: bool = False,
) -> ImportResult:
    """`tracker import`: read `file` (or standard input for "-"), then import its rows.
    `progress`, given the number of rows, returns the callback to report progress to."""
    chosen = check_format_name(import_format) if import_format else None
    content, display = read_source(file)
    parsed = parse_import(
        content,
        display,
        name=None if file == "-" else file,
        import_format=chosen,
        encoding=encoding,
        district=district,
    )
    named = {row.district for row in parsed.rows if row.district is not None}
    plan = load_plan_to_write(data_dir, named)
    report = progress(len(parsed.rows)) if progress is not None else None
    return import_figures(
        data_dir, plan, parsed, by=by, progress=report, force=force, provisional=provisional
    )
