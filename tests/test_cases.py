"""The checker against the example files in tests/cases (see tests/cases/README.md).

Each invalid case is compared line for line with its `.expected` file; each valid case must
check clean, with libyaml's parser and with the pure one alike. A last test proves every
diagnostic code the sources can emit is exercised.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from conftest import AS_OF, CASES, SHARED_PLAN
from liuxia_tracker.commands.check import check_paths

pytestmark = pytest.mark.usefixtures("each_parser")

SOURCES = Path(__file__).parents[1] / "src" / "liuxia_tracker"
# The modules `tracker check` runs: every code they can emit must have a case and a doc line.
# The modules `tracker check` runs (import files and record have codes of their own).
CHECK_MODULES = (
    "plan/text.py",
    "plan/scalars.py",
    "plan/loading.py",
    "plan/validation.py",
    "log/figures.py",
    "engine/series.py",
    "rules/figures.py",
    "rules/plan.py",
    "commands/check.py",
    "commands/dataset.py",
    "domain/models.py",
)
CODE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
# Codes whose trigger cannot be a small file in git; the named tests cover them.
COVERED_ELSEWHERE = {
    "too-large": "tests/test_loading.py::test_a_file_over_the_limit_is_refused_before_reading",
    "unreadable": "tests/test_loading.py::test_a_file_that_cannot_be_read_is_reported",
}


def case_files(kind: str) -> list[Path]:
    return sorted(
        path
        for folder in ("plans", "figures")
        for pattern in ("*.yaml", "*.yml")
        for path in (CASES / kind / folder).glob(pattern)
    )


def case_id(path: Path) -> str:
    return path.relative_to(CASES).as_posix()


def run_case(case: Path, root: Path) -> list[str]:
    """Check one case file in a fresh data directory; report paths as the case's own path."""
    shown = case_id(case)
    figures = root / "figures"
    figures.mkdir(parents=True)
    if case.parent.name == "plans":
        shutil.copyfile(case, root / "targets.yaml")
        renamed = {"targets.yaml": shown}
    else:
        district = case.name.split("__", 1)[0]
        shutil.copyfile(SHARED_PLAN, root / "targets.yaml")
        if case.suffix == ".yml":  # a second log of the district, beside an empty `.yaml` one
            (figures / f"{district}.yaml").write_bytes(b"")
        shutil.copyfile(case, figures / f"{district}{case.suffix}")
        renamed = {
            "targets.yaml": case_id(SHARED_PLAN),
            f"figures/{district}{case.suffix}": shown,
        }
    result = check_paths([root], None, AS_OF)
    lines = []
    for diagnostic in result.diagnostics:
        relative = Path(diagnostic.path).resolve().relative_to(root.resolve()).as_posix()
        lines.append(str(diagnostic).replace(diagnostic.path, renamed[relative], 1))
    assert result.exit_code == (1 if lines else 0)
    return lines


INVALID = case_files("invalid")
VALID = case_files("valid")


def test_there_are_enough_cases() -> None:
    assert len(INVALID) >= 40
    assert len(VALID) >= 5


@pytest.mark.parametrize("case", INVALID, ids=case_id)
def test_invalid_case_gives_exactly_the_expected_diagnostics(case: Path, tmp_path: Path) -> None:
    expected_file = case.with_suffix(".expected")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert expected, f"{expected_file} lists no diagnostics"
    assert run_case(case, tmp_path / "data") == expected


@pytest.mark.parametrize("case", VALID, ids=case_id)
def test_valid_case_checks_clean(case: Path, tmp_path: Path) -> None:
    assert run_case(case, tmp_path / "data") == []


def test_the_shared_plan_checks_clean(tmp_path: Path) -> None:
    root = tmp_path / "data"
    (root / "figures").mkdir(parents=True)
    shutil.copyfile(SHARED_PLAN, root / "targets.yaml")
    assert check_paths([root], None, AS_OF).diagnostics == []


def test_every_case_file_has_its_partner() -> None:
    for path in INVALID:
        assert path.with_suffix(".expected").is_file(), path
    for expected in (CASES / "invalid").rglob("*.expected"):
        partners = (expected.with_suffix(".yaml"), expected.with_suffix(".yml"))
        assert any(partner.is_file() for partner in partners), expected
    for path in [*INVALID, *VALID]:
        if path.parent.name == "figures":
            assert "__" in path.name, f"{path}: figure cases are named <district>__<name>.yaml"


def codes_in_sources() -> set[str]:
    """Every code `tracker check` can report, read from its modules: the code-shaped string
    constants passed to the calls that make diagnostics, or paired with a message."""
    makers = {"Diagnostic", "report", "refuse", "_diagnostic"}
    codes: set[str] = set()
    for source in (SOURCES / name for name in CHECK_MODULES):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            arguments: list[ast.expr] = []
            if isinstance(node, ast.Call):
                if _called_name(node) == "Finding":  # (code, field, message)
                    arguments = list(node.args[:1])
                elif _called_name(node) in makers:
                    arguments = list(node.args)
            elif (
                isinstance(node, ast.Tuple)
                and len(node.elts) == 2
                and isinstance(node.elts[1], (ast.JoinedStr, ast.Call))
            ):
                arguments = [node.elts[0]]
            for argument in arguments:
                codes.update(_code_constants(argument))
    return codes


def _called_name(call: ast.Call) -> str | None:
    return getattr(call.func, "id", None) or getattr(call.func, "attr", None)


def _code_constants(node: ast.AST) -> set[str]:
    """Code-shaped constants in an expression, not counting dictionary look-ups (`d.get("x")`,
    `d["x"]`) or the insides of f-strings."""
    if isinstance(node, ast.Constant):
        value = node.value
        return {value} if isinstance(value, str) and CODE.fullmatch(value) else set()
    if isinstance(node, (ast.Subscript, ast.JoinedStr)):
        return set()
    if isinstance(node, ast.Call) and _called_name(node) == "get":
        return set()
    found: set[str] = set()
    for child in ast.iter_child_nodes(node):
        found |= _code_constants(child)
    return found


def codes_in_expected_files() -> set[str]:
    found = set()
    for expected in (CASES / "invalid").rglob("*.expected"):
        for line in expected.read_text(encoding="utf-8").splitlines():
            found.add(line.split(": ", 1)[1].split(" ", 1)[0])
    return found


def test_the_source_scan_finds_the_known_codes() -> None:
    # Guards the scan itself: were it to find nothing, the coverage test would pass vacuously.
    assert {"duplicate-key", "alias", "number-range", "unit-mismatch", "torn-line"} <= (
        codes_in_sources()
    )


def test_every_code_in_the_sources_has_a_case() -> None:
    missing = codes_in_sources() - codes_in_expected_files() - set(COVERED_ELSEWHERE)
    assert not missing, f"add an invalid case for: {sorted(missing)}"


def test_every_code_is_documented() -> None:
    documented = set(
        re.findall(
            r"^\| `([a-z0-9-]+)` \|",
            (SOURCES.parents[1] / "docs" / "diagnostics.md").read_text(encoding="utf-8"),
            re.MULTILINE,
        )
    )
    assert codes_in_sources() == documented
