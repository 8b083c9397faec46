"""`apply --simulate WORLD` says what it writes and keeps the file's comments and order
(issue 10, point 6)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from tests.e2e.conftest import world
from tests.e2e.test_cli import CONFIG, DEMO_ORG, run

COMMENTED = """\
# A rehearsal world: the demo org drifts from demo.yaml on purpose.
now: "2026-11-24T12:00:00Z"
tokens:
  e2e-token: {login: octo-admin, scopes: [read:org, manage_billing:copilot, copilot]}
orgs:
  demo-org:
    settings: {plan_type: business, seat_management_setting: assign_selected}
    owners: [octo-admin]
    # mallory left the company; her seat should go.
    members: [octo-admin, alice, bob, carol, dave, erin, mallory]
    teams:
      legacy: {name: Legacy, members: [dave, erin]}   # to be retired
      eng: {name: Eng, members: [alice, bob]}
    selected_users: [carol, mallory]  # direct grants
    selected_teams: [legacy]
    content_exclusion: {}
"""


def test_apply_simulate_updates_a_commented_world_in_place_and_says_how(tmp_path: Path) -> None:
    world_file = tmp_path / "world.yaml"
    world_file.write_text(COMMENTED)
    config = tmp_path / "demo.yaml"
    config.write_text(CONFIG)

    result = run("apply", str(config), "--simulate", str(world_file), "--yes")

    assert result.exit_code == 0, result.output
    # eng's alice and bob, and dave's direct grant keeps his seat; mallory and erin go.
    assert f"updated {world_file}: 2 seat(s) added, 2 cancelled\n" in result.output
    text = world_file.read_text()
    lines = text.splitlines()
    assert lines[:4] == COMMENTED.splitlines()[:4]  # header comment, quoting and flow style
    for comment in (
        "    # mallory left the company; her seat should go.",
        "      legacy: {name: Legacy, members: [dave, erin]}   # to be retired",
    ):
        assert comment in lines
    # The comment stays on its line (ruamel keeps its column: the list got shorter).
    assert any(
        re.fullmatch(r"    selected_users: \[carol, dave\] +# direct grants", ln) for ln in lines
    )
    assert "    selected_teams: [eng]" in lines
    top = [line.split(":")[0] for line in lines if line and not line.startswith((" ", "#"))]
    assert top == ["now", "tokens", "orgs"]
    org = [
        line.strip().split(":")[0]
        for line in lines
        if line.startswith("    ") and not line.startswith("     ")
    ]
    assert org[:8] == [
        "settings",
        "owners",
        "# mallory left the company; her seat should go.",
        "members",
        "teams",
        "selected_users",
        "selected_teams",
        "content_exclusion",
    ]
    assert org[8:] == ["seats"]  # the seat details the simulator now records come last
    assert run("drift", str(config), "--simulate", str(world_file)).exit_code == 0


def test_a_json_world_stays_json(tmp_path: Path) -> None:
    world_file = tmp_path / "world.json"
    world_file.write_text(json.dumps(world({"demo-org": DEMO_ORG}), indent=2))
    config = tmp_path / "demo.yaml"
    config.write_text(CONFIG)

    result = run("apply", str(config), "--simulate", str(world_file), "--yes")

    assert result.exit_code == 0, result.output
    assert f"updated {world_file}: 2 seat(s) added, 2 cancelled" in result.output
    saved = json.loads(world_file.read_text())
    assert saved["orgs"]["demo-org"]["selected_users"] == ["carol", "dave"]


def test_a_plan_writes_nothing_and_says_nothing_about_the_world(tmp_path: Path) -> None:
    world_file = tmp_path / "world.yaml"
    world_file.write_text(COMMENTED)
    config = tmp_path / "demo.yaml"
    config.write_text(CONFIG)
    result = run("plan", str(config), "--simulate", str(world_file))
    assert "updated" not in result.output
    assert world_file.read_text() == COMMENTED
    assert yaml.safe_load(COMMENTED)["orgs"]["demo-org"]["selected_users"] == ["carol", "mallory"]
