"""Retries, rate limits, spacing and headers, against scripted servers (httpx.MockTransport).

The server is scripted; our client is real. Jitter is pinned to its ceiling so the waits are
exact: 1, 2, 4, ... seconds.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from reconciler import __version__
from reconciler.errors import RateLimitError, RemoteError, TransportError
from reconciler.github import ClientSettings, GitHubClient, TokenAuth

RESET = 1_795_000_000  # 2026-11-18 11:06:40 UTC


class CeilingJitter(random.Random):
    def uniform(self, a: float, b: float) -> float:
        return b


class FakeTime:
    """A clock that moves only when the client sleeps."""

    def __init__(self, now: float = RESET - 100.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


Script = list[httpx.Response | Exception]


def scripted(script: Script, seen: list[httpx.Request]) -> httpx.MockTransport:
    answers: Iterator[httpx.Response | Exception] = iter(script)

    def serve(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return httpx.MockTransport(serve)


@pytest.fixture
def run() -> Iterator[Callable[..., tuple[GitHubClient, list[httpx.Request], list[str], FakeTime]]]:
    made: list[GitHubClient] = []

    def build(
        script: Script, **settings: Any
    ) -> tuple[GitHubClient, list[httpx.Request], list[str], FakeTime]:
        seen: list[httpx.Request] = []
        logs: list[str] = []
        fake = FakeTime()
        client = GitHubClient(
            ClientSettings(**settings),
            TokenAuth("t0ken", source="the token from $GITHUB_TOKEN"),
            transport=scripted(script, seen),
            log=logs.append,
            sleep=fake.sleep,
            clock=fake.clock,
            rng=CeilingJitter(),
        )
        made.append(client)
        return client, seen, logs, fake

    yield build
    for client in made:
        client.close()


def ok(body: Any = None, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body if body is not None else {}, headers=headers)


def limited(status: int, message: str, **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"message": message}, headers=headers)


BILLING = "GET /orgs/o/copilot/billing"


def test_every_request_carries_the_headers_github_asks_for(run: Callable[..., Any]) -> None:
    client, seen, _logs, _t = run([ok({"plan_type": "business"})])

    client.get_billing("o")

    sent = seen[0].headers
    assert (
        str(seen[0].url),
        sent["accept"],
        sent["x-github-api-version"],
        sent["user-agent"],
        sent["authorization"],
    ) == (
        "https://api.github.com/orgs/o/copilot/billing",
        "application/vnd.github+json",
        "2022-11-28",
        f"copilot-reconciler/{__version__}",
        "Bearer t0ken",
    )


def test_server_errors_and_drops_are_retried_with_growing_jittered_waits(
    run: Callable[..., Any],
) -> None:
    script: Script = [
        ok({}, 502),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadTimeout("timed out"),
        ok({}, 503),
        ok({"plan_type": "business"}),
    ]
    client, seen, logs, fake = run(script)

    assert client.get_billing("o") == {"plan_type": "business"}
    assert (fake.sleeps, client.requests_made, len(seen)) == ([1.0, 2.0, 4.0, 8.0], 5, 5)
    assert logs == [
        f"waiting 1.0 s: 502 Bad Gateway on {BILLING} (retry 1 of 5)",
        "waiting 2.0 s: RemoteProtocolError (Server disconnected without sending a response.)"
        f" on {BILLING} (retry 2 of 5)",
        f"waiting 4.0 s: ReadTimeout (timed out) on {BILLING} (retry 3 of 5)",
        f"waiting 8.0 s: 503 Service Unavailable on {BILLING} (retry 4 of 5)",
    ]


def test_backoff_is_capped(run: Callable[..., Any]) -> None:
    client, _seen, _logs, fake = run([ok({}, 500)] * 8 + [ok({})], retries=8)

    client.get_billing("o")

    assert fake.sleeps == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]


def test_a_server_error_that_outlives_the_retries_is_reported_with_its_status(
    run: Callable[..., Any],
) -> None:
    client, _seen, _logs, _t = run([ok({"message": "Server Error"}, 500)] * 3, retries=2)

    with pytest.raises(RemoteError) as caught:
        client.get_billing("o")

    assert (str(caught.value), caught.value.status) == (
        f"{BILLING}: 500 Server Error: the API kept failing; retry later (see https://www.githubstatus.com)",
        500,
    )


def test_a_connect_failure_that_outlives_the_retries_is_a_transport_error(
    run: Callable[..., Any],
) -> None:
    client, _seen, _logs, _t = run(
        [httpx.ConnectError("[Errno 111] Connection refused")] * 2, retries=1
    )

    with pytest.raises(TransportError) as caught:
        client.get_billing("o")

    assert str(caught.value) == (
        f"{BILLING}: ConnectError ([Errno 111] Connection refused), still failing after 2 "
        "attempts; check the connection to api.github.com and retry"
    )
    assert (caught.value.__cause__, caught.value.__suppress_context__) == (None, True)


def test_a_primary_limit_that_resets_soon_is_waited_out(run: Callable[..., Any]) -> None:
    exhausted = limited(
        403,
        "API rate limit exceeded",
        **{"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(RESET)},
    )
    client, _seen, logs, fake = run([exhausted, ok({})])

    client.get_billing("o")

    assert (fake.sleeps, logs) == (
        [101.0],
        ["waiting 101.0 s: primary rate limit, resets at 2026-11-18 11:06:40 UTC"],
    )


def test_a_primary_limit_that_resets_too_late_says_when_to_retry(run: Callable[..., Any]) -> None:
    exhausted = limited(
        429,
        "API rate limit exceeded",
        **{"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(RESET)},
    )
    client, _seen, _logs, fake = run([exhausted], max_rate_limit_wait_s=60)

    with pytest.raises(RateLimitError) as caught:
        client.get_billing("o")

    assert (str(caught.value), caught.value.status, fake.sleeps) == (
        f"{BILLING}: the primary rate limit of the token from $GITHUB_TOKEN is exhausted until "
        "2026-11-18 11:06:40 UTC; retry after that (about 2 min from now)",
        429,
        [],
    )


def test_a_secondary_limit_honours_retry_after(run: Callable[..., Any]) -> None:
    second = limited(403, "You have exceeded a secondary rate limit.", **{"retry-after": "2"})
    client, _seen, logs, fake = run([second, ok({})])

    client.get_billing("o")

    assert (fake.sleeps, logs) == ([2.0], ["waiting 2.0 s: secondary rate limit (retry-after)"])


def test_a_secondary_limit_without_retry_after_waits_a_minute_and_backs_off(
    run: Callable[..., Any],
) -> None:
    second = limited(403, "You have exceeded a secondary rate limit.")
    client, _seen, logs, fake = run([second, limited(429, "Too many requests"), ok({})])

    client.get_billing("o")

    assert fake.sleeps == [60.0, 120.0]
    assert logs[0] == "waiting 60.0 s: secondary rate limit (no retry-after; backing off)"


def test_a_secondary_limit_that_persists_is_a_rate_limit_error(run: Callable[..., Any]) -> None:
    second = limited(403, "You have exceeded a secondary rate limit.", **{"retry-after": "1"})
    client, _seen, _logs, _t = run([second] * 3, retries=2)

    with pytest.raises(RateLimitError) as caught:
        client.get_billing("o")

    assert str(caught.value) == (
        f"{BILLING}: the secondary rate limit persisted after 3 attempts; retry in a few "
        "minutes, without --concurrency"
    )


def test_mutations_are_spaced_and_retried(run: Callable[..., Any]) -> None:
    script: Script = [ok({"seats_created": 2}, 201), ok({}, 502), ok({"seats_cancelled": 1})]
    client, seen, logs, fake = run(script, mutation_interval_s=1.0)

    assert client.add_users("o", ["a", "b"]) == 2
    assert client.remove_users("o", ["c"]) == 1

    assert [(r.method, r.url.path, r.content) for r in seen] == [
        ("POST", "/orgs/o/copilot/billing/selected_users", b'{"selected_usernames":["a","b"]}'),
        ("DELETE", "/orgs/o/copilot/billing/selected_users", b'{"selected_usernames":["c"]}'),
        ("DELETE", "/orgs/o/copilot/billing/selected_users", b'{"selected_usernames":["c"]}'),
    ]
    assert logs == [
        "waiting 1.0 s: minimum spacing between mutations",
        "waiting 1.0 s: 502 Bad Gateway on DELETE /orgs/o/copilot/billing/selected_users "
        "(retry 1 of 5)",
    ]
    assert fake.sleeps == [1.0, 1.0]


def test_mutations_are_chunked_to_100_names_and_deduplicated(run: Callable[..., Any]) -> None:
    names = [f"team-{i}" for i in range(250)] + ["TEAM-0"]
    client, seen, _logs, _t = run([ok({"seats_created": 10}, 201)] * 3, mutation_interval_s=0)

    assert client.add_teams("o", names) == 30
    assert [len(httpx.Response(200, content=r.content).json()["selected_teams"]) for r in seen] == [
        100,
        100,
        50,
    ]


def test_nothing_to_change_sends_nothing(run: Callable[..., Any]) -> None:
    client, seen, _logs, _t = run([])

    assert (client.add_users("o", []), client.remove_teams("o", []), seen) == (0, 0, [])


def test_a_pagination_link_to_another_host_is_not_followed(run: Callable[..., Any]) -> None:
    page = httpx.Response(
        200,
        json=[{"login": "a"}],
        headers={"link": '<https://evil.example/orgs/o/members?page=2>; rel="next"'},
    )
    client, seen, _logs, _t = run([page])

    with pytest.raises(RemoteError) as caught:
        client.list_org_members("o")

    assert str(caught.value) == (
        "refusing to send the token to https://evil.example: the API at api.github.com linked "
        "outside itself"
    )
    assert len(seen) == 1


@pytest.mark.parametrize(
    ("settings", "transport", "expected"),
    [
        ({}, False, 1.0),
        ({"api_url": "https://api.octo.ghe.com"}, False, 1.0),
        ({"api_url": "http://127.0.0.1:8080"}, False, 0.0),
        ({"api_url": "http://localhost:8080"}, False, 0.0),
        ({}, True, 0.0),
        ({"mutation_interval_s": 2.5}, True, 2.5),
    ],
)
def test_the_mutation_interval_defaults_to_one_second_only_for_remote_hosts(
    settings: dict[str, Any], transport: bool, expected: float
) -> None:
    assert ClientSettings(**settings).mutation_interval(injected_transport=transport) == expected
