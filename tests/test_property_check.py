"""Whatever the bytes, `tracker check` answers with diagnostics, never a traceback.

About 2,100 generated inputs in all: random bytes, random YAML-flavoured text, and valid files
mutated line by line and character by character, each checked as a plan and as a figure file.
Every run must end with exit code 0 or 1, 1 exactly when there are diagnostics, each of them a
single well-formed `path:line:col: CODE message` line inside the file it names; the one other
answer is for a plan that loads but is for a year after the day checked (a mutated `year`): the
usage error that says so, as for `--as-of` before the plan year.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CASES, SHARED_PLAN, json_output, run_cli
from liuxia_tracker.commands.check import CheckResult, check_paths
from liuxia_tracker.diagnostics import UsageError

AS_OF = date(2023, 6, 30)
LINE = re.compile(
    r"(?P<path>[^\n]+):(?P<line>[1-9][0-9]*):(?P<col>[1-9][0-9]*): (?P<code>[a-z]+(?:-[a-z0-9]+)*) [^\n]+"
)
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

VALID_PLANS = [SHARED_PLAN.read_bytes(), (CASES / "valid/plans/every_key.yaml").read_bytes()]
VALID_FIGURES = [
    path.read_bytes() for path in sorted((CASES / "valid/figures").glob("east__*.yaml"))
]
# Characters that matter to YAML, to the checker's rules, and to decoding.
ALPHABET = "- :{}[],#&*!|>'\"%@`?\t\n\r\\.0123456789eE+_xo~年亿万%％\ufeff\x00\x85\u2028abcdefgtyq"


def check_bytes(plan: bytes, figures: bytes | None) -> tuple[CheckResult, dict[str, bytes]]:
    """Check a plan (and an east figure file) in a fresh data directory."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "figures").mkdir()
        (root / "targets.yaml").write_bytes(plan)
        files = {str(root / "targets.yaml"): plan}
        if figures is not None:
            (root / "figures" / "east.yaml").write_bytes(figures)
            files[str(root / "figures" / "east.yaml")] = figures
        return check_paths([root], None, AS_OF), files


def assert_answers(plan: bytes, figures: bytes | None) -> None:
    """Checking gives well-formed diagnostics, or says the plan's year is after the day checked."""
    try:
        outcome = check_bytes(plan, figures)
    except UsageError as error:
        later = re.fullmatch(
            r"--as-of 2023-06-30 is before the plan year ([0-9]{4}) "
            r"\(give a day in \1 or later\)",
            str(error),
        )
        assert later is not None and int(later.group(1)) > AS_OF.year, str(error)
        return
    assert_well_formed(*outcome)


def assert_well_formed(result: CheckResult, files: dict[str, bytes]) -> None:
    assert result.exit_code in (0, 1)
    assert (result.exit_code == 1) == bool(result.diagnostics)
    assert result.diagnostics == sorted(set(result.diagnostics))
    for diagnostic in result.diagnostics:
        text = str(diagnostic)
        match = LINE.fullmatch(text)
        assert match is not None, text
        assert diagnostic.path in files, text
        data = files[diagnostic.path]
        lines_in_file = data.count(b"\n") + 1
        assert diagnostic.line <= lines_in_file, text


def mutate(data: bytes, draw: st.DrawFn) -> bytes:
    """A valid file with a few lines deleted, duplicated or swapped and a few characters edited."""
    text = data.decode("utf-8")
    lines = text.split("\n")
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "replace", "insert", "remove"]))
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        line = lines[index]
        if kind == "delete" and len(lines) > 1:
            del lines[index]
        elif kind == "duplicate":
            lines.insert(index, line)
        elif kind == "swap":
            other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        else:
            at = draw(st.integers(min_value=0, max_value=len(line)))
            character = draw(st.sampled_from(ALPHABET))
            if kind == "replace" and at < len(line):
                line = line[:at] + character + line[at + 1 :]
            elif kind == "insert":
                line = line[:at] + character + line[at:]
            elif at < len(line):
                line = line[:at] + line[at + 1 :]
            lines[index] = line
    return "\n".join(lines).encode("utf-8")


@st.composite
def mutated_plans(draw: st.DrawFn) -> bytes:
    return mutate(draw(st.sampled_from(VALID_PLANS)), draw)


@st.composite
def mutated_figures(draw: st.DrawFn) -> bytes:
    return mutate(draw(st.sampled_from(VALID_FIGURES)), draw)


yaml_text = st.text(alphabet=ALPHABET, max_size=300).map(lambda text: text.encode("utf-8"))


@settings(PROPERTY, max_examples=300)
@given(st.binary(max_size=400))
def test_random_bytes_as_a_plan(plan: bytes) -> None:
    assert_answers(plan, None)


@settings(PROPERTY, max_examples=300)
@given(st.binary(max_size=400))
def test_random_bytes_as_a_figure_file(figures: bytes) -> None:
    assert_answers(SHARED_PLAN.read_bytes(), figures)


@settings(PROPERTY, max_examples=300)
@given(yaml_text)
def test_random_text_as_a_plan(plan: bytes) -> None:
    assert_answers(plan, None)


@settings(PROPERTY, max_examples=300)
@given(yaml_text)
def test_random_text_as_a_figure_file(figures: bytes) -> None:
    assert_answers(SHARED_PLAN.read_bytes(), figures)


@settings(PROPERTY, max_examples=400)
@given(mutated_plans())
def test_mutated_plans(plan: bytes) -> None:
    assert_answers(plan, None)


@settings(PROPERTY, max_examples=400)
@given(mutated_figures())
def test_mutated_figure_files(figures: bytes) -> None:
    assert_answers(SHARED_PLAN.read_bytes(), figures)


@settings(PROPERTY, max_examples=100)
@given(st.sampled_from(["text", "json", "github"]), mutated_figures())
def test_the_command_line_on_mutated_figure_files(output_format: str, figures: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "figures").mkdir()
        (root / "targets.yaml").write_bytes(SHARED_PLAN.read_bytes())
        (root / "figures" / "east.yaml").write_bytes(figures)
        result = run_cli("check", str(root), "--format", output_format, "--as-of", "2023-06-30")
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    if output_format == "json":
        payload = json_output(result.stdout)
        assert list(payload) == ["files_checked", "problems"]
        assert payload["files_checked"] == 2
        errors = [p for p in payload["problems"] if p["severity"] == "error"]
        assert result.exit_code == (1 if errors else 0)
    else:
        assert result.stdout.endswith(" checked)\n")


def test_a_valid_file_survives_the_harness() -> None:
    # The mutations start from files that check clean; were they not, every property above
    # would pass on exit code 1 alone.
    for figures in VALID_FIGURES:
        result, _ = check_bytes(SHARED_PLAN.read_bytes(), figures)
        assert result.diagnostics == []
    for plan in VALID_PLANS:
        assert check_bytes(plan, None)[0].diagnostics == []
