"""Helpers for whole-engine tests: a simulator world, a client on its transport, an engine."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from reconciler.github import ClientSettings, GitHubClient, TokenAuth
from reconciler.reconcile.engine import Engine
from reconciler.simulator import Simulator

NOW = "2026-11-24T12:00:00Z"
TOKEN = "e2e-token"


def world(orgs: Mapping[str, Any]) -> dict[str, Any]:
    """A world with one owner token over ``orgs`` (world-file form)."""
    return {
        "now": NOW,
        "tokens": {
            TOKEN: {
                "login": "octo-admin",
                "scopes": ["manage_billing:copilot", "read:org", "copilot"],
            }
        },
        "orgs": dict(orgs),
    }


@contextmanager
def engine_on(sim: Simulator) -> Iterator[Engine]:
    """An engine whose client talks to ``sim`` in process; backoffs do not really sleep."""
    client = GitHubClient(
        ClientSettings(mutation_interval_s=0.0),
        TokenAuth(TOKEN),
        transport=sim.transport(),
        sleep=lambda _seconds: None,
    )
    try:
        yield Engine(client, clock=sim.now)
    finally:
        client.close()
