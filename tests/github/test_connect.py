"""The CLI's factory: base URL, credentials and the simulator; and a read over loopback HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from reconciler.errors import AuthenticationError, ReconcilerError
from reconciler.github import GitHubClient, read_live_state
from reconciler.github.connect import connect, default_cache_dir
from reconciler.simulator import Simulator
from reconciler.simulator.server import start
from tests.helpers.worlds import TOKEN, desired, org_config, org_world, team_names

READ_AT = datetime(2026, 11, 24, 12, tzinfo=UTC)


@pytest.fixture
def opened() -> Iterator[list[GitHubClient]]:
    clients: list[GitHubClient] = []
    yield clients
    for client in clients:
        client.close()


def _connect(opened: list[GitHubClient], **options: Any) -> GitHubClient:
    arguments: dict[str, Any] = {
        "api_url": None,
        "simulate": None,
        "env": {},
        "cache_dir": None,
        "concurrency": 1,
    }
    client = connect(**(arguments | options))
    opened.append(client)
    return client


@pytest.mark.parametrize(
    ("api_url", "env", "expected"),
    [
        (None, {}, "https://api.github.com"),
        (None, {"GITHUB_API_URL": "https://api.octocorp.ghe.com/"}, "https://api.octocorp.ghe.com"),
        (
            "https://api.other.ghe.com",
            {"GITHUB_API_URL": "https://x.example"},
            "https://api.other.ghe.com",
        ),
        ("http://127.0.0.1:8080", {}, "http://127.0.0.1:8080"),
        ("http://localhost:9000/", {}, "http://localhost:9000"),
    ],
)
def test_the_base_url_is_the_option_else_the_environment_else_github(
    opened: list[GitHubClient], api_url: str | None, env: dict[str, str], expected: str
) -> None:
    client = _connect(opened, api_url=api_url, env={"GITHUB_TOKEN": "t", **env})

    assert repr(client) == (
        f"GitHubClient({expected!r}, auth=TokenAuth(source='the token from $GITHUB_TOKEN'))"
    )


@pytest.mark.parametrize(
    ("api_url", "message"),
    [
        (
            "http://api.github.com",
            "refusing plain-HTTP API URL 'http://api.github.com': the token would travel "
            "unencrypted; use https:// (http:// is accepted only for localhost / 127.0.0.1)",
        ),
        (
            "ftp://api.github.com",
            "invalid API URL 'ftp://api.github.com': expected https://HOST, for example "
            "https://api.github.com or https://api.SUBDOMAIN.ghe.com",
        ),
        (
            "api.github.com",
            "invalid API URL 'api.github.com': expected https://HOST, for example "
            "https://api.github.com or https://api.SUBDOMAIN.ghe.com",
        ),
        (
            "https://api.github.com/?x=1",
            "invalid API URL 'https://api.github.com/?x=1': no query, fragment or credentials "
            "allowed",
        ),
    ],
)
def test_a_bad_api_url_is_refused_with_a_clear_error(
    opened: list[GitHubClient], api_url: str, message: str
) -> None:
    with pytest.raises(ReconcilerError) as caught:
        _connect(opened, api_url=api_url, env={"GITHUB_TOKEN": "t"})

    assert str(caught.value) == message


def test_without_a_simulator_a_credential_is_required(opened: list[GitHubClient]) -> None:
    with pytest.raises(AuthenticationError):
        _connect(opened)


def test_concurrency_must_be_positive(opened: list[GitHubClient]) -> None:
    with pytest.raises(ReconcilerError) as caught:
        _connect(opened, env={"GITHUB_TOKEN": "t"}, concurrency=0)

    assert str(caught.value) == "--concurrency must be at least 1, not 0"


def test_a_simulator_needs_no_token_and_answers_in_process(opened: list[GitHubClient]) -> None:
    sim = Simulator(org_world(120, 1))

    client = _connect(opened, simulate=sim, api_url="https://ignored.example")

    assert repr(client) == (
        "GitHubClient('https://api.github.com', auth=TokenAuth(source=\"the simulator's "
        'default token"))'
    )
    assert client.list_seats("octo-org")[1] == 120


def test_a_token_in_the_environment_is_used_with_the_simulator_too(
    opened: list[GitHubClient],
) -> None:
    client = _connect(opened, simulate=Simulator(org_world(1, 0)), env={"GH_TOKEN": "stranger"})

    with pytest.raises(AuthenticationError) as caught:
        client.get_billing("octo-org")

    assert "the token from $GH_TOKEN is invalid or expired" in str(caught.value)


def test_a_world_without_an_owner_token_says_how_to_add_one(opened: list[GitHubClient]) -> None:
    world = org_world(1, 0)
    world["tokens"] = {}

    with pytest.raises(AuthenticationError) as caught:
        _connect(opened, simulate=Simulator(world))

    assert str(caught.value) == (
        "the simulator's world has no token of an org owner: add one under `tokens:` or set "
        "$GITHUB_TOKEN"
    )


def test_the_default_cache_directory_is_the_users_cache_for_this_tool() -> None:
    assert default_cache_dir().name == "copilot-reconciler"


def test_a_read_over_loopback_http_equals_the_in_process_read(opened: list[GitHubClient]) -> None:
    sim = Simulator(org_world(500, 3))
    config = desired(org_config(teams=team_names(3)))
    in_process = read_live_state(_connect(opened, simulate=sim), config, now=READ_AT)
    logs: list[str] = []

    with start(sim) as server:
        client = _connect(opened, api_url=server.url, env={"GITHUB_TOKEN": TOKEN}, log=logs.append)
        over_http = read_live_state(client, config, now=READ_AT)
        client.add_users("octo-org", ["user00499"])
        client.remove_teams("octo-org", ["team-02"])
        client.close()

    assert over_http == in_process
    assert logs == []  # no spacing between mutations against a loopback host


def test_the_budget_options_reach_the_client(opened: list[GitHubClient]) -> None:
    client = _connect(
        opened, env={"GITHUB_TOKEN": "t"}, points_per_minute=300, response_time_per_minute_s=0
    )
    budgets = client.settings.budgets(injected_transport=False)
    assert (budgets.points_per_minute, budgets.response_time_per_minute_s) == (300, None)
    default = _connect(opened, env={"GITHUB_TOKEN": "t"}).settings
    assert default.budgets(injected_transport=False).points_per_minute == 900
