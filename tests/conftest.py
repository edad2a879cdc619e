"""Shared helpers: the shipped seed data (`SEED`), the one way to run the command line
(`run_cli`), throw-away data directories, and `tracker check` over them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from liuxia_tracker.cli import app
from liuxia_tracker.commands.check import CheckResult, check_paths
from liuxia_tracker.domain.models import Figure
from liuxia_tracker.domain.records import Recorded
from liuxia_tracker.plan import loading

# The seed data shipped in git: the plan and figures `tracker status` shows after install.
SEED = Path(__file__).resolve().parents[1] / "data"
SEED_PLAN = SEED / "targets.yaml"

CASES = Path(__file__).parent / "cases"
SHARED_PLAN = CASES / "plan.yaml"
# Every case is judged on this day, so "in the future" never depends on when tests run.
AS_OF = date(2023, 6, 30)

DataDirFactory = Callable[..., Path]
Checker = Callable[..., CheckResult]

_RUNNER = CliRunner()


def run_cli(
    *args: str,
    input: str | bytes | None = None,
    env: Mapping[str, str | None] | None = None,
) -> Result:
    """`tracker ARGS` run in this process through Typer's CliRunner, the way every CLI test
    runs it: `input` is its standard input, `env` is added to (or, for None, removed from)
    the environment for this run only. stdout and stderr are kept apart."""
    return _RUNNER.invoke(app, list(args), input=input, env=env)


def json_output(text: str) -> Any:
    """The value a JSON output holds, once it is shown to be written the one way every JSON
    output is: UTF-8 as is (Chinese never as \\u escapes), indented by two spaces, one
    newline at the end. Tests compare the value, never fragments of the text."""
    value = json.loads(text)
    assert text == json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    return value


@pytest.fixture(autouse=True, scope="session")
def private_plan_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The tests never read or write the user's plan cache (`plan_cache`): theirs is here."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        patch.delenv("TRACKER_NO_CACHE", raising=False)
        yield folder / "liuxia-tracker"


def write_data_dir(
    root: Path, plan: bytes | str | None = None, figures: dict[str, bytes | str] | None = None
) -> Path:
    """A data directory under `root`: targets.yaml (default: the shared case plan) and
    figures/<district>.yaml for each entry of `figures`."""
    root.mkdir(parents=True, exist_ok=True)
    plan_bytes = SHARED_PLAN.read_bytes() if plan is None else plan
    if isinstance(plan_bytes, str):
        plan_bytes = plan_bytes.encode("utf-8")
    (root / "targets.yaml").write_bytes(plan_bytes)
    (root / "figures").mkdir(exist_ok=True)
    for district, content in (figures or {}).items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (root / "figures" / f"{district}.yaml").write_bytes(data)
    return root


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataDirFactory:
    """Make a data directory in a temporary working directory; paths print relative to it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKER_DATA", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)

    def make(
        plan: bytes | str | None = None, figures: dict[str, bytes | str] | None = None
    ) -> Path:
        write_data_dir(tmp_path, plan, figures)
        return Path(".")

    return make


def check_lines(result: CheckResult) -> list[str]:
    return [str(diagnostic) for diagnostic in result.diagnostics]


@pytest.fixture
def check(data_dir: DataDirFactory) -> Callable[..., list[str]]:
    """Write a data directory and return the diagnostics of checking it, as text lines."""

    def run(
        plan: bytes | str | None = None, figures: dict[str, bytes | str] | None = None
    ) -> list[str]:
        root = data_dir(plan, figures)
        return check_lines(check_paths([root], None, AS_OF))

    return run


@pytest.fixture(
    params=[
        pytest.param(
            True,
            id="libyaml",
            marks=pytest.mark.skipif(
                not hasattr(yaml, "CSafeLoader"), reason="PyYAML has no libyaml here"
            ),
        ),
        pytest.param(False, id="pure"),
    ]
)
def each_parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Run a test once with libyaml's parser and once with PyYAML's pure one: the loader must
    give the same values, positions and diagnostics with either."""
    use_libyaml: bool = request.param
    monkeypatch.setattr(loading, "USE_LIBYAML", use_libyaml)
    return use_libyaml


def copy_seed_plan(destination: Path) -> Path:
    """The shipped plan, as a writable copy: without its `example: true` marker."""
    text = SEED_PLAN.read_text(encoding="utf-8")
    destination.write_text(
        "".join(
            line for line in text.splitlines(keepends=True) if not line.startswith("  example:")
        ),
        encoding="utf-8",
    )
    return destination


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory with the shipped plan and no figures, as the working directory's
    `data/`; $USER is `tester` and $TRACKER_DATA unset."""
    root = tmp_path / "data"
    root.mkdir()
    copy_seed_plan(root / "targets.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("USER", "tester")
    monkeypatch.delenv("TRACKER_DATA", raising=False)
    return root


def append_text(path: Path, text: str, display: str | None = None) -> int:
    """Append whole canonical lines to a figure file under the lock, as the tool's writers do;
    the bytes written."""
    from liuxia_tracker.log.append import locked_for_append

    with locked_for_append(path, display) as locked:
        return locked.append(text)


def append_figures(path: Path, figures: Sequence[Figure], display: str | None = None) -> int:
    """Append figures as one batch: one write, one fsync."""
    from liuxia_tracker.log.canonical import canonical_line

    return append_text(path, "".join(canonical_line(figure) for figure in figures), display)


def records_of(records: list[dict[str, Any]]) -> list[Recorded]:
    """Figure records as a log holds them, one canonical-shaped line each, read back with
    their line numbers; the lines must all read."""
    from liuxia_tracker.log.figures import parse_figures

    text = "".join("- " + json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    recorded, problems = parse_figures(text, "x.yaml")
    assert problems == []
    return recorded
