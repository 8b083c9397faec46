"""`explain ORG USER [PATH...]` against the simulator: the rule behind a seat, and the cost in
requests of finding it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from reconciler.cli import cli

from .conftest import world

CONFIG = """\
version: 1
org: octo-org
seats:
  teams: [engineering]
  users:
    - gus
    - login: harry
      expires: 2027-01-31
  keep: [octo-admin]
  exempt: [alice]
"""


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_APP_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    data = world()
    data["orgs"]["octo-org"]["members"].append("harry")
    # frank is in engineering too, but his seat shows design (alphabetically first).
    data["orgs"]["octo-org"]["teams"]["engineering"]["members"].append("frank")
    Path("world.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    Path("cfg").mkdir()
    Path("cfg/eng.yaml").write_text(CONFIG, encoding="utf-8")
    return Path("world.yaml"), Path("cfg")


def explain(user: str, *paths: str) -> Result:
    args = ["explain", "octo-org", user, *paths, "--simulate", "world.yaml", "-v"]
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_a_team_seat_names_the_team_and_where_it_is_declared(setup: tuple[Path, Path]) -> None:
    result = explain("bob", "cfg")
    assert result.exit_code == 0, result.output
    assert "assigning team engineering" in result.stdout
    assert "granted: via team engineering (declared at cfg/eng.yaml:4:11" in result.stdout
    assert "outcome: the next apply keeps the seat" in result.stdout


def test_a_direct_declared_seat_names_its_file_and_line(setup: tuple[Path, Path]) -> None:
    result = explain("harry", "cfg")
    assert "seat: none" in result.stdout
    assert "granted: declared in cfg/eng.yaml:7:14 (seats.users until 2027-01-31)" in (
        result.stdout
    )
    assert "outcome: harry has no seat and is declared: the next apply grants one" in (
        result.stdout
    )


def test_a_pending_declared_seat_is_reactivated(setup: tuple[Path, Path]) -> None:
    result = explain("gus", "cfg")
    assert "pending cancellation: 2026-12-01" in result.stdout
    assert "granted: declared in cfg/eng.yaml:6:7 (seats.users)" in result.stdout
    assert "but declared: the next apply reactivates it" in result.stdout


def test_a_keep_listed_seat_says_keep(setup: tuple[Path, Path]) -> None:
    result = explain("octo-admin", "cfg")
    assert "granted: kept by keep: at cfg/eng.yaml:9:10" in result.stdout
    assert "the next apply keeps the seat" in result.stdout


def test_a_team_member_whose_seat_shows_another_team(setup: tuple[Path, Path]) -> None:
    result = explain("frank", "cfg")
    assert "assigning team design" in result.stdout
    # Found by reading the declared team's members: frank is one.
    assert "granted: via team engineering (declared at cfg/eng.yaml:4:11; a member)" in (
        result.stdout
    )


def test_an_exempt_user_is_noted(setup: tuple[Path, Path]) -> None:
    assert "note: exempt from reclaim at cfg/eng.yaml:10:12" in explain("alice", "cfg").stdout


def test_no_seat_and_nothing_declared(setup: tuple[Path, Path]) -> None:
    result = explain("nobody", "cfg")
    assert "seat: none" in result.stdout
    assert "nobody has no seat and none is declared: the next apply does nothing" in (result.stdout)


def test_an_undeclared_direct_seat_would_be_cancelled(setup: tuple[Path, Path]) -> None:
    Path("cfg/eng.yaml").write_text(CONFIG.replace("  keep: [octo-admin]\n", ""), "utf-8")
    result = explain("octo-admin", "cfg")
    assert "granted: by no rule of the configuration" in result.stdout
    assert "the next apply would cancel it (remove the direct grant)" in result.stdout


def test_without_a_configuration_the_seat_alone_is_shown(setup: tuple[Path, Path]) -> None:
    result = explain("carol")
    assert "last activity: 2026-07-01 10:00 UTC" in result.stdout
    assert "pass the configuration (PATH)" in result.stdout


def test_a_configuration_of_another_org_is_an_error(setup: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(
        cli, ["explain", "other-org", "bob", "cfg", "--simulate", "world.yaml"]
    )
    assert result.exit_code == 1
    assert "names no organization other-org (it names: octo-org)" in result.output


@pytest.mark.parametrize(
    ("login", "expected"),
    [
        ("bob", 1),  # the seat shows the declared team: no read
        ("octo-admin", 1),  # keep answers
        ("gus", 1),  # declared user, pending seat
        ("frank", 2),  # the seat shows an undeclared team: engineering's members are read
        ("harry", 2),  # declared, no seat: is harry a member (could GitHub seat him)?
        ("nobody", 2),  # no seat, nothing declared: the declared team is read to be sure
    ],
)
def test_explain_reads_the_seat_and_only_the_teams_it_needs(
    setup: tuple[Path, Path], login: str, expected: int
) -> None:
    from reconciler.config import load_desired_state
    from reconciler.github import ClientSettings, GitHubClient, TokenAuth
    from reconciler.github.reader import parse_seat
    from reconciler.github.usage import get_user_seat
    from reconciler.report.explain import explain_seat
    from reconciler.simulator import Simulator

    config = load_desired_state(["cfg"]).org("octo-org")
    with Simulator.from_file("world.yaml") as sim:
        client = GitHubClient(ClientSettings(), TokenAuth("demo-token"), transport=sim.transport())
        with client:
            raw = get_user_seat(client, "octo-org", login)
            explain_seat(
                "octo-org",
                login,
                parse_seat(raw, "octo-org") if raw else None,
                config,
                today=sim.now().date(),
                team_members=lambda slug: client.list_team_members("octo-org", slug),
                is_member=lambda: client.is_org_member("octo-org", login),
            )
        assert sim.stats()["total"] == expected
