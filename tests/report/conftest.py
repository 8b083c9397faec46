"""Fixtures of the report tests: a simulator world with activity, and clients on it."""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from reconciler.github import ClientSettings, GitHubClient, TokenAuth
from reconciler.simulator import Simulator

TOKEN = "demo-token"

#: Six seat holders with varied activity on 2026-11-24, a team of five, an enterprise.
WORLD: dict[str, Any] = {
    "now": "2026-11-24T12:00:00Z",
    "tokens": {
        TOKEN: {"login": "octo-admin", "scopes": ["manage_billing:copilot", "read:org"]},
        "ent-token": {"login": "octo-admin", "scopes": ["read:enterprise"]},
    },
    "orgs": {
        "octo-org": {
            "owners": ["octo-admin"],
            "settings": {"plan_type": "business", "seat_management_setting": "assign_selected"},
            "members": ["octo-admin", "alice", "bob", "carol", "dave", "erin", "frank", "gus"],
            "teams": {
                "engineering": {"members": ["alice", "bob", "carol", "dave", "erin"]},
                "design": {"members": ["frank"]},
            },
            "selected_teams": ["engineering", "design"],
            "selected_users": ["octo-admin"],
            "seats": {
                "octo-admin": {
                    "created_at": "2025-01-01T00:00:00Z",
                    "last_activity_at": "2026-11-23T10:00:00Z",
                    "last_activity_editor": "vscode/1.95.0/copilot/1.2",
                },
                "alice": {
                    "created_at": "2025-01-01T00:00:00Z",
                    "last_activity_at": "2026-11-20T10:00:00Z",
                    "last_activity_editor": "JetBrains-IU/2024.3",
                },
                "bob": {
                    "created_at": "2025-01-01T00:00:00Z",
                    "last_activity_at": "2026-10-01T10:00:00Z",
                    "last_activity_editor": "vscode/1.90.0",
                },
                "carol": {
                    "created_at": "2025-01-01T00:00:00Z",
                    "last_activity_at": "2026-07-01T10:00:00Z",
                },
                "dave": {"created_at": "2025-01-01T00:00:00Z"},
                "erin": {
                    "created_at": "2025-01-01T00:00:00Z",
                    "last_activity_at": "2026-11-24T08:00:00Z",
                    "last_activity_editor": "neovim/0.10",
                },
                "frank": {"created_at": "2026-11-20T00:00:00Z"},
                "gus": {
                    "created_at": "2025-01-01T00:00:00Z",
                    "pending_cancellation_date": "2026-12-01",
                },
            },
        }
    },
    "enterprises": {"octo-ent": {"orgs": ["octo-org"], "owners": ["octo-admin"]}},
}


def world(**org_changes: Any) -> dict[str, Any]:
    """A deep copy of WORLD with keys of octo-org replaced."""
    out = copy.deepcopy(WORLD)
    out["orgs"]["octo-org"].update(org_changes)
    return out


class Wire(httpx.BaseTransport):
    """The simulator's transport, recording every request that crosses it (a spy on the
    wire, not a mock: the simulator still answers)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.inner.handle_request(request)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(world()) as simulator:
        yield simulator


@pytest.fixture
def wire(sim: Simulator) -> Wire:
    return Wire(sim.transport())


@pytest.fixture
def api(wire: Wire) -> Iterator[GitHubClient]:
    """A client on the simulator that records its sleeps instead of sleeping."""
    sleeps: list[float] = []
    client = GitHubClient(
        ClientSettings(),
        TokenAuth(TOKEN),
        transport=wire,
        sleep=sleeps.append,
        rng=random.Random(1),
    )
    yield client
    client.close()
