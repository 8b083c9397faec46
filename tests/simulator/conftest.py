"""Fixtures of the simulator tests: a small world, a simulator and httpx clients on it."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from reconciler.simulator import Simulator

API = "https://api.github.com"
TOKEN = "demo-token"
HEADERS = {
    "Authorization": f"Bearer {TOKEN}",
    "Accept": "application/vnd.github+json",
    "X-GitHub-Api-Version": "2022-11-28",
    "User-Agent": "simulator-tests",
}

#: The world of product.md's example, plus a read-only token, a stranger and an enterprise.
BASE_WORLD: dict[str, Any] = {
    "now": "2026-11-24T12:00:00Z",
    "tokens": {
        TOKEN: {"login": "octo-admin", "scopes": ["manage_billing:copilot", "read:org", "copilot"]},
        "read-token": {"login": "octo-admin", "scopes": ["read:org"]},
        "bare-token": {"login": "octo-admin", "scopes": []},
        "stranger-token": {
            "login": "mallory",
            "scopes": ["manage_billing:copilot", "read:org", "copilot", "read:enterprise"],
        },
        "ent-token": {"login": "octo-admin", "scopes": ["read:enterprise"]},
    },
    "orgs": {
        "octo-org": {
            "owners": ["octo-admin"],
            "members": ["octo-admin", "alice", "bob", "carol", "dave"],
            "teams": {"engineering": {"name": "Engineering", "members": ["alice", "bob"]}},
            "selected_teams": ["engineering"],
            "selected_users": ["carol"],
            "seats": {
                "carol": {
                    "created_at": "2026-01-10T08:00:00Z",
                    "last_activity_at": "2026-11-20T09:00:00Z",
                    "last_activity_editor": "vscode/1.95.0",
                },
                "dave": {
                    "created_at": "2025-05-01T08:00:00Z",
                    "pending_cancellation_date": "2026-12-01",
                },
            },
            "content_exclusion": {"octo-repo": ["/secrets/**"]},
        },
    },
    "enterprises": {"octo-ent": {"orgs": ["octo-org"]}},
}


def make_world(**changes: Any) -> dict[str, Any]:
    """A deep copy of BASE_WORLD with top-level keys replaced."""
    world = copy.deepcopy(BASE_WORLD)
    world.update(changes)
    return world


def org_world(**org_changes: Any) -> dict[str, Any]:
    """A deep copy of BASE_WORLD with keys of octo-org replaced."""
    world = copy.deepcopy(BASE_WORLD)
    world["orgs"]["octo-org"].update(org_changes)
    return world


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(make_world()) as simulator:
        yield simulator


ClientFactory = Callable[..., httpx.Client]


@pytest.fixture
def connect() -> Iterator[ClientFactory]:
    """Open in-process clients on a simulator; every one is closed at the end."""
    clients: list[httpx.Client] = []

    def factory(simulator: Simulator, token: str | None = TOKEN, **headers: str) -> httpx.Client:
        sent = dict(HEADERS)
        if token is None:
            del sent["Authorization"]
        else:
            sent["Authorization"] = f"Bearer {token}"
        sent.update(headers)
        client = httpx.Client(base_url=API, transport=simulator.transport(), headers=sent)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.close()


@pytest.fixture
def client(sim: Simulator, connect: ClientFactory) -> httpx.Client:
    return connect(sim)


def logins(client: httpx.Client, org: str = "octo-org") -> dict[str, str | None]:
    """login -> pending_cancellation_date of every seat, read through every page."""
    seats: dict[str, str | None] = {}
    url: str | None = f"/orgs/{org}/copilot/billing/seats?per_page=100"
    while url:
        answer = client.get(url)
        assert answer.status_code == 200, answer.text
        for seat in answer.json()["seats"]:
            seats[seat["assignee"]["login"]] = seat["pending_cancellation_date"]
        url = answer.links.get("next", {}).get("url")
    return seats
