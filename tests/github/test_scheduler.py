"""The request gate through the simulator: the concurrency promise, overlapped reads, and
no secondary-limit answer from a simulator that enforces GitHub's budgets."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import httpx
import pytest

from reconciler.github import read_live_state
from reconciler.model import LiveState
from reconciler.simulator import Simulator
from tests.helpers.worlds import desired, org_config, org_world, team_names

from .conftest import MakeClient

READ_AT = datetime(2026, 11, 24, 12, tzinfo=UTC)
SEAT_PAGE = "/copilot/billing/seats"


class FakeTime:
    """One clock for client and simulator: sleeping moves it, so a minute passes at once."""

    def __init__(self) -> None:
        self._now = 1_000.0
        self._lock = threading.Lock()
        self.slept = 0.0

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds
            self.slept += seconds


class Recording(httpx.BaseTransport):
    """The simulator's transport, noting the order in which requests were sent."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner
        self.paths: list[str] = []
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.paths.append(request.url.path)
        return self._inner.handle_request(request)


def _read(sim: Simulator, make_client: MakeClient, n_teams: int, **settings: object) -> LiveState:
    config = desired(org_config(teams=team_names(n_teams)))
    return read_live_state(make_client(sim.transport(), **settings), config, now=READ_AT)


@pytest.mark.parametrize("concurrency", [1, 3])
def test_never_more_requests_in_flight_than_the_concurrency(
    make_client: MakeClient, concurrency: int
) -> None:
    # Teams of 250 members are 3 pages each: before the gate, team reads paged in parallel
    # inside parallel team reads put up to concurrency^2 requests in flight.
    sim = Simulator(org_world(2000, 6, team_size=250), faults={"latency_ms": 5})
    serial = _read(Simulator(org_world(2000, 6, team_size=250)), make_client, 6)
    live = _read(sim, make_client, 6, concurrency=concurrency)
    assert live == serial
    # 1 billing + 20 seat pages + 6 x 3 team pages + 1 content exclusion.
    assert sim.stats()["total"] == 40
    assert sim.limit_stats()["max_in_flight"] == concurrency


def test_team_members_are_read_alongside_the_seat_list(make_client: MakeClient) -> None:
    sim = Simulator(org_world(3000, 4))
    transport = Recording(sim.transport())
    config = desired(org_config(teams=team_names(4)))
    read_live_state(make_client(transport, concurrency=3), config, now=READ_AT)
    last_seat_page = max(i for i, p in enumerate(transport.paths) if p.endswith(SEAT_PAGE))
    first_team_page = min(i for i, p in enumerate(transport.paths) if p.endswith("/members"))
    assert first_team_page < last_seat_page


def test_a_serial_read_keeps_its_order(make_client: MakeClient) -> None:
    sim = Simulator(org_world(300, 2))
    transport = Recording(sim.transport())
    config = desired(org_config(teams=team_names(2)))
    read_live_state(make_client(transport), config, now=READ_AT)
    kinds = [p.rsplit("/", 1)[-1] for p in transport.paths]
    assert kinds == ["billing", *["seats"] * 3, "members", "members", "content_exclusion"]


def _budgeted(fake: FakeTime, **faults: int) -> Simulator:
    sim = Simulator(org_world(1200, 2), timer=fake.now, sleep=fake.sleep, faults=faults)
    return sim


def test_a_client_within_the_points_budget_is_never_refused(make_client: MakeClient) -> None:
    fake = FakeTime()
    sim = _budgeted(fake, points_per_minute=5, budget_window_s=60)
    live = _read(sim, make_client, 2, clock=fake.now, sleep=fake.sleep, points_per_minute=5)
    assert len(live.orgs["octo-org"].seats) == 1200
    assert sim.limit_stats()["secondary_limited"] == 0
    # 12 seat pages at 5 a minute: the client waited two windows, and sent the minimum.
    assert fake.slept >= 120
    assert sim.stats()["total"] == 1 + 12 + 2 + 1


def test_the_same_read_without_the_budget_is_refused(make_client: MakeClient) -> None:
    # The control for the test above: the simulator does enforce what the client paced.
    fake = FakeTime()
    sim = _budgeted(fake, points_per_minute=5, retry_after_s=60)
    _read(sim, make_client, 2, clock=fake.now, sleep=fake.sleep, points_per_minute=0)
    assert sim.limit_stats()["secondary_limited"] > 0


def test_a_client_within_the_server_time_budget_is_never_refused(make_client: MakeClient) -> None:
    fake = FakeTime()
    # Every answer takes 1 s of (fake) server time; the budget is 5 s a minute.
    sim = _budgeted(fake, latency_ms=1000, server_time_per_minute_s=5, retry_after_s=60)
    _read(sim, make_client, 2, clock=fake.now, sleep=fake.sleep, response_time_per_minute_s=5)
    assert sim.limit_stats()["secondary_limited"] == 0
    assert sim.stats()["total"] == 16
    assert fake.slept >= 2 * 60  # 16 s of answers at 5 s a minute


def test_without_the_server_time_budget_the_client_is_refused(make_client: MakeClient) -> None:
    fake = FakeTime()
    sim = _budgeted(fake, latency_ms=1000, server_time_per_minute_s=5, retry_after_s=60)
    _read(sim, make_client, 2, clock=fake.now, sleep=fake.sleep)
    assert sim.limit_stats()["secondary_limited"] > 0
