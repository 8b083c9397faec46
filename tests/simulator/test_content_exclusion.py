"""Content exclusion: the whole map on GET, replaced on PUT, shape checks and the 413 limit."""

from __future__ import annotations

import httpx
import pytest

from reconciler.simulator import Simulator

from .conftest import ClientFactory

RULES = "/orgs/octo-org/copilot/content_exclusion"


def test_get_returns_the_whole_map(client: httpx.Client) -> None:
    answer = client.get(RULES)
    assert (answer.status_code, answer.json()) == (200, {"octo-repo": ["/secrets/**"]})


def test_put_replaces_the_whole_map(sim: Simulator, client: httpx.Client) -> None:
    rules = {"*": ["**/.env"], "octo-payments": ["/src/crypto/**", "/config/keys.yml"]}
    answer = client.put(RULES, json=rules)
    assert (answer.status_code, set(answer.json())) == (200, {"message"})
    assert client.get(RULES).json() == rules
    assert sim.world()["orgs"]["octo-org"]["content_exclusion"] == rules


@pytest.mark.parametrize(
    "body",
    [["/secrets/**"], {"octo-repo": "/secrets/**"}, {"octo-repo": [1]}, {"": ["/a"]}, "rules"],
)
def test_a_body_of_the_wrong_shape_is_422_and_changes_nothing(
    client: httpx.Client, body: object
) -> None:
    answer = client.put(RULES, json=body)
    assert answer.status_code == 422
    assert "errors" in answer.json()
    assert client.get(RULES).json() == {"octo-repo": ["/secrets/**"]}


def test_a_body_over_the_limit_is_413(sim: Simulator, client: httpx.Client) -> None:
    big = {"octo-repo": [f"/generated/{i:06d}/**" for i in range(12_000)]}  # > 256 KiB
    assert client.put(RULES, json=big).status_code == 413
    sim.set_faults(content_exclusion_max_bytes=100)
    assert client.put(RULES, json={"octo-repo": ["/x" * 60]}).status_code == 413
    assert client.put(RULES, json={"a": ["/b"]}).status_code == 200


def test_put_needs_the_copilot_scope(sim: Simulator, connect: ClientFactory) -> None:
    reader = connect(sim, "read-token")
    assert reader.get(RULES).status_code == 200
    answer = reader.put(RULES, json={})
    assert (answer.status_code, answer.headers["x-accepted-oauth-scopes"]) == (403, "copilot")
