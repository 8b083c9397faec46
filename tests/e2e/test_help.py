"""Every command and option explains itself in --help, and no summary is cut mid-sentence
(style.md: "a test checks that every command has help text")."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from reconciler.cli import cli


def _commands(
    group: click.Group = cli, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], click.Command]]:
    found: list[tuple[tuple[str, ...], click.Command]] = []
    for name in sorted(group.commands):
        command = group.commands[name]
        found.append(((*path, name), command))
        if isinstance(command, click.Group):
            found += _commands(command, (*path, name))
    return found


def _cases() -> list[object]:
    return [pytest.param(path, command, id=" ".join(path)) for path, command in _commands()]


def test_the_walk_finds_every_command() -> None:
    names = {" ".join(path) for path, _ in _commands()}
    assert {"validate", "plan", "drift", "apply", "export", "orgs", "simulator serve"} <= names


@pytest.mark.parametrize(("path", "command"), _cases())
def test_every_option_has_help_text(path: tuple[str, ...], command: click.Command) -> None:
    missing = [
        "/".join(param.opts)
        for param in command.params
        if isinstance(param, click.Option) and not param.hidden and not (param.help or "").strip()
    ]
    assert (command.help or "").strip(), f"{' '.join(path)} has no help text"
    assert missing == [], f"{' '.join(path)}: options without help: {missing}"


@pytest.mark.parametrize(("path", "command"), _cases())
def test_the_summary_in_the_parent_help_is_a_whole_sentence(
    path: tuple[str, ...], command: click.Command
) -> None:
    parent = CliRunner().invoke(cli, [*path[:-1], "--help"], env={"COLUMNS": "80"})
    listed = parent.stdout.split("Commands:\n", 1)[1]
    line = next(row for row in listed.splitlines() if row.split()[0] == path[-1])
    summary = line.split(maxsplit=1)[1]
    first_line = (command.help or "").strip().splitlines()[0]
    assert not summary.endswith("..."), line
    assert summary == first_line, "the summary is the docstring's first line, whole"


@pytest.mark.parametrize(("path", "command"), _cases())
def test_help_shows_for_every_command(path: tuple[str, ...], command: click.Command) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    first_line = (command.help or "").strip().splitlines()[0]
    assert first_line in " ".join(result.stdout.split())  # as wrapped to the terminal
