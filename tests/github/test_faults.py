"""Under injected faults a 10,000-seat, 20-team read is identical to the fault-free read, or
fails cleanly with an error: never a partial state."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from reconciler.errors import IncompleteReadError, RemoteError, TransportError
from reconciler.github import read_live_state
from reconciler.model import DesiredState, LiveState
from reconciler.simulator import Simulator
from tests.helpers.worlds import desired, org_config, org_world, team_names

from .conftest import MakeClient, Recorder

READ_AT = datetime(2026, 11, 24, 12, tzinfo=UTC)
MINIMUM = 1 + 100 + 20 + 1  # billing, seat pages, team member pages, content exclusion


@pytest.fixture(scope="module")
def big() -> tuple[Simulator, DesiredState]:
    return Simulator(org_world(10_000, 20)), desired(org_config(teams=team_names(20)))


@pytest.fixture(scope="module")
def baseline(big: tuple[Simulator, DesiredState]) -> LiveState:
    from reconciler.github import ClientSettings, GitHubClient, TokenAuth
    from tests.helpers.worlds import TOKEN

    sim, config = big
    sim.set_faults()
    sim.reset_stats()
    with GitHubClient(ClientSettings(), TokenAuth(TOKEN), transport=sim.transport()) as client:
        state = read_live_state(client, config, now=READ_AT)
        assert sim.stats()["total"] == client.requests_made == MINIMUM
    return state


FAULTS: dict[str, dict[str, Any]] = {
    "20% 5xx": {"error_rate": 0.2},
    "dropped connections": {"drop_rate": 0.1},
    "secondary limit, retry-after 0": {"secondary_rate_limit_every": 7, "retry_after_s": 0},
    "secondary limit, retry-after 1": {"secondary_rate_limit_every": 5, "retry_after_s": 1},
    "unstable order": {"unstable_order": True},
    "everything at once": {
        "error_rate": 0.2,
        "drop_rate": 0.05,
        "secondary_rate_limit_every": 9,
        "retry_after_s": 1,
        "unstable_order": True,
    },
}


@pytest.mark.slow  # reads 10,000 seats twelve times
@pytest.mark.parametrize("concurrency", [1, 4])
@pytest.mark.parametrize("faults", FAULTS.values(), ids=list(FAULTS))
def test_a_faulty_read_returns_the_fault_free_state(
    big: tuple[Simulator, DesiredState],
    baseline: LiveState,
    make_client: MakeClient,
    faults: dict[str, Any],
    concurrency: int,
) -> None:
    sim, config = big
    sim.set_faults(seed=11, **faults)
    sim.reset_stats()
    try:
        client = make_client(sim.transport(), concurrency=concurrency)
        state = read_live_state(client, config, now=READ_AT)
    finally:
        sim.set_faults()

    assert state == baseline
    assert client.requests_made > MINIMUM  # the faults really happened and were retried


def test_waits_for_a_secondary_limit_honour_retry_after_and_are_logged(
    big: tuple[Simulator, DesiredState], make_client: MakeClient, recorder: Recorder
) -> None:
    sim, config = big
    sim.set_faults(secondary_rate_limit_every=10, retry_after_s=1)
    try:
        read_live_state(make_client(sim.transport()), config, now=READ_AT)
    finally:
        sim.set_faults()

    # Every 10th request is limited; each limited request is retried once after 1 s.
    limited = sum(1 for line in recorder.logs if "secondary" in line)
    assert recorder.sleeps == [1.0] * limited
    assert set(recorder.logs) == {"waiting 1.0 s: secondary rate limit (retry-after)"}
    assert limited == (MINIMUM + limited) // 10


def test_an_unstable_order_is_read_again_and_said_so(
    big: tuple[Simulator, DesiredState], make_client: MakeClient, recorder: Recorder
) -> None:
    sim, _config = big
    sim.set_faults(unstable_order=True, seed=2)
    sim.reset_stats()
    try:
        seats, total = make_client(sim.transport()).list_seats("octo-org")
    finally:
        sim.set_faults()

    assert (len(seats), total, sim.stats()["by_operation"]) == (
        10_000,
        10_000,
        {"GET /orgs/{org}/copilot/billing/seats": 200},
    )
    assert len({s["assignee"]["login"] for s in seats}) == 10_000
    assert [line.split(";")[1] for line in recorder.logs] == [" pages shifted, reading it again"]


# ------------------------------------------------------------------------- failing cleanly


def test_a_seat_list_that_never_adds_up_is_an_error_not_a_partial_list(
    make_client: MakeClient,
) -> None:
    # A server whose total_seats always exceeds what it lists: three passes, then an error.
    calls: list[str] = []

    def serve(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return httpx.Response(200, json={"total_seats": 3, "seats": [_seat("a"), _seat("b")]})

    client = make_client(httpx.MockTransport(serve))
    with pytest.raises(IncompleteReadError) as caught:
        client.list_seats("octo-org")

    assert str(caught.value) == (
        "octo-org: the seat list did not add up after 3 reads (2 distinct seats, 2 over all "
        "reads, total_seats 3); the org is changing while it is read: retry when it is quiet"
    )
    assert len(calls) == 3


def test_seats_missed_by_one_pass_are_completed_by_the_next(make_client: MakeClient) -> None:
    passes = iter([["a", "b"], ["b", "c"]])

    def serve(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, json={"total_seats": 3, "seats": [_seat(x) for x in next(passes)]}
        )

    seats, total = make_client(httpx.MockTransport(serve)).list_seats("octo-org")

    assert ([s["assignee"]["login"] for s in seats], total) == (["a", "b", "c"], 3)


def test_a_server_that_always_fails_ends_in_an_error_after_the_retries(
    big: tuple[Simulator, DesiredState], make_client: MakeClient, recorder: Recorder
) -> None:
    sim, config = big
    sim.set_faults(error_rate=1.0)
    sim.reset_stats()
    try:
        with pytest.raises(RemoteError) as caught:
            read_live_state(make_client(sim.transport(), retries=3), config, now=READ_AT)
    finally:
        sim.set_faults()

    assert caught.value.status in (500, 502, 503, 504)
    assert "GET /orgs/octo-org/copilot/billing: " in str(caught.value)
    assert str(caught.value).endswith(
        "the API kept failing; retry later (see https://www.githubstatus.com)"
    )
    assert (sim.stats()["total"], len(recorder.sleeps)) == (4, 3)


def test_connections_that_always_drop_end_in_a_transport_error(
    big: tuple[Simulator, DesiredState], make_client: MakeClient
) -> None:
    sim, config = big
    sim.set_faults(drop_rate=1.0)
    try:
        with pytest.raises(TransportError) as caught:
            read_live_state(make_client(sim.transport(), retries=2), config, now=READ_AT)
    finally:
        sim.set_faults()

    assert str(caught.value) == (
        "GET /orgs/octo-org/copilot/billing: RemoteProtocolError (Server disconnected without "
        "sending a response.), still failing after 3 attempts; check the connection to "
        "api.github.com and retry"
    )


def _seat(login: str) -> dict[str, Any]:
    return {"created_at": "2026-01-01T00:00:00Z", "assignee": {"login": login}}
