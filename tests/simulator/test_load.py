"""Eight concurrent clients against `simulator serve`: no errors, no corrupted state."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from reconciler.simulator import Simulator
from reconciler.simulator.server import start

from .conftest import HEADERS, logins, org_world

CLIENTS = 8
ROUNDS = 25
USERS = "/orgs/octo-org/copilot/billing/selected_users"


def _worker(url: str, number: int) -> list[int]:
    """Each client grants and cancels its own users and reads the shared lists."""
    mine = [f"c{number}-u{i}" for i in range(4)]
    statuses: list[int] = []
    with httpx.Client(base_url=url, headers=HEADERS, timeout=30) as client:
        for round_ in range(ROUNDS):
            statuses.append(client.post(USERS, json={"selected_usernames": mine}).status_code)
            page = client.get("/orgs/octo-org/copilot/billing/seats", params={"per_page": 100})
            statuses.append(page.status_code)
            statuses.append(client.get("/orgs/octo-org/copilot/billing").status_code)
            if round_ % 2 == 0:
                body = {"selected_usernames": mine[:2]}
                statuses.append(client.request("DELETE", USERS, json=body).status_code)
            statuses.append(client.get("/orgs/octo-org/teams/engineering/members").status_code)
    return statuses


@pytest.mark.slow
def test_eight_concurrent_clients_get_no_errors_and_leave_a_consistent_world() -> None:
    names = [f"c{n}-u{i}" for n in range(CLIENTS) for i in range(4)]
    sim = Simulator(org_world(members=["octo-admin", "alice", "bob", "carol", *names]))
    with start(sim) as served, ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(lambda n: _worker(served.url, n), range(CLIENTS)))
        with httpx.Client(base_url=served.url, headers=HEADERS) as reader:
            seats = logins(reader)
    statuses = [s for result in results for s in result]
    assert set(statuses) <= {200, 201}
    # The last round (24) was even: each client's first two users are pending, the others active.
    expected = {n: ("2026-12-01" if n.endswith(("u0", "u1")) else None) for n in names}
    assert {n: seats[n] for n in names} == expected
    stats = sim.stats()
    assert stats["total"] == len(statuses) + 1  # and the final read
    per_client_mutations = ROUNDS + (ROUNDS + 1) // 2
    assert stats["mutations"] == CLIENTS * per_client_mutations
