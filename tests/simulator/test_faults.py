"""Fault injection: 5xx answers, dropped connections, secondary rate limits, latency and an
unstable seat order, reproducible from a seed."""

from __future__ import annotations

import httpx
import pytest

from reconciler.simulator import Simulator

from .conftest import ClientFactory, logins, make_world, org_world

SEATS = "/orgs/octo-org/copilot/billing/seats"
USERS = "/orgs/octo-org/copilot/billing/selected_users"


def test_error_rate_answers_5xx_with_githubs_body_and_changes_nothing(
    sim: Simulator, client: httpx.Client
) -> None:
    sim.set_faults(error_rate=1.0)
    answers = [client.post(USERS, json={"selected_usernames": ["octo-admin"]}) for _ in range(8)]
    assert {a.status_code for a in answers} <= {500, 502, 503, 504}
    assert all(set(a.json()) == {"message", "documentation_url"} for a in answers)
    sim.set_faults()
    assert "octo-admin" not in logins(client)
    assert sim.stats()["mutations"] == 8


def test_a_dropped_connection_raises_remote_protocol_error_in_process(
    sim: Simulator, client: httpx.Client
) -> None:
    sim.set_faults(drop_rate=1.0)
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(SEATS)
    assert sim.stats()["total"] == 0  # no answer, nothing counted as answered


def _applied_drops(seed: int) -> list[str]:
    names = [f"user{i:02d}" for i in range(30)]
    sim = Simulator(org_world(members=names), faults={"drop_rate": 1.0, "seed": seed})
    with httpx.Client(
        base_url="https://api.github.com",
        transport=sim.transport(),
        headers={"Authorization": "Bearer demo-token"},
    ) as client:
        for name in names:
            with pytest.raises(httpx.RemoteProtocolError):
                client.post(USERS, json={"selected_usernames": [name]})
        sim.set_faults()
        return sorted(set(logins(client)) & set(names))


def test_about_half_of_dropped_mutations_were_applied_reproducibly() -> None:
    applied = _applied_drops(seed=7)
    assert 6 <= len(applied) <= 24
    assert _applied_drops(seed=7) == applied
    assert _applied_drops(seed=8) != applied


def test_every_nth_request_hits_a_secondary_rate_limit_with_retry_after(
    sim: Simulator, client: httpx.Client
) -> None:
    sim.set_faults(secondary_rate_limit_every=3, retry_after_s=7)
    answers = [client.get(SEATS) for _ in range(6)]
    assert [a.status_code for a in answers] == [200, 200, 403, 200, 200, 403]
    assert answers[2].headers["retry-after"] == "7"
    assert "secondary rate limit" in answers[2].json()["message"]


def test_latency_delays_every_api_answer_but_not_control_calls(connect: ClientFactory) -> None:
    waits: list[float] = []
    with Simulator(make_world(), sleep=waits.append) as sim:
        client = connect(sim)
        sim.set_faults(latency_ms=120)
        assert client.get(SEATS).status_code == 200
        assert waits == [0.12]
        assert client.get("/_simulator/stats").status_code == 200
        assert waits == [0.12]  # the API call waited, the control call did not


def test_control_calls_are_never_faulted(sim: Simulator, client: httpx.Client) -> None:
    sim.set_faults(error_rate=1.0, drop_rate=1.0)
    assert client.get("/_simulator/world").status_code == 200


def _one_pass(client: httpx.Client) -> list[str]:
    seen: list[str] = []
    url: str | None = f"{SEATS}?per_page=20"
    while url:
        answer = client.get(url)
        seen += [s["assignee"]["login"] for s in answer.json()["seats"]]
        url = answer.links.get("next", {}).get("url")
    return seen


def test_an_unstable_order_perturbs_pages_and_a_union_of_rereads_converges(
    sim: Simulator, client: httpx.Client
) -> None:
    names = [f"user{i:04d}" for i in range(1000)]
    sim.load_world(
        org_world(members=names, selected_users=names, teams={}, selected_teams=[], seats={})
    )
    assert _one_pass(client) == names  # stable by default
    sim.set_faults(unstable_order=True, seed=3)
    passes = [_one_pass(client) for _ in range(6)]
    assert all(len(p) == 1000 for p in passes)
    assert any(len(set(p)) < 1000 for p in passes)  # a seat seen twice, another missed
    union: set[str] = set()
    converged_after = None
    for number, seen in enumerate(passes, start=1):
        union |= set(seen)
        if union == set(names):
            converged_after = number
            break
    assert converged_after is not None
    assert converged_after <= 3


def test_fault_settings_are_validated_and_replaced_whole(sim: Simulator) -> None:
    with pytest.raises(ValueError, match="unknown fault setting"):
        sim.set_faults(error_rte=0.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        sim.set_faults(error_rate=1.5)
    sim.set_faults(error_rate=0.5, seed=4)
    sim.set_faults(latency_ms=5)
    assert sim.faults() == {
        "latency_ms": 5,
        "error_rate": 0.0,
        "drop_rate": 0.0,
        "secondary_rate_limit_every": 0,
        "retry_after_s": 1,
        "unstable_order": False,
        "seed": 0,
        "rate_limit_per_hour": 5000,
        "content_exclusion_max_bytes": 262144,
        "report_users_per_file": 1000,
        "report_link_lifetime_s": 3600,
        "concurrent_limit": 0,
        "points_per_minute": 0,
        "server_time_per_minute_s": 0,
        "budget_window_s": 60,
    }
