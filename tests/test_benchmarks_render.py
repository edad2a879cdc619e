"""Smoke test of benchmarks/render.py on a small generated data set: every format asked for is
measured, and the digest it prints is that of the text `tracker status` renders."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from liuxia_tracker.commands.dataset import DataDir
from liuxia_tracker.commands.status import Filters, SortKey, build_status
from liuxia_tracker.i18n import Language
from liuxia_tracker.render.formats import OutputFormat, render_report

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
AS_OF = date(2023, 3, 31)


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load("render")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("render") / "data"
    load("generate").generate(directory, 400, 3, 12)
    return directory


def test_every_format_is_measured_with_the_digest_of_its_text(
    bench: ModuleType, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    formats = "table,table@90,plain,markdown,csv,json,html"
    argv = ["--data", str(data), "--as-of", AS_OF.isoformat(), "--runs", "2"]

    assert bench.main([*argv, "--formats", formats, "--lang", "en", "--json"]) == 0

    payload = json.loads(capsys.readouterr().out)
    report = build_status(DataDir(data, shipped=False), AS_OF, Filters(), SortKey.STATUS).report
    assert report is not None
    expected = {
        "table": render_report(report, OutputFormat.TABLE, Language.EN, color=False),
        "table@90": render_report(report, OutputFormat.TABLE, Language.EN, color=True, width=90),
        **{
            name: render_report(report, OutputFormat(name), Language.EN)
            for name in ("plain", "markdown", "csv", "json", "html")
        },
    }
    assert [result["format"] for result in payload["results"]] == formats.split(",")
    assert (payload["rows"], payload["districts"], payload["language"]) == (36, 3, "en")
    for result in payload["results"]:
        text = expected[result["format"]]
        assert result["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
        assert result["lines"] == text.count("\n")
        assert len(result["seconds"]) == len(result["cpu_seconds"]) == 2
        assert result["median_cpu_seconds"] >= 0


def test_the_text_report_has_a_line_per_format(
    bench: ModuleType, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--data", str(data), "--as-of", AS_OF.isoformat(), "--runs", "1", "--formats", "csv"]

    assert bench.main(argv) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"36 rows (3 districts) from {data}, as of 2023-03-31, zh;")
    assert lines[2].split() == [
        *("format", "median", "s", "min", "s", "max", "s", "cpu", "s", "lines", "sha256")
    ]
    assert [line.split()[0] for line in lines[3:]] == ["csv"]


@pytest.mark.parametrize("text", ["tabel", "plain@80", "table@0", "table@wide"])
def test_an_unknown_format_or_width_is_refused(bench: ModuleType, text: str) -> None:
    with pytest.raises(ValueError):
        bench.parse_case(text)
