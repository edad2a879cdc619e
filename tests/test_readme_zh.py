"""README.zh-CN.md is kept in step with README.md: each links to the other at the top, and both
list the same commands (those the CLI has) and the same diagnostic codes."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from liuxia_tracker.cli import app

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = (ROOT / "README.md").read_text(encoding="utf-8")
CHINESE = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")


def commands(readme: str, heading: str) -> list[str]:
    """The commands of the command table under `heading`, in order: the word after `tracker`
    in column one."""
    section = readme.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `tracker ([a-z]+)[ `]", section, flags=re.MULTILINE)


def codes(readme: str) -> list[str]:
    """The diagnostic codes of the code table, in order."""
    return re.findall(r"^\| `([a-z0-9-]+)` \| `", readme, flags=re.MULTILINE)


def test_each_readme_links_to_the_other_at_the_top() -> None:
    assert ENGLISH.splitlines()[2] == "[中文说明](README.zh-CN.md)"
    assert CHINESE.splitlines()[2] == "[English](README.md)"


def test_both_list_the_same_commands_the_cli_has() -> None:
    cli = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert commands(ENGLISH, "Commands") == commands(CHINESE, "命令")
    assert set(commands(ENGLISH, "Commands")) == cli


def test_both_list_the_same_diagnostic_codes() -> None:
    assert len(codes(ENGLISH)) >= 37
    assert codes(ENGLISH) == codes(CHINESE)


def test_both_give_the_same_quick_start() -> None:
    def quick_start(readme: str) -> list[str]:
        return re.findall(r"```sh\n(python3 -m venv .*?)\n```", readme)

    assert len(quick_start(ENGLISH)) == 2
    assert quick_start(ENGLISH) == quick_start(CHINESE)
