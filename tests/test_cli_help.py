"""`--help` in Chinese under a zh locale, from the label tables (`i18n`), and `--version`
untouched by it."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from conftest import run_cli
from liuxia_tracker.cli import app
from liuxia_tracker.i18n import LABELS, Language
from liuxia_tracker.i18n_help import EN_HELP, ZH_HELP

runner = CliRunner()
ZH_LOCALE = {"LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
EN_LOCALE = {"LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}

CHECK_HELP_ZH = """\
Usage: tracker check [OPTIONS] [PATH]...

  检查目标计划和数据文件；每个问题输出为 path:line:col: CODE message。

  无问题退出码 0，发现问题 1，用法错误 2。

Arguments:
  PATH  数据目录、计划文件（targets.yaml）或数据文件（默认：数据目录）。

Options:
  --data DIR           数据目录，含 targets.yaml 和
                       figures/（默认：$TRACKER_DATA、./data，否则用随工具附带的示例数据）。
  -f, --format FORMAT  auto、text、json、github 或 gitlab（auto：GITHUB_ACTIONS=true
                       时为 github）。  [default: auto]
  --as-of DATE         晚于此日的数据视为未来数据（默认：今天）。
  --no-cache           重新读取计划和每个日志，不用也不存任何缓存（同 TRACKER_NO_CACHE=1）；结果不变。
  -h, --help           显示本帮助并退出。
"""


def test_check_help_is_chinese_under_a_zh_locale() -> None:
    result = runner.invoke(app, ["check", "--help"], env=ZH_LOCALE)
    assert (result.exit_code, result.stdout) == (0, CHECK_HELP_ZH)


def test_the_command_list_is_chinese_under_a_zh_locale() -> None:
    result = runner.invoke(app, ["--help"], env=ZH_LOCALE)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[2] == "  " + ZH_HELP["help.app"]
    assert "  --version             显示版本号并退出。" in lines
    assert (
        "  check     检查目标计划和数据文件；每个问题输出为 path:line:col: CODE message。" in lines
    )
    assert (
        "  import    从 CSV、Excel（.xlsx）或 JSON lines 导入数据：要么全部写入，要么一行不写。"
        in lines
    )


def test_no_arguments_shows_the_chinese_help_too() -> None:
    result = runner.invoke(app, [], env=ZH_LOCALE)
    # Click shows the help on standard error when it is asked for nothing.
    assert result.stderr == runner.invoke(app, ["-h"], env=ZH_LOCALE).stdout


def test_help_stays_english_under_other_locales() -> None:
    result = runner.invoke(app, ["check", "-h"], env=EN_LOCALE)
    assert result.stdout.splitlines()[2] == (
        "  Check the plan and the figure files; report every problem as path:line:col:"
    )
    assert "  -h, --help           Show this message and exit." in result.stdout.splitlines()


def _click_tree() -> Any:
    return typer.main.get_command(app)


def _keys_for(command_name: str, parameter: Any) -> list[str]:
    return [f"help.{command_name}.{parameter.name}", f"help.option.{parameter.name}"]


def test_every_command_and_option_has_help_in_both_languages() -> None:
    group = _click_tree()
    for language in Language:
        labels = LABELS[language]
        for name, command in group.commands.items():
            assert f"help.{name}" in labels, name
            for parameter in command.params:
                assert any(key in labels for key in _keys_for(name, parameter)), (
                    name,
                    parameter.name,
                )
    assert set(ZH_HELP) == set(EN_HELP)


def test_the_english_table_says_what_cli_py_says() -> None:
    # cli.py keeps its English texts (the fallback); the table must not drift from them.
    group = _click_tree()
    assert EN_HELP["help.app"] == group.help
    for name, command in group.commands.items():
        assert EN_HELP[f"help.{name}"] == command.help, name
        for parameter in command.params:
            key = next(key for key in _keys_for(name, parameter) if key in EN_HELP)
            assert EN_HELP[key] == parameter.help, key


@pytest.mark.parametrize("lang", ["zh_CN.UTF-8", "en_US.UTF-8"])
def test_version_imports_no_labels(lang: str) -> None:
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(sorted(m for m in sys.modules "
        "if m.startswith('liuxia_tracker'))))\n"
        "from liuxia_tracker.cli import main\n"
        "sys.argv = ['tracker', '--version']\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        env={"LANG": lang, "PATH": ""},
        timeout=60,
    )
    assert done.returncode == 0
    assert done.stdout == "tracker 0.1.0\n['liuxia_tracker', 'liuxia_tracker.cli']\n"


def test_help_shows_arguments_as_a_reader_writes_them() -> None:
    record = run_cli("record", "--help")
    assert record.stdout.splitlines()[0] == (
        "Usage: tracker record [OPTIONS] DISTRICT TARGET [PERIOD] [VALUE]"
    )
    assert "  DISTRICT  District id or name" in record.stdout
    status = run_cli("status", "--help")
    assert status.stdout.splitlines()[0] == "Usage: tracker status [OPTIONS] [DISTRICT]..."
    for name in sorted(typer.main.get_command(app).commands):  # type: ignore[attr-defined]
        text = run_cli(name, "--help").stdout
        assert not re.search(r"<(?:str|int|float|bool|list|path)\b|\{[A-Z]+\}", text, re.I), name
