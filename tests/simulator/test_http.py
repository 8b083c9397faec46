"""Across every endpoint: authentication, scopes, hidden orgs, the API version, rate limits,
ETags and GitHub's error bodies."""

from __future__ import annotations

import httpx
import pytest

from reconciler.simulator import Simulator

from .conftest import ClientFactory

SEATS = "/orgs/octo-org/copilot/billing/seats"
DOCS = "https://docs.github.com/rest"


def test_no_token_is_401_requires_authentication(sim: Simulator, connect: ClientFactory) -> None:
    answer = connect(sim, None).get(SEATS)
    assert (answer.status_code, answer.json()) == (
        401,
        {"message": "Requires authentication", "documentation_url": DOCS},
    )


def test_an_unknown_token_is_401_bad_credentials(sim: Simulator, connect: ClientFactory) -> None:
    answer = connect(sim, "ghp_nope").get(SEATS)
    assert (answer.status_code, answer.json()["message"]) == (401, "Bad credentials")


def test_the_older_token_scheme_is_accepted(sim: Simulator, connect: ClientFactory) -> None:
    client = connect(sim, None, Authorization="token demo-token")
    assert client.get(SEATS).status_code == 200


def test_an_expired_token_is_401(sim: Simulator, connect: ClientFactory) -> None:
    world = sim.world()
    world["tokens"]["old-token"] = {
        "login": "octo-admin",
        "scopes": ["read:org"],
        "expires_at": "2020-01-01T00:00:00Z",
    }
    sim.load_world(world)
    assert connect(sim, "old-token").get(SEATS).status_code == 401


def test_a_missing_scope_is_403_naming_the_accepted_scopes(
    sim: Simulator, connect: ClientFactory
) -> None:
    answer = connect(sim, "bare-token").get(SEATS)
    assert answer.status_code == 403
    assert answer.headers["x-accepted-oauth-scopes"] == "manage_billing:copilot, read:org"
    assert set(answer.json()) == {"message", "documentation_url"}


def test_an_org_the_user_does_not_own_is_404(sim: Simulator, connect: ClientFactory) -> None:
    stranger = connect(sim, "stranger-token")
    assert stranger.get(SEATS).status_code == 404
    assert stranger.get("/orgs/no-such-org/copilot/billing").status_code == 404
    assert connect(sim).get("/orgs/no-such-org/copilot/billing").json() == {
        "message": "Not Found",
        "documentation_url": DOCS,
    }


def test_an_unknown_path_or_method_is_404(client: httpx.Client) -> None:
    assert client.get("/orgs/octo-org/copilot/nothing").status_code == 404
    assert client.patch(SEATS).status_code == 404
    assert client.get(SEATS + "/").status_code == 404


def test_an_unknown_api_version_is_400(sim: Simulator, connect: ClientFactory) -> None:
    answer = connect(sim, **{"X-GitHub-Api-Version": "v3"}).get(SEATS)
    assert answer.status_code == 400
    assert '"v3", is not a supported version' in answer.json()["message"]


@pytest.mark.parametrize("version", ["2022-11-28", "2026-03-10"])
def test_supported_api_versions_are_served(
    sim: Simulator, connect: ClientFactory, version: str
) -> None:
    assert connect(sim, **{"X-GitHub-Api-Version": version}).get(SEATS).status_code == 200


def test_every_answer_carries_rate_limit_headers_that_count_down(client: httpx.Client) -> None:
    first = client.get(SEATS).headers
    second = client.get("/orgs/octo-org/copilot/billing").headers
    assert (first["x-ratelimit-limit"], first["x-ratelimit-remaining"]) == ("5000", "4999")
    assert (second["x-ratelimit-used"], second["x-ratelimit-remaining"]) == ("2", "4998")
    assert second["x-ratelimit-resource"] == "core"
    assert int(second["x-ratelimit-reset"]) == int(first["x-ratelimit-reset"])


def test_an_exhausted_primary_budget_is_403_with_remaining_0(
    sim: Simulator, client: httpx.Client
) -> None:
    sim.set_faults(rate_limit_per_hour=2)
    assert [client.get(SEATS).status_code for _ in range(3)] == [200, 200, 403]
    refused = client.get(SEATS)
    assert refused.headers["x-ratelimit-remaining"] == "0"
    assert refused.json()["message"].startswith("API rate limit exceeded")


def test_a_matching_if_none_match_is_304_without_body_and_free(
    sim: Simulator, client: httpx.Client
) -> None:
    first = client.get(SEATS)
    tag = first.headers["etag"]
    again = client.get(SEATS, headers={"If-None-Match": tag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", tag)
    assert again.headers["x-ratelimit-used"] == "1"  # the 304 did not count
    assert sim.stats()["not_modified"] == 1


def test_the_etag_changes_when_the_state_does(client: httpx.Client) -> None:
    tag = client.get(SEATS).headers["etag"]
    client.post(
        "/orgs/octo-org/copilot/billing/selected_users",
        json={"selected_usernames": ["octo-admin"]},
    )
    assert client.get(SEATS, headers={"If-None-Match": tag}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/orgs/octo-org/copilot/billing",
        "/orgs/octo-org/copilot/content_exclusion",
        "/orgs/octo-org/teams",
        "/orgs/octo-org/teams/engineering",
        "/orgs/octo-org/teams/engineering/members",
        "/orgs/octo-org/members",
        "/orgs/octo-org/members/alice/copilot",
    ],
)
def test_every_get_has_an_etag_honoured_by_if_none_match(client: httpx.Client, path: str) -> None:
    tag = client.get(path).headers["etag"]
    assert client.get(path, headers={"If-None-Match": tag}).status_code == 304


def test_stats_count_operations_mutations_and_304s(sim: Simulator, client: httpx.Client) -> None:
    tag = client.get(SEATS).headers["etag"]
    client.get(SEATS, headers={"If-None-Match": tag})
    client.post("/orgs/octo-org/copilot/billing/selected_users", json={"selected_usernames": []})
    client.get("/_simulator/stats")  # control calls are not counted
    assert sim.stats() == {
        "total": 3,
        "mutations": 1,
        "not_modified": 1,
        "by_operation": {
            "GET /orgs/{org}/copilot/billing/seats": 2,
            "POST /orgs/{org}/copilot/billing/selected_users": 1,
        },
    }
    sim.reset_stats()
    assert sim.stats() == {"total": 0, "mutations": 0, "not_modified": 0, "by_operation": {}}


def test_the_authenticated_user_endpoint_answers_the_tokens_user(client: httpx.Client) -> None:
    assert client.get("/user").json()["login"] == "octo-admin"


def test_links_and_urls_follow_the_base_url_of_the_request(sim: Simulator) -> None:
    ghe = "https://api.octo.ghe.com"
    with httpx.Client(
        base_url=ghe, transport=sim.transport(), headers={"Authorization": "Bearer demo-token"}
    ) as client:
        answer = client.get(SEATS, params={"per_page": 1})
    assert answer.links["next"]["url"].startswith(f"{ghe}/orgs/octo-org/copilot/billing/seats?")
    assert answer.json()["seats"][0]["assignee"]["url"] == f"{ghe}/users/alice"
