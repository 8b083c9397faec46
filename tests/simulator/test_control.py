"""The control API under /_simulator/, with the shapes product.md fixes."""

from __future__ import annotations

import httpx

from reconciler.simulator import Simulator

from .conftest import logins, make_world, org_world


def test_get_world_returns_the_world_file_form_without_the_tokens(
    sim: Simulator, client: httpx.Client
) -> None:
    answer = client.get("/_simulator/world", headers={"Authorization": ""})
    world = sim.world()
    del world["tokens"]
    assert (answer.status_code, answer.json()) == (200, world)
    for token in make_world()["tokens"]:
        assert token not in answer.text


def test_a_world_read_back_without_tokens_keeps_the_current_ones(client: httpx.Client) -> None:
    world = client.get("/_simulator/world").json()
    world["orgs"]["octo-org"]["selected_users"].append("octo-admin")
    put = client.put("/_simulator/world", json=world)
    assert put.status_code == 200
    assert "tokens" not in put.json()
    assert "octo-admin" in logins(client)  # the client's token still works


def test_a_world_with_tokens_replaces_them(client: httpx.Client) -> None:
    world = make_world(tokens={"new-token": {"login": "octo-admin", "scopes": ["read:org"]}})
    assert client.put("/_simulator/world", json=world).status_code == 200
    assert client.get("/orgs/octo-org/copilot/billing").status_code == 401


def test_put_world_replaces_the_world(client: httpx.Client) -> None:
    world = org_world(selected_users=["carol", "octo-admin"])
    assert client.put("/_simulator/world", json=world).status_code == 200
    assert "octo-admin" in logins(client)


def test_put_world_with_an_invalid_world_is_422_and_keeps_the_old_one(
    sim: Simulator, client: httpx.Client
) -> None:
    before = sim.world()
    answer = client.put("/_simulator/world", json=org_world(selected_teams=["ghosts"]))
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        "<world>:1:1: orgs.octo-org.selected_teams: team 'ghosts' is not defined in teams"
    ]
    assert sim.world() == before


def test_clock_moves_to_a_time_or_by_days_and_rolls_billing_cycles(client: httpx.Client) -> None:
    answer = client.post("/_simulator/clock", json={"advance_days": 7})
    assert answer.json() == {"now": "2026-12-01T12:00:00Z"}
    assert "dave" not in logins(client)  # pending until 2026-12-01
    answer = client.post("/_simulator/clock", json={"now": "2027-01-01T00:00:00Z"})
    assert answer.json() == {"now": "2027-01-01T00:00:00Z"}
    assert client.post("/_simulator/clock", json={"later": 1}).status_code == 422


def test_an_unfixed_clock_follows_the_wall_clock_plus_advances() -> None:
    world = make_world()
    del world["now"]
    sim = Simulator(world)
    before = sim.now()
    sim.advance(10)
    assert 9.9 <= (sim.now() - before).total_seconds() / 86400 <= 10.1
    assert "now" not in sim.world()


def test_team_membership_changes_grant_and_remove_seats(client: httpx.Client) -> None:
    path = "/_simulator/orgs/octo-org/teams/engineering/members"
    assert client.post(path, json={"login": "dave"}).status_code == 200
    assert logins(client)["dave"] is None  # reactivated by the team grant
    assert client.request("DELETE", path, json={"login": "alice"}).status_code == 200
    assert logins(client)["alice"] == "2026-12-01"
    missing = client.post("/_simulator/orgs/octo-org/teams/ghosts/members", json={"login": "x"})
    assert missing.status_code == 404


def test_faults_are_put_and_read_back(client: httpx.Client) -> None:
    settings = {
        "latency_ms": 0,
        "error_rate": 0.0,
        "drop_rate": 0.0,
        "secondary_rate_limit_every": 2,
        "retry_after_s": 3,
        "unstable_order": True,
        "seed": 9,
    }
    answer = client.put("/_simulator/faults", json=settings)
    assert answer.status_code == 200
    assert client.get("/_simulator/faults").json() == {
        **settings,
        "rate_limit_per_hour": 5000,
        "content_exclusion_max_bytes": 262144,
        "report_users_per_file": 1000,
        "report_link_lifetime_s": 3600,
        "concurrent_limit": 0,
        "points_per_minute": 0,
        "server_time_per_minute_s": 0,
        "budget_window_s": 60,
    }
    assert client.put("/_simulator/faults", json={"nope": 1}).status_code == 422


def test_stats_have_the_fixed_shape_and_can_be_reset(client: httpx.Client) -> None:
    client.get("/orgs/octo-org/copilot/billing")
    assert client.get("/_simulator/stats").json() == {
        "total": 1,
        "mutations": 0,
        "not_modified": 0,
        "by_operation": {"GET /orgs/{org}/copilot/billing": 1},
    }
    assert client.delete("/_simulator/stats").status_code == 204
    assert client.get("/_simulator/stats").json()["total"] == 0


def test_an_unknown_control_call_is_404(client: httpx.Client) -> None:
    assert client.get("/_simulator/nothing").status_code == 404
