"""GitHub's secondary-limit budgets in the simulator: off by default, enforced when asked."""

from __future__ import annotations

import threading

import httpx

from reconciler.simulator import Simulator

from .conftest import BASE_WORLD, ClientFactory

BILLING = "/orgs/octo-org/copilot/billing"
EXCLUSION = "/orgs/octo-org/copilot/content_exclusion"


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def timer(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _refused(answer: httpx.Response) -> bool:
    return answer.status_code == 403 and "secondary rate limit" in answer.json()["message"]


def test_without_budgets_nothing_is_refused(connect: ClientFactory) -> None:
    client = connect(Simulator(BASE_WORLD))
    assert all(client.get(BILLING).status_code == 200 for _ in range(50))


def test_the_points_budget_is_per_endpoint_and_slides(connect: ClientFactory) -> None:
    fake = FakeTime()
    sim = Simulator(BASE_WORLD, timer=fake.timer, sleep=fake.sleep)
    sim.set_faults(points_per_minute=3, retry_after_s=60)
    client = connect(sim)
    assert [client.get(BILLING).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(BILLING)
    assert _refused(refused)
    assert refused.headers["retry-after"] == "60"
    assert client.get(EXCLUSION).status_code == 200  # another endpoint, another budget
    fake.now += 60.0
    assert client.get(BILLING).status_code == 200
    assert sim.limit_stats()["secondary_limited"] == 1


def test_a_write_costs_five_points(connect: ClientFactory) -> None:
    sim = Simulator(BASE_WORLD, timer=FakeTime().timer)
    sim.set_faults(points_per_minute=9)
    client = connect(sim)
    body = {"selected_usernames": ["alice"]}
    path = "/orgs/octo-org/copilot/billing/selected_users"
    assert client.post(path, json=body).status_code == 201
    assert _refused(client.post(path, json=body))


def test_the_server_time_budget_counts_latency(connect: ClientFactory) -> None:
    fake = FakeTime()
    sim = Simulator(BASE_WORLD, timer=fake.timer, sleep=fake.sleep)
    sim.set_faults(latency_ms=2000, server_time_per_minute_s=3)
    client = connect(sim)
    # 2 s, then 4 s in the window (the budget is checked as a request arrives): refused.
    assert [client.get(BILLING).status_code for _ in range(2)] == [200, 200]
    assert _refused(client.get(EXCLUSION))
    fake.now += 60.0
    assert client.get(EXCLUSION).status_code == 200


def test_requests_beyond_the_concurrent_limit_are_refused_and_the_peak_is_counted(
    connect: ClientFactory,
) -> None:
    release = threading.Event()
    held: list[bool] = []

    def hold_the_first(_seconds: float) -> None:
        if not held:
            held.append(True)
            release.wait(10)

    sim = Simulator(BASE_WORLD, sleep=hold_the_first)
    sim.set_faults(latency_ms=1, concurrent_limit=1)
    first: list[int] = []
    worker = threading.Thread(target=lambda: first.append(connect(sim).get(BILLING).status_code))
    worker.start()
    while sim.limit_stats()["in_flight"] < 1:
        threading.Event().wait(0.001)
    second = connect(sim).get(BILLING)  # the first is still being served
    release.set()
    worker.join()
    assert first == [200]
    assert _refused(second)
    assert sim.limit_stats() == {"in_flight": 0, "max_in_flight": 2, "secondary_limited": 1}


def test_limits_are_read_over_the_control_api(connect: ClientFactory) -> None:
    sim = Simulator(BASE_WORLD)
    client = connect(sim)
    assert client.put("/_simulator/faults", json={"points_per_minute": 1}).status_code == 200
    client.get(BILLING)
    assert _refused(client.get(BILLING))
    assert client.get("/_simulator/limits").json()["secondary_limited"] == 1
    assert client.delete("/_simulator/stats").status_code == 204
    assert client.get("/_simulator/limits").json() == {
        "in_flight": 0,
        "max_in_flight": 0,
        "secondary_limited": 0,
    }
    assert client.put("/_simulator/faults", json={"budget_window_s": 0}).status_code == 422
