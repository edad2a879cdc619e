"""Start-up (`cli/__init__`): `tracker --version` is answered before typer or any command is
imported, with the text and exit code of the group's own `--version`; `app` is loaded, with
every command, when first asked for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.core
import typer.main
from typer.testing import CliRunner

from conftest import SEED
from liuxia_tracker.cli.group import app_for

COMMANDS = [
    "bulletin",
    "schema",
    "export",
    "targets",
    "init",
    "retract",
    "record",
    "import",
    "history",
    "repair",
    "check",
    "status",
]

REPORT_MODULES = (
    "import atexit, sys\n"
    "atexit.register(lambda: print(sorted(m for m in sys.modules if m.split('.')[0] in "
    "('liuxia_tracker', 'typer', 'click', 'pydantic', 'yaml', 'rich')), file=sys.stderr))\n"
)


def run_python(script: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_version_imports_neither_typer_nor_a_command() -> None:
    done = run_python(
        REPORT_MODULES
        + "from liuxia_tracker.cli import main\nsys.argv = ['tracker', '--version']\nmain()\n"
    )
    assert (done.returncode, done.stdout) == (0, "tracker 0.1.0\n")
    assert done.stderr == "['liuxia_tracker', 'liuxia_tracker.cli']\n"


def test_version_prints_what_the_group_option_prints() -> None:
    from liuxia_tracker.cli import app

    through_the_group = CliRunner().invoke(app, ["--version"])
    fast = run_python("from liuxia_tracker.cli import main\nimport sys\nmain()\n", "--version")
    assert (through_the_group.exit_code, through_the_group.stdout) == (0, "tracker 0.1.0\n")
    assert (fast.returncode, fast.stdout, fast.stderr) == (0, through_the_group.stdout, "")


def test_the_console_script_and_python_m_print_the_version() -> None:
    tracker = Path(sys.executable).parent / "tracker"
    for command in ([str(tracker)], [sys.executable, "-m", "liuxia_tracker"]):
        done = subprocess.run(
            [*command, "--version"], capture_output=True, text=True, check=False, timeout=60
        )
        assert (done.returncode, done.stdout, done.stderr) == (0, "tracker 0.1.0\n", ""), command


def test_version_with_other_arguments_goes_through_the_group() -> None:
    # Only `tracker --version` alone is answered early; the eager option still wins elsewhere.
    done = run_python(
        REPORT_MODULES + "from liuxia_tracker.cli import main\nmain()\n", "--version", "status"
    )
    assert (done.returncode, done.stdout) == (0, "tracker 0.1.0\n")
    assert "typer" in done.stderr
    unknown = run_python(
        "import sys\nsys.argv[0] = 'tracker'\nfrom liuxia_tracker.cli import main\nmain()\n",
        "--version",
        "--nope",
    )
    assert (unknown.returncode, unknown.stdout) == (2, "")
    assert unknown.stderr == "tracker: no such option: --nope (see `tracker --help`)\n"


def test_app_has_every_command_whichever_module_is_imported_first() -> None:
    done = run_python(
        "import liuxia_tracker.cli.figures\n"
        "from liuxia_tracker.cli import app, reports\n"
        "import typer.main\n"
        "print(type(app).__name__, reports.__name__)\n"
        "print(' '.join(typer.main.get_command(app).commands))\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Typer liuxia_tracker.cli.reports\n{' '.join(COMMANDS)}\n"


# -- `app_for`: the command named, built alone ----------------------------------------------


def _built(app: typer.Typer) -> typer.core.TyperGroup:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    return group


def _described(thing: Any) -> dict[str, Any]:
    """The plain values a click command or parameter is made of (its parameters too)."""
    plain = (str, int, float, bool, type(None))
    found: dict[str, Any] = {"class": type(thing).__name__}
    for key, value in vars(thing).items():
        if isinstance(value, plain) or (
            isinstance(value, (list, tuple)) and all(isinstance(v, plain) for v in value)
        ):
            found[key] = value
        elif key == "params":
            found[key] = [_described(parameter) for parameter in value]
        elif key == "type_descriptor":
            found[key] = repr(value.annotation)
    return found


def test_a_command_named_first_is_built_alone_and_as_in_the_whole_app() -> None:
    from liuxia_tracker.cli import app

    whole = _built(app)
    assert list(whole.commands) == list(COMMANDS)
    for name in COMMANDS:
        alone = _built(app_for([name, "x"]))
        assert list(alone.commands) == [name]
        assert _described(alone.commands[name]) == _described(whole.commands[name])
        assert [_described(p) for p in alone.params] == [_described(p) for p in whole.params]


@pytest.mark.parametrize(
    "arguments",
    [
        [],
        ["--help"],
        ["-h"],
        ["record", "--help"],
        ["status", "-h"],
        ["--version", "record"],
        ["recrod", "d001"],
        ["Record"],
    ],
)
def test_help_options_and_unknown_names_get_the_whole_app(arguments: list[str]) -> None:
    from liuxia_tracker.cli import app

    assert app_for(arguments) is app


def test_shell_completion_gets_the_whole_app(monkeypatch: pytest.MonkeyPatch) -> None:
    from liuxia_tracker.cli import app

    monkeypatch.setenv("_TRACKER_COMPLETE", "complete_bash")
    assert app_for(["record", "d001"]) is app


@pytest.mark.parametrize(
    "arguments",
    [
        ["record"],
        ["record", "lixia", "gdp_growth", "2023-Q1", "6", "--nope"],
        ["status", "--format", "nope"],
        ["status", "--format", "json", "--as-of", "2023-06-30"],
        ["check", "--format", "json"],
        ["targets", "lixia", "--format", "csv"],
        ["history", "lixia", "gdp_growth"],
    ],
)
def test_a_command_alone_answers_as_the_whole_app(arguments: list[str]) -> None:
    from liuxia_tracker.cli import app

    runner = CliRunner()
    whole = runner.invoke(app, arguments)
    alone = runner.invoke(app_for(arguments), arguments)
    assert (alone.exit_code, alone.stdout, alone.stderr) == (
        whole.exit_code,
        whole.stdout,
        whole.stderr,
    )
    assert whole.stdout or whole.stderr


# -- pydantic's plugins off, found off without importlib.metadata (`cli.startup`) ---------


def test_a_command_imports_no_importlib_metadata() -> None:
    done = run_python(
        "import atexit, sys\n"
        "atexit.register(lambda: print(sorted(m for m in sys.modules if m.startswith("
        "('importlib.metadata', 'email'))), type(sys.modules['pydantic.plugin._loader']).__name__,"
        " file=sys.stderr))\n"
        "sys.argv[0] = 'tracker'\n"
        "from liuxia_tracker.cli import main\nmain()\n",
        "status",
        "--format",
        "csv",
        "--as-of",
        "2023-06-30",
        "--data",
        str(SEED),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("\ufeffDistrict,Group,Target,")
    assert done.stderr.splitlines()[-1] == "[] PluginsOffLoader"


def test_the_stand_in_loader_answers_as_pydantic_s_own(monkeypatch: pytest.MonkeyPatch) -> None:
    import pydantic.plugin._loader as real

    from liuxia_tracker.cli.startup import PluginsOffLoader

    stand_in = PluginsOffLoader()
    for off in ("__all__", "1", "true"):
        monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", off)
        assert list(stand_in.get_plugins()) == list(real.get_plugins()) == []
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "some_plugin")
    assert list(stand_in.get_plugins()) == list(real.get_plugins())
    assert stand_in.PYDANTIC_ENTRY_POINT_GROUP == real.PYDANTIC_ENTRY_POINT_GROUP == "pydantic"


@pytest.mark.parametrize(
    ("setting", "stand_in"), [(None, True), ("true", True), ("some_plugin", False)]
)
def test_the_stand_in_is_used_only_with_plugins_off(setting: str | None, stand_in: bool) -> None:
    script = (
        "import os, sys\n"
        "from liuxia_tracker.cli.startup import turn_pydantic_plugins_off\n"
        "turn_pydantic_plugins_off()\n"
        "from pydantic import BaseModel\n"
        "class M(BaseModel):\n    x: int\n"
        "print(M(x=1).x, os.environ['PYDANTIC_DISABLE_PLUGINS'],"
        " type(sys.modules['pydantic.plugin._loader']).__name__,"
        " 'importlib.metadata' in sys.modules)\n"
    )
    environment = {"PATH": ""}
    if setting is not None:
        environment["PYDANTIC_DISABLE_PLUGINS"] = setting
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
        timeout=60,
    )
    loader = "PluginsOffLoader False" if stand_in else "module True"
    assert (done.returncode, done.stdout) == (0, f"1 {setting or '__all__'} {loader}\n")
