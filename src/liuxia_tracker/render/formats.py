"""The status report's output formats: the choice (`OutputFormat`) and a plain mapping from
each format to its renderer, all called the same way.

Guarantees: every format has a renderer (a test holds this), and a renderer's module is
imported only when that format is chosen, so picking one costs nothing up front.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Protocol

from liuxia_tracker.engine.rows import Report
from liuxia_tracker.i18n import Language


class OutputFormat(StrEnum):
    TABLE = "table"
    PLAIN = "plain"
    MARKDOWN = "markdown"
    CSV = "csv"
    JSON = "json"
    HTML = "html"


class Renderer(Protocol):
    def __call__(
        self, report: Report, lang: Language, *, color: bool = True, width: int | None = None
    ) -> str: ...


def _table(report: Report, lang: Language, *, color: bool = True, width: int | None = None) -> str:
    from liuxia_tracker.render.table import render

    return render(report, lang, color=color, width=width)


def _plain(report: Report, lang: Language, *, color: bool = True, width: int | None = None) -> str:
    from liuxia_tracker.render.plain import render

    return render(report, lang)


def _markdown(
    report: Report, lang: Language, *, color: bool = True, width: int | None = None
) -> str:
    from liuxia_tracker.render.markdown import render

    return render(report, lang)


def _csv(report: Report, lang: Language, *, color: bool = True, width: int | None = None) -> str:
    from liuxia_tracker.render.csv import render

    return render(report, lang)


def _json(report: Report, lang: Language, *, color: bool = True, width: int | None = None) -> str:
    from liuxia_tracker.render.json import render

    return render(report, lang)


def _html(report: Report, lang: Language, *, color: bool = True, width: int | None = None) -> str:
    from liuxia_tracker.render.html import render

    return render(report, lang)


# Each entry imports its module when first called, so choosing a format costs nothing up front.
RENDERERS: Mapping[OutputFormat, Renderer] = {
    OutputFormat.TABLE: _table,
    OutputFormat.PLAIN: _plain,
    OutputFormat.MARKDOWN: _markdown,
    OutputFormat.CSV: _csv,
    OutputFormat.JSON: _json,
    OutputFormat.HTML: _html,
}


def render_report(
    report: Report,
    fmt: OutputFormat,
    lang: Language,
    *,
    color: bool = True,
    width: int | None = None,
) -> str:
    """The report in `fmt`. `color` and `width` matter to the table only: `color` is final
    (the caller resolves NO_COLOR and terminals), `width` is the terminal's width in cells
    (None: as wide as the table needs)."""
    return RENDERERS[fmt](report, lang, color=color, width=width)
