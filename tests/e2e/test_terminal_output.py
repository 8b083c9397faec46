"""What a person at a terminal sees: the progress line is erased, never left between the
`applied:` lines; `apply -q` prints results only; the plan's summary line leaves nothing out."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from reconciler.cli import cli
from tests.e2e.conftest import world

ORG: dict[str, Any] = {
    "owners": ["octo-admin"],
    "settings": {"plan_type": "business", "seat_management_setting": "assign_selected"},
    "members": ["octo-admin", "alice", "bob", "mallory"],
    "teams": {"eng": {"name": "Eng", "members": ["alice"]}},
    "selected_teams": [],
    "selected_users": ["mallory"],
}
CONFIG = "version: 1\norg: demo-org\nseats:\n  teams: [eng]\n  users: [bob]\n"


class TerminalStream(io.StringIO):
    """One stream standing for a terminal that stdout and stderr both write to."""

    def isatty(self) -> bool:
        return True


def screen(text: str) -> list[str]:
    """The lines a terminal shows after ``text``: carriage return, newline and erase-line
    (``ESC [ K``) are obeyed, other characters overwrite at the cursor."""
    lines, line, column = [], "", 0
    for token in re.findall(r"\x1b\[K|\r|\n|[^\r\n\x1b]+|\x1b", text):
        if token == "\n":
            lines.append(line)
            line, column = "", 0
        elif token == "\r":
            column = 0
        elif token == "\x1b[K":
            line = line[:column]
        else:
            line = line[:column] + token + line[column + len(token) :]
            column += len(token)
    return [*lines, line] if line else lines


def test_screen_obeys_the_control_characters_it_claims_to() -> None:
    assert screen("reading a: 1 pages\r\x1b[Kapplied: x\nok\n") == ["applied: x", "ok"]
    assert screen("reading a: 1 pages\napplied: x\n") == ["reading a: 1 pages", "applied: x"]
    assert screen("abcdef\rxy\n") == ["xycdef"]


@pytest.fixture
def demo(tmp_path: Path) -> tuple[Path, Path]:
    world_file = tmp_path / "world.yaml"
    world_file.write_text(yaml.safe_dump(world({"demo-org": ORG})))
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "demo.yaml").write_text(CONFIG)
    return world_file, tmp_path / "config"


def test_apply_on_a_terminal_leaves_no_progress_line_in_the_scrollback(
    demo: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    world_file, config = demo
    tty = TerminalStream()
    monkeypatch.setenv("NO_COLOR", "1")
    for name in ("stdin", "stdout", "stderr"):
        monkeypatch.setattr(sys, name, tty)
    args = ["apply", str(config), "--simulate", str(world_file), "--yes"]
    assert cli.main(args, standalone_mode=False) == 0
    raw, shown = tty.getvalue(), screen(tty.getvalue())
    assert "reading demo-org: 1/1 pages" in raw  # progress was drawn, and redrawn in place
    assert not [line for line in shown if "reading" in line], shown
    assert shown[0] == "demo-org"  # the plan starts on a line of its own
    applied = [line for line in shown if line.startswith("applied:")]
    assert len(applied) == 3, shown
    assert shown[-1].startswith("Apply complete in 1 round(s)")


def test_apply_quiet_prints_the_outcome_not_the_plan(demo: tuple[Path, Path]) -> None:
    world_file, config = demo
    result = CliRunner().invoke(
        cli, ["apply", str(config), "--simulate", str(world_file), "--yes", "-q"]
    )
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "Apply complete in 1 round(s); the API reported 2 seat(s) activated and 1 set to"
        " pending cancellation. The live state matches the configuration."
    ]


def test_apply_without_quiet_still_shows_the_plan_it_applies(demo: tuple[Path, Path]) -> None:
    world_file, config = demo
    result = CliRunner().invoke(cli, ["apply", str(config), "--simulate", str(world_file), "--yes"])
    assert result.exit_code == 0
    assert "Plan: 2 seat(s) to add, 1 to cancel" in result.stdout
