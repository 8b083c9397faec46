"""The ledger of GitHub's secondary limits, driven by a fake clock (plain numbers)."""

from __future__ import annotations

import math

import pytest

from reconciler.github import ClientSettings
from reconciler.github.budget import Budgets, Ledger, endpoint_of, points_of

SEATS = "GET /orgs/{org}/copilot/billing/seats"
TEAM = "GET /orgs/{org}/teams/{team_slug}/members"


@pytest.mark.parametrize(
    ("method", "path", "endpoint"),
    [
        ("GET", "/orgs/octo/copilot/billing/seats", SEATS),
        ("get", "/orgs/octo/teams/Eng/members?page=3", TEAM),
        ("GET", "/orgs/octo/members/alice", "GET /orgs/{org}/members/{username}"),
        ("GET", "/orgs/octo/members", "GET /orgs/{org}/members"),
        ("DELETE", "/orgs/o/copilot/billing/selected_users",
         "DELETE /orgs/{org}/copilot/billing/selected_users"),
        ("POST", "/app/installations/42/access_tokens",
         "POST /app/installations/{installation_id}/access_tokens"),
        ("GET", "/api/v3/orgs/octo/copilot/billing", "GET /api/v3/orgs/{org}/copilot/billing"),
    ],
)  # fmt: skip
def test_requests_count_against_their_endpoint_whatever_the_names(
    method: str, path: str, endpoint: str
) -> None:
    assert endpoint_of(method, path) == endpoint


def test_a_read_costs_one_point_and_a_write_five() -> None:
    assert [points_of(m) for m in ("GET", "HEAD", "POST", "PUT", "DELETE")] == [1, 1, 5, 5, 5]


def _answered(ledger: Ledger, endpoint: str, start: float, end: float, points: int = 1) -> None:
    assert ledger.delay(endpoint, points, start) == 0
    ledger.finish(ledger.start(endpoint, points, start), end)


def test_an_endpoint_at_its_points_budget_waits_until_the_oldest_answer_leaves_the_window() -> None:
    ledger = Ledger(Budgets(points_per_minute=3, response_time_per_minute_s=None))
    for second in range(3):
        _answered(ledger, SEATS, second, second + 0.5)
    # Full: the first answer (dated 0.5, when it arrived) leaves the window at 60.5.
    assert ledger.delay(SEATS, 1, 10.0) == pytest.approx(50.5)
    # Another endpoint has a budget of its own.
    assert ledger.delay(TEAM, 1, 10.0) == 0
    assert ledger.delay(SEATS, 1, 60.5) == 0


def test_a_write_needs_room_for_its_five_points() -> None:
    ledger = Ledger(Budgets(points_per_minute=7, response_time_per_minute_s=None))
    endpoint = "POST /orgs/{org}/copilot/billing/selected_users"
    _answered(ledger, endpoint, 0, 1, points=5)
    # 5 used + 5 > 7: the first write must leave the window.
    assert ledger.delay(endpoint, 5, 2.0) == pytest.approx(59.0)
    assert ledger.delay(endpoint, 1, 2.0) == 0


def test_requests_in_flight_hold_their_points_until_answered() -> None:
    ledger = Ledger(Budgets(points_per_minute=2, response_time_per_minute_s=None))
    first = ledger.start(SEATS, 1, 0.0)
    ledger.start(SEATS, 1, 0.0)
    # Nothing answered yet: only an answer can say when room comes.
    assert ledger.delay(SEATS, 1, 1.0) == math.inf
    ledger.finish(first, 2.0)
    assert ledger.delay(SEATS, 1, 3.0) == pytest.approx(59.0)


def test_a_request_dearer_than_the_whole_budget_still_goes_alone() -> None:
    ledger = Ledger(Budgets(points_per_minute=3, response_time_per_minute_s=None))
    assert ledger.delay("PUT /x", 5, 0.0) == 0


def test_response_times_are_summed_over_the_window() -> None:
    ledger = Ledger(Budgets(points_per_minute=None, response_time_per_minute_s=3.0))
    _answered(ledger, SEATS, 0.0, 1.0)  # 1 s
    _answered(ledger, TEAM, 1.0, 2.0)  # 1 s: 2 s used, the next is estimated at 1 s
    assert ledger.estimate_s() == pytest.approx(1.0)
    assert ledger.delay(SEATS, 1, 2.0) == 0
    ledger.start(SEATS, 1, 2.0)  # in flight, counted at the estimate: 3 s
    # Full until the first answer (dated 1.0) leaves the window.
    assert ledger.delay(TEAM, 1, 2.5) == pytest.approx(58.5)


def test_before_any_answer_a_request_in_flight_is_assumed_to_cost_a_second() -> None:
    ledger = Ledger(Budgets(points_per_minute=None, response_time_per_minute_s=2.5))
    ledger.start(SEATS, 1, 0.0)
    ledger.start(SEATS, 1, 0.0)
    assert ledger.delay(SEATS, 1, 0.0) == math.inf  # 2 x 1 s + 1 s > 2.5 s


def test_the_estimate_is_the_slowest_recent_answer() -> None:
    ledger = Ledger(Budgets())
    _answered(ledger, SEATS, 0.0, 0.2)
    _answered(ledger, SEATS, 1.0, 1.7)
    _answered(ledger, SEATS, 2.0, 2.1)
    assert ledger.estimate_s() == pytest.approx(0.7)


def test_without_budgets_nothing_waits() -> None:
    ledger = Ledger(Budgets(points_per_minute=None, response_time_per_minute_s=None))
    for _ in range(10_000):
        ledger.start(SEATS, 1, 0.0)
    assert ledger.delay(SEATS, 1, 0.0) == 0


def test_github_budgets_apply_to_a_remote_host_and_not_to_loopback_unless_set() -> None:
    remote = ClientSettings().budgets(injected_transport=False)
    assert (remote.points_per_minute, remote.response_time_per_minute_s) == (900, 90.0)
    local = ClientSettings(api_url="http://127.0.0.1:8080").budgets(injected_transport=False)
    assert local.unlimited
    assert ClientSettings().budgets(injected_transport=True).unlimited
    chosen = ClientSettings(
        api_url="http://localhost:1", points_per_minute=300, response_time_per_minute_s=0
    ).budgets(injected_transport=False)
    assert (chosen.points_per_minute, chosen.response_time_per_minute_s) == (300, None)
