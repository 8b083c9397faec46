"""The README's first two commands stay true: the run command plans a real example against
its world, and the test command is the one .ci/run runs."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from reconciler.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _first_block() -> list[str]:
    match = re.search(r"```sh\n(.*?)```", README, re.DOTALL)
    assert match is not None, "the README starts with a ```sh block"
    return [line for line in match.group(1).splitlines() if line and not line.startswith("#")]


def test_the_readme_starts_with_a_setup_and_run_command_and_a_test_command() -> None:
    run, test = _first_block()
    assert "pip install" in run
    assert "copilot-reconciler plan" in run
    assert "--simulate" in run
    assert "pytest" in test


def test_the_readme_run_command_prints_a_real_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    run, _ = _first_block()
    words = shlex.split(run.split("&&")[-1])
    assert words[0].endswith("copilot-reconciler")
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, words[1:], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Plan:" in result.output
    assert re.search(r"^\s+[+-] ", result.output, re.MULTILINE), "the plan shows changes"


def test_ci_runs_the_readme_test_command() -> None:
    _, test = _first_block()
    command = test.split("bin/", 1)[-1]  # `.venv/bin/python -m pytest` -> `python -m pytest`
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
