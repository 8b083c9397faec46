"""Helpers for whole-engine tests: a simulator world, a client on its transport (in process,
or over loopback HTTP through the client's own transport), an engine."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpx

from reconciler.github import ClientSettings, GitHubClient, TokenAuth
from reconciler.reconcile.engine import Engine
from reconciler.simulator import Simulator
from reconciler.simulator.server import start

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
def engine_on(sim: Simulator, *, over_loopback: bool = False) -> Iterator[Engine]:
    """An engine whose client talks to ``sim`` in process, or with ``over_loopback`` to ``sim``
    served on a loopback socket (requests then go through the client's HTTP transport, as
    against GitHub); backoffs do not really sleep."""
    if over_loopback:
        with start(sim) as served:
            settings = ClientSettings(api_url=served.url, mutation_interval_s=0.0)
            with _engine(sim, settings, transport=None) as engine:
                yield engine
        return
    with _engine(sim, ClientSettings(mutation_interval_s=0.0), transport=sim.transport()) as engine:
        yield engine


@contextmanager
def _engine(
    sim: Simulator, settings: ClientSettings, *, transport: httpx.BaseTransport | None
) -> Iterator[Engine]:
    client = GitHubClient(
        settings, TokenAuth(TOKEN), transport=transport, sleep=lambda _seconds: None
    )
    try:
        yield Engine(client, clock=sim.now)
    finally:
        client.close()
