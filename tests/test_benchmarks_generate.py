"""Smoke test of benchmarks/generate.py: small data sets that `tracker check` finds clean, in
exactly the canonical one-line form, the same bytes on every run."""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from liuxia_tracker.commands.check import check_paths
from liuxia_tracker.domain.models import Figure
from liuxia_tracker.log.canonical import canonical_line

GENERATOR = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"
AS_OF = date(2024, 6, 30)


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def record_lines(directory: Path) -> list[str]:
    return [
        line
        for path in sorted((directory / "figures").glob("*.yaml"))
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
    ]


@pytest.mark.parametrize(
    ("records", "districts", "targets"),
    [
        (200, 3, 12),  # the first days of January
        (2_000, 2, 12),  # the whole year of a small plan, corrections included
        (800, 1, 60),  # every template of the catalogue, repeated with _2 and _3 ids
    ],
)
def test_generated_data_is_clean(
    generator: ModuleType, tmp_path: Path, records: int, districts: int, targets: int
) -> None:
    summary = generator.generate(tmp_path / "data", records, districts, targets)

    result = check_paths([tmp_path / "data"], None, AS_OF)

    assert [str(d) for d in result.diagnostics] == []
    assert result.exit_code == 0
    assert result.files_checked == 1 + districts
    assert summary.records == records
    assert len(record_lines(tmp_path / "data")) == records


def test_full_year_has_every_kind_of_record(generator: ModuleType, tmp_path: Path) -> None:
    generator.generate(tmp_path, 2_000, 2, 12)
    records = [json.loads(line[2:]) for line in record_lines(tmp_path)]

    periods = {record["period"] for record in records if "period" in record}
    assert {"2023-01-01", "2023-W01", "2023-01-D1", "2023-01", "2023-Q1"} <= periods
    assert any(record.get("item") and record["done"] is True for record in records)
    assert any(record.get("item") and record["done"] is False for record in records)
    assert any("note" in record for record in records)  # corrections
    assert {record.get("unit") for record in records} >= {None, "%", "人次", "万人次"}


def test_lines_are_canonical(generator: ModuleType, tmp_path: Path) -> None:
    generator.generate(tmp_path, 2_000, 2, 12)

    for line in record_lines(tmp_path):
        assert canonical_line(Figure.model_validate(json.loads(line[2:]))) == line


def test_same_options_give_the_same_bytes(generator: ModuleType, tmp_path: Path) -> None:
    generator.generate(tmp_path / "a", 300, 2, 20, seed=7)
    generator.generate(tmp_path / "b", 300, 2, 20, seed=7)
    generator.generate(tmp_path / "c", 300, 2, 20, seed=8)

    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    assert len(files) == 3
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert record_lines(tmp_path / "a") != record_lines(tmp_path / "c")


def test_sizes_are_read_from_their_labels(generator: ModuleType) -> None:
    assert generator.parse_size("10k").records == 10_000
    assert generator.parse_size("1M").label == "1m"
    assert generator.parse_size("1m").records == 1_000_000
    assert generator.parse_size("2500").records == 2_500
    with pytest.raises(ValueError, match="not a size"):
        generator.parse_size("lots")


def test_sizes_bring_their_plan_shape(generator: ModuleType) -> None:
    for label in ("10k", "100k", "1m", "3m", "5000"):
        size = generator.parse_size(label)
        assert (size.districts, size.targets) == (150, 60)
    scale = generator.parse_size("30m")

    assert (scale.records, scale.districts, scale.targets) == (30_000_000, 2_800, 60)
    assert generator.parse_size("30000000") == generator.Size("30000000", 30_000_000, 2_800, 60)


def test_30m_fits_its_plan_without_generating_it(generator: ModuleType) -> None:
    scale = generator.parse_size("30m")

    rate = generator.revision_rate(scale.records, scale.districts, scale.targets)
    packing = generator.packing_for(scale.districts, scale.targets)

    # About one correction per report, well under the most a period may have.
    assert 1 <= rate <= 2 < generator.MAX_REVISIONS
    assert generator.first_reports(scale.districts, scale.targets) * (1 + rate) >= scale.records
    # The latest minute a report can have, with the largest district and target numbers,
    # still packs into an unsigned 64-bit key.
    latest = packing.pack(836 * 1440, scale.districts - 1, scale.targets - 1, 511, 15)
    assert latest < 2**64
    assert packing.unpack(latest) == (836 * 1440, scale.districts - 1, scale.targets - 1, 511, 15)
    width = generator.id_width(scale.districts)
    assert [generator.district_id(i, width) for i in (0, 2_799)] == ["d0001", "d2800"]
    with pytest.raises(ValueError, match="revisions per report"):
        generator.revision_rate(scale.records, 150, 60)  # 30M needs more than 150 districts


def test_four_digit_district_ids_are_clean(generator: ModuleType, tmp_path: Path) -> None:
    summary = generator.generate(tmp_path, 3_000, 1_000, 1)

    result = check_paths([tmp_path], None, AS_OF)

    assert [str(d) for d in result.diagnostics] == []
    assert result.files_checked == 1 + 1_000
    assert (tmp_path / "figures" / "d0001.yaml").exists()
    assert (tmp_path / "figures" / "d1000.yaml").exists()
    assert json.loads((tmp_path / "generated.json").read_text())["last_day"] == str(
        summary.last_day
    )


def test_workers_write_the_same_bytes(generator: ModuleType, tmp_path: Path) -> None:
    generator.generate(tmp_path / "one", 3_000, 4, 20, workers=1)
    generator.generate(tmp_path / "two", 3_000, 4, 20, workers=2)

    assert record_lines(tmp_path / "one") == record_lines(tmp_path / "two")
