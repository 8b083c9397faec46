"""Requests skip httpx.Client.send only when no proxy is configured: a proxy still routes."""

from __future__ import annotations

import pytest

from reconciler.errors import TransportError
from reconciler.github import ClientSettings, GitHubClient, TokenAuth
from reconciler.simulator import Simulator
from reconciler.simulator.server import start
from tests.helpers.worlds import ORG, TOKEN, org_world


def _client(url: str) -> GitHubClient:
    return GitHubClient(
        ClientSettings(api_url=url, retries=0), TokenAuth(TOKEN), sleep=lambda _s: None
    )


def test_without_a_proxy_requests_reach_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    with start(Simulator(org_world(150, 1))) as server, _client(server.url) as client:
        assert client.list_seats(ORG)[1] == 150


def test_a_configured_proxy_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    # Nothing listens on port 9 (discard): a client that honours the proxy cannot connect.
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    with (
        start(Simulator(org_world(150, 1))) as server,
        _client(server.url) as client,
        pytest.raises(TransportError),
    ):
        client.list_seats(ORG)
