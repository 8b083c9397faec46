"""Every command that reads a configuration fails (exit 1) when it finds no organization:
a nightly drift job pointed at the wrong folder must not pass forever with "No changes"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from reconciler.cli import cli

ROOT = Path(__file__).resolve().parents[2]
WORLD = ROOT / "examples" / "worlds" / "octo-org.yaml"


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["orgs"],
        ["orgs", "--json"],
        ["plan", "--simulate", str(WORLD)],
        ["plan", "--detailed-exitcode", "--simulate", str(WORLD)],
        ["drift", "--simulate", str(WORLD)],
        ["apply", "--yes", "--simulate", str(WORLD)],
    ],
)
def test_a_folder_of_simulator_worlds_alone_fails_every_command(
    command: list[str], tmp_path: Path
) -> None:
    worlds = tmp_path / "worlds"
    shutil.copytree(ROOT / "examples" / "worlds", worlds)
    result = CliRunner().invoke(cli, [*command, str(worlds)])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.startswith(f"{worlds}:1:1: no organization found in 4 YAML file(s):")
    assert "(a simulator world file)" in result.stderr
