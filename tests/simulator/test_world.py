"""The world file: loading, dumping, problems with their positions, and persistence."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import yaml

from reconciler.errors import ConfigError
from reconciler.simulator import Simulator

from .conftest import BASE_WORLD, TOKEN, make_world, org_world

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "worlds"


def test_a_dumped_world_loads_back_to_the_same_world() -> None:
    dumped = Simulator(make_world()).world()
    assert Simulator(dumped).world() == dumped
    assert json.loads(json.dumps(dumped)) == dumped


def test_the_dump_spells_out_implied_members_and_seat_details() -> None:
    org = Simulator(make_world()).world()["orgs"]["octo-org"]
    assert org["members"] == ["octo-admin", "alice", "bob", "carol", "dave"]
    assert org["seats"]["dave"] == {
        "created_at": "2025-05-01T08:00:00Z",
        "pending_cancellation_date": "2026-12-01",
    }
    assert sorted(org["seats"]) == ["alice", "bob", "carol", "dave"]


def test_team_members_and_selected_users_are_implied_org_members() -> None:
    world = Simulator(
        org_world(
            members=[],
            teams={"t": {"members": ["zed"]}},
            selected_teams=[],
            selected_users=["yan"],
            seats={},
        )
    ).world()
    assert world["orgs"]["octo-org"]["members"] == ["octo-admin", "zed", "yan"]


def test_default_token_is_the_first_whose_user_owns_an_org() -> None:
    world = make_world()
    world["tokens"] = {"a": {"login": "nobody", "scopes": []}, **world["tokens"]}
    assert Simulator(world).default_token() == TOKEN
    assert Simulator({"tokens": {"a": {"login": "x", "scopes": []}}}).default_token() is None


@pytest.mark.parametrize(
    ("world", "message"),
    [
        ({"orgz": {}}, "orgz: unknown key 'orgz'"),
        (org_world(settings={"ide_chat": "maybe"}), "ide_chat must be one of"),
        (org_world(selected_teams=["ghosts"]), "team 'ghosts' is not defined"),
        (org_world(seats={"erin": {}}), "erin has a seat but no grant"),
        (
            org_world(seats={"carol": {"pending_cancellation_date": "2026-12-01"}}),
            "carol still has a grant",
        ),
        (
            org_world(seats={"dave": {"pending_cancellation_date": "soon"}}),
            "pending_cancellation_date: expected a date like 2026-12-01 (YYYY-MM-DD), got 'soon'",
        ),
        ({"tokens": {"t": {"scopes": []}}}, "a token needs the login"),
        ({"seed": "x"}, "seed: expected an integer"),
    ],
)
def test_invalid_worlds_raise_config_error_naming_the_problem(
    world: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        Simulator(world)
    assert any(message in line for line in caught.value.lines()), caught.value.lines()


def test_problems_in_a_file_carry_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "world.yaml"
    path.write_text(
        "tokens: {}\norgs:\n  octo-org:\n    owners: [octo-admin]\n    settings:\n"
        "      ide_chat: maybe\n      cli: never\n"
    )
    with pytest.raises(ConfigError) as caught:
        Simulator.from_file(path)
    assert caught.value.lines() == [
        f"{path}:6:7: orgs.octo-org.settings.ide_chat: ide_chat must be one of "
        "enabled, disabled, unconfigured",
        f"{path}:7:7: orgs.octo-org.settings.cli: cli must be one of "
        "enabled, disabled, unconfigured",
    ]


@pytest.mark.parametrize("now", ["'2026'", "2026", "'next tuesday'"])
def test_a_clock_that_is_not_a_timestamp_names_the_file_and_the_expected_form(
    tmp_path: Path, now: str
) -> None:
    path = tmp_path / "world.yaml"
    path.write_text(f"tokens: {{}}\nnow: {now}\n")
    with pytest.raises(ConfigError) as caught:
        Simulator.from_file(path)
    (line,) = caught.value.lines()
    assert line.startswith(f"{path}:2:")
    assert "now: expected a timestamp like 2026-11-24T12:00:00Z (ISO 8601), got " in line
    assert "Invalid isoformat" not in line


def test_a_yaml_syntax_error_names_its_position(tmp_path: Path) -> None:
    path = tmp_path / "world.yaml"
    path.write_text("orgs:\n  octo-org: [unclosed\n")
    with pytest.raises(ConfigError) as caught:
        Simulator.from_file(path)
    assert caught.value.lines()[0].startswith(f"{path}:3:1: ")


def test_a_missing_file_is_a_config_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        Simulator.from_file(tmp_path / "nope.yaml")
    assert caught.value.lines() == [
        f"{tmp_path / 'nope.yaml'}:1:1: cannot read: No such file or directory"
    ]


def _mutate(sim: Simulator) -> None:
    with httpx.Client(base_url="https://api.github.com", transport=sim.transport()) as client:
        answer = client.post(
            "/orgs/octo-org/copilot/billing/selected_users",
            json={"selected_usernames": ["octo-admin"]},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert answer.status_code == 201


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_persist_writes_mutations_back_atomically_in_the_files_format(
    tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"world{suffix}"
    path.write_text(json.dumps(BASE_WORLD) if suffix == ".json" else yaml.safe_dump(BASE_WORLD))
    path.chmod(0o644)
    with Simulator.from_file(path, persist=True) as sim:
        _mutate(sim)
        world = sim.world()
    saved = json.loads(path.read_text()) if suffix == ".json" else yaml.safe_load(path.read_text())
    assert "octo-admin" in saved["orgs"]["octo-org"]["selected_users"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temp file left
    assert path.stat().st_mode & 0o777 == 0o644
    # The file loads back as the same world (a YAML file keeps its own order of list items
    # that did not change, such as a token's scopes).
    assert Simulator.from_file(path).world() == world


def test_without_persist_or_without_change_the_file_is_untouched(tmp_path: Path) -> None:
    path = tmp_path / "world.yaml"
    text = yaml.safe_dump(BASE_WORLD)
    path.write_text(text)
    with Simulator.from_file(path) as sim:
        _mutate(sim)
    with Simulator.from_file(path, persist=True) as sim:
        sim.world()
    assert path.read_text() == text


@pytest.mark.parametrize("name", ["octo-org", "acme-corp", "octo-secure", "all"])
def test_every_example_world_loads_and_has_an_owner_token(name: str) -> None:
    sim = Simulator.from_file(EXAMPLES / f"{name}.yaml")
    assert sim.default_token() == "demo-token"
    assert sim.world()["orgs"]


def test_the_example_worlds_hold_the_seats_their_comments_describe() -> None:
    orgs = Simulator.from_file(EXAMPLES / "all.yaml").world()["orgs"]
    pending = {
        org: sorted(u for u, s in body["seats"].items() if "pending_cancellation_date" in s)
        for org, body in orgs.items()
    }
    assert pending == {
        "octo-org": ["bob"],
        "acme-corp": ["nora-left", "tomas-novak"],
        "octo-secure": ["kim-old"],
    }
    assert {org: len(body["seats"]) for org, body in orgs.items()} == {
        "octo-org": 7,
        "acme-corp": 25,
        "octo-secure": 6,
    }
